import { createHttpsServer } from '@vercel/cosmosdb-server';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Member } from '../../src/domain/member.js';
import { Agency, Partnership } from '../../src/domain/partnership.js';
import type { RunReport } from '../../src/jobs/digest-job.js';
import { openCosmosStore } from '../../src/store/cosmos/cosmos-store.js';
import type { Store } from '../../src/store/store.js';
import { message, TENANT_ID, type Person } from '../support/activities.js';
import { cardText, type Card } from '../support/cards.js';
import { Connector } from '../support/harness.js';

/**
 * Issue 15's proof: three bot processes on one Cosmos DB endpoint (the local server the contract
 * suite uses), clocks skewed by -3, 0 and +3 minutes; over 20 simulated weeks and 50 board
 * channels, one process is killed with SIGKILL in the middle of a send, and one partnership's
 * compose fails. Every channel gets exactly one digest a week, the failing partnership's channels
 * show the failure in `digest status`, and every role change has its audit event.
 *
 * Simulated time is sent to each process with each run (the scheduler's tick); nothing waits for
 * a real week. Leases and claims are judged by the Cosmos server's clock in real seconds, so the
 * processes run with a 3-second lease and the test waits that out once, after the kill.
 */
const WEEKS = 20;
const PARTNERSHIPS = 5;
const CHANNELS_EACH = 10;
const FAILING = 'p-broken-data';
const FAILING_CHANNELS = 2;
const FIRST_MONDAY = '2026-03-02';
const SKEWS_MS = [-3 * 60_000, 0, 3 * 60_000];
const LEASE_SECONDS = 3;
const KILL_WEEK = 6;
const INSTANCE = fileURLToPath(new URL('../support/bot-instance.ts', import.meta.url));

interface Instance {
  name: string;
  child: ChildProcess;
  url: string;
  skew: number;
  dead: boolean;
}

let cosmos: https.Server;
let connector: Connector;
let store: Store;
let databaseId: string;
const instances: Instance[] = [];

const pid = (i: number) => `p-multi-${i}`;
const channelOf = (p: string, c: number) => `19:${p}-board-${c}@thread.tacv2`;
const admin = (i: number): Person => ({
  aadObjectId: `aaaaaaaa-0000-4000-8000-${String(i).padStart(12, '0')}`,
  name: `Admin ${i}`,
});
const officer = (i: number): Person => ({
  aadObjectId: `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, '0')}`,
  name: `Officer ${i}`,
});

function endpoint(): string {
  return `https://127.0.0.1:${(cosmos.address() as AddressInfo).port}`;
}

