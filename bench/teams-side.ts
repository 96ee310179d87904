import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parentPort } from 'node:worker_threads';
import { actionExecute, message, type Person } from '../test/support/activities.js';
import { actionsOf, cardProblems, type Card } from '../test/support/cards.js';
import { SENDER } from './generate.js';

/**
 * The Teams side of the benchmark, run in a worker thread so that building requests, the
 * connector and checking replies do not share the bot's event loop (as in production, where
 * Teams is somebody else's computer). It POSTs Teams-shaped activities to a bot, and plays the
 * Bot Framework connector the bot replies to, as test/support/harness.ts's Connector does, but
 * indexed by the activity replied to so that replies to concurrent requests can be told apart.
 */

export interface Expectation {
  /**
   * summary: the card must be this district's; echo: the reply must be the text sent; card: one
   * Adaptive Card (posted, or in the invoke response) whose JSON holds `contains`.
   */
  kind: 'summary' | 'echo' | 'card';
  districtId?: string;
  districtName?: string;
  contains?: string;
}

export interface PhaseRequest {
  text: string;
  /** An Action.Execute press (answered in the HTTP response) instead of a typed message. */
  invoke?: { verb: string; data: unknown };
  expect: Expectation;
}

/** The bots the Teams side talks to, each with a connector of its own. */
export type Target = 'soc' | 'echo' | 'card';

export type ToWorker =
  | { type: 'phase'; id: number; target: Target; url: string; requests: PhaseRequest[]; concurrency: number }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; connectors: Record<Target, string> }
  | {
      type: 'done';
      id: number;
      /** Per request, in ms, in the order they completed. */
      latencies: Float64Array;
      elapsedMs: number;
      failures: number;
      failureSamples: string[];
      cardsSchemaChecked: number;
      connectorPosts: number;
      /** Bytes of the reply activities the bot posted to the connector (or of invoke responses). */
      replyBytes: number;
      /** The first card a reply carried, as JSON: what the card floor then answers with. */
      sampleCard?: string;
    };

interface Posted {
  method: string;
  bytes: number;
  conversationId: string;
  activity: { type?: string; text?: string; attachments?: { contentType: string; content: unknown }[] };
}

