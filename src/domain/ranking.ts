import { formatDecimal, ordinal, type Trend } from './format.js';
import { banner, type Banner } from './summary.js';

/**
 * Districts ranked by crime severity (guidance section 4, West Yorkshire's practice): where harm
 * is highest, and how each has moved since the last six-monthly review.
 */
export interface RankingRow {
  rank: string;
  districtId: string;
  label: string;
  score: string;
  change: string;
  trend: Trend;
}

export interface RankingView {
  title: string;
  subtitle: string;
  banner: Banner;
  rows: RankingRow[];
  hasRows: boolean;
}

export interface RankingInput {
  demo: boolean;
  outOf: number;
  periodText: string;
  rows: readonly {
    districtId: string;
    label: string;
    score: number;
    rank: number;
    rankAtLastReview?: number | undefined;
  }[];
}

export function rankChange(rank: number, rankAtLastReview: number | undefined): { change: string; trend: Trend } {
  if (rankAtLastReview === undefined) return { change: 'new', trend: 'new' };
  const moved = rankAtLastReview - rank;
  if (moved === 0) return { change: 'no change', trend: 'same' };
  return {
    change: `${moved > 0 ? '▲' : '▼'} ${Math.abs(moved)} (was ${ordinal(rankAtLastReview)})`,
    trend: moved > 0 ? 'up' : 'down',
  };
}

export function composeRanking(input: RankingInput): RankingView {
  return {
    title: `Highest harm: top ${input.rows.length} by crime severity`,
    subtitle: input.rows.length
      ? `Of ${input.outOf} districts · ${input.periodText} · ▲ means more harm than at the last review`
      : '',
    banner: banner('OFFICIAL', input.demo),
    rows: input.rows.map((r) => ({
      rank: ordinal(r.rank),
      districtId: r.districtId,
      label: r.label,
      score: formatDecimal(r.score),
      ...rankChange(r.rank, r.rankAtLastReview),
    })),
    hasRows: input.rows.length > 0,
  };
}
