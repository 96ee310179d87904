import {
  BulkOperationType,
  type Container,
  type JSONObject,
  type OperationInput,
  type PartitionKey,
} from '@azure/cosmos';
import { StoreUnavailableError } from '../../domain/errors.js';
import type { CosmosCalls } from './calls.js';
import type { CosmosContext } from './context.js';
import type { Envelope } from './documents.js';

/** Cosmos DB's limit on operations in one transactional batch. */
export const MAX_BATCH_OPERATIONS = 100;

/** Batch operations on our documents (the SDK types bodies as JSON; ours are JSON by construction). */
export const op = {
  create: (document: Envelope<unknown>): OperationInput => ({
    operationType: BulkOperationType.Create,
    resourceBody: document as JSONObject,
  }),
  upsert: (document: Envelope<unknown>): OperationInput => ({
    operationType: BulkOperationType.Upsert,
    resourceBody: document as JSONObject,
  }),
  delete: (id: string): OperationInput => ({ operationType: BulkOperationType.Delete, id }),
  replace: (document: Envelope<unknown>, ifMatch: string): OperationInput => ({
    operationType: BulkOperationType.Replace,
    id: document.id,
    resourceBody: document as JSONObject,
    ifMatch,
  }),
};

export type BatchOutcome =
  | { ok: true; etags: string[] }
  /** The operation that failed (its index) and its status; the others report 424. */
  | { ok: false; index: number; status: number };

/**
 * Runs operations on one logical partition as a TransactionalBatch: in Cosmos DB all of them
 * apply or none does.
 *
 * The outcome is read per operation, never from the response's status alone: a failed batch
 * answers 200 (the Vercel server) or 207 (Cosmos DB) with the failing operation's own status and
 * 424 for the rest. Every operation also carries its partition key, which Cosmos DB allows and the
 * Vercel server requires (it reads the key per operation). The Vercel server does not roll back
 * the operations before a failed one; callers put the operation that may fail first.
 */
export async function runBatch(
  calls: CosmosCalls,
  container: Container,
  partitionKey: string,
  operations: OperationInput[],
  deadlineMs?: number,
): Promise<BatchOutcome> {
  if (operations.length > MAX_BATCH_OPERATIONS) {
    throw new RangeError(`a batch holds at most ${MAX_BATCH_OPERATIONS} operations`);
  }
  const withKeys = operations.map((op) => ({ ...op, partitionKey }) as OperationInput);
  const response = await calls.run(
    (options) => container.items.batch(withKeys, partitionKey as PartitionKey, options),
    {},
    deadlineMs,
  );
  const results = response.result ?? [];
  if (results.length !== operations.length) {
    throw new StoreUnavailableError(new Error(`batch answered ${results.length} of ${operations.length} operations`));
  }
  const failed = results.findIndex((r) => r.statusCode >= 400 && r.statusCode !== 424);
  if (failed >= 0) return { ok: false, index: failed, status: results[failed]!.statusCode };
  if (results.some((r) => r.statusCode >= 400)) return { ok: false, index: 0, status: 424 };
  return { ok: true, etags: results.map((r) => r.eTag ?? '') };
}

/** Cosmos DB refuses a batch over 2 MB; stay well under it, leaving room for headers. */
export const MAX_BATCH_BYTES = 1_500_000;

/**
 * Packs units (operations that must land together, e.g. a record and its audit event) into as
 * few batches as the limits allow, in order. A unit is never split across batches.
 */
export function packBatches(units: readonly OperationInput[][]): OperationInput[][] {
  return packUnits(units, (unit) => unit).map((batch) => batch.flat());
}

/** packBatches for units that carry more than their operations: each batch as its units. */
export function packUnits<U>(units: readonly U[], operationsOf: (unit: U) => readonly OperationInput[]): U[][] {
  const batches: U[][] = [];
  let current: U[] = [];
  let count = 0;
  let bytes = 0;
  for (const unit of units) {
    const operations = operationsOf(unit);
    const unitBytes = Buffer.byteLength(JSON.stringify(operations), 'utf8');
    if (
      current.length > 0 &&
      (count + operations.length > MAX_BATCH_OPERATIONS || bytes + unitBytes > MAX_BATCH_BYTES)
    ) {
      batches.push(current);
      current = [];
      count = 0;
      bytes = 0;
    }
    current.push(unit);
    count += operations.length;
    bytes += unitBytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export function batchFailed(outcome: Extract<BatchOutcome, { ok: false }>): StoreUnavailableError {
  return new StoreUnavailableError(new Error(`batch operation ${outcome.index} failed with status ${outcome.status}`));
}

/**
 * Writes units of operations on one partition in as few batches as the limits allow, one after
 * another. Each batch is atomic; the whole is not (Cosmos DB has nothing wider).
 */
export async function writeInBatches(
  ctx: CosmosContext,
  partitionKey: string,
  units: readonly OperationInput[][],
): Promise<void> {
  for (const operations of packBatches(units)) {
    const outcome = await runBatch(ctx.calls, ctx.data, partitionKey, operations, ctx.slowDeadlineMs);
    if (!outcome.ok) throw batchFailed(outcome);
  }
}
