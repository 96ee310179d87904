import type { Application } from '@microsoft/teams-ai';
import { distance } from 'fastest-levenshtein';
import type { Command } from '../command.js';
import type { BotDeps } from '../deps.js';
import { guarded } from '../guard.js';
import { runSuggestion, sendNotice, type Suggestion } from '../reply.js';
import type { BotState } from '../state.js';
import { ownExample } from '../own-example.js';

/** The nearest commands to what was typed: a mistyped command word, or a bare district name. */
export async function suggestionsFor(
  commands: readonly Command[],
  text: string,
  findDistrict: (q: string) => Promise<string | undefined>,
): Promise<Suggestion[]> {
  const space = text.indexOf(' ');
  const word = (space < 0 ? text : text.slice(0, space)).toLowerCase();
  const tail = space < 0 ? '' : text.slice(space + 1);
  const out: string[] = [];
  for (const c of commands) {
    const near = c.keywords.some((k) => distance(word, k) <= (k.length <= 4 ? 1 : 2));
    if (near) out.push(tail ? `${c.keywords[0]} ${tail}` : c.example);
  }
  const district = text.length >= 3 ? await findDistrict(text) : undefined;
  if (district) out.push(`summary ${district}`, `gaps ${district}`);
  for (const fallback of ['help', 'top 10']) if (out.length < 3) out.push(fallback);
  return [...new Set(out)].slice(0, 3).map(runSuggestion);
}

/** Registered last: whatever no route took. Says so, and offers the nearest commands. */
export function register(app: Application<BotState>, deps: BotDeps, commands: () => readonly Command[]): void {
  app.activity(
    'message',
    guarded(deps, 'profile.read', async (rc) => {
      const text = rc.context.activity.text ?? '';
      const demo = rc.requester.partnership.demo;
      if (text === '') {
        const isSubmit = rc.context.activity.value !== undefined;
        await sendNotice(
          rc.context,
          {
            title: isSubmit ? 'That button no longer works' : 'I read text commands',
            text: isSubmit
              ? 'That button is from a card I no longer understand. Type help for what I can do.'
              : await ownExample(rc, 'Type a command such as summary Everton, or help for the list.'),
          },
          demo,
        );
        return;
      }
      const suggestions = await suggestionsFor(commands(), text, async (q) => {
        const match = await rc.deps.directory.find(rc.requester.partnership.id, q);
        return match.kind === 'exact' || match.kind === 'corrected' ? match.district.name : undefined;
      });
      await sendNotice(
        rc.context,
        {
          title: "Sorry, I didn't understand that",
          text: 'Did you mean one of these? Type help for everything I can do.',
          echo: text,
          suggestions,
        },
        demo,
      );
    }),
  );
}
