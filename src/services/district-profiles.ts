import { formatPeriod } from '../domain/dates.js';
import type { District } from '../domain/district.js';
import { ConcurrencyError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import { can } from '../domain/permissions.js';
import {
  composeGapList,
  composePlan,
  fitList,
  type GapListView,
  type ListInput,
  type OwnerNames,
  type PlanView,
} from '../domain/plan-view.js';
import type { Profile } from '../domain/profile.js';
import { composeRecommendationBlock, SUMMARY_RECOMMENDATIONS } from '../domain/recommendation-view.js';
import { composeRanking, type RankingView } from '../domain/ranking.js';
import { markReviewed } from '../domain/review.js';
import { composeSummary, type SummaryView } from '../domain/summary.js';
import { maySee, type Viewer } from '../domain/visibility.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import type { DistrictDirectory } from './district-directory.js';
import type { Requester } from './membership.js';
import { TtlCache } from './ttl-cache.js';

/**
 * What a search result shows of a district before it is chosen: its name, authority and harm
 * rank, nothing of the profile's content. The rank is left out where the profile itself may not
 * be seen (an OFFICIAL-SENSITIVE profile outside a cleared 1:1 chat).
 */
export interface DistrictPreview {
  districtId: string;
  name: string;
  localAuthorityName: string | undefined;
  rank: { rank: number; outOf: number } | undefined;
  hasProfile: boolean;
}

export type SummaryResult =
  | { kind: 'summary'; view: SummaryView }
  /** The profile as a whole is marked above what this viewer may see here. */
  | { kind: 'withheld'; district: District; reason: 'classification' }
  | { kind: 'no-profile'; district: District };

/** Cards have room for this many list items (Teams' 28 KB limit); the rest are counted. */
export const LIST_LIMIT = 25;
export const RANKING_MAX = 25;

/**
 * The read side of a district's profile and plan, as officers and partners ask for it in chat,
 * and the coordinator's six-monthly review.
 */
export class DistrictProfiles {
  private readonly agencyNames: TtlCache<string, ReadonlyMap<string, string>>;
  private readonly reviewerNames: TtlCache<string, string | undefined>;
  /** Owners named on gap and plan cards: each a point read otherwise, several per card. */
  private readonly owners: TtlCache<string, { partnershipId: string; displayName: string } | undefined>;

  constructor(
    private readonly store: Store,
    private readonly directory: DistrictDirectory,
    private readonly clock: Clock,
  ) {
    this.agencyNames = new TtlCache(60_000);
    this.reviewerNames = new TtlCache(60_000);
    this.owners = new TtlCache(60_000);
  }

  /** Previews of the partnership's districts, in the order given (two point reads each). */
  async previews(req: Requester, viewer: Viewer, districtIds: readonly string[]): Promise<DistrictPreview[]> {
    const pid = req.partnership.id;
    return Promise.all(
      districtIds.map(async (districtId) => {
        const [district, profile] = await Promise.all([
          this.district(pid, districtId),
          this.store.profiles.get(pid, districtId),
        ]);
        const severity = profile && maySee(viewer, profile.classification) ? profile.threat.severity : undefined;
        return {
          districtId,
          name: district.name,
          localAuthorityName: district.localAuthorityName,
          rank: severity ? { rank: severity.rank, outOf: severity.outOf } : undefined,
          hasProfile: profile !== undefined,
        };
      }),
    );
  }

  /** The district's version stamp: what a cached card of it is checked against (one point read). */
  stamp(req: Requester, districtId: string): Promise<string> {
    return this.store.districts.stamp(req.partnership.id, districtId);
  }

  async summary(req: Requester, viewer: Viewer, districtId: string): Promise<SummaryResult> {
    const pid = req.partnership.id;
    const [district, profile, gaps, actions] = await Promise.all([
      this.district(pid, districtId),
      this.store.profiles.get(pid, districtId),
      this.store.gaps.factsByDistrict(pid, districtId),
      this.store.actions.factsByDistrict(pid, districtId),
    ]);
    if (!profile) return { kind: 'no-profile', district };
    if (!maySee(viewer, profile.classification)) return { kind: 'withheld', district, reason: 'classification' };
    const agencyNames = await this.agencyNamesOf(pid);
    const recommendations = composeRecommendationBlock({
      districtId,
      districtName: district.name,
      recommendations: profile.recommendations,
      viewer,
      agencyNames,
      canAct: can(req.member, 'action.create'),
      limit: SUMMARY_RECOMMENDATIONS,
    });
    const reviewedBy = profile.review.lastReviewedBy;
    const reviewerName = reviewedBy
      ? await this.reviewerNames.get(reviewedBy, async () => (await this.store.members.get(reviewedBy))?.displayName)
      : undefined;
    return {
      kind: 'summary',
      view: composeSummary({
        partnership: req.partnership,
        district,
        profile,
        gaps,
        actions,
        viewer,
        now: this.clock(),
        reviewerName,
        canReview: can(req.member, 'profile.review'),
        recommendations,
      }),
    };
  }

  /** `fits` says whether a view is small enough to send; the list is shortened until it is. */
  async gaps(req: Requester, viewer: Viewer, districtId: string, fits: (v: GapListView) => boolean = () => true) {
    // What each gap led to: the actions raised from it, so the board sees the gap was acted on.
    const links = await this.store.actions.linksByDistrict(req.partnership.id, districtId);
    const ledTo = new Map<string, string[]>();
    for (const a of links) {
      if (maySee(viewer, a.classification)) ledTo.set(a.fromGapRef, [...(ledTo.get(a.fromGapRef) ?? []), a.ref]);
    }
    return this.list(req, viewer, districtId, this.store.gaps, (input) => composeGapList({ ...input, ledTo }), fits);
  }

  plan(req: Requester, viewer: Viewer, districtId: string, fits: (v: PlanView) => boolean = () => true) {
    return this.list(req, viewer, districtId, this.store.actions, composePlan, fits);
  }

  private async list<T extends { ownerAadObjectId?: string | undefined }, V>(
    req: Requester,
    viewer: Viewer,
    districtId: string,
    records: { listByDistrict(partnershipId: string, districtId: string): Promise<T[]> },
    compose: (input: ListInput<T>) => V,
    fits: (view: V) => boolean,
  ): Promise<V> {
    const pid = req.partnership.id;
    const [district, items] = await Promise.all([
      this.district(pid, districtId),
      records.listByDistrict(pid, districtId),
    ]);
    const names = await this.ownerNames(
      pid,
      items.map((i) => i.ownerAadObjectId),
    );
    const now = this.clock();
    return fitList(
      (limit) => compose({ partnership: req.partnership, district, items, viewer, names, now, limit }),
      fits,
      LIST_LIMIT,
    );
  }

  async ranking(req: Requester, limit: number): Promise<RankingView> {
    const pid = req.partnership.id;
    const rows = await this.store.profiles.severityRanking(pid, Math.min(Math.max(1, limit), RANKING_MAX));
    const first = rows[0] ? await this.store.profiles.get(pid, rows[0].districtId) : undefined;
    const severity = first?.threat.severity;
    const labelled = await Promise.all(
      rows.map(async (r) => ({ ...r, label: await this.directory.label(pid, r.districtId) })),
    );
    return composeRanking({
      demo: req.partnership.demo,
      outOf: severity?.outOf ?? rows.length,
      periodText: severity ? formatPeriod(severity.period) : '',
      rankedBy: severity?.rankedBy,
      rows: labelled,
    });
  }

  /**
   * Records the six-monthly review: who and when, and the rank it saw. `etag` is the profile
   * version the coordinator was looking at; if the profile changed since, nothing is recorded.
   */
  async markReviewed(req: Requester, districtId: string, etag: string): Promise<void> {
    if (!can(req.member, 'profile.review'))
      throw new ForbiddenError('profile.review', 'Only coordinators can record a review');
    const pid = req.partnership.id;
    const profile = await this.store.profiles.get(pid, districtId);
    if (!profile) throw new NotFoundError('profile', districtId);
    const now = this.clock();
    const { etag: _current, ...plain } = profile;
    const next: Profile = markReviewed(plain, req.member.aadObjectId, now);
    try {
      // The card's version decides, so a review is never recorded against a view nobody saw.
      await this.store.profiles.replace(next, etag, {
        actor: req.member.aadObjectId,
        action: 'profile.reviewed',
        at: now.toISOString(),
      });
    } catch (err) {
      // A retried press (Teams resends an invoke it did not hear back from) finds its own review.
      if (!(err instanceof ConcurrencyError && isOwnRecentReview(profile, req.member.aadObjectId, now))) throw err;
    }
  }

  private async district(partnershipId: string, districtId: string): Promise<District> {
    const district = await this.store.districts.get(partnershipId, districtId);
    if (!district) throw new NotFoundError('district', districtId);
    return district;
  }

  /** Agencies' names by id, kept a minute (cards name them; renames are rare). */
  agencyNamesOf(partnershipId: string): Promise<ReadonlyMap<string, string>> {
    return this.agencyNames.get(partnershipId, async () => {
      const list = await this.store.agencies.list(partnershipId);
      return new Map(list.map((a) => [a.id, a.name]));
    });
  }

  private async ownerNames(partnershipId: string, people: readonly (string | undefined)[]): Promise<OwnerNames> {
    const agencies = await this.agencyNamesOf(partnershipId);
    const ids = [...new Set(people.filter((p): p is string => p !== undefined))];
    const members = await Promise.all(
      ids.map((id) =>
        this.owners.get(id, async () => {
          const m = await this.store.members.get(id);
          return m && { partnershipId: m.partnershipId, displayName: m.displayName };
        }),
      ),
    );
    const names = new Map<string, string>();
    members.forEach((m, i) => {
      // Only this partnership's members are named on its cards.
      if (m && m.partnershipId === partnershipId) names.set(ids[i]!, m.displayName);
    });
    return { agencies, people: names };
  }
}

const RETRY_WINDOW_MS = 5 * 60 * 1000;

function isOwnRecentReview(profile: Profile, reviewer: string, now: Date): boolean {
  const at = profile.review.lastReviewedAt;
  return (
    profile.review.lastReviewedBy === reviewer && at !== undefined && now.getTime() - Date.parse(at) < RETRY_WINDOW_MS
  );
}
