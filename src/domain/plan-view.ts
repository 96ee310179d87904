import { ACTION_STATUS_LABEL, isActionOpen, type FourPAction } from './action.js';
import { higherOf, type Classification } from './classification.js';
import { formatDay, isOverdue } from './dates.js';
import type { District } from './district.js';
import { plural } from './format.js';
import { GAP_STATUS_LABEL, isGapOpen, type IntelligenceGap } from './gap.js';
import type { Partnership } from './partnership.js';
import { refNumber } from './refs.js';
import { STRAND_LABEL, STRAND_PURPOSE, STRANDS, type Strand } from './strand.js';
import { banner, statusCounts, type Banner } from './summary.js';
import { actionStatusSeries, type ChartSeries } from './charts.js';
import { impactText } from './impact.js';
import { splitVisible, withheldHint, type Viewer } from './visibility.js';

/** Names to show for owners: agency id → name, AAD object id → display name. */
export interface OwnerNames {
  agencies: ReadonlyMap<string, string>;
  people: ReadonlyMap<string, string>;
}

export interface ListItem {
  ref: string;
  text: string;
  status: string;
  owner: string;
  due: string;
  overdue: boolean;
  sensitive: boolean;
}

export interface GapListView {
  districtId: string;
  title: string;
  banner: Banner;
  summary: string;
  items: (ListItem & { ledTo: string })[];
  hasItems: boolean;
  more: string;
  withheld: string;
}

export interface PlanView {
  districtId: string;
  title: string;
  banner: Banner;
  summary: string;
  strands: {
    strand: Strand;
    label: string;
    purpose: string;
    items: (ListItem & { impact: string })[];
    empty: string;
  }[];
  more: string;
  withheld: string;
  /** Charts: every action the viewer may see (listed or not) by strand and status, and the same as text. */
  statusChart: { show: boolean; data: ChartSeries[]; facts: { title: string; value: string }[] };
}

export interface ListInput<T> {
  partnership: Pick<Partnership, 'demo'>;
  district: District;
  items: readonly T[];
  viewer: Viewer;
  names: OwnerNames;
  now: Date;
  /** A card has room for this many; the rest are counted. */
  limit: number;
  /** For gaps: the actions raised from each, by gap reference. */
  ledTo?: ReadonlyMap<string, readonly string[]>;
}

export function ownerText(names: OwnerNames, agencyId: string | undefined, person: string | undefined): string {
  if (!agencyId) return 'Unowned';
  const agency = names.agencies.get(agencyId) ?? agencyId;
  const name = person ? names.people.get(person) : undefined;
  return name ? `${agency} · ${name}` : agency;
}

export function dueText(due: string | undefined, open: boolean, now: Date): { due: string; overdue: boolean } {
  if (!due) return { due: 'no due date', overdue: false };
  const overdue = open && isOverdue(due, now);
  return { due: `${overdue ? 'overdue since' : 'due'} ${formatDay(due)}`, overdue };
}

/** Open and overdue first, then by reference, so what needs doing is at the top. */
function byUrgency<T extends { ref: string; due?: string | undefined }>(open: (t: T) => boolean, now: Date) {
  return (a: T, b: T) => {
    const rank = (t: T) => (open(t) ? (isOverdue(t.due, now) ? 0 : 1) : 2);
    return rank(a) - rank(b) || refNumber(a.ref) - refNumber(b.ref);
  };
}

function cardClassification(items: readonly { classification: Classification }[]): Classification {
  return items.reduce<Classification>((c, i) => higherOf(c, i.classification), 'OFFICIAL');
}