async function launch(name: string, skew: number): Promise<Instance> {
  const child = fork(INSTANCE, [], {
    execArgv: ['--import', 'tsx', '--disable-warning=DEP0111'],
    env: {
      ...process.env,
      COSMOS_ENDPOINT: endpoint(),
      COSMOS_DATABASE: databaseId,
      SKEW_MS: String(skew),
      INSTANCE_NAME: name,
      DIGEST_LEASE_SECONDS: String(LEASE_SECONDS),
      FAIL_COMPOSE_PARTNERSHIP: FAILING,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [ready] = (await once(child, 'message')) as [{ type: string; url: string }];
  expect(ready.type).toBe('ready');
  const instance = { name, child, url: ready.url, skew, dead: false };
  child.once('exit', () => (instance.dead = true));
  return instance;
}

function run(instance: Instance, now: Date): Promise<RunReport | undefined> {
  return new Promise<RunReport | undefined>((resolve, reject) => {
    const onMessage = (m: { type: string; report?: RunReport; error?: string }) => {
      if (m.type !== 'report') return;
      instance.child.off('message', onMessage);
      instance.child.off('exit', onExit);
      if (m.error) reject(new Error(`${instance.name}: run failed: ${m.error}`));
      else resolve(m.report);
    };
    // Killed mid-run: its report never comes.
    const onExit = () => {
      instance.child.off('message', onMessage);
      resolve(undefined);
    };
    instance.child.on('message', onMessage);
    instance.child.once('exit', onExit);
    instance.child.send({ type: 'run', now: now.toISOString() });
  });
}

async function say(instance: Instance, text: string, as: Person, conversationId?: string): Promise<string> {
  const activity = message(text, {
    from: as,
    where: conversationId ? 'channel' : 'personal',
    serviceUrl: connector.url,
  });
  if (conversationId) {
    activity.conversation = { ...activity.conversation, id: conversationId };
    activity.channelData = { ...activity.channelData, channel: { id: conversationId } };
  }
  const before = connector.posted.length;
  const res = await fetch(`${instance.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  expect(res.status).toBe(200);
  return connector.posted
    .slice(before)
    .filter((p) => p.conversationId.startsWith(activity.conversation.id.split(';')[0]!))
    .flatMap((p) => (p.activity.attachments ?? []).map((a) => cardText(a.content as Card)))
    .join('\n');
}

/** Monday `week` weeks after the first, 08:00 London, as UTC. */
function slot(week: number): Date {
  const monday = new Date(`${FIRST_MONDAY}T00:00:00Z`);
  monday.setUTCDate(monday.getUTCDate() + 7 * week);
  // BST from 29 March to 25 October 2026: 08:00 London is 07:00 UTC.
  const bst = monday >= new Date('2026-03-29T01:00:00Z') && monday < new Date('2026-10-25T01:00:00Z');
  return new Date(monday.getTime() + (bst ? 7 : 8) * 3_600_000);
}

async function seed(): Promise<void> {
  const at = '2026-02-25T10:00:00.000Z';
  const ids = [...Array.from({ length: PARTNERSHIPS }, (_, i) => pid(i)), FAILING];
  for (const [i, id] of ids.entries()) {
    await store.partnerships.put(
      Partnership.parse({ id, name: `Partnership ${id}`, force: 'Test Police', createdAt: at }),
    );
    await store.agencies.put(Agency.parse({ id: 'police', partnershipId: id, name: 'Test Police', sector: 'police' }));
    for (const [who, roles] of [
      [admin(i), ['admin', 'board']],
      [officer(i), ['officer']],
    ] as const) {
      await store.members.create(
        Member.parse({
          aadObjectId: who.aadObjectId,
          partnershipId: id,
          agencyId: 'police',
          displayName: who.name,
          roles,
          createdAt: at,
          updatedAt: at,
        }),
        { actor: 'system:test', action: 'member.created', at },
      );
    }
    const channels = id === FAILING ? FAILING_CHANNELS : CHANNELS_EACH;
    for (let c = 0; c < channels; c++) {
      const conversationId = channelOf(id, c);
      await store.boardChannels.put(
        {
          partnershipId: id,
          tenantId: TENANT_ID,
          conversationId,
          digestWeekday: 1,
          digestHour: 8,
          digestMinute: 0,
          addedBy: admin(i).aadObjectId,
          addedAt: at,
          scheduleFrom: at,
        },
        { actor: admin(i).aadObjectId, action: 'board.subscribed', at },
      );
      await store.conversations.put({
        tenantId: TENANT_ID,
        conversationId,
        kind: 'channel',
        serviceUrl: connector.url,
        reference: {
          bot: { id: '28:bot', name: 'SOC Profiles' },
          conversation: { id: conversationId, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID },
          channelId: 'msteams',
          serviceUrl: connector.url,
        },
        updatedAt: at,
      });
    }
  }
}

/** The week a digest card reports on, by the end of its span ("… to Mon 30 Mar 2026, 08:00"). */
function weekOf(card: Card): string {
  const m = / to (\w{3} \d+ \w{3} \d{4}), \d{2}:\d{2} \(UK time\)/.exec(cardText(card));
  return m ? m[1]! : 'unknown';
}

beforeAll(async () => {
  cosmos = createHttpsServer();
  cosmos.listen(0, '127.0.0.1');
  await once(cosmos, 'listening');
  connector = new Connector();
  await connector.start();
  databaseId = `multi-${randomUUID()}`;
  store = await openCosmosStore({
    endpoint: endpoint(),
    key: 'the-local-server-ignores-it',
    databaseId,
    agent: new https.Agent({ rejectUnauthorized: false }),
    endpointDiscovery: false,
  });
  await seed();
  instances.push(...(await Promise.all(SKEWS_MS.map((skew, i) => launch(`i${i}`, skew)))));
  // Three processes loading the bot on two busy cores: room for a slow start, but not a hang.
}, 300_000);

afterAll(async () => {
  for (const i of instances) if (!i.dead) i.child.kill('SIGKILL');
  await store?.close();
  await connector?.close();
  await new Promise<void>((resolve) => cosmos?.close(() => resolve()));
});

describe('three instances on one Cosmos DB store, 20 weeks', () => {
  it('every channel gets exactly one digest a week; a failing partnership is shown, not in the way; every role change audited', async () => {
    let roleChanges = 0;
    for (let week = 0; week < WEEKS; week++) {
      const due = slot(week);
      const live = () => instances.filter((i) => !i.dead);

      if (week === KILL_WEEK) {
        // One instance stops in the middle of a send and is killed there.
        const victim = live()[week % live().length]!;
        victim.child.send({ type: 'die-on-send' });
        const sending = once(victim.child, 'message').then(([m]) => m as { type: string });
        const reports = Promise.all(live().map((i) => run(i, new Date(due.getTime() + 5 * 60_000))));
        expect((await sending).type).toBe('sending');
        victim.child.kill('SIGKILL');
        await reports;
        // Its lease and claim lapse by the server's clock; a new process takes its place.
        await new Promise((r) => setTimeout(r, (LEASE_SECONDS + 2) * 1000));
        instances.push(await launch(`${victim.name}-restarted`, victim.skew));
        // A later tick the same week: what the dead holder left (its partnership's channels) is finished.
        await Promise.all(live().map((i) => run(i, new Date(due.getTime() + 30 * 60_000))));
      } else {
        // Five minutes after the slot: even the instance 3 minutes behind finds it due.
        await Promise.all(live().map((i) => run(i, new Date(due.getTime() + 5 * 60_000))));
      }

      // An admin changes a role each week, through whichever instance the balancer picks.
      const p = week % PARTNERSHIPS;
      const verb =
        Math.floor(week / PARTNERSHIPS) % 2 === 0
          ? `grant coordinator to ${officer(p).aadObjectId}`
          : `revoke coordinator from ${officer(p).aadObjectId}`;
      const reply = await say(live()[week % live().length]!, verb, admin(p));
      expect(reply, verb).toMatch(/Role (granted|revoked)/);
      roleChanges += 1;
    }

    // Exactly one digest per channel per week, for every channel of the partnerships that compose.
    const problems: string[] = [];
    for (let p = 0; p < PARTNERSHIPS; p++) {
      for (let c = 0; c < CHANNELS_EACH; c++) {
        const conversationId = channelOf(pid(p), c);
        const weeks = connector.posted
          .filter((x) => x.conversationId === conversationId)
          .flatMap((x) => (x.activity.attachments ?? []).map((a) => weekOf(a.content as Card)));
        if (weeks.length !== WEEKS || new Set(weeks).size !== WEEKS) {
          problems.push(`${conversationId}: ${weeks.length} digests over ${new Set(weeks).size} weeks`);
        }
      }
    }
    expect(problems).toEqual([]);

    // The failing partnership's channels got nothing, and say why.
    const failing = PARTNERSHIPS;
    for (let c = 0; c < FAILING_CHANNELS; c++) {
      const conversationId = channelOf(FAILING, c);
      expect(
        connector.posted.filter((x) => x.conversationId === conversationId && x.activity.attachments?.length),
      ).toHaveLength(0);
      const status = await say(
        instances.find((i) => !i.dead)!,
        'digest status',
        admin(failing),
        conversationId,
      );
      expect(status).toContain('Failed delivery:** The digest for');
      expect(status).toContain('could not be composed: TypeError');
    }

    // Every role change has its audit event.
    let audited = 0;
    for (let p = 0; p < PARTNERSHIPS; p++) {
      const events = await store.audit.listForEntity(pid(p), 'member', officer(p).aadObjectId);
      audited += events.filter((e) => e.action === 'member.roles').length;
    }
    expect(audited).toBe(roleChanges);
  }, 900_000);
});
