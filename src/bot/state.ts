import {
  TurnState,
  type DefaultConversationState,
  type DefaultTempState,
  type DefaultUserState,
} from '@microsoft/teams-ai';
import type { Requester } from '../services/membership.js';
import type { TurnFacts } from './turn.js';

/** Per-turn values the membership guard puts in front of every route. */
export interface BotTempState extends DefaultTempState {
  facts?: TurnFacts;
  requester?: Requester;
}

export type BotState = TurnState<DefaultConversationState, DefaultUserState, BotTempState>;

export function newBotState(): BotState {
  return new TurnState<DefaultConversationState, DefaultUserState, BotTempState>();
}
