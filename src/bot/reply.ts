import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { MessageFactory } from 'botbuilder';
import { clip } from '../domain/format.js';
import { banner, type Banner } from '../domain/summary.js';
import { cardAttachment, renderCard, type CardName } from './cards.js';
import { VERB } from './verbs.js';

export interface Suggestion {
  title: string;
  data: Record<string, string>;
}

export interface NoticeData {
  banner: Banner;
  title: string;
  text: string;
  /** What the person typed, shown back as plain text (never as markdown), clipped. */
  echo: string;
  suggestions: Suggestion[];
  hasSuggestions: boolean;
}

export const ECHO_MAX_CHARS = 60;

export function runSuggestion(text: string): Suggestion {
  return { title: text, data: { verb: VERB.commandRun, text } };
}

export function noticeCard(
  n: { title: string; text: string; echo?: string | undefined; suggestions?: Suggestion[] },
  demo = false,
): AdaptiveCard {
  const data: NoticeData = {
    banner: banner('OFFICIAL', demo),
    title: n.title,
    text: n.text,
    echo: n.echo ? clip(n.echo, ECHO_MAX_CHARS) : '',
    suggestions: n.suggestions ?? [],
    hasSuggestions: (n.suggestions ?? []).length > 0,
  };
  return renderCard('notice', data);
}

export async function sendCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
}

export async function sendNamedCard<T extends { banner: Banner }>(
  context: TurnContext,
  name: CardName,
  data: T,
): Promise<void> {
  await sendCard(context, renderCard(name, data));
}

export async function sendNotice(
  context: TurnContext,
  n: Parameters<typeof noticeCard>[0],
  demo = false,
): Promise<void> {
  await sendCard(context, noticeCard(n, demo));
}
