import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundCredentials } from '../../src/bot/app.js';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { botAdded, installationAdded, message, TENANT_ID, type Activity, type Person } from '../support/activities.js';
import { cardText, type Card } from '../support/cards.js';
import { BotUnderTest, Connector, type TurnResult } from '../support/harness.js';
import { adele, alex, megan, patti } from '../support/people.js';
import { OpenIdService, signingKey, signToken } from '../support/token-service.js';

/**
 * Issue 16 item 6: an assignee who has never chatted with the bot still gets the task card. The
 * bot installs its app for them through Microsoft Graph, with its own identity's Graph token;
 * Teams then sends the personal-scope conversationUpdate and installationUpdate for the new 1:1
 * chat, and the card waiting in the store goes there, once, whichever instance gets them.
 * Graph is a loopback stand-in that answers as documented (201 Created, 409 Conflict when already
 * installed, 403 without the permission), and then, like Teams, posts the install's activities to
 * the bot. The bot runs as in production: user-assigned managed identity, tokens checked.
 */
const IDENTITY_CLIENT_ID = '0b4c1d2e-3f40-4152-9a6b-7c8d9e0f1a2b';
const ISSUER = 'https://api.botframework.test';
const CATALOG_ID = '4ab1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
const PID = DEMO_PARTNERSHIP_ID;

/** Tokens from the identity, by audience: `token:<audience>`, as the identity endpoint would issue per resource. */
function tokensByAudience(env: Record<string, string>): OutboundCredentials {
  class ByAudience extends ConfigurationServiceClientCredentialFactory {
    override async createCredentials(_appId: string, audience: string): Promise<never> {
      const credentials = {
        signRequest: async (request: { headers: { set(name: string, value: string): void } }) => {
          request.headers.set('authorization', `Bearer token:${audience}`);
          return request;
        },
      };
      return credentials as never;
    }
  }
  return new ByAudience(env);
}

interface GraphRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

type GraphAnswer = { status: number; retryAfterSeconds?: number; body?: unknown };

/**
 * Microsoft Graph's installedApps for users, on loopback. Answers each user's requests from a
 * script (201 when none is left); after a 201 it calls `installed` for that user, as Teams then
 * tells the bot about the new chat.
 */
class GraphStandIn {
  readonly requests: GraphRequest[] = [];
  private readonly script = new Map<string, GraphAnswer[]>();
  private readonly after: Promise<unknown>[] = [];
  private server: Server | undefined;
  url = '';
  installed: (userId: string) => Promise<unknown> = async () => undefined;

  answer(userId: string, ...answers: GraphAnswer[]): void {
    this.script.set(userId, [...(this.script.get(userId) ?? []), ...answers]);
  }

  /** Waits for the activities posted after installs to have been answered by the bot. */
  async settled(): Promise<void> {
    while (this.after.length) await this.after.shift();
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        this.requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          authorization: req.headers.authorization,
          body: text ? (JSON.parse(text) as unknown) : undefined,
        });
        const m = /^\/v1\.0\/users\/([^/]+)\/teamwork\/installedApps$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !m) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'NotFound' } }));
          return;
        }
        const userId = decodeURIComponent(m[1]!);
        const answer = this.script.get(userId)?.shift() ?? { status: 201 };
        res.writeHead(answer.status, {
          'content-type': 'application/json',
          ...(answer.retryAfterSeconds !== undefined ? { 'retry-after': String(answer.retryAfterSeconds) } : {}),
        });
        // Created answers no body, as documented; errors carry Graph's error object.
        res.end(answer.status === 201 ? undefined : JSON.stringify(answer.body ?? {}));
        if (answer.status === 201) this.after.push(this.installed(userId));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The 403 Graph gives an app without the permission (its message quoted here, never logged). */
const FORBIDDEN = {
  error: {
    code: 'Forbidden',
    message:
      "Missing role permissions on the request. API requires one of 'TeamsAppInstallation.ReadWriteForUser.All'.",
  },
};

const key = signingKey('teams-key');
const openId = new OpenIdService(ISSUER, [key]);

