import { createHttpsServer } from '@vercel/cosmosdb-server';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemberAdmin } from '../../src/services/member-admin.js';
import { PartnershipImport } from '../../src/services/partnership-import.js';
import { openCosmosStore } from '../../src/store/cosmos/cosmos-store.js';
import type { Store } from '../../src/store/store.js';

/**
 * The same import on the Cosmos DB adapter, over HTTPS to @vercel/cosmosdb-server on loopback:
 * the history, the own-format records and idempotence do not depend on SQLite.
 */
const MINI = join(import.meta.dirname, '../fixtures/data/mini');
const EXAMPLES = join(import.meta.dirname, '../../datasets/examples');
const FILES = [
  join(MINI, 'lookup/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv'),
  join(MINI, 'imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv'),
  join(MINI, 'imd/File_6_-_IoD2019_Population_Denominators.csv'),
  join(MINI, 'crime/2019-04-merseyside-street.csv'),
  join(MINI, 'crime/2019-10-merseyside-street.csv'),
  ...['agencies.csv', 'members.csv', 'ocgs.csv', 'gaps.csv', 'actions.csv', 'indicators.csv', 'partnership.json'].map(
    (f) => join(EXAMPLES, f),
  ),
];
const now = () => new Date('2026-03-02T09:00:00Z');

let server: https.Server;
let store: Store;
let dir: string;

beforeAll(async () => {
  server = createHttpsServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new https.Agent({ rejectUnauthorized: false });
  store = await openCosmosStore({ endpoint, key: 'ignored', databaseId: `import-${randomUUID()}`, agent });
  await new MemberAdmin(store, now, 'system:cli').addPartnership({ id: 'mersey', name: 'Merseyside', force: 'MP' });
  dir = mkdtempSync(join(tmpdir(), 'soc-import-cosmos-'));
});
afterAll(async () => {
  await store?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const run = (files: string[]) =>
  new PartnershipImport(store, now, 'system:import').run({
    partnershipId: 'mersey',
    files,
    localAuthorityCodes: ['E08000012', 'E08000014', 'E08000015'],
    dryRun: false,
    skipInvalid: false,
  });

describe('the import on Cosmos DB', () => {
  it('writes nothing when a row is invalid', async () => {
    const gaps = join(dir, 'gaps.csv');
    writeFileSync(gaps, 'ref,districtId,question,status\nG-9,E05000936,Which premises?,unknown\n');
    const result = await run([...FILES, gaps]);
    expect(result.refused).toBe(true);
    expect(await store.districts.count('mersey')).toBe(0);
    expect(await store.agencies.list('mersey')).toEqual([]);
  });

  it('keeps the history and scores, and a second import of the same files changes nothing', async () => {
    await run(FILES);
    const greasby = (await store.profiles.get('mersey', 'E05000961'))!;
    expect(greasby.threat.crime.map((c) => c.severity)).toEqual([
      { score: 1.06366, rank: 3, outOf: 3, crimeRate: 2.5 },
      { score: 0.34931, rank: 3, outOf: 3, crimeRate: 1.3 },
    ]);
    expect(greasby.threat.ocgs.map((o) => o.ref)).toEqual(['OCG-31']);
    const audit = await store.audit.listSince('mersey', '2000-01-01T00:00:00.000Z', 10_000);

    const again = await run(FILES);
    expect(again.profiles).toEqual({ added: 0, changed: 0, unchanged: 3 });
    expect(await store.profiles.get('mersey', 'E05000961')).toEqual(greasby);
    expect(await store.audit.listSince('mersey', '2000-01-01T00:00:00.000Z', 10_000)).toEqual(audit);
    expect((await store.gaps.get('mersey', 'G-3'))?.ownerAgencyId).toBe('merseyside-fire');
  });
});
