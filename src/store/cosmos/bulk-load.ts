import type { OperationInput } from '@azure/cosmos';
import { actionFacts } from '../../domain/action.js';
import type { AuditContext, AuditEntity } from '../../domain/audit.js';
import { ImportConflictError, ValidationError } from '../../domain/errors.js';
import { gapFacts } from '../../domain/gap.js';
import { parseRef, type RefPrefix } from '../../domain/refs.js';
import type { BulkLoad } from '../store.js';
import { agencyDocument } from './agency-repository.js';
import { auditDocument } from './audit-events.js';
import { batchFailed, op, packUnits, runBatch } from './batch.js';
import type { CosmosContext } from './context.js';
import { stampOperations } from './district-stamps.js';
import { districtDocument } from './district-repository.js';
import { docId, recordToStore, type Envelope } from './documents.js';
import { profileDocument } from './profile-repository.js';
import { queryAll } from './reads.js';
import { moveCountersPast } from './references.js';
import { trackedDocument } from './tracked-repository.js';

/**
 * Batches of one load in flight at once: enough to overlap round trips, few enough that the
 * load (low priority, see background-work.ts) does not take a partition's whole throughput; the
 * SDK waits out any 429 within each batch's deadline.
 */
export const BULK_CONCURRENCY = 4;

/** Operations that land together (a record and its audit event), and the record they are about. */
interface Unit {
  operations: OperationInput[];
  /** "gap G-12": how a conflict is reported; absent for records not checked (districts, agencies). */
  checked?: string;
}

/**
 * A whole profile set into one partnership's partition. Cosmos DB has no transaction wider than
 * one batch (100 operations, 2 MB, one partition), so the load is many batches, each atomic: a
 * record and its "<entity>.imported" audit event always share a batch. Batches run a few at a
 * time. A load that fails part way leaves the batches before it written; loading again is safe.
 *
 * A record the import read while planning (`expected`) is written with IfMatch on that etag, or
 * as a create when it was not there: a record changed since is checked first (nothing written),
 * and one changed while the load runs fails its batch, which is run again without it.
 *
 * Counters move first, past the highest loaded reference, so that a create racing the load, or
 * after a load that failed, never takes a loaded number.
 */
