import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/sqlite/schema.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

let dir: string | undefined;
const randomish = 'aaaaaaaa-0000-0000-0000-000000000009';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('brings a version-1 database up to date, deriving the facts and task columns of the gaps and actions it holds', async () => {
  dir = mkdtempSync(join(tmpdir(), 'soc-migrate-'));
  const file = join(dir, 'v1.db');
  const v1 = new Database(file);
  v1.exec(MIGRATIONS[0] as string);
  v1.pragma('user_version = 1');
  const at = '2026-01-01T00:00:00.000Z';
  const gap = {
    partnershipId: 'p',
    districtId: 'd',
    question: 'Who runs the line?',
    classification: 'OFFICIAL-SENSITIVE',
    status: 'assigned',
    ownerAgencyId: 'council',
    due: '2026-02-01',
    createdBy: 'x',
    createdAt: at,
    updatedAt: at,
    ref: 'G-1',
  };
  v1.prepare(
    `INSERT INTO gaps (partnership_id, ref, prefix, number, district_id, version, doc) VALUES ('p', 'G-1', 'G', 1, 'd', 3, ?)`,
  ).run(JSON.stringify(gap));
  v1.close();

  const store = openSqliteStore({ file });
  try {
    expect(await store.gaps.factsByDistrict('p', 'd')).toStrictEqual([
      {
        ref: 'G-1',
        status: 'assigned',
        classification: 'OFFICIAL-SENSITIVE',
        due: '2026-02-01',
        ownerAgencyId: 'council',
      },
    ]);
    expect((await store.gaps.get('p', 'G-1'))?.etag).toBe('3');
    // Records written before version 3 are found by who has them and by due date.
    const open = ['open', 'assigned', 'in_progress'];
    const mine = await store.gaps.listForAssignee('p', { aadObjectId: randomish, agencyId: 'council' }, open, 10);
    expect(mine.map((g) => g.ref)).toEqual(['G-1']);
    expect((await store.gaps.listDueBefore('p', '2026-03-01', open, 10)).map((g) => g.ref)).toEqual(['G-1']);
  } finally {
    await store.close();
  }
  const reopened = new Database(file);
  expect(reopened.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  reopened.close();
});
