import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/domain/errors.js';

const problem = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return { variable: err.variable, message: err.message };
    throw err;
  }
  return undefined;
};

const ONE_TENANT = { ALLOWED_TENANT_IDS: '72f988bf-86f1-41af-91ab-2d7cd011db47' };

describe('configuration', () => {
  it('defaults to the embedded store under ./data, on 127.0.0.1:3978, demo on, no authentication', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3978,
      host: '127.0.0.1',
      demoData: true,
      auth: { enabled: false },
      logLevel: 'info',
    });
    expect(c.store).toEqual({ kind: 'sqlite', file: expect.stringMatching(/data\/soc-profiles\.db$/) });
  });

  it('names the variable and what would be valid', () => {
    expect(problem({ PORT: 'abc' })).toEqual({
      variable: 'PORT',
      message: "PORT: must be a whole number from 0 to 65535 (0 picks a free port) (got 'abc')",
    });
    expect(problem({ STORE: 'postgres' })?.message).toBe(
      "STORE: must be sqlite (the default) or cosmos (got 'postgres')",
    );
    expect(problem({ DEMO_DATA: 'maybe' })?.message).toBe(
      "DEMO_DATA: must be one of on, off, true, false (got 'maybe')",
    );
    expect(problem({ STORE: 'cosmos' })).toMatchObject({ variable: 'COSMOS_ENDPOINT' });
    expect(problem({ STORE: 'cosmos', COSMOS_ENDPOINT: 'not a url' })?.variable).toBe('COSMOS_ENDPOINT');
  });

  it('checks for due digests every minute unless told otherwise, and refuses a nonsense interval', () => {
    expect(loadConfig({}).digestCheckSeconds).toBe(60);
    expect(loadConfig({ DIGEST_CHECK_SECONDS: '0' }).digestCheckSeconds).toBe(0);
    expect(loadConfig({ DIGEST_CHECK_SECONDS: '300' }).digestCheckSeconds).toBe(300);
    for (const bad of ['5', '-1', 'hourly', '1.5', '4000']) {
      expect(problem({ DIGEST_CHECK_SECONDS: bad })).toEqual({
        variable: 'DIGEST_CHECK_SECONDS',
        message: `DIGEST_CHECK_SECONDS: must be a whole number of seconds from 10 to 3600, or 0 (off) (got '${bad}')`,
      });
    }
  });

  it('keeps audit events for ever unless a retention in days is set, on Cosmos DB only', () => {
    const cosmos = { STORE: 'cosmos', COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/' };
    expect(loadConfig(cosmos).store).not.toHaveProperty('auditRetentionDays');
    expect(loadConfig({ ...cosmos, AUDIT_RETENTION_DAYS: 'forever' }).store).not.toHaveProperty('auditRetentionDays');
    expect(loadConfig({ ...cosmos, AUDIT_RETENTION_DAYS: '2557' }).store).toMatchObject({ auditRetentionDays: 2557 });
    for (const bad of ['0', '-3', '7.5', 'a year', '30000']) {
      expect(problem({ ...cosmos, AUDIT_RETENTION_DAYS: bad })).toEqual({
        variable: 'AUDIT_RETENTION_DAYS',
        message: `AUDIT_RETENTION_DAYS: must be a whole number of days from 1 to 24855, or forever (the default) (got '${bad}')`,
      });
    }
    expect(problem({ AUDIT_RETENTION_DAYS: '365' })).toEqual({
      variable: 'AUDIT_RETENTION_DAYS',
      message: 'AUDIT_RETENTION_DAYS: is kept only by the Cosmos DB store (STORE=cosmos); SQLite keeps every event',
    });
  });

  it('never repeats a secret in an error', () => {
    const p = problem({ MicrosoftAppPassword: 's3cret-value' });
    expect(p?.variable).toBe('MicrosoftAppId');
    expect(p?.message).not.toContain('s3cret-value');
  });

  it('reads Cosmos DB with a key, or without one for Entra ID', () => {
    expect(loadConfig({ STORE: 'cosmos', COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/' }).store).toEqual({
      kind: 'cosmos',
      endpoint: 'https://acct.documents.azure.com:443/',
      databaseId: 'soc-profiles',
      tlsInsecure: false,
    });
    expect(
      loadConfig({ STORE: 'cosmos', COSMOS_ENDPOINT: 'https://acct.documents.azure.com/', COSMOS_KEY: 'k' }).store,
    ).toMatchObject({ key: 'k' });
  });

  it('allows an emulator certificate only on loopback', () => {
    expect(
      problem({ STORE: 'cosmos', COSMOS_ENDPOINT: 'https://acct.documents.azure.com/', COSMOS_TLS_INSECURE: 'true' })
        ?.variable,
    ).toBe('COSMOS_TLS_INSECURE');
    expect(
      loadConfig({ STORE: 'cosmos', COSMOS_ENDPOINT: 'https://127.0.0.1:8081/', COSMOS_TLS_INSECURE: 'true' }).store,
    ).toMatchObject({
      tlsInsecure: true,
    });
  });

  it('needs a complete set of Bot Framework credentials for the app type', () => {
    expect(problem({ MicrosoftAppId: 'id' })?.variable).toBe('MicrosoftAppPassword');
    expect(
      problem({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'p', MicrosoftAppType: 'SingleTenant' })?.variable,
    ).toBe('MicrosoftAppTenantId');
    expect(problem({ MicrosoftAppId: 'id', MicrosoftAppType: 'UserAssignedMSI' })?.variable).toBe(
      'MicrosoftAppTenantId',
    );
    expect(problem({ MicrosoftAppId: 'id', MicrosoftAppType: 'Tenantless' })?.variable).toBe('MicrosoftAppType');
    expect(loadConfig({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'p', ...ONE_TENANT }).auth).toEqual({
      enabled: true,
      appId: 'id',
      appPassword: 'p',
      appType: 'MultiTenant',
    });
  });

  it("keeps Microsoft's token endpoints unless a loopback stand-in is named, with its issuer, for an app", () => {
    const creds = { MicrosoftAppId: 'id', MicrosoftAppPassword: 'p', ...ONE_TENANT };
    expect(loadConfig(creds).auth).not.toHaveProperty('channelTokens');
    const local = {
      BOT_OPENID_METADATA_URL: 'http://127.0.0.1:4000/v1/.well-known/openidconfiguration',
      BOT_TOKEN_ISSUER: 'https://api.botframework.test',
    };
    expect(loadConfig({ ...creds, ...local }).auth).toMatchObject({
      channelTokens: { openIdMetadataUrl: local.BOT_OPENID_METADATA_URL, issuer: local.BOT_TOKEN_ISSUER },
    });
    expect(
      problem({
        ...creds,
        ...local,
        BOT_OPENID_METADATA_URL: 'https://login.attacker.example/v1/.well-known/openidconfiguration',
      }),
    ).toEqual({
      variable: 'BOT_OPENID_METADATA_URL',
      message:
        "BOT_OPENID_METADATA_URL: may only name a loopback address (a test double), not login.attacker.example; leave it unset to use Microsoft's",
    });
    expect(problem({ ...creds, BOT_OPENID_METADATA_URL: local.BOT_OPENID_METADATA_URL })?.variable).toBe(
      'BOT_TOKEN_ISSUER',
    );
    expect(problem({ ...creds, BOT_TOKEN_ISSUER: local.BOT_TOKEN_ISSUER })?.variable).toBe('BOT_OPENID_METADATA_URL');
    expect(problem(local)?.message).toContain('has no effect without MicrosoftAppId');
    expect(problem({ ...creds, ...local, BOT_OPENID_METADATA_URL: 'not a url' })?.variable).toBe(
      'BOT_OPENID_METADATA_URL',
    );
  });

  it('reads the allowed tenants, bootstrap admins and command rate, and names a bad one', () => {
    const c = loadConfig({
      ALLOWED_TENANT_IDS: ' 72F988BF-86F1-41AF-91AB-2D7CD011DB47 , 11111111-2222-3333-4444-555555555555,',
      ADMIN_AAD_OBJECT_IDS: '00000000-0000-0000-0000-0000000000025',
      COMMANDS_PER_MINUTE: '60',
      COMMAND_BURST: '5',
    });
    expect(c.allowedTenantIds).toEqual([
      '72f988bf-86f1-41af-91ab-2d7cd011db47',
      '11111111-2222-3333-4444-555555555555',
    ]);
    expect(c.adminAadObjectIds).toEqual(['00000000-0000-0000-0000-0000000000025']);
    expect(c.rateLimit).toEqual({ perMinute: 60, burst: 5 });
    expect(loadConfig({})).toMatchObject({
      allowedTenantIds: [],
      adminAadObjectIds: [],
      rateLimit: { perMinute: 30, burst: 10 },
    });
    expect(problem({ ALLOWED_TENANT_IDS: 'contoso.onmicrosoft.com' })?.message).toBe(
      "ALLOWED_TENANT_IDS: must be GUIDs separated by commas (got 'contoso.onmicrosoft.com')",
    );
    expect(problem({ ADMIN_AAD_OBJECT_IDS: 'sam@example.org' })?.variable).toBe('ADMIN_AAD_OBJECT_IDS');
    expect(problem({ COMMANDS_PER_MINUTE: '0' })?.message).toBe(
      "COMMANDS_PER_MINUTE: must be a whole number from 1 to 1000000 (got '0')",
    );
    expect(problem({ COMMAND_BURST: 'lots' })?.variable).toBe('COMMAND_BURST');
  });

  it('with app credentials, refuses an empty ALLOWED_TENANT_IDS unless ALLOW_ANY_TENANT=true is set on purpose', () => {
    const creds = { MicrosoftAppId: 'id', MicrosoftAppPassword: 'p' };
    expect(problem(creds)?.variable).toBe('ALLOWED_TENANT_IDS');
    expect(problem(creds)?.message).toContain('ALLOW_ANY_TENANT=true');
    expect(problem({ ...creds, ALLOWED_TENANT_IDS: ' ' })?.variable).toBe('ALLOWED_TENANT_IDS');
    expect(problem({ ...creds, ALLOW_ANY_TENANT: 'false' })?.variable).toBe('ALLOWED_TENANT_IDS');
    expect(loadConfig({ ...creds, ALLOW_ANY_TENANT: 'true' }).allowedTenantIds).toEqual([]);
    expect(loadConfig({ ...creds, ...ONE_TENANT }).allowedTenantIds).toEqual([ONE_TENANT.ALLOWED_TENANT_IDS]);
    expect(problem({ ...creds, ...ONE_TENANT, ALLOW_ANY_TENANT: 'true' })?.variable).toBe('ALLOW_ANY_TENANT');
    // Without credentials (npm start on loopback) nothing is asked for.
    expect(problem({})).toBeUndefined();
  });

  it("calls Microsoft Graph only with an app catalog id and the bot's identity, at Graph or a loopback stand-in", () => {
    const identity = {
      MicrosoftAppId: '0b4c1d2e-3f40-4152-9a6b-7c8d9e0f1a2b',
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      ...ONE_TENANT,
    };
    const catalog = '4ab1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
    expect(loadConfig({}).graph).toStrictEqual({ baseUrl: 'https://graph.microsoft.com/v1.0' });
    expect(loadConfig({ ...identity, TEAMS_APP_CATALOG_ID: catalog.toUpperCase() }).graph).toStrictEqual({
      baseUrl: 'https://graph.microsoft.com/v1.0',
      catalogAppId: catalog,
    });
    expect(
      loadConfig({ ...identity, TEAMS_APP_CATALOG_ID: catalog, GRAPH_BASE_URL: 'http://127.0.0.1:4321/v1.0/' }).graph,
    ).toStrictEqual({ baseUrl: 'http://127.0.0.1:4321/v1.0', catalogAppId: catalog });
    expect(problem({ TEAMS_APP_CATALOG_ID: catalog })).toMatchObject({ variable: 'TEAMS_APP_CATALOG_ID' });
    expect(problem({ ...identity, TEAMS_APP_CATALOG_ID: 'my-app' })?.variable).toBe('TEAMS_APP_CATALOG_ID');
    expect(problem({ ...identity, TEAMS_APP_CATALOG_ID: `${catalog},${catalog.replace('4ab', '5ab')}` })).toEqual({
      variable: 'TEAMS_APP_CATALOG_ID',
      message: 'TEAMS_APP_CATALOG_ID: must be one GUID',
    });
    expect(problem({ GRAPH_BASE_URL: 'http://graph.example.com/v1.0' })).toEqual({
      variable: 'GRAPH_BASE_URL',
      message: 'GRAPH_BASE_URL: must be https (or a loopback address for a test stand-in)',
    });
    expect(problem({ GRAPH_BASE_URL: 'graph' })?.variable).toBe('GRAPH_BASE_URL');
  });

  it('refuses to listen beyond loopback without authentication, unless told to', () => {
    expect(problem({ HOST: '0.0.0.0' })).toMatchObject({ variable: 'HOST' });
    expect(problem({ HOST: '0.0.0.0' })?.message).toContain('ALLOW_UNAUTHENTICATED=true');
    expect(loadConfig({ HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true' }).allowUnauthenticated).toBe(true);
    expect(loadConfig({ HOST: '0.0.0.0', MicrosoftAppId: 'id', MicrosoftAppPassword: 'p', ...ONE_TENANT }).host).toBe(
      '0.0.0.0',
    );
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.1.2.3']) expect(problem({ HOST: host })).toBeUndefined();
  });
});

describe('start-up with a bad configuration', () => {
  it('stops with a message naming the variable, and does not listen', async () => {
    const run = promisify(execFile);
    const err = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: 'seventy', HOST: '0.0.0.0', LOG_LEVEL: 'silent' },
      timeout: 30_000,
    }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(2);
    expect(err?.stderr).toContain('Configuration error, not starting:');
    expect(err?.stderr).toContain("PORT: must be a whole number from 0 to 65535 (0 picks a free port) (got 'seventy')");
  });
});
