import type { AccessRequest } from '../domain/access-request.js';
import type { ActionDraft, ActionFacts, FourPAction } from '../domain/action.js';
import type { AuditContext, AuditEntity, AuditEvent } from '../domain/audit.js';
import type { AwaitingInstall } from '../domain/awaiting-install.js';
import type { BoardChannel, ConversationRef } from '../domain/conversation.js';
import type { DigestDelivery, JobLease } from '../domain/digest-delivery.js';
import type { District } from '../domain/district.js';
import type { GapDraft, GapFacts, IntelligenceGap } from '../domain/gap.js';
import type { Member } from '../domain/member.js';
import type { Agency, Partnership } from '../domain/partnership.js';
import type { Profile } from '../domain/profile.js';
import type { ReminderDelivery } from '../domain/reminder-delivery.js';

/**
 * The Store port. Services depend on this and nothing else; `sqlite/` and `cosmos/` implement it
 * and prove it by one contract suite (test/store/contract.ts).
 *
 * Rules every adapter keeps:
 * - A record read for change comes with an opaque `etag`. A write that passes a stale etag is
 *   refused with ConcurrencyError and changes nothing.
 * - Every create or change of a gap, action, profile or member writes an AuditEvent holding the
 *   record before and after, in the same transaction where the database has one.
 * - A store that cannot be reached throws StoreUnavailableError, never a driver error.
 * - `create` of a key that already exists throws ConcurrencyError (someone created it first);
 *   `replace` of a key that does not exist throws NotFoundError.
 * - An etag is opaque and changes on every write. Records come back as they were stored,
 *   with `etag` added; nothing else is added (no `_ts`, `type`, ids of the adapter's own).
 * - Lists have a stated order (below) so callers and tests need not sort; ties are broken by id.
 * - Instants (`at`, `updatedAt`, `addedAt`) are written as UTC ISO strings ending in Z, so they
 *   order the same as strings and as times. AAD object ids are compared in lower case.
 * - Audit events: `before` is null on create; `at` and `actor` come from the AuditContext;
 *   `id` is a fresh UUID.
 */
export type Stored<T> = T & { readonly etag: string };

export interface PartnershipRepository {
  get(id: string): Promise<Stored<Partnership> | undefined>;
  /** Ordered by id. */
  list(): Promise<Partnership[]>;
  /** Creates or replaces a partnership (admin and import only). */
  put(partnership: Partnership): Promise<Stored<Partnership>>;
  /**
   * A change made in Teams (`reminder settings`): written only if the partnership is still as read
   * (`ifMatch`, else ConcurrencyError; NotFoundError if it is gone), with its audit event (entity
   * `partnership`, id the partnership's id), together or not at all.
   */
  replace(partnership: Partnership, ifMatch: string, audit: AuditContext): Promise<Stored<Partnership>>;
}

export interface AgencyRepository {
  /** Ordered by name. */
  list(partnershipId: string): Promise<Agency[]>;
  get(partnershipId: string, id: string): Promise<Agency | undefined>;
  /** Creates or replaces; with `audit` (an agency added in chat), its audit event is written with it. */
  put(agency: Agency, audit?: AuditContext): Promise<void>;
}

/**
 * Access requests (issue 16), one per (partnership, object id), in the partnership's partition.
 * Every create and replace is audited (entity `access-request`, id the requester's object id).
 */
export interface AccessRequestRepository {
  get(partnershipId: string, aadObjectId: string): Promise<Stored<AccessRequest> | undefined>;
  /** ConcurrencyError when that person already has a request with the partnership. */
  create(request: AccessRequest, audit: AuditContext): Promise<Stored<AccessRequest>>;
  /** Refused with ConcurrencyError on a stale etag: of two admins deciding at once, one wins. */
  replace(request: AccessRequest, ifMatch: string, audit: AuditContext): Promise<Stored<AccessRequest>>;
}

export interface MemberRepository {
  /** The message path's first read, by the sender's AAD object id: point reads only. */
  get(aadObjectId: string): Promise<Stored<Member> | undefined>;
  /**
   * Ordered by display name, then object id. On the message path (`my tasks`, `overdue`,
   * assigning, task cards): one read, whatever the partnership's size, and it always agrees with
   * `get` (a change shows in both, with its audit event, or in neither).
   */
  listByPartnership(partnershipId: string): Promise<Member[]>;
  create(member: Member, audit: AuditContext): Promise<Stored<Member>>;
  /** A member belongs to one partnership: a replace naming another is refused (ValidationError). */
  replace(member: Member, ifMatch: string, audit: AuditContext): Promise<Stored<Member>>;
}

