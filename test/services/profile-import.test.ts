import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import type { Profile } from '../../src/domain/profile.js';
import { markReviewed } from '../../src/domain/review.js';
import { buildWardProfiles } from '../../src/services/import/ward-profiles.js';
import { MemberAdmin } from '../../src/services/member-admin.js';
import { ProfileImport, keepPartnershipWork, type ImportProgress } from '../../src/services/profile-import.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

/** The fixture cut (test/fixtures/data/README.md): one month per period, three wards of three authorities. */
const DATASET = join(import.meta.dirname, '../fixtures/data/mini');
const PERIODS = { latest: { from: '2019-10', to: '2019-10' }, previous: { from: '2019-04', to: '2019-04' } };
const LIVERPOOL_SEFTON = ['E08000012', 'E08000014'];
const ALL = ['E08000012', 'E08000014', 'E08000015'];
const COORDINATOR = 'cccccccc-1111-2222-3333-444444444444';
const IMPORTER = 'aaaaaaaa-1111-2222-3333-444444444444';

let now = new Date('2026-03-02T09:00:00Z');
const clock = () => now;
let dir: string;
let store: Store;

beforeEach(async () => {
  now = new Date('2026-03-02T09:00:00Z');
  dir = mkdtempSync(join(tmpdir(), 'soc-import-'));
  store = openSqliteStore({ file: join(dir, 'store.db') });
  await new MemberAdmin(store, clock, 'system:cli').addPartnership({ id: 'mersey', name: 'Merseyside', force: 'MP' });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const importer = () => new ProfileImport(store, clock, IMPORTER);
const run = (codes: string[], dryRun = false, progress?: (p: ImportProgress) => void) =>
  importer().run(
    { partnershipId: 'mersey', datasetDir: DATASET, localAuthorityCodes: codes, periods: PERIODS, dryRun },
    progress,
  );

describe('importing ward profiles', () => {
  it('loads a district and a profile per ward, audited as an import by whoever ran it', async () => {
    const steps: string[] = [];
    const result = await run(ALL, false, (p) => steps.push(p.step));
    expect(steps).toEqual(['reading', 'built', 'compared', 'writing', 'written']);
    expect(result).toMatchObject({
      wards: 3,
      written: true,
      plan: { districts: { added: 3, changed: 0, unchanged: 0 }, profiles: { added: 3, changed: 0, refreshed: 0 } },
    });
    expect(result.crime.rowsCounted).toBeGreaterThan(0);
    expect((await store.districts.listNames('mersey')).map((d) => d.id)).toEqual([
      'E05000891',
      'E05000936',
      'E05000961',
    ]);
    const events = await store.audit.listForEntity('mersey', 'profile', 'E05000936');
    expect(events).toMatchObject([{ action: 'profile.imported', actor: IMPORTER, before: null }]);
  });

  it('a dry run says what would change and writes nothing', async () => {
    const steps: string[] = [];
    const result = await run(ALL, true, (p) => steps.push(p.step));
    expect(steps).toEqual(['reading', 'built', 'compared']);
    expect(result).toMatchObject({ written: false, plan: { profiles: { added: 3 } } });
    expect(await store.districts.count('mersey')).toBe(0);
    expect(await store.audit.listSince('mersey', '2000-01-01T00:00:00Z', 10)).toEqual([]);
  });

  it('a second import of the same files changes only the refresh dates', async () => {
    await run(ALL);
    now = new Date('2026-09-01T09:00:00Z');
    const result = await run(ALL);
    expect(result.plan).toEqual({
      districts: { added: 0, changed: 0, unchanged: 3 },
      profiles: { added: 0, changed: 0, refreshed: 3 },
      rankMoved: 0,
      reviewsKept: 0,
      notCovered: [],
    });
    const profile = (await store.profiles.get('mersey', 'E05000936'))!;
    expect(profile.review.lastRefreshedAt).toBe(now.toISOString());
  });

  it("keeps the partnership's own work: reviews, OCG references, recommendations, gaps", async () => {
    await run(LIVERPOOL_SEFTON);
    // A coordinator records the six-monthly review of Church (Sefton) and adds what no file holds.
    const before = (await store.profiles.get('mersey', 'E05000936'))!;
    const { etag, ...stored } = before;
    const marked = markReviewed(stored, COORDINATOR, new Date('2026-04-01T10:00:00Z'));
    const reviewed: Profile = {
      ...marked,
      threat: { ...marked.threat, ocgs: [{ ref: 'OCG-14', morileScore: 640, classification: 'OFFICIAL' }] },
      recommendations: [{ text: 'Share the licensing picture with the council', classification: 'OFFICIAL' }],
    };
    await store.profiles.replace(reviewed, etag, {
      actor: COORDINATOR,
      action: 'profile.reviewed',
      at: '2026-04-01T10:00:00Z',
    });
    await store.gaps.create(
      {
        partnershipId: 'mersey',
        districtId: 'E05000936',
        question: 'Which premises are used?',
        classification: 'OFFICIAL',
        status: 'open',
        createdBy: COORDINATOR,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      },
      { actor: COORDINATOR, action: 'gap.created', at: now.toISOString() },
    );

    // The refresh now covers Wirral too, so every ward's rank is out of three, not two.
    now = new Date('2026-09-01T09:00:00Z');
    const result = await run(ALL);
    expect(result.plan).toMatchObject({
      districts: { added: 1, unchanged: 2 },
      profiles: { added: 1, changed: 2 },
      reviewsKept: 1,
    });

    const after = (await store.profiles.get('mersey', 'E05000936'))!;
    expect(after.review).toMatchObject({
      lastReviewedAt: '2026-04-01T10:00:00.000Z',
      lastReviewedBy: COORDINATOR,
      csiReviewDue: reviewed.review.csiReviewDue,
      lastRefreshedAt: now.toISOString(),
    });
    expect(after.threat.severity).toMatchObject({
      outOf: 3,
      rankAtLastReview: before.threat.severity!.rank,
      scoreAtLastReview: before.threat.severity!.score,
    });
    expect(after.threat.ocgs.map((o) => o.ref)).toEqual(['OCG-14']);
    expect(after.recommendations).toHaveLength(1);
    expect((await store.gaps.listByDistrict('mersey', 'E05000936')).map((g) => g.ref)).toEqual(['G-1']);

    // Church (Liverpool) was never reviewed: its baseline is the files' own earlier period, out of three.
    const rebuilt = await buildWardProfiles({
      datasetDir: DATASET,
      partnershipId: 'mersey',
      localAuthorityCodes: ALL,
      now,
      periods: PERIODS,
    });
    const unreviewed = (await store.profiles.get('mersey', 'E05000891'))!;
    expect(unreviewed.review.lastReviewedAt).toBeUndefined();
    expect(unreviewed.threat.severity).toEqual(
      rebuilt.profiles.find((p) => p.districtId === 'E05000891')!.threat.severity,
    );
  });

  it('refuses a partnership that does not exist, and codes that are not local authorities', async () => {
    const refused = (p: Promise<unknown>) => expect(p).rejects.toBeInstanceOf(ValidationError);
    await refused(
      importer().run({ partnershipId: 'nope', datasetDir: DATASET, localAuthorityCodes: ALL, dryRun: false }),
    );
    await expect(
      importer().run({
        partnershipId: 'mersey',
        datasetDir: DATASET,
        localAuthorityCodes: ['E05000936'],
        dryRun: false,
      }),
    ).rejects.toThrow('E05000936 is not a local authority code; valid: LAD19 codes such as E08000012');
    await expect(
      importer().run({
        partnershipId: 'mersey',
        datasetDir: DATASET,
        localAuthorityCodes: ALL,
        periods: { latest: PERIODS.previous, previous: PERIODS.latest },
        dryRun: false,
      }),
    ).rejects.toThrow('the previous period must end before the latest one starts');
    expect(await store.districts.count('mersey')).toBe(0);
  });
});

describe('what an import keeps of a stored profile', () => {
  const fresh: Profile = {
    partnershipId: 'p',
    districtId: 'E05000001',
    classification: 'OFFICIAL',
    threat: {
      ocgs: [],
      crime: [],
      severity: {
        score: 9,
        period: { from: '2020-10', to: '2020-12' },
        rank: 2,
        outOf: 10,
        rankAtLastReview: 5,
        scoreAtLastReview: 4,
        method: 'm',
      },
    },
    vulnerabilities: [
      {
        key: 'imd',
        label: 'IMD',
        value: 1,
        display: '1',
        sourceId: 'iod2019-imd',
        asOf: '2019',
        classification: 'OFFICIAL',
      },
    ],
    dataSources: [{ id: 'iod2019-imd', name: 'IoD', publisher: 'MHCLG', licence: 'OGL', asOf: '2019' }],
    recommendations: [],
    review: { lastRefreshedAt: '2026-09-01T09:00:00.000Z', nextRefreshDue: '2027-09-01', csiReviewDue: '2027-03-01' },
  };
  const stored: Profile = {
    ...fresh,
    classification: 'OFFICIAL-SENSITIVE',
    threat: {
      ocgs: [{ ref: 'OCG-3', morileScore: 100, classification: 'OFFICIAL-SENSITIVE' }],
      crime: [],
      severity: { ...fresh.threat.severity!, rank: 7, rankAtLastReview: 7, scoreAtLastReview: 2.5 },
    },
    vulnerabilities: [
      { ...fresh.vulnerabilities[0]!, value: 3 },
      {
        key: 'fuel-poverty',
        label: 'Fuel poverty',
        value: 15,
        display: '15%',
        sourceId: 'beis-fuel',
        asOf: '2019',
        classification: 'OFFICIAL',
      },
    ],
    dataSources: [
      { id: 'iod2019-imd', name: 'old name', publisher: 'MHCLG', licence: 'OGL', asOf: '2015' },
      { id: 'beis-fuel', name: 'Fuel poverty', publisher: 'BEIS', licence: 'OGL', asOf: '2019' },
    ],
    recommendations: [{ text: 'r', classification: 'OFFICIAL' }],
    review: {
      lastRefreshedAt: '2025-09-01T09:00:00.000Z',
      nextRefreshDue: '2026-09-01',
      csiReviewDue: '2026-10-01',
      lastReviewedAt: '2026-04-01T10:00:00.000Z',
      lastReviewedBy: COORDINATOR,
    },
  };
  const sources = new Set(['iod2019-imd']);
  const at = new Date('2026-09-01T09:00:00Z');

  it('after a recorded review: the rank and score the coordinator saw; the new figures otherwise', () => {
    const merged = keepPartnershipWork(fresh, stored, sources, at);
    expect(merged.threat.severity).toMatchObject({
      score: 9,
      rank: 2,
      outOf: 10,
      rankAtLastReview: 7,
      scoreAtLastReview: 2.5,
    });
    expect(merged.review).toEqual({
      ...stored.review,
      lastRefreshedAt: at.toISOString(),
      nextRefreshDue: '2027-09-01',
    });
    expect(merged.classification).toBe('OFFICIAL-SENSITIVE');
    expect(merged.threat.ocgs).toEqual(stored.threat.ocgs);
    expect(merged.recommendations).toEqual(stored.recommendations);
    expect(merged.vulnerabilities.map((v) => [v.sourceId, v.value])).toEqual([
      ['iod2019-imd', 1],
      ['beis-fuel', 15],
    ]);
    expect(merged.dataSources.map((s) => [s.id, s.asOf])).toEqual([
      ['iod2019-imd', '2019'],
      ['beis-fuel', '2019'],
    ]);
  });

  it('without a recorded review: the files own earlier period is the baseline', () => {
    const { lastReviewedAt: _a, lastReviewedBy: _b, ...review } = stored.review;
    const merged = keepPartnershipWork(fresh, { ...stored, review }, sources, at);
    expect(merged.threat.severity).toMatchObject({ rank: 2, rankAtLastReview: 5, scoreAtLastReview: 4 });
  });
});
