import { randomUUID } from 'node:crypto';
import type { AuditContext, AuditEntity, AuditEvent } from '../../domain/audit.js';
import { docId, epochMs, nextSeq, type Envelope } from './documents.js';

export interface AuditChange {
  partnershipId: string;
  entityType: AuditEntity;
  entityId: string;
  before: unknown;
  after: unknown;
}

/**
 * An audit event as a `partnership-data` document. `atMs` and `seq` order the trail: by the
 * instant the caller gave, then by the order the events were written. With a retention
 * (`ttlSeconds`), the event carries an item TTL and Cosmos DB deletes it that long after it was
 * written (the container has TTL on with no default, so nothing else expires); without, it is
 * kept for ever.
 */
export function auditDocument(change: AuditChange, context: AuditContext, ttlSeconds?: number): Envelope<AuditEvent> {
  const event: AuditEvent = {
    id: randomUUID(),
    partnershipId: change.partnershipId,
    entityType: change.entityType,
    entityId: change.entityId,
    action: context.action,
    actor: context.actor,
    at: context.at,
    before: change.before ?? null,
    after: change.after ?? null,
  };
  return {
    id: docId('audit', event.id),
    type: 'audit',
    partnershipId: change.partnershipId,
    atMs: epochMs(context.at, 'audit time'),
    seq: nextSeq(),
    ...(ttlSeconds !== undefined && { ttl: ttlSeconds }),
    record: event,
  };
}
