import { Agent } from 'node:https';
import type { StoreConfig } from '../config.js';
import type { Logger } from '../log.js';
import { openCosmosStore } from './cosmos/cosmos-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export async function openStore(config: StoreConfig, log?: Logger): Promise<Store> {
  if (config.kind === 'sqlite') return openSqliteStore({ file: config.file });
  return openCosmosStore({
    endpoint: config.endpoint,
    databaseId: config.databaseId,
    ...(config.key ? { key: config.key } : {}),
    ...(config.auditRetentionDays !== undefined && { auditRetentionDays: config.auditRetentionDays }),
    ...(log && { log }),
    // Only for a local emulator's self-signed certificate; config refuses it for any other host.
    ...(config.tlsInsecure ? { agent: new Agent({ rejectUnauthorized: false }) } : {}),
  });
}
