import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOT_COMMANDS, MANIFEST_DIR } from '../../src/cli/package-app.js';
import { colourIcon, outlineIcon } from '../../src/services/teams-app/app-icons.js';
import { buildAppPackage } from '../../src/services/teams-app/app-package.js';
import { checkManifest, type BotCommand } from '../../src/services/teams-app/manifest-check.js';
import { decodePng, encodePng, readPngHeader } from '../../src/services/teams-app/png.js';
import { zip } from '../../src/services/teams-app/zip.js';

const BOT_ID = '0b4c1d2e-3f40-4152-9a6b-7c8d9e0f1a2b';

/** Reads a zip by its central directory, as an unzip tool does, checking each entry's CRC with node:zlib. */
function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const size = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extra = archive.readUInt16LE(at + 30);
    const comment = archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    expect(archive.readUInt32LE(local)).toBe(0x04034b50);
    const dataAt = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const stored = archive.subarray(dataAt, dataAt + size);
    const data = method === 8 ? zlib.inflateRawSync(stored) : stored;
    expect(zlib.crc32(data), name).toBe(crc);
    out.set(name, data);
    at += 46 + nameLength + extra + comment;
  }
  return out;
}

function manifestTemplate(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(MANIFEST_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
}

function filled(change: (m: Record<string, any>) => void = () => undefined): Record<string, unknown> {
  const m = JSON.parse(
    JSON.stringify(manifestTemplate())
      .replaceAll('{{MicrosoftAppId}}', BOT_ID)
      .replaceAll('{{APP_NAME_SUFFIX}}', '')
      .replaceAll('{{BOT_DOMAIN}}', 'soc-profiles.azurewebsites.net'),
  ) as Record<string, any>;
  change(m);
  return m;
}

const committedIcons = () =>
  new Map<string, Uint8Array>([
    ['color.png', readFileSync(join(MANIFEST_DIR, 'color.png'))],
    ['outline.png', readFileSync(join(MANIFEST_DIR, 'outline.png'))],
  ]);

/** What the v1.22 schema says of the changes in the test that uses it, as AJV words it. */
const SCHEMA_ERRORS = [
  'schema (root): must NOT have additional properties (colour)',
  'schema /id: must match pattern "^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"',
  'schema /name/short: must NOT have more than 30 characters',
  'schema /bots/0/commandLists/0/commands: must NOT have more than 10 items',
];

describe('the committed manifest and icons', () => {
  it("pass Microsoft's schema and our checks, with only the developer placeholders to change", async () => {
    const result = await checkManifest({ manifest: filled(), files: committedIcons() }, BOT_COMMANDS);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([
      'developer.name is still a placeholder: change it before publishing',
      'developer.websiteUrl is still a placeholder: change it before publishing',
      'developer.privacyUrl is still a placeholder: change it before publishing',
      'developer.termsOfUseUrl is still a placeholder: change it before publishing',
      // Everyone's own `reminders` is listed; `reminder settings` (coordinators, seldom) is typed.
      'bots.0.commandLists.0 (personal): Teams lists 10 commands at most, so reminder settings are left out',
      // The team list is full: Teams shows ten, and the channel's ten were chosen for a board.
      'bots.0.commandLists.1 (team): Teams lists 10 commands at most, so new gap, new action, my tasks, reminder settings, reminders, unsubscribe are left out',
      'bots.0.commandLists.2 (groupChat): Teams lists 10 commands at most, so reminder settings are left out',
    ]);
  });

  it('are the icons the drawing code makes (run dist/cli/draw-app-icons.js after changing it)', () => {
    expect(Buffer.compare(readFileSync(join(MANIFEST_DIR, 'color.png')), colourIcon())).toBe(0);
    expect(Buffer.compare(readFileSync(join(MANIFEST_DIR, 'outline.png')), outlineIcon())).toBe(0);
    expect(readPngHeader(colourIcon())).toMatchObject({ width: 192, height: 192 });
    expect(readPngHeader(outlineIcon())).toMatchObject({ width: 32, height: 32 });
  });
});

describe('the manifest check refuses', () => {
  const problemsOf = async (
    change: (m: Record<string, any>) => void,
    files: Map<string, Uint8Array> = committedIcons(),
    commands: readonly BotCommand[] = BOT_COMMANDS,
  ) => (await checkManifest({ manifest: filled(change), files }, commands)).problems;

  // A small bot of its own, so these rules are checked whatever commands the real bot grows.
  const help: BotCommand = { name: 'help', patterns: [/^help$/i] };
  const rank: BotCommand = { name: 'rank', patterns: [/^rank(?:\s+(\d+))?$/i] };
  const digest: BotCommand = { name: 'digest', patterns: [/^digest$/i], scopes: ['team'] };
  const small = [help, rank, digest];
  const lists = (personal: string[], team: string[], groupChat: string[]) => (m: Record<string, any>) => {
    const list = (scope: string, titles: string[]) => ({
      scopes: [scope],
      commands: titles.map((title) => ({ title, description: `${title}: what it does` })),
    });
    m.bots[0].commandLists = [list('personal', personal), list('team', team), list('groupChat', groupChat)];
  };

  it('the committed lists, checked against a bot that matches them', async () => {
    expect(
      await problemsOf(lists(['help', 'rank'], ['help', 'rank', 'digest'], ['rank', 'help']), undefined, small),
    ).toEqual([]);
  });

  it('a command list that differs from the bot', async () => {
    expect(
      await problemsOf(lists(['rank'], ['help', 'rank', 'digest', 'weekly'], ['help', 'rank']), undefined, small),
    ).toEqual([
      "bots.0.commandLists.0 (personal): the bot's commands help are missing",
      'bots.0.commandLists.1 (team): weekly is not a command the bot answers there (it has help, rank, digest)',
    ]);
  });

  it('a command listed in a scope where the bot does not answer it, or left out of one where it does', async () => {
    expect(await problemsOf(lists(['help', 'rank'], ['help', 'rank'], ['help', 'rank']), undefined, small)).toEqual([
      "bots.0.commandLists.1 (team): the bot's commands digest are missing",
    ]);
    expect(
      await problemsOf(
        lists(['help', 'rank', 'digest'], ['help', 'rank', 'digest'], ['help', 'rank', 'digest']),
        undefined,
        small,
      ),
    ).toEqual([
      'bots.0.commandLists.0 (personal): digest is not a command the bot answers there (it has help, rank)',
      'bots.0.commandLists.2 (groupChat): digest is not a command the bot answers there (it has help, rank)',
    ]);
  });

  it('a title that reaches another command when Teams types it', async () => {
    const greedyHelp: BotCommand = { name: 'help', patterns: [/^help|rank$/i] };
    expect(
      await problemsOf(lists(['help', 'rank'], ['help', 'rank', 'digest'], ['help', 'rank']), undefined, [
        greedyHelp,
        rank,
        digest,
      ]),
    ).toEqual([
      'bots.0.commandLists.0 (personal): "rank" reaches the help command when typed',
      'bots.0.commandLists.1 (team): "rank" reaches the help command when typed',
      'bots.0.commandLists.2 (groupChat): "rank" reaches the help command when typed',
    ]);
  });

  it('more commands than Teams lists: ten of them listed, the rest named in a warning', async () => {
    const many: BotCommand[] = Array.from({ length: 12 }, (_, i) => ({
      name: `c${i}`,
      patterns: [new RegExp(`^c${i}$`)],
    }));
    const ten = many.slice(0, 10).map((c) => c.name);
    const result = await checkManifest({ manifest: filled(lists(ten, ten, ten)), files: committedIcons() }, many);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toContain(
      'bots.0.commandLists.0 (personal): Teams lists 10 commands at most, so c10, c11 are left out',
    );
  });

  it('a scope without its command list, or a scope the bot serves left out', async () => {
    expect(
      await problemsOf((m) => {
        m.bots[0].commandLists.pop();
        m.bots[0].scopes = ['personal', 'team'];
      }),
    ).toEqual(['bots.0.scopes: the bot answers in personal, team, groupChat; missing groupChat']);
    expect(await problemsOf((m) => m.bots[0].commandLists.pop())).toEqual([
      'bots.0.commandLists: no command list for scope groupChat',
    ]);
  });

  it("a message extension that is not the bot's district search, or previews links of other domains", async () => {
    expect(await problemsOf((m) => delete m.composeExtensions)).toEqual([
      'composeExtensions: must hold exactly one, the district search (it has 0)',
    ]);
    expect(
      await problemsOf((m) => {
        m.composeExtensions[0].botId = '11111111-2222-4333-8444-555555555555';
        m.composeExtensions[0].commands[0].id = 'searchQuery';
        m.composeExtensions[0].messageHandlers[0].value.domains = ['*.azurewebsites.net', 'example.org'];
      }),
    ).toEqual([
      "composeExtensions.0.botId: must be the bot's id (bots.0.botId), which answers the search",
      'composeExtensions.0.commands: must be the one search command the bot answers, findDistrict (it has searchQuery)',
      "composeExtensions.0.messageHandlers.0: *.azurewebsites.net is not the bot's own domain (validDomains: soc-profiles.azurewebsites.net); only the bot's district links are previewed",
      "composeExtensions.0.messageHandlers.0: example.org is not the bot's own domain (validDomains: soc-profiles.azurewebsites.net); only the bot's district links are previewed",
    ]);
    expect(
      await problemsOf((m) => {
        m.composeExtensions[0].commands[0].type = 'action';
        m.composeExtensions[0].commands[0].fetchTask = true;
        m.composeExtensions[0].commands[0].parameters[0].name = 'query';
      }),
    ).toEqual([
      'composeExtensions.0.commands.0 (findDistrict): must be of type query',
      'composeExtensions.0.commands.0 (findDistrict): must have the one parameter district (it has query)',
    ]);
    // What Microsoft's schema itself refuses is reported as the schema words it.
    expect(
      await problemsOf((m) => {
        m.composeExtensions[0].messageHandlers[0].type = 'file';
      }),
    ).toEqual([expect.stringMatching(/^schema \/composeExtensions\/0\/messageHandlers\/0\/type: /)]);
  });

  it('placeholders left unfilled, before anything else', async () => {
    expect(await problemsOf((m) => (m.bots[0].botId = '{{MicrosoftAppId}}'))).toEqual([
      'placeholders left unfilled: MicrosoftAppId',
    ]);
  });

  it("whatever Microsoft's schema refuses, each error with where it is", async () => {
    expect(
      await problemsOf((m) => {
        m.id = 'soc-profiles';
        m.name.short = 'Serious and Organised Crime Local Profiles';
        m.bots[0].commandLists[0].commands = Array.from({ length: 11 }, (_, i) => ({
          title: `c${i}`,
          description: 'x',
        }));
        m.colour = '#1B3A5C';
      }),
    ).toEqual(SCHEMA_ERRORS);
  });

  it('a manifest version the schema package does not ship', async () => {
    expect(await problemsOf((m) => (m.manifestVersion = '1.18'))).toEqual([
      'schema manifestVersion: @microsoft/app-manifest ships no schema for "1.18", so it cannot be checked',
    ]);
  });

  it('a $schema URL of another version than manifestVersion', async () => {
    expect(
      await problemsOf(
        (m) => (m.$schema = 'https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json'),
      ),
    ).toEqual(['$schema: must be the v1.22 schema URL, to match manifestVersion']);
  });

  it('icons of the wrong size, or an outline that is not white on transparent', async () => {
    const files = committedIcons();
    files.set('color.png', outlineIcon());
    const red = new Uint8Array(32 * 32 * 4);
    red.set([255, 0, 0, 255], 0);
    files.set('outline.png', encodePng({ width: 32, height: 32, rgba: red }));
    expect(await problemsOf(() => undefined, files)).toEqual([
      'icons.color: color.png is 32×32; must be 192×192',
      'icons.outline: outline.png has 1 pixels that are neither white nor transparent',
    ]);
    files.delete('color.png');
    expect((await problemsOf(() => undefined, files))[0]).toBe('icons.color: color.png is not in the manifest folder');
  });
});

describe('packaging', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'soc-manifest-'));
    cpSync(MANIFEST_DIR, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('zips the manifest with the bot id filled in and the icons, at the root', async () => {
    const built = await buildAppPackage(
      dir,
      { botId: BOT_ID.toUpperCase(), botDomain: 'soc-profiles.azurewebsites.net' },
      BOT_COMMANDS,
    );
    const files = unzip(built.zip);
    expect([...files.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.validDomains).toEqual(['soc-profiles.azurewebsites.net']);
    expect(manifest.composeExtensions).toEqual([
      expect.objectContaining({
        botId: BOT_ID,
        commands: [expect.objectContaining({ id: 'findDistrict', type: 'query' })],
        messageHandlers: [{ type: 'link', value: { domains: ['soc-profiles.azurewebsites.net'] } }],
      }),
    ]);
    expect(manifest.id).toBe(manifestTemplate().id);
    expect(files.get('color.png')!.equals(readFileSync(join(dir, 'color.png')))).toBe(true);
  });

  it('drops the domain placeholder when no BOT_DOMAIN is given, and takes TEAMS_APP_ID', async () => {
    const appId = '11111111-2222-4333-8444-555555555555';
    const built = await buildAppPackage(dir, { botId: BOT_ID, appId }, BOT_COMMANDS);
    expect(built.manifest).toMatchObject({ id: appId, validDomains: [] });
    // No domain, no district links: the search stays, the link previews go.
    const [ext] = built.manifest.composeExtensions as Record<string, unknown>[];
    expect(ext).toMatchObject({ botId: BOT_ID, commands: [expect.objectContaining({ id: 'findDistrict' })] });
    expect(ext).not.toHaveProperty('messageHandlers');
  });

  it('refuses without MicrosoftAppId, naming it, and refuses a manifest that fails the check', async () => {
    await expect(buildAppPackage(dir, { botId: undefined }, BOT_COMMANDS)).rejects.toThrow(
      /^MicrosoftAppId: is not set/,
    );
    await expect(buildAppPackage(dir, { botId: 'my-bot' }, BOT_COMMANDS)).rejects.toThrow(
      "MicrosoftAppId: must be a GUID: the Application (client) ID of the bot's app registration",
    );
    await expect(
      buildAppPackage(dir, { botId: BOT_ID, botDomain: 'https://soc.azurewebsites.net/' }, BOT_COMMANDS),
    ).rejects.toThrow(/^BOT_DOMAIN: must be the host name the bot is served from, without https:\/\//);
    await expect(buildAppPackage(dir, { botId: BOT_ID, appId: 'soc-profiles' }, BOT_COMMANDS)).rejects.toThrow(
      /^TEAMS_APP_ID: must be a GUID/,
    );
    await expect(
      buildAppPackage(dir, { botId: BOT_ID, nameSuffix: ' (integration test)' }, BOT_COMMANDS),
    ).rejects.toThrow(/^APP_NAME_SUFFIX: must be at most 12 printable characters/);
    writeFileSync(join(dir, 'outline.png'), colourIcon());
    await expect(buildAppPackage(dir, { botId: BOT_ID }, BOT_COMMANDS)).rejects.toThrow(
      'icons.outline: outline.png is 192×192; must be 32×32',
    );
  });

  it('makes the same bytes from the same files', async () => {
    const a = await buildAppPackage(dir, { botId: BOT_ID }, BOT_COMMANDS);
    const b = await buildAppPackage(dir, { botId: BOT_ID }, BOT_COMMANDS);
    expect(a.zip.equals(b.zip)).toBe(true);
  });
});

describe('PNG and zip by hand', () => {
  it('reads back what it writes, and rows written with the Sub, Up, Average and Paeth filters', () => {
    const rgba = new Uint8Array(3 * 2 * 4).map((_, i) => (i * 37) % 256);
    expect(decodePng(encodePng({ width: 3, height: 2, rgba }))!.rgba).toEqual(rgba);

    // A 2×4 greyscale image, one filter a row, filtered by hand from these pixels:
    //   [10, 30] [20, 50] [25, 40] [5, 200]
    const raw = Buffer.from([1, 10, 20, 2, 10, 20, 3, 15, 3, 4, 236, 175]);
    const header = Buffer.alloc(13);
    header.writeUInt32BE(2, 0);
    header.writeUInt32BE(4, 4);
    header.set([8, 0, 0, 0, 0], 8);
    const chunk = (type: string, data: Buffer) => {
      const c = Buffer.alloc(12 + data.length);
      c.writeUInt32BE(data.length, 0);
      c.write(type, 4, 'latin1');
      data.copy(c, 8);
      c.writeUInt32BE(zlib.crc32(c.subarray(4, 8 + data.length)), 8 + data.length);
      return c;
    };
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', zlib.deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    const grey = [...decodePng(png)!.rgba].filter((_, i) => i % 4 === 0);
    expect(grey).toEqual([10, 30, 20, 50, 25, 40, 5, 200]);
  });

  it('a zip that an unzip tool reads', () => {
    const files = unzip(
      zip([
        { name: 'a.txt', data: Buffer.from('hello '.repeat(100)) },
        { name: 'dir/b.bin', data: new Uint8Array([0, 1, 2]) },
      ]),
    );
    expect(files.get('a.txt')!.toString()).toBe('hello '.repeat(100));
    expect([...files.get('dir/b.bin')!]).toEqual([0, 1, 2]);
  });
});
