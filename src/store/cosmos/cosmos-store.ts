import { CosmosClient, type CosmosClientOptions } from '@azure/cosmos';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { Agent } from 'node:https';
import type { Logger } from '../../log.js';
import { gapFacts, type GapDraft, type GapFacts, type IntelligenceGap } from '../../domain/gap.js';
import type { Store } from '../store.js';
import { accessRequestRepository } from './access-request-repository.js';
import { agencyRepository } from './agency-repository.js';
import { auditRepository } from './audit-repository.js';
import { boardChannelRepository } from './board-channel-repository.js';
import { bulkLoad } from './bulk-load.js';
import { CosmosCalls, type CosmosMeter } from './calls.js';
import { CONTAINERS, ensureContainers } from './containers.js';
import type { CosmosContext } from './context.js';
import { conversationRepository } from './conversation-repository.js';
import { awaitingInstallRepository } from './awaiting-install-repository.js';
import { digestDeliveryRepository } from './digest-delivery-repository.js';
import { reminderDeliveryRepository } from './reminder-delivery-repository.js';
import { districtRepository } from './district-repository.js';
import { jobLeaseRepository } from './job-lease-repository.js';
import { migrateLayout } from './layout-migration.js';
import { memberRepository } from './member-repository.js';
import { partnershipRepository } from './partnership-repository.js';
import { profileRepository } from './profile-repository.js';
import { trackedRepository } from './tracked-repository.js';
import { actionRepository } from './action-repository.js';

export interface CosmosStoreOptions {
  /** The account endpoint, e.g. https://<account>.documents.azure.com:443/ */
  endpoint: string;
  /** The account key. Without one, Entra ID: `credential`, or else DefaultAzureCredential. */
  key?: string;
  credential?: TokenCredential;
  databaseId: string;
  /** Only for tests against a local server with a self-signed certificate. */
  agent?: Agent;
  /**
   * How long one request to Cosmos DB (a point read, one page of a query, one batch) may take,
   * the SDK's own retries included, before the store answers StoreUnavailableError. A Teams turn
   * must not wait on an unreachable account.
   */
  requestTimeoutMs?: number;
  /**
   * Whether the SDK may switch to the regional endpoints the account advertises (the default).
   * Turn it off when the account is reached through a proxy or relay those endpoints would bypass.
   */
  endpointDiscovery?: boolean;
  /**
   * How long audit events are kept, in days (an item TTL on each event); undefined keeps them for
   * ever. Applies to events written from now on.
   */
  auditRetentionDays?: number;
  /** Where start-up reports go: an indexing policy that differs from containers.ts, migrations. */
  log?: Pick<Logger, 'error' | 'info'>;
  /** Counts what the adapter reads (documents, bytes): the benchmark's cost figures. */
  meter?: CosmosMeter;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
/** Creating containers and writing a bulk load's batches take longer than a turn's reads. */
const SLOW_DEADLINE_MS = 60_000;

/**
 * The production store. Opens the client, creates the database and containers if missing (see
 * containers.ts for the partition-key design), checks their partition keys and indexing policies,
 * and moves data written by earlier versions into the current layout (layout-migration.ts).
 */
export async function openCosmosStore(options: CosmosStoreOptions): Promise<Store> {
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const client = new CosmosClient({
    endpoint: options.endpoint,
    ...authentication(options),
    ...(options.agent ? { agent: options.agent } : {}),
    userAgentSuffix: 'soc-local-profiles-bot',
    connectionPolicy: {
      // The SDK's own cut-off per HTTP request: no shorter than the slowest deadline we give
      // (a bulk load's batch), since CosmosCalls holds each request to its own deadline anyway.
      requestTimeout: Math.max(requestTimeoutMs, SLOW_DEADLINE_MS),
      ...(options.endpointDiscovery === false ? { enableEndpointDiscovery: false } : {}),
      // Throttled (429) requests are retried by the SDK within our deadline; beyond it, the
      // store is unavailable for now rather than slow.
      retryOptions: {
        maxRetryAttemptCount: 5,
        maxWaitTimeInSeconds: Math.ceil(SLOW_DEADLINE_MS / 1000),
        fixedRetryIntervalInMilliseconds: 0,
      },
    },
  });
  const calls = new CosmosCalls(requestTimeoutMs, options.meter);
  const database = client.database(options.databaseId);
  try {
    await calls.run(
      async (o) => {
        await client.databases.createIfNotExists({ id: options.databaseId }, o);
        await ensureContainers(database, o, (container, differences) =>
          options.log?.error(
            { container, differences },
            'Cosmos DB container indexing policy differs from src/store/cosmos/containers.ts',
          ),
        );
      },
      {},
      SLOW_DEADLINE_MS,
    );
  } catch (err) {
    await client.dispose();
    throw err;
  }

  const ctx: CosmosContext = {
    data: database.container(CONTAINERS.data.id),
    members: database.container(CONTAINERS.members.id),
    conversations: database.container(CONTAINERS.conversations.id),
    calls,
    slowDeadlineMs: SLOW_DEADLINE_MS,
    ...(options.auditRetentionDays !== undefined && { auditTtlSeconds: options.auditRetentionDays * 86_400 }),
  };

  try {
    const migrated = await migrateLayout(ctx);
    if (migrated.members + migrated.personalChats > 0) options.log?.info(migrated, 'Cosmos DB layout migrated');
  } catch (err) {
    await client.dispose();
    throw err;
  }

  return {
    kind: 'cosmos',
    async ping() {
      await calls.run((o) => database.read(o));
    },
    async close() {
      await client.dispose();
    },
    partnerships: partnershipRepository(ctx),
    agencies: agencyRepository(ctx),
    members: memberRepository(ctx),
    districts: districtRepository(ctx),
    profiles: profileRepository(ctx),
    gaps: trackedRepository<IntelligenceGap, GapDraft, GapFacts>(ctx, {
      entity: 'gap',
      agencyField: 'ownerAgencyId',
      prefixOf: () => 'G',
      factsOf: gapFacts,
    }),
    actions: actionRepository(ctx),
    audit: auditRepository(ctx),
    conversations: conversationRepository(ctx),
    boardChannels: boardChannelRepository(ctx),
    accessRequests: accessRequestRepository(ctx),
    jobLeases: jobLeaseRepository(ctx),
    digestDeliveries: digestDeliveryRepository(ctx),
    reminderDeliveries: reminderDeliveryRepository(ctx),
    awaitingInstalls: awaitingInstallRepository(ctx),
    bulkLoad: (partnershipId, load, audit) => bulkLoad(ctx, partnershipId, load, audit),
  };
}

/** A key where one is given; otherwise Entra ID (not exercised by the tests: no tenant here). */
function authentication(options: CosmosStoreOptions): Pick<CosmosClientOptions, 'key' | 'aadCredentials'> {
  if (options.key) return { key: options.key };
  return { aadCredentials: options.credential ?? new DefaultAzureCredential() };
}
