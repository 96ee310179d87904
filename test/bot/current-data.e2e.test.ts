import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemberAdmin } from '../../src/services/member-admin.js';
import { PartnershipImport } from '../../src/services/partnership-import.js';
import type { Person } from '../support/activities.js';
import { cardText, type Card } from '../support/cards.js';
import { BotUnderTest, onlyCard } from '../support/harness.js';

/**
 * What a coordinator sees after importing today's files (test/fixtures/data/current): the
 * summary, ranking and digest cards name the wards, counts, rates, index and population estimate.
 * Figures worked out by hand in test/services/current-data-import.test.ts.
 */
const CURRENT = join(import.meta.dirname, '../fixtures/data/current');
const EXAMPLES = join(import.meta.dirname, '../../datasets/examples');
const LOOKUP = join(CURRENT, 'LSOA21_WD23_LAD23_EW_LU.csv');
const CHANGES = join(CURRENT, 'LSOA11_LSOA21_LAD22_EW_LU.csv');
const POPULATION = join(CURRENT, 'Mid-2022 LSOA 2021.csv');
const IMD = join(CURRENT, 'File_1_IoD2025_Index_of_Multiple_Deprivation.csv');
const CRIME = [join(CURRENT, '2022-10-merseyside-street.csv'), join(CURRENT, '2023-04-merseyside-street.csv')];
const PEOPLE = [join(EXAMPLES, 'agencies.csv'), join(EXAMPLES, 'members.csv')];
const coordinator: Person = { aadObjectId: '0f8a2c1e-5b7d-4e21-9a3c-1d2e3f4a5b6c', name: 'SOC coordinator (Sefton)' };
const now = () => new Date('2026-04-02T09:00:00Z');

async function botWith(files: string[]): Promise<BotUnderTest> {
  const bot = await BotUnderTest.start({ demo: false, clock: now });
  await new MemberAdmin(bot.store, now, 'system:cli').addPartnership({ id: 'wirral', name: 'Wirral', force: 'MP' });
  const result = await new PartnershipImport(bot.store, now, 'system:import').run({
    partnershipId: 'wirral',
    files: [...files, ...PEOPLE],
    localAuthorityCodes: ['E08000015'],
    dryRun: false,
    skipInvalid: false,
  });
  expect(result.written).toBe(true);
  return bot;
}

describe('today’s files with the mid-2022 population and IoD 2025', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await botWith([LOOKUP, CHANGES, POPULATION, IMD, ...CRIME]);
  });
  afterAll(async () => bot?.close());

  it('the summary card shows the score on ONS’s scale, the rate per 1,000 of the mid-2022 estimate and IoD 2025', async () => {
    const text = cardText(onlyCard(await bot.say('summary Greasby', coordinator)));
    expect(text).toContain('Wirral · population 4,100 (mid-2022)');
    expect(text).toContain(
      "Crime severity score 0.78 (Apr 2023), on ONS's Crime Severity Score scale, estimated from police.uk categories",
    );
    expect(text).toContain('1.0 crimes per 1,000 residents (ONS mid-2022 population estimate)');
    expect(text).toContain('Rank 1 of 2 in the partnership');
    expect(text).toContain('Trend: Oct 2022 0.42 (1st) → Apr 2023 0.78 (1st)');
    expect(text).toContain('IMD 2025 average rank, population-weighted (1 = most deprived)');
    expect(text).toContain('15,805 of 33,755');
    expect(text).toContain('English Indices of Deprivation 2025 (File 1, IMD), 2025');
    expect(text).toContain('Data as of: Apr 2023 crime, imported 2 Apr 2026');
  });

  it('help and errors name the partnership’s own districts, never the demo’s', async () => {
    const help = cardText(onlyCard(await bot.say('help', coordinator)));
    expect(help).toContain('summary Upton');
    expect(help).not.toContain('Everton');
    const error = cardText(
      onlyCard(await bot.say('new action Upton: Youth diversion lead Sefton Council', coordinator)),
    );
    expect(error).toContain('new action Upton prevent: <action> lead <agency>');
    expect(error).not.toContain('Everton');
  });

  it('the ranking card lists the wards by severity on ONS’s scale', async () => {
    const text = cardText(onlyCard(await bot.say('rank', coordinator)));
    expect(text).toContain('Highest harm: top 2 by crime severity');
    expect(text).toContain('1st\nGreasby, Frankby and Irby\n0.78\nno change');
    expect(text).toContain('2nd\nUpton\n0.03\nno change');
  });
});

describe('today’s files without a population file', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await botWith([LOOKUP, CHANGES, ...CRIME]);
  });
  afterAll(async () => bot?.close());

  it('the summary card shows counts and the rank by count, and names the file severity per resident needs', async () => {
    const text = cardText(onlyCard(await bot.say('summary Upton', coordinator)));
    expect(text).toContain('Wirral · population not imported');
    expect(text).toContain('6 crimes in Apr 2023 (anti-social behaviour not counted)');
    expect(text).toContain(
      "Severity and crime rate per resident need the population file: ONS's mid-year LSOA population estimates (or IoD 2019 File 6, population denominators).",
    );
    expect(text).toContain('Rank 1 of 2 in the partnership by number of crimes');
    // October 2022: Greasby 4 crimes, Upton 3; April 2023: Upton 6, Greasby 4.
    expect(text).toContain('1 place higher (more harm) than at the last review (2nd)');
    expect(text).not.toContain('per 1,000 residents');
  });

  it('the ranking card ranks by number of crimes and says why', async () => {
    const text = cardText(onlyCard(await bot.say('rank', coordinator)));
    expect(text).toContain('Highest harm: top 2 by number of crimes');
    expect(text).toContain('Crimes');
    expect(text).toContain('1st\nUpton\n6\n▲ 1 (was 2nd)');
    expect(text).toContain('2nd\nGreasby, Frankby and Irby\n4\n▼ 1 (was 1st)');
    expect(text).toContain('severity and rate per resident need the population file');
  });

  it('the digest names the ward that rose', async () => {
    expect(cardText(onlyCard(await bot.say('subscribe', coordinator, 'channel')))).toContain('board channel');
    // digest now answers at once and sends the digest from the background (issue 19).
    const answer = await bot.say('digest now', coordinator, 'channel');
    expect(cardText(answer.cards[0]!)).toContain('on its way');
    await bot.running.digests.idle();
    const digest = bot.connector.posted
      .flatMap((p) => (p.activity.attachments ?? []).map((a) => cardText(a.content as Card)))
      .filter((t) => t.includes('Weekly digest'))
      .at(-1);
    expect(digest).toContain('Upton: up 1 place to 1st of 2 (was 2nd)');
  });
});
