import { isActionOpen, type ActionStatus } from './action.js';
import type { AuditEvent } from './audit.js';
import { SYSTEM_IMPORT } from './audit.js';
import { higherOf, type Classification } from './classification.js';
import { formatDay, isOverdue } from './dates.js';
import { formatLondon } from './digest-schedule.js';
import { ordinal, plural } from './format.js';
import { isGapOpen, type GapStatus } from './gap.js';
import type { Profile } from './profile.js';
import { reviewStatus } from './review.js';
import { banner, scoreText, type Banner } from './summary.js';
import { scoreAxisTitle, scoredHistory, severitySeries, type ChartSeries } from './charts.js';
import { formatPeriod } from './dates.js';

/**
 * The partnership board's weekly digest (guidance 3.8: the board holds agencies to account;
 * principle 6: the profile is reviewed regularly). Pure: the caller reads the records, this
 * decides what the board sees. It goes to a channel, so OFFICIAL-SENSITIVE items are only counted.
 */

export type ChangeKind =
  | 'gap-opened'
  | 'gap-filled'
  | 'gap-closed'
  | 'gap-reassigned'
  | 'action-started'
  | 'action-blocked'
  | 'action-done'
  | 'action-cancelled';

export interface Change {
  kind: ChangeKind;
  ref: string;
  districtId: string;
  classification: Classification;
}

interface TrackedShape {
  ref?: unknown;
  districtId?: unknown;
  status?: unknown;
  ownerAgencyId?: unknown;
  classification?: unknown;
}

function shape(record: unknown): TrackedShape | undefined {
  return typeof record === 'object' && record !== null ? (record as TrackedShape) : undefined;
}

function classificationOf(...records: (TrackedShape | undefined)[]): Classification {
  let c: Classification = 'OFFICIAL';
  for (const r of records) if (r?.classification === 'OFFICIAL-SENSITIVE') c = higherOf(c, 'OFFICIAL-SENSITIVE');
  return c;
}

/**
 * What an audit event changed, read from the records before and after rather than from the
 * event's name, so new kinds of event (a reassignment, a status change by card) count the same.
 * A bulk import is the profile refreshed, not the partnership's week of work: it is not a change.
 */
export function changesOf(event: AuditEvent): Change[] {
  if (event.entityType !== 'gap' && event.entityType !== 'action') return [];
  if (event.actor === SYSTEM_IMPORT) return [];
  const before = shape(event.before);
  const after = shape(event.after);
  if (!after || typeof after.districtId !== 'string') return [];
  const base = {
    ref: typeof after.ref === 'string' ? after.ref : event.entityId,
    districtId: after.districtId,
    classification: classificationOf(before, after),
  };
  const kinds: ChangeKind[] = [];
  if (event.entityType === 'gap') {
    const to = after.status as GapStatus;
    const from = before?.status as GapStatus | undefined;
    if (isGapOpen(to) && (from === undefined || !isGapOpen(from))) kinds.push('gap-opened');
    if (to === 'filled' && from !== 'filled') kinds.push('gap-filled');
    if (to === 'closed' && from !== undefined && from !== 'closed') kinds.push('gap-closed');
    if (typeof after.ownerAgencyId === 'string' && before && before.ownerAgencyId !== after.ownerAgencyId) {
      kinds.push('gap-reassigned');
    }
  } else {
    const to = after.status as ActionStatus;
    const from = before?.status as ActionStatus | undefined;
    if (before && from !== to) {
      // Back from blocked is a resumption, not a start.
      if (to === 'in_progress' && from !== 'blocked') kinds.push('action-started');
      if (to === 'blocked') kinds.push('action-blocked');
      if (to === 'done') kinds.push('action-done');
      if (to === 'cancelled') kinds.push('action-cancelled');
    }
  }
  return kinds.map((kind) => ({ kind, ...base }));
}

export interface DigestGap {
  ref: string;
  status: GapStatus;
  due?: string | undefined;
  ownerAgencyId?: string | undefined;
  classification: Classification;
}

export interface DigestAction {
  ref: string;
  status: ActionStatus;
  due?: string | undefined;
  leadAgencyId: string;
  classification: Classification;
}

export interface DigestDistrict {
  id: string;
  label: string;
  profile?: Pick<Profile, 'classification' | 'review' | 'threat'> | undefined;
  gaps: readonly DigestGap[];
  actions: readonly DigestAction[];
}

export interface DigestInput {
  demo: boolean;
  /** "Merseyside SOC Partnership" or "3 districts". */
  scopeText: string;
  weekFrom: Date;
  weekTo: Date;
  districts: readonly DigestDistrict[];
  /** Audit events of the week (any district: those out of scope are ignored). */
  events: readonly AuditEvent[];
  agencyNames: ReadonlyMap<string, string>;
  now: Date;
  /** How many districts get a section; the rest are counted. */
  limit: number;
}

