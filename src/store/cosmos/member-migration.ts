import { ConcurrencyError, NotFoundError } from '../../domain/errors.js';
import type { Member } from '../../domain/member.js';
import { batchFailed, op, runBatch } from './batch.js';
import type { CosmosContext } from './context.js';
import {
  memberDocId,
  memberDocument,
  pointerDocument,
  readRoster,
  rosterOperation,
  type LegacyMemberDocument,
} from './member-documents.js';
import { pointRead, queryAll } from './reads.js';
import { MAX_COUNTER_ATTEMPTS, backOff, isLostRace } from './references.js';

/**
 * Moves one member from the old layout (the whole member in `members`, keyed by object id) into
 * its partnership's partition (member and roster, one batch), then turns the old document into
 * the pointer, on the etag it was read with. Every step is idempotent: any number of instances may
 * run it at once, and a run stopped half way is finished by the next. Moving is not a change to
 * the member, so it writes no audit event.
 */
export async function migrateLegacyMember(ctx: CosmosContext, legacy: LegacyMemberDocument): Promise<void> {
  const member = legacy.record;
  const pid = legacy.partnershipId;
  for (let attempt = 0; ; attempt++) {
    const [roster, existing] = await Promise.all([
      readRoster(ctx, pid),
      pointRead<Member>(ctx.calls, ctx.data, memberDocId(member.aadObjectId), pid),
    ]);
    if (existing) break;
    const outcome = await runBatch(ctx.calls, ctx.data, pid, [
      rosterOperation(pid, roster, member),
      op.create(memberDocument(member)),
    ]);
    // Moved by another instance meanwhile (its member create won): done.
    if (outcome.ok || (outcome.index === 1 && outcome.status === 409)) break;
    if (!(outcome.index === 0 && isLostRace(outcome.status)) || attempt >= MAX_COUNTER_ATTEMPTS) {
      throw batchFailed(outcome);
    }
    await backOff(attempt);
  }
  await ctx.calls
    .run(
      (options) =>
        ctx.members.item(legacy.id, legacy.id).replace(pointerDocument(member.aadObjectId, pid), {
          ...options,
          accessCondition: { type: 'IfMatch', condition: legacy._etag },
        }),
      {
        412: () => new ConcurrencyError('member', member.aadObjectId),
        404: () => new NotFoundError('member', member.aadObjectId),
      },
    )
    .catch((err: unknown) => {
      // Someone else turned it into the pointer already.
      if (!(err instanceof ConcurrencyError || err instanceof NotFoundError)) throw err;
    });
}

export interface MemberMigration {
  /** Members found in the old layout and moved. */
  moved: number;
}

/**
 * Every member still in the old layout, moved (run at start; see openCosmosStore). Once all are
 * moved, this is one indexed query that finds nothing. A few at a time, to stay within the
 * account's throughput while instances start.
 */
export async function migrateMembers(ctx: CosmosContext): Promise<MemberMigration> {
  const legacy = await queryAll<LegacyMemberDocument>(
    ctx.calls,
    ctx.members,
    `SELECT * FROM c WHERE c.type = 'member'`,
    [],
    undefined,
    ctx.slowDeadlineMs,
  );
  const queue = [...legacy];
  const workers = Array.from({ length: Math.min(4, queue.length) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await migrateLegacyMember(ctx, next);
  });
  await Promise.all(workers);
  return { moved: legacy.length };
}