export async function bulkLoad(
  ctx: CosmosContext,
  partnershipId: string,
  load: BulkLoad,
  audit: AuditContext,
): Promise<void> {
  // The partition is the partnership the caller named, whatever the records say.
  const own = <T extends { partnershipId: string }>(record: T): T => recordToStore({ ...record, partnershipId });
  const agencies = (load.agencies ?? []).map(own);
  const districts = load.districts.map(own);
  const profiles = load.profiles.map(own);
  const gaps = load.gaps.map(own);
  const actions = load.actions.map(own);

  const highest = new Map<RefPrefix, number>();
  for (const { ref } of [...gaps, ...actions]) {
    const parsed = parseRef(ref);
    if (!parsed || parsed.ref !== ref) throw new ValidationError(`${ref} is not a reference`, ['ref']);
    highest.set(parsed.prefix, Math.max(highest.get(parsed.prefix) ?? 0, parsed.n));
  }

  // What each record replaces, for its audit event's `before` and the etag check: one query.
  const previous = new Map<string, { record: unknown; etag: string }>();
  const existing = await queryAll<{ id: string; record: unknown; _etag: string }>(
    ctx.calls,
    ctx.data,
    `SELECT c.id, c.record, c._etag FROM c
     WHERE c.partnershipId = @partnershipId AND (c.type = 'profile' OR c.type = 'gap' OR c.type = 'action')`,
    [{ name: '@partnershipId', value: partnershipId }],
    partnershipId,
    ctx.slowDeadlineMs,
  );
  for (const doc of existing) previous.set(doc.id, { record: doc.record, etag: doc._etag });

  const expected = {
    profile: load.expected?.profiles,
    gap: load.expected?.gaps,
    action: load.expected?.actions,
  };
  const stale: string[] = [];
  const check = (entity: 'profile' | 'gap' | 'action', key: string, id: string) => {
    const wanted = expected[entity]?.get(key);
    if (wanted !== undefined && wanted !== (previous.get(id)?.etag ?? null)) stale.push(`${entity} ${key}`);
  };
  for (const p of profiles) check('profile', p.districtId, docId('profile', p.districtId));
  for (const g of gaps) check('gap', g.ref, docId('gap', g.ref));
  for (const a of actions) check('action', a.ref, docId('action', a.ref));
  if (stale.length > 0) throw new ImportConflictError(stale.sort(), false);

  await moveCountersPast(ctx, partnershipId, highest);

  const importAudit = (entity: AuditEntity): AuditContext => ({ ...audit, action: `${entity}.imported` });
  const audited = (entity: 'profile' | 'gap' | 'action', key: string, document: Envelope<unknown>): Unit => {
    const before = previous.get(document.id)?.record ?? null;
    const event = auditDocument(
      { partnershipId, entityType: entity, entityId: key, before, after: document.record },
      importAudit(entity),
      ctx.auditTtlSeconds,
    );
    const wanted = expected[entity]?.get(key);
    const write =
      wanted === undefined ? op.upsert(document) : wanted === null ? op.create(document) : op.replace(document, wanted);
    return { operations: [write, op.create(event)], checked: `${entity} ${key}` };
  };

  const units: Unit[] = [
    ...agencies.map((a) => ({ operations: [op.upsert(agencyDocument(a))] })),
    ...districts.map((d) => ({ operations: [op.upsert(districtDocument(d))] })),
    ...profiles.map((p) => audited('profile', p.districtId, profileDocument(p))),
    ...gaps.map((g) => audited('gap', g.ref, trackedDocument('gap', g, gapFacts(g)))),
    ...actions.map((a) => audited('action', a.ref, trackedDocument('action', a, actionFacts(a)))),
  ];
  // District stamps last, once every record batch has landed (batches run in parallel), so a
  // reader that sees a new stamp also sees the records it stamps; written even when some records
  // conflicted, as the others were written.
  const stamps: Unit[] = stampOperations(partnershipId, [
    ...districts.map((d) => d.id),
    ...profiles.map((p) => p.districtId),
    ...gaps.map((g) => g.districtId),
    ...actions.map((a) => a.districtId),
  ]).map((operations) => ({ operations }));
  const conflicts: string[] = [];
  for (const pass of [units, stamps]) {
    const batches = packUnits(pass, (u) => u.operations);
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        conflicts.push(...(await writeBatch(ctx, partnershipId, batch)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, batches.length) }, worker));
  }
  if (conflicts.length > 0) throw new ImportConflictError(conflicts.sort(), true);
}

/**
 * One batch; a record changed since it was read (412 on its IfMatch, 409 on its create) fails
 * the whole batch, which is run again without that record. Answers the records left out.
 * (The local Cosmos server does not roll a failed batch back; Cosmos DB does, which this relies on.)
 */
async function writeBatch(ctx: CosmosContext, partitionKey: string, batch: Unit[]): Promise<string[]> {
  const left = [...batch];
  const conflicts: string[] = [];
  while (left.length > 0) {
    const operations = left.flatMap((u) => u.operations);
    const outcome = await runBatch(ctx.calls, ctx.data, partitionKey, operations, ctx.slowDeadlineMs);
    if (outcome.ok) return conflicts;
    let at = outcome.index;
    const i = left.findIndex((u) => (at -= u.operations.length) < 0);
    const unit = left[i];
    const lost = unit?.checked !== undefined && unit.operations[0] === operations[outcome.index];
    if (!lost || (outcome.status !== 412 && outcome.status !== 409)) throw batchFailed(outcome);
    conflicts.push(unit.checked!);
    left.splice(i, 1);
  }
  return conflicts;
}
