import type { AuditEvent } from '../../domain/audit.js';
import type { AuditRepository } from '../store.js';
import type { CosmosContext } from './context.js';
import { epochMs } from './documents.js';
import { queryAll } from './reads.js';

/** A partnership's audit trail: single-partition queries, oldest first, then in write order. */
export function auditRepository(ctx: CosmosContext): AuditRepository {
  return {
    /**
     * Ordered by the filter's properties too, which changes nothing in the result (they are equal
     * throughout) but lets Cosmos DB serve the filter and the order from one composite index
     * (containers.ts) instead of reading the partition's whole trail in time order.
     */
    async listForEntity(partnershipId, entityType, entityId) {
      return queryAll<AuditEvent>(
        ctx.calls,
        ctx.data,
        `SELECT VALUE c.record FROM c
         WHERE c.partnershipId = @partnershipId AND c.type = 'audit'
           AND c.record.entityType = @entityType AND c.record.entityId = @entityId
         ORDER BY c.record.entityType ASC, c.record.entityId ASC, c.atMs ASC, c.seq ASC`,
        [
          { name: '@partnershipId', value: partnershipId },
          { name: '@entityType', value: entityType },
          { name: '@entityId', value: entityId },
        ],
        partnershipId,
      );
    },

    /** From the instant on, inclusive. */
    async listSince(partnershipId, sinceIso, limit) {
      const top = Math.max(0, Math.floor(limit));
      if (top === 0) return [];
      return queryAll<AuditEvent>(
        ctx.calls,
        ctx.data,
        `SELECT TOP @top VALUE c.record FROM c
         WHERE c.partnershipId = @partnershipId AND c.type = 'audit' AND c.atMs >= @since
         ORDER BY c.atMs ASC, c.seq ASC`,
        [
          { name: '@partnershipId', value: partnershipId },
          { name: '@since', value: epochMs(sinceIso, 'since') },
          { name: '@top', value: top },
        ],
        partnershipId,
      );
    },
  };
}