/** What both lists share: what may be shown, most urgent first, cut to the limit, and the words around it. */
function select<T extends { ref: string; due?: string | undefined; classification: Classification }>(
  input: ListInput<T>,
  isOpen: (t: T) => boolean,
  words: { noun: string; none: string },
) {
  const { shown, withheld } = splitVisible(input.viewer, input.items);
  const sorted = [...shown].sort(byUrgency<T>(isOpen, input.now));
  const listed = sorted.slice(0, input.limit);
  const open = input.items.filter(isOpen).length;
  return {
    listed,
    visible: sorted,
    districtId: input.district.id,
    banner: banner(cardClassification(listed), input.partnership.demo),
    summary: input.items.length === 0 ? words.none : `${plural(open, `open ${words.noun}`)} of ${input.items.length}.`,
    more:
      sorted.length > listed.length ? `${plural(sorted.length - listed.length, `more ${words.noun}`)} not listed.` : '',
    withheld: withheld > 0 ? `${plural(withheld, words.noun)} not shown. ${withheldHint(input.viewer)}` : '',
  };
}

function item<T extends { ref: string; due?: string | undefined; classification: Classification }>(
  input: ListInput<T>,
  t: T,
  fields: { text: string; status: string; agencyId: string | undefined; person: string | undefined; open: boolean },
): ListItem {
  return {
    ref: t.ref,
    text: fields.text,
    status: fields.status,
    owner: ownerText(input.names, fields.agencyId, fields.person),
    ...dueText(t.due, fields.open, input.now),
    sensitive: t.classification === 'OFFICIAL-SENSITIVE',
  };
}

export function composeGapList(input: ListInput<IntelligenceGap>): GapListView {
  const isOpen = (g: IntelligenceGap) => isGapOpen(g.status);
  const {
    listed,
    visible: _visible,
    ...view
  } = select(input, isOpen, {
    noun: 'gap',
    none: 'No intelligence gaps recorded.',
  });
  return {
    ...view,
    title: `Intelligence gaps: ${input.district.name}`,
    items: listed.map((g) => ({
      ...item(input, g, {
        text: g.question,
        status: GAP_STATUS_LABEL[g.status],
        agencyId: g.ownerAgencyId,
        person: g.ownerAadObjectId,
        open: isOpen(g),
      }),
      ledTo: input.ledTo?.get(g.ref)?.length ? `Led to ${input.ledTo.get(g.ref)!.join(', ')}` : '',
    })),
    hasItems: listed.length > 0,
  };
}

export function composePlan(input: ListInput<FourPAction>): PlanView {
  const isOpen = (a: FourPAction) => isActionOpen(a.status);
  const { listed, visible, ...view } = select(input, isOpen, { noun: 'action', none: 'No 4P actions recorded.' });
  return {
    ...view,
    // The chart counts unlisted actions too: the card is marked for everything it counts.
    banner: banner(cardClassification(visible), input.partnership.demo),
    statusChart: {
      show: visible.length > 0,
      data: actionStatusSeries(visible),
      facts: STRANDS.map((strand) => ({
        title: STRAND_LABEL[strand],
        value: statusCounts(visible.filter((a) => a.strand === strand)),
      })),
    },
    title: `4P plan: ${input.district.name}`,
    strands: STRANDS.map((strand) => {
      const items = listed.filter((a) => a.strand === strand);
      return {
        strand,
        label: STRAND_LABEL[strand],
        purpose: STRAND_PURPOSE[strand],
        items: items.map((a) => ({
          ...item(input, a, {
            text: a.title,
            status: ACTION_STATUS_LABEL[a.status],
            agencyId: a.leadAgencyId,
            person: a.ownerAadObjectId,
            open: isOpen(a),
          }),
          impact: impactText(a),
        })),
        empty: items.length === 0 ? 'No actions in this strand.' : '',
      };
    }),
  };
}

/**
 * The longest list that still fits: `fits` says whether a view is small enough to send (a card
 * has a size limit the domain does not know). Items left out are counted in the view's `more`.
 */
export function fitList<V>(compose: (limit: number) => V, fits: (view: V) => boolean, limit: number): V {
  let n = limit;
  let view = compose(n);
  while (n > 1 && !fits(view)) {
    n = Math.max(1, Math.floor(n * 0.75));
    view = compose(n);
  }
  return view;
}
