import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES, loadConfig } from '../../src/config.js';

/**
 * infra/main.bicep and main.bicepparam against the code they deploy: no Bicep compiler here, so
 * they are read as text, and every name the app depends on is checked against its source.
 */
const root = join(import.meta.dirname, '../..');
const bicep = readFileSync(join(root, 'infra/main.bicep'), 'utf8');
const bicepparam = readFileSync(join(root, 'infra/main.bicepparam'), 'utf8');
const infraReadme = readFileSync(join(root, 'infra/README.md'), 'utf8');
const server = readFileSync(join(root, 'src/server.ts'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

/** Settings the platform or a library reads, not src/config.ts. */
const PLATFORM_SETTINGS = new Set([
  'AZURE_CLIENT_ID', // @azure/identity: which user-assigned identity DefaultAzureCredential uses
  'SCM_DO_BUILD_DURING_DEPLOYMENT', // App Service: run the build on zip deploy
  'APPLICATIONINSIGHTS_CONNECTION_STRING', // the Application Insights agent
  'ApplicationInsightsAgent_EXTENSION_VERSION', // App Service: turns the Linux Node agent on
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', // the agent: send telemetry as the identity (local auth is off)
]);

/** Bicep without its `//` comments (which may say what is not there). */
function withoutComments(text: string): string {
  return text.replace(/^\s*\/\/.*$/gm, '').replace(/ \/\/ .*$/gm, '');
}

/** The body of one resource declaration, `resource <name> '<type>@<version>' = { … }`. */
function resourceBody(name: string): string {
  const start = bicep.search(new RegExp(`^resource ${name} '`, 'm'));
  if (start < 0) throw new Error(`no resource ${name} in main.bicep`);
  const end = bicep.indexOf('\n}\n', start);
  return bicep.slice(start, end + 2);
}

function appSettings(): Map<string, string> {
  const start = bicep.indexOf('appSettings: [');
  const block = bicep.slice(start, bicep.indexOf('\n      ]', start));
  return new Map([...block.matchAll(/\{ name: '([^']+)', value: (.+) \}/g)].map((m) => [m[1]!, m[2]!]));
}

/** `param name type [= default]` declarations of main.bicep. */
function declaredParams(): Map<string, { hasDefault: boolean }> {
  return new Map(
    [...bicep.matchAll(/^param (\w+) \w+( = .+)?$/gm)].map((m) => [m[1]!, { hasDefault: m[2] !== undefined }]),
  );
}

describe('infra/main.bicep app settings', () => {
  it('sets only variables src/config.ts reads, or ones the platform reads', () => {
    const unknown = [...appSettings().keys()].filter((n) => !ENV_VARIABLES.includes(n) && !PLATFORM_SETTINGS.has(n));
    expect(unknown).toEqual([]);
  });

  it('gives a configuration src/config.ts accepts: Cosmos, authentication on, listening on every interface', () => {
    const settings = appSettings();
    // Deployment-time values stand in for the expressions Bicep fills in.
    const stand: Record<string, string> = {
      "join(bootstrapAdminObjectIds, ',')": '',
      'cosmos.properties.documentEndpoint': 'https://socprofiles-x.documents.azure.com:443/',
      databaseId: 'soc-profiles',
      'identity.properties.clientId': '0b4c1d2e-3f40-4152-9a6b-7c8d9e0f1a2b',
      botTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      demoData: 'off',
      auditRetentionDays: 'forever',
      'string(appMaxInstances)': '10',
      teamsAppCatalogId: '4ab1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
    };
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of settings) {
      if (!ENV_VARIABLES.includes(name)) continue;
      const literal = /^'(.*)'$/.exec(value);
      env[name] = literal ? literal[1]! : (stand[value] ?? 'resolved-at-deployment');
    }
    const config = loadConfig(env);
    expect(config.store).toMatchObject({ kind: 'cosmos', databaseId: 'soc-profiles' });
    expect(config.store).not.toHaveProperty('key');
    expect(config.auth).toMatchObject({
      enabled: true,
      appType: 'UserAssignedMSI',
      appId: stand['identity.properties.clientId'],
      tenantId: stand.botTenantId,
    });
    expect(config.auth).not.toHaveProperty('appPassword');
    expect(config.host).toBe('0.0.0.0');
    expect(config.demoData).toBe(false);
    expect(config.allowedTenantIds).toEqual([stand.botTenantId]);
    // Per-bot limits are shared out over the most instances autoscale may run.
    expect(config.instances).toBe(10);
    // The catalog id is a parameter; Graph is Microsoft's.
    expect(config.graph).toStrictEqual({
      baseUrl: 'https://graph.microsoft.com/v1.0',
      catalogAppId: stand.teamsAppCatalogId,
    });
  });

  it('holds no secret: the bot signs in as the managed identity, and there is no account key', () => {
    const settings = appSettings();
    expect(settings.get('MicrosoftAppType')).toBe("'UserAssignedMSI'");
    expect(settings.get('MicrosoftAppId')).toBe('identity.properties.clientId');
    expect(settings.has('MicrosoftAppPassword')).toBe(false);
    expect(settings.has('COSMOS_KEY')).toBe(false);
    const code = withoutComments(bicep);
    expect(code).not.toMatch(/@secure\(\)/);
    expect(code).not.toMatch(/password|secret|Microsoft\.KeyVault/i);
  });

  it('are each explained in infra/README.md', () => {
    const unexplained = [...appSettings().keys()].filter((n) => !infraReadme.includes(`\`${n}`));
    expect(unexplained).toEqual([]);
  });
});

describe('infra/main.bicep local authentication is off everywhere (issue 13, finding 7)', () => {
  it('the Azure Bot is the user-assigned managed identity, with local auth disabled', () => {
    const bot = resourceBody('bot');
    expect(bot).toContain("msaAppType: 'UserAssignedMSI'");
    expect(bot).toContain('msaAppId: identity.properties.clientId');
    expect(bot).toContain('msaAppMSIResourceId: identity.id');
    expect(bot).toContain('msaAppTenantId: botTenantId');
    expect(bot).toContain('disableLocalAuth: true');
  });

  it('the web app has SCM and FTP basic publishing credentials off', () => {
    for (const name of ['scm', 'ftp']) {
      const policy = new RegExp(
        `resource \\w+ 'Microsoft\\.Web/sites/basicPublishingCredentialsPolicies@[^']+' = \\{\\n  parent: app\\n  name: '${name}'\\n  properties: \\{\\n    allow: false\\n  \\}\\n\\}`,
      );
      expect(bicep, name).toMatch(policy);
    }
  });

  it('Application Insights takes only Entra ID ingestion, and the agent sends as the identity, which may publish', () => {
    expect(resourceBody('insights')).toContain('DisableLocalAuth: true');
    expect(appSettings().get('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')).toBe(
      "'Authorization=AAD;ClientId=${identity.properties.clientId}'",
    );
    const publisher = resourceBody('appPublishesTelemetry');
    expect(publisher).toContain('scope: insights');
    expect(publisher).toContain('principalId: identity.properties.principalId');
    // Monitoring Metrics Publisher, the built-in role Entra ID ingestion needs.
    expect(bicep).toContain("'3913510d-42f4-4e42-8a64-420c390055eb'");
  });
});

describe('infra/main.bicep hosting', () => {
  it('runs the Node major package.json asks for, starting the built dist/main.js with no compile at start', () => {
    const fx = /linuxFxVersion: 'NODE\|(\d+)-lts'/.exec(bicep);
    const engines = /^>=(\d+)$/.exec(pkg.engines.node);
    expect(fx && engines).toBeTruthy();
    expect(Number(fx![1])).toBeGreaterThanOrEqual(Number(engines![1]));
    const command = /appCommandLine: '([^']+)'/.exec(bicep)![1]!;
    expect(command).toMatch(/^node (--[\w=-]+ )*dist\/main\.js$/);
    // `npm run build` writes dist/ from src/, so dist/main.js is src/main.ts compiled.
    const build = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    expect(build.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(existsSync(join(root, 'src/main.ts'))).toBe(true);
    // `npm run build` is scripts/build-if-stale.js --force, which compiles with tsconfig.build.json.
    expect(pkg.scripts.build).toBe('node scripts/build-if-stale.js --force');
    expect(readFileSync(join(root, 'scripts/build-if-stale.js'), 'utf8')).toContain('tsconfig.build.json');
    expect(appSettings().get('SCM_DO_BUILD_DURING_DEPLOYMENT')).toBe("'false'");
  });

  it('probes and registers the paths src/server.ts serves', () => {
    const health = /healthCheckPath: '([^']+)'/.exec(bicep)![1]!;
    const messages = /endpoint: 'https:\/\/\$\{app\.properties\.defaultHostName\}([^']+)'/.exec(bicep)![1]!;
    expect(server).toContain(`server.get('${health}'`);
    expect(server).toContain(`server.post('${messages}'`);
  });

  it('has Application Insights over a Log Analytics workspace, and sends the app logs there', () => {
    expect(bicep).toMatch(/resource insights 'Microsoft\.Insights\/components@/);
    expect(bicep).toContain('WorkspaceResourceId: workspace.id');
    expect(appSettings().get('APPLICATIONINSIGHTS_CONNECTION_STRING')).toBe('insights.properties.ConnectionString');
    expect(bicep).toContain("{ category: 'AppServiceConsoleLogs', enabled: true }");
  });
});

