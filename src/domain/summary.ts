import { ActionStatus, isActionOpen, type ActionFacts } from './action.js';
import { crimeComparisonSeries, scoreAxisTitle, severitySeries, type ChartSeries } from './charts.js';
import { higherOf, type Classification } from './classification.js';
import { formatDay, formatPeriod, isOverdue, type DueState } from './dates.js';
import type { District } from './district.js';
import { changeText, formatCount, formatDecimal, ordinal, plural, type Trend } from './format.js';
import { isGapOpen, type GapFacts } from './gap.js';
import type { Partnership } from './partnership.js';
import type { Profile } from './profile.js';
import type { RecommendationBlock } from './recommendation-view.js';
import { reviewStatus } from './review.js';
import { STRAND_LABEL, STRANDS, type Strand } from './strand.js';
import { splitVisible, withheldHint, type Viewer } from './visibility.js';

/**
 * The district summary: guidance principle 1's "need-to-know guide" on one card. Everything here
 * is what the card shows, already worded; the template only lays it out.
 */
/** Periods of severity history the summary card lists (the profile may hold more). */
export const TREND_PERIODS = 4;

export interface SummaryView {
  districtId: string;
  title: string;
  subtitle: string;
  banner: Banner;
  threat: {
    ocgText: string;
    crimePeriodText: string;
    topCrimes: { crimeType: string; count: string; change: string; trend: Trend }[];
    hasCrime: boolean;
    severityText: string;
    /** Crimes per 1,000 residents and the population estimate they are per, or why there is none. */
    rateText: string;
    rankText: string;
    rankChangeText: string;
    rankTrend: Trend;
    /** Score and rank per period, oldest first, when the profile holds two or more: the trend. */
    trendText: string;
  };
  vulnerabilities: { label: string; value: string; source: string }[];
  hasVulnerabilities: boolean;
  gaps: { open: number; unowned: number; overdue: number; text: string };
  plan: {
    /** `line` is the text with the overdue count in bold (markdown), for a FactSet value. */
    strands: { strand: Strand; label: string; text: string; overdue: number; line: string }[];
    overdue: number;
    text: string;
  };
  review: {
    lastRefreshed: string;
    nextRefreshDue: string;
    refreshState: DueState;
    csiReviewDue: string;
    csiState: DueState;
    lastReviewed: string;
    /** When data was last imported: more data is not a refresh. */
    dataAsOf: string;
    warning: string;
  };
  withheld: { count: number; text: string };
  /** Charts: the severity score over every stored period, drawn when the text has a trend. */
  severityChart: { show: boolean; yAxisTitle: string; data: ChartSeries[] };
  /** Charts: the top crime types (as `threat.topCrimes`) this period against the last. */
  crimeChart: { show: boolean; data: ChartSeries[] };
  /** The profile's recommendations (at most SUMMARY_RECOMMENDATIONS), with Make action for coordinators. */
  recommendationList: RecommendationBlock;
  canReview: boolean;
  /** The profile version the card was drawn from, so "mark reviewed" cannot act on a stale view. */
  etag: string;
}

export interface Banner {
  classification: Classification;
  demo: boolean;
  /** "OFFICIAL", "OFFICIAL-SENSITIVE · DEMO DATA". */
  text: string;
  style: 'emphasis' | 'attention' | 'warning';
}

export function banner(classification: Classification, demo: boolean): Banner {
  return {
    classification,
    demo,
    text: demo ? `${classification} · DEMO DATA, NOT A REAL PROFILE` : classification,
    style: classification === 'OFFICIAL-SENSITIVE' ? 'attention' : demo ? 'warning' : 'emphasis',
  };
}

export interface SummaryInput {
  partnership: Pick<Partnership, 'demo'>;
  district: District;
  profile: Profile & { etag?: string };
  /** Counted, not listed: their facts are enough. */
  gaps: readonly GapFacts[];
  actions: readonly ActionFacts[];
  viewer: Viewer;
  now: Date;
  /** Display name of whoever recorded the last review, if known. */
  reviewerName?: string | undefined;
  canReview: boolean;
  /** Composed by the caller (it knows the agencies' names and the member's role); none when absent. */
  recommendations?: RecommendationBlock;
}

const NO_RECOMMENDATIONS: RecommendationBlock = {
  items: [],
  hasItems: false,
  emptyText: 'No recommendations in this profile yet.',
  moreText: '',
  withheld: 0,
  classification: 'OFFICIAL',
};

const TOP_CRIMES = 5;

const DUE_WORD: Record<DueState, string> = { ok: '', 'due-soon': ' (due soon)', overdue: ' (OVERDUE)' };

