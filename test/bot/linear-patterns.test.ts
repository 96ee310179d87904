import { parseSettingsLine } from '../../src/domain/reminder-settings-input.js';
import type { TurnContext } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldSpaces, matchCommand, type Command } from '../../src/bot/command.js';
import { cleanInput } from '../../src/bot/input.js';
import { suggestionsFor } from '../../src/bot/routes/fallback.js';
import { parseSchedule } from '../../src/domain/digest-schedule.js';
import { normalizeName } from '../../src/domain/district-match.js';
import { findMember } from '../../src/domain/member-lookup.js';
import type { Member } from '../../src/domain/member.js';
import { permissionAsked, roleNamed } from '../../src/domain/permission-phrases.js';
import { personalIdentifierIn } from '../../src/domain/personal-data.js';
import { parseRef } from '../../src/domain/refs.js';
import { parseNewAction, parseNewGap, parseUpdate } from '../../src/domain/task-text.js';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { DistrictDirectory } from '../../src/services/district-directory.js';
import { BotUnderTest } from '../support/harness.js';

/**
 * Issue 13, finding 4: `what's picture in x` + 32k spaces + `y` blocked the process for 11 s. Every
 * route the bot registers, every command pattern and every text parser must take time in
 * proportion to its input. Each is given adversarial strings (every command's words and the
 * phrases the parsers look for, then a long run of one filler, then an ending that fails the
 * match) at 16 KB and at 256 KB.
 *
 * The limits hold on a loaded machine yet catch anything super-linear: a linear pass over 256 KB
 * takes about a millisecond; a quadratic one takes seconds at 16 KB and minutes at 256 KB. The
 * 16 KB round comes first so that a quadratic pattern fails the test instead of hanging it. Each
 * time is the fastest of up to three runs, so a pause of the machine is not counted against it.
 */
const SMALL = 16 * 1024;
const LARGE = 256 * 1024;
const LIMITS: ReadonlyMap<number, number> = new Map([
  [SMALL, 150],
  [LARGE, 400],
]);
const limitFor = (size: number): number => LIMITS.get(size) ?? 150;

const FILLERS = [
  ' ',
  '\t',
  ' \u00a0',
  'a',
  'a ',
  '?',
  ' ?',
  '.!',
  '-',
  ':',
  ', ',
  '(',
  '1',
  'G-1 ',
  '@a',
  'a@',
  'new ',
];
/** The 256 KB round: the phrases and runs that made the old patterns and parsers backtrack. */
const LARGE_PHRASES = ["what's picture in x", 'who can', 'new gap Everton: x', 'update G-1 done:', 'Church (', ''];
const CORE_FILLERS = [' ', 'a', '?', ' ?', '-', ':', '(', 'a@', 'G-1 ', 'new '];
const ENDINGS = ['y', '?'];
/** Phrases the parsers read after a command word, beyond what the commands themselves list. */
const PHRASES = [
  "what's picture in x",
  'what is the picture in x',
  'who can',
  'who can create',
  'Everton:',
  'Everton prevent:',
  'new gap Everton: x',
  'new action Everton prevent: x lead',
  'update G-1 done:',
  'G-1 blocked -',
  'assign G-1 to',
  'grant coordinator to',
  'revoke coordinator from',
  'digest settings Monday',
  'Church (',
  'Church,',
  'x due',
  'x lead',
  'suspect',
  'born',
  '',
];

