import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemberAdmin } from '../../src/services/member-admin.js';
import { PartnershipImport } from '../../src/services/partnership-import.js';
import { cardText } from '../support/cards.js';
import type { Person } from '../support/activities.js';
import { BotUnderTest, onlyCard } from '../support/harness.js';

/**
 * What a coordinator sees in Teams after two imports: the partnership, its members and the
 * April figures from the real Merseyside cut, then an October file on its own. The bot runs on
 * the store the imports wrote, without demo data.
 */
const MINI = join(import.meta.dirname, '../fixtures/data/mini');
const EXAMPLES = join(import.meta.dirname, '../../datasets/examples');
const FIRST = [
  join(MINI, 'lookup/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv'),
  join(MINI, 'imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv'),
  join(MINI, 'imd/File_6_-_IoD2019_Population_Denominators.csv'),
  join(MINI, 'crime/2019-04-merseyside-street.csv'),
  join(EXAMPLES, 'agencies.csv'),
  join(EXAMPLES, 'members.csv'),
];
/** The coordinator in datasets/examples/members.csv. */
const coordinator: Person = { aadObjectId: '0f8a2c1e-5b7d-4e21-9a3c-1d2e3f4a5b6c', name: 'SOC coordinator (Sefton)' };
const now = () => new Date('2026-04-02T09:00:00Z');

let bot: BotUnderTest;
let dir: string;
beforeAll(async () => {
  bot = await BotUnderTest.start({ demo: false, clock: now });
  dir = mkdtempSync(join(tmpdir(), 'soc-import-e2e-'));
  await new MemberAdmin(bot.store, now, 'system:cli').addPartnership({ id: 'mersey', name: 'Merseyside', force: 'MP' });
  const importer = new PartnershipImport(bot.store, now, 'system:import');
  const options = { partnershipId: 'mersey', dryRun: false, skipInvalid: false };
  await importer.run({ ...options, files: FIRST, localAuthorityCodes: ['E08000012', 'E08000014', 'E08000015'] });
  // October: ten robberies in Greasby, Frankby and Irby (Wirral), one violent crime in Church (Sefton).
  const october = join(dir, '2019-10-merseyside-street.csv');
  const row = (lsoa: string, type: string) =>
    `x,2019-10,Merseyside Police,Merseyside Police,-3.1,53.4,On or near X,${lsoa},X 001A,${type},Under investigation,`;
  writeFileSync(
    october,
    [
      'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context',
      ...Array.from({ length: 10 }, () => row('E01007284', 'Robbery')),
      row('E01006956', 'Violence and sexual offences'),
    ].join('\r\n'),
  );
  await importer.run({ ...options, files: [october] });
});
afterAll(async () => {
  await bot?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('after an import', () => {
  it('the ranking card shows each ward’s move since the period six months before', async () => {
    const text = cardText(onlyCard(await bot.say('rank', coordinator)));
    expect(text).toContain('Of 3 districts · Oct 2019');
    expect(text).toContain('1st\nGreasby, Frankby and Irby\n2.54\n▲ 2 (was 3rd)');
    expect(text).toContain('2nd\nChurch (Sefton)\n0.32\n▼ 1 (was 1st)');
    expect(text).toContain('3rd\nChurch (Liverpool)\n0.00\n▼ 1 (was 2nd)');
    expect(text).toContain("÷ residents, on ONS's Crime Severity Score scale, estimated from police.uk categories");
  });

  it('the summary card shows the score on ONS’s scale, the crime rate per 1,000 residents, the rank change and the trend', async () => {
    const text = cardText(onlyCard(await bot.say('summary Greasby', coordinator)));
    expect(text).toContain(
      "Crime severity score 2.54 (Oct 2019), on ONS's Crime Severity Score scale, estimated from police.uk categories",
    );
    // 10 robberies (no ASB) × 1,000 ÷ 3,151 residents = 3.17 → 3.2
    expect(text).toContain('3.2 crimes per 1,000 residents (ONS mid-2015 population estimate)');
    expect(text).toContain('Rank 1 of 3 in the partnership');
    expect(text).toContain('2 places higher (more harm) than at the last review (3rd)');
    expect(text).toContain('Trend: Apr 2019 0.35 (3rd) → Oct 2019 2.54 (1st)');
  });
});