function environment(graphUrl: string, catalog = true, logLevel = 'silent'): Record<string, string> {
  return {
    MicrosoftAppId: IDENTITY_CLIENT_ID,
    MicrosoftAppType: 'UserAssignedMSI',
    MicrosoftAppTenantId: TENANT_ID,
    ALLOWED_TENANT_IDS: TENANT_ID,
    BOT_OPENID_METADATA_URL: openId.metadataUrl,
    BOT_TOKEN_ISSUER: ISSUER,
    GRAPH_BASE_URL: `${graphUrl}/v1.0`,
    ...(catalog ? { TEAMS_APP_CATALOG_ID: CATALOG_ID } : {}),
    LOG_LEVEL: logLevel,
  };
}

/** Posts an activity as Teams does, with a channel token for the bot's app id. */
function post(bot: BotUnderTest, activity: Activity): Promise<TurnResult> {
  const now = Math.floor(Date.now() / 1000);
  const token = signToken(
    { iss: ISSUER, aud: IDENTITY_CLIENT_ID, serviceurl: bot.connector.url, nbf: now - 60, exp: now + 3600 },
    key,
  );
  return bot.post(activity, { headers: { authorization: `Bearer ${token}` } });
}

const say = (bot: BotUnderTest, text: string, as: Person) =>
  post(bot, message(text, { from: as, where: 'personal', serviceUrl: bot.connector.url }));

/** What Teams sends when the app lands in someone's personal scope: both activities. */
async function teamsInstalls(bot: BotUnderTest, person: Person): Promise<TurnResult[]> {
  const addressing = { from: person, where: 'personal' as const, serviceUrl: bot.connector.url };
  return [await post(bot, botAdded(addressing)), await post(bot, installationAdded(addressing))];
}

class LogLines {
  readonly stream = new PassThrough();
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];
  constructor() {
    let rest = '';
    this.stream.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts.filter(Boolean)) {
        this.raw.push(line);
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      }
    });
  }
}

const chatOf = (person: Person) => `a:1personal-${person.aadObjectId}`;
const taskCardsTo = (connector: Connector, person: Person, ref: string) =>
  connector.posted
    .filter((p) => p.conversationId === chatOf(person))
    .flatMap((p) => (p.activity.attachments ?? []).map((a) => a.content as Card))
    .filter((c) => cardText(c).includes(ref) && cardText(c).includes('assigned this to'));

function refIn(result: TurnResult): string {
  const text = result.cards.map(cardText).join(' ');
  const m = /\bG-\d+\b/.exec(text);
  if (!m) throw new Error(`no reference in: ${text.slice(0, 200)}`);
  return m[0];
}

/** What the coordinator was told, in their own chat. */
const toldAlex = (result: TurnResult) =>
  result.posted
    .filter((p) => p.conversationId === chatOf(alex))
    .flatMap((p) => (p.activity.attachments ?? []).map((a) => cardText(a.content as Card)))
    .join(' ');

async function newGap(bot: BotUnderTest, question: string): Promise<string> {
  return refIn(await say(bot, `new gap Everton: ${question} due 2027-01-31`, alex));
}

beforeAll(async () => {
  await openId.start();
});
afterAll(async () => {
  await openId.close();
});

