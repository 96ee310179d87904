import type { OperationInput } from '@azure/cosmos';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyError } from '../../domain/errors.js';
import type { RefPrefix } from '../../domain/refs.js';
import { batchFailed, op, runBatch } from './batch.js';
import type { CosmosContext } from './context.js';
import { docId, type Envelope } from './documents.js';
import { pointRead } from './reads.js';

/**
 * Reference numbers (G-n, PREP-n, …): one counter document per prefix per partnership, holding
 * the last number given. It moves by read, then replace with IfMatch; whoever loses the race gets
 * 412 and reads again. Numbers are never reused; one may be skipped when a create fails after the
 * counter moved (only possible where batches are not atomic, i.e. the Vercel server).
 */
export interface Counter {
  prefix: RefPrefix;
  last: number;
}

export interface CounterState {
  last: number;
  /** Absent when the partnership has not used the prefix yet. */
  etag?: string;
}

/** Racing writers retry; this many losses in a row means something is wrong, not just busy. */
export const MAX_COUNTER_ATTEMPTS = 30;

export async function readCounter(ctx: CosmosContext, partnershipId: string, prefix: RefPrefix): Promise<CounterState> {
  const doc = await pointRead<Counter>(ctx.calls, ctx.data, docId('counter', prefix), partnershipId);
  return doc ? { last: doc.record.last, etag: doc._etag } : { last: 0 };
}

/** The batch operation that sets the counter to `last`: a create if none exists, else IfMatch. */
export function counterOperation(
  partnershipId: string,
  prefix: RefPrefix,
  last: number,
  current: CounterState,
): OperationInput {
  const document: Envelope<Counter> = {
    id: docId('counter', prefix),
    type: 'counter',
    partnershipId,
    record: { prefix, last },
  };
  return current.etag === undefined ? op.create(document) : op.replace(document, current.etag);
}

/** A lost race (412 on replace, 409 on a first create) waits a little, more on each loss. */
export function isLostRace(status: number): boolean {
  return status === 412 || status === 409;
}

export async function backOff(attempt: number): Promise<void> {
  await sleep(Math.random() * 10 * Math.min(attempt + 1, 10));
}

/** After a load, each counter is at least the highest number loaded, so `create` never reuses one. */
export async function moveCountersPast(
  ctx: CosmosContext,
  partnershipId: string,
  highest: ReadonlyMap<RefPrefix, number>,
): Promise<void> {
  for (const [prefix, n] of highest) {
    for (let attempt = 0; ; attempt++) {
      if (attempt === MAX_COUNTER_ATTEMPTS) throw new ConcurrencyError('reference counter', prefix);
      const current = await readCounter(ctx, partnershipId, prefix);
      if (current.last >= n) break;
      const outcome = await runBatch(ctx.calls, ctx.data, partnershipId, [
        counterOperation(partnershipId, prefix, n, current),
      ]);
      if (outcome.ok) break;
      if (!isLostRace(outcome.status)) throw batchFailed(outcome);
      await backOff(attempt);
    }
  }
}
