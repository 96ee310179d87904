import { actionFacts } from '../../domain/action.js';
import { gapFacts } from '../../domain/gap.js';
import type { OperationInput } from '@azure/cosmos';
import type { AuditContext, AuditEntity } from '../../domain/audit.js';
import { ValidationError } from '../../domain/errors.js';
import { parseRef, type RefPrefix } from '../../domain/refs.js';
import type { BulkLoad } from '../store.js';
import { auditDocument } from './audit-events.js';
import type { CosmosContext } from './context.js';
import { op, writeInBatches } from './batch.js';
import { stampOperations } from './district-stamps.js';
import { districtDocument } from './district-repository.js';
import { recordToStore, type Envelope } from './documents.js';
import { profileDocument } from './profile-repository.js';
import { queryAll } from './reads.js';
import { moveCountersPast } from './references.js';
import { trackedDocument } from './tracked-repository.js';

/**
 * A whole profile set into one partnership's partition. Cosmos DB has no transaction wider than
 * one batch (100 operations, 2 MB, one partition), so the load is many batches, each atomic: a
 * record and its "<entity>.imported" audit event always share a batch. A load that fails part way
 * leaves the batches before it written; loading again is safe (records are upserted) and audits
 * the second pass too.
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

  // What each record replaces, for its audit event's `before`: one query, not a read per record.
  const previous = new Map<string, unknown>();
  const existing = await queryAll<{ id: string; record: unknown }>(
    ctx.calls,
    ctx.data,
    `SELECT c.id, c.record FROM c
     WHERE c.partnershipId = @partnershipId AND (c.type = 'profile' OR c.type = 'gap' OR c.type = 'action')`,
    [{ name: '@partnershipId', value: partnershipId }],
    partnershipId,
    ctx.slowDeadlineMs,
  );
  for (const doc of existing) previous.set(doc.id, doc.record);

  await moveCountersPast(ctx, partnershipId, highest);

  const importAudit = (entity: AuditEntity): AuditContext => ({ ...audit, action: `${entity}.imported` });
  const audited = (entity: AuditEntity, entityId: string, document: Envelope<unknown>): OperationInput[] => {
    const before = previous.get(document.id) ?? null;
    previous.set(document.id, document.record);
    const event = auditDocument(
      { partnershipId, entityType: entity, entityId, before, after: document.record },
      importAudit(entity),
    );
    return [op.upsert(document), op.create(event)];
  };

  const units: OperationInput[][] = [
    ...districts.map((d) => [op.upsert(districtDocument(d))]),
    ...profiles.map((p) => audited('profile', p.districtId, profileDocument(p))),
    ...gaps.map((g) => audited('gap', g.ref, trackedDocument('gap', g, gapFacts(g)))),
    ...actions.map((a) => audited('action', a.ref, trackedDocument('action', a, actionFacts(a)))),
    // Last, after the records they stamp.
    ...stampOperations(partnershipId, [
      ...districts.map((d) => d.id),
      ...profiles.map((p) => p.districtId),
      ...gaps.map((g) => g.districtId),
      ...actions.map((a) => a.districtId),
    ]),
  ];
  await writeInBatches(ctx, partnershipId, units);
}
