import { CosmosClient, type ContainerDefinition } from '@azure/cosmos';
import { createHttpsServer } from '@vercel/cosmosdb-server';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GapDraft } from '../../src/domain/gap.js';
import { Member } from '../../src/domain/member.js';
import { createLogger } from '../../src/log.js';
import { CONTAINERS } from '../../src/store/cosmos/containers.js';
import { openCosmosStore } from '../../src/store/cosmos/cosmos-store.js';

/**
 * The Cosmos adapter's own guarantees beyond the contract (issue 15): where members, rosters and
 * personal chats live, the move of data written by earlier versions, the indexing policy check at
 * start, and audit retention. Against @vercel/cosmosdb-server on loopback, read around the adapter
 * with a raw client.
 */
const KEY = 'a-key-the-local-server-ignores';
const agent = new https.Agent({ rejectUnauthorized: false });
const T0 = '2026-03-02T09:00:00.000Z';

let server: https.Server;
let endpoint: string;
let raw: CosmosClient;

beforeAll(async () => {
  server = createHttpsServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  raw = new CosmosClient({ endpoint, key: KEY, agent });
});

afterAll(async () => {
  await raw?.dispose();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
});

function member(partnershipId: string, displayName: string, aadObjectId = randomUUID()): Member {
  return Member.parse({
    aadObjectId,
    partnershipId,
    agencyId: 'west-yorkshire-police',
    displayName,
    roles: ['officer'],
    createdAt: T0,
    updatedAt: T0,
  });
}

function captured() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger('info', {
    write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>),
  } as unknown as NodeJS.WritableStream);
  return { log, lines };
}

/** A database whose containers exist as containers.ts declares them, with nothing in them. */
async function emptyDatabase(): Promise<string> {
  const id = `layout-${randomUUID()}`;
  const { database } = await raw.databases.createIfNotExists({ id });
  for (const definition of Object.values(CONTAINERS)) {
    await database.containers.create(structuredClone(definition) as ContainerDefinition);
  }
  return id;
}