describe('infra/main.bicep Azure Bot channels', () => {
  /** Each `Microsoft.BotService/botServices/channels` resource: its channelName and its body. */
  function channels(): { name: string; body: string }[] {
    return [
      ...bicep.matchAll(/^resource \w+ 'Microsoft\.BotService\/botServices\/channels@[^']+' = \{\n([\s\S]*?)\n\}/gm),
    ].map((m) => ({ name: /channelName: '(\w+)'/.exec(m[1]!)?.[1] ?? '', body: m[1]! }));
  }

  it('enables only the Teams channel: Web Chat is declared with its site off, and no Direct Line or other', () => {
    const declared = channels();
    expect(declared.map((c) => c.name).sort()).toEqual(['MsTeamsChannel', 'WebChatChannel']);
    expect(declared.find((c) => c.name === 'MsTeamsChannel')!.body).toMatch(/isEnabled: true/);
    const webChat = declared.find((c) => c.name === 'WebChatChannel')!.body;
    expect(webChat).toMatch(/isEnabled: false/);
    expect(webChat).not.toMatch(/isEnabled: true/);
    expect(webChat).toMatch(/isWebchatPreviewEnabled: false/);
    expect(bicep).not.toMatch(/DirectLine/i);
  });
});

describe('infra/main.bicepparam', () => {
  const set = [...bicepparam.matchAll(/^param (\w+) = /gm)].map((m) => m[1]!);

  it('uses main.bicep and sets only parameters it declares', () => {
    expect(bicepparam).toContain("using './main.bicep'");
    const params = declaredParams();
    expect(set.filter((p) => !params.has(p))).toEqual([]);
  });

  it('sets every parameter main.bicep has no default for', () => {
    const required = [...declaredParams()].filter(([, p]) => !p.hasDefault).map(([name]) => name);
    expect(declaredParams().size).toBeGreaterThan(0);
    expect(required.filter((p) => !set.includes(p))).toEqual([]);
  });

  it('holds no secret, and asks for none', () => {
    expect(withoutComments(bicepparam)).not.toMatch(/PASSWORD|SECRET|botApp/i);
  });
});
