import { CosmosClient } from '@azure/cosmos';
import { createHttpsServer } from '@vercel/cosmosdb-server';
import { randomUUID, createHash } from 'node:crypto';
import { once } from 'node:events';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/domain/audit.js';
import { ConfigError, StoreUnavailableError } from '../../src/domain/errors.js';
import { GapDraft } from '../../src/domain/gap.js';
import { Member } from '../../src/domain/member.js';
import { CONTAINERS } from '../../src/store/cosmos/containers.js';
import { openCosmosStore } from '../../src/store/cosmos/cosmos-store.js';
import { runStoreContract } from './contract.js';

/**
 * The Cosmos adapter over real HTTPS against @vercel/cosmosdb-server on loopback, started here on
 * a random port: the run never depends on an environment variable. The server's certificate is
 * self-signed, hence the test-only agent that accepts it.
 */
const KEY = 'a-key-the-local-server-ignores';
const agent = new https.Agent({ rejectUnauthorized: false });

interface RunningServer {
  server: https.Server | net.Server;
  port: number;
  endpoint: string;
}

async function listen<S extends https.Server | net.Server>(server: S, port = 0): Promise<RunningServer> {
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const actual = (server.address() as AddressInfo).port;
  return { server, port: actual, endpoint: `https://127.0.0.1:${actual}` };
}

async function stop(running: RunningServer): Promise<void> {
  const closed = new Promise<void>((resolve) => running.server.close(() => resolve()));
  if ('closeAllConnections' in running.server) running.server.closeAllConnections();
  await closed;
}

let cosmos: RunningServer;
let raw: CosmosClient;
const databaseId = `contract-${randomUUID()}`;

beforeAll(async () => {
  cosmos = await listen(createHttpsServer());
  raw = new CosmosClient({ endpoint: cosmos.endpoint, key: KEY, agent });
});

afterAll(async () => {
  await raw?.dispose();
  if (cosmos) await stop(cosmos);
});

runStoreContract('cosmos', {
  make: () => openCosmosStore({ endpoint: cosmos.endpoint, key: KEY, databaseId, agent }),
  backdoor: {
    async auditEvents(partnershipId) {
      const { resources } = await raw
        .database(databaseId)
        .container(CONTAINERS.data.id)
        .items.query<AuditEvent>(
          {
            query: `SELECT VALUE c.record FROM c WHERE c.partnershipId = @p AND c.type = 'audit'`,
            parameters: [{ name: '@p', value: partnershipId }],
          },
          { partitionKey: partnershipId },
        )
        .fetchAll();
      return resources;
    },
  },
});

