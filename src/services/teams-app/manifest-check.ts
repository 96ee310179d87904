import { decodePng, readPngHeader } from './png.js';
import { DISTRICT_SEARCH } from './message-extension.js';
import { schemaProblems } from './manifest-schema.js';

/**
 * Checks a Teams app manifest before it is packaged: first against Microsoft's JSON schema for
 * its version (manifest-schema.ts), then the rules the schema cannot know: the command lists are
 * the bot's own commands for each scope, the icons have the right sizes and colours, nothing is
 * left unfilled. The Developer Portal's validation remains the final word.
 */

export type BotScope = 'personal' | 'team' | 'groupChat';
export const BOT_SCOPES: readonly BotScope[] = ['personal', 'team', 'groupChat'];

/** What the check needs to know of one of the bot's commands. */
export interface BotCommand {
  name: string;
  /** Anchored patterns; a manifest command's title must be matched by its own command's. */
  patterns: readonly RegExp[];
  /** Where the bot answers it; every scope when absent. */
  scopes?: readonly BotScope[];
  /**
   * false: left out of Teams' command menu (it takes at most 10 per scope), for commands that
   * are of no use without an argument typed after them (`assign G-12 to …`, `history G-12`).
   */
  menu?: boolean;
}

export interface ManifestFiles {
  manifest: unknown;
  /** Files beside manifest.json, by relative path (the icons). */
  files: ReadonlyMap<string, Uint8Array>;
}

export interface CheckResult {
  /** Each stops packaging. */
  problems: string[];
  /** Worth fixing before publishing, but an upload to a test tenant works. */
  warnings: string[];
}

/** Teams shows at most this many commands a list (the schema's maxItems). */
export const COMMANDS_PER_LIST = 10;

/** The parts of a manifest that passed the schema which the rules below read. */
interface Manifest {
  $schema?: string;
  manifestVersion: string;
  developer: Record<string, string>;
  icons: { color: string; outline: string };
  bots: {
    scopes: BotScope[];
    isNotificationOnly?: boolean;
    botId: string;
    commandLists?: { scopes: BotScope[]; commands: { title: string; description: string }[] }[];
  }[];
  composeExtensions?: {
    botId?: string;
    commands?: { id: string; type?: string; parameters?: { name: string }[] }[];
    messageHandlers?: { type: string; value: { domains?: string[] } }[];
  }[];
  validDomains?: string[];
}

export async function checkManifest(input: ManifestFiles, botCommands: readonly BotCommand[]): Promise<CheckResult> {
  const problems: string[] = [];
  const warnings: string[] = [];

  const placeholders = [...JSON.stringify(input.manifest).matchAll(/\{\{([^}]*)\}\}/g)].map((m) => m[1]);
  if (placeholders.length > 0) {
    problems.push(`placeholders left unfilled: ${[...new Set(placeholders)].join(', ')}`);
    return { problems, warnings };
  }
  if (!input.manifest || typeof input.manifest !== 'object' || Array.isArray(input.manifest)) {
    return { problems: ['manifest.json: must be a JSON object'], warnings };
  }
  const fromSchema = await schemaProblems(input.manifest as Record<string, unknown>);
  if (fromSchema.length > 0) return { problems: fromSchema.map((p) => `schema ${p}`), warnings };
  const manifest = input.manifest as Manifest;

  const schemaUrl = new RegExp(
    `^https://developer\\.microsoft\\.com/(en-us/)?json-schemas/teams/v${manifest.manifestVersion.replace('.', '\\.')}/MicrosoftTeams\\.schema\\.json$`,
  );
  if (!manifest.$schema || !schemaUrl.test(manifest.$schema)) {
    problems.push(`$schema: must be the v${manifest.manifestVersion} schema URL, to match manifestVersion`);
  }
  for (const [field, value] of Object.entries(manifest.developer)) {
    if (/CHANGE-?ME/i.test(String(value)))
      warnings.push(`developer.${field} is still a placeholder: change it before publishing`);
  }

  if (manifest.bots.length !== 1) problems.push('bots: must hold exactly one bot');
  else {
    checkBot(manifest, botCommands, problems, warnings);
    checkMessageExtension(manifest, problems);
  }
  checkIcons(manifest, input.files, problems);
  return { problems, warnings };
}