class IndexedConnector {
  private server: Server | undefined;
  private readonly byReplyTo = new Map<string, Posted[]>();
  posts = 0;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) {
        res.writeHead(404);
        res.end();
        return;
      }
      this.posts += 1;
      const replyTo = m[2] ? decodeURIComponent(m[2]) : '';
      const list = this.byReplyTo.get(replyTo) ?? [];
      const body = Buffer.concat(chunks);
      list.push({
        method: req.method,
        bytes: body.length,
        conversationId: decodeURIComponent(m[1]!),
        activity: JSON.parse(body.toString('utf8')) as Posted['activity'],
      });
      this.byReplyTo.set(replyTo, list);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${this.posts}` }));
    });
  }

  /** What the bot posted in reply to an activity, removed from the record. */
  take(activityId: string): Posted[] {
    const list = this.byReplyTo.get(activityId) ?? [];
    this.byReplyTo.delete(activityId);
    return list;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Why a reply is wrong, or undefined if it is the one expected. */
function problemWith(
  status: number,
  posted: readonly Posted[],
  sent: PhaseRequest & { conversationId: string },
  deep: boolean,
  invokeCard: unknown,
): string | undefined {
  if (status !== 200) return `HTTP ${status}`;
  if (sent.expect.kind === 'card') {
    let card = invokeCard as Card | undefined;
    if (!sent.invoke) {
      if (posted.length !== 1) return `expected one reply, got ${posted.length}`;
      const cards = (posted[0]!.activity.attachments ?? []).filter(
        (a) => a.contentType === 'application/vnd.microsoft.card.adaptive',
      );
      if (cards.length !== 1) return `expected one Adaptive Card, got ${cards.length}`;
      card = cards[0]!.content as Card;
    } else if (posted.length !== 0) return `an invoke was answered with ${posted.length} posts`;
    if (!card || (card as { type?: string }).type !== 'AdaptiveCard') return 'no Adaptive Card in the answer';
    if (sent.expect.contains && !JSON.stringify(card).includes(sent.expect.contains))
      return `the card does not hold ${JSON.stringify(sent.expect.contains)}`;
    if (deep) {
      const problems = cardProblems(card);
      if (problems.length) return `invalid card: ${problems.join('; ')}`;
    }
    return undefined;
  }
  if (posted.length !== 1) return `expected one reply, got ${posted.length}`;
  if (posted[0]!.conversationId !== sent.conversationId) return `reply went to ${posted[0]!.conversationId}`;
  const reply = posted[0]!.activity;
  if (sent.expect.kind === 'echo') {
    return reply.type === 'message' && reply.text === sent.text
      ? undefined
      : `echo reply was ${JSON.stringify(reply.text)}`;
  }
  const cards = (reply.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  if (cards.length !== 1) return `expected one Adaptive Card, got ${cards.length} (text ${JSON.stringify(reply.text)})`;
  const card = cards[0]!.content as Card & { body?: { type?: string; text?: string; items?: { text?: string }[] }[] };
  const banner = card.body?.[0]?.items?.[0]?.text ?? '';
  if (!/^OFFICIAL(-SENSITIVE)?$/.test(banner)) return `banner was ${JSON.stringify(banner)}`;
  const title = card.body?.[1]?.text;
  if (title !== sent.expect.districtName)
    return `card title was ${JSON.stringify(title)}, expected ${JSON.stringify(sent.expect.districtName)}`;
  const ids = new Set(actionsOf(card).map((a) => (a.data as { districtId?: string } | undefined)?.districtId));
  if (!ids.has(sent.expect.districtId))
    return `card buttons are for ${[...ids].join(', ')}, not ${sent.expect.districtId}`;
  if (deep) {
    const problems = cardProblems(card);
    if (problems.length) return `invalid card: ${problems.join('; ')}`;
  }
  return undefined;
}

/** Cards checked in full (schema, size, verbs) per phase; the rest are checked for title, banner and id. */
const DEEP_CHECKS = 25;

async function runPhase(
  msg: Extract<ToWorker, { type: 'phase' }>,
  connector: IndexedConnector,
  sender: Person,
): Promise<FromWorker> {
  // Built before the clock starts, from the real Teams fixture (a 1:1 chat message).
  const bodies = msg.requests.map((r) => {
    const addressing = { from: sender, where: 'personal', serviceUrl: connector.url } as const;
    const activity = r.invoke
      ? actionExecute(r.invoke.verb, r.invoke.data, r.text, addressing)
      : message(r.text, addressing);
    return {
      id: activity.id,
      body: JSON.stringify(activity),
      request: { ...r, conversationId: activity.conversation.id },
    };
  });
  const endpoint = `${msg.url}/api/messages`;
  const latencies = new Float64Array(bodies.length);
  const failureSamples: string[] = [];
  let failures = 0;
  let deepChecked = 0;
  let replyBytes = 0;
  let sampleCard: string | undefined;
  let done = 0;
  let nextIndex = 0;
  const postsBefore = connector.posts;

  const one = async (i: number) => {
    const { id, body, request } = bodies[i]!;
    const t0 = performance.now();
    let status = 0;
    let answer = '';
    try {
      const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      answer = await res.text();
      status = res.status;
    } catch (err) {
      status = -1;
      if (failureSamples.length < 5) failureSamples.push(`request failed: ${(err as Error).message}`);
    }
    latencies[done++] = performance.now() - t0;
    const deep = request.expect.kind !== 'echo' && deepChecked < DEEP_CHECKS;
    if (deep) deepChecked += 1;
    const posted = connector.take(id);
    replyBytes += posted.reduce((sum, p) => sum + p.bytes, 0);
    let invokeCard: unknown;
    if (request.invoke && answer) {
      replyBytes += Buffer.byteLength(answer);
      try {
        invokeCard = (JSON.parse(answer) as { value?: unknown }).value;
      } catch {
        invokeCard = undefined;
      }
    }
    if (sampleCard === undefined && status === 200) {
      const card =
        invokeCard ??
        posted[0]?.activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
          ?.content;
      if (card) sampleCard = JSON.stringify(card);
    }
    const problem = status === -1 ? 'no response' : problemWith(status, posted, request, deep, invokeCard);
    if (problem) {
      failures += 1;
      if (failureSamples.length < 5) failureSamples.push(`${request.text}: ${problem}`);
    }
  };
  const lane = async () => {
    while (nextIndex < bodies.length) await one(nextIndex++);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(msg.concurrency, bodies.length) }, lane));
  const elapsedMs = performance.now() - started;
  return {
    type: 'done',
    id: msg.id,
    latencies,
    elapsedMs,
    failures,
    failureSamples,
    cardsSchemaChecked: deepChecked,
    connectorPosts: connector.posts - postsBefore,
    replyBytes,
    ...(sampleCard === undefined ? {} : { sampleCard }),
  };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('teams-side.ts runs as a worker thread of summary.bench.ts');
  const connectors = { soc: new IndexedConnector(), echo: new IndexedConnector(), card: new IndexedConnector() };
  await Promise.all(Object.values(connectors).map((c) => c.start()));
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'stop') {
      void Promise.all(Object.values(connectors).map((c) => c.close())).then(() => port.close());
      return;
    }
    void runPhase(msg, connectors[msg.target], SENDER).then((result) => {
      const transfer = result.type === 'done' ? [result.latencies.buffer] : [];
      port.postMessage(result, transfer as ArrayBuffer[]);
    });
  });
  port.postMessage({
    type: 'ready',
    connectors: { soc: connectors.soc.url, echo: connectors.echo.url, card: connectors.card.url },
  } satisfies FromWorker);
}

void main();