describe('reaching an assignee with no chat, by installing the app through Graph', () => {
  const graph = new GraphStandIn();
  const logs = new LogLines();
  let bot: BotUnderTest;

  beforeAll(async () => {
    await graph.start();
    const env = environment(graph.url, true, 'info');
    bot = await BotUnderTest.start({ env, outboundCredentials: tokensByAudience(env), logTo: logs.stream });
    graph.installed = (userId) =>
      teamsInstalls(
        bot,
        [patti, megan, adele].find((p) => p.aadObjectId === userId) ?? { aadObjectId: userId, name: '' },
      );
    // Alex (the coordinator) has a chat with the bot; Patti, Megan and Adele have none.
    await say(bot, 'help', alex);
  });
  afterAll(async () => {
    await bot?.close();
    await graph.close();
  });

  it('installs it for Patti with the documented body and a Graph token, then sends the card to her new chat once', async () => {
    const ref = await newGap(bot, 'Which pharmacies see repeat prescriptions collected by third parties?');
    const before = graph.requests.length;
    const result = await say(bot, `assign ${ref} to Patti Fernandez`, alex);

    expect(toldAlex(result)).toContain(
      `I installed the app for Patti Fernandez, who had not chatted with me yet; the card is on its way to their chat with me. If Teams has not opened that chat within a day, ${ref} still waits for them in "my tasks".`,
    );
    expect(toldAlex(result)).not.toContain('I could not reach');
    expect(graph.requests.slice(before)).toStrictEqual([
      {
        method: 'POST',
        path: `/v1.0/users/${patti.aadObjectId}/teamwork/installedApps`,
        authorization: 'Bearer token:https://graph.microsoft.com',
        body: { 'teamsApp@odata.bind': `${graph.url}/v1.0/appCatalogs/teamsApps/${CATALOG_ID}` },
      },
    ]);

    await graph.settled();
    const cards = taskCardsTo(bot.connector, patti, ref);
    expect(cards).toHaveLength(1);
    expect(cardText(cards[0]!)).toContain('Alex Wilber assigned this to you.');
    expect(cardText(cards[0]!)).toContain('Which pharmacies see repeat prescriptions collected by third parties?');
    // Teams sending either activity again (a retry, a reinstall) sends nothing more.
    await teamsInstalls(bot, patti);
    expect(taskCardsTo(bot.connector, patti, ref)).toHaveLength(1);

    const trail = await bot.store.audit.listForEntity(PID, 'app-install', patti.aadObjectId);
    expect(trail.map((e) => [e.action, e.actor])).toStrictEqual([
      ['install.requested', alex.aadObjectId],
      ['install.arrived', 'system:app-install'],
    ]);
    expect(trail[0]!.after).toMatchObject({ ref, aadObjectId: patti.aadObjectId, assignedBy: alex.aadObjectId });
    expect(await bot.store.awaitingInstalls.listForPerson(PID, patti.aadObjectId)).toStrictEqual([]);
  });

  it('when Graph answers 409 (installed already), opens the 1:1 chat through the connector and sends the card now', async () => {
    graph.answer(megan.aadObjectId, { status: 409, body: { error: { code: 'Conflict' } } });
    const ref = await newGap(bot, 'Which garages fit concealed compartments?');
    const created = bot.connector.created.length;
    const result = await say(bot, `assign ${ref} to Megan Bowen`, alex);

    expect(toldAlex(result)).toContain('The task card was sent to Megan Bowen in their chat with me.');
    expect(bot.connector.created.slice(created)).toMatchObject([
      { tenantId: TENANT_ID, members: [{ aadObjectId: megan.aadObjectId }] },
    ]);
    expect(taskCardsTo(bot.connector, megan, ref)).toHaveLength(1);
    // Her chat is now known: the next card goes straight there, with no Graph call.
    expect((await bot.store.conversations.findPersonal(TENANT_ID, megan.aadObjectId))?.conversationId).toBe(
      chatOf(megan),
    );
    const calls = graph.requests.length;
    const next = await newGap(bot, 'Which garages rent out vehicles for cash?');
    expect(toldAlex(await say(bot, `assign ${next} to Megan Bowen`, alex))).toContain(
      'The task card was sent to Megan Bowen',
    );
    expect(graph.requests.length).toBe(calls);
    const trail = await bot.store.audit.listForEntity(PID, 'app-install', megan.aadObjectId);
    expect(trail.map((e) => e.action)).toStrictEqual(['install.requested', 'install.arrived']);
  });

  it("without the permission (403), gives today's answer and logs one line with the reason, no text", async () => {
    graph.answer(adele.aadObjectId, { status: 403, body: FORBIDDEN });
    const question = 'Which landlords let rooms to exploited workers?';
    const ref = await newGap(bot, question);
    const lines = logs.lines.length;
    const result = await say(bot, `assign ${ref} to Adele Vance`, alex);

    expect(toldAlex(result)).toContain(
      `I could not reach Adele Vance: they have not chatted with me yet. ${ref} waits for them in "my tasks" once they do.`,
    );
    expect(taskCardsTo(bot.connector, adele, ref)).toHaveLength(0);
    await new Promise((r) => setImmediate(r));
    const logged = logs.lines.slice(lines);
    const refusals = logged.filter((l) => l.code === 'APP_INSTALL_REFUSED');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ aadObjectId: adele.aadObjectId, status: 403, graphCode: 'Forbidden' });
    const raw = logs.raw.slice(lines).join('\n');
    expect(raw).not.toContain(question);
    expect(raw).not.toContain('Missing role permissions');
    // Nothing waits for an install that did not happen; the task is in her `my tasks`.
    expect(await bot.store.awaitingInstalls.listForPerson(PID, adele.aadObjectId)).toStrictEqual([]);
    const trail = await bot.store.audit.listForEntity(PID, 'app-install', adele.aadObjectId);
    expect(trail.map((e) => e.action)).toStrictEqual(['install.requested', 'install.failed']);
    expect(cardText((await say(bot, 'my tasks', adele)).cards[0]!)).toContain(ref);
  });
});

