import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { registerCommand, type Command } from '../command.js';
import { cardData, parseData } from '../data.js';
import type { BotDeps } from '../deps.js';
import { withDistrict } from '../district-prompt.js';
import { guarded, type RouteContext } from '../guard.js';
import { renderCard } from '../cards.js';
import { sendDistrictCard } from '../district-card-cache.js';
import { sendCard, sendNotice } from '../reply.js';
import { can } from '../../domain/permissions.js';
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
  // Make action (a recommendation's button) goes with adding actions, which a role may have alone.
  const canAct = can(rc.requester.member, 'action.create');
  const variant = `${canReview ? 'reviewer' : ''}${canAct ? '+actor' : ''}`;
  await sendDistrictCard(rc, 'summary', districtId, () => summaryCard(rc, districtId), variant);
}

/** The summary card, or undefined once a notice has been sent instead. */
async function summaryCard(rc: RouteContext, districtId: string, correctedFrom?: string) {
  const result = await rc.deps.profiles.summary(rc.requester, rc.viewer, districtId);
  const demo = rc.requester.partnership.demo;
  switch (result.kind) {
    case 'summary':
      return renderCard('summary', {
        ...result.view,
        note: correctedFrom ? `Showing ${result.view.title}, the closest match to what you typed.` : '',
      });
    case 'withheld':
      await sendNotice(
        rc.context,
        {
          title: `${result.district.name}: OFFICIAL-SENSITIVE`,
          text: "This district's profile is marked OFFICIAL-SENSITIVE. Ask for it in a 1:1 chat with me; it is shown there to members cleared for it.",
        },
        demo,
      );
      return undefined;
    case 'no-profile':
      await sendNotice(
        rc.context,
        {
          title: `${result.district.name}: no profile yet`,
          text: 'This district has no SOC local profile yet. Guidance 3.9: every district should have one; ask your coordinator.',
        },
        demo,
      );
      return undefined;
  }
}

export function register(app: Application<BotState>, deps: BotDeps): void {
  registerCommand(app, deps, summaryCommand);
  app.adaptiveCards.actionSubmit(VERB.districtSummary, async (context, state, data) =>
    guarded(deps, 'profile.read', (rc) => showSummary(rc, parseData(DistrictData, data).districtId))(context, state),
  );
}
