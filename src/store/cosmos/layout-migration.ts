import type { ConversationRef } from '../../domain/conversation.js';
import type { CosmosContext } from './context.js';
import { keepPersonal } from './conversation-repository.js';
import { docId } from './documents.js';
import { migrateMembers } from './member-migration.js';
import { pointRead, queryAll } from './reads.js';

/** Where the marker of a finished one-off migration lives in `conversations`. */
const MIGRATION_PARTITION = '_migrations';
const PERSONAL_REFS_DONE = docId('migration', 'personal-refs-v1');

export interface LayoutMigration {
  /** Members moved from the old layout into their partnership's partition. */
  members: number;
  /** Personal chats given their point-read document (0 once done). */
  personalChats: number;
}

/**
 * Brings data written by earlier versions into the current layout; run by every instance at
 * start, before it serves. Idempotent and safe to run from several instances at once:
 * - members: each still in the old layout is moved (member-migration.ts);
 * - personal chats: each user's newest 1:1 chat gets the document findPersonal reads, then a
 *   marker records that the whole set was done, so later starts read one document and stop.
 */
export async function migrateLayout(ctx: CosmosContext): Promise<LayoutMigration> {
  const { moved } = await migrateMembers(ctx);
  return { members: moved, personalChats: await migratePersonalChats(ctx) };
}

async function migratePersonalChats(ctx: CosmosContext): Promise<number> {
  const done = await pointRead(ctx.calls, ctx.conversations, PERSONAL_REFS_DONE, MIGRATION_PARTITION);
  if (done) return 0;
  const personal = await queryAll<ConversationRef>(
    ctx.calls,
    ctx.conversations,
    `SELECT VALUE c.record FROM c WHERE c.type = 'conversation' AND c.record.kind = 'personal'`,
    [],
    undefined,
    ctx.slowDeadlineMs,
  );
  const queue = [...personal];
  const workers = Array.from({ length: Math.min(4, queue.length) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await keepPersonal(ctx, next);
  });
  await Promise.all(workers);
  await ctx.calls.run((options) =>
    ctx.conversations.items.upsert(
      {
        id: PERSONAL_REFS_DONE,
        type: 'migration',
        tenantId: MIGRATION_PARTITION,
        record: { chats: personal.length },
      },
      options,
    ),
  );
  return personal.length;
}
