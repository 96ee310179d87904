import type { AuditEvent } from '../../domain/audit.js';
import { SYSTEM_IMPORT } from '../../domain/audit.js';
import { CHANGE_FIELDS, type AuditRepository } from '../store.js';
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

    async listChanges(partnershipId, fromIso, toIso, limit) {
      const top = Math.max(0, Math.floor(limit));
      if (top === 0) return [];
      const rows = await queryAll<AuditEvent>(
        ctx.calls,
        ctx.data,
        `SELECT TOP @top c.record.id, c.record.partnershipId, c.record.entityType, c.record.entityId,
           c.record.action, c.record.actor, c.record.at,
           ${trimmed('before')} AS before, ${trimmed('after')} AS after
         FROM c
         WHERE c.partnershipId = @partnershipId AND c.type = 'audit' AND c.atMs >= @from AND c.atMs < @to
           AND (c.record.entityType = 'gap' OR c.record.entityType = 'action') AND c.record.actor != @import
         ORDER BY c.atMs ASC, c.seq ASC`,
        [
          { name: '@partnershipId', value: partnershipId },
          { name: '@from', value: epochMs(fromIso, 'from') },
          { name: '@to', value: epochMs(toIso, 'to') },
          { name: '@import', value: SYSTEM_IMPORT },
          { name: '@top', value: top },
        ],
        partnershipId,
      );
      return rows;
    },
  };
}

/** `before` or `after` cut to the CHANGE_FIELDS on the server; null (a create's before) stays null. */
function trimmed(side: 'before' | 'after'): string {
  const fields = CHANGE_FIELDS.map((f) => `"${f}": c.record.${side}.${f}`).join(', ');
  return `(IS_NULL(c.record.${side}) ? null : { ${fields} })`;
}
