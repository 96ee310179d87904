import type { JobLease } from '../../domain/digest-delivery.js';
import type { JobLeaseRepository, Stored } from '../store.js';
import { httpStatusOf } from './calls.js';
import type { CosmosContext } from './context.js';
import { docId, storedOf, type Envelope, type ReadDocument } from './documents.js';
import { pointRead } from './reads.js';

/** A lease lives in its partnership's partition; every write is conditional on what was read. */
function leaseDocument(lease: JobLease): Envelope<JobLease> {
  return { id: docId('lease', lease.name), type: 'lease', partnershipId: lease.partnershipId, record: lease };
}

function expiry(now: Date, ttlMs: number): string {
  return new Date(now.getTime() + ttlMs).toISOString();
}

/** 409 on create, 412 on an IfMatch write: another instance wrote first, so the lease is not ours. */
const LOST = new Set([404, 409, 412]);

export function jobLeaseRepository(ctx: CosmosContext): JobLeaseRepository {
  async function conditional(
    write: (options: { abortSignal: AbortSignal }) => Promise<{ resource?: ReadDocument<JobLease> | undefined }>,
  ): Promise<Stored<JobLease> | undefined> {
    const response = await ctx.calls.run(async (options) => {
      try {
        return await write(options);
      } catch (err) {
        if (LOST.has(httpStatusOf(err) ?? 0)) return undefined;
        throw err;
      }
    });
    return response?.resource ? storedOf(response.resource) : undefined;
  }

  function replace(current: ReadDocument<JobLease>, next: JobLease) {
    return conditional((options) =>
      ctx.data
        .item(current.id, next.partnershipId)
        .replace<ReadDocument<JobLease>>(leaseDocument(next) as ReadDocument<JobLease>, {
          ...options,
          accessCondition: { type: 'IfMatch', condition: current._etag },
        }),
    );
  }

  return {
    async acquire(partnershipId, name, owner, now, ttlMs) {
      const next: JobLease = { partnershipId, name, owner, expiresAt: expiry(now, ttlMs) };
      const current = await pointRead<JobLease>(ctx.calls, ctx.data, docId('lease', name), partnershipId);
      if (!current) {
        return conditional(
          (options) =>
            ctx.data.items.create<Envelope<JobLease>>(leaseDocument(next), options) as Promise<{
              resource?: ReadDocument<JobLease>;
            }>,
        );
      }
      const held = current.record.owner !== owner && Date.parse(current.record.expiresAt) > now.getTime();
      return held ? undefined : replace(current, next);
    },

    async renew(lease, now, ttlMs) {
      const { etag, ...record } = lease;
      const next: JobLease = { ...record, expiresAt: expiry(now, ttlMs) };
      return replace({ ...leaseDocument(record), _etag: etag }, next);
    },

    async release(lease) {
      await conditional(async (options) => {
        await ctx.data.item(docId('lease', lease.name), lease.partnershipId).delete({
          ...options,
          accessCondition: { type: 'IfMatch', condition: lease.etag },
        });
        return {};
      });
    },
  };
}
