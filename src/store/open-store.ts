import { Agent } from 'node:https';
import type { StoreConfig } from '../config.js';
import type { Logger } from '../log.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export async function openStore(config: StoreConfig, log?: Logger): Promise<Store> {
  if (config.kind === 'sqlite') return openSqliteStore({ file: config.file });
  // Loaded only when asked for: @azure/cosmos and @azure/identity take about half a second to
  // load, which every `npm run admin` on the embedded store would otherwise pay.
  const { openCosmosStore } = await import('./cosmos/cosmos-store.js');
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
