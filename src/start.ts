import type restify from 'restify';
import { createBot } from './bot/app.js';
import type { BotDeps } from './bot/deps.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { createServer } from './server.js';
import { systemClock, type Clock } from './services/clock.js';
import { ConversationRefs } from './services/conversation-refs.js';
import { seedDemoIfEmpty } from './services/demo-seed.js';
import { DistrictDirectory } from './services/district-directory.js';
import { DistrictProfiles } from './services/district-profiles.js';
import { Membership } from './services/membership.js';
import { Tasks } from './services/tasks.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

export interface Running {
  url: string;
  port: number;
  store: Store;
  server: restify.Server;
  close(): Promise<void>;
}

/** The services the bot's routes call, over one store. */
export function botDeps(store: Store, clock: Clock, log: Logger): BotDeps {
  const directory = new DistrictDirectory(store);
  return {
    membership: new Membership(store),
    directory,
    profiles: new DistrictProfiles(store, directory, clock),
    conversations: new ConversationRefs(store, clock),
    tasks: new Tasks(store, directory, clock),
    clock,
    log,
  };
}

/**
 * Wires the store, the services and the bot, and listens. Used by main and, unchanged, by the
 * end-to-end tests and the benchmark, so what they exercise is what runs.
 */
export async function start(
  config: Config,
  log: Logger,
  options: { clock?: Clock; store?: Store } = {},
): Promise<Running> {
  const clock = options.clock ?? systemClock;
  const store = options.store ?? (await openStore(config.store));
  if (config.demoData) await seedDemoIfEmpty(store, { now: clock(), log });

  const bot = createBot(botDeps(store, clock, log), config.auth);
  const server = createServer({ bot, store, log });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    server,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
