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

export const gapsCommand: Command = {
  name: 'gaps',
  keywords: ['gaps', 'gap'],
  usage: 'gaps <district>',
  description: "The district's intelligence gaps: reference, question, owning agency, status and due date.",
  example: 'gaps Everton',
  permission: 'gap.read',
  patterns: [/^(?:show\s+)?(?:intelligence\s+)?gaps?(?:\s+(?:in|for|of))?(?:\s+(.*))?$/i],
  run: (rc, argument) => withDistrict(rc, argument, VERB.districtGaps, 'gaps Everton', (id) => showGaps(rc, id)),
};

async function showGaps(rc: RouteContext, districtId: string): Promise<void> {
  await sendDistrictCard(rc, 'gaps', districtId, () => gapsCard(rc, districtId));
}

async function gapsCard(rc: RouteContext, districtId: string) {
  return renderCard(
    'gaps',
    await rc.deps.profiles.gaps(rc.requester, rc.viewer, districtId, (v) => fitsCard('gaps', v)),
  );
}

export function register(app: Application<BotState>, deps: BotDeps): void {
  registerCommand(app, deps, gapsCommand);
  registerDistrictRefresh(app, deps, 'gaps', 'gap.read', gapsCard);
  app.adaptiveCards.actionSubmit(VERB.districtGaps, async (context, state, data) =>
    guarded(deps, 'gap.read', (rc) => showGaps(rc, parseData(DistrictData, data).districtId))(context, state),
  );
}
