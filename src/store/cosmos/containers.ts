import type { ContainerDefinition, Database } from '@azure/cosmos';
import { ConfigError } from '../../domain/errors.js';

/**
 * The three containers and why their partition keys are what they are.
 *
 * `partnership-data`, partition key `/partnershipId`. Every partnership-scoped document lives here:
 * the partnership itself, agencies, districts, profiles, gaps, actions, the reference counters,
 * audit events, board channels, job leases and digest deliveries. Each document has a `type` discriminator and an id prefixed by
 * its type (`gap:G-12`, `profile:E05000886`, `audit:<uuid>`), so kinds never collide in a partition.
 * - One partition per partnership makes a change and its audit event one TransactionalBatch, which
 *   Cosmos DB applies atomically: the replace (with IfMatch) goes first, the audit event second,
 *   so a stale etag fails the batch and writes no audit event. A create of a gap or action is
 *   also one batch: counter bump (IfMatch), the record, its audit event.
 * - The summary card's reads are a point read (the profile) and single-partition queries (a
 *   district's gaps' and actions' facts); the digest's are single-partition queries over audit events.
 * - A partnership is a few thousand documents plus its audit trail, far below the 20 GB logical
 *   partition limit for decades of use; partnerships are many, so the key spreads load well.
 *
 * `members`, partition key `/id` (the AAD object id). The first read of every turn is "who is
 * this sender?", known only by object id, so it must be a point read without knowing the
 * partnership. The price: a member change and its audit event (in `partnership-data`) are in
 * different containers and cannot share a batch; the member is written first, then its event.
 * Listing a partnership's members is a cross-partition query, off the message path (admin only).
 *
 * `conversations`, partition key `/tenantId`, id = sha256 hex of the Teams conversation id
 * (Teams ids contain `/`, `?`, `#` and run past 255 characters, none of which a Cosmos id may).
 * Checked on every turn and upserted when new, changed or a day old (services/conversation-refs.ts);
 * a user's personal chat is a single-partition query in the tenant.
 *
 * Composite indexes serve each list's stated order (Cosmos refuses ORDER BY on two properties
 * without one). The bulky parts of documents (profile bodies, audit before/after, Bot Framework
 * references) are excluded from indexing: nothing filters on them and they dominate write cost.
 * Infrastructure as code must declare the same keys and indexes (these are the source of truth).
 */
export const CONTAINERS = {
  data: {
    id: 'partnership-data',
    partitionKey: { paths: ['/partnershipId'] },
    indexingPolicy: {
      indexingMode: 'consistent',
      automatic: true,
      includedPaths: [{ path: '/*' }],
      excludedPaths: [
        { path: '/"_etag"/?' },
        { path: '/record/threat/*' },
        { path: '/record/vulnerabilities/*' },
        { path: '/record/dataSources/*' },
        { path: '/record/recommendations/*' },
        { path: '/record/before/*' },
        { path: '/record/after/*' },
        { path: '/record/onsCodes/*' },
        // Read whole by factsByDistrict, never filtered on.
        { path: '/facts/*' },
      ],
      compositeIndexes: [
        // agencies and districts: by name, then id
        [
          { path: '/record/name', order: 'ascending' },
          { path: '/id', order: 'ascending' },
        ],
        // severity ranking: rank, then district id
        [
          { path: '/rank', order: 'ascending' },
          { path: '/record/districtId', order: 'ascending' },
        ],
        // gaps and actions: reference prefix, then number (G-2 before G-10)
        [
          { path: '/refPrefix', order: 'ascending' },
          { path: '/refNumber', order: 'ascending' },
        ],
        // my tasks and overdue: due date, then reference prefix and number
        [
          { path: '/record/due', order: 'ascending' },
          { path: '/refPrefix', order: 'ascending' },
          { path: '/refNumber', order: 'ascending' },
        ],
        // audit events: by time, then the order they were written
        [
          { path: '/atMs', order: 'ascending' },
          { path: '/seq', order: 'ascending' },
        ],
        // board channels: when added, then conversation id
        [
          { path: '/addedMs', order: 'ascending' },
          { path: '/record/conversationId', order: 'ascending' },
        ],
      ],
    },
  },
  members: {
    id: 'members',
    partitionKey: { paths: ['/id'] },
    indexingPolicy: {
      indexingMode: 'consistent',
      automatic: true,
      includedPaths: [{ path: '/*' }],
      excludedPaths: [{ path: '/"_etag"/?' }],
      compositeIndexes: [
        [
          { path: '/record/displayName', order: 'ascending' },
          { path: '/id', order: 'ascending' },
        ],
      ],
    },
  },
  conversations: {
    id: 'conversations',
    partitionKey: { paths: ['/tenantId'] },
    indexingPolicy: {
      indexingMode: 'consistent',
      automatic: true,
      includedPaths: [{ path: '/*' }],
      excludedPaths: [{ path: '/"_etag"/?' }, { path: '/record/reference/*' }],
    },
  },
} as const satisfies Record<string, ContainerDefinition & { id: string; partitionKey: { paths: string[] } }>;

export type ContainerName = keyof typeof CONTAINERS;

/**
 * Creates what is missing and checks what exists. With Entra ID (data-plane RBAC) a database or
 * container cannot be created, only read: there they come from infrastructure as code, and
 * createIfNotExists finds them. A container whose partition key differs cannot serve this design.
 */
export async function ensureContainers(database: Database, options: { abortSignal: AbortSignal }): Promise<void> {
  for (const definition of Object.values(CONTAINERS)) {
    const { resource } = await database.containers.createIfNotExists(
      structuredClone(definition) as ContainerDefinition,
      options,
    );
    const actual = resource?.partitionKey?.paths?.[0];
    const expected = definition.partitionKey.paths[0];
    if (actual !== expected) {
      throw new ConfigError(
        'databaseId',
        `container ${definition.id} in database ${database.id} is partitioned by ${actual ?? 'nothing'}, not ${expected}`,
      );
    }
  }
}
