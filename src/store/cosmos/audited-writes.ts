import type { OperationInput } from '@azure/cosmos';
import type { AuditContext, AuditEntity } from '../../domain/audit.js';
import { ConcurrencyError, NotFoundError } from '../../domain/errors.js';
import type { Stored } from '../store.js';
import { auditDocument } from './audit-events.js';
import { batchFailed, op, runBatch } from './batch.js';
import type { CosmosContext } from './context.js';
import { stampOperation } from './district-stamps.js';
import type { Envelope } from './documents.js';
import { pointRead } from './reads.js';

/** A `partnership-data` document whose every create and replace is audited. */
export interface AuditedDocument<T> {
  entity: AuditEntity;
  /** The audit trail's entity id, and the key named in errors. */
  key: string;
  partnershipId: string;
  document: Envelope<T>;
  /** The district whose version stamp the write changes (profiles, gaps, actions). */
  districtId?: string;
}

/** The stamp upserts that go last in the write's batch: the new district's, and the old one's if it moved. */
function stamps(target: AuditedDocument<unknown>, before?: unknown): OperationInput[] {
  if (target.districtId === undefined) return [];
  const ids = new Set([target.districtId]);
  const previous = (before as { districtId?: unknown } | undefined)?.districtId;
  if (typeof previous === 'string') ids.add(previous);
  return [...ids].map((id) => stampOperation(target.partnershipId, id));
}

/** Creates the document and its audit event in one batch: both are written, or neither. */
export async function createAudited<T>(
  ctx: CosmosContext,
  target: AuditedDocument<T>,
  audit: AuditContext,
): Promise<Stored<T>> {
  const { entity, key, partnershipId, document } = target;
  const event = auditDocument(
    { partnershipId, entityType: entity, entityId: key, before: null, after: document.record },
    audit,
    ctx.auditTtlSeconds,
  );
  const outcome = await runBatch(ctx.calls, ctx.data, partnershipId, [
    op.create(document),
    op.create(event),
    ...stamps(target),
  ]);
  if (outcome.ok) return { ...document.record, etag: outcome.etags[0]! };
  if (outcome.index === 0 && outcome.status === 409) throw new ConcurrencyError(entity, key);
  throw batchFailed(outcome);
}

/**
 * Creates or replaces the document, whatever is there, with the audit event holding the record
 * before (read first; null when new) and after, in one batch: both are written, or neither.
 */
export async function upsertAudited<T>(
  ctx: CosmosContext,
  target: AuditedDocument<T>,
  audit: AuditContext,
): Promise<void> {
  const { entity, key, partnershipId, document } = target;
  const before = await pointRead<T>(ctx.calls, ctx.data, document.id, partnershipId);
  const event = auditDocument(
    { partnershipId, entityType: entity, entityId: key, before: before?.record ?? null, after: document.record },
    audit,
    ctx.auditTtlSeconds,
  );
  const outcome = await runBatch(ctx.calls, ctx.data, partnershipId, [
    op.upsert(document),
    op.create(event),
    ...stamps(target, before?.record),
  ]);
  if (!outcome.ok) throw batchFailed(outcome);
}

/**
 * Replaces the document if it still has the etag the caller read, and writes the audit event
 * holding the record before and after, in one batch. The replace goes first: when its IfMatch
 * fails, the event is never written. The read before it gives the event its `before` and answers
 * a missing record or a stale etag without attempting a write.
 */
export async function replaceAudited<T>(
  ctx: CosmosContext,
  target: AuditedDocument<T>,
  ifMatch: string,
  audit: AuditContext,
): Promise<Stored<T>> {
  const { entity, key, partnershipId, document } = target;
  const current = await pointRead<T>(ctx.calls, ctx.data, document.id, partnershipId);
  if (!current) throw new NotFoundError(entity, key);
  if (current._etag !== ifMatch) throw new ConcurrencyError(entity, key);
  const event = auditDocument(
    { partnershipId, entityType: entity, entityId: key, before: current.record, after: document.record },
    audit,
    ctx.auditTtlSeconds,
  );
  const outcome = await runBatch(ctx.calls, ctx.data, partnershipId, [
    op.replace(document, ifMatch),
    op.create(event),
    ...stamps(target, current.record),
  ]);
  if (outcome.ok) return { ...document.record, etag: outcome.etags[0]! };
  if (outcome.index === 0 && outcome.status === 412) throw new ConcurrencyError(entity, key);
  if (outcome.index === 0 && outcome.status === 404) throw new NotFoundError(entity, key);
  throw batchFailed(outcome);
}
