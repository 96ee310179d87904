import type { Container } from '@azure/cosmos';
import type { CosmosCalls } from './calls.js';

/** What every repository of the Cosmos adapter works with. */
export interface CosmosContext {
  /** `partnership-data`, partitioned by partnership id. */
  readonly data: Container;
  /** `members`, partitioned by AAD object id: pointers from object id to partnership. */
  readonly members: Container;
  /** `conversations`, partitioned by tenant id. */
  readonly conversations: Container;
  readonly calls: CosmosCalls;
  /** Deadline for one batch of a bulk load and for creating containers: slower by nature. */
  readonly slowDeadlineMs: number;
  /** Audit events' item TTL (the configured retention); undefined keeps them for ever. */
  readonly auditTtlSeconds?: number;
}
