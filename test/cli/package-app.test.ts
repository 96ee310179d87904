import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

async function packageCli(env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, out: (l) => out.push(l), err: (l) => err.push(l) };
  const zip = join(dir, 'soc-profiles-teams-app.zip');
  const code = await runPackage([], io, { manifestDir: MANIFEST_DIR, out: zip });
  return { code, out, err, zip };
}

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
    expect(existsSync(result.zip)).toBe(false);
  });

  it('writes the package and says what it checked', async () => {
    const result = await packageCli({
      MicrosoftAppId: '0b4c1d2e-3f40-4152-9a6b-7c8d9e0f1a2b',
      BOT_DOMAIN: 'soc-profiles.azurewebsites.net',
    });
    expect(result.code).toBe(0);
    expect(result.out.slice(0, 3)).toEqual([
      'manifest checked: v1.17, app f6e8e10a-0a73-40a9-849a-1bf01ed05ccb, bot 0b4c1d2e-3f40-4152-9a6b-7c8d9e0f1a2b',
      '  commands: help, new gap, new action, my tasks, overdue, rank, gaps, plan, summary in personal, team and groupChat',
      '  valid domains: soc-profiles.azurewebsites.net',
    ]);
    expect(result.out.at(-1)).toMatch(
      /^wrote .*soc-profiles-teams-app\.zip \(\d+ bytes: manifest\.json, color\.png, outline\.png\)$/,
    );
    expect(readFileSync(result.zip).subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
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
