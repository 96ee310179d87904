import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AccessRequest } from '../../domain/access-request.js';
import { actionFacts, type ActionDraft, type ActionFacts, type FourPAction } from '../../domain/action.js';
import { SYSTEM_IMPORT, type AuditContext, type AuditEntity, type AuditEvent } from '../../domain/audit.js';
import type { AwaitingInstall } from '../../domain/awaiting-install.js';
import type { BoardChannel, ConversationRef } from '../../domain/conversation.js';
import type { DigestDelivery, JobLease } from '../../domain/digest-delivery.js';
import type { District } from '../../domain/district.js';
import {
  ConcurrencyError,
  DomainError,
  NotFoundError,
  StoreUnavailableError,
  ValidationError,
  ImportConflictError,
} from '../../domain/errors.js';
import { gapFacts, type GapDraft, type GapFacts, type IntelligenceGap } from '../../domain/gap.js';
import type { Member } from '../../domain/member.js';
import type { Agency, Partnership } from '../../domain/partnership.js';
import type { Profile } from '../../domain/profile.js';
import type { ReminderDelivery } from '../../domain/reminder-delivery.js';
import { formatRef, parseRef, refPrefixForStrand, type RefPrefix } from '../../domain/refs.js';
import {
  CHANGE_FIELDS,
  type ActionLink,
  type ActionRepository,
  type BulkLoad,
  type DistrictName,
  type ListCursor,
  type SeverityRow,
  type Store,
  type Stored,
  type TrackedRepository,
} from '../store.js';
import { MIGRATIONS } from './schema.js';

export interface SqliteStoreOptions {
  /** The database file; its folder is created if missing. */
  file: string;
}

type Db = Database.Database;
interface VersionedRow {
  version: number;
  doc: string;
}

/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous, which suits a
 * single-process bot: every write with its audit event is one transaction, and there is no pool.
 */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const db = guard(() => new Database(options.file));
  db.pragma('journal_mode = WAL');
  // FULL: a committed change (a partner's update) survives a power cut. Writes are rare; reads
  // on the message path are unaffected.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  // Reads are most of the work: keep more pages in memory and read the file through a map, not a syscall a page.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  migrate(db);
  return new SqliteStore(db);
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  db.transaction(() => {
    for (let v = current; v < MIGRATIONS.length; v++) {
      const migration = MIGRATIONS[v]!;
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
      db.pragma(`user_version = ${v + 1}`);
    }
  })();
}

/** Driver failures (disk full, locked too long, closed) become StoreUnavailableError. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new StoreUnavailableError(err);
  }
}

function stored<T>(doc: string, version: number): Stored<T> {
  // Set on the parsed object rather than spread into a copy: this runs for every record read.
  const record = JSON.parse(doc) as T & { etag: string };
  record.etag = String(version);
  return record;
}

/** A lease its holder stopped renewing (or one written before leases carried their ttl). */
function lapsed(lease: Partial<JobLease> & { expiresAt?: string }, now: number): boolean {
  if (lease.renewedAt && lease.ttlMs) return Date.parse(lease.renewedAt) + lease.ttlMs <= now;
  return lease.expiresAt === undefined || Date.parse(lease.expiresAt) <= now;
}

function recordOf<T extends object>(record: T): Omit<T, 'etag'> {
  const { etag: _etag, ...rest } = record as T & { etag?: string };
  return rest;
}

/** What is written: the record without the etag it was read with. */
function docOf<T extends object>(record: T): string {
  const { etag: _etag, ...rest } = record as T & { etag?: string };
  return JSON.stringify(rest);
}

