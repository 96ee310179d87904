import { readFileSync } from 'node:fs';
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
]);

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
      botAppId: '0b4c1d2e-3f40-4152-9a6b-7c8d9e0f1a2b',
      botTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      demoData: 'off',
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
    expect(config.auth).toMatchObject({ enabled: true, appType: 'SingleTenant' });
    expect(config.host).toBe('0.0.0.0');
    expect(config.demoData).toBe(false);
    expect(config.allowedTenantIds).toEqual([stand.botTenantId]);
  });

  it('keeps the bot secret in Key Vault and never an account key', () => {
    expect(appSettings().get('MicrosoftAppPassword')).toBe(
      "'@Microsoft.KeyVault(SecretUri=${botSecret.properties.secretUri})'",
    );
    expect(appSettings().has('COSMOS_KEY')).toBe(false);
    expect(bicep).toContain('disableLocalAuth: true');
  });

  it('are each explained in infra/README.md', () => {
    const unexplained = [...appSettings().keys()].filter((n) => !infraReadme.includes(`\`${n}`));
    expect(unexplained).toEqual([]);
  });
});

describe('infra/main.bicep hosting', () => {
  it("runs the Node major package.json asks for, with the app's start script", () => {
    const fx = /linuxFxVersion: 'NODE\|(\d+)-lts'/.exec(bicep);
    const engines = /^>=(\d+)$/.exec(pkg.engines.node);
    expect(fx && engines).toBeTruthy();
    expect(Number(fx![1])).toBeGreaterThanOrEqual(Number(engines![1]));
    expect(bicep).toContain("appCommandLine: 'npm start'");
    expect(pkg.scripts.start).toBeDefined();
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
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((p) => !set.includes(p))).toEqual([]);
  });

  it('holds no secret: the client secret is read from the deploying shell', () => {
    expect(bicepparam).toMatch(/^param botAppPassword = readEnvironmentVariable\('BOT_APP_PASSWORD'\)$/m);
  });
});
