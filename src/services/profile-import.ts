import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { higherOf } from '../domain/classification.js';
import type { District } from '../domain/district.js';
import { ValidationError } from '../domain/errors.js';
import { Period, type Profile } from '../domain/profile.js';
import { reviewAfterRefresh } from '../domain/review.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import {
  DATASET_FILES,
  DEFAULT_PERIODS,
  buildWardProfiles,
  type CrimeImportSummary,
  type ReviewPeriods,
} from './import/ward-profiles.js';

/**
 * Refreshes a partnership's ward profiles from the published files (the yearly refresh of
 * guidance principle 6): every ward of the given authorities gets its district and profile
 * rebuilt by `buildWardProfiles`, and both are written with one `bulkLoad`, audited as an import.
 *
 * What the import keeps of a profile already stored, because no published file holds it and the
 * partnership's people put it there:
 * - the review history: `lastReviewedAt`, `lastReviewedBy` and the six-monthly `csiReviewDue`;
 * - the rank and score at the last review, when a coordinator recorded one (`lastReviewedAt` is
 *   set): the card's "since the last review" then compares the new figures with what was reviewed.
 *   Without a recorded review, the baseline is the files' own earlier period, six months before;
 * - OCG references, recommendations and the profile's classification (never lowered);
 * - indicators and data sources from other sources than these files.
 * Crime counts, severity, deprivation indicators and the files' own sources are replaced.
 * Gaps and actions are not touched. Districts the import does not cover stay as they are.
 *
 * An import does not check etags (it is the new truth, per the Store port): a review recorded
 * while an import runs is overwritten, and stays in the audit trail as the `before` of that
 * profile's "profile.imported" event.
 */

export interface ProfileImportInput {
  partnershipId: string;
  datasetDir: string;
  /** LAD19 codes, e.g. E08000011. */
  localAuthorityCodes: readonly string[];
  periods?: ReviewPeriods;
  dryRun: boolean;
}

/** What the import would do, or did, compared with what is stored. */
export interface ImportPlan {
  districts: { added: number; changed: number; unchanged: number };
  /** `refreshed`: the same figures, only the refresh dates move on. */
  profiles: { added: number; changed: number; refreshed: number };
  /** Wards whose severity rank differs from the stored one. */
  rankMoved: number;
  /** Profiles whose recorded review (who, when, rank then) was kept. */
  reviewsKept: number;
  /** Districts of the partnership this import does not cover; left as they are. */
  notCovered: string[];
}

export type ImportProgress =
  | { step: 'reading'; datasetDir: string; crimeFiles: number; localAuthorityCodes: readonly string[] }
  | { step: 'built'; wards: number; crime: CrimeImportSummary; ms: number }
  | { step: 'compared'; plan: ImportPlan }
  | { step: 'writing'; districts: number; profiles: number }
  | { step: 'written'; ms: number };

export interface ImportResult {
  partnershipId: string;
  wards: number;
  crime: CrimeImportSummary;
  plan: ImportPlan;
  written: boolean;
  ms: number;
}

/** LAD codes: unitary (E06), district (E07), metropolitan (E08), London borough (E09), Welsh (W06). */
const LAD_CODE = /^(E0[6-9]|W06)\d{6}$/;

export class ProfileImport {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Who the audit trail names: an admin's AAD object id, or "system:import". */
    private readonly actor: string,
  ) {}

  async run(input: ProfileImportInput, progress: (p: ImportProgress) => void = () => undefined): Promise<ImportResult> {
    const started = performance.now();
    const now = this.clock();
    const codes = checkAuthorities(input.localAuthorityCodes);
    const periods = checkPeriods(input.periods ?? DEFAULT_PERIODS);
    await this.checkPartnership(input.partnershipId);

    progress({
      step: 'reading',
      datasetDir: input.datasetDir,
      crimeFiles: await countCrimeFiles(input.datasetDir),
      localAuthorityCodes: codes,
    });
    const built = await buildWardProfiles({
      datasetDir: input.datasetDir,
      partnershipId: input.partnershipId,
      localAuthorityCodes: codes,
      now,
      periods,
    });
    progress({
      step: 'built',
      wards: built.districts.length,
      crime: built.crime,
      ms: Math.round(performance.now() - started),
    });

    const importSources = new Set(built.profiles[0]?.dataSources.map((s) => s.id) ?? []);
    const plan: ImportPlan = {
      districts: { added: 0, changed: 0, unchanged: 0 },
      profiles: { added: 0, changed: 0, refreshed: 0 },
      rankMoved: 0,
      reviewsKept: 0,
      notCovered: [],
    };
    const profiles: Profile[] = [];
    for (const [i, district] of built.districts.entries()) {
      const stored = await this.store.districts.get(input.partnershipId, district.id);
      plan.districts[stored === undefined ? 'added' : sameDistrict(stored, district) ? 'unchanged' : 'changed'] += 1;

      const fresh = built.profiles[i]!;
      const existing = await this.store.profiles.get(input.partnershipId, fresh.districtId);
      const { etag: _etag, ...before } = existing ?? { etag: '' };
      const merged = existing ? keepPartnershipWork(fresh, before as Profile, importSources, now) : fresh;
      profiles.push(merged);
      if (!existing) {
        plan.profiles.added += 1;
        continue;
      }
      plan.profiles[sameFigures(before as Profile, merged) ? 'refreshed' : 'changed'] += 1;
      if (existing.threat.severity?.rank !== merged.threat.severity?.rank) plan.rankMoved += 1;
      if (existing.review.lastReviewedAt) plan.reviewsKept += 1;
    }
    const covered = new Set(built.districts.map((d) => d.id));
    plan.notCovered = (await this.store.districts.listNames(input.partnershipId))
      .map((d) => d.id)
      .filter((id) => !covered.has(id))
      .sort();
    progress({ step: 'compared', plan });

    if (!input.dryRun) {
      progress({ step: 'writing', districts: built.districts.length, profiles: profiles.length });
      const writeStarted = performance.now();
      await this.store.bulkLoad(
        input.partnershipId,
        { districts: built.districts, profiles, gaps: [], actions: [] },
        { actor: this.actor, action: 'profile.imported', at: now.toISOString() },
      );
      progress({ step: 'written', ms: Math.round(performance.now() - writeStarted) });
    }
    return {
      partnershipId: input.partnershipId,
      wards: built.districts.length,
      crime: built.crime,
      plan,
      written: !input.dryRun,
      ms: Math.round(performance.now() - started),
    };
  }

  private async checkPartnership(id: string): Promise<void> {
    if (await this.store.partnerships.get(id)) return;
    const known = (await this.store.partnerships.list()).map((p) => p.id);
    throw new ValidationError(
      `partnership ${id} does not exist; ${known.length ? `known: ${known.join(', ')}` : 'add it first with npm run admin -- partnership add'}`,
      ['partnership'],
    );
  }
}