class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly audit_: AuditWriter;

  constructor(private readonly db: Db) {
    this.audit_ = new AuditWriter(db);
  }

  async ping(): Promise<void> {
    guard(() => this.stmt('SELECT 1').get());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  readonly partnerships = {
    get: async (id: string) =>
      guard(() => {
        const row = this.stmt('SELECT version, doc FROM partnerships WHERE id = ?').get(id) as VersionedRow | undefined;
        return row && stored<Partnership>(row.doc, row.version);
      }),
    list: async () =>
      guard(() =>
        (this.stmt('SELECT doc FROM partnerships ORDER BY id').all() as { doc: string }[]).map(
          (r) => JSON.parse(r.doc) as Partnership,
        ),
      ),
    put: async (p: Partnership) =>
      guard(() => {
        const row = this.stmt(
          `INSERT INTO partnerships (id, version, doc) VALUES (?, 1, ?)
             ON CONFLICT (id) DO UPDATE SET version = version + 1, doc = excluded.doc
             RETURNING version`,
        ).get(p.id, docOf(p)) as { version: number };
        return { ...p, etag: String(row.version) };
      }),
    replace: async (p: Partnership, ifMatch: string, audit: AuditContext) =>
      guard(() =>
        this.db.transaction(() => {
          const row = this.stmt('SELECT version, doc FROM partnerships WHERE id = ?').get(p.id) as
            VersionedRow | undefined;
          if (!row) throw new NotFoundError('partnership', p.id);
          if (String(row.version) !== ifMatch) throw new ConcurrencyError('partnership', p.id);
          const doc = docOf(p);
          this.stmt('UPDATE partnerships SET version = ?, doc = ? WHERE id = ?').run(row.version + 1, doc, p.id);
          this.audit_.write(p.id, 'partnership', p.id, audit, row.doc, doc);
          return stored<Partnership>(doc, row.version + 1);
        })(),
      ),
  };

  readonly agencies = {
    list: async (partnershipId: string) =>
      guard(() =>
        (
          this.stmt('SELECT doc FROM agencies WHERE partnership_id = ? ORDER BY name, id').all(partnershipId) as {
            doc: string;
          }[]
        ).map((r) => JSON.parse(r.doc) as Agency),
      ),
    get: async (partnershipId: string, id: string) =>
      guard(() => {
        const row = this.stmt('SELECT doc FROM agencies WHERE partnership_id = ? AND id = ?').get(partnershipId, id) as
          { doc: string } | undefined;
        return row && (JSON.parse(row.doc) as Agency);
      }),
    put: async (a: Agency, audit?: AuditContext) =>
      guard(() => {
        if (!audit) return this.putAgency(a);
        this.db.transaction(() => {
          const before = this.stmt('SELECT doc FROM agencies WHERE partnership_id = ? AND id = ?').get(
            a.partnershipId,
            a.id,
          ) as { doc: string } | undefined;
          this.putAgency(a);
          this.audit_.write(a.partnershipId, 'agency', a.id, audit, before?.doc ?? null, docOf(a));
        })();
      }),
  };

  readonly accessRequests = {
    get: async (partnershipId: string, aadObjectId: string) =>
      guard(() => {
        const row = this.stmt(
          'SELECT version, doc FROM access_requests WHERE partnership_id = ? AND aad_object_id = ?',
        ).get(partnershipId, aadObjectId.toLowerCase()) as VersionedRow | undefined;
        return row && stored<AccessRequest>(row.doc, row.version);
      }),
    create: async (request: AccessRequest, audit: AuditContext) =>
      guard(() =>
        this.db.transaction(() => {
          const r = { ...request, aadObjectId: request.aadObjectId.toLowerCase() };
          const doc = docOf(r);
          const inserted = this.stmt(
            `INSERT INTO access_requests (partnership_id, aad_object_id, version, doc) VALUES (?, ?, 1, ?)
             ON CONFLICT (partnership_id, aad_object_id) DO NOTHING`,
          ).run(r.partnershipId, r.aadObjectId, doc);
          if (inserted.changes === 0) throw new ConcurrencyError('access request', r.aadObjectId);
          this.audit_.write(r.partnershipId, 'access-request', r.aadObjectId, audit, null, doc);
          return stored<AccessRequest>(doc, 1);
        })(),
      ),
    replace: async (request: AccessRequest, ifMatch: string, audit: AuditContext) =>
      guard(() =>
        this.db.transaction(() => {
          const r = { ...request, aadObjectId: request.aadObjectId.toLowerCase() };
          const row = this.stmt(
            'SELECT version, doc FROM access_requests WHERE partnership_id = ? AND aad_object_id = ?',
          ).get(r.partnershipId, r.aadObjectId) as VersionedRow | undefined;
          if (!row) throw new NotFoundError('access request', r.aadObjectId);
          if (String(row.version) !== ifMatch) throw new ConcurrencyError('access request', r.aadObjectId);
          const doc = docOf(r);
          this.stmt(
            'UPDATE access_requests SET version = ?, doc = ? WHERE partnership_id = ? AND aad_object_id = ?',
          ).run(row.version + 1, doc, r.partnershipId, r.aadObjectId);
          this.audit_.write(r.partnershipId, 'access-request', r.aadObjectId, audit, row.doc, doc);
          return stored<AccessRequest>(doc, row.version + 1);
        })(),
      ),
  };

  private putAgency(a: Agency): void {
    this.stmt(
      `INSERT INTO agencies (partnership_id, id, name, doc) VALUES (?, ?, ?, ?)
       ON CONFLICT (partnership_id, id) DO UPDATE SET name = excluded.name, doc = excluded.doc`,
    ).run(a.partnershipId, a.id, a.name, docOf(a));
  }

  readonly members = {
    get: async (aadObjectId: string) =>
      guard(() => {
        const row = this.stmt('SELECT version, doc FROM members WHERE aad_object_id = ?').get(
          aadObjectId.toLowerCase(),
        ) as VersionedRow | undefined;
        return row && stored<Member>(row.doc, row.version);
      }),
    listByPartnership: async (partnershipId: string) =>
      guard(() =>
        (
          this.stmt('SELECT doc FROM members WHERE partnership_id = ? ORDER BY display_name, aad_object_id').all(
            partnershipId,
          ) as { doc: string }[]
        ).map((r) => JSON.parse(r.doc) as Member),
      ),
    create: async (member: Member, audit: AuditContext) =>
      guard(() =>
        this.db.transaction(() => {
          const m = { ...member, aadObjectId: member.aadObjectId.toLowerCase() };
          const doc = docOf(m);
          const inserted = this.stmt(
            `INSERT INTO members (aad_object_id, partnership_id, display_name, version, doc) VALUES (?, ?, ?, 1, ?)
               ON CONFLICT (aad_object_id) DO NOTHING`,
          ).run(m.aadObjectId, m.partnershipId, m.displayName, doc);
          if (inserted.changes === 0) throw new ConcurrencyError('member', m.aadObjectId);
          this.audit_.write(m.partnershipId, 'member', m.aadObjectId, audit, null, doc);
          return stored<Member>(doc, 1);
        })(),
      ),
    replace: async (member: Member, ifMatch: string, audit: AuditContext) =>
      guard(() =>
        this.db.transaction(() => {
          const m = { ...member, aadObjectId: member.aadObjectId.toLowerCase() };
          const row = this.stmt('SELECT version, doc FROM members WHERE aad_object_id = ?').get(m.aadObjectId) as
            VersionedRow | undefined;
          if (!row) throw new NotFoundError('member', m.aadObjectId);
          const was = (JSON.parse(row.doc) as Member).partnershipId;
          if (was !== m.partnershipId) {
            throw new ValidationError(
              `member ${m.aadObjectId} belongs to partnership ${was}; a member belongs to one partnership`,
              ['partnershipId'],
            );
          }
          if (String(row.version) !== ifMatch) throw new ConcurrencyError('member', m.aadObjectId);
          const doc = docOf(m);
          this.stmt(
            'UPDATE members SET partnership_id = ?, display_name = ?, version = ?, doc = ? WHERE aad_object_id = ?',
          ).run(m.partnershipId, m.displayName, row.version + 1, doc, m.aadObjectId);
          this.audit_.write(m.partnershipId, 'member', m.aadObjectId, audit, row.doc, doc);
          return stored<Member>(doc, row.version + 1);
        })(),
      ),
  };

  readonly districts = {
    get: async (partnershipId: string, id: string) =>
      guard(() => {
        const row = this.stmt('SELECT doc FROM districts WHERE partnership_id = ? AND id = ?').get(
          partnershipId,
          id,
        ) as { doc: string } | undefined;
        return row && (JSON.parse(row.doc) as District);
      }),
    listNames: async (partnershipId: string) =>
      guard(() =>
        (
          this.stmt(
            'SELECT id, name, local_authority_name FROM districts WHERE partnership_id = ? ORDER BY name, id',
          ).all(partnershipId) as { id: string; name: string; local_authority_name: string | null }[]
        ).map((r): DistrictName => {
          const d: DistrictName = { id: r.id, name: r.name };
          if (r.local_authority_name !== null) d.localAuthorityName = r.local_authority_name;
          return d;
        }),
      ),
    count: async (partnershipId: string) =>
      guard(
        () =>
          (
            this.stmt('SELECT COUNT(*) AS n FROM districts WHERE partnership_id = ?').get(partnershipId) as {
              n: number;
            }
          ).n,
      ),
    putMany: async (districts: readonly District[]) =>
      guard(() => this.db.transaction(() => districts.forEach((d) => this.putDistrict(d)))()),
    // Kept by the schema's triggers (version 6), in the transaction of the write itself.
    stamp: async (partnershipId: string, id: string) =>
      guard(() => {
        const row = this.stmt('SELECT version FROM district_stamps WHERE partnership_id = ? AND district_id = ?').get(
          partnershipId,
          id,
        ) as { version: number } | undefined;
        return String(row?.version ?? 0);
      }),
  };

  readonly profiles = {
    get: async (partnershipId: string, districtId: string) =>
      guard(() => {
        const row = this.stmt('SELECT version, doc FROM profiles WHERE partnership_id = ? AND district_id = ?').get(
          partnershipId,
          districtId,
        ) as VersionedRow | undefined;
        return row && stored<Profile>(row.doc, row.version);
      }),
    create: async (p: Profile, audit: AuditContext) =>
      guard(() =>
        this.db.transaction(() => {
          const doc = docOf(p);
          const s = p.threat.severity;
          const inserted = this.stmt(
            `INSERT INTO profiles (partnership_id, district_id, version, severity_rank, severity_score,
                 severity_rank_at_last_review, doc)
               VALUES (?, ?, 1, ?, ?, ?, ?) ON CONFLICT (partnership_id, district_id) DO NOTHING`,
          ).run(p.partnershipId, p.districtId, s?.rank ?? null, s?.score ?? null, s?.rankAtLastReview ?? null, doc);
          if (inserted.changes === 0) throw new ConcurrencyError('profile', p.districtId);
          this.audit_.write(p.partnershipId, 'profile', p.districtId, audit, null, doc);
          return stored<Profile>(doc, 1);
        })(),
      ),
    replace: async (p: Profile, ifMatch: string, audit: AuditContext) =>
      guard(() =>
        this.db.transaction(() => {
          const row = this.stmt('SELECT version, doc FROM profiles WHERE partnership_id = ? AND district_id = ?').get(
            p.partnershipId,
            p.districtId,
          ) as VersionedRow | undefined;
          if (!row) throw new NotFoundError('profile', p.districtId);
          if (String(row.version) !== ifMatch) throw new ConcurrencyError('profile', p.districtId);
          const doc = docOf(p);
          this.writeProfile(p, doc, row.version + 1);
          this.audit_.write(p.partnershipId, 'profile', p.districtId, audit, row.doc, doc);
          return stored<Profile>(doc, row.version + 1);
        })(),
      ),
    severityRanking: async (partnershipId: string, limit: number) =>
      guard(() =>
        (
          this.stmt(
            `SELECT district_id, severity_score, severity_rank, severity_rank_at_last_review FROM profiles
             WHERE partnership_id = ? AND severity_rank IS NOT NULL
             ORDER BY severity_rank, district_id LIMIT ?`,
          ).all(partnershipId, Math.max(0, Math.floor(limit))) as {
            district_id: string;
            severity_score: number;
            severity_rank: number;
            severity_rank_at_last_review: number | null;
          }[]
        ).map((r): SeverityRow => {
          const row: SeverityRow = { districtId: r.district_id, score: r.severity_score, rank: r.severity_rank };
          if (r.severity_rank_at_last_review !== null) row.rankAtLastReview = r.severity_rank_at_last_review;
          return row;
        }),
      ),
  };

  readonly gaps: TrackedRepository<IntelligenceGap, GapDraft, GapFacts> = this.tracked(
    'gaps',
    'gap',
    (_draft: GapDraft) => 'G',
    gapFacts,
  );

  readonly actions: ActionRepository = {
    ...this.tracked('actions', 'action', (draft: ActionDraft) => refPrefixForStrand(draft.strand), actionFacts),
    linksByDistrict: async (partnershipId: string, districtId: string) =>
      guard(() =>
        (
          this.stmt(
            `SELECT ref, json_extract(doc, '$.fromGapRef') AS from_gap, json_extract(doc, '$.classification') AS classification
             FROM actions WHERE partnership_id = ? AND district_id = ? AND json_extract(doc, '$.fromGapRef') IS NOT NULL
             ORDER BY prefix, number`,
          ).all(partnershipId, districtId) as {
            ref: string;
            from_gap: string;
            classification: ActionLink['classification'];
          }[]
        ).map((r): ActionLink => ({ ref: r.ref, fromGapRef: r.from_gap, classification: r.classification })),
      ),
  };

  readonly audit = {
    listForEntity: async (partnershipId: string, entityType: AuditEntity, entityId: string) =>
      guard(() =>
        (
          this.stmt(
            `SELECT doc FROM audit WHERE partnership_id = ? AND entity_type = ? AND entity_id = ?
               ORDER BY at, seq`,
          ).all(partnershipId, entityType, entityId) as { doc: string }[]
        ).map((r) => JSON.parse(r.doc) as AuditEvent),
      ),
    listSince: async (partnershipId: string, sinceIso: string, limit: number) =>
      guard(() =>
        (
          this.stmt('SELECT doc FROM audit WHERE partnership_id = ? AND at >= ? ORDER BY at, seq LIMIT ?').all(
            partnershipId,
            sinceIso,
            Math.max(0, Math.floor(limit)),
          ) as { doc: string }[]
        ).map((r) => JSON.parse(r.doc) as AuditEvent),
      ),
    listChanges: async (partnershipId: string, fromIso: string, toIso: string, limit: number) =>
      guard(() =>
        (
          this.stmt(
            `SELECT doc FROM audit WHERE partnership_id = ? AND at >= ? AND at < ?
               AND entity_type IN ('gap', 'action') AND json_extract(doc, '$.actor') != ?
             ORDER BY at, seq LIMIT ?`,
          ).all(partnershipId, fromIso, toIso, SYSTEM_IMPORT, Math.max(0, Math.floor(limit))) as { doc: string }[]
        ).map((r) => {
          const event = JSON.parse(r.doc) as AuditEvent;
          return { ...event, before: changeFieldsOf(event.before), after: changeFieldsOf(event.after) };
        }),
      ),
  };

  readonly conversations = {
    put: async (ref: ConversationRef) =>
      guard(() => {
        this.stmt(
          `INSERT INTO conversations (tenant_id, conversation_id, aad_object_id, kind, updated_at, doc)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (tenant_id, conversation_id) DO UPDATE SET aad_object_id = excluded.aad_object_id,
             kind = excluded.kind, updated_at = excluded.updated_at, doc = excluded.doc`,
        ).run(ref.tenantId, ref.conversationId, ref.aadObjectId ?? null, ref.kind, ref.updatedAt, JSON.stringify(ref));
      }),
    get: async (tenantId: string, conversationId: string) =>
      guard(() => {
        const row = this.stmt('SELECT doc FROM conversations WHERE tenant_id = ? AND conversation_id = ?').get(
          tenantId,
          conversationId,
        ) as { doc: string } | undefined;
        return row && (JSON.parse(row.doc) as ConversationRef);
      }),
    findPersonal: async (tenantId: string, aadObjectId: string) =>
      guard(() => {
        const row = this.stmt(
          `SELECT doc FROM conversations WHERE tenant_id = ? AND aad_object_id = ? AND kind = 'personal'
             ORDER BY updated_at DESC LIMIT 1`,
        ).get(tenantId, aadObjectId) as { doc: string } | undefined;
        return row && (JSON.parse(row.doc) as ConversationRef);
      }),
  };

  readonly boardChannels = {
    put: async (c: BoardChannel, audit: AuditContext) =>
      guard(() =>
        this.db.transaction(() => {
          const before = this.boardChannelDoc(c.partnershipId, c.conversationId);
          const doc = JSON.stringify(c);
          this.stmt(
            `INSERT INTO board_channels (partnership_id, conversation_id, added_at, doc) VALUES (?, ?, ?, ?)
               ON CONFLICT (partnership_id, conversation_id) DO UPDATE SET added_at = excluded.added_at, doc = excluded.doc`,
          ).run(c.partnershipId, c.conversationId, c.addedAt, doc);
          this.audit_.write(c.partnershipId, 'board-channel', c.conversationId, audit, before, doc);
        })(),
      ),
    list: async (partnershipId: string) =>
      guard(() =>
        (
          this.stmt('SELECT doc FROM board_channels WHERE partnership_id = ? ORDER BY added_at, conversation_id').all(
            partnershipId,
          ) as { doc: string }[]
        ).map((r) => JSON.parse(r.doc) as BoardChannel),
      ),
    remove: async (partnershipId: string, conversationId: string, audit: AuditContext) =>
      guard(() =>
        this.db.transaction(() => {
          const before = this.boardChannelDoc(partnershipId, conversationId);
          if (before === null) return;
          this.stmt('DELETE FROM board_channels WHERE partnership_id = ? AND conversation_id = ?').run(
            partnershipId,
            conversationId,
          );
          this.audit_.write(partnershipId, 'board-channel', conversationId, audit, before, null);
        })(),
      ),
  };

  private boardChannelDoc(partnershipId: string, conversationId: string): string | null {
    const row = this.stmt('SELECT doc FROM board_channels WHERE partnership_id = ? AND conversation_id = ?').get(
      partnershipId,
      conversationId,
    ) as { doc: string } | undefined;
    return row?.doc ?? null;
  }

  readonly jobLeases = {
    acquire: async (partnershipId: string, name: string, owner: string, ttlMs: number) =>
      guard(() =>
        // IMMEDIATE: the read and the write hold the write lock together, so of two processes on
        // one file, the second sees the first's lease. The lease's age is judged by this store's
        // clock, read inside the transaction, never by a caller's.
        this.db
          .transaction((): Stored<JobLease> | undefined => {
            const row = this.stmt('SELECT version, doc FROM job_leases WHERE partnership_id = ? AND name = ?').get(
              partnershipId,
              name,
            ) as VersionedRow | undefined;
            const now = Date.now();
            const lease: JobLease = { partnershipId, name, owner, ttlMs, renewedAt: new Date(now).toISOString() };
            const doc = JSON.stringify(lease);
            if (!row) {
              this.stmt('INSERT INTO job_leases (partnership_id, name, version, doc) VALUES (?, ?, 1, ?)').run(
                partnershipId,
                name,
                doc,
              );
              return stored<JobLease>(doc, 1);
            }
            const current = JSON.parse(row.doc) as Partial<JobLease>;
            if (current.owner !== owner && !lapsed(current, now)) return undefined;
            this.stmt('UPDATE job_leases SET version = ?, doc = ? WHERE partnership_id = ? AND name = ?').run(
              row.version + 1,
              doc,
              partnershipId,
              name,
            );
            return stored<JobLease>(doc, row.version + 1);
          })
          .immediate(),
      ),
    renew: async (lease: Stored<JobLease>) =>
      guard(() => {
        const next: JobLease = { ...recordOf(lease), renewedAt: new Date().toISOString() };
        const doc = JSON.stringify(next);
        const row = this.stmt(
          `UPDATE job_leases SET version = version + 1, doc = ?
           WHERE partnership_id = ? AND name = ? AND version = ? RETURNING version`,
        ).get(doc, lease.partnershipId, lease.name, Number(lease.etag)) as { version: number } | undefined;
        return row && stored<JobLease>(doc, row.version);
      }),
    release: async (lease: Stored<JobLease>) =>
      guard(() => {
        this.stmt('DELETE FROM job_leases WHERE partnership_id = ? AND name = ? AND version = ?').run(
          lease.partnershipId,
          lease.name,
          Number(lease.etag),
        );
      }),
  };

  readonly awaitingInstalls = {
    put: async (w: AwaitingInstall, audit: AuditContext) =>
      guard(() =>
        this.db.transaction(() => {
          const aad = w.aadObjectId.toLowerCase();
          const doc = docOf({ ...w, aadObjectId: aad });
          const before = this.stmt(
            'SELECT doc FROM awaiting_installs WHERE partnership_id = ? AND aad_object_id = ? AND ref = ?',
          ).get(w.partnershipId, aad, w.ref) as { doc: string } | undefined;
          this.stmt(
            `INSERT INTO awaiting_installs (partnership_id, aad_object_id, ref, requested_at, version, doc)
             VALUES (?, ?, ?, ?, 1, ?)
             ON CONFLICT (partnership_id, aad_object_id, ref) DO UPDATE SET requested_at = excluded.requested_at,
               version = version + 1, doc = excluded.doc`,
          ).run(w.partnershipId, aad, w.ref, w.requestedAt, doc);
          this.audit_.write(w.partnershipId, 'app-install', aad, audit, before?.doc ?? null, doc);
        })(),
      ),
    listForPerson: async (partnershipId: string, aadObjectId: string) =>
      guard(() =>
        (
          this.stmt(
            `SELECT version, doc FROM awaiting_installs WHERE partnership_id = ? AND aad_object_id = ?
             ORDER BY requested_at, ref`,
          ).all(partnershipId, aadObjectId.toLowerCase()) as VersionedRow[]
        ).map((row) => stored<AwaitingInstall>(row.doc, row.version)),
      ),
    take: async (w: Stored<AwaitingInstall>, audit: AuditContext) =>
      guard(() =>
        this.db.transaction((): boolean => {
          const aad = w.aadObjectId.toLowerCase();
          const row = this.stmt(
            `DELETE FROM awaiting_installs WHERE partnership_id = ? AND aad_object_id = ? AND ref = ? AND version = ?
             RETURNING doc`,
          ).get(w.partnershipId, aad, w.ref, Number(w.etag)) as { doc: string } | undefined;
          if (!row) return false;
          this.audit_.write(w.partnershipId, 'app-install', aad, audit, row.doc, null);
          return true;
        })(),
      ),
  };

  readonly digestDeliveries = {
    get: async (partnershipId: string, conversationId: string, week: string) =>
      guard(() => {
        const row = this.stmt(
          'SELECT version, doc FROM digest_deliveries WHERE partnership_id = ? AND conversation_id = ? AND week = ?',
        ).get(partnershipId, conversationId, week) as VersionedRow | undefined;
        return row && stored<DigestDelivery>(row.doc, row.version);
      }),
    create: async (d: DigestDelivery) =>
      guard(() => {
        const doc = docOf(d);
        const info = this.stmt(
          `INSERT INTO digest_deliveries (partnership_id, conversation_id, week, version, doc) VALUES (?, ?, ?, 1, ?)
           ON CONFLICT DO NOTHING`,
        ).run(d.partnershipId, d.conversationId, d.week, doc);
        if (info.changes === 0) throw new ConcurrencyError('digest delivery', `${d.conversationId} ${d.week}`);
        return stored<DigestDelivery>(doc, 1);
      }),
    replace: async (d: DigestDelivery, ifMatch: string) =>
      guard(() => {
        const doc = docOf(d);
        const key = [d.partnershipId, d.conversationId, d.week] as const;
        const row = this.stmt(
          `UPDATE digest_deliveries SET version = version + 1, doc = ?
           WHERE partnership_id = ? AND conversation_id = ? AND week = ? AND version = ? RETURNING version`,
        ).get(doc, ...key, Number(ifMatch)) as { version: number } | undefined;
        if (row) return stored<DigestDelivery>(doc, row.version);
        const exists = this.stmt(
          'SELECT 1 FROM digest_deliveries WHERE partnership_id = ? AND conversation_id = ? AND week = ?',
        ).get(...key);
        if (!exists) throw new NotFoundError('digest delivery', `${d.conversationId} ${d.week}`);
        throw new ConcurrencyError('digest delivery', `${d.conversationId} ${d.week}`);
      }),
    claim: async (d: Stored<DigestDelivery>, owner: string, staleAfterMs: number) =>
      guard(() =>
        this.db
          .transaction((): Stored<DigestDelivery> | undefined => {
            const key = [d.partnershipId, d.conversationId, d.week] as const;
            const row = this.stmt(
              'SELECT version, doc FROM digest_deliveries WHERE partnership_id = ? AND conversation_id = ? AND week = ?',
            ).get(...key) as VersionedRow | undefined;
            if (!row || String(row.version) !== d.etag) return undefined;
            const current = JSON.parse(row.doc) as DigestDelivery;
            // The store's clock, read inside the transaction: instances' clocks disagree.
            const now = Date.now();
            if (current.state === 'sent') return undefined;
            if (current.state === 'sending' && Date.parse(current.claimedAt ?? '') + staleAfterMs > now)
              return undefined;
            const doc = docOf({
              ...current,
              state: 'sending',
              claimedBy: owner,
              claimedAt: new Date(now).toISOString(),
            });
            this.stmt(
              `UPDATE digest_deliveries SET version = ?, doc = ?
               WHERE partnership_id = ? AND conversation_id = ? AND week = ?`,
            ).run(row.version + 1, doc, ...key);
            return stored<DigestDelivery>(doc, row.version + 1);
          })
          .immediate(),
      ),
    listForChannel: async (partnershipId: string, conversationId: string, limit: number) =>
      guard(() =>
        (
          this.stmt(
            `SELECT doc FROM digest_deliveries WHERE partnership_id = ? AND conversation_id = ?
             ORDER BY week DESC LIMIT ?`,
          ).all(partnershipId, conversationId, Math.max(0, Math.floor(limit))) as { doc: string }[]
        ).map((r) => JSON.parse(r.doc) as DigestDelivery),
      ),
  };

  readonly reminderDeliveries = {
    get: async (partnershipId: string, key: string) =>
      guard(() => {
        const row = this.stmt('SELECT version, doc FROM reminder_deliveries WHERE partnership_id = ? AND key = ?').get(
          partnershipId,
          key,
        ) as VersionedRow | undefined;
        return row && stored<ReminderDelivery>(row.doc, row.version);
      }),
    claim: async (d: ReminderDelivery, owner: string, staleAfterMs: number) =>
      guard(() =>
        // IMMEDIATE: the read and the write hold the write lock together, so of two processes on
        // one file exactly one claims the key; the claim's time is this store's clock.
        this.db
          .transaction((): Stored<ReminderDelivery> | undefined => {
            const row = this.stmt(
              'SELECT version, doc FROM reminder_deliveries WHERE partnership_id = ? AND key = ?',
            ).get(d.partnershipId, d.key) as VersionedRow | undefined;
            const now = Date.now();
            const current = row ? (JSON.parse(row.doc) as ReminderDelivery) : (recordOf(d) as ReminderDelivery);
            if (current.state === 'sent') return undefined;
            if (current.state === 'sending' && Date.parse(current.claimedAt ?? '') + staleAfterMs > now)
              return undefined;
            const doc = docOf({
              ...current,
              state: 'sending',
              claimedBy: owner,
              claimedAt: new Date(now).toISOString(),
            });
            if (!row) {
              this.stmt('INSERT INTO reminder_deliveries (partnership_id, key, version, doc) VALUES (?, ?, 1, ?)').run(
                d.partnershipId,
                d.key,
                doc,
              );
              return stored<ReminderDelivery>(doc, 1);
            }
            this.stmt('UPDATE reminder_deliveries SET version = ?, doc = ? WHERE partnership_id = ? AND key = ?').run(
              row.version + 1,
              doc,
              d.partnershipId,
              d.key,
            );
            return stored<ReminderDelivery>(doc, row.version + 1);
          })
          .immediate(),
      ),
    replace: async (d: ReminderDelivery, ifMatch: string) =>
      guard(() => {
        const doc = docOf(d);
        const row = this.stmt(
          `UPDATE reminder_deliveries SET version = version + 1, doc = ?
           WHERE partnership_id = ? AND key = ? AND version = ? RETURNING version`,
        ).get(doc, d.partnershipId, d.key, Number(ifMatch)) as { version: number } | undefined;
        if (row) return stored<ReminderDelivery>(doc, row.version);
        const exists = this.stmt('SELECT 1 FROM reminder_deliveries WHERE partnership_id = ? AND key = ?').get(
          d.partnershipId,
          d.key,
        );
        if (!exists) throw new NotFoundError('reminder delivery', d.key);
        throw new ConcurrencyError('reminder delivery', d.key);
      }),
  };

  async bulkLoad(partnershipId: string, load: BulkLoad, audit: AuditContext): Promise<void> {
    guard(() =>
      this.db.transaction(() => {
        this.checkExpected(partnershipId, load);
        for (const a of load.agencies ?? []) this.putAgency({ ...a, partnershipId });
        for (const d of load.districts) this.putDistrict({ ...d, partnershipId });
        for (const p of load.profiles) {
          const prior = this.stmt('SELECT version, doc FROM profiles WHERE partnership_id = ? AND district_id = ?').get(
            partnershipId,
            p.districtId,
          ) as VersionedRow | undefined;
          const doc = docOf({ ...p, partnershipId });
          this.writeProfile({ ...p, partnershipId }, doc, (prior?.version ?? 0) + 1);
          this.audit_.write(
            partnershipId,
            'profile',
            p.districtId,
            { ...audit, action: 'profile.imported' },
            prior?.doc ?? null,
            doc,
          );
        }
        const loadTracked = <T extends { ref: string; districtId: string }>(
          table: 'gaps' | 'actions',
          entity: 'gap' | 'action',
          records: readonly T[],
          factsOf: (record: T) => unknown,
        ) => {
          const highest = new Map<RefPrefix, number>();
          for (const r of records) {
            const ref = parseRef(r.ref);
            if (!ref) throw new RangeError(`not a reference: ${r.ref}`);
            const prior = this.stmt(`SELECT version, doc FROM ${table} WHERE partnership_id = ? AND ref = ?`).get(
              partnershipId,
              ref.ref,
            ) as VersionedRow | undefined;
            const doc = docOf({ ...r, partnershipId });
            this.writeTracked(
              table,
              partnershipId,
              ref.ref,
              ref.prefix,
              ref.n,
              r.districtId,
              (prior?.version ?? 0) + 1,
              doc,
              factsOf(r),
            );
            this.audit_.write(
              partnershipId,
              entity,
              ref.ref,
              { ...audit, action: `${entity}.imported` },
              prior?.doc ?? null,
              doc,
            );
            highest.set(ref.prefix, Math.max(highest.get(ref.prefix) ?? 0, ref.n));
          }
          for (const [prefix, n] of highest) {
            this.stmt(
              `INSERT INTO counters (partnership_id, prefix, value) VALUES (?, ?, ?)
                 ON CONFLICT (partnership_id, prefix) DO UPDATE SET value = MAX(value, excluded.value)`,
            ).run(partnershipId, prefix, n);
          }
        };
        loadTracked('gaps', 'gap', load.gaps, gapFacts);
        loadTracked('actions', 'action', load.actions, actionFacts);
      })(),
    );
  }

  /** A bulk load's records still as the import read them, or ImportConflictError before any write. */
  private checkExpected(partnershipId: string, load: BulkLoad): void {
    const stale: string[] = [];
    const check = (entity: string, sql: string, key: string, wanted: string | null | undefined) => {
      if (wanted === undefined) return;
      const row = this.stmt(sql).get(partnershipId, key) as { version: number } | undefined;
      if ((row ? String(row.version) : null) !== wanted) stale.push(`${entity} ${key}`);
    };
    for (const p of load.profiles) {
      const sql = 'SELECT version FROM profiles WHERE partnership_id = ? AND district_id = ?';
      check('profile', sql, p.districtId, load.expected?.profiles?.get(p.districtId));
    }
    for (const g of load.gaps) {
      check(
        'gap',
        'SELECT version FROM gaps WHERE partnership_id = ? AND ref = ?',
        g.ref,
        load.expected?.gaps?.get(g.ref),
      );
    }
    for (const a of load.actions) {
      const sql = 'SELECT version FROM actions WHERE partnership_id = ? AND ref = ?';
      check('action', sql, a.ref, load.expected?.actions?.get(a.ref));
    }
    if (stale.length > 0) throw new ImportConflictError(stale.sort(), false);
  }

  // Statements on the message path are prepared once and reused.
  private readonly statements = new Map<string, Database.Statement>();
  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private putDistrict(d: District): void {
    this.stmt(
      `INSERT INTO districts (partnership_id, id, name, local_authority_name, doc) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (partnership_id, id) DO UPDATE SET name = excluded.name,
         local_authority_name = excluded.local_authority_name, doc = excluded.doc`,
    ).run(d.partnershipId, d.id, d.name, d.localAuthorityName ?? null, docOf(d));
  }

  private writeProfile(p: Profile, doc: string, version: number): void {
    const s = p.threat.severity;
    this.stmt(
      `INSERT INTO profiles (partnership_id, district_id, version, severity_rank, severity_score,
         severity_rank_at_last_review, doc)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (partnership_id, district_id) DO UPDATE SET version = excluded.version,
         severity_rank = excluded.severity_rank, severity_score = excluded.severity_score,
         severity_rank_at_last_review = excluded.severity_rank_at_last_review, doc = excluded.doc`,
    ).run(p.partnershipId, p.districtId, version, s?.rank ?? null, s?.score ?? null, s?.rankAtLastReview ?? null, doc);
  }

  private writeTracked(
    table: 'gaps' | 'actions',
    partnershipId: string,
    ref: string,
    prefix: string,
    n: number,
    districtId: string,
    version: number,
    doc: string,
    facts: unknown,
  ): void {
    this.stmt(
      `INSERT INTO ${table} (partnership_id, ref, prefix, number, district_id, version, doc, facts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (partnership_id, ref) DO UPDATE SET district_id = excluded.district_id,
         version = excluded.version, doc = excluded.doc, facts = excluded.facts`,
    ).run(partnershipId, ref, prefix, n, districtId, version, doc, JSON.stringify(facts));
  }

  private tracked<
    T extends { ref: string; partnershipId: string; districtId: string },
    Draft extends { partnershipId: string; districtId: string },
    Facts,
  >(
    table: 'gaps' | 'actions',
    entity: 'gap' | 'action',
    prefixOf: (draft: Draft) => RefPrefix,
    factsOf: (record: T) => Facts,
  ): TrackedRepository<T, Draft, Facts> {
    return {
      get: async (partnershipId, ref) =>
        guard(() => {
          const row = this.stmt(`SELECT version, doc FROM ${table} WHERE partnership_id = ? AND ref = ?`).get(
            partnershipId,
            ref,
          ) as VersionedRow | undefined;
          return row && stored<T>(row.doc, row.version);
        }),
      listByDistrict: async (partnershipId, districtId) =>
        guard(() =>
          (
            this.stmt(
              `SELECT version, doc FROM ${table} WHERE partnership_id = ? AND district_id = ? ORDER BY prefix, number`,
            ).all(partnershipId, districtId) as VersionedRow[]
          ).map((r) => stored<T>(r.doc, r.version)),
        ),
      listForAssignee: async (partnershipId, who, statuses, limit, after) =>
        guard(() => {
          const among = statuses.map(() => '?').join(', ') || 'NULL';
          const from = afterKey(after);
          // Two index-ordered reads (named owner; the agency's with nobody named) merged by SQLite,
          // each stopping at the limit, rather than one OR that would sort every match.
          const page = from ? 'AND (due_order, prefix, number) > (?, ?, ?)' : '';
          return (
            this.stmt(
              `SELECT version, doc, due_order, prefix, number FROM ${table}
                 WHERE partnership_id = ? AND owner = ? AND status IN (${among}) ${page}
               UNION ALL
               SELECT version, doc, due_order, prefix, number FROM ${table}
                 WHERE partnership_id = ? AND agency = ? AND owner IS NULL AND status IN (${among}) ${page}
               ORDER BY due_order, prefix, number
               LIMIT ?`,
            ).all(
              partnershipId,
              who.aadObjectId.toLowerCase(),
              ...statuses,
              ...(from ?? []),
              partnershipId,
              who.agencyId,
              ...statuses,
              ...(from ?? []),
              limit,
            ) as VersionedRow[]
          ).map((r) => stored<T>(r.doc, r.version));
        }),
      listDueBefore: async (partnershipId, isoDate, statuses, limit, after) =>
        guard(() => {
          const from = afterKey(after);
          return (
            this.stmt(
              `SELECT version, doc FROM ${table}
                 WHERE partnership_id = ? AND due_order < ?
                   AND status IN (${statuses.map(() => '?').join(', ') || 'NULL'})
                   ${from ? 'AND (due_order, prefix, number) > (?, ?, ?)' : ''}
                 ORDER BY due_order, prefix, number
                 LIMIT ?`,
            ).all(partnershipId, isoDate, ...statuses, ...(from ?? []), limit) as VersionedRow[]
          ).map((r) => stored<T>(r.doc, r.version));
        }),
      factsByDistrict: async (partnershipId, districtId) =>
        guard(() =>
          (
            this.stmt(
              `SELECT facts FROM ${table} WHERE partnership_id = ? AND district_id = ? ORDER BY prefix, number`,
            ).all(partnershipId, districtId) as { facts: string }[]
          ).map((r) => JSON.parse(r.facts) as Facts),
        ),
      create: async (draft, audit) =>
        guard(() =>
          this.db.transaction(() => {
            const prefix = prefixOf(draft);
            const { value } = this.stmt(
              `INSERT INTO counters (partnership_id, prefix, value) VALUES (?, ?, 1)
               ON CONFLICT (partnership_id, prefix) DO UPDATE SET value = value + 1 RETURNING value`,
            ).get(draft.partnershipId, prefix) as { value: number };
            const ref = formatRef(prefix, value);
            const record = { ...draft, ref } as unknown as T;
            const doc = docOf(record);
            this.writeTracked(
              table,
              draft.partnershipId,
              ref,
              prefix,
              value,
              draft.districtId,
              1,
              doc,
              factsOf(record),
            );
            this.audit_.write(draft.partnershipId, entity, ref, audit, null, doc);
            return stored<T>(doc, 1);
          })(),
        ),
      replace: async (record, ifMatch, audit) =>
        guard(() =>
          this.db.transaction(() => {
            const row = this.stmt(`SELECT version, doc FROM ${table} WHERE partnership_id = ? AND ref = ?`).get(
              record.partnershipId,
              record.ref,
            ) as VersionedRow | undefined;
            if (!row) throw new NotFoundError(entity, record.ref);
            if (String(row.version) !== ifMatch) throw new ConcurrencyError(entity, record.ref);
            const parsed = parseRef(record.ref)!;
            const doc = docOf(record);
            this.writeTracked(
              table,
              record.partnershipId,
              record.ref,
              parsed.prefix,
              parsed.n,
              record.districtId,
              row.version + 1,
              doc,
              factsOf(record),
            );
            this.audit_.write(record.partnershipId, entity, record.ref, audit, row.doc, doc);
            return stored<T>(doc, row.version + 1);
          })(),
        ),
    };
  }
}

