import type { Agency } from '../../domain/partnership.js';
import type { AgencyRepository } from '../store.js';
import { auditDocument } from './audit-events.js';
import { batchFailed, op, runBatch } from './batch.js';
import type { CosmosContext } from './context.js';
import { docId, recordToStore, type Envelope } from './documents.js';
import { pointRead, queryAll } from './reads.js';

export function agencyRepository(ctx: CosmosContext): AgencyRepository {
  return {
    async list(partnershipId) {
      return queryAll<Agency>(
        ctx.calls,
        ctx.data,
        `SELECT VALUE c.record FROM c
         WHERE c.partnershipId = @partnershipId AND c.type = 'agency'
         ORDER BY c.record.name ASC, c.id ASC`,
        [{ name: '@partnershipId', value: partnershipId }],
        partnershipId,
      );
    },

    async get(partnershipId, id) {
      const doc = await pointRead<Agency>(ctx.calls, ctx.data, docId('agency', id), partnershipId);
      return doc?.record;
    },

    async put(agency, audit) {
      const document = agencyDocument(recordToStore(agency));
      if (!audit) {
        await ctx.calls.run((options) => ctx.data.items.upsert(document, options));
        return;
      }
      // An agency added in chat: the agency and its audit event in one batch, both or neither.
      const before = await pointRead<Agency>(ctx.calls, ctx.data, document.id, agency.partnershipId);
      const event = auditDocument(
        {
          partnershipId: agency.partnershipId,
          entityType: 'agency',
          entityId: agency.id,
          before: before?.record ?? null,
          after: document.record,
        },
        audit,
        ctx.auditTtlSeconds,
      );
      const outcome = await runBatch(ctx.calls, ctx.data, agency.partnershipId, [
        op.upsert(document),
        op.create(event),
      ]);
      if (!outcome.ok) throw batchFailed(outcome);
    },
  };
}

export function agencyDocument(record: Agency): Envelope<Agency> {
  return { id: docId('agency', record.id), type: 'agency', partnershipId: record.partnershipId, record };
}
