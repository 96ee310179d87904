import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Member } from '../../src/domain/member.js';
import { Partnership } from '../../src/domain/partnership.js';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { message, type Person, type Where } from '../support/activities.js';
import { cardText, type Card } from '../support/cards.js';
import { BotUnderTest, onlyCard } from '../support/harness.js';
import { alex, megan } from '../support/people.js';

/**
 * Bound summary, gaps and plan cards are kept between turns (src/bot/district-card-cache.ts).
 * What must hold: a kept card is never shown to a viewer who may see less (or more) than the one
 * it was made for, nor to another partnership; and a change made through any bot process on the
 * same store is on the next card any process sends.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PID = DEMO_PARTNERSHIP_ID;
const BIRKENHEAD = 'E05000956'; // an OFFICIAL and an OFFICIAL-SENSITIVE OCG, and a sensitive gap
const EVERTON = 'E05000896';

const dataDir = mkdtempSync(join(tmpdir(), 'soc-cache-'));
let bot: BotUnderTest;
beforeAll(async () => {
  bot = await BotUnderTest.start({ env: { DATA_DIR: dataDir } });
});
afterAll(async () => {
  await bot?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const say = async (text: string, as: Person, where: Where = 'personal') =>
  cardText(onlyCard(await bot.say(text, as, where)));

describe('kept cards and who sees them', () => {
  it('never serve an OFFICIAL-SENSITIVE card outside a cleared 1:1 chat, whichever was asked first', async () => {
    const gaps = await bot.store.gaps.listByDistrict(PID, BIRKENHEAD);
    const secretGap = gaps.find((g) => g.classification === 'OFFICIAL-SENSITIVE')!;
    // What a card shows only where the sensitive items may be seen, and what it says elsewhere.
    const shown = (text: string) => text.startsWith('OFFICIAL-SENSITIVE') && !text.includes('not shown');
    const held = (text: string) => text.startsWith('OFFICIAL ·') && text.includes('not shown');

    for (const command of ['summary', 'gaps', 'plan'] as const) {
      const text = `${command} Birkenhead and Tranmere`;
      // Each asked twice in turn, so every viewer's second answer could come from a kept card.
      for (let round = 0; round < 2; round++) {
        const cleared = await say(text, alex);
        expect(shown(cleared)).toBe(true);
        if (command === 'gaps') expect(cleared).toContain(secretGap.question);
        for (const [as, where] of [
          [alex, 'channel'],
          [alex, 'groupChat'],
          [megan, 'personal'], // uncleared
        ] as const) {
          const other = await say(text, as, where);
          expect(held(other), `${command} for ${as.name} in ${where}`).toBe(true);
          expect(other).not.toContain(secretGap.question);
        }
      }
    }
  });

  it("gives a coordinator's Mark reviewed button to nobody else", async () => {
    for (let round = 0; round < 2; round++) {
      expect(await say('summary Everton', alex)).toContain('[Mark reviewed]');
      expect(await say('summary Everton', megan)).not.toContain('[Mark reviewed]');
    }
  });

  it("never serve one partnership's card to another partnership's member, for a district of the same id and name", async () => {
    const store = bot.store;
    const other = `p-${randomUUID().slice(0, 8)}`;
    const at = new Date().toISOString();
    await store.partnerships.put(
      Partnership.parse({ id: other, name: 'Another SOC Partnership', force: 'Merseyside Police', createdAt: at }),
    );
    const district = (await store.districts.get(PID, EVERTON))!;
    await store.districts.putMany([{ ...district, partnershipId: other }]);
    const { etag: _etag, ...demoProfile } = (await store.profiles.get(PID, EVERTON))!;
    await store.profiles.create(
      {
        ...demoProfile,
        partnershipId: other,
        threat: {
          ...demoProfile.threat,
          ocgs: [{ ref: 'OCG-777', morileScore: 333, band: 'Medium', classification: 'OFFICIAL' }],
        },
      },
      { actor: 'system:test', action: 'profile.created', at },
    );
    const theirs: Person = { aadObjectId: randomUUID(), name: 'Other Officer' };
    await store.members.create(
      Member.parse({
        aadObjectId: theirs.aadObjectId,
        partnershipId: other,
        agencyId: 'merseyside-police',
        displayName: theirs.name,
        roles: ['officer'],
        createdAt: at,
        updatedAt: at,
      }),
      { actor: 'system:test', action: 'member.created', at },
    );

    for (let round = 0; round < 2; round++) {
      const ours = await say('summary Everton', megan);
      const their = await say('summary Everton', theirs);
      expect(their).toContain('MoRILE score 333');
      expect(ours).not.toContain('MoRILE score 333');
      expect(their).not.toContain('DEMO DATA');
      expect(ours).toContain('DEMO DATA');
    }
  });
});

/** A second bot process: `src/main.ts` as `npm start` runs it, on the same SQLite file. */
async function startSecondProcess(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO_DATA: 'off',
      LOG_LEVEL: 'info',
      COMMANDS_PER_MINUTE: '6000',
      COMMAND_BURST: '1000',
      DIGEST_CHECK_SECONDS: '0',
      REMINDER_CHECK_SECONDS: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the second bot process exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { url?: string };
        if (entry.url) resolve(entry.url);
      } catch {
        // not a log line
      }
    });
  });
  return { child, url };
}

describe('a change made through one bot process', () => {
  let second: { child: ChildProcess; url: string } | undefined;
  afterAll(() => {
    second?.child.kill();
  });

  /** Says something to the second process as alex; its replies go to the same test connector. */
  async function toSecond(text: string): Promise<Card[]> {
    const before = bot.connector.posted.length;
    const res = await fetch(second!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message(text, { from: alex, where: 'personal', serviceUrl: bot.connector.url })),
    });
    expect(res.status).toBe(200);
    return bot.connector.posted
      .slice(before)
      .flatMap((p) => p.activity.attachments ?? [])
      .map((a) => a.content as Card);
  }

  async function summaryFromSecond(): Promise<string> {
    const cards = await toSecond('summary Everton');
    expect(cards).toHaveLength(1);
    return cardText(cards[0]!);
  }

  const openGaps = (text: string) => Number(/(\d+) open · /.exec(text)?.[1]);

  it('is on the very next card from a second process on the same store, and from the first', async () => {
    second = await startSecondProcess();
    // Both processes have made and kept the card.
    const first = await say('summary Everton', alex);
    expect(await summaryFromSecond()).toBe(first);
    expect(await summaryFromSecond()).toBe(first);
    const open = openGaps(first);
    expect(open).toBeGreaterThan(0);

    await bot.say(
      'new gap Everton: Which car washes front cash laundering? lead Liverpool City Council due 2027-01-31',
      alex,
    );

    expect(openGaps(await summaryFromSecond())).toBe(open + 1);
    expect(openGaps(await say('summary Everton', alex))).toBe(open + 1);

    // And the other way: a gap opened through the second process is on the first's next card.
    await toSecond(
      'new gap Everton: Which takeaways front cash laundering? lead Liverpool City Council due 2027-01-31',
    );
    expect(openGaps(await say('summary Everton', alex))).toBe(open + 2);
    expect(openGaps(await summaryFromSecond())).toBe(open + 2);
  }, 60_000);
});
