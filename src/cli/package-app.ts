import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gapsCommand } from '../bot/routes/gaps.js';
import { helpCommand } from '../bot/routes/help.js';
import { planCommand } from '../bot/routes/plan.js';
import { rankCommand } from '../bot/routes/rank.js';
import { summaryCommand } from '../bot/routes/summary.js';
import { taskCommands } from '../bot/routes/tasks.js';
import type { BotCommand } from '../services/teams-app/manifest-check.js';
import { buildAppPackage } from '../services/teams-app/app-package.js';
import { EXIT, explain, parseOptions, runAsProcess, type CliIo, type ExitCode } from './cli-process.js';

/**
 * `npm run package`: the Teams app package, dist/soc-profiles-teams-app.zip, from manifest/ with
 * the bot's id (MicrosoftAppId) filled in and the manifest checked. BOT_DOMAIN and TEAMS_APP_ID
 * are optional (src/services/teams-app/app-package.ts says what they do).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MANIFEST_DIR = resolve(ROOT, 'manifest');
export const DEFAULT_OUT = resolve(ROOT, 'dist/soc-profiles-teams-app.zip');

/** The bot's commands in the order it routes them (src/bot/app.ts); a test keeps the two the same. */
export const BOT_COMMANDS: readonly BotCommand[] = [
  helpCommand(() => []),
  // Packaging reads names and patterns only; nothing here is ever run, so nothing is sent.
  ...taskCommands(() => {
    throw new Error('packaging does not deliver task cards');
  }),
  rankCommand,
  gapsCommand,
  planCommand,
  summaryCommand,
];

export async function runPackage(
  args: readonly string[],
  io: CliIo,
  paths: { manifestDir: string; out: string } = { manifestDir: MANIFEST_DIR, out: DEFAULT_OUT },
): Promise<ExitCode> {
  try {
    const v = parseOptions('package', args, { out: { type: 'string' } });
    const out = v.out ? resolve(v.out) : paths.out;
    const built = await buildAppPackage(
      paths.manifestDir,
      {
        botId: io.env.MicrosoftAppId?.trim(),
        botDomain: io.env.BOT_DOMAIN?.trim(),
        appId: io.env.TEAMS_APP_ID?.trim(),
      },
      BOT_COMMANDS,
    );
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, built.zip);
    const bot = (built.manifest.bots as { botId: string }[])[0]!;
    const domains = (built.manifest.validDomains as string[] | undefined) ?? [];
    io.out(
      `manifest checked: v${String(built.manifest.manifestVersion)}, app ${String(built.manifest.id)}, bot ${bot.botId}`,
    );
    io.out(
      `  commands: ${BOT_COMMANDS.filter((c) => c.menu !== false)
        .map((c) => c.name)
        .join(', ')} in personal, team and groupChat`,
    );
    io.out(
      `  valid domains: ${domains.length ? domains.join(', ') : 'none (set BOT_DOMAIN to the bot host name to add it)'}`,
    );
    built.warnings.forEach((w) => io.out(`  warning: ${w}`));
    io.out(`wrote ${relative(process.cwd(), out) || out} (${built.zip.length} bytes: ${built.entries.join(', ')})`);
    return EXIT.ok;
  } catch (err) {
    const { code, line } = explain(err);
    io.err(`error: ${line}`);
    return code;
  }
}

runAsProcess(import.meta.url, (args, io) => runPackage(args, io));
