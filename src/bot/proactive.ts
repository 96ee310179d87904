import type { AdaptiveCard, TeamsAdapter } from '@microsoft/teams-ai';
import { MessageFactory, TurnContext, type ConversationParameters, type ConversationReference } from 'botbuilder';
import type { ConversationRef } from '../domain/conversation.js';
import { cardAttachment } from './cards.js';
import type { SendThrottle } from './send-throttle.js';

/** A proactive send the Teams connector did not take; `reason` is a status or code, never text. */
export class DeliveryFailure extends Error {
  constructor(readonly reason: string) {
    super(`delivery failed: ${reason}`);
    this.name = 'DeliveryFailure';
  }
}

export type SendCard = (ref: ConversationRef, card: AdaptiveCard) => Promise<void>;

/**
 * Sends a card into a stored conversation without being spoken to, through the adapter's
 * continueConversation. The connector client retries 429 (after Retry-After) and 5xx (with
 * exponential backoff) itself, three times; what still fails here is a final failure.
 */
export function proactiveSender(adapter: TeamsAdapter, appId: string, throttle: SendThrottle): SendCard {
  return async (ref, card) => {
    await throttle.wait(ref.conversationId);
    // Caught inside the turn: an error escaping it would go to the app's turn-error handler,
    // which answers "sorry" into the channel and swallows the failure.
    let failure: unknown;
    try {
      await adapter.continueConversationAsync(
        appId,
        ref.reference as Partial<ConversationReference>,
        async (context) => {
          try {
            await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
          } catch (err) {
            failure = err ?? new Error('send failed');
          }
        },
      );
    } catch (err) {
      failure = err ?? new Error('send failed');
    }
    if (failure !== undefined) throw new DeliveryFailure(reasonOf(failure));
  };
}

/**
 * Where to reach a person the app is installed for but whose 1:1 chat the bot has no record of
 * (Graph answered 409: installed before, its conversationUpdate never stored): the connector's
 * createConversation, as documented for proactive messages, which answers the existing 1:1 chat.
 * `serviceUrl` is the coordinator's turn's (Teams' regional endpoint for the tenant).
 */
export type OpenPersonalChat = (
  serviceUrl: string,
  tenantId: string,
  aadObjectId: string,
) => Promise<Omit<ConversationRef, 'updatedAt'>>;

export function personalChatOpener(adapter: TeamsAdapter, appId: string): OpenPersonalChat {
  return async (serviceUrl, tenantId, aadObjectId) => {
    const parameters = {
      isGroup: false,
      tenantId,
      members: [{ id: aadObjectId, aadObjectId, name: '' }],
      channelData: { tenant: { id: tenantId } },
    } as unknown as ConversationParameters;
    let reference: Partial<ConversationReference> | undefined;
    try {
      await adapter.createConversationAsync(
        appId,
        'msteams',
        serviceUrl,
        undefined as unknown as string,
        parameters,
        async (context) => {
          reference = TurnContext.getConversationReference(context.activity);
        },
      );
    } catch (err) {
      throw new DeliveryFailure(reasonOf(err));
    }
    const conversationId = reference?.conversation?.id;
    if (!reference || !conversationId) throw new DeliveryFailure('no conversation');
    // The create answer names no conversation type; this one is a 1:1 chat, and cards are judged by it.
    const conversation = { ...reference.conversation, conversationType: 'personal', tenantId };
    return {
      tenantId,
      conversationId,
      kind: 'personal',
      aadObjectId: aadObjectId.toLowerCase(),
      serviceUrl,
      reference: { ...reference, conversation, user: { id: aadObjectId, aadObjectId } } as Record<string, unknown>,
    };
  };
}

function reasonOf(err: unknown): string {
  const e = err as { statusCode?: unknown; code?: unknown; name?: unknown };
  if (typeof e?.statusCode === 'number') return `HTTP ${e.statusCode}`;
  if (typeof e?.code === 'string' && /^[A-Z_]+$/.test(e.code)) return e.code;
  return typeof e?.name === 'string' ? e.name : 'unknown error';
}
