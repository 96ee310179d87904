import type Database from 'better-sqlite3';
import { actionFacts, type FourPAction } from '../../domain/action.js';
import { gapFacts, type IntelligenceGap } from '../../domain/gap.js';

/**
 * The embedded store's schema. Each record is kept whole as JSON in `doc` (the same document the
 * Cosmos adapter stores), with the columns that queries filter or order on pulled out beside it.
 * `version` is the optimistic-concurrency token: it goes up by one on every write.
 *
 * Migrations are ordered SQL or functions keyed by PRAGMA user_version, each run in the same
 * transaction as the version bump; add, never edit.
 */
export type Migration = string | ((db: Database.Database) => void);

/** Version 2: each gap and action also keeps its facts (what the summary counts) beside the record. */
function addFacts(db: Database.Database): void {
  db.exec('ALTER TABLE gaps ADD COLUMN facts TEXT; ALTER TABLE actions ADD COLUMN facts TEXT;');
  const backfill = (table: 'gaps' | 'actions', factsOf: (doc: string) => unknown) => {
    const update = db.prepare(`UPDATE ${table} SET facts = ? WHERE partnership_id = ? AND ref = ?`);
    const rows = db.prepare(`SELECT partnership_id, ref, doc FROM ${table}`).all() as {
      partnership_id: string;
      ref: string;
      doc: string;
    }[];
    for (const r of rows) update.run(JSON.stringify(factsOf(r.doc)), r.partnership_id, r.ref);
  };
  backfill('gaps', (doc) => gapFacts(JSON.parse(doc) as IntelligenceGap));
  backfill('actions', (doc) => actionFacts(JSON.parse(doc) as FourPAction));
}

/**
 * Migration 6's triggers on one table: after an insert, update or delete (and, for records that
 * can move, a move's old district), the district's stamp is created at 0 if missing, then bumped.
 * (No INSERT OR IGNORE: an outer upsert's conflict clause would override it inside the trigger.)
 */
function stampTriggers(table: string, districtColumn: string, canMove = false): string {
  const bump = (row: 'NEW' | 'OLD') => {
    const where = `partnership_id = ${row}.partnership_id AND district_id = ${row}.${districtColumn}`;
    return `INSERT INTO district_stamps (partnership_id, district_id, version) SELECT ${row}.partnership_id, ${row}.${districtColumn}, 0
      WHERE NOT EXISTS (SELECT 1 FROM district_stamps WHERE ${where});
    UPDATE district_stamps SET version = version + 1 WHERE ${where};`;
  };
  const triggers = [
    `CREATE TRIGGER ${table}_stamp_insert AFTER INSERT ON ${table} BEGIN\n    ${bump('NEW')}\n  END;`,
    `CREATE TRIGGER ${table}_stamp_update AFTER UPDATE ON ${table} BEGIN\n    ${bump('NEW')}\n  END;`,
    `CREATE TRIGGER ${table}_stamp_delete AFTER DELETE ON ${table} BEGIN\n    ${bump('OLD')}\n  END;`,
  ];
  if (canMove) {
    triggers.push(
      `CREATE TRIGGER ${table}_stamp_moved AFTER UPDATE OF district_id ON ${table} WHEN OLD.district_id <> NEW.district_id BEGIN\n    ${bump('OLD')}\n  END;`,
    );
  }
  return triggers.join('\n  ');
}

