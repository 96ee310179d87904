import type { CosmosContext } from './context.js';
import { docId, type Envelope, type ReadDocument } from './documents.js';

/**
 * The Cosmos DB server's time, in epoch milliseconds (whole seconds: `_ts` has no finer grain),
 * read by writing one small document in the partition and reading back the `_ts` the server gave
 * it. Leases and delivery claims are judged by this, never by an instance's clock: instances'
 * clocks disagree by minutes, the server's is one clock for them all.
 */
export async function serverNow(ctx: CosmosContext, partnershipId: string): Promise<number> {
  const doc: Envelope<Record<string, never>> = { id: docId('clock', 'now'), type: 'clock', partnershipId, record: {} };
  const response = await ctx.calls.run((options) => ctx.data.items.upsert(doc, options));
  return tsMs(response.resource as ReadDocument<Record<string, never>> | undefined);
}

/** A document's last write by the server's clock, in epoch milliseconds. */
export function tsMs(doc: { _ts?: number } | undefined): number {
  if (typeof doc?._ts !== 'number') throw new Error('Cosmos DB returned a document without _ts');
  return doc._ts * 1000;
}
