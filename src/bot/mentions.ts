import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Named } from '../domain/member-lookup.js';

/** A person @mentioned in the message: the name Teams showed, and their Entra object id when Teams told us. */
export interface MentionedPerson {
  name: string;
  aadObjectId?: string;
}

/**
 * The people a message @mentions, other than the bot. A mention carries the person's Teams id
 * (29:…) and name, not their Entra object id; Teams is asked for that (TeamsInfo.getMember), and
 * where it cannot say (a 1:1 chat with someone not in it, a connector that refuses) the name
 * alone is returned, for the caller to match among the partnership's members.
 */
export async function mentionedPeople(context: TurnContext): Promise<MentionedPerson[]> {
  const botId = context.activity.recipient?.id;
  const mentions = (context.activity.entities ?? []).filter(
    (e): e is typeof e & { mentioned: { id: string; name?: string } } =>
      e.type === 'mention' &&
      typeof (e.mentioned as { id?: unknown } | undefined)?.id === 'string' &&
      (e.mentioned as { id: string }).id !== botId,
  );
  return Promise.all(
    mentions.slice(0, 5).map(async (m) => {
      const name = (m.mentioned.name ?? '').trim();
      try {
        const account = await TeamsInfo.getMember(context, m.mentioned.id);
        return account.aadObjectId ? { name, aadObjectId: account.aadObjectId.toLowerCase() } : { name };
      } catch {
        return { name };
      }
    }),
  );
}

const GUID = /^[0-9a-f][0-9a-f-]{30,38}[0-9a-f]$/i;

/**
 * Who a command names. An @mention Teams resolved to an Entra object id is exact; otherwise the
 * name typed (or shown in the mention) is to be matched among the partnership's members.
 */
export async function personNamed(context: TurnContext, typed: string): Promise<Named> {
  const text = typed.trim().replace(/^@/, '');
  const mentions = await mentionedPeople(context);
  const mention =
    mentions.find((m) => m.name.toLowerCase() === text.toLowerCase()) ??
    (mentions.length === 1 ? mentions[0] : undefined);
  if (mention?.aadObjectId) return { aadObjectId: mention.aadObjectId };
  if (GUID.test(text)) return { aadObjectId: text };
  return { displayName: mention?.name || text };
}
