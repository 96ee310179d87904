import { EMPTY_FORM, type NewAction, type TaskFormView } from '../domain/task-form.js';
import { ConcurrencyError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { clip } from '../domain/format.js';
import { can } from '../domain/permissions.js';
import { fitList } from '../domain/plan-view.js';
import { findRecommendation, stateOf, type Profile, type Recommendation } from '../domain/profile.js';
import {
  composeRecommendationBlock,
  composeRecommendationList,
  type RecommendationListView,
} from '../domain/recommendation-view.js';
import { maySee, sensitiveCreateRefusal, withheldHint, type Viewer } from '../domain/visibility.js';
import type { Store, Stored } from '../store/store.js';
import type { Clock } from './clock.js';
import type { DistrictDirectory } from './district-directory.js';
import type { DistrictProfiles } from './district-profiles.js';
import type { Requester } from './membership.js';
import type { StoredTask, Tasks } from './tasks.js';

/** `recommendations <district>` lists at most this many (then as many as fit Teams' 28 KB). */
const LIST_LIMIT = 60;
/** Rounds of "read the profile, link, lost to another write" before giving up for now. */
const LINK_ATTEMPTS = 5;

/** What Make action's form submit came to. */
export type TakeForwardOutcome =
  /** The action was made (or found from an earlier try) and the recommendation now names it. */
  | { kind: 'linked'; stored: StoredTask; created: boolean }
  /** Another action took the recommendation forward first: this one was cancelled as a duplicate. */
  | { kind: 'duplicate'; stored: StoredTask; winner: string }
  /** The action exists and names the recommendation, but the link could not be written yet. */
  | { kind: 'unlinked'; stored: StoredTask; why: string };

/**
 * The profile's recommendations (guidance 2.1: each for a named agency to take forward), and a
 * coordinator's Make action: a 4P action pre-filled from a recommendation and linked back to it,
 * so the summary says "taken forward as PREV-12".
 */
export class Recommendations {
  constructor(
    private readonly store: Store,
    private readonly profiles: DistrictProfiles,
    private readonly tasks: Tasks,
    private readonly directory: DistrictDirectory,
    private readonly clock: Clock,
  ) {}

  /** Every recommendation the viewer may see here, numbered, with its agency and state. */
  async list(
    req: Requester,
    viewer: Viewer,
    districtId: string,
    fits: (v: RecommendationListView) => boolean = () => true,
  ): Promise<RecommendationListView> {
    const pid = req.partnership.id;
    const profile = await this.visibleProfile(req, viewer, districtId);
    const [district, agencyNames] = await Promise.all([
      this.store.districts.get(pid, districtId),
      this.profiles.agencyNamesOf(pid),
    ]);
    if (!district) throw new NotFoundError('district', districtId);
    const label = await this.directory.label(pid, districtId);
    return fitList(
      (limit) =>
        composeRecommendationList({
          demo: req.partnership.demo,
          districtId,
          districtName: label,
          profileClassification: profile.classification,
          viewer,
          block: composeRecommendationBlock({
            districtId,
            districtName: district.name,
            recommendations: profile.recommendations,
            viewer,
            agencyNames,
            canAct: can(req.member, 'action.create'),
            limit,
            more: (n) => `and ${n} more, not shown: the card is full.`,
          }),
        }),
      fits,
      LIST_LIMIT,
    );
  }

  /**
   * Make action: the 4P action form, pre-filled from the recommendation (strand, text, agency,
   * classification). Refused for a recommendation already taken forward or declined, and, for an
   * OFFICIAL-SENSITIVE one, anywhere but a cleared member's 1:1 chat.
   */
  async form(req: Requester, viewer: Viewer, districtId: string, number: number): Promise<TaskFormView> {
    mustAct(req);
    const profile = await this.visibleProfile(req, viewer, districtId);
    const recommendation = this.open(profile, viewer, number);
    const refusal = sensitiveCreateRefusal(viewer, recommendation.classification);
    if (refusal) throw new ForbiddenError('classification', refusal);
    return this.tasks.formView(
      req,
      viewer,
      'action',
      districtId,
      {
        ...EMPTY_FORM,
        text: clip(recommendation.text, 300),
        strand: recommendation.strand ?? '',
        agency: recommendation.agencyId ?? '',
        classification: recommendation.classification,
      },
      [],
      { number, text: recommendation.text },
    );
  }

  /** What the form shows again after a mistake: the recommendation it takes forward, named. */
  async formContext(req: Requester, viewer: Viewer, districtId: string, number: number) {
    const profile = await this.visibleProfile(req, viewer, districtId);
    const found = findRecommendation(profile.recommendations, number);
    if (!found || !maySee(viewer, found.recommendation.classification)) return undefined;
    return { number, text: found.recommendation.text };
  }

  /**
   * Creates the action from the form and links the recommendation to it.
   *
   * Two records are written, and no store here writes both in one transaction (Cosmos DB keeps
   * actions and profiles in different containers), so the order makes it safe:
   * 1. The action is created first, carrying `fromRecommendation`: from then on it says where it
   *    came from, whatever happens next. (Before creating, an action not cancelled that already
   *    names the recommendation, left by a try whose link was never written, is taken instead of
   *    making a second: the press again, or a retry by Teams, links idempotently.)
   * 2. The recommendation is then set to taken-forward with `actionRef`, conditional on the
   *    profile's etag (optimistic concurrency, audited). Losing to another write (an import, a
   *    review) re-reads and tries again; finding it already linked to this action is success.
   *    Finding it linked to ANOTHER action means two presses raced and the other linked first:
   *    this action is cancelled (audited, with the reason), so the recommendation is taken
   *    forward exactly once.
   */
  async takeForward(
    req: Requester,
    viewer: Viewer,
    input: NewAction,
    number: number,
    op?: string,
  ): Promise<TakeForwardOutcome> {
    mustAct(req);
    const pid = req.partnership.id;
    const { districtId } = input;
    const profile = await this.visibleProfile(req, viewer, districtId);
    const found = findRecommendation(profile.recommendations, number);
    const earlier = await this.actionFrom(pid, districtId, number);
    // A retried press whose link was written already: the same answer again.
    if (found && earlier && found.recommendation.actionRef === earlier.task.record.ref) {
      return { kind: 'linked', stored: earlier, created: false };
    }
    this.open(profile, viewer, number);
    const stored =
      earlier ?? (await this.tasks.createAction(req, viewer, { ...input, fromRecommendation: number }, op));
    return this.link(req, viewer, districtId, number, stored, earlier === undefined);
  }

  private async link(
    req: Requester,
    viewer: Viewer,
    districtId: string,
    number: number,
    stored: StoredTask,
    created: boolean,
  ): Promise<TakeForwardOutcome> {
    const pid = req.partnership.id;
    const ref = stored.task.record.ref;
    for (let attempt = 0; attempt < LINK_ATTEMPTS; attempt++) {
      const current = await this.store.profiles.get(pid, districtId);
      const found = current && findRecommendation(current.recommendations, number);
      if (!current || !found) {
        return {
          kind: 'unlinked',
          stored,
          why: `Recommendation ${number} is no longer in the profile, so ${ref} could not be linked to it.`,
        };
      }
      const linkedTo = found.recommendation.actionRef;
      if (linkedTo === ref) return { kind: 'linked', stored, created };
      if (linkedTo !== undefined) return this.cancelDuplicate(req, viewer, stored, number, linkedTo);
      const { etag, ...plain } = current;
      const next = withLink(plain, found.index, number, ref);
      const at = this.clock().toISOString();
      try {
        await this.store.profiles.replace(next, etag, {
          actor: req.member.aadObjectId,
          action: 'profile.recommendation-taken-forward',
          at,
        });
        return { kind: 'linked', stored, created };
      } catch (err) {
        if (!(err instanceof ConcurrencyError)) throw err;
      }
    }
    return {
      kind: 'unlinked',
      stored,
      why: `The profile kept changing, so ${ref} is not yet linked to recommendation ${number}; press Make action again to link it (no second action is made).`,
    };
  }

  private async cancelDuplicate(
    req: Requester,
    viewer: Viewer,
    stored: StoredTask,
    number: number,
    winner: string,
  ): Promise<TakeForwardOutcome> {
    const ref = stored.task.record.ref;
    const outcome = await this.tasks.change(req, viewer, ref, {
      op: 'close',
      reason: `Duplicate: recommendation ${number} was taken forward as ${winner} at the same time.`,
    });
    return { kind: 'duplicate', stored: outcome.stored, winner };
  }

  /** An action that takes this recommendation forward and is not cancelled, if there is one. */
  private async actionFrom(pid: string, districtId: string, number: number): Promise<StoredTask | undefined> {
    const actions = await this.store.actions.listByDistrict(pid, districtId);
    const found = actions.find((a) => a.fromRecommendation === number && a.status !== 'cancelled');
    if (!found) return undefined;
    const { etag, ...record } = found;
    return { task: { kind: 'action', record }, etag };
  }

  /** The recommendation, if the viewer may see it here and it is still open. */
  private open(profile: Profile, viewer: Viewer, number: number): Recommendation {
    const found = findRecommendation(profile.recommendations, number);
    // One the viewer may not see here is not named back to them, not even as "sensitive".
    if (!found || !maySee(viewer, found.recommendation.classification)) {
      throw new ValidationError(`This profile has no recommendation ${number}; nothing was made.`);
    }
    const r = found.recommendation;
    if (r.actionRef) {
      throw new ValidationError(
        `Recommendation ${number} was already taken forward as ${r.actionRef}; nothing was made. Type task ${r.actionRef} to see it.`,
      );
    }
    if (stateOf(r) !== 'open') {
      throw new ValidationError(`Recommendation ${number} is ${stateOf(r).replace('-', ' ')}; nothing was made.`);
    }
    return r;
  }

  private async visibleProfile(req: Requester, viewer: Viewer, districtId: string): Promise<Stored<Profile>> {
    const profile = await this.store.profiles.get(req.partnership.id, districtId);
    if (!profile) throw new NotFoundError('profile', districtId);
    if (!maySee(viewer, profile.classification)) {
      throw new ForbiddenError(
        'classification',
        `This district's profile is OFFICIAL-SENSITIVE. ${withheldHint(viewer)}`,
      );
    }
    return profile;
  }
}

function mustAct(req: Requester): void {
  if (!can(req.member, 'action.create')) {
    throw new ForbiddenError('action.create', 'Only coordinators can take a recommendation forward; nothing was made.');
  }
}

/** The profile with recommendation `index` taken forward as `ref` (and numbered, if it was not). */
function withLink(profile: Profile, index: number, number: number, ref: string): Profile {
  return {
    ...profile,
    recommendations: profile.recommendations.map((r, i) =>
      i === index ? { ...r, number, state: 'taken-forward', actionRef: ref } : r,
    ),
  };
}
