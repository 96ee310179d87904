import type { Partnership } from '../../domain/partnership.js';
import type { PartnershipRepository } from '../store.js';
import type { CosmosContext } from './context.js';
import { docId, recordToStore, storedOf, type Envelope } from './documents.js';
import { byText } from './order.js';
import { pointRead, queryAll } from './reads.js';

/** The partnership's own document sits in its own partition, beside everything it owns. */
export function partnershipRepository(ctx: CosmosContext): PartnershipRepository {
  return {
    async get(id) {
      const doc = await pointRead<Partnership>(ctx.calls, ctx.data, docId('partnership', id), id);
      return doc && storedOf(doc);
    },

    /** Across partitions (admin and jobs only); a handful of partnerships, sorted here by id. */
    async list() {
      const records = await queryAll<Partnership>(
        ctx.calls,
        ctx.data,
        `SELECT VALUE c.record FROM c WHERE c.type = 'partnership'`,
        [],
      );
      return records.sort(byText((p) => p.id));
    },

    async put(partnership) {
      const record = recordToStore(partnership);
      const document: Envelope<Partnership> = {
        id: docId('partnership', record.id),
        type: 'partnership',
        partnershipId: record.id,
        record,
      };
      const response = await ctx.calls.run((options) => ctx.data.items.upsert(document, options));
      return { ...record, etag: response.etag };
    },
  };
}