export const MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE partnerships (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE TABLE agencies (
    partnership_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (partnership_id, id)
  );
  CREATE TABLE members (
    aad_object_id TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX members_by_partnership ON members (partnership_id, display_name);
  CREATE TABLE districts (
    partnership_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    local_authority_name TEXT,
    doc TEXT NOT NULL,
    PRIMARY KEY (partnership_id, id)
  );
  CREATE INDEX districts_by_name ON districts (partnership_id, name, id);
  CREATE TABLE profiles (
    partnership_id TEXT NOT NULL,
    district_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    severity_rank INTEGER,
    severity_score REAL,
    severity_rank_at_last_review INTEGER,
    doc TEXT NOT NULL,
    PRIMARY KEY (partnership_id, district_id)
  );
  CREATE INDEX profiles_by_severity ON profiles (partnership_id, severity_rank, district_id)
    WHERE severity_rank IS NOT NULL;
  CREATE TABLE gaps (
    partnership_id TEXT NOT NULL,
    ref TEXT NOT NULL,
    prefix TEXT NOT NULL,
    number INTEGER NOT NULL,
    district_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (partnership_id, ref)
  );
  CREATE INDEX gaps_by_district ON gaps (partnership_id, district_id, prefix, number);
  CREATE TABLE actions (
    partnership_id TEXT NOT NULL,
    ref TEXT NOT NULL,
    prefix TEXT NOT NULL,
    number INTEGER NOT NULL,
    district_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (partnership_id, ref)
  );
  CREATE INDEX actions_by_district ON actions (partnership_id, district_id, prefix, number);
  CREATE TABLE counters (
    partnership_id TEXT NOT NULL,
    prefix TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (partnership_id, prefix)
  );
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    partnership_id TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    at TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX audit_by_entity ON audit (partnership_id, entity_type, entity_id, at, seq);
  CREATE INDEX audit_by_time ON audit (partnership_id, at, seq);
  CREATE TABLE conversations (
    tenant_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    aad_object_id TEXT,
    kind TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (tenant_id, conversation_id)
  );
  CREATE INDEX conversations_personal ON conversations (tenant_id, aad_object_id, kind, updated_at);
  CREATE TABLE board_channels (
    partnership_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    added_at TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (partnership_id, conversation_id)
  );
  `,
  addFacts,
  // Version 3: job leases and weekly digest deliveries (one per channel per week).
  `
  CREATE TABLE job_leases (
    partnership_id TEXT NOT NULL,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (partnership_id, name)
  );
  CREATE TABLE digest_deliveries (
    partnership_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    week TEXT NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (partnership_id, conversation_id, week)
  );
  `,
  // Version 4: who a gap or action is with, its status and due date, read from the record and
  // indexed, so `my tasks` and `overdue` read only the records they list.
  `
  ALTER TABLE gaps ADD COLUMN status TEXT GENERATED ALWAYS AS (json_extract(doc, '$.status')) VIRTUAL;
  ALTER TABLE gaps ADD COLUMN owner TEXT GENERATED ALWAYS AS (json_extract(doc, '$.ownerAadObjectId')) VIRTUAL;
  ALTER TABLE gaps ADD COLUMN agency TEXT GENERATED ALWAYS AS (json_extract(doc, '$.ownerAgencyId')) VIRTUAL;
  ALTER TABLE gaps ADD COLUMN due TEXT GENERATED ALWAYS AS (json_extract(doc, '$.due')) VIRTUAL;
  CREATE INDEX gaps_by_owner ON gaps (partnership_id, owner);
  CREATE INDEX gaps_by_agency ON gaps (partnership_id, agency, owner);
  CREATE INDEX gaps_by_due ON gaps (partnership_id, due);
  ALTER TABLE actions ADD COLUMN status TEXT GENERATED ALWAYS AS (json_extract(doc, '$.status')) VIRTUAL;
  ALTER TABLE actions ADD COLUMN owner TEXT GENERATED ALWAYS AS (json_extract(doc, '$.ownerAadObjectId')) VIRTUAL;
  ALTER TABLE actions ADD COLUMN agency TEXT GENERATED ALWAYS AS (json_extract(doc, '$.leadAgencyId')) VIRTUAL;
  ALTER TABLE actions ADD COLUMN due TEXT GENERATED ALWAYS AS (json_extract(doc, '$.due')) VIRTUAL;
  CREATE INDEX actions_by_owner ON actions (partnership_id, owner);
  CREATE INDEX actions_by_agency ON actions (partnership_id, agency, owner);
  CREATE INDEX actions_by_due ON actions (partnership_id, due);
  `,
  // Version 5: `my tasks` and `overdue` sorted and paged by an index that holds the whole order
  // (undated last, as "~" sorts after any date) and the status, so a page reads only its own rows.
  `
  ALTER TABLE gaps ADD COLUMN due_order TEXT GENERATED ALWAYS AS (coalesce(json_extract(doc, '$.due'), '~')) VIRTUAL;
  DROP INDEX gaps_by_owner;
  DROP INDEX gaps_by_agency;
  DROP INDEX gaps_by_due;
  CREATE INDEX gaps_by_owner ON gaps (partnership_id, owner, due_order, prefix, number, status);
  CREATE INDEX gaps_by_agency ON gaps (partnership_id, agency, owner, due_order, prefix, number, status);
  CREATE INDEX gaps_by_due ON gaps (partnership_id, due_order, prefix, number, status);
  ALTER TABLE actions ADD COLUMN due_order TEXT GENERATED ALWAYS AS (coalesce(json_extract(doc, '$.due'), '~')) VIRTUAL;
  DROP INDEX actions_by_owner;
  DROP INDEX actions_by_agency;
  DROP INDEX actions_by_due;
  CREATE INDEX actions_by_owner ON actions (partnership_id, owner, due_order, prefix, number, status);
  CREATE INDEX actions_by_agency ON actions (partnership_id, agency, owner, due_order, prefix, number, status);
  CREATE INDEX actions_by_due ON actions (partnership_id, due_order, prefix, number, status);
  `,
  // Version 6: each district's version stamp, bumped by triggers in the same transaction as any
  // write to the district, its profile, gaps or actions, so no write path can forget it and a
  // cache in any process sees the change on its next point read.
  `
  CREATE TABLE district_stamps (
    partnership_id TEXT NOT NULL,
    district_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (partnership_id, district_id)
  );
  ${stampTriggers('districts', 'id')}
  ${stampTriggers('profiles', 'district_id')}
  ${stampTriggers('gaps', 'district_id', true)}
  ${stampTriggers('actions', 'district_id', true)}
  `,
  // Version 7: reminder deliveries, one per key (owners' reminders, escalations, review alerts).
  `
  CREATE TABLE reminder_deliveries (
    partnership_id TEXT NOT NULL,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (partnership_id, key)
  );
  `,
  // Version 8: access requests (issue 16), one per partnership and requester, with a version for
  // the optimistic concurrency that lets only one admin decide a request.
  `
  CREATE TABLE access_requests (
    partnership_id TEXT NOT NULL,
    aad_object_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (partnership_id, aad_object_id)
  );
  `,
  // Version 9 (7 and 8 belong to other branches; written so it applies in any order): task cards
  // waiting for their owner's app install through Microsoft Graph, one per person and task.
  `
  CREATE TABLE IF NOT EXISTS awaiting_installs (
    partnership_id TEXT NOT NULL,
    aad_object_id TEXT NOT NULL,
    ref TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (partnership_id, aad_object_id, ref)
  );
  `,
];
