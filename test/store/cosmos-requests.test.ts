import { createHttpsServer } from '@vercel/cosmosdb-server';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GapDraft, IntelligenceGap } from '../../src/domain/gap.js';
import { asBackgroundWork } from '../../src/store/background-work.js';
import { newMeter } from '../../src/store/cosmos/calls.js';
import { openCosmosStore } from '../../src/store/cosmos/cosmos-store.js';

/**
 * What the Cosmos adapter puts on the wire, seen by a thin layer in front of the local Cosmos
 * server: the priority of background work, and throttled (429) pages of a long query.
 */
const KEY = 'a-key-the-local-server-ignores';
const agent = new https.Agent({ rejectUnauthorized: false });
const T0 = '2026-03-02T09:00:00.000Z';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: https.Server;
let endpoint: string;
const seen: { query: boolean; priority: string | undefined }[] = [];
/** When set, the first attempt of each query page is answered 429 with this retry-after. */
let throttleMs: number | undefined;
const throttled = new Set<string>();
let throttles = 0;

beforeAll(async () => {
  server = createHttpsServer();
  const cosmos = server.listeners('request') as Handler[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const query = req.headers['x-ms-documentdb-isquery'] === 'true';
    seen.push({ query, priority: req.headers['x-ms-cosmos-priority-level'] as string | undefined });
    const page = `${req.url} ${req.headers['x-ms-continuation'] ?? 'first'}`;
    if (query && throttleMs !== undefined && !throttled.has(page)) {
      throttled.add(page);
      throttles += 1;
      res.writeHead(429, { 'content-type': 'application/json', 'x-ms-retry-after-ms': String(throttleMs) });
      res.end(JSON.stringify({ code: 'TooManyRequests', message: 'Request rate is large' }));
      return;
    }
    for (const handle of cosmos) handle.call(server, req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function gaps(pid: string, n: number): IntelligenceGap[] {
  return Array.from({ length: n }, (_, i) =>
    IntelligenceGap.parse({
      ...GapDraft.parse({
        partnershipId: pid,
        districtId: 'E05001347',
        question: `Question ${i + 1}`,
        status: 'open',
        createdBy: 'system:import',
        createdAt: T0,
        updatedAt: T0,
      }),
      ref: `G-${i + 1}`,
    }),
  );
}

describe('Cosmos adapter requests', () => {
  it('sends background work (jobs, imports) at low priority, and a turn’s reads at the default', async () => {
    const store = await openCosmosStore({ endpoint, key: KEY, databaseId: `prio-${randomUUID()}`, agent });
    try {
      seen.length = 0;
      await store.audit.listSince('p-1', T0, 10);
      await store.gaps.get('p-1', 'G-1');
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((r) => r.priority === undefined)).toBe(true);

      seen.length = 0;
      await asBackgroundWork(async () => {
        await store.audit.listChanges('p-1', T0, '2026-03-09T09:00:00.000Z', 10);
        await store.bulkLoad(
          'p-1',
          { districts: [], profiles: [], gaps: gaps('p-1', 3), actions: [] },
          {
            actor: 'system:import',
            action: 'import.run',
            at: T0,
          },
        );
      });
      expect(seen.length).toBeGreaterThan(2);
      expect(seen.every((r) => r.priority === 'Low')).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('reads about `limit` documents for `my tasks` and `overdue`, however many records match', async () => {
    const meter = newMeter();
    const store = await openCosmosStore({ endpoint, key: KEY, databaseId: `bounded-${randomUUID()}`, agent, meter });
    try {
      const pid = 'p-backlog';
      const backlog = gaps(pid, 300).map((g, i) => ({
        ...g,
        status: 'assigned' as const,
        ownerAgencyId: 'council',
        ...(i % 3 === 0 ? {} : { due: `2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}` }),
      }));
      await store.bulkLoad(
        pid,
        { districts: [], profiles: [], gaps: backlog, actions: [] },
        {
          actor: 'system:import',
          action: 'import.run',
          at: T0,
        },
      );
      const read = async (list: () => Promise<unknown[]>) => {
        const before = meter.documentsRead;
        expect(await list()).toHaveLength(25);
        return meter.documentsRead - before;
      };
      const who = { aadObjectId: randomUUID(), agencyId: 'council' };
      // 25 taken, and the others due on the 25th's date (at most a dozen here), not all 300.
      expect(await read(() => store.gaps.listForAssignee(pid, who, ['assigned'], 25))).toBeLessThanOrEqual(40);
      expect(await read(() => store.gaps.listDueBefore(pid, '2027-01-01', ['assigned'], 25))).toBeLessThanOrEqual(40);
    } finally {
      await store.close();
    }
  });

  it('gives each page of a long query its own deadline, so throttled pages are retried, not timed out', async () => {
    const requestTimeoutMs = 1_000;
    const store = await openCosmosStore({
      endpoint,
      key: KEY,
      databaseId: `pages-${randomUUID()}`,
      agent,
      requestTimeoutMs,
    });
    try {
      const pid = 'p-paged';
      await store.bulkLoad(
        pid,
        { districts: [], profiles: [], gaps: gaps(pid, 250), actions: [] },
        {
          actor: 'system:import',
          action: 'import.run',
          at: T0,
        },
      );
      // Three pages of 100, each throttled once for 450 ms: 1.35 s in all, more than one deadline.
      throttleMs = 450;
      throttles = 0;
      const started = performance.now();
      const listed = await store.gaps.listByDistrict(pid, 'E05001347');
      expect(performance.now() - started).toBeGreaterThan(requestTimeoutMs);
      expect(listed).toHaveLength(250);
      expect(throttles).toBe(3);
    } finally {
      throttleMs = undefined;
      await store.close();
    }
  });
});