describe('Cosmos layout: members', () => {
  it('writes a member and its audit event in one batch: when the event cannot be written, no member stands', async () => {
    const databaseId = await emptyDatabase();
    const store = await openCosmosStore({ endpoint, key: KEY, databaseId, agent });
    const pid = `p-${randomUUID().slice(0, 13)}`;
    const m = member(pid, 'Priya Shah');
    try {
      // The partition the audit trail lives in is gone: the event's write must fail.
      await raw.database(databaseId).container(CONTAINERS.data.id).delete();
      await expect(
        store.members.create(m, { actor: m.aadObjectId, action: 'member.created', at: T0 }),
      ).rejects.toThrow();
    } finally {
      await store.close();
    }
    const reopened = await openCosmosStore({ endpoint, key: KEY, databaseId, agent });
    try {
      await expect(reopened.members.get(m.aadObjectId)).resolves.toBeUndefined();
      await expect(reopened.members.listByPartnership(pid)).resolves.toEqual([]);
      // Created again once the store can write its event: nothing left over stands in the way.
      await reopened.members.create(m, { actor: m.aadObjectId, action: 'member.created', at: T0 });
      expect((await reopened.audit.listForEntity(pid, 'member', m.aadObjectId)).map((e) => e.action)).toEqual([
        'member.created',
      ]);
    } finally {
      await reopened.close();
    }
  });

  it('moves members and personal chats written by earlier versions at start, once, from instances starting together', async () => {
    const databaseId = await emptyDatabase();
    const db = raw.database(databaseId);
    const pid = `p-${randomUUID().slice(0, 13)}`;
    const tenant = randomUUID();
    const seeded = [member(pid, 'Zoe Adams'), member(pid, 'Amir Khan'), member(pid, 'Bella Ford')];
    // The old layout: the whole member in `members`, keyed by object id; personal chats only as
    // conversation documents, found by a query.
    for (const m of seeded) {
      await db.container('members').items.create({ id: m.aadObjectId, type: 'member', partnershipId: pid, record: m });
    }
    const chat = {
      tenantId: tenant,
      conversationId: `a:1${randomUUID()}`,
      kind: 'personal',
      aadObjectId: seeded[0]!.aadObjectId,
      serviceUrl: 'https://smba.trafficmanager.net/uk/',
      reference: { conversation: { id: 'x' } },
      updatedAt: T0,
    };
    await db.container('conversations').items.create({
      id: randomUUID().replace(/-/g, ''),
      type: 'conversation',
      tenantId: tenant,
      updatedMs: Date.parse(T0),
      record: chat,
    });

    const { log, lines } = captured();
    const stores = await Promise.all(
      [0, 1, 2].map(() => openCosmosStore({ endpoint, key: KEY, databaseId, agent, log })),
    );
    try {
      const [store] = stores;
      const sorted = [seeded[1], seeded[2], seeded[0]];
      expect(await store!.members.listByPartnership(pid)).toStrictEqual(sorted);
      for (const m of seeded) {
        const pointer = await db.container('members').item(m.aadObjectId, m.aadObjectId).read();
        expect(pointer.resource).toMatchObject({ type: 'member-pointer', partnershipId: pid });
        expect(pointer.resource).not.toHaveProperty('record.displayName');
      }
      expect(await store!.conversations.findPersonal(tenant, seeded[0]!.aadObjectId)).toStrictEqual(chat);
      // Moving is not a change: no audit event.
      expect(await store!.audit.listSince(pid, '2000-01-01T00:00:00.000Z', 100)).toEqual([]);

      // A moved member is changed as any other: with the etag read, audited.
      const read = await store!.members.get(seeded[0]!.aadObjectId);
      await store!.members.replace({ ...read!, roles: ['coordinator'] }, read!.etag, {
        actor: seeded[1]!.aadObjectId,
        action: 'member.roles',
        at: T0,
      });
      expect((await store!.audit.listForEntity(pid, 'member', seeded[0]!.aadObjectId)).map((e) => e.action)).toEqual([
        'member.roles',
      ]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    expect(lines.filter((l) => l.level === 50)).toEqual([]);

    // A later start finds nothing to move, and moves nothing back.
    const roster = await db.container(CONTAINERS.data.id).item('roster:members', pid).read();
    const again = await openCosmosStore({ endpoint, key: KEY, databaseId, agent });
    await again.close();
    const after = await db.container(CONTAINERS.data.id).item('roster:members', pid).read();
    expect(after.resource?._etag).toBe(roster.resource?._etag);
  });
});

describe('Cosmos layout: indexing policy and retention', () => {
  it('logs an error naming the container and what differs when its indexing policy is not as declared', async () => {
    const databaseId = `drift-${randomUUID()}`;
    const { database } = await raw.databases.createIfNotExists({ id: databaseId });
    const declared = structuredClone(CONTAINERS.data) as ContainerDefinition & typeof CONTAINERS.data;
    const drifted = {
      ...declared,
      defaultTtl: undefined,
      indexingPolicy: {
        ...declared.indexingPolicy,
        compositeIndexes: declared.indexingPolicy.compositeIndexes.filter((c) => c[0]!.path !== '/record/entityType'),
        excludedPaths: [...declared.indexingPolicy.excludedPaths, { path: '/record/question/?' }],
      },
    };
    await database.containers.create(drifted as ContainerDefinition);

    const { log, lines } = captured();
    const store = await openCosmosStore({ endpoint, key: KEY, databaseId, agent, log });
    await store.close();

    const errors = lines.filter((l) => l.level === 50);
    expect(errors).toEqual([
      expect.objectContaining({
        container: 'partnership-data',
        differences: [
          'excluded path /record/question/? is not in containers.ts',
          'composite index /record/entityType ascending, /record/entityId ascending, /atMs ascending, /seq ascending is missing',
          'defaultTtl is off, not -1',
        ],
      }),
    ]);

    // Containers as declared: nothing to report.
    const clean = captured();
    const fresh = await openCosmosStore({
      endpoint,
      key: KEY,
      databaseId: `clean-${randomUUID()}`,
      agent,
      log: clean.log,
    });
    await fresh.close();
    expect(clean.lines.filter((l) => l.level === 50)).toEqual([]);
  });

  it('gives audit events an item TTL of the configured retention, and none by default', async () => {
    const databaseId = await emptyDatabase();
    const pid = `p-${randomUUID().slice(0, 13)}`;
    const draft = GapDraft.parse({
      partnershipId: pid,
      districtId: 'E05001347',
      question: 'Where are the cuckooed addresses?',
      status: 'open',
      createdBy: 'system:test',
      createdAt: T0,
      updatedAt: T0,
    });
    const ttls = async () => {
      const { resources } = await raw
        .database(databaseId)
        .container(CONTAINERS.data.id)
        .items.query<{ ttl?: number; type: string }>({
          query: `SELECT c.ttl, c.type FROM c WHERE c.partnershipId = @p`,
          parameters: [{ name: '@p', value: pid }],
        })
        .fetchAll();
      return resources;
    };
    const forever = await openCosmosStore({ endpoint, key: KEY, databaseId, agent });
    await forever.gaps.create(draft, { actor: 'system:test', action: 'gap.created', at: T0 });
    await forever.close();
    expect((await ttls()).filter((d) => d.ttl !== undefined)).toEqual([]);

    const kept = await openCosmosStore({ endpoint, key: KEY, databaseId, agent, auditRetentionDays: 2557 });
    await kept.gaps.create(draft, { actor: 'system:test', action: 'gap.created', at: T0 });
    await kept.members.create(member(pid, 'Priya Shah'), { actor: 'system:test', action: 'member.created', at: T0 });
    await kept.close();
    const withTtl = (await ttls()).filter((d) => d.ttl !== undefined);
    // The two new events, and nothing else: records never expire.
    expect(withTtl).toEqual([
      { ttl: 2557 * 86_400, type: 'audit' },
      { ttl: 2557 * 86_400, type: 'audit' },
    ]);
    const { resource } = await raw.database(databaseId).container(CONTAINERS.data.id).read();
    expect(resource?.defaultTtl).toBe(-1);
  });
});
