import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemberAdmin } from '../../src/services/member-admin.js';
import { PartnershipImport, type PartnershipImportInput } from '../../src/services/partnership-import.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

/**
 * Recommendations in the import of the partnership's own records (CSV and project JSON): strict,
 * checked for personal data, each district's list replaced, a link made in Teams kept.
 */
const MINI = join(import.meta.dirname, '../fixtures/data/mini');
const FIXTURE = join(import.meta.dirname, '../fixtures/data/own/recommendations.csv');
const EXAMPLES = join(import.meta.dirname, '../../datasets/examples');
const LOOKUP = join(MINI, 'lookup/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv');
const AGENCIES = join(EXAMPLES, 'agencies.csv');
const [LIVERPOOL_CHURCH, SEFTON_CHURCH] = ['E05000891', 'E05000936'];
const now = new Date('2026-03-02T09:00:00Z');

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'soc-recs-import-'));
  store = openSqliteStore({ file: join(dir, 'store.db') });
  await new MemberAdmin(store, () => now, 'system:cli').addPartnership({
    id: 'mersey',
    name: 'Merseyside',
    force: 'MP',
  });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (files: string[], options: Partial<PartnershipImportInput> = {}) =>
  new PartnershipImport(store, () => now, 'system:import').run({
    partnershipId: 'mersey',
    files: [LOOKUP, AGENCIES, ...files],
    localAuthorityCodes: ['E08000012', 'E08000014', 'E08000015'],
    dryRun: false,
    skipInvalid: false,
    ...options,
  });

const recommendationsOf = async (id: string) => (await store.profiles.get('mersey', id))!.recommendations;

describe('recommendations in the import', () => {
  it('loads them from CSV, numbered, with the agency and state; the same file again changes nothing', async () => {
    const result = await run([FIXTURE]);
    expect(result.errors.count).toBe(0);
    expect(result.records.recommendations).toEqual({ added: 3, changed: 0, unchanged: 0 });
    expect(await recommendationsOf(SEFTON_CHURCH)).toEqual([
      {
        number: 1,
        text: 'Offer diversion sessions to young people at risk of county lines exploitation',
        strand: 'prevent',
        agencyId: 'sefton-council',
        classification: 'OFFICIAL',
      },
      {
        number: 2,
        text: 'Share licensing intelligence on flagged premises with the council',
        strand: 'pursue',
        agencyId: 'merseyside-police',
        classification: 'OFFICIAL',
      },
    ]);
    expect((await recommendationsOf(LIVERPOOL_CHURCH))[0]).toMatchObject({ number: 1, state: 'open' });
    const audit = await store.audit.listForEntity('mersey', 'profile', SEFTON_CHURCH);
    expect(audit.at(-1)).toMatchObject({ action: 'profile.imported', actor: 'system:import' });

    const again = await run([FIXTURE]);
    expect(again.records.recommendations).toEqual({ added: 0, changed: 0, unchanged: 3 });
    expect(again.profiles.changed).toBe(0);
  });

  it('keeps a link made in Teams when the file says nothing of it', async () => {
    await run([FIXTURE]);
    const stored = (await store.profiles.get('mersey', SEFTON_CHURCH))!;
    const { etag, ...plain } = stored;
    await store.profiles.replace(
      {
        ...plain,
        recommendations: plain.recommendations.map((r) =>
          r.number === 1 ? { ...r, state: 'taken-forward', actionRef: 'PREV-4' } : r,
        ),
      },
      etag,
      { actor: 'aad-coordinator', action: 'profile.recommendation-taken-forward', at: now.toISOString() },
    );
    const edited = join(dir, 'recommendations.csv');
    writeFileSync(edited, readFileSync(FIXTURE, 'utf8').replace('with the council', 'with the licensing team'));
    const result = await run([edited]);
    expect(result.records.recommendations).toEqual({ added: 0, changed: 1, unchanged: 2 });
    const [first, second] = await recommendationsOf(SEFTON_CHURCH);
    expect(first).toMatchObject({ number: 1, state: 'taken-forward', actionRef: 'PREV-4' });
    expect(second!.text).toBe('Share licensing intelligence on flagged premises with the licensing team');
  });

  it('keeps the recommendation an action takes forward when the action is imported again', async () => {
    await run([FIXTURE, join(EXAMPLES, 'actions.csv')]);
    const { etag, ...action } = (await store.actions.get('mersey', 'PREV-1'))!;
    await store.actions.replace({ ...action, fromRecommendation: 1 }, etag, {
      actor: 'aad-coordinator',
      action: 'action.updated',
      at: now.toISOString(),
    });
    const edited = join(dir, 'actions.csv');
    writeFileSync(
      edited,
      readFileSync(join(EXAMPLES, 'actions.csv'), 'utf8').replace('with the youth service', 'with youth workers'),
    );
    await run([edited]);
    expect(await store.actions.get('mersey', 'PREV-1')).toMatchObject({
      title: 'Diversion sessions with youth workers',
      fromRecommendation: 1,
    });
  });

  it('refuses personal data, unknown columns and fields, bad references and a number given twice; nothing is written', async () => {
    const csv = join(dir, 'recommendations.csv');
    writeFileSync(
      csv,
      [
        'districtId,number,text,agencyId,state,actionRef',
        `${SEFTON_CHURCH},1,Call the manager on 07700 900123 about the premises,,,`,
        `${SEFTON_CHURCH},2,Share the licensing picture,nobody,,`,
        `${SEFTON_CHURCH},3,Share the licensing picture,,open,PREV-2`,
        `${SEFTON_CHURCH},4,Share the licensing picture,,,`,
        `${SEFTON_CHURCH},4,Share the licensing picture again,,,`,
      ].join('\n'),
    );
    const json = join(dir, 'p.json');
    writeFileSync(
      json,
      JSON.stringify({ recommendations: [{ districtId: SEFTON_CHURCH, number: 5, text: 'Visit', victim: 'X' }] }),
    );
    const result = await run([csv, json]);
    expect(result.refused).toBe(true);
    expect(result.errors.first.map((e) => `${e.line} ${e.column}`)).toEqual([
      '2 text',
      '4 state',
      '1 victim',
      '3 agencyId',
      '6 (row)',
    ]);
    expect(result.errors.first[0]!.reason).toMatch(/phone number/);
    const header = join(dir, 'r2.csv');
    writeFileSync(header, `districtId,number,text,suspectName\n${SEFTON_CHURCH},1,Visit,Somebody\n`);
    const unknown = await run([header]);
    expect(unknown.errors.first[0]).toMatchObject({ column: 'suspectName' });
    expect(await store.profiles.get('mersey', SEFTON_CHURCH)).toBeUndefined();
  });
});
