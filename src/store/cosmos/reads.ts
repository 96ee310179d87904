import type { Container, SqlParameter } from '@azure/cosmos';
import type { CosmosCalls } from './calls.js';
import type { ReadDocument } from './documents.js';

/** Items per query page: Cosmos DB's own default, stated so the page count is predictable. */
export const QUERY_PAGE_SIZE = 100;

/** A point read: the cheapest read Cosmos DB has (1 RU per KB). Missing is undefined. */
export async function pointRead<T>(
  calls: CosmosCalls,
  container: Container,
  id: string,
  partitionKey: string,
): Promise<ReadDocument<T> | undefined> {
  const response = await calls.run((options) => container.item(id, partitionKey).read<ReadDocument<T>>(options));
  if (response.statusCode === 404) return undefined;
  calls.meter.documentsRead += 1;
  return response.resource;
}

/**
 * A query, to the last page. With a partition key it stays in that partition. The filter must
 * name the partition key too: the Vercel server ignores the partitionKey option and scans the
 * whole container, and in Cosmos DB the extra predicate costs nothing.
 *
 * Page by page, each page a request with its own deadline (see CosmosCalls): one iterator, whose
 * abort signal is pulled by whichever page runs out of time.
 */
export async function queryAll<R>(
  calls: CosmosCalls,
  container: Container,
  query: string,
  parameters: SqlParameter[],
  partitionKey?: string,
  deadlineMs?: number,
): Promise<R[]> {
  const abort = new AbortController();
  const iterator = container.items.query<R>(
    { query, parameters },
    {
      ...calls.requestOptions(),
      abortSignal: abort.signal,
      maxItemCount: QUERY_PAGE_SIZE,
      ...(partitionKey === undefined ? {} : { partitionKey }),
    },
  );
  const out: R[] = [];
  do {
    const page = await calls.run(
      (options) => {
        options.abortSignal.addEventListener('abort', () => abort.abort(), { once: true });
        return iterator.fetchNext();
      },
      {},
      deadlineMs,
    );
    calls.meter.documentsRead += page.resources.length;
    out.push(...page.resources);
  } while (iterator.hasMoreResults());
  return out;
}