/** The caller has checked that the viewer may see the profile itself (`maySee`). */
export function composeSummary(input: SummaryInput): SummaryView {
  const { district, profile, viewer, now } = input;
  let classification: Classification = profile.classification;
  let withheld = 0;

  // Threat: OCGs are counted whatever their marking; only visible ones lend their score.
  const ocgs = splitVisible(viewer, profile.threat.ocgs);
  withheld += ocgs.withheld;
  for (const o of ocgs.shown) classification = higherOf(classification, o.classification);
  const top = [...ocgs.shown].sort((a, b) => b.morileScore - a.morileScore)[0];
  const ocgCount = profile.threat.ocgs.length;
  let ocgText = ocgCount === 0 ? 'No OCGs mapped' : `${plural(ocgCount, 'OCG')} mapped`;
  if (top) ocgText += ` · highest MoRILE score ${formatDecimal(top.morileScore, 0)}${top.band ? ` (${top.band})` : ''}`;
  if (ocgs.withheld > 0) ocgText += ` · ${ocgs.withheld} not shown here`;

  const [latest, previous] = profile.threat.crime;
  const previousCounts = new Map(previous?.counts.map((c) => [c.crimeType, c.count]));
  const topCrimes = (latest?.counts ?? [])
    .filter((c) => c.count > 0)
    .sort((a, b) => b.count - a.count || a.crimeType.localeCompare(b.crimeType))
    .slice(0, TOP_CRIMES)
    .map((c) => {
      const change = changeText(c.count, previous ? (previousCounts.get(c.crimeType) ?? 0) : undefined);
      return { crimeType: c.crimeType, count: formatCount(c.count), change: change.text, trend: change.trend };
    });
  const crimePeriodText = latest
    ? previous
      ? `${formatPeriod(latest.period)}, change against ${formatPeriod(previous.period)}`
      : formatPeriod(latest.period)
    : 'No crime data in this profile';

  const sev = profile.threat.severity;
  let rankChangeText = '';
  let rankTrend: Trend = 'same';
  if (sev?.rankAtLastReview !== undefined) {
    const moved = sev.rankAtLastReview - sev.rank;
    rankTrend = moved > 0 ? 'up' : moved < 0 ? 'down' : 'same';
    rankChangeText =
      moved === 0
        ? `Same rank as at the last review`
        : `${plural(Math.abs(moved), 'place')} ${moved > 0 ? 'higher (more harm)' : 'lower (less harm)'} than at the last review (${ordinal(sev.rankAtLastReview)})`;
  } else if (sev) {
    rankChangeText = 'No earlier review to compare with';
    rankTrend = 'new';
  }

  // The history the import keeps, oldest first, so the effect of 4P work can be read off it.
  const scoredPeriods = profile.threat.crime.filter((c) => c.severity !== undefined).slice(0, TREND_PERIODS);
  const trendText =
    scoredPeriods.length < 2
      ? ''
      : 'Trend: ' +
        scoredPeriods
          .reverse()
          .map((c) => `${formatPeriod(c.period)} ${scoreText(c.severity!)} (${ordinal(c.severity!.rank)})`)
          .join(' → ');

  // Vulnerabilities: each with where it came from and when.
  const sources = new Map(profile.dataSources.map((s) => [s.id, s]));
  const indicators = splitVisible(viewer, profile.vulnerabilities);
  withheld += indicators.withheld;
  for (const i of indicators.shown) classification = higherOf(classification, i.classification);
  const vulnerabilities = indicators.shown.map((i) => {
    const source = sources.get(i.sourceId);
    return { label: i.label, value: i.display, source: `${source ? source.name : i.sourceId}, ${i.asOf}` };
  });

  const recommendationList = input.recommendations ?? NO_RECOMMENDATIONS;
  withheld += recommendationList.withheld;
  classification = higherOf(classification, recommendationList.classification);

  // Gaps and actions are counted in full: a count reveals no sensitive detail.
  const openGaps = input.gaps.filter((g) => isGapOpen(g.status));
  const unowned = openGaps.filter((g) => g.ownerAgencyId === undefined).length;
  const overdueGaps = openGaps.filter((g) => isOverdue(g.due, now)).length;
  const gapsText =
    input.gaps.length === 0
      ? 'No intelligence gaps recorded'
      : `${formatCount(openGaps.length)} open · ${formatCount(unowned)} unowned · ${formatCount(overdueGaps)} overdue`;

  const strands = STRANDS.map((strand) => {
    const items = input.actions.filter((a) => a.strand === strand);
    const overdue = items.filter((a) => isActionOpen(a.status) && isOverdue(a.due, now)).length;
    const text = statusCounts(items);
    return {
      strand,
      label: STRAND_LABEL[strand],
      text,
      overdue,
      line: overdue > 0 ? `${text} · **${overdue} overdue**` : text,
    };
  });
  const planOverdue = strands.reduce((n, s) => n + s.overdue, 0);

  const state = reviewStatus(profile.review, now);
  const warnings: string[] = [];
  if (state.refresh === 'overdue')
    warnings.push(`the 12-month refresh was due ${formatDay(profile.review.nextRefreshDue)}`);
  if (state.csiReview === 'overdue')
    warnings.push(`the 6-month severity review was due ${formatDay(profile.review.csiReviewDue)}`);

  return {
    districtId: district.id,
    title: district.name,
    subtitle: [
      district.localAuthorityName,
      district.population > 0 || district.populationSource
        ? `population ${formatCount(district.population)}${district.populationSource ? ` (${district.populationSource})` : ''}`
        : 'population not imported',
    ]
      .filter(Boolean)
      .join(' · '),
    banner: banner(classification, input.partnership.demo),
    threat: {
      ocgText,
      crimePeriodText,
      topCrimes,
      hasCrime: topCrimes.length > 0,
      severityText: !sev
        ? 'No crime severity score yet'
        : sev.rankedBy === 'crimes'
          ? `${plural(sev.score, 'crime')} in ${formatPeriod(sev.period)} (anti-social behaviour not counted)`
          : `Crime severity score ${scoreText(sev)} (${formatPeriod(sev.period)}), on ONS's Crime Severity Score scale, estimated from police.uk categories`,
      rateText: !sev
        ? ''
        : sev.crimeRate !== undefined
          ? `${formatDecimal(sev.crimeRate)} crimes per 1,000 residents (${populationText(district)})`
          : sev.rankedBy === 'crimes'
            ? `Severity and crime rate per resident need the population file: ${POPULATION_FILE_NAME}.`
            : '',
      rankText: sev
        ? `Rank ${formatCount(sev.rank)} of ${formatCount(sev.outOf)} in the partnership${sev.rankedBy === 'crimes' ? ' by number of crimes' : ''}`
        : '',
      rankChangeText,
      rankTrend,
      trendText,
    },
    vulnerabilities,
    hasVulnerabilities: vulnerabilities.length > 0,
    gaps: { open: openGaps.length, unowned, overdue: overdueGaps, text: gapsText },
    plan: {
      strands,
      overdue: planOverdue,
      text:
        input.actions.length === 0
          ? 'No 4P actions recorded'
          : `${plural(input.actions.filter((a) => isActionOpen(a.status)).length, 'open action')} · ${formatCount(planOverdue)} overdue`,
    },
    review: {
      lastRefreshed: formatDay(profile.review.lastRefreshedAt),
      nextRefreshDue: `${formatDay(profile.review.nextRefreshDue)}${DUE_WORD[state.refresh]}`,
      refreshState: state.refresh,
      csiReviewDue: `${formatDay(profile.review.csiReviewDue)}${DUE_WORD[state.csiReview]}`,
      csiState: state.csiReview,
      lastReviewed: profile.review.lastReviewedAt
        ? `${formatDay(profile.review.lastReviewedAt)}${input.reviewerName ? ` by ${input.reviewerName}` : ''}`
        : 'Not yet reviewed',
      dataAsOf: dataAsOf(profile),
      warning: warnings.length ? `Review overdue: ${warnings.join('; ')}.` : '',
    },
    withheld: {
      count: withheld,
      text: withheld > 0 ? `${plural(withheld, 'item')} not shown. ${withheldHint(viewer)}` : '',
    },
    severityChart: {
      show: trendText !== '',
      yAxisTitle: scoreAxisTitle(sev?.rankedBy),
      data: [severitySeries(district.name, profile.threat.crime)],
    },
    crimeChart: {
      show: topCrimes.length > 0,
      data: crimeComparisonSeries(
        profile.threat.crime,
        topCrimes.map((c) => c.crimeType),
      ),
    },
    recommendationList,
    canReview: input.canReview,
    etag: input.profile.etag ?? '',
  };
}

