import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { NotAMemberError } from '../../domain/errors.js';
import type { BotDeps } from '../deps.js';
import { errorSummary } from '../guard.js';
import type { BotState } from '../state.js';
import { turnFacts } from '../turn.js';

/** Someone's personal install arrived: deliver what waited for it (task cards). */
export type InstallArrived = (tenantId: string | undefined, aadObjectId: string | undefined) => Promise<unknown>;

/**
 * What a personal install sets off: the task cards that waited for it (the bot installed itself
 * for a task's owner through Graph). Teams sends both a conversationUpdate (the welcome route
 * calls this after its welcome) and an installationUpdate for it, to any instance; the cards go
 * once, whichever comes first. The membership guard has stored the new chat already.
 */
export function waitingCards(deps: BotDeps, arrived: InstallArrived): (context: TurnContext) => Promise<void> {
  return async (context) => {
    const facts = turnFacts(context);
    if (facts.conversation !== 'personal') return;
    try {
      await arrived(facts.tenantId, facts.aadObjectId);
    } catch (err) {
      if (err instanceof NotAMemberError) return;
      deps.log.warn({ activityId: facts.activityId, err: errorSummary(err) }, 'waiting task cards not delivered');
    }
  };
}

/** installationUpdate `add` (or `add-upgrade`): nothing is answered, nothing typed is read. */
export function register(app: Application<BotState>, deliver: (context: TurnContext) => Promise<void>): void {
  app.activity('installationUpdate', async (context) => {
    const action = (context.activity as { action?: unknown }).action;
    if (action === 'add' || action === 'add-upgrade') await deliver(context);
  });
}
