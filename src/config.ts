import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './domain/errors.js';

/**
 * The environment, read once at start-up and checked. A wrong value stops start-up with a message
 * that names the variable and says what would be valid; secrets are never echoed.
 */
export type AppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

export type AuthConfig =
  | { enabled: false }
  | {
      enabled: true;
      appId: string;
      appPassword?: string;
      tenantId?: string;
      appType: AppType;
      /**
       * Where channel tokens' signing keys are published, and the issuer they must name. Unset means
       * Microsoft's own (the Bot Framework's defaults); set only for a loopback test double.
       */
      channelTokens?: { openIdMetadataUrl: string; issuer: string };
    };

/** Per user, for the whole bot: a token bucket refilled at `perMinute`, holding at most `burst`. */
export interface RateLimitConfig {
  perMinute: number;
  burst: number;
}

export type StoreConfig =
  | { kind: 'sqlite'; file: string }
  | {
      kind: 'cosmos';
      endpoint: string;
      key?: string;
      databaseId: string;
      tlsInsecure: boolean;
      /** Days an audit event is kept (an item TTL); absent keeps them for ever. */
      auditRetentionDays?: number;
    };

/**
 * Microsoft Graph, for installing the app for a task's owner who has no 1:1 chat with the bot yet
 * (issue 16). `catalogAppId` unset: the bot never calls Graph and such owners wait in `my tasks`.
 */
export interface GraphConfig {
  /** Graph's base URL, with its version: https://graph.microsoft.com/v1.0 unless a loopback stand-in. */
  baseUrl: string;
  /** The app's id in the tenant's Teams app catalog (not the manifest id, not the bot id). */
  catalogAppId?: string;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  store: StoreConfig;
  demoData: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  auth: AuthConfig;
  /** Set to serve without authentication on an address other than loopback. */
  allowUnauthenticated: boolean;
  /**
   * Entra tenants whose activities are accepted (lower case); empty accepts any tenant, which with
   * authentication on needs ALLOW_ANY_TENANT=true.
   */
  allowedTenantIds: string[];
  /** Members made admin at start-up (lower case), so a deployment has someone to grant roles. */
  adminAadObjectIds: string[];
  rateLimit: RateLimitConfig;
  /** Instances running at once: per-bot limits are divided by it (see BOT_INSTANCES). */
  instances: number;
  digestLeaseSeconds: number;
  /** How often the scheduler checks which weekly digests are due; 0 turns it off. */
  digestCheckSeconds: number;
  /** How often the reminder job looks for a day's reminders to send; 0 turns it off. */
  reminderCheckSeconds: number;
  graph: GraphConfig;
  /**
   * The host the bot is served from (BOT_DOMAIN): its district links (https://<host>/districts/…)
   * are put on summary cards and unfurled; unset, there are no links and none is unfurled.
   */
  botDomain: string | undefined;
}

const SECRETS = new Set(['MicrosoftAppPassword', 'COSMOS_KEY']);

const flag = (name: string, fallback: boolean) =>
  z
    .enum(['true', 'false', 'on', 'off', '1', '0', 'yes', 'no'], {
      errorMap: () => ({ message: `${name} must be one of on, off, true, false` }),
    })
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', 'on', '1', 'yes'].includes(v)));

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** As the domain's AadObjectId: the Agents Playground's ids have a 13-digit last group. */
const AAD_ID = /^[0-9a-f][0-9a-f-]{30,38}[0-9a-f]$/;

/** A comma-separated list of GUIDs, lower-cased; an empty or missing list is []. */
const guidList = (pattern: RegExp) =>
  optionalText.transform((v, ctx) => {
    const ids = (v ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s !== '');
    if (ids.some((id) => !pattern.test(id))) {
      ctx.addIssue({ code: 'custom', message: 'must be GUIDs separated by commas' });
      return z.NEVER;
    }
    return [...new Set(ids)];
  });

