import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionDraft, actionFacts, type FourPAction } from '../../src/domain/action.js';
import type { AuditContext, AuditEntity, AuditEvent } from '../../src/domain/audit.js';
import { BoardChannel, ConversationRef, type ConversationKind } from '../../src/domain/conversation.js';
import { District } from '../../src/domain/district.js';
import { DigestDelivery } from '../../src/domain/digest-delivery.js';
import { ConcurrencyError, NotFoundError } from '../../src/domain/errors.js';
import { GapDraft, gapFacts, IntelligenceGap } from '../../src/domain/gap.js';
import { Member } from '../../src/domain/member.js';
import { Agency, Partnership } from '../../src/domain/partnership.js';
import { Profile } from '../../src/domain/profile.js';
import type { Strand } from '../../src/domain/strand.js';
import type { Store, Stored, TrackedRepository } from '../../src/store/store.js';
import { runMemberContract } from './contract-members.js';
import { runAccessRequestContract } from './contract-access-requests.js';
import { digestReadCases } from './contract-digest-reads.js';
import { importWriteCases } from './contract-import-writes.js';
import { boundedListCases } from './contract-bounded-lists.js';
import { partnershipSettingsCases } from './contract-partnership-settings.js';
import { runTaskListContract } from './contract-task-lists.js';
import { districtStampContract } from './contract-stamps.js';
import { actionLinkCases } from './contract-action-links.js';
import { delivery as pendingDelivery, leaseAndClaimContract } from './contract-leases.js';
import { reminderDeliveryContract } from './contract-reminders.js';
import { awaitingInstallContract } from './contract-awaiting-installs.js';

/**
 * The one contract every Store adapter proves (the shape of keyv's test-suite and Auth.js's
 * runBasicTests): each adapter's test file calls `runStoreContract` once with its own store.
 *
 * Every case seeds its own data under fresh partnership ids (and fresh AAD and tenant ids), so the
 * cases share one store, run in any order, and can run against a database other cases fill.
 */
export interface StoreBackdoor {
  /** Every audit event of a partnership as it sits in the database, read around the adapter. */
  auditEvents(partnershipId: string): Promise<AuditEvent[]>;
}

export interface StoreContractSetup {
  make(): Promise<Store>;
  /** Optional: lets cases check what was really written, not only what the adapter reads back. */
  backdoor?: StoreBackdoor;
}

// ---------------------------------------------------------------------------------------------
// Records, built with the domain schemas so they are what services would store.

const T0 = '2026-03-02T09:00:00.000Z';
const ACTOR = '5c1f2e7a-9b0d-4e3c-8a61-2f4d6b8c0e13';

/** An instant `minutes` after T0. */
function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString();
}

function freshPartnershipId(): string {
  return `p-${randomUUID().slice(0, 13)}`;
}

function audit(action: string, when = T0, actor = ACTOR): AuditContext {
  return { actor, action, at: when };
}

function partnership(id: string, name = 'Safer Bradford Partnership'): Partnership {
  return Partnership.parse({ id, name, force: 'West Yorkshire Police', createdAt: T0 });
}

function agency(partnershipId: string, id: string, name: string): Agency {
  return Agency.parse({ id, partnershipId, name, sector: 'local-authority' });
}

function district(partnershipId: string, id: string, name: string, localAuthorityName?: string): District {
  return District.parse({
    id,
    partnershipId,
    name,
    onsCodes: { ward: 'E05001347', localAuthority: 'E08000032', lsoas: ['E01010581', 'E01010582'] },
    ...(localAuthorityName === undefined ? {} : { localAuthorityName }),
    population: 18_000,
  });
}

interface SeverityInput {
  rank: number;
  score: number;
  rankAtLastReview?: number;
}

function profile(partnershipId: string, districtId: string, severity?: SeverityInput): Profile {
  const period = { from: '2019-10', to: '2019-12' };
  return Profile.parse({
    partnershipId,
    districtId,
    threat: {
      ocgs: [{ ref: 'OCG-14', morileScore: 512, band: 'High' }],
      crime: [{ period, counts: [{ crimeType: 'Drug offences', count: 12 }] }],
      ...(severity && {
        severity: {
          score: severity.score,
          period,
          rank: severity.rank,
          outOf: 30,
          ...(severity.rankAtLastReview === undefined ? {} : { rankAtLastReview: severity.rankAtLastReview }),
          method: 'ONS Crime Severity Score weights over the ward population',
        },
      }),
    },
    vulnerabilities: [
      {
        key: 'imd-decile',
        label: 'Index of Multiple Deprivation',
        value: 1,
        display: 'decile 1 of 10',
        sourceId: 'iod-2019',
        asOf: '2019',
      },
    ],
    dataSources: [
      {
        id: 'iod-2019',
        name: 'English indices of deprivation 2019',
        publisher: 'MHCLG',
        licence: 'OGL v3.0',
        asOf: '2019',
      },
    ],
    recommendations: [{ text: 'Share county-lines indicators with schools', strand: 'prevent' }],
    review: { lastRefreshedAt: T0, nextRefreshDue: '2027-03-02', csiReviewDue: '2026-09-02' },
  });
}

function gapDraft(partnershipId: string, districtId: string, question = 'Which premises are used to store drugs?') {
  return GapDraft.parse({
    partnershipId,
    districtId,
    question,
    status: 'open',
    createdBy: ACTOR,
    createdAt: T0,
    updatedAt: T0,
  });
}

function gap(partnershipId: string, districtId: string, ref: string): IntelligenceGap {
  return IntelligenceGap.parse({ ...gapDraft(partnershipId, districtId, `Question of ${ref}`), ref });
}

function actionDraft(partnershipId: string, districtId: string, strand: Strand, title = 'Visit schools') {
  return ActionDraft.parse({
    partnershipId,
    districtId,
    strand,
    title,
    leadAgencyId: 'bradford-council',
    status: 'planned',
    impactMeasure: 'Referrals to the exploitation hub',
    createdBy: ACTOR,
    createdAt: T0,
    updatedAt: T0,
  });
}

function action(partnershipId: string, districtId: string, strand: Strand, ref: string): FourPAction {
  return { ...actionDraft(partnershipId, districtId, strand, `Action ${ref}`), ref };
}

function member(partnershipId: string, displayName: string, aadObjectId: string = randomUUID()): Member {
  return Member.parse({
    aadObjectId,
    partnershipId,
    agencyId: 'west-yorkshire-police',
    displayName,
    roles: ['coordinator'],
    createdAt: T0,
    updatedAt: T0,
  });
}

