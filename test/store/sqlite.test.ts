import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runStoreContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'soc-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreContract('sqlite', { make: async () => openSqliteStore({ file: join(dir, 'store.db') }) });
