import { createHttpsServer } from '@vercel/cosmosdb-server';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.js';
import { SYSTEM_IMPORT } from '../src/domain/audit.js';
import { BoardChannel } from '../src/domain/conversation.js';
import { latestSlot, previousSlot } from '../src/domain/digest-schedule.js';
import { seededRandom } from '../src/domain/seeded-random.js';
import { createLogger } from '../src/log.js';
import { DigestComposer } from '../src/services/digest-composer.js';
import { DistrictDirectory } from '../src/services/district-directory.js';
import { start } from '../src/start.js';
import { newMeter, type CosmosMeter } from '../src/store/cosmos/calls.js';
import { openCosmosStore } from '../src/store/cosmos/cosmos-store.js';
import type { Store } from '../src/store/store.js';
import { BENCH_PARTNERSHIP_ID, BENCH_TENANT_ID, SENDER, generatePartnership } from './generate.js';
import { int, table } from './stats.js';

/**
 * `npm run bench:cosmos`: what each command costs on the Cosmos adapter, counted as documents
 * read and response bytes (the local Cosmos server charges no request units, so RU cannot be
 * read; documents and bytes are what RU follow). The real bot over HTTP, on the Cosmos store
 * against @vercel/cosmosdb-server on loopback, for two partnership sizes; and the weekly digest
 * of the whole partnership, beside what its audit read cost before (every event since the week
 * began, whole). The target: the message path reads a bounded number of documents, the same at
 * both sizes; the digest reads only the week's gap and action changes.
 * Options: --districts A,B (default 100,200), --items-per-district N (default 8).
 * The local server scans its whole store for every query, so requests get a long deadline here:
 * this counts what is read, not how fast.
 */
const NOW = new Date('2026-11-02T09:00:00.000Z');
const DAY = 86_400_000;
/** Gaps and actions changed during the week through the Store port, each audited. */
const CHANGES = 60;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const sizes = option('districts', '100,200').split(',').map(Number);
const itemsPerDistrict = Number(option('items-per-district', '8'));
if (sizes.some((n) => !Number.isInteger(n) || n < 2) || !Number.isInteger(itemsPerDistrict) || itemsPerDistrict < 1) {
  console.error('usage: npm run bench:cosmos -- [--districts 100,200] [--items-per-district 8]');
  process.exit(2);
}

// Teams' side: takes the bot's replies and proactive cards, as the connector service would.
const connector = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: randomUUID() }));
  });
});
await new Promise<void>((r) => connector.listen(0, '127.0.0.1', r));
const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;

const cosmos = createHttpsServer();
cosmos.listen(0, '127.0.0.1');
await once(cosmos, 'listening');
const endpoint = `https://127.0.0.1:${(cosmos.address() as AddressInfo).port}`;
const agent = new https.Agent({ rejectUnauthorized: false });

interface Cost {
  documents: number;
  bytes: number;
  requests: number;
}
const costs = new Map<string, Map<number, Cost>>();
const record = (label: string, size: number, cost: Cost) => {
  const row = costs.get(label) ?? new Map<number, Cost>();
  row.set(size, cost);
  costs.set(label, row);
};

/** What `work` made the store read, including anything it left running (a queued card send). */
async function measure(meter: CosmosMeter, work: () => Promise<unknown>): Promise<Cost> {
  const from = { ...meter };
  await work();
  for (let last = -1, waited = 0; meter.requests !== last && waited < 5_000; waited += 250) {
    last = meter.requests;
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    documents: meter.documentsRead - from.documentsRead,
    bytes: meter.bytesReturned - from.bytesReturned,
    requests: meter.requests - from.requests,
  };
}

async function seed(store: Store, districts: number) {
  const { generated } = generatePartnership({ districts, itemsPerDistrict, seed: 'soc-bench-1', now: NOW });
  const monthAgo = new Date(NOW.getTime() - 30 * DAY).toISOString();
  const imported = { actor: SYSTEM_IMPORT, action: 'bench.imported', at: monthAgo };
  await store.bulkLoad(BENCH_PARTNERSHIP_ID, { ...generated.load, agencies: generated.agencies }, imported);
  for (const member of generated.members) await store.members.create(member, { ...imported, action: 'member.created' });
  await store.partnerships.put(generated.partnership);
  // This week: the profiles refreshed by an import (whole profiles audited before and after), and
  // a week's work on gaps and actions.
  const refreshed = generated.load.profiles.map((p) => ({
    ...p,
    review: { ...p.review, lastRefreshedAt: NOW.toISOString() },
  }));
  const thisWeek = new Date(NOW.getTime() - 2 * DAY).toISOString();
  await store.bulkLoad(
    BENCH_PARTNERSHIP_ID,
    { districts: [], profiles: refreshed, gaps: [], actions: [] },
    {
      ...imported,
      at: thisWeek,
    },
  );
  const rng = seededRandom('soc-bench-1:cosmos-week');
  const { gaps, actions } = generated.load;
  for (let i = 0; i < CHANGES; i++) {
    const at = new Date(NOW.getTime() - rng.int(1, 6 * 24) * 3_600_000).toISOString();
    const audit = { actor: SENDER.aadObjectId, action: 'bench.changed', at };
    if (i % 2 === 0) {
      const current = await store.gaps.get(BENCH_PARTNERSHIP_ID, gaps[rng.int(0, gaps.length - 1)]!.ref);
      if (current) await store.gaps.replace({ ...current, status: 'assigned', updatedAt: at }, current.etag, audit);
    } else {
      const current = await store.actions.get(BENCH_PARTNERSHIP_ID, actions[rng.int(0, actions.length - 1)]!.ref);
      if (current)
        await store.actions.replace({ ...current, status: 'in_progress', updatedAt: at }, current.etag, audit);
    }
  }
  return generated;
}

