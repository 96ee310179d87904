import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { registerCommand, type Command } from '../command.js';
import { cardData, parseData } from '../data.js';
import type { BotDeps } from '../deps.js';
import { withDistrict } from '../district-prompt.js';
import { guarded, type RouteContext } from '../guard.js';
import { renderCard } from '../cards.js';
import { sendDistrictCard } from '../district-card-cache.js';
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
    const card = await summaryCard(rc, districtId, correctedFrom);
    if (card) await sendCard(rc.context, card);
    return;
  }
  // Only coordinators get the Mark reviewed button: the card differs by that, as well as by viewer.
  const canReview = can(rc.requester.member, 'profile.review');
  await sendDistrictCard(rc, 'summary', districtId, () => summaryCard(rc, districtId), canReview ? 'reviewer' : '');
}

/** The summary card, or undefined once a notice has been sent instead. */
async function summaryCard(rc: RouteContext, districtId: string, correctedFrom?: string) {
  const outcome = await summaryOutcome(rc, districtId, correctedFrom);
  if ('card' in outcome) return outcome.card;
  await sendNotice(rc.context, outcome.notice, rc.requester.partnership.demo);
  return undefined;
}

export type SummaryOutcome = { card: AdaptiveCard } | { notice: { title: string; text: string } };

/**
 * The summary card for this viewer, or what to say instead (withheld here, no profile yet): the
 * one path from the profile to the card, for chat, the search box and link previews alike.
 */
export async function summaryOutcome(
  rc: RouteContext,
  districtId: string,
  correctedFrom?: string,
): Promise<SummaryOutcome> {
  const result = await rc.deps.profiles.summary(rc.requester, rc.viewer, districtId);
  switch (result.kind) {
    case 'summary':
      return {
        card: renderSummary(
          rc,
          result.view,
          correctedFrom ? `Showing ${result.view.title}, the closest match to what you typed.` : '',
        ),
      };
    case 'withheld':
      return {
        notice: {
          title: `${result.district.name}: OFFICIAL-SENSITIVE`,
          text: "This district's profile is marked OFFICIAL-SENSITIVE. Ask for it in a 1:1 chat with me; it is shown there to members cleared for it.",
        },
      };
    case 'no-profile':
      return {
        notice: {
          title: `${result.district.name}: no profile yet`,
          text: 'This district has no SOC local profile yet. Guidance 3.9: every district should have one; ask your coordinator.',
        },
      };
  }
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
  app.adaptiveCards.actionSubmit(VERB.districtSummary, async (context, state, data) =>
    guarded(deps, 'profile.read', (rc) => showSummary(rc, parseData(DistrictData, data).districtId))(context, state),
  );
}
