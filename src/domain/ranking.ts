import { ordinal, type Trend } from './format.js';
import type { RankedBy } from './profile.js';
import { POPULATION_FILE_NAME, banner, scoreText, type Banner } from './summary.js';

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
  /** The score column's heading and what the score is. */
  scoreHeading: string;
  footnote: string;
}

export interface RankingInput {
  demo: boolean;
  outOf: number;
  periodText: string;
  /** What the latest period was ranked on; absent: severity. */
  rankedBy?: RankedBy | undefined;
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
  const byCount = input.rankedBy === 'crimes';
  return {
    title: `Highest harm: top ${input.rows.length} by ${byCount ? 'number of crimes' : 'crime severity'}`,
    subtitle: input.rows.length
      ? `Of ${input.outOf} districts · ${input.periodText} · ▲ means more harm than at the last review`
      : '',
    banner: banner('OFFICIAL', input.demo),
    rows: input.rows.map((r) => ({
      rank: ordinal(r.rank),
      districtId: r.districtId,
      label: r.label,
      score: scoreText({ score: r.score, rankedBy: input.rankedBy }),
      ...rankChange(r.rank, r.rankAtLastReview),
    })),
    hasRows: input.rows.length > 0,
    scoreHeading: byCount ? 'Crimes' : 'Score',
    footnote: byCount
      ? `Tap a district for its summary. Ranked by number of crimes (anti-social behaviour not counted): severity and rate per resident need the population file, ${POPULATION_FILE_NAME}.`
      : "Tap a district for its summary. Score: crimes in the period × ONS crime severity weights ÷ residents, on ONS's Crime Severity Score scale, estimated from police.uk categories.",
  };
}
