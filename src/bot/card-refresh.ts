import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { VERB } from './verbs.js';

/**
 * The Universal Actions `refresh` on the summary, gaps and plan cards, and the lines a refreshed
 * card carries. Added here, after a card is bound (or taken from the kept cards), not in the
 * templates: the stamp and the user ids belong to the send, while one bound card is kept for
 * everybody of the same visibility.
 */
export const REFRESH_VERB = {
  summary: VERB.summaryRefresh,
  gaps: VERB.gapsRefresh,
  plan: VERB.planRefresh,
} as const;
export type DistrictCardName = keyof typeof REFRESH_VERB;

/** Whether a district card carries a refresh (the summary, gaps and plan cards do). */
export function isRefreshable(name: string): name is DistrictCardName {
  return Object.hasOwn(REFRESH_VERB, name);
}

/**
 * What a refresh sends back: the district and the stamp the card was made from, nothing else.
 * Stamps are opaque (a SQLite version number, a Cosmos `_etag` with its quotes): printable, short.
 */
export const RefreshData = z
  .object({
    districtId: z.string().min(1).max(64),
    stamp: z.string().regex(/^[!-~]{1,128}$/),
  })
  .strict();

/** The first line of a refreshed card that the district changed since it was sent. */
export const CHANGED_NOTICE = 'Updated: this district changed since this card was sent. This is how it stands now.';
/** The first line of a card shown again when it could not be checked (the store unreachable). */
export const OUT_OF_DATE_NOTICE =
  'This card may be out of date: I could not check for changes just now. Nothing was changed.';
/** The same, said beside the card when there is no kept copy to show it on. */
export const OUT_OF_DATE_TEXT =
  'This card may be out of date: I could not check for changes just now, so it is shown as it was. Nothing was changed.';

const REFRESH_VERBS: ReadonlySet<string> = new Set([...Object.values(REFRESH_VERB), VERB.taskRefresh]);

/** Whether this turn is a card's refresh (Teams' own or pressed), which leaves the card as it was when it fails. */
export function isCardRefresh(context: TurnContext): boolean {
  const a = context.activity;
  const verb = (a.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
  return a.type === 'invoke' && a.name === 'adaptiveCard/action' && typeof verb === 'string' && REFRESH_VERBS.has(verb);
}

/**
 * Whose Teams client refreshes the card by itself (`refresh.userIds`): the person it was made
 * for, alone, in every kind of conversation (their Teams user id on this turn).
 * - 1:1 chat: that person is the only one there.
 * - Group chat or channel: only the person who asked. Listing the members would need the roster
 *   (a Teams call per card) and Teams auto-refreshes for at most 60 of them; each listed reader
 *   would send one refresh every time the card comes into view, for every card in the history.
 *   Everybody else gets Teams' manual Refresh, answered with their own view, after which their
 *   copy lists them. Each answer is built for whoever refreshes, in this conversation: in a
 *   channel or group chat that is the OFFICIAL view whoever it is, so a listed id never widens
 *   what is shown.
 * Automatic refreshes count under the per-user automatic refresh budget (membership guard).
 */
export function refreshUserIds(context: TurnContext): string[] {
  const id = context.activity.from?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? [id] : [];
}

/** The card with its refresh: made from `stamp`, refreshed for `userIds`. */
export function withRefresh(
  card: AdaptiveCard,
  name: DistrictCardName,
  districtId: string,
  stamp: string,
  userIds: readonly string[],
): AdaptiveCard {
  return {
    ...card,
    refresh: {
      action: { type: 'Action.Execute', title: 'Refresh', verb: REFRESH_VERB[name], data: { districtId, stamp } },
      userIds: [...userIds],
    },
  } as AdaptiveCard;
}

/** The card with a line under its classification banner (which stays first). */
export function withNotice(card: AdaptiveCard, text: string, style: 'accent' | 'emphasis'): AdaptiveCard {
  const body = [...((card as { body?: unknown[] }).body ?? [])];
  const notice = {
    type: 'Container',
    style,
    items: [{ type: 'TextBlock', text, wrap: true, weight: 'Bolder', size: 'Small' }],
  };
  body.splice(body.length ? 1 : 0, 0, notice);
  return { ...card, body } as AdaptiveCard;
}