function prefixes(commands: readonly Command[]): string[] {
  const words = commands.flatMap((c) => [
    ...c.keywords,
    c.example,
    c.example.split(' ').slice(0, 2).join(' '),
    c.usage.split(/[<[]/)[0]!.trim(),
  ]);
  return [...new Set([...words, ...PHRASES])];
}

function fastestOf3(run: () => unknown, limit: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3 && best >= limit; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

async function fastestOf3Async(run: () => Promise<unknown>, limit: number): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3 && best >= limit; i++) {
    const started = performance.now();
    await run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

function adversarial(prefix: string, filler: string, ending: string, size: number): string {
  const head = prefix ? `${prefix} ` : '';
  return head + filler.repeat(Math.ceil((size - head.length - ending.length) / filler.length)) + ending;
}

describe('every route pattern and text parser is linear (issue 13, finding 4)', () => {
  let bot: BotUnderTest;
  let commands: readonly Command[];
  let members: Member[];
  let directory: DistrictDirectory;
  beforeAll(async () => {
    bot = await BotUnderTest.start();
    commands = [...bot.running.bot.commands, ...bot.running.bot.adminCommands];
    members = await bot.store.members.listByPartnership(DEMO_PARTNERSHIP_ID);
    directory = new DistrictDirectory(bot.store);
    await directory.find(DEMO_PARTNERSHIP_ID, 'Everton');
  });
  afterAll(async () => {
    await bot?.close();
  });

  /** Each parser gets the string as typed and as routing folds it (computed once per string). */
  type Parse = (s: string, folded: string) => unknown;
  const refusing =
    (f: (s: string) => unknown): Parse =>
    (s) => {
      try {
        return f(s);
      } catch {
        return undefined; // a refusal (ValidationError) is an answer too
      }
    };

  /** Anchored command patterns: cheap unless the prefix engages them, so they meet every prefix. */
  function patternParsers(): [string, Parse][] {
    return [
      ...commands.flatMap((c) =>
        c.patterns.map((p, i): [string, Parse] => [`${c.name} pattern ${i}`, (_s, folded) => p.exec(folded)]),
      ),
      ['matchCommand (the router)', (s) => matchCommand(commands, s)],
    ];
  }

  /** The text parsers: each reads the whole string whatever its start, so they meet the phrases. */
  function textParsers(): [string, Parse][] {
    return [
      ['task-text: new gap', refusing(parseNewGap)],
      ['task-text: new action', refusing(parseNewAction)],
      ['task-text: update', refusing(parseUpdate)],
      ['personal-data', (s) => personalIdentifierIn(s)],
      ['who can: permission phrase', (s) => permissionAsked(s)],
      ['who can: role name', (s) => roleNamed(s)],
      ['district-match: normalizeName', (s) => normalizeName(s)],
      ['digest schedule', (s) => parseSchedule(s)],
      ['reminder settings line', (s) => parseSettingsLine(s)],
      ['reference', (s) => parseRef(s)],
      ['typed input', (s) => cleanInput(s)],
      ['member by name', (s) => findMember(members, { displayName: s })],
    ];
  }

  it('command patterns and text parsers', () => {
    const slow: string[] = [];
    const check = (
      parsers: [string, Parse][],
      heads: readonly string[],
      fillers: readonly string[],
      endings: readonly string[],
      size: number,
    ) => {
      for (const prefix of heads) {
        for (const filler of fillers) {
          for (const ending of endings) {
            const s = adversarial(prefix, filler, ending, size);
            const folded = foldSpaces(s);
            for (const [name, parse] of parsers) {
              const ms = fastestOf3(() => parse(s, folded), limitFor(size));
              if (ms >= limitFor(size))
                slow.push(`${name}: ${Math.round(ms)} ms on ${JSON.stringify([prefix, filler, ending, size])}`);
            }
          }
        }
      }
    };
    check(patternParsers(), prefixes(commands), FILLERS, ENDINGS, SMALL);
    check(textParsers(), PHRASES, FILLERS, ['y'], SMALL);
    expect(slow, `super-linear at ${SMALL} characters`).toEqual([]);
    const keywords = commands.map((c) => c.keywords[0]!);
    check(patternParsers(), [...LARGE_PHRASES, ...keywords], CORE_FILLERS, ['y'], LARGE);
    check(textParsers(), LARGE_PHRASES, CORE_FILLERS, ['y'], LARGE);
    expect(slow, `super-linear at ${LARGE} characters`).toEqual([]);
  }, 120_000);

  it('district-match and the "did you mean" suggestions', async () => {
    const slow: string[] = [];
    for (const size of [SMALL, LARGE]) {
      for (const prefix of ['Everton', 'Church (', 'Church,', 'st', '']) {
        for (const filler of size === SMALL ? FILLERS : CORE_FILLERS) {
          const s = adversarial(prefix, filler, 'y', size);
          const find = (q: string) => directory.find(DEMO_PARTNERSHIP_ID, q);
          const ms = await fastestOf3Async(() => find(s), limitFor(size));
          if (ms >= limitFor(size))
            slow.push(`find: ${Math.round(ms)} ms on ${JSON.stringify([prefix, filler, size])}`);
          const sms = await fastestOf3Async(
            () => suggestionsFor(commands, s, async (q) => ((await find(q)).kind === 'exact' ? 'x' : undefined)),
            limitFor(size),
          );
          if (sms >= limitFor(size))
            slow.push(`suggestions: ${Math.round(sms)} ms on ${JSON.stringify([prefix, filler, size])}`);
        }
      }
      expect(slow, `super-linear at ${size} characters`).toEqual([]);
    }
  }, 120_000);

  it('every route teams-ai holds, message and invoke, selects in linear time', async () => {
    // teams-ai keeps its routes private; read only to call each selector, as it does per activity.
    const app = bot.running.bot.app as unknown as {
      _routes: { selector: (c: TurnContext) => Promise<boolean> }[];
      _invokeRoutes: { selector: (c: TurnContext) => Promise<boolean> }[];
    };
    const selectors = [...app._routes, ...app._invokeRoutes].map((r) => r.selector);
    expect(selectors.length).toBeGreaterThan(commands.length);
    const slow: string[] = [];
    for (const size of [SMALL, LARGE]) {
      for (const prefix of [...(size === SMALL ? PHRASES : LARGE_PHRASES), ...commands.map((c) => c.keywords[0]!)]) {
        for (const filler of size === SMALL ? FILLERS : CORE_FILLERS) {
          const s = adversarial(prefix, filler, 'y', size);
          const contexts = [
            { activity: { type: 'message', text: s, channelId: 'msteams' } },
            { activity: { type: 'message', text: '', value: { verb: s }, channelId: 'msteams' } },
            {
              activity: {
                type: 'invoke',
                name: 'adaptiveCard/action',
                value: { action: { verb: s } },
                channelId: 'msteams',
              },
            },
          ] as unknown as TurnContext[];
          for (const context of contexts) {
            for (const [i, select] of selectors.entries()) {
              const ms = await fastestOf3Async(() => select(context), limitFor(size));
              if (ms >= limitFor(size))
                slow.push(`route ${i}: ${Math.round(ms)} ms on ${JSON.stringify([prefix, filler, size])}`);
            }
          }
        }
      }
      expect(slow, `super-linear at ${size} characters`).toEqual([]);
    }
  }, 120_000);
});
