import type restify from 'restify';
import { createBot, type Bot, type OutboundCredentials } from './bot/app.js';
import { fitsCard, renderCard } from './bot/cards.js';
import { DigestJob, type DigestJobDeps } from './jobs/digest-job.js';
import { ReminderJob, type ReminderJobDeps } from './jobs/reminder-job.js';
import { loadBankHolidays } from './services/bank-holidays.js';
import { startScheduler } from './jobs/scheduler.js';
import { BoardChannels } from './services/board-channels.js';
import { DigestComposer } from './services/digest-composer.js';
import type { BotDeps, DigestRequests } from './bot/deps.js';
import { DistrictCardCache } from './bot/district-card-cache.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { createServer } from './server.js';
import { graphTokenSource } from './bot/graph-token.js';
import { AwaitingInstalls } from './services/awaiting-installs.js';
import { TeamsAppInstaller } from './services/teams-app-installer.js';
import { systemClock, type Clock } from './services/clock.js';
import { ConversationRefs } from './services/conversation-refs.js';
import { bootstrapAdmins } from './services/bootstrap-admins.js';
import { seedDemoIfEmpty } from './services/demo-seed.js';
import { DistrictDirectory } from './services/district-directory.js';
import { DistrictProfiles } from './services/district-profiles.js';
import {
  AUTOMATIC_REFRESH_LIMIT,
  CommandRateLimiter,
  perInstance,
  type RateLimit,
} from './services/command-rate-limiter.js';
import { sendLimitsPerInstance } from './bot/send-throttle.js';
import { Membership } from './services/membership.js';
import { ReminderSettingsService } from './services/reminder-settings.js';
import { AccessRequests } from './services/access-requests.js';
import { Onboarding } from './services/onboarding.js';
import { RoleAdmin } from './services/role-admin.js';
import { Recommendations } from './services/recommendations.js';
import { Tasks } from './services/tasks.js';
import { asBackgroundWork } from './store/background-work.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

export interface Running {
  url: string;
  port: number;
  store: Store;
  bot: Bot;
  server: restify.Server;
  /** The weekly digest job; the scheduler runs it every DIGEST_CHECK_SECONDS (tests call runOnce). */
  digests: DigestJob;
  /** Reminders, escalations and review alerts; the scheduler runs it every REMINDER_CHECK_SECONDS. */
  reminders: ReminderJob;
  close(): Promise<void>;
}

export interface AccessPolicy {
  allowedTenantIds: readonly string[];
  /** This instance's share of the per-user command limit. */
  rateLimit: RateLimit;
  /** This instance's share of the budget for automatic card refreshes; AUTOMATIC_REFRESH_LIMIT unless set. */
  refreshLimit?: RateLimit;
}

/** No tenant restriction; 30 commands a minute per user, 10 at once (the configuration's defaults). */
export const OPEN_POLICY: AccessPolicy = { allowedTenantIds: [], rateLimit: { perMinute: 30, burst: 10 } };

/** The services the bot's routes call, over one store. */
export function botDeps(
  store: Store,
  clock: Clock,
  log: Logger,
  policy: AccessPolicy = OPEN_POLICY,
  digests?: DigestRequests,
  botDomain?: string,
): BotDeps {
  const directory = new DistrictDirectory(store);
  const membership = new Membership(store);
  const onboarding = new Onboarding(store, clock);
  const profiles = new DistrictProfiles(store, directory, clock);
  const tasks = new Tasks(store, directory, clock);
  return {
    membership,
    directory,
    profiles,
    conversations: new ConversationRefs(store, clock),
    boards: new BoardChannels(store, directory, new DigestComposer(store, directory), clock),
    tasks,
    recommendations: new Recommendations(store, profiles, tasks, directory, clock),
    clock,
    log,
    roles: new RoleAdmin(store, clock),
    reminderSettings: new ReminderSettingsService(store, clock),
    onboarding,
    access: new AccessRequests(store, clock, onboarding, policy.allowedTenantIds),
    allowedTenantIds: policy.allowedTenantIds,
    rateLimiter: new CommandRateLimiter(policy.rateLimit, clock, policy.refreshLimit),
    districtCards: new DistrictCardCache(),
    ...(digests ? { digests } : {}),
    ...(botDomain ? { botDomain } : {}),
  };
}

