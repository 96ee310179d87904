import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, ValidationError } from '../../domain/errors.js';
import { checkManifest, type BotCommand } from './manifest-check.js';
import { zip } from './zip.js';

/**
 * The Teams app package: manifest.json and its two icons at the root of a zip, the bot's id
 * filled in. The manifest in `manifest/` is a template: `{{MicrosoftAppId}}` (required),
 * `{{BOT_DOMAIN}}` (the host the bot is served from; the entry is dropped when not given: a bot
 * alone needs no valid domain, and without it the message extension previews no links), `{{APP_NAME_SUFFIX}}` (empty unless given) and an app id that
 * TEAMS_APP_ID may replace, so that a test and a production deployment can sit side by side in
 * one tenant. Each value is checked, naming its variable, before anything is filled in.
 */

export interface PackageSettings {
  /** The bot's Microsoft App ID (MicrosoftAppId): the same value the bot authenticates with. */
  botId: string | undefined;
  /** Host name the bot answers on, e.g. soc-profiles.azurewebsites.net. */
  botDomain?: string | undefined;
  /** Replaces the manifest's own app id. */
  appId?: string | undefined;
  /** Appended to the app's names, e.g. " (test)", so copies can be told apart in Teams. */
  nameSuffix?: string | undefined;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const HOST = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
/** "SOC Local Profiles" leaves this much of the 30 characters Teams allows a short name. */
export const NAME_SUFFIX_MAX = 12;

function checkSettings(settings: PackageSettings): void {
  if (!settings.botId) {
    throw new ConfigError(
      'MicrosoftAppId',
      "is not set: it is the bot's Microsoft App ID, written into the manifest as bots[0].botId",
    );
  }
  if (!GUID.test(settings.botId)) {
    throw new ConfigError(
      'MicrosoftAppId',
      "must be a GUID: the Application (client) ID of the bot's app registration",
    );
  }
  if (settings.appId !== undefined && settings.appId !== '' && !GUID.test(settings.appId)) {
    throw new ConfigError('TEAMS_APP_ID', 'must be a GUID (or unset, to keep the id in manifest/manifest.json)');
  }
  if (settings.botDomain && !HOST.test(settings.botDomain)) {
    throw new ConfigError(
      'BOT_DOMAIN',
      'must be the host name the bot is served from, without https:// or a path, e.g. soc-profiles.azurewebsites.net',
    );
  }
  const suffix = settings.nameSuffix ?? '';
  if (suffix.length > NAME_SUFFIX_MAX || /[\u0000-\u001f{}]/.test(suffix)) {
    throw new ConfigError(
      'APP_NAME_SUFFIX',
      `must be at most ${NAME_SUFFIX_MAX} printable characters (the short name has 30 in all)`,
    );
  }
}

/** What a caller reads of a manifest that passed the check. */
export interface PackagedManifest extends Record<string, unknown> {
  manifestVersion: string;
  id: string;
  name: { short: string; full: string };
  bots: { botId: string; commandLists: { scopes: string[]; commands: { title: string }[] }[] }[];
  validDomains?: string[];
}

export interface AppPackage {
  zip: Buffer;
  manifest: PackagedManifest;
  /** Paths inside the zip. */
  entries: string[];
  warnings: string[];
}

export async function buildAppPackage(
  manifestDir: string,
  settings: PackageSettings,
  botCommands: readonly BotCommand[],
): Promise<AppPackage> {
  checkSettings(settings);
  const template = await readFile(join(manifestDir, 'manifest.json'), 'utf8');
  const filled = fill(JSON.parse(template) as Record<string, unknown>, settings);

  const files = new Map<string, Uint8Array>();
  for (const name of await readdir(manifestDir)) {
    if (name.endsWith('.png')) files.set(name, await readFile(join(manifestDir, name)));
  }
  const { problems, warnings } = await checkManifest({ manifest: filled, files }, botCommands);
  if (problems.length > 0) throw new ValidationError(`the manifest is not valid: ${problems.join('; ')}`, problems);

  const icons = filled.icons as { color: string; outline: string };
  const entries = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(filled, null, 2)}\n`, 'utf8') },
    { name: icons.color, data: files.get(icons.color)! },
    { name: icons.outline, data: files.get(icons.outline)! },
  ];
  return { zip: zip(entries), manifest: filled as PackagedManifest, entries: entries.map((e) => e.name), warnings };
}

function fill(manifest: Record<string, unknown>, settings: PackageSettings): Record<string, unknown> {
  const values: Record<string, string | undefined> = {
    MicrosoftAppId: settings.botId?.toLowerCase(),
    BOT_DOMAIN: settings.botDomain,
    APP_NAME_SUFFIX: settings.nameSuffix ?? '',
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
  // Without a domain there are no district links, so nothing to preview: the link handlers go.
  if (!settings.botDomain && Array.isArray(filled.composeExtensions)) {
    filled.composeExtensions = filled.composeExtensions.map((ext: Record<string, unknown>) => {
      const handlers = (Array.isArray(ext.messageHandlers) ? ext.messageHandlers : []).filter(
        (h: { value?: { domains?: unknown } }) => !JSON.stringify(h.value?.domains ?? []).includes('{{BOT_DOMAIN}}'),
      );
      const { messageHandlers: _dropped, ...rest } = ext;
      return handlers.length ? { ...rest, messageHandlers: handlers } : rest;
    });
  }
  return filled;
}