/** Just what name matching needs, for every district of a partnership. */
export type DistrictName = Pick<District, 'id' | 'name' | 'localAuthorityName'>;

export interface DistrictRepository {
  get(partnershipId: string, id: string): Promise<District | undefined>;
  /** Ordered by name, then id. */
  listNames(partnershipId: string): Promise<DistrictName[]>;
  count(partnershipId: string): Promise<number>;
  /** Creates or replaces districts (import). */
  putMany(districts: readonly District[]): Promise<void>;
  /**
   * The district's version stamp: opaque, and different after any write to the district, its
   * profile or any of its gaps or actions, by any process on this store (equal stamps: none of
   * those changed). One point read, so a cache can check it on every request.
   */
  stamp(partnershipId: string, id: string): Promise<string>;
}

export interface SeverityRow {
  districtId: string;
  score: number;
  rank: number;
  rankAtLastReview?: number;
}

export interface ProfileRepository {
  get(partnershipId: string, districtId: string): Promise<Stored<Profile> | undefined>;
  create(profile: Profile, audit: AuditContext): Promise<Stored<Profile>>;
  replace(profile: Profile, ifMatch: string, audit: AuditContext): Promise<Stored<Profile>>;
  /**
   * Districts by crime severity rank (1 = most harm), rank ascending then district id; at most
   * `limit` rows; profiles without a severity are left out.
   */
  severityRanking(partnershipId: string, limit: number): Promise<SeverityRow[]>;
}

/**
 * Where a page of `my tasks` or `overdue` ended: the last record listed, by its due date (absent
 * when it has none) and reference. The next page starts strictly after it, in list order.
 */
export interface ListCursor {
  due?: string | undefined;
  ref: string;
}

export interface TrackedRepository<T, Draft, Facts> {
  get(partnershipId: string, ref: string): Promise<Stored<T> | undefined>;
  /** Ordered by reference prefix, then reference number (G-2 before G-10). */
  listByDistrict(partnershipId: string, districtId: string): Promise<Stored<T>[]>;
  /**
   * The same records as listByDistrict, in the same order, as their facts (gapFacts/actionFacts):
   * what the summary counts, without reading every record whole.
   */
  factsByDistrict(partnershipId: string, districtId: string): Promise<Facts[]>;
  /**
   * `my tasks`: records whose status is one of `statuses` that name this person as owner, or
   * name nobody and belong to their agency (a gap's owning agency, an action's lead agency).
   * Ordered by due date (none last), then as listByDistrict; at most `limit`, sorted and cut by
   * the database (an index serves the order). With `after`, only records after that one.
   */
  listForAssignee(
    partnershipId: string,
    who: { aadObjectId: string; agencyId: string },
    statuses: readonly string[],
    limit: number,
    after?: ListCursor,
  ): Promise<Stored<T>[]>;
  /**
   * `overdue`: records whose status is one of `statuses`, due before `isoDate`; ordered as
   * listForAssignee, at most `limit`, and with `after`, only records after that one.
   */
  listDueBefore(
    partnershipId: string,
    isoDate: string,
    statuses: readonly string[],
    limit: number,
    after?: ListCursor,
  ): Promise<Stored<T>[]>;
  /** Gives the record the partnership's next reference (G-n, PREP-n, …) and stores it. */
  create(draft: Draft, audit: AuditContext): Promise<Stored<T>>;
  replace(record: T, ifMatch: string, audit: AuditContext): Promise<Stored<T>>;
}

export type GapRepository = TrackedRepository<IntelligenceGap, GapDraft, GapFacts>;
/** An action raised from a gap: what a gap's list row and task card show it led to. */
export interface ActionLink {
  ref: string;
  fromGapRef: string;
  classification: FourPAction['classification'];
}

export interface ActionRepository extends TrackedRepository<FourPAction, ActionDraft, ActionFacts> {
  /**
   * The district's actions raised from a gap, in list order (as listByDistrict), read as their
   * links alone rather than every action whole.
   */
  linksByDistrict(partnershipId: string, districtId: string): Promise<ActionLink[]>;
}

