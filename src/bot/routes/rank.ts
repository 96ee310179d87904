import type { Application } from '@microsoft/teams-ai';
import { registerCommand, type Command } from '../command.js';
import type { BotDeps } from '../deps.js';
import { sendNamedCard } from '../reply.js';
import type { BotState } from '../state.js';
import { RANKING_MAX } from '../../services/district-profiles.js';

const DEFAULT_TOP = 10;

export const rankCommand: Command = {
  name: 'rank',
  keywords: ['rank', 'ranking', 'top'],
  usage: 'rank  ·  top 10  ·  rank by severity',
  description: `Districts ordered by crime severity score, with each one's move since the last review (up to ${RANKING_MAX}).`,
  example: 'top 10',
  permission: 'profile.read',
  patterns: [
    /^(?:rank(?:ing)?|top|highest\s+harm)(?:\s+(?:districts?|wards?))?(?:\s+by\s+(?:crime\s+)?severity)?(?:\s+(\d{1,4}))?$/i,
  ],
  run: async (rc, argument) => {
    const asked = argument ? Number(argument) : DEFAULT_TOP;
    const view = await rc.deps.profiles.ranking(rc.requester, asked);
    const capped = asked > RANKING_MAX ? ` A card shows at most ${RANKING_MAX}.` : '';
    await sendNamedCard(rc.context, 'rank', { ...view, subtitle: `${view.subtitle}${capped}` });
  },
};

export function register(app: Application<BotState>, deps: BotDeps): void {
  registerCommand(app, deps, rankCommand);
}
