import type { CrimePeriod, DataSource, Indicator, OcgRef, Profile, Recommendation } from './profile.js';
import { reviewAfterRefresh } from './review.js';
import { mergeCrimeHistory, severityFromHistory } from './severity-history.js';

/** What one import brings for one district's profile. */
export interface ImportedFigures {
  /** This import's periods for the district, latest first; absent when it brought no crime. */
  crime?: readonly CrimePeriod[];
  /** Replace the stored indicators with the same key; the others stay. */
  indicators: readonly Indicator[];
  /** Replace the stored sources with the same id; the others stay. */
  sources: readonly DataSource[];
  /** The district's OCG references, replacing the stored list; absent to keep it. */
  ocgs?: readonly OcgRef[];
  /**
   * The district's recommendations, replacing the stored list; absent to keep it. One the store
   * has taken forward keeps its link unless the import gives its own state.
   */
  recommendations?: readonly Recommendation[];
}

/** A profile for a district the store has none for yet. */
export function newProfile(partnershipId: string, districtId: string, now: Date): Profile {
  return {
    partnershipId,
    districtId,
    classification: 'OFFICIAL',
    threat: { ocgs: [], crime: [] },
    vulnerabilities: [],
    dataSources: [],
    recommendations: [],
    review: reviewAfterRefresh(now),
  };
}

/**
 * The stored profile with an import's figures in. Kept: what the partnership's people put there
 * (recommendations, classification, review dates and who reviewed), indicators and sources of
 * other origins, and, after a review a coordinator recorded, the rank and score they reviewed, so
 * "since the last review" means since that review. Without one, the baseline is the history's
 * period six months before the latest (severity-history.ts). The review dates are not moved here:
 * the caller moves them only when something changed.
 */
export function mergeImported(base: Profile, fresh: ImportedFigures, method: string): Profile {
  const history = fresh.crime ? mergeCrimeHistory(base.threat.crime, fresh.crime) : base.threat.crime;
  let severity = severityFromHistory(history, method) ?? base.threat.severity;
  const recorded = base.threat.severity;
  if (severity && base.review.lastReviewedAt !== undefined && recorded?.rankAtLastReview !== undefined) {
    severity = { ...severity, rankAtLastReview: recorded.rankAtLastReview };
    if (recorded.scoreAtLastReview !== undefined) severity.scoreAtLastReview = recorded.scoreAtLastReview;
  }
  const keys = new Set(fresh.indicators.map((i) => i.key));
  const ids = new Set(fresh.sources.map((s) => s.id));
  const { severity: _stored, ...threat } = base.threat;
  return {
    ...base,
    threat: {
      ...threat,
      ocgs: fresh.ocgs ? [...fresh.ocgs] : base.threat.ocgs,
      crime: history,
      ...(severity && { severity }),
    },
    recommendations: fresh.recommendations
      ? fresh.recommendations.map((r) => keptLink(r, base.recommendations))
      : base.recommendations,
    vulnerabilities: [...fresh.indicators, ...base.vulnerabilities.filter((v) => !keys.has(v.key))],
    dataSources: [...fresh.sources, ...base.dataSources.filter((s) => !ids.has(s.id))],
  };
}

/**
 * An imported recommendation, with the link made in Teams kept: a file written before Make action
 * was pressed says nothing of the action, and must not undo it.
 */
export function keptLink(fresh: Recommendation, stored: readonly Recommendation[]): Recommendation {
  if (fresh.state !== undefined) return { ...fresh };
  const before = stored.find((s, i) => (s.number ?? i + 1) === fresh.number);
  if (!before?.actionRef) return { ...fresh };
  return { ...fresh, state: 'taken-forward', actionRef: before.actionRef };
}