export interface AuditRepository {
  /** Oldest first (by `at`, then by the order they were written). */
  listForEntity(partnershipId: string, entityType: AuditEntity, entityId: string): Promise<AuditEvent[]>;
  /** Everything since an instant, oldest first. */
  listSince(partnershipId: string, sinceIso: string, limit: number): Promise<AuditEvent[]>;
  /**
   * What the weekly digest reads: gap and action events with `at` in [fromIso, toIso), imports
   * (actor SYSTEM_IMPORT) left out, oldest first, at most `limit`. `before` and `after` hold only
   * the CHANGE_FIELDS the record has (null stays null): filtered and trimmed by the database, so a
   * week's read is the week's changes, not every event with its records whole.
   */
  listChanges(partnershipId: string, fromIso: string, toIso: string, limit: number): Promise<AuditEvent[]>;
}

/** The fields of a gap or action that say what changed (digest.ts's changesOf reads no others). */
export const CHANGE_FIELDS = ['ref', 'districtId', 'status', 'ownerAgencyId', 'classification'] as const;

export interface ConversationRepository {
  /** Creates or replaces the reference of (tenantId, conversationId). */
  put(ref: ConversationRef): Promise<void>;
  get(tenantId: string, conversationId: string): Promise<ConversationRef | undefined>;
  /** The user's 1:1 chat with the bot, for task cards: the most recently updated one; a point read. */
  findPersonal(tenantId: string, aadObjectId: string): Promise<ConversationRef | undefined>;
}

/** Board channel changes are audited (entity `board-channel`, id the conversation id) like records. */
export interface BoardChannelRepository {
  /** Creates or replaces the board channel of (partnershipId, conversationId), with its audit event. */
  put(channel: BoardChannel, audit: AuditContext): Promise<void>;
  /** Ordered by when they were added. */
  list(partnershipId: string): Promise<BoardChannel[]>;
  /** Removes it, with its audit event; removing a channel that is not there does nothing, and audits nothing. */
  remove(partnershipId: string, conversationId: string, audit: AuditContext): Promise<void>;
}

/**
 * Leases decide which instance runs a scheduled job for a partnership. Every write is
 * conditional (the etag, or "does not exist yet"), so of two instances racing, one wins. A
 * lease's age is judged by the store's clock (Cosmos DB: `_ts`; SQLite: its own clock inside the
 * transaction), never by the caller's: an instance whose clock runs ahead must not take a live lease.
 */
export interface JobLeaseRepository {
  /**
   * Takes the lease when nobody holds it, its holder has not renewed it for `ttlMs` of the
   * holder's own ttl by the store's clock, or `owner` holds it already (which renews it).
   * Undefined when another owner holds it, or another instance took it in the same instant.
   */
  acquire(partnershipId: string, name: string, owner: string, ttlMs: number): Promise<Stored<JobLease> | undefined>;
  /** Renews a lease still held as read (its etag); undefined when it was lost meanwhile. */
  renew(lease: Stored<JobLease>): Promise<Stored<JobLease> | undefined>;
  /** Lets it go, if still held as read; otherwise does nothing. */
  release(lease: Stored<JobLease>): Promise<void>;
}

/** Digest deliveries: one record per (partnership, channel, key); see DeliveryKey. */
export interface DigestDeliveryRepository {
  get(partnershipId: string, conversationId: string, week: string): Promise<Stored<DigestDelivery> | undefined>;
  /** ConcurrencyError when that channel's key already has a record: the second send is a no-op. */
  create(delivery: DigestDelivery): Promise<Stored<DigestDelivery>>;
  replace(delivery: DigestDelivery, ifMatch: string): Promise<Stored<DigestDelivery>>;
  /**
   * Claims it for sending, conditional on its etag: state `sending`, `claimedBy` owner,
   * `claimedAt` the store's time. A record already `sending` is taken over only when its claim is
   * at least `staleAfterMs` old by the store's clock (its holder died mid-send); a `sent` one never.
   * Undefined when it is not to be claimed or another instance wrote it since it was read.
   */
  claim(
    delivery: Stored<DigestDelivery>,
    owner: string,
    staleAfterMs: number,
  ): Promise<Stored<DigestDelivery> | undefined>;
  /** A channel's deliveries, newest key first, at most `limit`. */
  listForChannel(partnershipId: string, conversationId: string, limit: number): Promise<DigestDelivery[]>;
}