/**
 * A freshly built profile with what the partnership put on the stored one kept (see the file's
 * comment for what and why).
 */
export function keepPartnershipWork(
  fresh: Profile,
  stored: Profile,
  importSources: ReadonlySet<string>,
  now: Date,
): Profile {
  const reviewed = stored.review.lastReviewedAt !== undefined;
  const recorded = stored.threat.severity;
  let severity = fresh.threat.severity;
  if (severity && reviewed) {
    const { rankAtLastReview: _r, scoreAtLastReview: _s, ...current } = severity;
    severity = {
      ...current,
      ...(recorded?.rankAtLastReview !== undefined && { rankAtLastReview: recorded.rankAtLastReview }),
      ...(recorded?.scoreAtLastReview !== undefined && { scoreAtLastReview: recorded.scoreAtLastReview }),
    };
  }
  const { severity: _severity, ...threat } = fresh.threat;
  return {
    ...fresh,
    classification: higherOf(stored.classification, fresh.classification),
    threat: { ...threat, ocgs: stored.threat.ocgs, ...(severity && { severity }) },
    vulnerabilities: [
      ...fresh.vulnerabilities,
      ...stored.vulnerabilities.filter((v) => !importSources.has(v.sourceId)),
    ],
    dataSources: [...fresh.dataSources, ...stored.dataSources.filter((s) => !importSources.has(s.id))],
    recommendations: stored.recommendations,
    review: reviewAfterRefresh(now, stored.review),
  };
}

function checkAuthorities(codes: readonly string[]): string[] {
  const unique = [...new Set(codes.map((c) => c.trim().toUpperCase()).filter((c) => c !== ''))];
  if (unique.length === 0) {
    throw new ValidationError('give at least one local authority code (LAD19), e.g. E08000012', ['authorities']);
  }
  const bad = unique.filter((c) => !LAD_CODE.test(c));
  if (bad.length > 0) {
    throw new ValidationError(
      `${bad.join(', ')} ${bad.length === 1 ? 'is not a local authority code' : 'are not local authority codes'}; ` +
        'valid: LAD19 codes such as E08000012 (E06, E07, E08, E09 or W06 and six digits)',
      ['authorities'],
    );
  }
  return unique;
}

function checkPeriods(periods: ReviewPeriods): ReviewPeriods {
  for (const which of ['latest', 'previous'] as const) {
    const parsed = Period.safeParse(periods[which]);
    if (!parsed.success) {
      throw new ValidationError(
        `${which} period: ${parsed.error.issues.map((i) => i.message).join('; ')} (give it as YYYY-MM/YYYY-MM)`,
        [which],
      );
    }
  }
  if (periods.previous.to >= periods.latest.from) {
    throw new ValidationError('the previous period must end before the latest one starts', ['previous']);
  }
  return periods;
}

async function countCrimeFiles(datasetDir: string): Promise<number> {
  try {
    return (await readdir(join(datasetDir, DATASET_FILES.crimeDir))).filter((n) => /-street\.csv(\.gz)?$/.test(n))
      .length;
  } catch {
    return 0; // the builder says which folder is missing
  }
}

function sameDistrict(a: District, b: District): boolean {
  return canonical(a) === canonical(b);
}

/** Everything but the refresh dates, which every import moves on. */
function sameFigures(a: Profile, b: Profile): boolean {
  const figures = (p: Profile) => ({ ...p, review: { ...p.review, lastRefreshedAt: '', nextRefreshDue: '' } });
  return canonical(figures(a)) === canonical(figures(b));
}

/** JSON with keys in order, so records read back from a store compare equal to built ones. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
