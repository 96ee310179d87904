import type { Agency } from '../../domain/partnership.js';
import type { AgencyRepository } from '../store.js';
import { upsertAudited } from './audited-writes.js';
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
      await upsertAudited(
        ctx,
        { entity: 'agency', key: agency.id, partnershipId: agency.partnershipId, document },
        audit,
      );
    },
  };
}

export function agencyDocument(record: Agency): Envelope<Agency> {
  return { id: docId('agency', record.id), type: 'agency', partnershipId: record.partnershipId, record };
}