/**
 * Wires the store, the services and the bot, and listens. Used by main and, unchanged, by the
 * end-to-end tests and the benchmark, so what they exercise is what runs.
 */
export async function start(
  config: Config,
  log: Logger,
  options: {
    clock?: Clock;
    store?: Store;
    outboundCredentials?: OutboundCredentials;
    digestHooks?: Pick<DigestJobDeps, 'afterPending' | 'beforeSend' | 'beforeCompose' | 'owner'>;
    reminderHooks?: Pick<ReminderJobDeps, 'owner' | 'claimTtlMs' | 'passTtlMs'>;
  } = {},
): Promise<Running> {
  const clock = options.clock ?? systemClock;
  const store = options.store ?? (await openStore(config.store, log));
  if (config.demoData) await seedDemoIfEmpty(store, { now: clock(), log });

  if (config.adminAadObjectIds.length > 0) {
    await bootstrapAdmins(store, clock, config.adminAadObjectIds, log);
  }
  // Limits are for the whole bot; each of BOT_INSTANCES instances keeps its share.
  const policy: AccessPolicy = {
    allowedTenantIds: config.allowedTenantIds,
    rateLimit: perInstance(config.rateLimit, config.instances),
    refreshLimit: perInstance(AUTOMATIC_REFRESH_LIMIT, config.instances),
  };
  // The job sends through the bot, and the bot's `digest now` asks the job: the send is bound late.
  let bot: Bot | undefined;
  const digests = new DigestJob({
    store,
    composer: new DigestComposer(store, new DistrictDirectory(store)),
    clock,
    log,
    render: (view) => renderCard('digest', view),
    fits: (view) => fitsCard('digest', view),
    send: (ref, card) => bot!.send(ref, card as Parameters<Bot['send']>[1]),
    ...(config.digestLeaseSeconds ? { leaseTtlMs: config.digestLeaseSeconds * 1000 } : {}),
    ...options.digestHooks,
  });
  const deps = botDeps(store, clock, log, policy, digests, config.botDomain);
  // The app is installed for task owners with no chat only when its catalog id is configured (and
  // so, by config.ts, the bot has an identity to ask Graph with).
  const install =
    config.auth.enabled && config.graph.catalogAppId
      ? {
          installer: new TeamsAppInstaller({
            baseUrl: config.graph.baseUrl,
            catalogAppId: config.graph.catalogAppId,
            token: graphTokenSource(config.auth, options.outboundCredentials),
            log,
          }),
          waiting: new AwaitingInstalls(store, clock),
        }
      : undefined;
  bot = createBot(deps, config.auth, options.outboundCredentials, sendLimitsPerInstance(config.instances), install);
  const reminders = new ReminderJob({
    store,
    clock,
    log,
    holidays: loadBankHolidays(clock(), log),
    taskCard: async (partnership, member, task, note, tenantId) => {
      const viewer = { clearance: member.clearance, conversation: 'personal' } as const;
      const view = await deps.tasks.view({ member, partnership }, viewer, member, task, { tenantId, note });
      return renderCard('task', view);
    },
    renderEscalation: (view) => renderCard('escalation', view),
    renderReviewDue: (view) => renderCard('review-due', view),
    send: (ref, card) => bot!.send(ref, card as Parameters<Bot['send']>[1]),
    tenantIds: config.allowedTenantIds,
    ...options.reminderHooks,
  });
  const server = createServer({ bot, store, log });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  // After listening: an instance that failed to start must not deliver digests.
  const scheduler =
    config.digestCheckSeconds > 0
      ? startScheduler(() => asBackgroundWork(() => digests.runOnce()), config.digestCheckSeconds * 1000, log)
      : undefined;
  const reminderScheduler =
    config.reminderCheckSeconds > 0
      ? startScheduler(() => asBackgroundWork(() => reminders.runOnce()), config.reminderCheckSeconds * 1000, log)
      : undefined;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    bot,
    server,
    digests,
    reminders,
    close: async () => {
      await scheduler?.stop();
      await reminderScheduler?.stop();
      await digests.idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
