import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { Clock } from '../../src/services/clock.js';
import type { OutboundCredentials } from '../../src/bot/app.js';
import { start, type Running } from '../../src/start.js';

type StartOptions = NonNullable<Parameters<typeof start>[2]>;
import type { Store } from '../../src/store/store.js';
import {
  actionExecute,
  botAdded,
  cardSubmit,
  message,
  type Activity,
  type Addressing,
  type Person,
  type Where,
} from './activities.js';
import { cardProblems, classificationProblems, findAction, type Card } from './cards.js';

/** What the bot sent to the Teams connector: a new activity (POST) or a replaced one (PUT). */
export interface Posted {
  method: 'POST' | 'PUT';
  conversationId: string;
  /** POST: the activity replied to; PUT: the activity replaced. */
  replyToId: string | undefined;
  activity: { type: string; text?: string; attachments?: { contentType: string; content: unknown }[] };
  /** The Authorization header the bot sent, if any. */
  authorization: string | undefined;
}

/**
 * Plays the Teams service's side: receives the bot's replies on
 * POST /v3/conversations/{id}/activities[/{replyToId}], and card updates on
 * PUT /v3/conversations/{id}/activities/{activityId}, and records them.
 */
export class Connector {
  readonly posted: Posted[] = [];
  /**
   * Who Teams would say a member is (GET …/members/{id}, TeamsInfo.getMember), by Teams user id
   * (29:…). Anyone not here is 404, as Teams answers for someone outside the conversation.
   */
  readonly roster = new Map<string, { id: string; name: string; aadObjectId: string }>();
  /** Requests answered with a scripted failure instead of being recorded. */
  readonly refused: { status: number; conversationId: string; at: number }[] = [];
  /**
   * Conversations the bot asked to create (POST /v3/conversations): Teams answers a person's
   * existing 1:1 chat with the bot once the app is installed for them, here `a:1personal-<object id>`.
   */
  readonly created: { members: { id?: string; aadObjectId?: string }[]; tenantId?: string; authorization?: string }[] =
    [];
  /** Failures to answer, in order, before recording again (429 with Retry-After, 500, …). */
  private readonly script: { status: number; headers?: Record<string, string>; conversationId?: string }[] = [];
  private server: Server | undefined;
  url = '';

  /**
   * What was wrong with any card the bot sent here, in a reply or proactively (a task card, a
   * digest): closing the bot fails the test file if it is not empty.
   */
  readonly invalidCards: string[] = [];

  /** While set, every request gets this status (a Teams outage), after any scripted answers. */
  outage: number | undefined;

