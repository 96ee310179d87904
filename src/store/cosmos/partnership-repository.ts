import { ConcurrencyError, NotFoundError } from '../../domain/errors.js';
import type { Partnership } from '../../domain/partnership.js';
import type { PartnershipRepository } from '../store.js';
import { auditDocument } from './audit-events.js';
import { batchFailed, op, runBatch } from './batch.js';
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

    /**
     * One TransactionalBatch in the partnership's partition: the replace (IfMatch) first, so a
     * stale etag fails the batch before the audit event is written, then the event.
     */
    async replace(partnership, ifMatch, audit) {
      const record = recordToStore(partnership);
      const id = docId('partnership', record.id);
      const current = await pointRead<Partnership>(ctx.calls, ctx.data, id, record.id);
      if (!current) throw new NotFoundError('partnership', record.id);
      if (current._etag !== ifMatch) throw new ConcurrencyError('partnership', record.id);
      const document: Envelope<Partnership> = { id, type: 'partnership', partnershipId: record.id, record };
      const event = auditDocument(
        {
          partnershipId: record.id,
          entityType: 'partnership',
          entityId: record.id,
          before: current.record,
          after: record,
        },
        audit,
        ctx.auditTtlSeconds,
      );
      const outcome = await runBatch(ctx.calls, ctx.data, record.id, [op.replace(document, ifMatch), op.create(event)]);
      if (outcome.ok) return { ...record, etag: outcome.etags[0]! };
      if (outcome.index === 0 && outcome.status === 412) throw new ConcurrencyError('partnership', record.id);
      if (outcome.index === 0 && outcome.status === 404) throw new NotFoundError('partnership', record.id);
      throw batchFailed(outcome);
    },
  };
}
