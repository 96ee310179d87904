import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, ValidationError } from '../../domain/errors.js';
import { checkManifest, type BotCommand } from './manifest-check.js';
import { zip } from './zip.js';

/**
 * The Teams app package: manifest.json and its two icons at the root of a zip, the bot's id
 * filled in. The manifest in `manifest/` is a template: `{{MicrosoftAppId}}` (required),
 * `{{BOT_DOMAIN}}` (the host the bot is served from; the entry is dropped when not given: a bot
 * alone needs no valid domain) and an app id that TEAMS_APP_ID may replace, so that a test and a
 * production deployment can sit side by side in one tenant.
 */

export interface PackageSettings {
  /** The bot's Microsoft App ID (MicrosoftAppId): the same value the bot authenticates with. */
  botId: string | undefined;
  /** Host name the bot answers on, e.g. soc-profiles.azurewebsites.net. */
  botDomain?: string | undefined;
  /** Replaces the manifest's own app id. */
  appId?: string | undefined;
}

export interface AppPackage {
  zip: Buffer;
  manifest: Record<string, unknown>;
  /** Paths inside the zip. */
  entries: string[];
  warnings: string[];
}

export async function buildAppPackage(
  manifestDir: string,
  settings: PackageSettings,
  botCommands: readonly BotCommand[],
): Promise<AppPackage> {
  if (!settings.botId) {
    throw new ConfigError(
      'MicrosoftAppId',
      "is not set: it is the bot's Microsoft App ID, written into the manifest as bots[0].botId",
    );
  }
  const template = await readFile(join(manifestDir, 'manifest.json'), 'utf8');
  const filled = fill(JSON.parse(template) as Record<string, unknown>, settings);

  const files = new Map<string, Uint8Array>();
  for (const name of await readdir(manifestDir)) {
    if (name.endsWith('.png')) files.set(name, await readFile(join(manifestDir, name)));
  }
  const { problems, warnings } = checkManifest({ manifest: filled, files }, botCommands);
  if (problems.length > 0) throw new ValidationError(`the manifest is not valid: ${problems.join('; ')}`, problems);

  const icons = filled.icons as { color: string; outline: string };
  const entries = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(filled, null, 2)}\n`, 'utf8') },
    { name: icons.color, data: files.get(icons.color)! },
    { name: icons.outline, data: files.get(icons.outline)! },
  ];
  return { zip: zip(entries), manifest: filled, entries: entries.map((e) => e.name), warnings };
}

function fill(manifest: Record<string, unknown>, settings: PackageSettings): Record<string, unknown> {
  const values: Record<string, string | undefined> = {
    MicrosoftAppId: settings.botId?.toLowerCase(),
    BOT_DOMAIN: settings.botDomain,
  };
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string')
      return value.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
    if (Array.isArray(value)) return value.map(replace);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return value;
  };
  const filled = replace(manifest) as Record<string, unknown>;
  if (settings.appId) filled.id = settings.appId.toLowerCase();
  if (!settings.botDomain && Array.isArray(filled.validDomains)) {
    filled.validDomains = filled.validDomains.filter((d) => d !== '{{BOT_DOMAIN}}');
  }
  return filled;
}