function conversation(
  tenantId: string,
  conversationId: string,
  kind: ConversationKind,
  updatedAt: string,
  aadObjectId?: string,
): ConversationRef {
  const serviceUrl = 'https://smba.trafficmanager.net/uk/';
  return ConversationRef.parse({
    tenantId,
    conversationId,
    kind,
    ...(aadObjectId === undefined ? {} : { aadObjectId }),
    serviceUrl,
    reference: {
      activityId: '1709370000000',
      bot: { id: '28:bot-app-id', name: 'SOC profiles' },
      conversation: { id: conversationId, tenantId, conversationType: kind },
      channelId: 'msteams',
      serviceUrl,
    },
    updatedAt,
  });
}

/** Teams ids look like these: colons, @, semicolons, and characters no Cosmos id may hold. */
function teamsConversationId(kind: ConversationKind): string {
  const n = randomUUID();
  if (kind === 'personal') return `a:1${n}/Xy?z#Q`;
  if (kind === 'channel') return `19:${n}@thread.tacv2;messageid=1709370000000`;
  return `19:meeting_${n}@thread.v2`;
}

function boardChannel(partnershipId: string, tenantId: string, conversationId: string, addedAt: string): BoardChannel {
  return BoardChannel.parse({
    partnershipId,
    tenantId,
    conversationId,
    name: 'SOC board',
    addedBy: ACTOR,
    addedAt,
  });
}

// ---------------------------------------------------------------------------------------------
// Assertions

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Exactly the record plus a non-empty etag: nothing of the adapter's leaks out. */
function expectStored<T extends object>(got: Stored<T> | undefined, record: T): string {
  expect(got).toBeDefined();
  const { etag, ...rest } = got as Stored<T>;
  expect(typeof etag).toBe('string');
  expect(etag.length).toBeGreaterThan(0);
  expect(rest).toStrictEqual(record);
  return etag;
}

interface ExpectedEvent {
  partnershipId: string;
  entityType: AuditEntity;
  entityId: string;
  action: string;
  actor?: string;
  at?: string;
  before: unknown;
  after: unknown;
}

function expectEvent(event: AuditEvent | undefined, expected: ExpectedEvent): void {
  expect(event).toStrictEqual({
    id: expect.stringMatching(UUID),
    partnershipId: expected.partnershipId,
    entityType: expected.entityType,
    entityId: expected.entityId,
    action: expected.action,
    actor: expected.actor ?? ACTOR,
    at: expected.at ?? T0,
    before: expected.before,
    after: expected.after,
  });
}

function withoutEtag<T extends object>(stored: Stored<T>): T {
  const { etag: _etag, ...record } = stored;
  return record as unknown as T;
}

/** Gaps and actions are stored alike; the same cases run for each. */
interface Tracked {
  ref: string;
  partnershipId: string;
  districtId: string;
}

interface TrackedKind {
  entity: 'gap' | 'action';
  prefix: string;
  repo(store: Store): TrackedRepository<Tracked, Omit<Tracked, 'ref'>, unknown>;
  /** The facts the domain says the record has (gapFacts/actionFacts). */
  factsOf(record: Tracked): unknown;
  draft(partnershipId: string, districtId: string): Omit<Tracked, 'ref'>;
  /** The record with a visible change, as a service would make it. */
  change(record: Stored<Tracked>, note: string): Stored<Tracked>;
  /** Statuses of work still to do, and a draft with an agency (and maybe a person), open or finished. */
  openStatuses: readonly string[];
  owned(
    partnershipId: string,
    with_: { agencyId: string; owner?: string; due?: string; finished?: boolean },
  ): Omit<Tracked, 'ref'>;
}

const TRACKED_KINDS: readonly TrackedKind[] = [
  {
    entity: 'gap',
    prefix: 'G',
    repo: (store) => store.gaps,
    factsOf: (r) => gapFacts(r as IntelligenceGap),
    draft: (pid, districtId) => gapDraft(pid, districtId),
    change: (gap, note) => ({ ...gap, question: `Which premises are used? (${note})` }),
    openStatuses: ['open', 'assigned', 'in_progress'],
    owned: (pid, w) =>
      GapDraft.parse({
        ...gapDraft(pid, 'E05001347'),
        status: w.finished ? 'filled' : 'assigned',
        ownerAgencyId: w.agencyId,
        ...(w.owner && { ownerAadObjectId: w.owner }),
        ...(w.due && { due: w.due }),
      }),
  },
  {
    entity: 'action',
    prefix: 'PREV',
    repo: (store) => store.actions,
    factsOf: (r) => actionFacts(r as FourPAction),
    draft: (pid, districtId) => actionDraft(pid, districtId, 'prevent'),
    change: (action, note) => ({ ...action, lastUpdate: note }),
    openStatuses: ['planned', 'in_progress', 'blocked'],
    owned: (pid, w) =>
      ActionDraft.parse({
        ...actionDraft(pid, 'E05001347', 'prevent'),
        status: w.finished ? 'done' : 'planned',
        leadAgencyId: w.agencyId,
        ...(w.owner && { ownerAadObjectId: w.owner }),
        ...(w.due && { due: w.due }),
      }),
  },
];

// ---------------------------------------------------------------------------------------------

