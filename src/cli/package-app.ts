import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { boardCommands } from '../bot/routes/board.js';
import { gapsCommand } from '../bot/routes/gaps.js';
import { helpCommand } from '../bot/routes/help.js';
import { planCommand } from '../bot/routes/plan.js';
import { rankCommand } from '../bot/routes/rank.js';
import { reminderCommands } from '../bot/routes/reminders.js';
import { recommendationsCommand } from '../bot/routes/recommendations.js';
import { summaryCommand } from '../bot/routes/summary.js';
import { taskCommands } from '../bot/routes/tasks.js';
import type { BotCommand } from '../services/teams-app/manifest-check.js';
import { ValidationError } from '../domain/errors.js';
import { buildAppPackage } from '../services/teams-app/app-package.js';
import { EXIT, explain, parseOptions, runAsProcess, type CliIo, type ExitCode } from './cli-process.js';

/**
 * `npm run package`: the Teams app package, appPackage/<app name>.zip (where Agents Toolkit puts
 * it), from manifest/ with the bot's id (MicrosoftAppId) filled in and the manifest checked
 * against Microsoft's schema. BOT_DOMAIN, TEAMS_APP_ID and APP_NAME_SUFFIX are optional
 * (src/services/teams-app/app-package.ts says what they do). Nothing is written unless every
 * check passes.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MANIFEST_DIR = resolve(ROOT, 'manifest');
export const DEFAULT_OUT_DIR = resolve(ROOT, 'appPackage');

/** "SOC Local Profiles (test)" → "soc-local-profiles-test". */
export function packageFileName(shortName: string): string {
  const slug = shortName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${slug || 'teams-app'}.zip`;
}

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
  recommendationsCommand,
  summaryCommand,
  ...reminderCommands,
  ...boardCommands,
];

export async function runPackage(
  args: readonly string[],
  io: CliIo,
  paths: { manifestDir: string; outDir: string } = { manifestDir: MANIFEST_DIR, outDir: DEFAULT_OUT_DIR },
): Promise<ExitCode> {
  try {
    const v = parseOptions('package', args, { out: { type: 'string' } });
    const built = await buildAppPackage(
      paths.manifestDir,
      {
        botId: io.env.MicrosoftAppId?.trim(),
        botDomain: io.env.BOT_DOMAIN?.trim(),
        appId: io.env.TEAMS_APP_ID?.trim(),
        nameSuffix: io.env.APP_NAME_SUFFIX,
      },
      BOT_COMMANDS,
    );
    const name = built.manifest.name.short;
    const out = v.out ? resolve(v.out) : resolve(paths.outDir, packageFileName(name));
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, built.zip);
    const bot = built.manifest.bots[0]!;
    const domains = built.manifest.validDomains ?? [];
    io.out(
      `manifest checked against the v${String(built.manifest.manifestVersion)} schema: "${name}", app ${String(built.manifest.id)}, bot ${bot.botId}`,
    );
    for (const list of bot.commandLists) {
      io.out(`  commands in ${list.scopes.join(', ')}: ${list.commands.map((c) => c.title).join(', ')}`);
    }
    io.out(
      `  valid domains: ${domains.length ? domains.join(', ') : 'none (set BOT_DOMAIN to the bot host name to add it)'}`,
    );
    built.warnings.forEach((w) => io.out(`  warning: ${w}`));
    io.out(`wrote ${relative(process.cwd(), out) || out} (${built.zip.length} bytes: ${built.entries.join(', ')})`);
    return EXIT.ok;
  } catch (err) {
    const { code, line } = explain(err);
    if (err instanceof ValidationError && err.issues.length > 0) {
      io.err('error: the manifest is not valid, so no package was written:');
      err.issues.forEach((issue) => io.err(`  ${issue}`));
    } else {
      io.err(`error: ${line}`);
    }
    return code;
  }
}

runAsProcess(import.meta.url, (args, io) => runPackage(args, io));
