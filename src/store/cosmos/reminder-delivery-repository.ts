import { ConcurrencyError, NotFoundError } from '../../domain/errors.js';
import type { ReminderDelivery } from '../../domain/reminder-delivery.js';
import type { ReminderDeliveryRepository, Stored } from '../store.js';
import { httpStatusOf } from './calls.js';
import type { CosmosContext } from './context.js';
import { docId, recordToStore, storedOf, type Envelope, type ReadDocument } from './documents.js';
import { pointRead } from './reads.js';
import { serverNow } from './server-clock.js';

/** Keys are letters, digits, `-` and `:` (reminderKey), all of which a Cosmos id may hold. */
function reminderId(key: string): string {
  return docId('reminder', key);
}

function reminderDocument(d: ReminderDelivery): Envelope<ReminderDelivery> {
  return { id: reminderId(d.key), type: 'reminder', partnershipId: d.partnershipId, record: d };
}

/**
 * Reminder records in the partnership's partition: every call is a point read or a write by id
 * (no queries). A claim costs one small write for the server's time, then a create (or, when the
 * key has a record, a point read and a conditional replace).
 */
export function reminderDeliveryRepository(ctx: CosmosContext): ReminderDeliveryRepository {
  const read = async (partnershipId: string, key: string) => {
    const doc = await pointRead<ReminderDelivery>(ctx.calls, ctx.data, reminderId(key), partnershipId);
    return doc && storedOf(doc);
  };

  /** Writes `record` as created (no etag) or as replacing `etag`; undefined when another write won. */
  const write = async (record: ReminderDelivery, etag?: string): Promise<Stored<ReminderDelivery> | undefined> => {
    const response = await ctx.calls.run(async (options) => {
      try {
        if (etag === undefined) return await ctx.data.items.create(reminderDocument(record), options);
        return await ctx.data
          .item(reminderId(record.key), record.partnershipId)
          .replace<ReadDocument<ReminderDelivery>>(reminderDocument(record) as ReadDocument<ReminderDelivery>, {
            ...options,
            accessCondition: { type: 'IfMatch', condition: etag },
          });
      } catch (err) {
        // Created by another instance first (409), written since it was read (412), or gone (404).
        if ([404, 409, 412].includes(httpStatusOf(err) ?? 0)) return undefined;
        throw err;
      }
    });
    return response?.etag ? { ...record, etag: response.etag } : undefined;
  };

  return {
    get: read,

    async claim(delivery, owner, staleAfterMs) {
      // The claim's time is the server's, so an instance whose clock runs ahead neither stamps a
      // claim in the future nor judges a live one stale.
      const now = await serverNow(ctx, delivery.partnershipId);
      const claimed = (d: ReminderDelivery) =>
        recordToStore<ReminderDelivery>({
          ...d,
          state: 'sending',
          claimedBy: owner,
          claimedAt: new Date(now).toISOString(),
        });
      const existing = await read(delivery.partnershipId, delivery.key);
      if (!existing) return write(claimed(recordToStore(delivery)));
      if (existing.state === 'sent') return undefined;
      // `_ts` has whole seconds: a second's margin so a claim is never judged stale early.
      if (existing.state === 'sending' && Date.parse(existing.claimedAt ?? '') + staleAfterMs + 1000 > now) {
        return undefined;
      }
      const { etag, ...rest } = existing;
      return write(claimed(rest), etag);
    },

    async replace(delivery, ifMatch) {
      const record = recordToStore(delivery);
      const response = await ctx.calls.run(
        (options) =>
          ctx.data
            .item(reminderId(record.key), record.partnershipId)
            .replace<ReadDocument<ReminderDelivery>>(reminderDocument(record) as ReadDocument<ReminderDelivery>, {
              ...options,
              accessCondition: { type: 'IfMatch', condition: ifMatch },
            }),
        {
          412: () => new ConcurrencyError('reminder delivery', record.key),
          404: () => new NotFoundError('reminder delivery', record.key),
        },
      );
      return { ...record, etag: response.etag };
    },
  };
}