/**
 * Reminder deliveries (owners' reminders, escalations, review alerts, and each day's pass): one
 * record per (partnership, key), see reminderKey. The claim is what makes a reminder go at most
 * once, whatever the number of instances: only the instance that claims the key sends it.
 */
export interface ReminderDeliveryRepository {
  get(partnershipId: string, key: string): Promise<Stored<ReminderDelivery> | undefined>;
  /**
   * Claims the record's key for sending, atomically: created `sending` when the key has no record;
   * a `pending` or `failed` one is taken; a `sending` one only once its claim is at least
   * `staleAfterMs` old by the store's clock (its holder died mid-send); a `sent` one never.
   * `claimedBy` is `owner` and `claimedAt` the store's time. Undefined when it is not to be
   * claimed, or another instance claimed it first.
   */
  claim(delivery: ReminderDelivery, owner: string, staleAfterMs: number): Promise<Stored<ReminderDelivery> | undefined>;
  /** Writes the outcome, if still as read (its etag): ConcurrencyError otherwise, NotFoundError when absent. */
  replace(delivery: ReminderDelivery, ifMatch: string): Promise<Stored<ReminderDelivery>>;
}

/**
 * Task cards waiting for their owner's app install (domain/awaiting-install.ts). Each write is
 * audited (entity `app-install`, id the person's object id) in the same transaction or batch.
 */
export interface AwaitingInstallRepository {
  /** Creates or replaces the record of (partnershipId, aadObjectId, ref), with its audit event. */
  put(waiting: AwaitingInstall, audit: AuditContext): Promise<void>;
  /** A person's waiting cards, oldest first (then by reference). */
  listForPerson(partnershipId: string, aadObjectId: string): Promise<Stored<AwaitingInstall>[]>;
  /**
   * Removes it if it is still as read (its etag), with its audit event: true for the one caller
   * that removed it, so of instances racing on the same install only one sends the card.
   */
  take(waiting: Stored<AwaitingInstall>, audit: AuditContext): Promise<boolean>;
}

/**
 * A whole profile set loaded at once (the demo, the import of a refreshed profile, the
 * benchmark): one transaction where the database has one, audited as an import.
 * Agencies, districts, profiles, gaps and actions are created or replaced; each profile, gap and
 * action written gets an audit event whose action is "<entity>.imported" and whose `before` is
 * the record it replaced, or null. Every record is stored under `partnershipId`, whatever it carries.
 * Gaps and actions keep the references they carry; the partnership's counters move past them,
 * so the next `create` never reuses a loaded reference.
 *
 * `expected` is what the import read while planning: a record listed there is written only if
 * it is still as read (its etag, or null for "was not there"), so an edit made in Teams during
 * the import is never lost in silence. A record not listed is written whatever is stored (the
 * demo). When a listed record differs at the start, nothing is written and ImportConflictError
 * names every such record; where the load is not one transaction (Cosmos DB), a record changed
 * while the load runs is left as it is, the rest is written, and the error says so.
 */
export interface BulkLoad {
  agencies?: readonly Agency[];
  districts: readonly District[];
  profiles: readonly Profile[];
  gaps: readonly IntelligenceGap[];
  actions: readonly FourPAction[];
  expected?: BulkLoadExpected;
}

/** Etags read while planning, by district id (profiles) and by reference (gaps, actions). */
export interface BulkLoadExpected {
  profiles?: ReadonlyMap<string, string | null>;
  gaps?: ReadonlyMap<string, string | null>;
  actions?: ReadonlyMap<string, string | null>;
}

export interface Store {
  readonly kind: 'sqlite' | 'cosmos';
  /** Resolves when the store answers; throws StoreUnavailableError when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
  readonly partnerships: PartnershipRepository;
  readonly agencies: AgencyRepository;
  readonly members: MemberRepository;
  readonly districts: DistrictRepository;
  readonly profiles: ProfileRepository;
  readonly gaps: GapRepository;
  readonly actions: ActionRepository;
  readonly audit: AuditRepository;
  readonly conversations: ConversationRepository;
  readonly boardChannels: BoardChannelRepository;
  readonly accessRequests: AccessRequestRepository;
  readonly jobLeases: JobLeaseRepository;
  readonly digestDeliveries: DigestDeliveryRepository;
  readonly reminderDeliveries: ReminderDeliveryRepository;
  readonly awaitingInstalls: AwaitingInstallRepository;
  bulkLoad(partnershipId: string, load: BulkLoad, audit: AuditContext): Promise<void>;
}
