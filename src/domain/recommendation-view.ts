import { higherOf, type Classification } from './classification.js';
import { plural } from './format.js';
import { recommendationNumber, stateOf, type Recommendation, type RecommendationState } from './profile.js';
import { STRAND_LABEL } from './strand.js';
import { banner, type Banner } from './summary.js';
import { splitVisible, withheldHint, type Viewer } from './visibility.js';

/** The summary card lists this many recommendations; `recommendations <district>` lists them all. */
export const SUMMARY_RECOMMENDATIONS = 5;

/** One recommendation as a card shows it, already worded. */
export interface RecommendationLine {
  districtId: string;
  /** As text: the card's button sends it back, and a template keeps a whole-number field as text. */
  number: string;
  text: string;
  /** "Prevent · Liverpool City Council asked to take it forward · taken forward as PREV-12". */
  detail: string;
  /** The state in words, coloured by the template: open is the one still waiting. */
  stateText: string;
  open: boolean;
  /** A coordinator's Make action button: on open recommendations, for members who may add actions. */
  canAct: boolean;
}

/** The recommendations as a card lists them, with what was left off and what was withheld. */
export interface RecommendationBlock {
  items: RecommendationLine[];
  hasItems: boolean;
  /** "No recommendations in this profile yet." when there are none at all. */
  emptyText: string;
  /** "and 3 more: recommendations Everton" when the list was cut. */
  moreText: string;
  /** How many the viewer may not see here (counted, not shown). */
  withheld: number;
  /** The highest marking among those shown (OFFICIAL when none are sensitive). */
  classification: Classification;
}

const STATE_WORD: Record<RecommendationState, string> = {
  open: 'open',
  'taken-forward': 'taken forward',
  declined: 'declined',
};

export function composeRecommendationBlock(input: {
  districtId: string;
  /** How the district is typed in the command that lists them all ("recommendations Everton"). */
  districtName: string;
  recommendations: readonly Recommendation[];
  viewer: Viewer;
  agencyNames: ReadonlyMap<string, string>;
  /** The member may add 4P actions (coordinators). */
  canAct: boolean;
  limit: number;
  /** What to say of those left off; by default, the command that lists them all. */
  more?: (count: number) => string;
}): RecommendationBlock {
  const numbered = input.recommendations.map((r, i) => ({
    ...r,
    number: recommendationNumber(input.recommendations, i),
  }));
  const { shown, withheld } = splitVisible(input.viewer, numbered);
  let classification: Classification = 'OFFICIAL';
  for (const r of shown) classification = higherOf(classification, r.classification);
  const listed = shown.slice(0, input.limit);
  const more = shown.length - listed.length;
  return {
    items: listed.map((r) => {
      const state = r.actionRef ? `taken forward as ${r.actionRef}` : STATE_WORD[stateOf(r)];
      const detail = [
        r.strand ? STRAND_LABEL[r.strand] : '',
        r.agencyId ? `${input.agencyNames.get(r.agencyId) ?? r.agencyId} asked to take it forward` : 'no agency named',
        state,
      ].filter(Boolean);
      return {
        districtId: input.districtId,
        number: String(r.number),
        text: r.text,
        detail: detail.join(' · '),
        stateText: state,
        open: stateOf(r) === 'open',
        canAct: input.canAct && stateOf(r) === 'open',
      };
    }),
    hasItems: listed.length > 0,
    emptyText:
      input.recommendations.length === 0
        ? 'No recommendations in this profile yet.'
        : shown.length === 0
          ? `${plural(withheld, 'recommendation')} not shown here. ${withheldHint(input.viewer)}`
          : '',
    moreText: more <= 0 ? '' : (input.more?.(more) ?? `and ${more} more: type recommendations ${input.districtName}`),
    withheld,
    classification,
  };
}

/** `recommendations <district>`: every recommendation the viewer may see here. */
export interface RecommendationListView {
  banner: Banner;
  title: string;
  subtitle: string;
  note: string;
  recommendationList: RecommendationBlock;
  withheldText: string;
  districtId: string;
}

export function composeRecommendationList(input: {
  demo: boolean;
  districtId: string;
  districtName: string;
  profileClassification: Classification;
  block: RecommendationBlock;
  viewer: Viewer;
  note?: string;
}): RecommendationListView {
  const { block } = input;
  return {
    banner: banner(higherOf(input.profileClassification, block.classification), input.demo),
    title: `Recommendations: ${input.districtName}`,
    subtitle: 'From the SOC local profile, each for a named agency to take forward (guidance 2.1).',
    note: input.note ?? '',
    recommendationList: block,
    withheldText:
      block.withheld > 0 && block.hasItems
        ? `${plural(block.withheld, 'recommendation')} not shown. ${withheldHint(input.viewer)}`
        : '',
    districtId: input.districtId,
  };
}