function checkBot(
  manifest: Manifest,
  botCommands: readonly BotCommand[],
  problems: string[],
  warnings: string[],
): void {
  const bot = manifest.bots[0]!;
  const missingScopes = BOT_SCOPES.filter((s) => !bot.scopes.includes(s));
  if (missingScopes.length)
    problems.push(`bots.0.scopes: the bot answers in ${BOT_SCOPES.join(', ')}; missing ${missingScopes.join(', ')}`);
  if (bot.isNotificationOnly) problems.push('bots.0.isNotificationOnly: the bot is conversational; must be false');

  const lists = bot.commandLists ?? [];
  for (const scope of bot.scopes) {
    const forScope = lists.filter((l) => l.scopes.includes(scope));
    if (forScope.length !== 1) {
      problems.push(
        `bots.0.commandLists: ${forScope.length === 0 ? 'no' : 'more than one'} command list for scope ${scope}`,
      );
    }
  }
  lists.forEach((list, i) => {
    const where = `bots.0.commandLists.${i} (${list.scopes.join(', ')})`;
    // The menu commands the bot answers in every scope the list is shown in, in routing order.
    const answered = botCommands.filter(
      (c) => c.menu !== false && list.scopes.every((s) => (c.scopes ?? BOT_SCOPES).includes(s)),
    );
    const names = answered.map((c) => c.name);
    const titles = list.commands.map((c) => c.title);
    const extra = titles.filter((t) => !names.includes(t));
    if (extra.length) {
      problems.push(
        `${where}: ${extra.join(', ')} ${extra.length === 1 ? 'is not a command' : 'are not commands'} the bot answers there (it has ${names.join(', ')})`,
      );
    }
    const missing = names.filter((n) => !titles.includes(n));
    if (missing.length && titles.length < COMMANDS_PER_LIST) {
      problems.push(`${where}: the bot's commands ${missing.join(', ')} are missing`);
    } else if (missing.length) {
      warnings.push(
        `${where}: Teams lists ${COMMANDS_PER_LIST} commands at most, so ${missing.join(', ')} are left out`,
      );
    }
    for (const title of titles.filter((t) => names.includes(t))) {
      // What Teams puts in the compose box when the command is picked must reach that command.
      const routed = botCommands.find((c) => c.patterns.some((p) => p.test(title)));
      if (routed?.name !== title) {
        problems.push(
          `${where}: "${title}" reaches ${routed ? `the ${routed.name} command` : 'no command'} when typed`,
        );
      }
    }
  });
}

/**
 * The message extension is the bot's own district search: answered by the same bot, its one
 * command the one the bot routes, and link previews asked only for the bot's own domain (the
 * bot unfurls only its district links; a wildcard would send it other people's links).
 */
function checkMessageExtension(manifest: Manifest, problems: string[]): void {
  const extensions = manifest.composeExtensions ?? [];
  if (extensions.length !== 1) {
    problems.push(`composeExtensions: must hold exactly one, the district search (it has ${extensions.length})`);
    return;
  }
  const ext = extensions[0]!;
  if (ext.botId !== manifest.bots[0]!.botId) {
    problems.push("composeExtensions.0.botId: must be the bot's id (bots.0.botId), which answers the search");
  }
  const commands = ext.commands ?? [];
  const search = commands.find((c) => c.id === DISTRICT_SEARCH.commandId);
  if (commands.length !== 1 || !search) {
    problems.push(
      `composeExtensions.0.commands: must be the one search command the bot answers, ${DISTRICT_SEARCH.commandId} (it has ${commands.map((c) => c.id).join(', ') || 'none'})`,
    );
  } else {
    if (search.type !== 'query') problems.push(`composeExtensions.0.commands.0 (${search.id}): must be of type query`);
    const names = (search.parameters ?? []).map((p) => p.name);
    if (names.length !== 1 || names[0] !== DISTRICT_SEARCH.parameter) {
      problems.push(
        `composeExtensions.0.commands.0 (${search.id}): must have the one parameter ${DISTRICT_SEARCH.parameter} (it has ${names.join(', ') || 'none'})`,
      );
    }
  }
  const valid = manifest.validDomains ?? [];
  (ext.messageHandlers ?? []).forEach((handler, i) => {
    for (const domain of handler.value.domains ?? []) {
      if (domain.includes('*') || !valid.includes(domain)) {
        problems.push(
          `composeExtensions.0.messageHandlers.${i}: ${domain} is not the bot's own domain (validDomains: ${valid.join(', ') || 'none'}); only the bot's district links are previewed`,
        );
      }
    }
  });
}

const ICON_SIZES = { color: 192, outline: 32 } as const;

function checkIcons(manifest: Manifest, files: ReadonlyMap<string, Uint8Array>, problems: string[]): void {
  for (const which of ['color', 'outline'] as const) {
    const path = manifest.icons[which];
    const bytes = files.get(path);
    if (!bytes) {
      problems.push(`icons.${which}: ${path} is not in the manifest folder`);
      continue;
    }
    const header = readPngHeader(bytes);
    if (typeof header === 'string') {
      problems.push(`icons.${which}: ${path} ${header}`);
      continue;
    }
    const size = ICON_SIZES[which];
    if (header.width !== size || header.height !== size) {
      problems.push(`icons.${which}: ${path} is ${header.width}×${header.height}; must be ${size}×${size}`);
      continue;
    }
    if (which !== 'outline') continue;
    const image = decodePng(bytes);
    if (!image) {
      problems.push(`icons.outline: ${path} must be an 8-bit, non-interlaced PNG so its colours can be checked`);
      continue;
    }
    let stray = 0;
    for (let i = 0; i < image.rgba.length; i += 4) {
      const [r, g, b, a] = [image.rgba[i]!, image.rgba[i + 1]!, image.rgba[i + 2]!, image.rgba[i + 3]!];
      if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) stray++;
    }
    if (stray > 0) problems.push(`icons.outline: ${path} has ${stray} pixels that are neither white nor transparent`);
  }
}
