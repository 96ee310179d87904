import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { can } from '../../domain/permissions.js';
import { fitsCard, renderCard } from '../cards.js';
import { registerCommand, type Command } from '../command.js';
import { cardData, parseData } from '../data.js';
import type { BotDeps } from '../deps.js';
import { sendDistrictCard } from '../district-card-cache.js';
import { withDistrict } from '../district-prompt.js';
import { guarded, guardedInvoke, type RouteContext } from '../guard.js';
import { answerPresser, executeData, executeOf } from '../invoke.js';
import type { BotState } from '../state.js';
import { VERB } from '../verbs.js';
import { DistrictData } from './summary.js';

/** Make action's data: the card carries the number as text (a template binds it so). */
const MakeActionData = cardData({
  districtId: z.string().min(1).max(64),
  number: z.union([z.number().int(), z.string().regex(/^[1-9]\d{0,2}$/)]).transform(Number),
});

export const recommendationsCommand: Command = {
  name: 'recommendations',
  keywords: ['recommendations', 'recommendation', 'recs'],
  usage: 'recommendations <district>',
  description:
    "The profile's recommendations, numbered: the agency asked to take each forward, and its state (taken forward as PREV-12). Coordinators: Make action.",
  example: 'recommendations Everton',
  permission: 'profile.read',
  menu: false,
  patterns: [/^(?:show\s+)?(?:recommendations?|recs)(?:\s+(?:in|for|of))?(?:\s+(.*))?$/i],
  run: (rc, argument) =>
    withDistrict(rc, argument, VERB.districtRecommendations, 'recommendations Everton', (id) =>
      showRecommendations(rc, id),
    ),
};

async function showRecommendations(rc: RouteContext, districtId: string): Promise<void> {
  // Only members who may add actions get Make action: the card differs by that, as well as by viewer.
  const variant = can(rc.requester.member, 'action.create') ? 'actor' : '';
  await sendDistrictCard(
    rc,
    'recommendations',
    districtId,
    async () =>
      renderCard(
        'recommendations',
        await rc.deps.recommendations.list(rc.requester, rc.viewer, districtId, (v) => fitsCard('recommendations', v)),
      ),
    variant,
  );
}

export function register(app: Application<BotState>, deps: BotDeps): void {
  registerCommand(app, deps, recommendationsCommand);
  app.adaptiveCards.actionSubmit(VERB.districtRecommendations, async (context, state, data) =>
    guarded(deps, 'profile.read', (rc) => showRecommendations(rc, parseData(DistrictData, data).districtId))(
      context,
      state,
    ),
  );
  // Make action: the pre-filled form goes to the presser alone (in a channel or group chat the
  // card everyone reads is left as it was); a member without action.create is refused by the guard.
  const makeAction = guardedInvoke(deps, 'action.create', async (rc, data) => {
    const { districtId, number } = parseData(MakeActionData, data);
    return renderCard('task-form', await rc.deps.recommendations.form(rc.requester, rc.viewer, districtId, number));
  });
  app.addRoute(
    executeOf(VERB.recommendationAct),
    async (context, state) => answerPresser(context, await makeAction(context, state, executeData(context))),
    true,
  );
}
