import { z } from 'zod';
import { decodePng, readPngHeader } from './png.js';

/**
 * Checks a Teams app manifest (v1.17 and later) before it is packaged: the fields and limits of
 * the app manifest schema reference on learn.microsoft.com that this app uses, the icons' sizes
 * and colours, and that the command lists are the bot's own commands. The official JSON schema is
 * not shipped by any npm package (@microsoft/teams-manifest fetches it from the `$schema` URL at
 * run time), so these rules are written out here; the Developer Portal's validation remains the
 * final word.
 */

/** What the check needs to know of one of the bot's commands. */
export interface BotCommand {
  name: string;
  /** Anchored patterns; a manifest command's title must be matched by its own command's. */
  patterns: readonly RegExp[];
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

export const BOT_SCOPES = ['personal', 'team', 'groupChat'] as const;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const HTTPS_URL = z
  .string()
  .max(2048)
  .regex(/^https:\/\/[^\s]+$/, 'must be an https:// URL');
const RELATIVE_PATH = z
  .string()
  .min(1)
  .max(2048)
  .refine((p) => !p.startsWith('/') && !p.includes('..') && !/^[a-z]+:/i.test(p), 'must be a path inside the package');

const Manifest = z.object({
  $schema: z.string(),
  manifestVersion: z.string().regex(/^1\.(1[7-9]|[2-9]\d)$/, 'must be 1.17 or later'),
  version: z
    .string()
    .max(256)
    .regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/, 'must be a version as MAJOR.MINOR.PATCH'),
  id: z.string().regex(GUID, 'must be a GUID'),
  developer: z.object({
    name: z.string().min(1).max(32),
    websiteUrl: HTTPS_URL,
    privacyUrl: HTTPS_URL,
    termsOfUseUrl: HTTPS_URL,
    mpnId: z.string().max(10).optional(),
  }),
  name: z.object({ short: z.string().min(1).max(30), full: z.string().min(1).max(100) }),
  description: z.object({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }),
  icons: z.object({ color: RELATIVE_PATH, outline: RELATIVE_PATH }),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #RRGGBB'),
  bots: z
    .array(
      z.object({
        botId: z.string().regex(GUID, 'must be a GUID (the bot\u2019s Microsoft App ID)'),
        scopes: z.array(z.enum(BOT_SCOPES)).min(1).max(3),
        isNotificationOnly: z.boolean().optional(),
        supportsFiles: z.boolean().optional(),
        commandLists: z
          .array(
            z.object({
              scopes: z.array(z.enum(BOT_SCOPES)).min(1).max(3),
              commands: z
                .array(z.object({ title: z.string().min(1).max(32), description: z.string().min(1).max(128) }))
                .min(1)
                .max(10),
            }),
          )
          .max(3)
          .optional(),
      }),
    )
    .length(1, 'must hold exactly one bot'),
  validDomains: z
    .array(
      z
        .string()
        .max(2048)
        .regex(
          /^(\*\.)?([A-Za-z0-9-]+\.)+[A-Za-z]{2,}(:\d{1,5})?(\/[^\s]*)?$/,
          'must be a host name, without https://',
        ),
    )
    .max(16)
    .optional(),
});
type Manifest = z.infer<typeof Manifest>;

/** Top-level properties of the v1.17 schema; anything else is likely a typo. */
const KNOWN_PROPERTIES = new Set([
  '$schema',
  'manifestVersion',
  'version',
  'id',
  'packageName',
  'localizationInfo',
  'developer',
  'name',
  'description',
  'icons',
  'accentColor',
  'configurableTabs',
  'staticTabs',
  'bots',
  'connectors',
  'subscriptionOffer',
  'composeExtensions',
  'permissions',
  'devicePermissions',
  'validDomains',
  'webApplicationInfo',
  'graphConnector',
  'showLoadingIndicator',
  'isFullScreen',
  'activities',
  'configurableProperties',
  'supportedChannelTypes',
  'defaultBlockUntilAdminAction',
  'publisherDocsUrl',
  'defaultInstallScope',
  'defaultGroupCapability',
  'meetingExtensionDefinition',
  'authorization',
  'extensions',
  'copilotExtensions',
  'copilotAgents',
  'scopeConstraints',
  'elementRelationshipSet',
]);

export function checkManifest(input: ManifestFiles, botCommands: readonly BotCommand[]): CheckResult {
  const problems: string[] = [];
  const warnings: string[] = [];

  const placeholders = [...JSON.stringify(input.manifest).matchAll(/\{\{([^}]*)\}\}/g)].map((m) => m[1]);
  if (placeholders.length > 0) problems.push(`placeholders left unfilled: ${[...new Set(placeholders)].join(', ')}`);

  const parsed = Manifest.safeParse(input.manifest);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || 'manifest'}: ${issue.message}`);
    return { problems, warnings };
  }
  const manifest = parsed.data;

  for (const key of Object.keys(input.manifest as object)) {
    if (!KNOWN_PROPERTIES.has(key)) warnings.push(`${key}: not a property of the app manifest schema`);
  }
  const schemaUrl = new RegExp(
    `^https://developer\\.microsoft\\.com/(en-us/)?json-schemas/teams/v${manifest.manifestVersion.replace('.', '\\.')}/MicrosoftTeams\\.schema\\.json$`,
  );
  if (!schemaUrl.test(manifest.$schema)) {
    problems.push(`$schema: must be the v${manifest.manifestVersion} schema URL, to match manifestVersion`);
  }
  for (const [field, value] of Object.entries(manifest.developer)) {
    if (/CHANGE-?ME/i.test(String(value)))
      warnings.push(`developer.${field} is still a placeholder: change it before publishing`);
  }

  checkBot(manifest, botCommands, problems);
  checkIcons(manifest, input.files, problems);
  return { problems, warnings };
}

function checkBot(manifest: Manifest, botCommands: readonly BotCommand[], problems: string[]): void {
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
  const expected = botCommands.filter((c) => c.menu !== false).map((c) => c.name);
  lists.forEach((list, i) => {
    const titles = list.commands.map((c) => c.title);
    const missing = expected.filter((n) => !titles.includes(n));
    const extra = titles.filter((t) => !expected.includes(t));
    if (missing.length) problems.push(`bots.0.commandLists.${i}: the bot's commands ${missing.join(', ')} are missing`);
    if (extra.length)
      problems.push(
        `bots.0.commandLists.${i}: ${extra.join(', ')} ${extra.length === 1 ? 'is not a command' : 'are not commands'} of the bot (it has ${expected.join(', ')})`,
      );
    for (const title of titles.filter((t) => expected.includes(t))) {
      // What Teams puts in the compose box when the command is picked must reach that command.
      const routed = botCommands.find((c) => c.patterns.some((p) => p.test(title)));
      if (routed?.name !== title) {
        problems.push(
          `bots.0.commandLists.${i}: "${title}" reaches ${routed ? `the ${routed.name} command` : 'no command'} when typed`,
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
