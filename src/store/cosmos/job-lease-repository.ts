import type { JobLease } from '../../domain/digest-delivery.js';
import type { JobLeaseRepository, Stored } from '../store.js';
import { httpStatusOf } from './calls.js';
import type { CosmosContext } from './context.js';
import { docId, type Envelope, type ReadDocument } from './documents.js';
import { pointRead } from './reads.js';
import { serverNow, tsMs } from './server-clock.js';

/** A lease lives in its partnership's partition; every write is conditional on what was read. */
function leaseDocument(lease: JobLease): Envelope<JobLease> {
  return { id: docId('lease', lease.name), type: 'lease', partnershipId: lease.partnershipId, record: lease };
}

/** The lease as the server last wrote it: `renewedAt` is its `_ts`, the server's clock. */
function leaseOf(doc: ReadDocument<JobLease>): Stored<JobLease> {
  return { ...doc.record, renewedAt: new Date(tsMs(doc)).toISOString(), etag: doc._etag };
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
    return response?.resource ? leaseOf(response.resource) : undefined;
  }

  function replace(etag: string, next: JobLease) {
    return conditional((options) =>
      ctx.data
        .item(docId('lease', next.name), next.partnershipId)
        .replace<ReadDocument<JobLease>>(leaseDocument(next) as ReadDocument<JobLease>, {
          ...options,
          accessCondition: { type: 'IfMatch', condition: etag },
        }),
    );
  }

  return {
    async acquire(partnershipId, name, owner, ttlMs) {
      // `renewedAt` is written as a placeholder; what is read back is the server's `_ts`.
      const next: JobLease = { partnershipId, name, owner, ttlMs, renewedAt: new Date(0).toISOString() };
      const current = await pointRead<JobLease>(ctx.calls, ctx.data, docId('lease', name), partnershipId);
      if (!current) {
        return conditional(
          (options) =>
            ctx.data.items.create<Envelope<JobLease>>(leaseDocument(next), options) as Promise<{
              resource?: ReadDocument<JobLease>;
            }>,
        );
      }
      if (current.record.owner !== owner) {
        // Held by another: only the server's clock says whether its holder stopped renewing it.
        // `_ts` counts whole seconds: one more second keeps a lease from lapsing early.
        const ttl = current.record.ttlMs ?? ttlMs;
        if (tsMs(current) + ttl + 1000 > (await serverNow(ctx, partnershipId))) return undefined;
      }
      return replace(current._etag, next);
    },

    async renew(lease) {
      const { etag, ...record } = lease;
      return replace(etag, record);
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