/** A list cursor as the columns of the list order (due_order, prefix, number). */
function afterKey(after: ListCursor | undefined): [string, string, number] | undefined {
  if (!after) return undefined;
  const ref = parseRef(after.ref);
  if (!ref) throw new ValidationError(`${after.ref} is not a reference`, ['ref']);
  return [after.due ?? '~', ref.prefix, ref.n];
}

class AuditWriter {
  private readonly insert: Database.Statement;

  constructor(db: Db) {
    this.insert = db.prepare(
      'INSERT INTO audit (id, partnership_id, entity_type, entity_id, at, doc) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  /** `before` and `after` are the stored JSON documents, so the event holds exactly what was stored. */
  write(
    partnershipId: string,
    entityType: AuditEntity,
    entityId: string,
    ctx: AuditContext,
    before: string | null,
    after: string | null,
  ): void {
    const event: AuditEvent = {
      id: randomUUID(),
      partnershipId,
      entityType,
      entityId,
      action: ctx.action,
      actor: ctx.actor,
      at: ctx.at,
      before: before === null ? null : (JSON.parse(before) as unknown),
      after: after === null ? null : (JSON.parse(after) as unknown),
    };
    this.insert.run(event.id, partnershipId, entityType, entityId, ctx.at, JSON.stringify(event));
  }
}

/** A record cut to the CHANGE_FIELDS it has, as the Cosmos adapter's listChanges projects it. */
function changeFieldsOf(record: unknown): unknown {
  if (typeof record !== 'object' || record === null) return record ?? null;
  const out: Record<string, unknown> = {};
  for (const f of CHANGE_FIELDS) {
    const value = (record as Record<string, unknown>)[f];
    if (value !== undefined) out[f] = value;
  }
  return out;
}
