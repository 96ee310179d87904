import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { registerCommand, type Command } from '../command.js';
import { cardData, parseData } from '../data.js';
import type { BotDeps } from '../deps.js';
import { withDistrict } from '../district-prompt.js';
import { guarded, type RouteContext } from '../guard.js';
import { renderCard } from '../cards.js';
import { sendDistrictCard } from '../district-card-cache.js';
import { refreshUserIds, withRefresh } from '../card-refresh.js';
import { isCard, registerDistrictRefresh, type CardOrNotice } from './district-refresh.js';
import { sendCard, sendNotice } from '../reply.js';
import { districtLink } from '../../domain/district-link.js';
import { can } from '../../domain/permissions.js';
import type { SummaryView } from '../../domain/summary.js';
import type { BotState } from '../state.js';
import { VERB } from '../verbs.js';

export const DistrictData = cardData({ districtId: z.string().min(1).max(64) });

export const summaryCommand: Command = {
  name: 'summary',
  keywords: ['summary', 'profile', 'show', 'picture'],
  usage: 'summary <district>',
  description:
    "A district's need-to-know on one card: threat, harm rank, vulnerabilities, gaps, 4P plan and review dates.",
  example: 'summary Everton',
  permission: 'profile.read',
  patterns: [
    /^(?:summary|profile|show|picture)(?:\s+(?:of|for|in))?(?:\s+(.*))?$/i,
    // Greedy up to the last word character, then the trailing ?.!: linear, where a lazy
    // (.+?) before [\s?.!]*$ backtracks over every position (seconds on a long line).
    /^what(?:'|’)?s\s+(?:the\s+)?picture\s+(?:in|for|of|at)\s+(.*[^\s?.!])[\s?.!]*$/i,
    /^what\s+is\s+the\s+picture\s+(?:in|for|of|at)\s+(.*[^\s?.!])[\s?.!]*$/i,
  ],
  run: (rc, argument) =>
    withDistrict(rc, argument, VERB.districtSummary, 'summary Everton', (id, typed) => showSummary(rc, id, typed)),
};

export async function showSummary(rc: RouteContext, districtId: string, correctedFrom?: string): Promise<void> {
  // A card that says it corrected what was typed is made for that turn alone.
  if (correctedFrom !== undefined) {
    const stamp = await rc.deps.profiles.stamp(rc.requester, districtId);
    const card = await sentOrNotice(rc, await summaryCard(rc, districtId, correctedFrom));
    if (card) await sendCard(rc.context, withRefresh(card, 'summary', districtId, stamp, refreshUserIds(rc.context)));
    return;
  }
  await sendDistrictCard(
    rc,
    'summary',
    districtId,
    async () => sentOrNotice(rc, await summaryCard(rc, districtId)),
    reviewVariant(rc),
  );
}

/**
 * Only coordinators get the Mark reviewed button, and only those who may add actions a
 * recommendation's Make action (a role may have that alone): the card differs by these, as well
 * as by viewer.
 */
function reviewVariant(rc: RouteContext): string {
  const canReview = can(rc.requester.member, 'profile.review');
  const canAct = can(rc.requester.member, 'action.create');
  return `${canReview ? 'reviewer' : ''}${canAct ? '+actor' : ''}`;
}

/** The card to send, or undefined once the notice has been sent instead. */
async function sentOrNotice(rc: RouteContext, answer: CardOrNotice) {
  if (isCard(answer)) return answer;
  await sendNotice(rc.context, answer, rc.requester.partnership.demo);
  return undefined;
}

/** The summary card, or the notice that takes its place. */
async function summaryCard(rc: RouteContext, districtId: string, correctedFrom?: string): Promise<CardOrNotice> {
  const result = await rc.deps.profiles.summary(rc.requester, rc.viewer, districtId);
  switch (result.kind) {
    case 'summary':
      return renderSummary(
        rc,
        result.view,
        correctedFrom ? `Showing ${result.view.title}, the closest match to what you typed.` : '',
      );
    case 'withheld':
      return {
        title: `${result.district.name}: OFFICIAL-SENSITIVE`,
        text: "This district's profile is marked OFFICIAL-SENSITIVE. Ask for it in a 1:1 chat with me; it is shown there to members cleared for it.",
      };
    case 'no-profile':
      return {
        title: `${result.district.name}: no profile yet`,
        text: 'This district has no SOC local profile yet. Guidance 3.9: every district should have one; ask your coordinator.',
      };
  }
}

export type SummaryOutcome = { card: AdaptiveCard } | { notice: { title: string; text: string } };

/**
 * The summary card for this viewer, or what to say instead (withheld here, no profile yet): the
 * one path from the profile to the card, for chat, refreshes, the search box and link previews alike.
 */
export async function summaryOutcome(
  rc: RouteContext,
  districtId: string,
  correctedFrom?: string,
): Promise<SummaryOutcome> {
  const answer = await summaryCard(rc, districtId, correctedFrom);
  return isCard(answer) ? { card: answer } : { notice: answer };
}

/** Binds the summary template, with the district's own link where BOT_DOMAIN is set. */
export function renderSummary(rc: RouteContext, view: SummaryView, note: string): AdaptiveCard {
  const { botDomain } = rc.deps;
  const link = botDomain
    ? districtLink(botDomain, { partnershipId: rc.requester.partnership.id, districtId: view.districtId })
    : '';
  return renderCard('summary', { ...view, note, link });
}

export function register(app: Application<BotState>, deps: BotDeps): void {
  registerCommand(app, deps, summaryCommand);
  registerDistrictRefresh(app, deps, 'summary', 'profile.read', (rc, id) => summaryCard(rc, id), reviewVariant);
  app.adaptiveCards.actionSubmit(VERB.districtSummary, async (context, state, data) =>
    guarded(deps, 'profile.read', (rc) => showSummary(rc, parseData(DistrictData, data).districtId))(context, state),
  );
}
