import type { DigestDelivery } from '../../domain/digest-delivery.js';
import { ConcurrencyError, NotFoundError } from '../../domain/errors.js';
import type { DigestDeliveryRepository } from '../store.js';
import { httpStatusOf } from './calls.js';
import type { CosmosContext } from './context.js';
import { docId, recordToStore, sha256Hex, storedOf, type Envelope, type ReadDocument } from './documents.js';
import { pointRead, queryAll } from './reads.js';
import { serverNow } from './server-clock.js';

/** Teams conversation ids cannot be Cosmos ids: the channel is named by its sha256 hex. */
function deliveryId(conversationId: string, week: string): string {
  return docId('delivery', `${sha256Hex(conversationId)}:${week}`);
}

function deliveryDocument(d: DigestDelivery): Envelope<DigestDelivery> {
  return {
    id: deliveryId(d.conversationId, d.week),
    type: 'delivery',
    partnershipId: d.partnershipId,
    channelKey: sha256Hex(d.conversationId),
    week: d.week,
    record: d,
  };
}

export function digestDeliveryRepository(ctx: CosmosContext): DigestDeliveryRepository {
  return {
    async get(partnershipId, conversationId, week) {
      const doc = await pointRead<DigestDelivery>(ctx.calls, ctx.data, deliveryId(conversationId, week), partnershipId);
      return doc && storedOf(doc);
    },

    async create(delivery) {
      const record = recordToStore(delivery);
      const key = `${record.conversationId} ${record.week}`;
      const response = await ctx.calls.run((options) => ctx.data.items.create(deliveryDocument(record), options), {
        409: () => new ConcurrencyError('digest delivery', key),
      });
      return { ...record, etag: response.etag };
    },

    async replace(delivery, ifMatch) {
      const record = recordToStore(delivery);
      const key = `${record.conversationId} ${record.week}`;
      const response = await ctx.calls.run(
        (options) =>
          ctx.data
            .item(deliveryId(record.conversationId, record.week), record.partnershipId)
            .replace<ReadDocument<DigestDelivery>>(deliveryDocument(record) as ReadDocument<DigestDelivery>, {
              ...options,
              accessCondition: { type: 'IfMatch', condition: ifMatch },
            }),
        {
          412: () => new ConcurrencyError('digest delivery', key),
          404: () => new NotFoundError('digest delivery', key),
        },
      );
      return { ...record, etag: response.etag };
    },

    async claim(delivery, owner, staleAfterMs) {
      if (delivery.state === 'sent') return undefined;
      // The claim's time is the server's (one small write reads it), so an instance whose clock
      // runs minutes ahead neither stamps a claim in the future nor judges a live one stale.
      const now = await serverNow(ctx, delivery.partnershipId);
      if (delivery.state === 'sending' && Date.parse(delivery.claimedAt ?? '') + staleAfterMs + 1000 > now) {
        return undefined;
      }
      const { etag, ...rest } = delivery;
      const record = recordToStore<DigestDelivery>({
        ...rest,
        state: 'sending',
        claimedBy: owner,
        claimedAt: new Date(now).toISOString(),
      });
      const response = await ctx.calls.run(async (options) => {
        try {
          return await ctx.data
            .item(deliveryId(record.conversationId, record.week), record.partnershipId)
            .replace<ReadDocument<DigestDelivery>>(deliveryDocument(record) as ReadDocument<DigestDelivery>, {
              ...options,
              accessCondition: { type: 'IfMatch', condition: etag },
            });
        } catch (err) {
          // Another instance wrote it since it was read (412), or it is gone (404): not ours.
          if ([404, 412].includes(httpStatusOf(err) ?? 0)) return undefined;
          throw err;
        }
      });
      return response ? { ...record, etag: response.etag } : undefined;
    },

    async listForChannel(partnershipId, conversationId, limit) {
      const top = Math.max(0, Math.floor(limit));
      if (top === 0) return [];
      return queryAll<DigestDelivery>(
        ctx.calls,
        ctx.data,
        `SELECT TOP ${top} VALUE c.record FROM c
         WHERE c.partnershipId = @partnershipId AND c.type = 'delivery' AND c.channelKey = @channelKey
         ORDER BY c.week DESC`,
        [
          { name: '@partnershipId', value: partnershipId },
          { name: '@channelKey', value: sha256Hex(conversationId) },
        ],
        partnershipId,
      );
    },
  };
}
