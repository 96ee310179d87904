import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tenWeeksOfReminders } from './reminder-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'soc-reminders-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reminder job on SQLite', () => {
  it('ten weeks, 200 items, two instances on one database file: each reminder exactly once, in working hours, none after an item closes', async () => {
    const file = join(dir, 'reminders.db');
    await tenWeeksOfReminders(async () => openSqliteStore({ file }));
  }, 600_000);
});
