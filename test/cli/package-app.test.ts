import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/app.js';
import type { CliIo } from '../../src/cli/cli-process.js';
import { BOT_COMMANDS, MANIFEST_DIR, runPackage } from '../../src/cli/package-app.js';
import { createLogger } from '../../src/log.js';
import { botDeps } from '../../src/start.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'soc-package-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function packageCli(env: NodeJS.ProcessEnv, manifestDir = MANIFEST_DIR) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await runPackage([], io, { manifestDir, outDir: join(dir, 'appPackage') });
  const written = existsSync(join(dir, 'appPackage')) ? readdirSync(join(dir, 'appPackage')) : [];
  return { code, out, err, written, zip: join(dir, 'appPackage', written[0] ?? 'none.zip') };
}

const APP_ID = '0b4c1d2e-3f40-4152-9a6b-7c8d9e0f1a2b';

describe('npm run package', () => {
  it('refuses to package without MicrosoftAppId, naming the variable', async () => {
    const result = await packageCli({});
    expect(result).toMatchObject({
      code: 2,
      out: [],
      err: [
        "error: configuration: MicrosoftAppId: is not set: it is the bot's Microsoft App ID, written into the manifest as bots[0].botId",
      ],
    });
    expect(result.written).toEqual([]);
  });

  it('writes appPackage/<app name>.zip and says what it checked', async () => {
    const result = await packageCli({ MicrosoftAppId: APP_ID, BOT_DOMAIN: 'soc-profiles.azurewebsites.net' });
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out.slice(0, 5)).toEqual([
      `manifest checked against the v1.22 schema: "SOC Local Profiles", app f6e8e10a-0a73-40a9-849a-1bf01ed05ccb, bot ${APP_ID}`,
      '  commands in personal: summary, gaps, plan, rank, my tasks, overdue, new gap, new action, reminders, help',
      '  commands in team: summary, gaps, plan, rank, overdue, digest now, digest status, subscribe, digest settings, help',
      '  commands in groupChat: summary, gaps, plan, rank, my tasks, overdue, new gap, new action, reminders, help',
      '  valid domains: soc-profiles.azurewebsites.net',
    ]);
    expect(result.written).toEqual(['soc-local-profiles.zip']);
    expect(result.out.at(-1)).toMatch(
      /^wrote .*appPackage\/soc-local-profiles\.zip \(\d+ bytes: manifest\.json, color\.png, outline\.png\)$/,
    );
    expect(readFileSync(result.zip).subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  });

  it('names the app and its file from APP_NAME_SUFFIX, and the app id from TEAMS_APP_ID', async () => {
    const result = await packageCli({
      MicrosoftAppId: APP_ID,
      APP_NAME_SUFFIX: ' (test)',
      TEAMS_APP_ID: '11111111-2222-4333-8444-555555555555',
    });
    expect(result.code).toBe(0);
    expect(result.out[0]).toBe(
      `manifest checked against the v1.22 schema: "SOC Local Profiles (test)", app 11111111-2222-4333-8444-555555555555, bot ${APP_ID}`,
    );
    expect(result.written).toEqual(['soc-local-profiles-test.zip']);
  });

  it.each([
    [{ MicrosoftAppId: 'soc-bot' }, 'MicrosoftAppId: must be a GUID'],
    [{ MicrosoftAppId: APP_ID, BOT_DOMAIN: 'https://soc.example.org' }, 'BOT_DOMAIN: must be the host name'],
    [{ MicrosoftAppId: APP_ID, TEAMS_APP_ID: 'soc' }, 'TEAMS_APP_ID: must be a GUID'],
    [{ MicrosoftAppId: APP_ID, APP_NAME_SUFFIX: ' for the integration tests' }, 'APP_NAME_SUFFIX: must be at most'],
  ])('stops on %j, naming the variable, and writes nothing', async (env, named) => {
    const result = await packageCli(env);
    expect(result.code).toBe(2);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain(`error: configuration: ${named}`);
    expect(result.written).toEqual([]);
  });

  it("lists every schema error of a manifest Microsoft's schema refuses, and writes nothing", async () => {
    const manifestDir = join(dir, 'manifest');
    cpSync(MANIFEST_DIR, manifestDir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(manifestDir, 'manifest.json'), 'utf8'));
    manifest.accentColor = 'navy';
    manifest.description.short = 'x'.repeat(81);
    writeFileSync(join(manifestDir, 'manifest.json'), JSON.stringify(manifest));
    const result = await packageCli({ MicrosoftAppId: APP_ID }, manifestDir);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([
      'error: the manifest is not valid, so no package was written:',
      '  schema /description/short: must NOT have more than 80 characters',
      expect.stringMatching(/^ {2}schema \/accentColor: must match pattern/),
    ]);
    expect(result.written).toEqual([]);
  });

  it("checks against the bot's own commands, in the order it routes them", async () => {
    const store = openSqliteStore({ file: join(dir, 'store.db') });
    try {
      const clock = () => new Date('2026-03-02T09:00:00Z');
      const bot = createBot(botDeps(store, clock, createLogger('silent')), { enabled: false });
      expect(BOT_COMMANDS.map((c) => c.name)).toEqual(bot.commands.map((c) => c.name));
      expect(BOT_COMMANDS.map((c) => c.patterns.map(String))).toEqual(bot.commands.map((c) => c.patterns.map(String)));
    } finally {
      await store.close();
    }
  });
});
