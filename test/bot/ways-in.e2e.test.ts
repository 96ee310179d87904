import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { botAdded, cardSubmit, message, TENANT_ID, type Activity } from '../support/activities.js';
import { cardText } from '../support/cards.js';
import { BotUnderTest, onlyCard } from '../support/harness.js';
import { alex, stranger } from '../support/people.js';
import { loopbackOutbound, OpenIdService, signingKey, signToken, type TokenClaims } from '../support/token-service.js';

/**
 * Issue 13: the ways in an attacker found with the bot running as the README says. Each test here
 * failed before its fix.
 */
const everything = (bot: BotUnderTest) =>
  bot.store.audit.listSince(DEMO_PARTNERSHIP_ID, '2000-01-01T00:00:00Z', 100_000);
const at = (bot: BotUnderTest) => ({ from: alex, where: 'personal' as const, serviceUrl: bot.connector.url });

function collect(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
}

/**
 * A body of about 210 KB that inflates to over 200 MB: a JSON activity whose middle is 1 MB gzip
 * members of spaces (valid JSON whitespace), concatenated as gzip allows.
 */
function gzipBomb(activity: Activity): Buffer {
  const json = JSON.stringify(activity);
  const spaces = gzipSync(Buffer.alloc(1 << 20, 0x20), { level: 9 });
  return Buffer.concat([
    gzipSync(json.slice(0, -1)),
    ...Array.from({ length: 200 }, () => spaces),
    gzipSync(json.slice(-1)),
  ]);
}

/** The bot's app id and the token issuer of the tests that turn authentication on. */
const APP_ID = '33333333-4444-5555-6666-777777777777';
const ISSUER = 'https://api.botframework.test';

