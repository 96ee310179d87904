import { TeamsInfo, type TurnContext } from 'botbuilder';

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
