/**
 * One bot instance as its own process, for the multi-instance test: the real `start` on the real
 * Cosmos adapter (over HTTPS to the local Cosmos DB server), listening on a loopback port. The test
 * process drives it over IPC the way App Service's clock and the scheduler would:
 *   { type: 'time', now }  sets simulated time (this instance adds its own clock skew, SKEW_MS);
 *   { type: 'run' }        one digest run, as the scheduler's tick; answered { type: 'report' };
 *   { type: 'die-on-send' } the next digest send stops just before the card goes out and says
 *                          { type: 'sending' }, so the test can SIGKILL it mid-send.
 * It answers { type: 'ready', url } once it listens. Test seams: FAIL_COMPOSE_PARTNERSHIP makes
 * that partnership's compose throw, as a broken partnership's data would.
 */
import https from 'node:https';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { start } from '../../src/start.js';
import { openCosmosStore } from '../../src/store/cosmos/cosmos-store.js';

const env = process.env;
const skew = Number(env.SKEW_MS ?? 0);
let simulated = Date.parse(env.SIM_START ?? new Date().toISOString());
let dieOnSend = false;

function say(message: unknown): void {
  process.send?.(message);
}

const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: env.DATA_DIR ?? '.',
  DEMO_DATA: 'off',
  LOG_LEVEL: env.LOG_LEVEL ?? 'silent',
  COMMANDS_PER_MINUTE: '6000',
  COMMAND_BURST: '1000',
  DIGEST_CHECK_SECONDS: '0',
  REMINDER_CHECK_SECONDS: '0',
  DIGEST_LEASE_SECONDS: env.DIGEST_LEASE_SECONDS ?? '120',
  BOT_INSTANCES: '3',
});
const store = await openCosmosStore({
  endpoint: env.COSMOS_ENDPOINT!,
  key: 'the-local-server-ignores-it',
  databaseId: env.COSMOS_DATABASE!,
  agent: new https.Agent({ rejectUnauthorized: false, keepAlive: true }),
  endpointDiscovery: false,
});
const running = await start(config, createLogger(config.logLevel, process.stderr), {
  store,
  clock: () => new Date(simulated + skew),
  digestHooks: {
    owner: `instance-${env.INSTANCE_NAME ?? process.pid}-${process.pid}`,
    beforeCompose: async (p) => {
      if (p.id === env.FAIL_COMPOSE_PARTNERSHIP) throw new TypeError('simulated compose failure');
    },
    beforeSend: async (d) => {
      if (!dieOnSend) return;
      say({ type: 'sending', conversationId: d.conversationId, week: d.week });
      // Held here until the test kills this process.
      await new Promise(() => undefined);
    },
  },
});

process.on('message', (m: { type: string; now?: string }) => {
  if (m.type === 'time') simulated = Date.parse(m.now!);
  else if (m.type === 'die-on-send') dieOnSend = true;
  else if (m.type === 'run') {
    if (m.now) simulated = Date.parse(m.now);
    running.digests.runOnce().then(
      (report) => say({ type: 'report', report }),
      (err: unknown) => say({ type: 'report', error: err instanceof Error ? err.name : String(err) }),
    );
  } else if (m.type === 'stop') {
    void running.close().then(() => process.exit(0));
  }
});
say({ type: 'ready', url: running.url });