describe('finding 1: compressed request bodies', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await BotUnderTest.start();
  });
  afterAll(async () => {
    await bot?.close();
  });

  const send = (body: Buffer | string, headers: Record<string, string>) =>
    fetch(bot.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('a gzip bomb is refused with 415 before it is read: quickly, and the process barely grows', async () => {
    const bomb = gzipBomb(message('help', at(bot)));
    expect(bomb.length).toBeLessThan(256 * 1024);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
    const started = performance.now();
    const res = await send(bomb, { 'content-encoding': 'gzip' });
    await res.text();
    const ms = performance.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect([413, 415]).toContain(res.status);
    // Generous for a loaded machine; inflating 200 MB takes far longer, and grows by hundreds of MB.
    expect(ms).toBeLessThan(1000);
    expect(peak - before).toBeLessThan(20 * 1024 * 1024);
    expect(bot.connector.posted).toHaveLength(0);
    expect(await bot.store.conversations.findPersonal(TENANT_ID, alex.aadObjectId)).toBeUndefined();
  });

  it('any encoding but identity is 415 and says what is accepted; identity is read as usual', async () => {
    for (const encoding of ['gzip', 'deflate', 'br', 'GZIP', 'identity, gzip', 'x-unknown']) {
      const res = await send(gzipSync(JSON.stringify(message('help', at(bot)))), { 'content-encoding': encoding });
      expect(res.status, encoding).toBe(415);
      expect(res.headers.get('accept-encoding')).toBe('identity');
    }
    const plain = await send(JSON.stringify(message('help', at(bot))), { 'content-encoding': 'identity' });
    expect(plain.status).toBe(200);
    expect(bot.connector.posted).toHaveLength(1);
  });

  it('a body that declares more than 256 KB is 413 at once', async () => {
    const res = await send('{"type":"message"}', { 'content-length': String(300 * 1024) }).catch(() => undefined);
    // fetch refuses a lying Content-Length itself; the server's answer is tested over a raw socket.
    if (res) expect(res.status).toBe(413);
    const { connect } = await import('node:net');
    const url = new URL(bot.url);
    const status = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${300 * 1024}\r\n\r\n{`,
        );
      });
      socket.once('data', (d) => {
        resolve(d.toString('utf8').split('\r\n')[0]!);
        socket.destroy();
      });
      socket.once('error', reject);
    });
    expect(status).toMatch(/^HTTP\/1\.1 413/);
  });
});

describe('finding 2: only the Teams channel is served', () => {
  const teamsKey = signingKey('teams-key');
  const webchatKey = signingKey('webchat-key', ['webchat']);
  const openId = new OpenIdService(ISSUER, [teamsKey, webchatKey]);
  let bot: BotUnderTest;

  beforeAll(async () => {
    await openId.start();
    const env = authenticatedEnv(openId);
    bot = await BotUnderTest.start({ env, outboundCredentials: loopbackOutbound(env) });
  });
  afterAll(async () => {
    await bot?.close();
    await openId.close();
  });

  const claims = (): TokenClaims => {
    const now = Math.floor(Date.now() / 1000);
    return { iss: ISSUER, aud: APP_ID, serviceurl: bot.connector.url, nbf: now - 60, exp: now + 3600 };
  };

  it("a Web Chat token claiming the coordinator's object id gets no reply, stores nothing, audits nothing", async () => {
    // The coordinator's real 1:1 chat, through Teams: its address is what task cards use.
    const real = await bot.post(message('help', at(bot)), {
      headers: { authorization: `Bearer ${signToken(claims(), teamsKey)}` },
    });
    expect(cardText(onlyCard(real))).toContain('What I can do');
    const stored = await bot.store.conversations.findPersonal(TENANT_ID, alex.aadObjectId);
    expect(stored).toBeDefined();
    const audit = await everything(bot);

    const forgedToken = signToken(claims(), webchatKey);
    for (const text of ['gaps Birkenhead', 'summary Birkenhead', 'new gap Everton: who supplies OCG-9?']) {
      const forged = message(text, at(bot));
      forged.channelId = 'webchat';
      forged.conversation = { ...forged.conversation, id: 'webchat-conversation-of-the-attacker' };
      const r = await bot.post(forged, { headers: { authorization: `Bearer ${forgedToken}` } });
      expect(r.status).toBeLessThan(300);
      expect(r.posted).toHaveLength(0);
    }
    const invoke = cardSubmit({ verb: 'district.summary', districtId: 'E05000956' }, at(bot));
    invoke.channelId = 'directline';
    expect((await bot.post(invoke, { headers: { authorization: `Bearer ${forgedToken}` } })).posted).toHaveLength(0);
    expect(await bot.store.conversations.findPersonal(TENANT_ID, alex.aadObjectId)).toEqual(stored);
    expect(await everything(bot)).toEqual(audit);
  });
});

describe('findings 4 and 5: every text is held to the limit; only members are remembered', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await BotUnderTest.start();
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('a message carrying a value is held to 1,000 characters too, and answered at once', async () => {
    const slow = message(`what's picture in x${' '.repeat(32 * 1024)}y`, at(bot));
    slow.value = { verb: 'no.such.verb' };
    const started = performance.now();
    const r = await bot.post(slow);
    const ms = performance.now() - started;
    expect(cardText(onlyCard(r))).toContain('commands are under 1,000');
    // The old pattern took seconds on this line; anything linear is a few milliseconds.
    expect(ms).toBeLessThan(2000);
    const health = await fetch(`${bot.running.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it("a stranger's conversation is not stored, whether they write or install the bot", async () => {
    const said = await bot.say('help', stranger);
    expect(cardText(onlyCard(said))).toContain('Not a member yet');
    await bot.post(botAdded({ from: stranger, where: 'personal', serviceUrl: bot.connector.url }));
    expect(await bot.store.conversations.findPersonal(TENANT_ID, stranger.aadObjectId)).toBeUndefined();
    // A member's is, as before, from an install alone.
    await bot.install(alex);
    expect(await bot.store.conversations.findPersonal(TENANT_ID, alex.aadObjectId)).toBeDefined();
  });
});

describe('finding 8: what operators can diagnose from', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('an unexpected error is logged with its frames as file:line, the route and the activity id; never its message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soc-err-'));
    const real = openSqliteStore({ file: join(dir, 'store.db') });
    let armed = false;
    // The real store, with one read that fails as a bug would: with a message quoting what was typed.
    const store = new Proxy(real, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (key !== 'gaps' || !value || typeof value !== 'object') {
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        }
        return new Proxy(value, {
          get(repo, k) {
            const fn = Reflect.get(repo, k) as unknown;
            if (typeof fn !== 'function') return fn;
            return (...args: unknown[]) => {
              if (armed && k === 'factsByDistrict') throw new TypeError('cannot read secret-pangolin of undefined');
              return (fn as (...a: unknown[]) => unknown).apply(repo, args);
            };
          },
        });
      },
    }) as Store;
    const lines: string[] = [];
    const bot = await BotUnderTest.start({ store, env: { LOG_LEVEL: 'info' }, logTo: collect(lines) });
    try {
      armed = true;
      const activity = message('summary Everton', at(bot));
      const text = cardText(onlyCard(await bot.post(activity)));
      expect(text).toContain(`give your admin this reference: ${activity.id}`);
      const failed = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'turn failed');
      expect(failed).toMatchObject({ activityId: activity.id, route: 'summary', err: { name: 'TypeError' } });
      const frames = (failed!.err as { frames: string[] }).frames;
      expect(frames.length).toBeGreaterThan(0);
      expect(frames[0]).toMatch(/^test\/bot\/ways-in\.e2e\.test\.ts:\d+:\d+$/);
      expect(frames.some((f) => /^src\/services\/district-profiles\.ts:\d+:\d+$/.test(f))).toBe(true);
      expect(lines.join('\n')).not.toContain('pangolin');
    } finally {
      await bot.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('each refused token is one JSON log line, not a trace on stderr', async () => {
    const key = signingKey('teams-key');
    const openId = new OpenIdService(ISSUER, [key]);
    await openId.start();
    const printed: unknown[][] = [];
    const lines: string[] = [];
    const env = { ...authenticatedEnv(openId), LOG_LEVEL: 'info' };
    // What would reach stderr: the bot's filter of the token library's prints sits in front of this.
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(args));
    const bot = await BotUnderTest.start({ env, logTo: collect(lines) });
    try {
      const now = Math.floor(Date.now() / 1000);
      const claims = { iss: ISSUER, aud: APP_ID, serviceurl: bot.connector.url, nbf: now - 60, exp: now + 3600 };
      const tokens = [
        'not.a.token',
        signToken({ ...claims, nbf: now - 7200, exp: now - 3600 }, key),
        signToken(claims, signingKey('teams-key')),
      ];
      const ids: string[] = [];
      for (const token of tokens) {
        const activity = message('help', at(bot));
        ids.push(activity.id);
        const r = await bot.post(activity, { headers: { authorization: `Bearer ${token}` } });
        expect(r.status).toBe(401);
      }
      const refused = lines.filter((l) => l.includes('UNAUTHORIZED'));
      expect(refused.map((l) => (JSON.parse(l) as { activityId: string }).activityId)).toEqual(ids);
      for (const l of refused) expect(JSON.parse(l)).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
      expect(printed).toEqual([]);
    } finally {
      await bot.close();
      await openId.close();
    }
  });
});

/** Authentication on, against the loopback OpenID service: the settings a Teams-facing bot runs with. */
function authenticatedEnv(openId: OpenIdService): Record<string, string> {
  return {
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-a-real-secret',
    MicrosoftAppTenantId: TENANT_ID,
    MicrosoftAppType: 'SingleTenant',
    ALLOWED_TENANT_IDS: TENANT_ID,
    BOT_OPENID_METADATA_URL: openId.metadataUrl,
    BOT_TOKEN_ISSUER: ISSUER,
  };
}
