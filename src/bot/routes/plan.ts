import type { Application } from '@microsoft/teams-ai';
import { registerCommand, type Command } from '../command.js';
import { parseData } from '../data.js';
import type { BotDeps } from '../deps.js';
import { withDistrict } from '../district-prompt.js';
import { guarded, type RouteContext } from '../guard.js';
import { fitsCard, renderCard } from '../cards.js';
import { sendDistrictCard } from '../district-card-cache.js';
import { registerDistrictRefresh } from './district-refresh.js';
import type { BotState } from '../state.js';
import { VERB } from '../verbs.js';
import { DistrictData } from './summary.js';

export const planCommand: Command = {
  name: 'plan',
  keywords: ['plan', '4p'],
  usage: 'plan <district>',
  description:
    "The district's 4P plan grouped by Prepare, Pursue, Prevent and Protect: each action's reference, lead, owner and status.",
  example: 'plan Everton',
  permission: 'action.read',
  patterns: [/^(?:show\s+)?(?:(?:the\s+)?4p\s+plan|4p|plan)(?:\s+(?:in|for|of))?(?:\s+(.*))?$/i],
  run: (rc, argument) => withDistrict(rc, argument, VERB.districtPlan, 'plan Everton', (id) => showPlan(rc, id)),
};

async function showPlan(rc: RouteContext, districtId: string): Promise<void> {
  await sendDistrictCard(rc, 'plan', districtId, () => planCard(rc, districtId));
}

async function planCard(rc: RouteContext, districtId: string) {
  return renderCard(
    'plan',
    await rc.deps.profiles.plan(rc.requester, rc.viewer, districtId, (v) => fitsCard('plan', v)),
  );
}

export function register(app: Application<BotState>, deps: BotDeps): void {
  registerCommand(app, deps, planCommand);
  registerDistrictRefresh(app, deps, 'plan', 'action.read', planCard);
  app.adaptiveCards.actionSubmit(VERB.districtPlan, async (context, state, data) =>
    guarded(deps, 'action.read', (rc) => showPlan(rc, parseData(DistrictData, data).districtId))(context, state),
  );
}
