import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { NotAMemberError } from '../../domain/errors.js';
import { banner } from '../../domain/summary.js';
import type { BotDeps } from '../deps.js';
import { runSuggestion, sendNamedCard } from '../reply.js';
import type { BotState } from '../state.js';
import { turnFacts } from '../turn.js';

/**
 * When the bot is added to a chat, team or channel: what it is for and how to start; then
 * `afterWelcome` (a personal install delivers the task cards that waited for it, app-installed.ts).
 */
export function register(
  app: Application<BotState>,
  deps: BotDeps,
  afterWelcome?: (context: TurnContext) => Promise<void>,
): void {
  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    if (!context.activity.membersAdded?.some((m) => m.id === botId)) return;
    const facts = turnFacts(context);
    let memberText = '';
    let demo = false;
    try {
      const { member, partnership } = await deps.membership.resolve(facts.aadObjectId, facts.tenantId);
      demo = partnership.demo;
      memberText = `You are set up in ${partnership.name}, ${member.roles.join(' and ')}.`;
    } catch (err) {
      if (!(err instanceof NotAMemberError)) throw err;
      memberText = 'To use me you need to be added as a member of your partnership: ask your partnership admin.';
    }
    await sendNamedCard(context, 'welcome', {
      banner: banner('OFFICIAL', demo),
      memberText,
      suggestions: [runSuggestion('help'), runSuggestion('top 10')],
    });
    await afterWelcome?.(context);
  });
}
