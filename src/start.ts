import type restify from 'restify';
import { createBot, type Bot, type OutboundCredentials } from './bot/app.js';
import type { BotDeps } from './bot/deps.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { createServer } from './server.js';
import { systemClock, type Clock } from './services/clock.js';
import { ConversationRefs } from './services/conversation-refs.js';
import { bootstrapAdmins } from './services/bootstrap-admins.js';
import { seedDemoIfEmpty } from './services/demo-seed.js';
import { DistrictDirectory } from './services/district-directory.js';
import { DistrictProfiles } from './services/district-profiles.js';
import { CommandRateLimiter, type RateLimit } from './services/command-rate-limiter.js';
import { Membership } from './services/membership.js';
import { RoleAdmin } from './services/role-admin.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

export interface Running {
  url: string;
  port: number;
  store: Store;
  bot: Bot;
  server: restify.Server;
  close(): Promise<void>;
}

export interface AccessPolicy {
  allowedTenantIds: readonly string[];
  rateLimit: RateLimit;
}

/** No tenant restriction; 30 commands a minute per user, 10 at once (the configuration's defaults). */
export const OPEN_POLICY: AccessPolicy = { allowedTenantIds: [], rateLimit: { perMinute: 30, burst: 10 } };

/** The services the bot's routes call, over one store. */
export function botDeps(store: Store, clock: Clock, log: Logger, policy: AccessPolicy = OPEN_POLICY): BotDeps {
  const directory = new DistrictDirectory(store);
  const membership = new Membership(store);
  return {
    membership,
    directory,
    profiles: new DistrictProfiles(store, directory, clock),
    conversations: new ConversationRefs(store, clock),
    clock,
    log,
    roles: new RoleAdmin(store, clock),
    allowedTenantIds: policy.allowedTenantIds,
    rateLimiter: new CommandRateLimiter(policy.rateLimit, clock),
  };
}

/**
 * Wires the store, the services and the bot, and listens. Used by main and, unchanged, by the
 * end-to-end tests and the benchmark, so what they exercise is what runs.
 */
export async function start(
  config: Config,
  log: Logger,
  options: { clock?: Clock; store?: Store; outboundCredentials?: OutboundCredentials } = {},
): Promise<Running> {
  const clock = options.clock ?? systemClock;
  const store = options.store ?? (await openStore(config.store));
  if (config.demoData) await seedDemoIfEmpty(store, { now: clock(), log });

  if (config.adminAadObjectIds.length > 0) {
    await bootstrapAdmins(store, clock, config.adminAadObjectIds, log);
  }
  const policy = { allowedTenantIds: config.allowedTenantIds, rateLimit: config.rateLimit };
  const bot = createBot(botDeps(store, clock, log, policy), config.auth, options.outboundCredentials);
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
    bot,
    server,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
