import type { Container, SqlParameter } from '@azure/cosmos';
import type { CosmosCalls } from './calls.js';
import type { ReadDocument } from './documents.js';

/** A point read: the cheapest read Cosmos DB has (1 RU per KB). Missing is undefined. */
export async function pointRead<T>(
  calls: CosmosCalls,
  container: Container,
  id: string,
  partitionKey: string,
): Promise<ReadDocument<T> | undefined> {
  const response = await calls.run((options) => container.item(id, partitionKey).read<ReadDocument<T>>(options));
  return response.statusCode === 404 ? undefined : response.resource;
}

/**
 * A query, to the last page. With a partition key it stays in that partition. The filter must
 * name the partition key too: the Vercel server ignores the partitionKey option and scans the
 * whole container, and in Cosmos DB the extra predicate costs nothing.
 */
export async function queryAll<R>(
  calls: CosmosCalls,
  container: Container,
  query: string,
  parameters: SqlParameter[],
  partitionKey?: string,
  deadlineMs?: number,
): Promise<R[]> {
  const response = await calls.run(
    (options) =>
      container.items
        .query<R>({ query, parameters }, partitionKey === undefined ? options : { ...options, partitionKey })
        .fetchAll(),
    {},
    deadlineMs,
  );
  return response.resources;
}