/** The file that gives a rate and severity per resident, for the card that has neither. */
export const POPULATION_FILE_NAME =
  "ONS's mid-year LSOA population estimates (or IoD 2019 File 6, population denominators)";

/** A severity score as shown: ONS's scale, 2 decimals; a number of crimes when ranked by count. */
export function scoreText(s: { score: number; rankedBy?: 'severity' | 'crimes' | undefined }): string {
  return s.rankedBy === 'crimes' ? formatCount(s.score) : formatDecimal(s.score, 2);
}

function populationText(district: District): string {
  if (!district.populationSource) return 'population as stored';
  // Both files the import reads give ONS mid-year estimates ("mid-2015", "mid-2022").
  return /^mid-\d{4}$/.test(district.populationSource)
    ? `ONS ${district.populationSource} population estimate`
    : district.populationSource;
}

/** "Oct–Dec 2019 crime, imported 2 Apr 2026": what the figures are as of. */
function dataAsOf(profile: Profile): string {
  const latest = profile.threat.crime[0];
  const parts = [];
  if (latest) parts.push(`${formatPeriod(latest.period)} crime`);
  if (profile.review.dataUpdatedAt) parts.push(`imported ${formatDay(profile.review.dataUpdatedAt)}`);
  return parts.length ? parts.join(', ') : 'No data imported yet';
}

/** The statuses in the order work goes through them (as the enum lists them). */
const STATUS_ORDER: readonly ActionStatus[] = ActionStatus.options;
const STATUS_WORD: Record<ActionStatus, string> = {
  planned: 'planned',
  in_progress: 'in progress',
  blocked: 'blocked',
  done: 'done',
  cancelled: 'cancelled',
};

export function statusCounts(items: readonly ActionFacts[]): string {
  if (items.length === 0) return 'none';
  return STATUS_ORDER.map((s) => [s, items.filter((a) => a.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${formatCount(n)} ${STATUS_WORD[s]}`)
    .join(' · ');
}