const positiveInt = (fallback: number, max: number) =>
  optionalText.transform((v, ctx) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number from 1 to ${max}` });
      return z.NEVER;
    }
    return n;
  });

const Env = z.object({
  PORT: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return 3978;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) {
        ctx.addIssue({ code: 'custom', message: 'must be a whole number from 0 to 65535 (0 picks a free port)' });
        return z.NEVER;
      }
      return n;
    }),
  HOST: optionalText.transform((v) => v ?? '127.0.0.1'),
  DATA_DIR: optionalText.transform((v) => v ?? './data'),
  STORE: z
    .enum(['sqlite', 'cosmos'], { errorMap: () => ({ message: 'must be sqlite (the default) or cosmos' }) })
    .optional()
    .transform((v) => v ?? 'sqlite'),
  COSMOS_ENDPOINT: optionalText.pipe(
    z.string().url('must be the account URL, e.g. https://my-account.documents.azure.com:443/').optional(),
  ),
  COSMOS_KEY: optionalText,
  COSMOS_DATABASE: optionalText.transform((v) => v ?? 'soc-profiles'),
  COSMOS_TLS_INSECURE: flag('COSMOS_TLS_INSECURE', false),
  // Cosmos DB's largest item TTL is 2,147,483,647 seconds: 24,855 days.
  AUDIT_RETENTION_DAYS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '' || v.trim().toLowerCase() === 'forever') return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 24_855) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a whole number of days from 1 to 24855, or forever (the default)',
        });
        return z.NEVER;
      }
      return n;
    }),
  DEMO_DATA: flag('DEMO_DATA', true),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      errorMap: () => ({ message: 'must be one of fatal, error, warn, info, debug, trace, silent' }),
    })
    .optional()
    .transform((v) => v ?? 'info'),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppTenantId: optionalText,
  MicrosoftAppType: z
    .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
      errorMap: () => ({ message: 'must be MultiTenant, SingleTenant or UserAssignedMSI' }),
    })
    .optional(),
  ALLOW_UNAUTHENTICATED: flag('ALLOW_UNAUTHENTICATED', false),
  BOT_OPENID_METADATA_URL: optionalText.pipe(z.string().url('must be a URL').optional()),
  BOT_TOKEN_ISSUER: optionalText,
  ALLOWED_TENANT_IDS: guidList(GUID),
  ALLOW_ANY_TENANT: flag('ALLOW_ANY_TENANT', false),
  ADMIN_AAD_OBJECT_IDS: guidList(AAD_ID),
  BOT_DOMAIN: optionalText.pipe(
    z
      .string()
      .regex(
        /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/,
        'must be the host name the bot is served from, without https:// or a path, e.g. soc-profiles.azurewebsites.net',
      )
      .transform((h) => h.toLowerCase())
      .optional(),
  ),
  COMMANDS_PER_MINUTE: positiveInt(30, 1_000_000),
  COMMAND_BURST: positiveInt(10, 1_000_000),
  /**
   * How many instances of the bot run at once (App Service's instance count). Limits that Teams or
   * the store impose on the whole bot are divided by it: each instance keeps its share in memory.
   */
  BOT_INSTANCES: positiveInt(1, 100),
  /** How long a digest lease or delivery claim stays live unrenewed, by the store's clock. */
  DIGEST_LEASE_SECONDS: positiveInt(120, 3600),
  REMINDER_CHECK_SECONDS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return 300;
      const n = Number(v);
      if (!Number.isInteger(n) || (n !== 0 && (n < 10 || n > 3600))) {
        ctx.addIssue({ code: 'custom', message: 'must be a whole number of seconds from 10 to 3600, or 0 (off)' });
        return z.NEVER;
      }
      return n;
    }),
  GRAPH_BASE_URL: optionalText.pipe(z.string().url('must be a URL, e.g. https://graph.microsoft.com/v1.0').optional()),
  TEAMS_APP_CATALOG_ID: guidList(GUID),
  DIGEST_CHECK_SECONDS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return 60;
      const n = Number(v);
      if (!Number.isInteger(n) || (n !== 0 && (n < 10 || n > 3600))) {
        ctx.addIssue({ code: 'custom', message: 'must be a whole number of seconds from 10 to 3600, or 0 (off)' });
        return z.NEVER;
      }
      return n;
    }),
});

/** Every variable the bot reads: infra/main.bicep may set only these and the platform's own. */
export const ENV_VARIABLES: readonly string[] = Object.keys(Env.shape);

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const name = String(i.path[0]);
      const got = SECRETS.has(name) ? '' : ` (got '${String(env[name])}')`;
      return { name, text: `${i.message.replace(new RegExp(`^${name} `), '')}${got}` };
    });
    const [first, ...rest] = problems;
    throw new ConfigError(first!.name, [first!.text, ...rest.map((p) => `${p.name}: ${p.text}`)].join('\n'));
  }
  const e = parsed.data;
  const fail = (variable: string, message: string): never => {
    throw new ConfigError(variable, message);
  };

  let store: StoreConfig;
  if (e.STORE === 'cosmos') {
    if (!e.COSMOS_ENDPOINT) fail('COSMOS_ENDPOINT', 'is required when STORE=cosmos (the account URL)');
    const endpoint = e.COSMOS_ENDPOINT!;
    if (e.COSMOS_TLS_INSECURE && !isLoopback(new URL(endpoint).hostname)) {
      fail('COSMOS_TLS_INSECURE', 'may only be set for a loopback endpoint (a local emulator)');
    }
    store = { kind: 'cosmos', endpoint, databaseId: e.COSMOS_DATABASE, tlsInsecure: e.COSMOS_TLS_INSECURE };
    if (e.COSMOS_KEY) store.key = e.COSMOS_KEY;
    if (e.AUDIT_RETENTION_DAYS !== undefined) store.auditRetentionDays = e.AUDIT_RETENTION_DAYS;
  } else {
    if (e.AUDIT_RETENTION_DAYS !== undefined) {
      fail('AUDIT_RETENTION_DAYS', 'is kept only by the Cosmos DB store (STORE=cosmos); SQLite keeps every event');
    }
    store = { kind: 'sqlite', file: resolve(e.DATA_DIR, 'soc-profiles.db') };
  }

  let auth: AuthConfig = { enabled: false };
  const anyAuth = e.MicrosoftAppId || e.MicrosoftAppPassword || e.MicrosoftAppTenantId || e.MicrosoftAppType;
  if (anyAuth) {
    const appType = e.MicrosoftAppType ?? 'MultiTenant';
    if (!e.MicrosoftAppId) fail('MicrosoftAppId', 'is required when any other MicrosoftApp* variable is set');
    if (appType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword) {
      fail('MicrosoftAppPassword', `is required when MicrosoftAppType is ${appType}`);
    }
    if (appType !== 'MultiTenant' && !e.MicrosoftAppTenantId) {
      fail('MicrosoftAppTenantId', `is required when MicrosoftAppType is ${appType}`);
    }
    if (appType === 'UserAssignedMSI' && e.MicrosoftAppPassword) {
      fail(
        'MicrosoftAppPassword',
        'must not be set when MicrosoftAppType is UserAssignedMSI (the identity has no secret)',
      );
    }
    auth = { enabled: true, appId: e.MicrosoftAppId!, appType };
    if (e.MicrosoftAppPassword) auth.appPassword = e.MicrosoftAppPassword;
    if (e.MicrosoftAppTenantId) auth.tenantId = e.MicrosoftAppTenantId;
  }
  if (e.BOT_OPENID_METADATA_URL || e.BOT_TOKEN_ISSUER) {
    // Trusting another key publisher would let whoever runs it act as any user: only a loopback
    // double (the end-to-end tests) may stand in for Microsoft's.
    if (!e.BOT_OPENID_METADATA_URL) fail('BOT_OPENID_METADATA_URL', 'is required when BOT_TOKEN_ISSUER is set');
    if (!e.BOT_TOKEN_ISSUER) fail('BOT_TOKEN_ISSUER', 'is required when BOT_OPENID_METADATA_URL is set');
    if (!auth.enabled) fail('BOT_OPENID_METADATA_URL', 'has no effect without MicrosoftAppId; set the app credentials');
    const url = new URL(e.BOT_OPENID_METADATA_URL!);
    if (!isLoopback(url.hostname.replace(/^\[|\]$/g, ''))) {
      fail(
        'BOT_OPENID_METADATA_URL',
        `may only name a loopback address (a test double), not ${url.hostname}; leave it unset to use Microsoft's`,
      );
    }
    if (auth.enabled) auth.channelTokens = { openIdMetadataUrl: url.toString(), issuer: e.BOT_TOKEN_ISSUER! };
  }

  // With real credentials any Entra tenant could otherwise install the bot and talk to it: an
  // allow-list is required, or an explicit choice to serve every tenant.
  if (auth.enabled && e.ALLOWED_TENANT_IDS.length === 0 && !e.ALLOW_ANY_TENANT) {
    fail(
      'ALLOWED_TENANT_IDS',
      'is empty, but MicrosoftAppId is set, so any Entra tenant could talk to the bot. Set it to your tenant id ' +
        '(GUIDs separated by commas), or set ALLOW_ANY_TENANT=true if every tenant is meant to be served.',
    );
  }
  if (e.ALLOW_ANY_TENANT && e.ALLOWED_TENANT_IDS.length > 0) {
    fail('ALLOW_ANY_TENANT', 'contradicts ALLOWED_TENANT_IDS: set one or the other');
  }

  if (!auth.enabled && !isLoopback(e.HOST) && !e.ALLOW_UNAUTHENTICATED) {
    fail(
      'HOST',
      `is ${e.HOST}, but without MicrosoftAppId and MicrosoftAppPassword anybody who can reach it could act as any ` +
        'user. Set the app credentials, bind to 127.0.0.1, or set ALLOW_UNAUTHENTICATED=true if something in front ' +
        'of the bot authenticates.',
    );
  }

  const graph: GraphConfig = { baseUrl: (e.GRAPH_BASE_URL ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, '') };
  if (e.GRAPH_BASE_URL) {
    // The bot's Graph token goes wherever this points: only Graph itself, or a loopback stand-in.
    const url = new URL(e.GRAPH_BASE_URL);
    if (url.protocol !== 'https:' && !isLoopback(url.hostname.replace(/^\[|\]$/g, ''))) {
      fail('GRAPH_BASE_URL', 'must be https (or a loopback address for a test stand-in)');
    }
  }
  if (e.TEAMS_APP_CATALOG_ID.length > 1) fail('TEAMS_APP_CATALOG_ID', 'must be one GUID');
  const [catalogAppId] = e.TEAMS_APP_CATALOG_ID;
  if (catalogAppId) {
    if (!auth.enabled) {
      fail(
        'TEAMS_APP_CATALOG_ID',
        "needs MicrosoftAppId: the app is installed with the bot's own identity's Graph token",
      );
    }
    graph.catalogAppId = catalogAppId;
  }

  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    store,
    demoData: e.DEMO_DATA,
    logLevel: e.LOG_LEVEL,
    auth,
    allowUnauthenticated: e.ALLOW_UNAUTHENTICATED,
    allowedTenantIds: e.ALLOWED_TENANT_IDS,
    adminAadObjectIds: e.ADMIN_AAD_OBJECT_IDS,
    rateLimit: { perMinute: e.COMMANDS_PER_MINUTE, burst: e.COMMAND_BURST },
    digestCheckSeconds: e.DIGEST_CHECK_SECONDS,
    reminderCheckSeconds: e.REMINDER_CHECK_SECONDS,
    instances: e.BOT_INSTANCES,
    digestLeaseSeconds: e.DIGEST_LEASE_SECONDS,
    graph,
    botDomain: e.BOT_DOMAIN,
  };
}