describe('Cosmos store', () => {
  it('creates the database and its containers, partitioned as designed, when missing', async () => {
    const fresh = `fresh-${randomUUID()}`;
    const store = await openCosmosStore({ endpoint: cosmos.endpoint, key: KEY, databaseId: fresh, agent });
    await store.ping();
    await store.close();

    for (const definition of Object.values(CONTAINERS)) {
      const { resource } = await raw.database(fresh).container(definition.id).read();
      expect(resource?.partitionKey?.paths).toEqual(definition.partitionKey.paths);
      expect(resource?.indexingPolicy?.compositeIndexes ?? []).toEqual(
        'compositeIndexes' in definition.indexingPolicy ? definition.indexingPolicy.compositeIndexes : [],
      );
    }

    // Opening again finds them and creates nothing.
    const again = await openCosmosStore({ endpoint: cosmos.endpoint, key: KEY, databaseId: fresh, agent });
    await again.ping();
    await again.close();
  });

  it('refuses a container partitioned otherwise', async () => {
    const wrong = `wrong-${randomUUID()}`;
    const { database } = await raw.databases.createIfNotExists({ id: wrong });
    await database.containers.create({ id: CONTAINERS.members.id, partitionKey: { paths: ['/partnershipId'] } });
    await expect(openCosmosStore({ endpoint: cosmos.endpoint, key: KEY, databaseId: wrong, agent })).rejects.toThrow(
      ConfigError,
    );
  });

  it('keeps the message path on point reads: member by pointer then partnership, gap by partnership, chat by tenant', async () => {
    const store = await openCosmosStore({ endpoint: cosmos.endpoint, key: KEY, databaseId, agent });
    try {
      const pid = `p-${randomUUID().slice(0, 13)}`;
      const now = new Date().toISOString();
      const aad = randomUUID();
      await store.members.create(
        Member.parse({
          aadObjectId: aad,
          partnershipId: pid,
          agencyId: 'wyp',
          displayName: 'Priya Shah',
          roles: ['officer'],
          createdAt: now,
          updatedAt: now,
        }),
        { actor: aad, action: 'member.created', at: now },
      );
      const gap = await store.gaps.create(
        GapDraft.parse({
          partnershipId: pid,
          districtId: 'E05001347',
          question: 'Where are the cuckooed addresses?',
          status: 'open',
          createdBy: aad,
          createdAt: now,
          updatedAt: now,
        }),
        { actor: aad, action: 'gap.created', at: now },
      );
      const tenant = randomUUID();
      const conversationId = `a:1${randomUUID()}/with?odd#chars`;
      await store.conversations.put({
        tenantId: tenant,
        conversationId,
        kind: 'personal',
        aadObjectId: aad,
        serviceUrl: 'https://smba.trafficmanager.net/uk/',
        reference: { conversation: { id: conversationId } },
        updatedAt: now,
      });

      const db = raw.database(databaseId);
      const pointer = await db.container('members').item(aad, aad).read();
      expect(pointer.resource).toMatchObject({ id: aad, partnershipId: pid, type: 'member-pointer' });
      expect(pointer.resource).not.toHaveProperty('record.displayName');
      const member = await db.container('partnership-data').item(`member:${aad}`, pid).read();
      expect(member.resource).toMatchObject({
        partnershipId: pid,
        type: 'member',
        record: { displayName: 'Priya Shah' },
      });
      const roster = await db.container('partnership-data').item('roster:members', pid).read();
      expect(roster.resource?.record.members).toEqual([expect.objectContaining({ aadObjectId: aad })]);
      const gapDoc = await db.container('partnership-data').item(`gap:${gap.ref}`, pid).read();
      expect(gapDoc.resource).toMatchObject({ partnershipId: pid, type: 'gap', record: { ref: gap.ref } });
      expect(gapDoc.resource?._etag).toBe(gap.etag);
      const hashed = createHash('sha256').update(conversationId).digest('hex');
      const chat = await db.container('conversations').item(hashed, tenant).read();
      expect(chat.resource).toMatchObject({ tenantId: tenant, record: { conversationId } });
      const personal = await db.container('conversations').item(`personal:${aad}`, tenant).read();
      expect(personal.resource).toMatchObject({ tenantId: tenant, type: 'personal', record: { conversationId } });
    } finally {
      await store.close();
    }
  });

  describe('when the server is not answering', () => {
    const requestTimeoutMs = 1_000;

    /** Opens a store on a working server, then puts `replacement` (or nothing) on its port. */
    async function storeThenSwap(replacement?: https.Server | net.Server) {
      const own = await listen(createHttpsServer());
      const store = await openCosmosStore({
        endpoint: own.endpoint,
        key: KEY,
        databaseId: `down-${randomUUID()}`,
        agent,
        requestTimeoutMs,
      });
      await store.ping();
      await stop(own);
      const swapped = replacement ? await listen(replacement, own.port) : undefined;
      return {
        store,
        async cleanUp() {
          await store.close();
          if (swapped) await stop(swapped);
        },
      };
    }

    async function expectUnavailableWithin(call: () => Promise<unknown>, ms: number): Promise<void> {
      const started = performance.now();
      await expect(call()).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(performance.now() - started).toBeLessThan(ms);
    }

    it('answers StoreUnavailableError at once when the server has stopped', async () => {
      const { store, cleanUp } = await storeThenSwap();
      try {
        await expectUnavailableWithin(() => store.ping(), 3_000);
        await expectUnavailableWithin(() => store.members.get(randomUUID()), 3_000);
        await expectUnavailableWithin(() => store.gaps.listByDistrict('p-1', 'E05001347'), 3_000);
      } finally {
        await cleanUp();
      }
    });

    it('answers StoreUnavailableError within the request timeout when the server hangs', async () => {
      const held = new Set<net.Socket>();
      const silent = net.createServer((socket) => {
        held.add(socket);
        socket.on('close', () => held.delete(socket));
      });
      const { store, cleanUp } = await storeThenSwap(silent);
      try {
        await expectUnavailableWithin(() => store.ping(), requestTimeoutMs + 1_500);
        await expectUnavailableWithin(() => store.profiles.get('p-1', 'E05001347'), requestTimeoutMs + 1_500);
      } finally {
        for (const socket of held) socket.destroy();
        await cleanUp();
      }
    });

    for (const [what, status, body] of [
      ['a body that is not JSON', 200, '<html>Service temporarily moved</html>'],
      ['503 Service Unavailable', 503, JSON.stringify({ code: 'ServiceUnavailable', message: 'try later' })],
    ] as const) {
      it(`answers StoreUnavailableError for ${what}`, async () => {
        const nonsense = createHttpsServer();
        nonsense.removeAllListeners('request');
        nonsense.on('request', (_req, res) => {
          res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
          res.end(body);
        });
        const { store, cleanUp } = await storeThenSwap(nonsense);
        try {
          await expectUnavailableWithin(() => store.ping(), 3_000);
          await expectUnavailableWithin(() => store.members.get(randomUUID()), 3_000);
        } finally {
          await cleanUp();
        }
      });
    }
  });
});
