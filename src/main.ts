import { loadConfig } from './config.js';
import { ConfigError } from './domain/errors.js';
import { createLogger } from './log.js';
import { start } from './start.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`Configuration error, not starting:\n${err.message}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  const running = await start(config, log);
  log.info(
    {
      url: `${running.url}/api/messages`,
      store:
        config.store.kind === 'sqlite'
          ? `sqlite (${config.store.file})`
          : `cosmos (${config.store.endpoint}, database ${config.store.databaseId})`,
      authentication: config.auth.enabled ? `on (${config.auth.appType})` : 'off',
      tenants: config.allowedTenantIds.length ? config.allowedTenantIds : 'any',
      commandRate: `${config.rateLimit.perMinute}/min, burst ${config.rateLimit.burst}, per user per instance`,
    },
    'SOC local profiles bot listening',
  );
  if (!config.auth.enabled) {
    log.warn(
      config.allowUnauthenticated
        ? 'Authentication is OFF and the bot is not bound to loopback (ALLOW_UNAUTHENTICATED=true): anything that can reach it can act as any user.'
        : 'Authentication is OFF: set MicrosoftAppId, MicrosoftAppPassword (and MicrosoftAppTenantId) to accept Teams traffic. Bound to loopback only.',
    );
  }
  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`);
  process.exit(1);
});
