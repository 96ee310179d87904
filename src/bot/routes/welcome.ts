import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { NotAMemberError } from '../../domain/errors.js';
import { banner } from '../../domain/summary.js';
import type { BotDeps } from '../deps.js';
import { errorSummary } from '../guard.js';
import { runSuggestion, sendNamedCard } from '../reply.js';
import type { BotState } from '../state.js';
import { turnFacts } from '../turn.js';

/** Someone's personal install arrived: deliver what waited for it (task cards). */
export type InstallArrived = (tenantId: string | undefined, aadObjectId: string | undefined) => Promise<unknown>;

/**
 * When the bot is added to a chat, team or channel: what it is for and how to start. A personal
 * install (by the person, or by the bot itself through Graph for a task's owner) also delivers
 * the task cards that waited for it; Teams sends both a conversationUpdate and an
 * installationUpdate for it, to any instance, and the cards go once whichever comes first.
 */
export function register(app: Application<BotState>, deps: BotDeps, arrived?: InstallArrived): void {
  const deliverWaiting = async (context: TurnContext) => {
    const facts = turnFacts(context);
    if (!arrived || facts.conversation !== 'personal') return;
    try {
      await arrived(facts.tenantId, facts.aadObjectId);
    } catch (err) {
      if (err instanceof NotAMemberError) return;
      deps.log.warn({ activityId: facts.activityId, err: errorSummary(err) }, 'waiting task cards not delivered');
    }
  };
  app.activity('installationUpdate', async (context) => {
    const action = (context.activity as { action?: unknown }).action;
    if (action === 'add' || action === 'add-upgrade') await deliverWaiting(context);
  });

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
    await deliverWaiting(context);
  });
}
