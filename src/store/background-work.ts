import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Work nobody is waiting on in chat (the weekly digest run, an import): a store that can rank its
 * requests (Cosmos DB's priority-based execution) sends everything done inside `fn` at low
 * priority, so that when the account is short of throughput it throttles this work before a
 * Teams turn. Marked by the caller's async context, so no store method needs a flag of its own.
 */
const background = new AsyncLocalStorage<true>();

export function asBackgroundWork<T>(fn: () => Promise<T>): Promise<T> {
  return background.run(true, fn);
}

export function isBackgroundWork(): boolean {
  return background.getStore() === true;
}