export interface DigestLine {
  label: string;
  text: string;
}

export interface DigestSection {
  title: string;
  lines: DigestLine[];
}

export interface DigestView {
  banner: Banner;
  title: string;
  subtitle: string;
  totals: { title: string; value: string }[];
  risers: string[];
  hasRisers: boolean;
  /**
   * Charts: the harm trend (severity over the stored periods) of the districts in `risers` that
   * share the top riser's measure, and the same figures as text, one line per district.
   */
  riserChart: { show: boolean; yAxisTitle: string; data: ChartSeries[]; lines: string[] };
  sections: DigestSection[];
  more: string;
  quiet: string;
  withheld: string;
  footer: string;
}

/** Refs listed on one line before "and N more". */
export const REFS_PER_LINE = 6;
export const RISERS = 5;

const CHANGE_LABEL: Record<ChangeKind, string> = {
  'gap-opened': 'gaps opened',
  'gap-filled': 'gaps filled',
  'gap-closed': 'gaps closed (no longer needed)',
  'gap-reassigned': 'gaps assigned to an agency',
  'action-started': 'actions started',
  'action-blocked': 'actions blocked',
  'action-done': 'actions done',
  'action-cancelled': 'actions cancelled',
};
const CHANGE_ORDER = Object.keys(CHANGE_LABEL) as ChangeKind[];

function refList(refs: readonly string[], withheld: number, max = REFS_PER_LINE): string {
  const shown = refs.slice(0, max);
  const parts = [shown.join(', ')];
  if (refs.length > max) parts.push(`and ${refs.length - max} more`);
  if (withheld > 0) parts.push(`${plural(withheld, 'OFFICIAL-SENSITIVE item')} (counted, not shown)`);
  return parts.filter(Boolean).join(' · ');
}

interface Composed {
  section: DigestSection;
  withheld: number;
  changes: number;
  overdue: number;
  unowned: number;
  reviewsDue: number;
}