describe('Graph throttling (429)', () => {
  const graph = new GraphStandIn();
  let bot: BotUnderTest;

  beforeAll(async () => {
    await graph.start();
    const env = environment(graph.url);
    bot = await BotUnderTest.start({ env, outboundCredentials: tokensByAudience(env) });
    graph.installed = (userId) =>
      teamsInstalls(bot, [patti, megan].find((p) => p.aadObjectId === userId) ?? { aadObjectId: userId, name: '' });
    await say(bot, 'help', alex);
  });
  afterAll(async () => {
    await bot?.close();
    await graph.close();
  });

  it('asks once more after the Retry-After, and installs', async () => {
    graph.answer(megan.aadObjectId, { status: 429, retryAfterSeconds: 0 });
    const ref = await newGap(bot, 'Which vape shops sell to children?');
    const before = graph.requests.length;
    const result = await say(bot, `assign ${ref} to Megan Bowen`, alex);
    expect(graph.requests.length - before).toBe(2);
    expect(toldAlex(result)).toContain('I installed the app for Megan Bowen');
    await graph.settled();
    expect(taskCardsTo(bot.connector, megan, ref)).toHaveLength(1);
  });

  it('gives up after the second 429, and does not wait out a Retry-After beyond its bound', async () => {
    graph.answer(patti.aadObjectId, { status: 429, retryAfterSeconds: 0 }, { status: 429, retryAfterSeconds: 0 });
    const ref = await newGap(bot, 'Which hand car washes house their staff on site?');
    const before = graph.requests.length;
    const result = await say(bot, `assign ${ref} to Patti Fernandez`, alex);
    expect(graph.requests.length - before).toBe(2);
    expect(toldAlex(result)).toContain('I could not reach Patti Fernandez');

    graph.answer(patti.aadObjectId, { status: 429, retryAfterSeconds: 3600 });
    const later = await newGap(bot, 'Which hand car washes pay below the minimum wage?');
    const again = graph.requests.length;
    const started = Date.now();
    expect(toldAlex(await say(bot, `assign ${later} to Patti Fernandez`, alex))).toContain(
      'I could not reach Patti Fernandez',
    );
    expect(graph.requests.length - again).toBe(1);
    // An hour's Retry-After is not waited for (the turn would be long gone); well under a minute.
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe('without TEAMS_APP_CATALOG_ID', () => {
  it("gives today's answer, says why in the log, and never calls Graph", async () => {
    const graph = new GraphStandIn();
    await graph.start();
    const logs = new LogLines();
    const env = environment(graph.url, false, 'info');
    const bot = await BotUnderTest.start({ env, outboundCredentials: tokensByAudience(env), logTo: logs.stream });
    try {
      await say(bot, 'help', alex);
      const ref = await newGap(bot, 'Which car washes pay staff in cash?');
      const result = await say(bot, `assign ${ref} to Patti Fernandez`, alex);
      expect(toldAlex(result)).toContain(
        `I could not reach Patti Fernandez: they have not chatted with me yet. ${ref} waits for them in "my tasks" once they do.`,
      );
      expect(graph.requests).toStrictEqual([]);
      expect(logs.lines.filter((l) => l.code === 'APP_INSTALL_OFF')).toMatchObject([
        { aadObjectId: patti.aadObjectId, ref },
      ]);
    } finally {
      await bot.close();
      await graph.close();
    }
  });
});

describe('two instances on one store', () => {
  it('deliver the waiting card once when Teams sends the install to both', async () => {
    const graph = new GraphStandIn();
    await graph.start();
    const connector = new Connector();
    await connector.start();
    // One SQLite file, opened by each instance on its own connection, as two processes would.
    const shared = mkdtempSync(join(tmpdir(), 'soc-shared-'));
    const env = { ...environment(graph.url), DATA_DIR: shared };
    const first = await BotUnderTest.start({ env, outboundCredentials: tokensByAudience(env), connector });
    const second = await BotUnderTest.start({
      env: { ...env, DEMO_DATA: 'off' },
      outboundCredentials: tokensByAudience(env),
      connector,
    });
    try {
      // Teams may route each of the install's activities to any instance: here, both at once to both.
      graph.installed = () =>
        Promise.all([teamsInstalls(first, patti), teamsInstalls(second, patti), teamsInstalls(first, patti)]);
      await say(first, 'help', alex);
      const ref = await newGap(first, `Which scrap yards buy stolen catalytic converters? ${randomUUID().slice(0, 4)}`);
      const result = await say(first, `assign ${ref} to Patti Fernandez`, alex);
      expect(toldAlex(result)).toContain('I installed the app for Patti Fernandez');
      await graph.settled();
      expect(taskCardsTo(connector, patti, ref)).toHaveLength(1);
      const trail = await second.store.audit.listForEntity(PID, 'app-install', patti.aadObjectId);
      expect(trail.map((e) => e.action)).toStrictEqual(['install.requested', 'install.arrived']);
    } finally {
      await second.close();
      await first.close();
      await connector.close();
      await graph.close();
      rmSync(shared, { recursive: true, force: true });
    }
  });
});

describe('a waiting card across a restart, and past its bound', () => {
  it('is delivered by the next process when the install arrives; one arriving after a day is not sent', async () => {
    const graph = new GraphStandIn();
    await graph.start();
    const connector = new Connector();
    await connector.start();
    const shared = mkdtempSync(join(tmpdir(), 'soc-restart-'));
    const env = { ...environment(graph.url), DATA_DIR: shared };
    let now = Date.now();
    const clock = () => new Date(now);
    // Teams is slow to tell the bot this time: nothing arrives before the restart.
    graph.installed = async () => undefined;
    const before = await BotUnderTest.start({ env, outboundCredentials: tokensByAudience(env), connector, clock });
    let after: BotUnderTest | undefined;
    try {
      await say(before, 'help', alex);
      const ref = await newGap(before, 'Which takeaways launder cash through card terminals?');
      const late = await newGap(before, 'Which barbers launder cash through card terminals?');
      expect(toldAlex(await say(before, `assign ${ref} to Patti Fernandez`, alex))).toContain(
        'I installed the app for Patti Fernandez',
      );
      expect(toldAlex(await say(before, `assign ${late} to Megan Bowen`, alex))).toContain(
        'I installed the app for Megan Bowen',
      );
      await before.close();

      after = await BotUnderTest.start({
        env: { ...env, DEMO_DATA: 'off' },
        outboundCredentials: tokensByAudience(env),
        connector,
        clock,
      });
      // The installationUpdate alone is enough (Teams' conversationUpdate may go elsewhere, or be lost).
      await post(after, installationAdded({ from: patti, where: 'personal', serviceUrl: after.connector.url }));
      expect(taskCardsTo(connector, patti, ref)).toHaveLength(1);

      // Megan's install reaches the bot a day and a minute later: her task is in `my tasks`, as the
      // coordinator was told, and no stale card turns up.
      now += 24 * 60 * 60 * 1000 + 60_000;
      await teamsInstalls(after, megan);
      expect(taskCardsTo(connector, megan, late)).toHaveLength(0);
      const trail = await after.store.audit.listForEntity(PID, 'app-install', megan.aadObjectId);
      expect(trail.map((e) => e.action)).toStrictEqual(['install.requested', 'install.expired']);
      expect(cardText((await say(after, 'my tasks', megan)).cards[0]!)).toContain(late);
    } finally {
      await after?.close();
      await connector.close();
      await graph.close();
      rmSync(shared, { recursive: true, force: true });
    }
  });
});