  /**
   * The next requests get these answers (one each), as a throttled or failing Teams service would;
   * an answer naming a conversation is kept for the next request to that conversation.
   */
  fail(...answers: { status: number; retryAfterSeconds?: number; conversationId?: string }[]): void {
    for (const a of answers) {
      this.script.push({
        status: a.status,
        ...(a.retryAfterSeconds !== undefined ? { headers: { 'retry-after': String(a.retryAfterSeconds) } } : {}),
        ...(a.conversationId !== undefined ? { conversationId: a.conversationId } : {}),
      });
    }
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const member = /^\/v3\/conversations\/[^/]+\/members\/([^/?]+)/.exec(req.url ?? '');
      if (req.method === 'GET' && member) {
        const found = this.roster.get(decodeURIComponent(member[1]!));
        res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(found ?? { error: { code: 'MemberNotFoundInConversation' } }));
        return;
      }
      if (req.method === 'POST' && /^\/v3\/conversations\/?(?:\?.*)?$/.test(req.url ?? '')) {
        const params = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Connector['created'][number];
        this.created.push({
          ...params,
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        });
        const who = params.members?.[0]?.aadObjectId ?? params.members?.[0]?.id ?? 'unknown';
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `a:1personal-${who}` }));
        return;
      }
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
      // Not chained: restify patches http.ServerResponse in this process, and its writeHead returns nothing.
      const method = req.method === 'POST' || (req.method === 'PUT' && m?.[2]) ? req.method : undefined;
      if (!method || !m) {
        res.writeHead(404);
        res.end();
        return;
      }
      const conversationId = decodeURIComponent(m[1]!);
      const next = this.script.findIndex((a) => a.conversationId === undefined || a.conversationId === conversationId);
      const scripted =
        (next >= 0 ? this.script.splice(next, 1)[0] : undefined) ?? (this.outage ? { status: this.outage } : undefined);
      if (scripted) {
        this.refused.push({ status: scripted.status, conversationId: decodeURIComponent(m[1]!), at: Date.now() });
        res.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
        res.end(JSON.stringify({ error: { code: 'ScriptedFailure', message: 'scripted by the test' } }));
        return;
      }
      const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Posted['activity'] & {
        conversation?: { conversationType?: string };
      };
      for (const a of activity.attachments ?? []) {
        if (a.contentType !== 'application/vnd.microsoft.card.adaptive') continue;
        const card = a.content as Card;
        const where = activity.conversation?.conversationType;
        const problems = [...cardProblems(card), ...classificationProblems(card, where)];
        if (problems.length) this.invalidCards.push(`to ${String(where)} ${m[1]}: ${problems.join('; ')}`);
      }
      this.posted.push({
        method: method as Posted['method'],
        conversationId: decodeURIComponent(m[1]!),
        replyToId: m[2] ? decodeURIComponent(m[2]) : undefined,
        activity,
        authorization: req.headers.authorization,
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${this.posted.length}` }));
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface TurnResult {
  status: number;
  /** The invoke response body (Action.Execute), if any. */
  body: unknown;
  /** Every activity the bot posted during the turn. */
  posted: Posted[];
  /** Cards the bot replaced in place (an Action.Execute answered for everyone). */
  updated: Card[];
  /** The Adaptive Cards among them, each already checked against the schema and size limit. */
  cards: Card[];
}

function cardsIn(posted: readonly Posted[]): Card[] {
  return posted.flatMap((p) =>
    (p.activity.attachments ?? [])
      .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
      .map((a) => a.content as Card),
  );
}

function assertValid(cards: readonly Card[], conversationType: string | undefined): void {
  for (const card of cards) {
    const problems = [...cardProblems(card), ...classificationProblems(card, conversationType)];
    if (problems.length) throw new Error(`the bot sent an invalid card:\n${problems.join('\n')}`);
  }
}

export interface BotOptions {
  /** Load the Merseyside demo partnership (real 2019 data) into a fresh store. Default true. */
  demo?: boolean;
  store?: Store;
  clock?: Clock;
  env?: Record<string, string>;
  /** Where the bot's logs go (at LOG_LEVEL from env, default silent). */
  logTo?: NodeJS.WritableStream;
  /** Stands in for Microsoft's token service when the bot replies with authentication on. */
  outboundCredentials?: OutboundCredentials;
  /** A connector that outlives this bot (a restart test); by default each bot has its own. */
  connector?: Connector;
  digestHooks?: StartOptions['digestHooks'];
}

export class BotUnderTest {
  private constructor(
    readonly running: Running,
    readonly connector: Connector,
    private readonly dataDir: string,
    private readonly ownsConnector: boolean,
  ) {}

  static async start(options: BotOptions = {}): Promise<BotUnderTest> {
    const dataDir = mkdtempSync(join(tmpdir(), 'soc-bot-'));
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO_DATA: options.demo === false ? 'off' : 'on',
      LOG_LEVEL: 'silent',
      // A test sends commands far faster than a person; the rate-limit tests set their own.
      COMMANDS_PER_MINUTE: '6000',
      COMMAND_BURST: '1000',
      // Digest runs happen when a test calls running.digests.runOnce(), never on a timer.
      DIGEST_CHECK_SECONDS: '0',
      // Likewise reminders: running.reminders.runOnce().
      REMINDER_CHECK_SECONDS: '0',
      ...options.env,
    });
    const running = await start(config, createLogger(config.logLevel, options.logTo), {
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.store ? { store: options.store } : {}),
      ...(options.outboundCredentials ? { outboundCredentials: options.outboundCredentials } : {}),
      ...(options.digestHooks ? { digestHooks: options.digestHooks } : {}),
    });
    const connector = options.connector ?? new Connector();
    if (!options.connector) await connector.start();
    return new BotUnderTest(running, connector, dataDir, !options.connector);
  }

  get store(): Store {
    return this.running.store;
  }

  get url(): string {
    return `${this.running.url}/api/messages`;
  }

  /** POSTs an activity as Teams would and collects what the bot posted while handling it. */
  async post(
    activity: Activity | Record<string, unknown>,
    init: { headers?: Record<string, string> } = {},
  ): Promise<TurnResult> {
    const before = this.connector.posted.length;
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...init.headers },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    const sent = this.connector.posted.slice(before);
    const posted = sent.filter((p) => p.method === 'POST');
    const cards = cardsIn(posted);
    const updated = cardsIn(sent.filter((p) => p.method === 'PUT'));
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const invokeCard = (body as { value?: { type?: string } } | undefined)?.value;
    if (invokeCard?.type === 'AdaptiveCard') cards.push(invokeCard as Card);
    const conversationType = (activity as { conversation?: { conversationType?: string } }).conversation
      ?.conversationType;
    assertValid([...cards, ...updated], conversationType);
    return { status: res.status, body, posted, cards, updated };
  }

  private addressing(as: Person, where: Where): Addressing {
    return { from: as, where, serviceUrl: this.connector.url };
  }

  say(text: string, as: Person, where: Where = 'personal'): Promise<TurnResult> {
    return this.post(message(text, this.addressing(as, where)));
  }

  install(as: Person, where: Where = 'personal'): Promise<TurnResult> {
    return this.post(botAdded(this.addressing(as, where)));
  }

  /**
   * Presses a button on a card the bot sent, the way Teams does for its type: the card's inputs
   * (what the person filled in) are merged into the button's data.
   */
  press(
    card: Card,
    title: string,
    as: Person,
    where: Where = 'personal',
    inputs: Record<string, unknown> = {},
  ): Promise<TurnResult> {
    const action = findAction(card, title);
    const data = { ...(action.data as Record<string, unknown> | undefined), ...inputs };
    if (action.type === 'Action.Submit') return this.post(cardSubmit(data, this.addressing(as, where)));
    if (action.type === 'Action.Execute') {
      return this.post(actionExecute(String(action.verb), data, title, this.addressing(as, where)));
    }
    throw new Error(`cannot press a ${action.type}`);
  }

  async close(): Promise<void> {
    if (this.ownsConnector) await this.connector.close();
    await this.running.close();
    rmSync(this.dataDir, { recursive: true, force: true });
    if (this.connector.invalidCards.length) {
      throw new Error(`the bot sent invalid cards:\n${this.connector.invalidCards.join('\n')}`);
    }
  }
}

/** The one card a turn answered with; fails clearly if there was not exactly one. */
export function onlyCard(result: TurnResult): Card {
  if (result.cards.length !== 1) {
    throw new Error(
      `expected one card, got ${result.cards.length} (status ${result.status}): ${JSON.stringify(result.posted.map((p) => p.activity.text ?? p.activity.type))}`,
    );
  }
  return result.cards[0]!;
}