for (const districts of sizes) {
  const t0 = performance.now();
  const meter = newMeter();
  const store = await openCosmosStore({
    endpoint,
    key: 'local',
    databaseId: `cost-${districts}`,
    agent,
    meter,
    requestTimeoutMs: 120_000,
  });
  const generated = await seed(store, districts);
  console.log(
    `${districts} districts, ${int(generated.load.gaps.length + generated.load.actions.length)} gaps and actions, ${generated.members.length} members: loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DEMO_DATA: 'off',
    LOG_LEVEL: 'silent',
    DIGEST_CHECK_SECONDS: '0',
    REMINDER_CHECK_SECONDS: '0',
    COMMANDS_PER_MINUTE: '1000000',
    COMMAND_BURST: '1000000',
  });
  const running = await start(config, createLogger('silent'), { store, clock: () => NOW });
  let seq = 0;
  const send = async (extra: Record<string, unknown>) => {
    seq += 1;
    const res = await fetch(`${running.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: `cost-${seq}`,
        channelId: 'msteams',
        serviceUrl,
        timestamp: NOW.toISOString(),
        from: { id: `29:1${SENDER.aadObjectId}`, name: SENDER.name, aadObjectId: SENDER.aadObjectId },
        recipient: { id: '28:bench-bot', name: 'SOC Profiles' },
        conversation: {
          id: `a:1personal-${SENDER.aadObjectId}`,
          conversationType: 'personal',
          tenantId: BENCH_TENANT_ID,
        },
        channelData: { tenant: { id: BENCH_TENANT_ID } },
        replyToId: `card-${seq}`,
        ...extra,
      }),
    });
    await res.text();
    if (res.status !== 200) throw new Error(`the bot answered ${res.status}`);
  };
  await send({ type: 'message', text: 'help' }); // the chat's reference stored, caches warm

  const district = generated.load.districts[Math.floor(districts / 2)]!;
  const other = generated.load.districts[Math.floor(districts / 2) + 1]!;
  record(
    'summary <district>, first of the instance',
    districts,
    await measure(meter, () => send({ type: 'message', text: `summary ${district.name}` })),
  );
  record(
    'summary <district>, names cached',
    districts,
    await measure(meter, () => send({ type: 'message', text: `summary ${other.name}` })),
  );
  record('my tasks', districts, await measure(meter, () => send({ type: 'message', text: 'my tasks' })));
  record('overdue', districts, await measure(meter, () => send({ type: 'message', text: 'overdue' })));
  const gap = (await store.gaps.get(BENCH_PARTNERSHIP_ID, generated.load.gaps[0]!.ref))!;
  record(
    'task card press (Add note)',
    districts,
    await measure(meter, () =>
      send({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: {
          action: {
            type: 'Action.Execute',
            verb: 'task.note',
            data: { ref: gap.ref, etag: gap.etag, op: randomUUID(), note: 'Bench note' },
          },
          trigger: 'manual',
        },
      }),
    ),
  );
  await running.close().catch(() => undefined);

  const again = await openCosmosStore({
    endpoint,
    key: 'local',
    databaseId: `cost-${districts}`,
    agent,
    meter,
    requestTimeoutMs: 120_000,
  });
  const schedule = { weekday: 1, hour: 8, minute: 0 };
  const slot = latestSlot(schedule, NOW);
  const week = { from: previousSlot(schedule, slot).dueAt, to: slot.dueAt };
  const channel = BoardChannel.parse({
    partnershipId: BENCH_PARTNERSHIP_ID,
    tenantId: BENCH_TENANT_ID,
    conversationId: '19:board@thread.tacv2',
    addedBy: SENDER.aadObjectId,
    addedAt: new Date(NOW.getTime() - 60 * DAY).toISOString(),
  });
  // Names kept for the whole run: the local server is slow enough that a minute's cache would lapse mid-digest.
  const composer = new DigestComposer(again, new DistrictDirectory(again, 3_600_000));
  record(
    `weekly digest, all ${districts} districts`,
    districts,
    await measure(meter, () => composer.compose(generated.partnership, channel, week, NOW, () => true)),
  );
  const from = week.from.toISOString();
  record(
    '  of which the week’s changes',
    districts,
    await measure(meter, () => again.audit.listChanges(BENCH_PARTNERSHIP_ID, from, week.to.toISOString(), 50_000)),
  );
  record(
    '  before: every event since, whole',
    districts,
    await measure(meter, () => again.audit.listSince(BENCH_PARTNERSHIP_ID, from, 50_000)),
  );
  await again.close();
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)}`;
const header = ['command', ...sizes.flatMap((n) => [`docs (${n})`, `KB (${n})`, `requests (${n})`])];
console.log('');
console.log(
  table([
    header,
    ...[...costs].map(([label, bySize]) => [
      label,
      ...sizes.flatMap((n) => {
        const c = bySize.get(n);
        return c ? [int(c.documents), kb(c.bytes), int(c.requests)] : ['-', '-', '-'];
      }),
    ]),
  ]),
);
console.log(
  `\n${CHANGES} gap and action changes this week (plus every profile refreshed by an import); target: the message path the same at every size, the digest reading only those changes`,
);

cosmos.closeAllConnections();
cosmos.close();
connector.close();
