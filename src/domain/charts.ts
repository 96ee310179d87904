import { ACTION_STATUS_LABEL, ActionStatus } from './action.js';
import { formatPeriod } from './dates.js';
import type { CrimePeriod, RankedBy } from './profile.js';
import { STRAND_LABEL, STRANDS, type Strand } from './strand.js';

/**
 * The data behind the cards' charts (Teams' Adaptive Card `Chart.*` elements), shaped here so the
 * templates only bind it. Every figure is a stored figure as it is stored (no rounding, no
 * re-scaling): the chart and the text beside it must never disagree.
 */

/** One line or one group of bars: `Chart.Line` and `Chart.VerticalBar.Grouped` take the same shape. */
export interface ChartSeries {
  legend: string;
  values: { x: string; y: number }[];
  color?: ChartColor;
}

/** The named colours Teams documents for chart data points (a subset we use). */
export type ChartColor =
  'good' | 'warning' | 'attention' | 'neutral' | 'categoricalBlue' | 'categoricalLightBlue' | 'categoricalPurple';

/** The y-axis title for a history ranked on `rankedBy`: a score, or a count when there are no residents. */
export function scoreAxisTitle(rankedBy: RankedBy | undefined): string {
  return rankedBy === 'crimes' ? 'Crimes (no population to score by)' : 'Crime severity score';
}

/**
 * The scored periods of a crime history, oldest first, that share the latest period's measure
 * (a score per resident and a count of crimes cannot share an axis). Empty without a scored latest.
 */
export function scoredHistory(
  history: readonly CrimePeriod[],
): (CrimePeriod & { severity: NonNullable<CrimePeriod['severity']> })[] {
  const latest = history.find((h) => h.severity !== undefined);
  if (!latest) return [];
  const measure = latest.severity!.rankedBy ?? 'severity';
  return history
    .filter((h): h is CrimePeriod & { severity: NonNullable<CrimePeriod['severity']> } => h.severity !== undefined)
    .filter((h) => (h.severity.rankedBy ?? 'severity') === measure)
    .reverse();
}

/** A district's severity over its stored periods, as one line: x the period, y the stored score. */
export function severitySeries(legend: string, history: readonly CrimePeriod[]): ChartSeries {
  return {
    legend,
    values: scoredHistory(history).map((h) => ({ x: formatPeriod(h.period), y: h.severity.score })),
  };
}

/**
 * The top crime types of the latest period against the period before, as grouped bars: one
 * series per period (the earlier first, so bars read left to right in time), one bar per type.
 */
export function crimeComparisonSeries(history: readonly CrimePeriod[], crimeTypes: readonly string[]): ChartSeries[] {
  const [latest, previous] = history;
  if (!latest) return [];
  const series = (p: CrimePeriod, color: ChartColor): ChartSeries => {
    const counts = new Map(p.counts.map((c) => [c.crimeType, c.count]));
    return {
      legend: formatPeriod(p.period),
      values: crimeTypes.map((t) => ({ x: t, y: counts.get(t) ?? 0 })),
      color,
    };
  };
  return [...(previous ? [series(previous, 'neutral')] : []), series(latest, 'categoricalBlue')];
}

/** The statuses in the order work goes through them (as the enum lists them). */
const STATUS_ORDER: readonly ActionStatus[] = ActionStatus.options;
const STATUS_COLOR: Record<ActionStatus, ChartColor> = {
  planned: 'categoricalLightBlue',
  in_progress: 'categoricalBlue',
  blocked: 'attention',
  done: 'good',
  cancelled: 'neutral',
};

/**
 * Actions by strand and status, for a stacked bar per strand: one series per status that occurs,
 * each with a value for every strand (0 where none), so the colours mean the same on every bar.
 * The caller passes only the actions the viewer may see.
 */
export function actionStatusSeries(actions: readonly { strand: Strand; status: ActionStatus }[]): ChartSeries[] {
  return STATUS_ORDER.filter((s) => actions.some((a) => a.status === s)).map((status) => ({
    legend: ACTION_STATUS_LABEL[status],
    values: STRANDS.map((strand) => ({
      x: STRAND_LABEL[strand],
      y: actions.filter((a) => a.strand === strand && a.status === status).length,
    })),
    color: STATUS_COLOR[status],
  }));
}