export function runStoreContract(name: string, setup: StoreContractSetup): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;

    beforeAll(async () => {
      store = await setup.make();
    });

    afterAll(async () => {
      await store?.close();
    });

    districtStampContract(() => store);

    /** Every audit event of the partnership, through the port and, when given, the back door. */
    async function allEvents(partnershipId: string): Promise<AuditEvent[]> {
      const events = await store.audit.listSince(partnershipId, '2000-01-01T00:00:00.000Z', 100_000);
      if (setup.backdoor) {
        const stored = await setup.backdoor.auditEvents(partnershipId);
        expect(stored.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
      }
      return events;
    }

    runMemberContract(() => store);
    digestReadCases(() => store);
    importWriteCases(() => store);
    boundedListCases(() => store);
    partnershipSettingsCases(() => store);
    actionLinkCases(() => store);

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('partnerships', () => {
      it('puts, gets and lists a partnership, replacing it on a second put', async () => {
        const id = freshPartnershipId();
        const first = partnership(id);
        const put1 = await store.partnerships.put(first);
        const etag1 = expectStored(put1, first);
        expectStored(await store.partnerships.get(id), first);

        const renamed = { ...first, name: 'Bradford Community Safety Partnership' };
        const put2 = await store.partnerships.put(renamed);
        const etag2 = expectStored(put2, renamed);
        expect(etag2).not.toBe(etag1);
        expect((await store.partnerships.get(id))?.etag).toBe(etag2);

        const listed = (await store.partnerships.list()).filter((p) => p.id === id);
        expect(listed).toStrictEqual([renamed]);
      });

      it('gets nothing for an unknown partnership', async () => {
        await expect(store.partnerships.get(freshPartnershipId())).resolves.toBeUndefined();
      });
    });

    describe('agencies', () => {
      it('lists a partnership’s agencies by name, then id, and only its own', async () => {
        const pid = freshPartnershipId();
        const other = freshPartnershipId();
        const seeded = [
          agency(pid, 'wyp', 'West Yorkshire Police'),
          agency(pid, 'bmdc-b', 'Bradford Council'),
          agency(pid, 'bmdc-a', 'Bradford Council'),
          agency(pid, 'nhs', 'Bradford District Care NHS'),
        ];
        for (const a of seeded) await store.agencies.put(a);
        await store.agencies.put(agency(other, 'wyp', 'Someone else'));

        expect(await store.agencies.list(pid)).toStrictEqual([seeded[2], seeded[1], seeded[3], seeded[0]]);
        expect(await store.agencies.get(pid, 'nhs')).toStrictEqual(seeded[3]);
        await expect(store.agencies.get(pid, 'nobody')).resolves.toBeUndefined();
      });

      it('replaces an agency on a second put', async () => {
        const pid = freshPartnershipId();
        await store.agencies.put(agency(pid, 'a1', 'Zeta Housing'));
        await store.agencies.put(agency(pid, 'a2', 'Mid Housing'));
        const renamed = agency(pid, 'a1', 'Alpha Housing');
        await store.agencies.put(renamed);
        expect(await store.agencies.get(pid, 'a1')).toStrictEqual(renamed);
        expect((await store.agencies.list(pid)).map((a) => a.id)).toEqual(['a1', 'a2']);
      });
    });

    describe('members', () => {
      it('creates a member, reads it back by object id, and audits the create', async () => {
        const pid = freshPartnershipId();
        const m = member(pid, 'Priya Shah');
        const created = await store.members.create(m, audit('member.created'));
        expectStored(created, m);
        expectStored(await store.members.get(m.aadObjectId), m);

        const events = await store.audit.listForEntity(pid, 'member', m.aadObjectId);
        expect(events).toHaveLength(1);
        expectEvent(events[0], {
          partnershipId: pid,
          entityType: 'member',
          entityId: m.aadObjectId,
          action: 'member.created',
          before: null,
          after: m,
        });
      });

      it('gets nothing for an unknown object id', async () => {
        await expect(store.members.get(randomUUID())).resolves.toBeUndefined();
      });

      it('refuses to create a member who exists, changing nothing', async () => {
        const pid = freshPartnershipId();
        const m = member(pid, 'Priya Shah');
        const created = await store.members.create(m, audit('member.created'));
        const again = { ...m, displayName: 'Somebody Else' };
        await expect(store.members.create(again, audit('member.created'))).rejects.toBeInstanceOf(ConcurrencyError);
        const now = await store.members.get(m.aadObjectId);
        expectStored(now, m);
        expect(now?.etag).toBe(created.etag);
        expect(await allEvents(pid)).toHaveLength(1);
      });

      it('replaces with the current etag, auditing before and after', async () => {
        const pid = freshPartnershipId();
        const m = member(pid, 'Priya Shah');
        const created = await store.members.create(m, audit('member.created'));
        const changed = { ...created, roles: ['coordinator', 'admin'] as Member['roles'], updatedAt: at(5) };
        const replaced = await store.members.replace(changed, created.etag, audit('member.roles', at(5)));
        const expected = withoutEtag(changed);
        const etag = expectStored(replaced, expected);
        expect(etag).not.toBe(created.etag);
        expectStored(await store.members.get(m.aadObjectId), expected);

        const events = await store.audit.listForEntity(pid, 'member', m.aadObjectId);
        expect(events).toHaveLength(2);
        expectEvent(events[1], {
          partnershipId: pid,
          entityType: 'member',
          entityId: m.aadObjectId,
          action: 'member.roles',
          at: at(5),
          before: m,
          after: expected,
        });
      });

      it('refuses a stale etag, changing nothing and auditing nothing', async () => {
        const pid = freshPartnershipId();
        const m = member(pid, 'Priya Shah');
        const created = await store.members.create(m, audit('member.created'));
        const current = await store.members.replace(
          { ...created, displayName: 'Priya Shah-Khan' },
          created.etag,
          audit('member.renamed'),
        );
        await expect(
          store.members.replace({ ...created, active: false }, created.etag, audit('member.deactivated')),
        ).rejects.toBeInstanceOf(ConcurrencyError);
        expect(await store.members.get(m.aadObjectId)).toStrictEqual(current);
        expect((await allEvents(pid)).map((e) => e.action)).toEqual(['member.created', 'member.renamed']);
      });

      it('refuses to replace a member who does not exist', async () => {
        const pid = freshPartnershipId();
        const m = member(pid, 'Nobody Yet');
        await expect(store.members.replace(m, 'any-etag', audit('member.roles'))).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.members.get(m.aadObjectId)).resolves.toBeUndefined();
        expect(await allEvents(pid)).toHaveLength(0);
      });

      it('lists a partnership’s members by display name, then object id, and only its own', async () => {
        const pid = freshPartnershipId();
        const ids = [randomUUID(), randomUUID()].sort();
        const seeded = [
          member(pid, 'Zoe Adams'),
          member(pid, 'Amir Khan', ids[1]),
          member(pid, 'Amir Khan', ids[0]),
          member(pid, 'Bella Ford'),
        ];
        for (const m of seeded) await store.members.create(m, audit('member.created'));
        await store.members.create(member(freshPartnershipId(), 'Aaron Other'), audit('member.created'));
        expect(await store.members.listByPartnership(pid)).toStrictEqual([seeded[2], seeded[1], seeded[3], seeded[0]]);
      });
    });

    describe('districts', () => {
      it('puts districts and reads them, their names in name-then-id order, and their count', async () => {
        const pid = freshPartnershipId();
        const seeded = [
          district(pid, 'E05001347', 'Bradford Moor'),
          district(pid, 'E05001349', 'Church', 'Sefton'),
          district(pid, 'E05001348', 'Church', 'Leeds'),
          district(pid, 'E05001350', 'Allerton'),
        ];
        await store.districts.putMany(seeded);
        await store.districts.putMany([district(freshPartnershipId(), 'E05000001', 'Aardvark')]);

        expect(await store.districts.get(pid, 'E05001349')).toStrictEqual(seeded[1]);
        await expect(store.districts.get(pid, 'E05999999')).resolves.toBeUndefined();
        expect(await store.districts.count(pid)).toBe(4);
        expect(await store.districts.listNames(pid)).toStrictEqual([
          { id: 'E05001350', name: 'Allerton' },
          { id: 'E05001347', name: 'Bradford Moor' },
          { id: 'E05001348', name: 'Church', localAuthorityName: 'Leeds' },
          { id: 'E05001349', name: 'Church', localAuthorityName: 'Sefton' },
        ]);
      });

      it('replaces a district put again', async () => {
        const pid = freshPartnershipId();
        await store.districts.putMany([district(pid, 'E05001347', 'Bradford Moor')]);
        const renamed = district(pid, 'E05001347', 'Bradford Moor and Barkerend', 'Bradford');
        await store.districts.putMany([renamed]);
        expect(await store.districts.get(pid, 'E05001347')).toStrictEqual(renamed);
        expect(await store.districts.count(pid)).toBe(1);
      });

      it('counts and lists nothing for a partnership without districts', async () => {
        const pid = freshPartnershipId();
        expect(await store.districts.count(pid)).toBe(0);
        expect(await store.districts.listNames(pid)).toStrictEqual([]);
      });
    });

    describe('profiles', () => {
      it('creates and reads a profile, auditing the create', async () => {
        const pid = freshPartnershipId();
        const p = profile(pid, 'E05001347', { rank: 2, score: 41.5 });
        const created = await store.profiles.create(p, audit('profile.created'));
        expectStored(created, p);
        const read = await store.profiles.get(pid, 'E05001347');
        expectStored(read, p);
        expect(read?.etag).toBe(created.etag);
        await expect(store.profiles.get(pid, 'E05001348')).resolves.toBeUndefined();

        const events = await store.audit.listForEntity(pid, 'profile', 'E05001347');
        expect(events).toHaveLength(1);
        expectEvent(events[0], {
          partnershipId: pid,
          entityType: 'profile',
          entityId: 'E05001347',
          action: 'profile.created',
          before: null,
          after: p,
        });
      });

      it('refuses to create a profile that exists', async () => {
        const pid = freshPartnershipId();
        const p = profile(pid, 'E05001347');
        const created = await store.profiles.create(p, audit('profile.created'));
        await expect(
          store.profiles.create(profile(pid, 'E05001347', { rank: 1, score: 99 }), audit('profile.created')),
        ).rejects.toBeInstanceOf(ConcurrencyError);
        expect(await store.profiles.get(pid, 'E05001347')).toStrictEqual(created);
        expect(await allEvents(pid)).toHaveLength(1);
      });

      it('replaces with the current etag and audits before and after', async () => {
        const pid = freshPartnershipId();
        const p = profile(pid, 'E05001347', { rank: 3, score: 30 });
        const created = await store.profiles.create(p, audit('profile.created'));
        const reviewed = {
          ...created,
          review: { ...created.review, lastReviewedAt: at(10), lastReviewedBy: ACTOR, csiReviewDue: '2026-09-10' },
        };
        const replaced = await store.profiles.replace(reviewed, created.etag, audit('profile.reviewed', at(10)));
        const expected = withoutEtag(reviewed);
        expect(expectStored(replaced, expected)).not.toBe(created.etag);
        expect(await store.profiles.get(pid, 'E05001347')).toStrictEqual(replaced);

        const events = await store.audit.listForEntity(pid, 'profile', 'E05001347');
        expect(events).toHaveLength(2);
        expectEvent(events[1], {
          partnershipId: pid,
          entityType: 'profile',
          entityId: 'E05001347',
          action: 'profile.reviewed',
          at: at(10),
          before: p,
          after: expected,
        });
      });

      it('refuses a stale etag, changing nothing and auditing nothing', async () => {
        const pid = freshPartnershipId();
        const created = await store.profiles.create(profile(pid, 'E05001347'), audit('profile.created'));
        const current = await store.profiles.replace(
          { ...created, classification: 'OFFICIAL-SENSITIVE' },
          created.etag,
          audit('profile.classified'),
        );
        await expect(
          store.profiles.replace({ ...created, recommendations: [] }, created.etag, audit('profile.edited')),
        ).rejects.toBeInstanceOf(ConcurrencyError);
        expect(await store.profiles.get(pid, 'E05001347')).toStrictEqual(current);
        expect((await allEvents(pid)).map((e) => e.action)).toEqual(['profile.created', 'profile.classified']);
      });

      it('refuses to replace a profile that does not exist', async () => {
        const pid = freshPartnershipId();
        await expect(
          store.profiles.replace(profile(pid, 'E05001347'), 'any-etag', audit('profile.reviewed')),
        ).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.profiles.get(pid, 'E05001347')).resolves.toBeUndefined();
        expect(await allEvents(pid)).toHaveLength(0);
      });

      it('ranks districts by severity rank, then district id, leaving out unranked ones', async () => {
        const pid = freshPartnershipId();
        const seeded: [string, SeverityInput | undefined][] = [
          ['E05000004', { rank: 3, score: 20.25 }],
          ['E05000002', { rank: 1, score: 80, rankAtLastReview: 4 }],
          ['E05000003', undefined],
          ['E05000005', { rank: 2, score: 55.5 }],
          ['E05000001', { rank: 2, score: 55.5, rankAtLastReview: 2 }],
        ];
        for (const [d, s] of seeded) await store.profiles.create(profile(pid, d, s), audit('profile.created'));
        await store.profiles.create(profile(freshPartnershipId(), 'E05000000', { rank: 1, score: 99 }), audit('x.y'));

        expect(await store.profiles.severityRanking(pid, 10)).toStrictEqual([
          { districtId: 'E05000002', score: 80, rank: 1, rankAtLastReview: 4 },
          { districtId: 'E05000001', score: 55.5, rank: 2, rankAtLastReview: 2 },
          { districtId: 'E05000005', score: 55.5, rank: 2 },
          { districtId: 'E05000004', score: 20.25, rank: 3 },
        ]);
        expect((await store.profiles.severityRanking(pid, 2)).map((r) => r.districtId)).toEqual([
          'E05000002',
          'E05000001',
        ]);
      });

      it('keeps a crime history of several periods, each with its score and rank, as loaded', async () => {
        // The import keeps the history inside the profile (src/domain/severity-history.ts).
        const pid = freshPartnershipId();
        const base = profile(pid, 'E05001347', { rank: 1, score: 2537.7, rankAtLastReview: 3 });
        const counts = (n: number) => [
          { crimeType: 'Robbery', count: n },
          { crimeType: 'Anti-social behaviour', count: 0 },
        ];
        const p: Profile = {
          ...base,
          threat: {
            ...base.threat,
            crime: [
              {
                period: { from: '2019-10', to: '2019-12' },
                counts: counts(10),
                severity: { score: 2537.7, rank: 1, outOf: 3 },
              },
              {
                period: { from: '2019-04', to: '2019-06' },
                counts: counts(1),
                severity: { score: 349.31, rank: 3, outOf: 3 },
              },
              { period: { from: '2019-01', to: '2019-03' }, counts: counts(0) },
            ],
          },
        };
        await store.bulkLoad(pid, { districts: [], profiles: [p], gaps: [], actions: [] }, audit('import.run'));
        expectStored(await store.profiles.get(pid, 'E05001347'), p);
        expect(await store.profiles.severityRanking(pid, 10)).toStrictEqual([
          { districtId: 'E05001347', score: 2537.7, rank: 1, rankAtLastReview: 3 },
        ]);
      });
    });

    for (const { entity, prefix, repo, draft, change, factsOf, openStatuses, owned } of TRACKED_KINDS) {
      describe(`${entity}s`, () => {
        const tracked = () => repo(store);

        it(`gives references ${prefix}-1, ${prefix}-2, … per partnership and audits each create`, async () => {
          const pid = freshPartnershipId();
          const d = draft(pid, 'E05001347');
          const first = await tracked().create(d, audit(`${entity}.created`));
          expectStored(first, { ...d, ref: `${prefix}-1` });
          const second = await tracked().create(d, audit(`${entity}.created`));
          expect(second.ref).toBe(`${prefix}-2`);
          const elsewhere = await tracked().create(
            draft(freshPartnershipId(), 'E05001347'),
            audit(`${entity}.created`),
          );
          expect(elsewhere.ref).toBe(`${prefix}-1`);

          expect(await tracked().get(pid, `${prefix}-1`)).toStrictEqual(first);
          await expect(tracked().get(pid, `${prefix}-3`)).resolves.toBeUndefined();

          const events = await store.audit.listForEntity(pid, entity, `${prefix}-1`);
          expect(events).toHaveLength(1);
          expectEvent(events[0], {
            partnershipId: pid,
            entityType: entity,
            entityId: `${prefix}-1`,
            action: `${entity}.created`,
            before: null,
            after: { ...d, ref: `${prefix}-1` },
          });
        });

        it('lists a district’s records by reference number (2 before 10), and only that district’s', async () => {
          const pid = freshPartnershipId();
          for (let i = 0; i < 11; i++) await tracked().create(draft(pid, 'E05001347'), audit(`${entity}.created`));
          await tracked().create(draft(pid, 'E05001348'), audit(`${entity}.created`));
          const listed = await tracked().listByDistrict(pid, 'E05001347');
          expect(listed.map((r) => r.ref)).toEqual(Array.from({ length: 11 }, (_, i) => `${prefix}-${i + 1}`));
          expect(listed[9]).toStrictEqual(await tracked().get(pid, `${prefix}-10`));
          expect((await tracked().listByDistrict(pid, 'E05001348')).map((r) => r.ref)).toEqual([`${prefix}-12`]);
          expect(await tracked().listByDistrict(pid, 'E05009999')).toStrictEqual([]);
        });

        it('lists a person’s open records, and their agency’s with nobody named, soonest due first', async () => {
          const pid = freshPartnershipId();
          const me = randomUUID();
          const create = (w: Parameters<TrackedKind['owned']>[1]) =>
            tracked().create(owned(pid, w), audit(`${entity}.created`));
          const mineLate = await create({ agencyId: 'council', owner: me, due: '2027-03-01' });
          const agencysNoDue = await create({ agencyId: 'council' });
          const mineSoon = await create({ agencyId: 'health', owner: me, due: '2027-01-01' });
          await create({ agencyId: 'council', owner: randomUUID() }); // a colleague's
          await create({ agencyId: 'council', owner: me, finished: true }); // finished
          await create({ agencyId: 'police' }); // another agency's
          await tracked().create(owned(freshPartnershipId(), { agencyId: 'council', owner: me }), audit('x.y'));
          const listed = await tracked().listForAssignee(
            pid,
            { aadObjectId: me.toUpperCase(), agencyId: 'council' },
            openStatuses,
            10,
          );
          expect(listed.map((r) => r.ref)).toEqual([mineSoon.ref, mineLate.ref, agencysNoDue.ref]);
          expect(listed[0]).toStrictEqual(await tracked().get(pid, mineSoon.ref));
          const first2 = await tracked().listForAssignee(
            pid,
            { aadObjectId: me, agencyId: 'council' },
            openStatuses,
            2,
          );
          expect(first2.map((r) => r.ref)).toEqual([mineSoon.ref, mineLate.ref]);
        });

        it('lists open records due before a day, soonest first, leaving out finished and undated ones', async () => {
          const pid = freshPartnershipId();
          const create = (w: Parameters<TrackedKind['owned']>[1]) =>
            tracked().create(owned(pid, w), audit(`${entity}.created`));
          const late = await create({ agencyId: 'council', due: '2026-10-01' });
          const later = await create({ agencyId: 'council', due: '2026-11-24' });
          const earliest = await create({ agencyId: 'health', due: '2026-01-31' });
          await create({ agencyId: 'council', due: '2026-11-25' }); // due on the day: not yet overdue
          await create({ agencyId: 'council' });
          await create({ agencyId: 'council', due: '2026-01-01', finished: true });
          const listed = await tracked().listDueBefore(pid, '2026-11-25', openStatuses, 10);
          expect(listed.map((r) => r.ref)).toEqual([earliest.ref, late.ref, later.ref]);
          expect((await tracked().listDueBefore(pid, '2026-11-25', openStatuses, 1)).map((r) => r.ref)).toEqual([
            earliest.ref,
          ]);
          expect(await tracked().listDueBefore(freshPartnershipId(), '2026-11-25', openStatuses, 10)).toStrictEqual([]);
        });

        it('reads a district’s facts as the domain derives them, in list order, after creates and replaces', async () => {
          const pid = freshPartnershipId();
          for (let i = 0; i < 3; i++) await tracked().create(draft(pid, 'E05001347'), audit(`${entity}.created`));
          const [first] = await tracked().listByDistrict(pid, 'E05001347');
          await tracked().replace(change(first!, 'changed'), first!.etag, audit(`${entity}.updated`));
          await tracked().create(draft(pid, 'E05001348'), audit(`${entity}.created`));
          const listed = await tracked().listByDistrict(pid, 'E05001347');
          const facts = await tracked().factsByDistrict(pid, 'E05001347');
          expect(facts).toStrictEqual(listed.map((r) => factsOf(withoutEtag(r))));
          expect(facts).toHaveLength(3);
          expect(await tracked().factsByDistrict(pid, 'E05009999')).toStrictEqual([]);
        });

        it('replaces with the current etag, storing the record without the etag it was read with', async () => {
          const pid = freshPartnershipId();
          const created = await tracked().create(draft(pid, 'E05001347'), audit(`${entity}.created`));
          const next = change(created, 'first update');
          const replaced = await tracked().replace(next, created.etag, audit(`${entity}.updated`, at(1)));
          const expected = withoutEtag(next);
          expect(expectStored(replaced, expected)).not.toBe(created.etag);
          expect(await tracked().get(pid, created.ref)).toStrictEqual(replaced);

          const events = await store.audit.listForEntity(pid, entity, created.ref);
          expect(events.map((e) => e.action)).toEqual([`${entity}.created`, `${entity}.updated`]);
          expectEvent(events[1], {
            partnershipId: pid,
            entityType: entity,
            entityId: created.ref,
            action: `${entity}.updated`,
            at: at(1),
            before: withoutEtag(created),
            after: expected,
          });
        });

        it('refuses a stale etag, changing nothing and auditing nothing', async () => {
          const pid = freshPartnershipId();
          const created = await tracked().create(draft(pid, 'E05001347'), audit(`${entity}.created`));
          const current = await tracked().replace(change(created, 'one'), created.etag, audit(`${entity}.updated`));
          await expect(
            tracked().replace(change(created, 'two'), created.etag, audit(`${entity}.updated`)),
          ).rejects.toBeInstanceOf(ConcurrencyError);
          expect(await tracked().get(pid, created.ref)).toStrictEqual(current);
          expect((await allEvents(pid)).map((e) => e.action)).toEqual([`${entity}.created`, `${entity}.updated`]);
        });

        it('lets exactly one of two racing replaces from the same read win', async () => {
          const pid = freshPartnershipId();
          const created = await tracked().create(draft(pid, 'E05001347'), audit(`${entity}.created`));
          const results = await Promise.allSettled([
            tracked().replace(change(created, 'from Ann'), created.etag, audit(`${entity}.updated`, at(1))),
            tracked().replace(change(created, 'from Bob'), created.etag, audit(`${entity}.updated`, at(1))),
          ]);
          const won = results.filter((r): r is PromiseFulfilledResult<Stored<Tracked>> => r.status === 'fulfilled');
          const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
          expect(won).toHaveLength(1);
          expect(lost).toHaveLength(1);
          expect(lost[0]!.reason).toBeInstanceOf(ConcurrencyError);
          expect(await tracked().get(pid, created.ref)).toStrictEqual(won[0]!.value);
          const events = await store.audit.listForEntity(pid, entity, created.ref);
          expect(events).toHaveLength(2);
          expect(events[1]!.after).toStrictEqual(withoutEtag(won[0]!.value));
        });

        it('gives concurrent creates distinct references, none skipped', async () => {
          const pid = freshPartnershipId();
          const created = await Promise.all(
            Array.from({ length: 6 }, () => tracked().create(draft(pid, 'E05001347'), audit(`${entity}.created`))),
          );
          expect(created.map((r) => r.ref).sort()).toEqual(
            Array.from({ length: 6 }, (_, i) => `${prefix}-${i + 1}`).sort(),
          );
          expect(await tracked().listByDistrict(pid, 'E05001347')).toHaveLength(6);
          expect(await allEvents(pid)).toHaveLength(6);
        });

        it('refuses to replace a record that does not exist', async () => {
          const pid = freshPartnershipId();
          const ghost = { ...draft(pid, 'E05001347'), ref: `${prefix}-41` };
          await expect(tracked().replace(ghost, 'any-etag', audit(`${entity}.updated`))).rejects.toBeInstanceOf(
            NotFoundError,
          );
          await expect(tracked().get(pid, `${prefix}-41`)).resolves.toBeUndefined();
          expect(await allEvents(pid)).toHaveLength(0);
        });
      });
    }

    describe('actions by strand', () => {
      it('numbers each strand on its own and lists prefixes in order: PREP, PREV, PROT, PURS', async () => {
        const pid = freshPartnershipId();
        for (const strand of ['pursue', 'protect', 'prevent', 'prepare', 'prevent'] as Strand[]) {
          await store.actions.create(actionDraft(pid, 'E05001347', strand), audit('action.created'));
        }
        expect((await store.actions.listByDistrict(pid, 'E05001347')).map((a) => a.ref)).toEqual([
          'PREP-1',
          'PREV-1',
          'PREV-2',
          'PROT-1',
          'PURS-1',
        ]);
      });
    });

    describe('audit trail', () => {
      it('lists an entity’s events by time, then in the order they were written', async () => {
        const pid = freshPartnershipId();
        const created = await store.gaps.create(gapDraft(pid, 'E05001347'), audit('gap.created', at(2)));
        // A clock behind the first writer's: listed by `at`, not by arrival.
        const second = await store.gaps.replace(
          { ...created, status: 'closed' },
          created.etag,
          audit('gap.closed', at(1)),
        );
        await store.gaps.replace({ ...second, status: 'open' }, second.etag, audit('gap.reopened', at(2)));
        const events = await store.audit.listForEntity(pid, 'gap', created.ref);
        expect(events.map((e) => [e.action, e.at])).toEqual([
          ['gap.closed', at(1)],
          ['gap.created', at(2)],
          ['gap.reopened', at(2)],
        ]);
        await expect(store.audit.listForEntity(pid, 'gap', 'G-99')).resolves.toStrictEqual([]);
      });

      it('lists a partnership’s events since an instant, oldest first, at most `limit`', async () => {
        const pid = freshPartnershipId();
        const g = await store.gaps.create(gapDraft(pid, 'E05001347'), audit('gap.created', at(0)));
        await store.profiles.create(profile(pid, 'E05001347'), audit('profile.created', at(10)));
        await store.gaps.replace({ ...g, status: 'closed' }, g.etag, audit('gap.closed', at(20)));
        await store.members.create(member(pid, 'Priya Shah'), audit('member.created', at(30)));
        await store.gaps.create(gapDraft(freshPartnershipId(), 'E05001347'), audit('gap.created', at(15)));

        const since = await store.audit.listSince(pid, at(5), 10);
        expect(since.map((e) => e.action)).toEqual(['profile.created', 'gap.closed', 'member.created']);
        expect(since.every((e) => e.partnershipId === pid)).toBe(true);
        expect((await store.audit.listSince(pid, at(5), 2)).map((e) => e.action)).toEqual([
          'profile.created',
          'gap.closed',
        ]);
        expect(await store.audit.listSince(pid, at(31), 10)).toStrictEqual([]);
      });
    });

    describe('conversations', () => {
      it('puts and gets a reference by tenant and conversation id, replacing it on a second put', async () => {
        const tenant = randomUUID();
        for (const kind of ['personal', 'groupChat', 'channel'] as ConversationKind[]) {
          const id = teamsConversationId(kind);
          const ref = conversation(tenant, id, kind, at(0), kind === 'personal' ? randomUUID() : undefined);
          await store.conversations.put(ref);
          expect(await store.conversations.get(tenant, id)).toStrictEqual(ref);
          const moved = { ...ref, serviceUrl: 'https://smba.trafficmanager.net/emea/', updatedAt: at(1) };
          await store.conversations.put(moved);
          expect(await store.conversations.get(tenant, id)).toStrictEqual(moved);
          await expect(store.conversations.get(randomUUID(), id)).resolves.toBeUndefined();
        }
        await expect(store.conversations.get(tenant, teamsConversationId('personal'))).resolves.toBeUndefined();
      });

      it('finds a user’s personal chat: the most recently updated, in the tenant', async () => {
        const tenant = randomUUID();
        const user = randomUUID();
        const older = conversation(tenant, teamsConversationId('personal'), 'personal', at(1), user);
        const newer = conversation(tenant, teamsConversationId('personal'), 'personal', at(9), user);
        await store.conversations.put(newer);
        await store.conversations.put(older);
        await store.conversations.put(conversation(tenant, teamsConversationId('channel'), 'channel', at(20), user));
        await store.conversations.put(
          conversation(randomUUID(), teamsConversationId('personal'), 'personal', at(30), user),
        );
        await store.conversations.put(conversation(tenant, teamsConversationId('personal'), 'personal', at(40)));

        expect(await store.conversations.findPersonal(tenant, user)).toStrictEqual(newer);
        await store.conversations.put({ ...older, updatedAt: at(50) });
        expect(await store.conversations.findPersonal(tenant, user)).toStrictEqual({ ...older, updatedAt: at(50) });
        await expect(store.conversations.findPersonal(tenant, randomUUID())).resolves.toBeUndefined();
      });
    });

    describe('board channels', () => {
      const subscribe = audit('board.subscribed');

      it('lists a partnership’s board channels in the order they were added', async () => {
        const pid = freshPartnershipId();
        const tenant = randomUUID();
        const later = boardChannel(pid, tenant, teamsConversationId('channel'), at(20));
        const first = boardChannel(pid, tenant, teamsConversationId('channel'), at(10));
        await store.boardChannels.put(later, subscribe);
        await store.boardChannels.put(first, subscribe);
        await store.boardChannels.put(
          boardChannel(freshPartnershipId(), tenant, teamsConversationId('channel'), at(0)),
          subscribe,
        );
        expect(await store.boardChannels.list(pid)).toStrictEqual([first, later]);

        const retimed = { ...later, digestWeekday: 5, digestHour: 16 };
        await store.boardChannels.put(retimed, audit('board.rescheduled'));
        expect(await store.boardChannels.list(pid)).toStrictEqual([first, retimed]);
      });

      it('removes a board channel, and removing it again is harmless', async () => {
        const pid = freshPartnershipId();
        const tenant = randomUUID();
        const kept = boardChannel(pid, tenant, teamsConversationId('channel'), at(1));
        const gone = boardChannel(pid, tenant, teamsConversationId('channel'), at(2));
        await store.boardChannels.put(kept, subscribe);
        await store.boardChannels.put(gone, subscribe);
        await store.boardChannels.remove(pid, gone.conversationId, audit('board.unsubscribed'));
        expect(await store.boardChannels.list(pid)).toStrictEqual([kept]);
        await expect(
          store.boardChannels.remove(pid, gone.conversationId, audit('board.unsubscribed')),
        ).resolves.toBeUndefined();
        expect(await store.boardChannels.list(pid)).toStrictEqual([kept]);
      });

      it('audits every change to a board channel with who, what, when, before and after', async () => {
        const pid = freshPartnershipId();
        const channel = boardChannel(pid, randomUUID(), teamsConversationId('channel'), at(1));
        const retimed = { ...channel, digestWeekday: 5 };
        await store.boardChannels.put(channel, audit('board.subscribed', at(1)));
        await store.boardChannels.put(retimed, audit('board.rescheduled', at(2)));
        await store.boardChannels.remove(pid, channel.conversationId, audit('board.unsubscribed', at(3)));
        await store.boardChannels.remove(pid, channel.conversationId, audit('board.unsubscribed', at(4)));
        const events = await store.audit.listForEntity(pid, 'board-channel', channel.conversationId);
        expect(events.map((e) => [e.action, e.actor, e.at, e.before, e.after])).toStrictEqual([
          ['board.subscribed', ACTOR, at(1), null, channel],
          ['board.rescheduled', ACTOR, at(2), channel, retimed],
          ['board.unsubscribed', ACTOR, at(3), retimed, null],
        ]);
      });
    });

    leaseAndClaimContract(() => store, setup.make);
    reminderDeliveryContract(() => store, setup.make);
    runAccessRequestContract(() => store);
    awaitingInstallContract(() => store);

    describe('digest deliveries', () => {
      const delivery = (pid: string, conversationId: string, week: string): DigestDelivery =>
        pendingDelivery(pid, conversationId, week, at(0));

      it('keeps one record per channel per week: a second create is refused and changes nothing', async () => {
        const pid = freshPartnershipId();
        const channel = teamsConversationId('channel');
        const first = await store.digestDeliveries.create(delivery(pid, channel, '2026-03-02'));
        await expect(
          store.digestDeliveries.create({ ...delivery(pid, channel, '2026-03-02'), state: 'sent' }),
        ).rejects.toBeInstanceOf(ConcurrencyError);
        expect(await store.digestDeliveries.get(pid, channel, '2026-03-02')).toStrictEqual(first);
        await expect(store.digestDeliveries.get(pid, channel, '2026-03-09')).resolves.toBeUndefined();
        await expect(store.digestDeliveries.get(freshPartnershipId(), channel, '2026-03-02')).resolves.toBeUndefined();
      });

      it('moves pending to sent with the etag it read; a stale etag is refused and changes nothing', async () => {
        const pid = freshPartnershipId();
        const channel = teamsConversationId('channel');
        const pending = await store.digestDeliveries.create(delivery(pid, channel, '2026-03-02'));
        const { card: _card, ...rest } = pending;
        const sent = await store.digestDeliveries.replace(
          { ...rest, state: 'sent', attempts: 1, sentAt: at(1), updatedAt: at(1) },
          pending.etag,
        );
        expect(sent.etag).not.toBe(pending.etag);
        await expect(
          store.digestDeliveries.replace({ ...pending, state: 'failed', lastError: 'HTTP 500' }, pending.etag),
        ).rejects.toBeInstanceOf(ConcurrencyError);
        expect(await store.digestDeliveries.get(pid, channel, '2026-03-02')).toStrictEqual(sent);
        await expect(
          store.digestDeliveries.replace(delivery(pid, channel, '2026-03-16'), sent.etag),
        ).rejects.toBeInstanceOf(NotFoundError);
      });

      it('lists a channel’s deliveries newest week first, up to the limit', async () => {
        const pid = freshPartnershipId();
        const channel = teamsConversationId('channel');
        for (const week of ['2026-03-09', '2026-03-23', '2026-03-02', '2026-03-16']) {
          await store.digestDeliveries.create(delivery(pid, channel, week));
        }
        await store.digestDeliveries.create(delivery(pid, teamsConversationId('channel'), '2026-03-30'));
        const listed = await store.digestDeliveries.listForChannel(pid, channel, 3);
        expect(listed.map((d) => d.week)).toEqual(['2026-03-23', '2026-03-16', '2026-03-09']);
        expect(listed[0]).toStrictEqual(delivery(pid, channel, '2026-03-23'));
      });
    });

    describe('bulk load', () => {
      it('writes every record and audits each profile, gap and action as imported', async () => {
        const pid = freshPartnershipId();
        const districts = [district(pid, 'E05001347', 'Bradford Moor'), district(pid, 'E05001348', 'Little Horton')];
        const profiles = [profile(pid, 'E05001347', { rank: 1, score: 70 }), profile(pid, 'E05001348')];
        const gaps = [gap(pid, 'E05001347', 'G-7'), gap(pid, 'E05001347', 'G-2')];
        const actions = [action(pid, 'E05001348', 'prevent', 'PREV-4')];
        const ctx = audit('import.run', at(3), 'system:import');
        await store.bulkLoad(pid, { districts, profiles, gaps, actions }, ctx);

        expect(await store.districts.count(pid)).toBe(2);
        expect(await store.districts.get(pid, 'E05001348')).toStrictEqual(districts[1]);
        expectStored(await store.profiles.get(pid, 'E05001347'), profiles[0]!);
        expect((await store.gaps.listByDistrict(pid, 'E05001347')).map(withoutEtag)).toStrictEqual([gaps[1], gaps[0]]);
        expectStored(await store.actions.get(pid, 'PREV-4'), actions[0]!);

        const events = await allEvents(pid);
        expect(events).toHaveLength(5);
        const byEntity = new Map(events.map((e) => [`${e.entityType}:${e.entityId}`, e]));
        expectEvent(byEntity.get('gap:G-7'), {
          partnershipId: pid,
          entityType: 'gap',
          entityId: 'G-7',
          action: 'gap.imported',
          actor: 'system:import',
          at: at(3),
          before: null,
          after: gaps[0],
        });
        expect(byEntity.get('profile:E05001348')?.action).toBe('profile.imported');
        expect(byEntity.get('action:PREV-4')?.action).toBe('action.imported');
      });

      it('records what a load replaced as the event’s `before`', async () => {
        const pid = freshPartnershipId();
        const v1 = profile(pid, 'E05001347', { rank: 4, score: 10 });
        const v2 = profile(pid, 'E05001347', { rank: 1, score: 90 });
        const empty = { districts: [], gaps: [], actions: [] };
        await store.bulkLoad(pid, { ...empty, profiles: [v1] }, audit('import.run', at(1), 'system:import'));
        await store.bulkLoad(pid, { ...empty, profiles: [v2] }, audit('import.run', at(2), 'system:import'));
        expectStored(await store.profiles.get(pid, 'E05001347'), v2);
        const events = await store.audit.listForEntity(pid, 'profile', 'E05001347');
        expect(events.map((e) => [e.before, e.after])).toStrictEqual([
          [null, v1],
          [v1, v2],
        ]);
      });

      it('moves the counters past loaded references, never back', async () => {
        const pid = freshPartnershipId();
        for (let i = 0; i < 3; i++) await store.gaps.create(gapDraft(pid, 'E05001347'), audit('gap.created'));
        await store.bulkLoad(
          pid,
          {
            districts: [],
            profiles: [],
            gaps: [gap(pid, 'E05001347', 'G-2')],
            actions: [action(pid, 'E05001347', 'prevent', 'PREV-4'), action(pid, 'E05001347', 'pursue', 'PURS-1')],
          },
          audit('import.run', T0, 'system:import'),
        );
        expect((await store.gaps.create(gapDraft(pid, 'E05001347'), audit('gap.created'))).ref).toBe('G-4');
        const draft = (strand: Strand) => actionDraft(pid, 'E05001347', strand);
        expect((await store.actions.create(draft('prevent'), audit('action.created'))).ref).toBe('PREV-5');
        expect((await store.actions.create(draft('pursue'), audit('action.created'))).ref).toBe('PURS-2');
        expect((await store.actions.create(draft('protect'), audit('action.created'))).ref).toBe('PROT-1');

        await store.bulkLoad(
          pid,
          { districts: [], profiles: [], gaps: [gap(pid, 'E05001348', 'G-30')], actions: [] },
          audit('import.run', T0, 'system:import'),
        );
        expect((await store.gaps.create(gapDraft(pid, 'E05001347'), audit('gap.created'))).ref).toBe('G-31');
      });

      it('stays correct for thousands of records', async () => {
        const pid = freshPartnershipId();
        const districtIds = Array.from({ length: 150 }, (_, i) => `E0500${String(2000 + i).padStart(4, '0')}`);
        const districts = districtIds.map((id, i) => district(pid, id, `Ward ${String(i).padStart(3, '0')}`));
        const profiles = districtIds.map((id, i) => profile(pid, id, { rank: i + 1, score: 1000 - i }));
        const gaps = Array.from({ length: 1500 }, (_, i) => gap(pid, districtIds[i % 150]!, `G-${i + 1}`));
        const actions = Array.from({ length: 600 }, (_, i) =>
          action(pid, districtIds[i % 150]!, 'protect', `PROT-${i + 1}`),
        );
        await store.bulkLoad(pid, { districts, profiles, gaps, actions }, audit('import.run', T0, 'system:import'));

        expect(await store.districts.count(pid)).toBe(150);
        expect((await store.districts.listNames(pid))[149]).toStrictEqual({ id: districtIds[149], name: 'Ward 149' });
        const listed = await store.gaps.listByDistrict(pid, districtIds[7]!);
        expect(listed.map((g) => g.ref)).toEqual(Array.from({ length: 10 }, (_, i) => `G-${8 + i * 150}`));
        expect((await store.actions.listByDistrict(pid, districtIds[0]!)).map(withoutEtag)).toStrictEqual(
          actions.filter((a) => a.districtId === districtIds[0]),
        );
        expect((await store.profiles.severityRanking(pid, 3)).map((r) => r.districtId)).toEqual(
          districtIds.slice(0, 3),
        );

        const events = await allEvents(pid);
        expect(events).toHaveLength(150 + 1500 + 600);
        expect(new Set(events.map((e) => `${e.entityType}:${e.entityId}`)).size).toBe(2250);
        expect((await store.gaps.create(gapDraft(pid, districtIds[0]!), audit('gap.created'))).ref).toBe('G-1501');
        expect(
          (await store.actions.create(actionDraft(pid, districtIds[0]!, 'protect'), audit('action.created'))).ref,
        ).toBe('PROT-601');
      }, 120_000);
    });

    runTaskListContract(() => store);
  });
}
