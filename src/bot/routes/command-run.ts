import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { matchCommand, runCommand, type Command } from '../command.js';
import { cardData, parseData } from '../data.js';
import type { BotDeps } from '../deps.js';
import { allowed, guarded } from '../guard.js';
import { cleanInput } from '../input.js';
import { sendNotice } from '../reply.js';
import { setRouteName } from '../route-name.js';
import type { BotState } from '../state.js';
import { VERB } from '../verbs.js';

const RunData = cardData({ text: z.string().min(1).max(300) });

/** A suggested-command button ("summary Everton", "top 10"): runs exactly as if it had been typed. */
export function register(app: Application<BotState>, deps: BotDeps, commands: () => readonly Command[]): void {
  app.adaptiveCards.actionSubmit(VERB.commandRun, async (context, state, data) =>
    guarded(deps, 'profile.read', async (rc) => {
      const { text } = cleanInput(parseData(RunData, data).text);
      const matched = matchCommand(commands(), text);
      if (!matched) {
        await sendNotice(
          context,
          { title: 'Not a command', text: 'That button is from an older card. Type help for what I can do.' },
          rc.requester.partnership.demo,
        );
        return;
      }
      setRouteName(context, matched.command.name);
      if (await allowed(rc, matched.command.permission)) await runCommand(rc, matched.command, matched.argument);
    })(context, state),
  );
}
