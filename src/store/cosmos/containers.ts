import type { ContainerDefinition, Database } from '@azure/cosmos';
import { ConfigError } from '../../domain/errors.js';

/**
 * The three containers and why their partition keys are what they are.
 *
 * `partnership-data`, partition key `/partnershipId`. Every partnership-scoped document lives here:
 * the partnership itself, agencies, districts, profiles, gaps, actions, the reference counters,
 * audit events, board channels, job leases, digest deliveries and reminder deliveries. Each document has a `type` discriminator and an id prefixed by
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
 * Members live in `partnership-data` too, in their partnership's partition, beside their audit
 * events: a role grant, revocation, deactivation or import of a member is one batch of the roster
 * (IfMatch), the member and its audit event, so a change never stands without its event. The
 * roster (`roster:members`) holds every member of the partnership in list order, so `my tasks`,
 * `overdue`, assigning and task card views read the partnership's people with one point read.
 * See member-documents.ts.
 *
 * `members`, partition key `/id` (the AAD object id): a small pointer per member, object id →
 * partnership. The first read of every turn is "who is this sender?", known only by object id:
 * a point read of the pointer, then a point read of the member in its partnership's partition.
 * (Before, the whole member lived here; layout-migration.ts moves such documents at start.)
 *
 * `conversations`, partition key `/tenantId`, id = sha256 hex of the Teams conversation id
 * (Teams ids contain `/`, `?`, `#` and run past 255 characters, none of which a Cosmos id may).
 * Checked on every turn and upserted when new, changed or a day old (services/conversation-refs.ts);
 * a user's personal chat is a point read of `personal:<object id>` in the tenant's partition, kept
 * on the newest of their 1:1 chats (conversation-repository.ts), never a query.
 *
 * Composite indexes serve each list's stated order (Cosmos refuses ORDER BY on two properties
 * without one). The bulky parts of documents (profile bodies, audit before/after, Bot Framework
 * references) are excluded from indexing: nothing filters on them and they dominate write cost.
 * Infrastructure as code must declare the same keys and indexes (these are the source of truth);
 * at start, each container's indexing policy is compared with these and a difference is logged as
 * an error (indexingPolicyDifferences).
 *
 * Retention: `partnership-data` has TTL on with no default (`defaultTtl: -1`): nothing expires
 * unless it carries its own `ttl`. Audit events carry one when a retention is configured
 * (AUDIT_RETENTION_DAYS); by default they are kept for ever.
 */
export const CONTAINERS = {
  data: {
    id: 'partnership-data',
    partitionKey: { paths: ['/partnershipId'] },
    defaultTtl: -1,
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
        // a district's gaps and actions (listByDistrict, factsByDistrict): the district, then as above
        [
          { path: '/record/districtId', order: 'ascending' },
          { path: '/refPrefix', order: 'ascending' },
          { path: '/refNumber', order: 'ascending' },
        ],
        // an entity's history (audit listForEntity): the filter's properties first, then time and
        // write order, as the query orders by them all, so it reads only that entity's events
        [
          { path: '/record/entityType', order: 'ascending' },
          { path: '/record/entityId', order: 'ascending' },
          { path: '/atMs', order: 'ascending' },
          { path: '/seq', order: 'ascending' },
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

/** What indexingPolicyDifferences compares: a container definition as declared or as read. */
interface PolicyView {
  defaultTtl?: number | null;
  indexingPolicy?: {
    indexingMode?: string;
    automatic?: boolean;
    includedPaths?: { path?: string }[];
    excludedPaths?: { path?: string }[];
    compositeIndexes?: readonly (readonly { path?: string; order?: string }[])[];
  };
}

function pathsOf(paths: { path?: string }[] | undefined): string[] {
  return (paths ?? []).map((p) => p.path ?? '').sort();
}

function compositesOf(policy: PolicyView['indexingPolicy']): string[] {
  return (policy?.compositeIndexes ?? []).map((c) => c.map((p) => `${p.path} ${p.order ?? 'ascending'}`).join(', '));
}

function setDifference(what: string, expected: string[], actual: string[]): string[] {
  const missing = expected.filter((e) => !actual.includes(e)).map((e) => `${what} ${e} is missing`);
  const extra = actual.filter((a) => !expected.includes(a)).map((a) => `${what} ${a} is not in containers.ts`);
  return [...missing, ...extra];
}

/**
 * How a container's indexing policy (and TTL setting) as read from the account differs from the
 * one declared here, one sentence per difference; empty when they agree. Paths compare as sets
 * (the service may list them in its own order); composite indexes compare path by path.
 */
export function indexingPolicyDifferences(expected: PolicyView, actual: PolicyView): string[] {
  const want = expected.indexingPolicy;
  const got = actual.indexingPolicy;
  const differences: string[] = [];
  const mode = (p: PolicyView['indexingPolicy']) => (p?.indexingMode ?? 'consistent').toLowerCase();
  if (mode(want) !== mode(got)) differences.push(`indexingMode is ${mode(got)}, not ${mode(want)}`);
  if ((want?.automatic ?? true) !== (got?.automatic ?? true)) {
    differences.push(`automatic is ${String(got?.automatic)}, not ${String(want?.automatic)}`);
  }
  differences.push(
    ...setDifference('included path', pathsOf(want?.includedPaths), pathsOf(got?.includedPaths)),
    ...setDifference('excluded path', pathsOf(want?.excludedPaths), pathsOf(got?.excludedPaths)),
    ...setDifference('composite index', compositesOf(want), compositesOf(got)),
  );
  const ttl = (v: number | null | undefined) => (v === undefined || v === null ? 'off' : String(v));
  if (ttl(expected.defaultTtl) !== ttl(actual.defaultTtl)) {
    differences.push(`defaultTtl is ${ttl(actual.defaultTtl)}, not ${ttl(expected.defaultTtl)}`);
  }
  return differences;
}

/** Told of each container whose indexing policy differs from the one declared here. */
export type PolicyDriftReport = (container: string, differences: string[]) => void;

/**
 * Creates what is missing and checks what exists. With Entra ID (data-plane RBAC) a database or
 * container cannot be created, only read: there they come from infrastructure as code, and
 * createIfNotExists finds them. A container whose partition key differs cannot serve this design.
 * One whose indexing policy differs still works, slower or dearer (a missing composite index makes
 * an ORDER BY fail outright): it is reported, for the infrastructure to be put right.
 */
export async function ensureContainers(
  database: Database,
  options: { abortSignal: AbortSignal },
  reportDrift: PolicyDriftReport = () => {},
): Promise<void> {
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
    const differences = indexingPolicyDifferences(definition, (resource ?? {}) as PolicyView);
    if (differences.length > 0) reportDrift(definition.id, differences);
  }
}