function composeDistrict(d: DigestDistrict, changes: readonly Change[], input: DigestInput): Composed {
  const lines: DigestLine[] = [];
  let withheld = 0;

  let changeCount = 0;
  for (const kind of CHANGE_ORDER) {
    const of = changes.filter((c) => c.kind === kind);
    if (of.length === 0) continue;
    changeCount += of.length;
    const shown = [...new Set(of.filter((c) => c.classification === 'OFFICIAL').map((c) => c.ref))];
    const hidden = of.length - of.filter((c) => c.classification === 'OFFICIAL').length;
    withheld += hidden;
    lines.push({ label: capitalise(CHANGE_LABEL[kind]), text: refList(shown, hidden) });
  }

  const overdue = d.actions.filter((a) => isActionOpen(a.status) && isOverdue(a.due, input.now));
  if (overdue.length) {
    const shown = overdue.filter((a) => a.classification === 'OFFICIAL');
    const hidden = overdue.length - shown.length;
    withheld += hidden;
    const items = shown.map(
      (a) => `${a.ref} (${input.agencyNames.get(a.leadAgencyId) ?? a.leadAgencyId}, due ${formatDay(a.due!)})`,
    );
    lines.push({ label: 'Overdue actions', text: refList(items, hidden, 4) });
  }

  const unowned = d.gaps.filter((g) => isGapOpen(g.status) && g.ownerAgencyId === undefined);
  if (unowned.length) {
    const shown = unowned.filter((g) => g.classification === 'OFFICIAL').map((g) => g.ref);
    const hidden = unowned.length - shown.length;
    withheld += hidden;
    lines.push({ label: 'Unowned gaps', text: refList(shown, hidden) });
  }

  let reviewsDue = 0;
  if (d.profile) {
    const state = reviewStatus(d.profile.review, input.now);
    const due: string[] = [];
    if (state.refresh !== 'ok') {
      due.push(
        `12-month refresh ${state.refresh === 'overdue' ? 'OVERDUE' : 'due'} ${formatDay(d.profile.review.nextRefreshDue)}`,
      );
    }
    if (state.csiReview !== 'ok') {
      due.push(
        `6-month severity review ${state.csiReview === 'overdue' ? 'OVERDUE' : 'due'} ${formatDay(d.profile.review.csiReviewDue)}`,
      );
    }
    if (due.length) {
      reviewsDue += 1;
      if (d.profile.classification === 'OFFICIAL') lines.push({ label: 'Review', text: due.join(' · ') });
      else {
        withheld += 1;
        lines.push({ label: 'Review', text: 'a review is due on an OFFICIAL-SENSITIVE profile (not shown here)' });
      }
    }
  }

  return {
    section: { title: d.label, lines },
    withheld,
    changes: changeCount,
    overdue: overdue.length,
    unowned: unowned.length,
    reviewsDue,
  };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Districts whose harm rank rose most since the last review (1 = most harm, so a smaller rank). */
function risingDistricts(districts: readonly DigestDistrict[], max: number) {
  return districts
    .flatMap((d) => {
      const s = d.profile?.threat.severity;
      if (!s || s.rankAtLastReview === undefined || d.profile?.classification !== 'OFFICIAL') return [];
      const rise = s.rankAtLastReview - s.rank;
      return rise > 0 ? [{ d, rise, s, crime: d.profile.threat.crime }] : [];
    })
    .sort((a, b) => b.rise - a.rise || a.s.rank - b.s.rank || a.d.id.localeCompare(b.d.id))
    .slice(0, max);
}

export function risers(districts: readonly DigestDistrict[], max = RISERS): string[] {
  return risingDistricts(districts, max).map(
    ({ d, rise, s }) =>
      `${d.label}: up ${plural(rise, 'place')} to ${ordinal(s.rank)} of ${s.outOf} (was ${ordinal(s.rankAtLastReview!)})`,
  );
}

/** The rising districts' stored severity, period by period, for a line chart and its text. */
export function riserTrend(districts: readonly DigestDistrict[], max = RISERS): DigestView['riserChart'] {
  const all = risingDistricts(districts, max);
  // A score per resident and a count of crimes cannot share an axis: the top riser's measure wins.
  const measure = all[0]?.s.rankedBy ?? 'severity';
  const same = all.filter((r) => (r.s.rankedBy ?? 'severity') === measure && scoredHistory(r.crime).length >= 2);
  return {
    show: same.length > 0,
    yAxisTitle: scoreAxisTitle(measure),
    data: same.map((r) => severitySeries(r.d.label, r.crime)),
    lines: same.map(
      (r) =>
        `${r.d.label}: ${scoredHistory(r.crime)
          .map((h) => `${formatPeriod(h.period)} ${scoreText(h.severity)}`)
          .join(' → ')}`,
    ),
  };
}

export function composeDigest(input: DigestInput): DigestView {
  const inScope = new Map(input.districts.map((d) => [d.id, d]));
  const changesBy = new Map<string, Change[]>();
  const from = input.weekFrom.getTime();
  const to = input.weekTo.getTime();
  for (const e of input.events) {
    const t = Date.parse(e.at);
    if (t < from || t >= to) continue;
    for (const c of changesOf(e)) {
      if (!inScope.has(c.districtId)) continue;
      const list = changesBy.get(c.districtId) ?? [];
      list.push(c);
      changesBy.set(c.districtId, list);
    }
  }

  const composed = input.districts.map((d) => composeDistrict(d, changesBy.get(d.id) ?? [], input));
  const reporting = composed.filter((c) => c.section.lines.length > 0);
  const shown = reporting.slice(0, Math.max(0, input.limit));
  const withheld = composed.reduce((n, c) => n + c.withheld, 0);
  const sum = (f: (c: Composed) => number) => composed.reduce((n, c) => n + f(c), 0);
  const quietCount = composed.length - reporting.length;
  const rising = risers(input.districts);

  return {
    banner: banner('OFFICIAL', input.demo),
    title: `Weekly digest: ${input.scopeText}`,
    subtitle: `The week ${formatLondon(input.weekFrom)} to ${formatLondon(input.weekTo)} (UK time) · ${plural(input.districts.length, 'district')}`,
    totals: [
      { title: 'Changes this week', value: String(sum((c) => c.changes)) },
      { title: 'Overdue actions', value: String(sum((c) => c.overdue)) },
      { title: 'Unowned gaps', value: String(sum((c) => c.unowned)) },
      { title: 'Profiles due for review', value: String(sum((c) => c.reviewsDue)) },
    ],
    risers: rising,
    hasRisers: rising.length > 0,
    riserChart: riserTrend(input.districts),
    sections: shown.map((c) => c.section),
    more:
      reporting.length > shown.length
        ? `And ${plural(reporting.length - shown.length, 'more district')} with items: ask summary <district> for each.`
        : '',
    quiet: quietCount > 0 ? `${plural(quietCount, 'district')} with nothing to report.` : '',
    withheld:
      withheld > 0
        ? `${plural(withheld, 'OFFICIAL-SENSITIVE item')} counted above but not shown: a channel never shows them. Ask in a 1:1 chat with the bot.`
        : '',
    footer:
      'Items are named by reference (G-12, PREV-3) so you can ask about them; summary <district> shows a district in full. digest status says when the next digest is due.',
  };
}
