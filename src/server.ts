import restify from 'restify';
import { z } from 'zod';
import type { Bot } from './bot/app.js';
import { errorSummary } from './bot/guard.js';
import type { Logger } from './log.js';
import type { Store } from './store/store.js';

/**
 * What any Bot Framework activity must have before the adapter sees it. Anything less is a
 * malformed request and gets 400, not a crash or a turn that fails half-way.
 */
const IncomingActivity = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(512).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: z
      .string()
      .max(2048)
      .url()
      .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL'),
    from: z.object({ id: z.string().min(1).max(512), aadObjectId: z.string().max(64).optional() }).passthrough(),
    conversation: z
      .object({
        id: z.string().min(1).max(1024),
        conversationType: z.string().max(64).optional(),
        tenantId: z.string().max(64).optional(),
      })
      .passthrough(),
    recipient: z.object({ id: z.string().min(1).max(512) }).passthrough(),
    // Read by teams-ai and botbuilder before any of our code: the wrong type would fail the turn.
    text: z.string().optional(),
    value: z.object({}).passthrough().optional(),
    entities: z
      .array(
        z
          .object({
            type: z.string().optional(),
            mentioned: z.object({ id: z.string() }).passthrough().optional(),
            text: z.string().optional(),
          })
          .passthrough()
          .refine((e) => e.type !== 'mention' || e.mentioned !== undefined, 'a mention names who is mentioned'),
      )
      .optional(),
    channelData: z
      .object({
        tenant: z
          .object({ id: z.string().max(64).optional() })
          .passthrough()
          .optional(),
        team: z
          .object({ id: z.string().max(1024).optional() })
          .passthrough()
          .optional(),
        channel: z
          .object({ id: z.string().max(1024).optional() })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

export const MAX_BODY_BYTES = 256 * 1024;
const READY_TIMEOUT_MS = 2_000;

export interface ServerDeps {
  bot: Bot;
  store: Store;
  log: Logger;
}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * Teams never compresses what it sends, and restify would inflate a gzip body before any token is
 * checked (a 200 KB body can inflate to hundreds of megabytes). So any Content-Encoding but
 * identity is refused with 415 before a byte of the body is read, and a body that says it is over
 * the limit gets 413 at once; what is read is then capped at MAX_BODY_BYTES, encoded or not.
 */
function refuseEncodedBodies(log: Logger): restify.RequestHandler {
  return (req, res, next) => {
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined) {
      const codings = String(encoding)
        .split(',')
        .map((c) => c.trim().toLowerCase())
        .filter((c) => c !== '');
      if (codings.some((c) => c !== 'identity')) {
        log.warn({ code: 'ENCODING_REFUSED', status: 415 }, 'encoded request body refused');
        res.header('Accept-Encoding', 'identity');
        res.header('Connection', 'close');
        res.send(415, { error: 'Content-Encoding is not supported; send the body uncompressed' });
        return next(false);
      }
      // restify's body reader knows only gzip; identity means "not encoded", so say nothing.
      delete req.headers['content-encoding'];
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      log.warn({ code: 'BODY_TOO_LARGE', status: 413, bytes: declared }, 'request body refused');
      res.header('Connection', 'close');
      res.send(413, { error: `the request body is over ${MAX_BODY_BYTES} bytes` });
      return next(false);
    }
    return next();
  };
}

export function createServer({ bot, store, log }: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'soc-profiles-bot' });
  server.pre(refuseEncodedBodies(log));
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    const parsed = IncomingActivity.safeParse(req.body);
    if (!parsed.success) {
      log.warn({ issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'malformed activity refused');
      res.send(400, {
        error: 'malformed activity',
        issues: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`),
      });
      return;
    }
    const started = performance.now();
    try {
      await bot.adapter.process(req, res, async (context) => {
        await bot.app.run(context);
      });
    } catch (err) {
      log.error({ activityId: parsed.data.id, err: errorSummary(err) }, 'activity processing failed');
      if (!res.headersSent) res.send(500, { error: 'the activity could not be processed' });
    }
    log.debug(
      {
        activityId: parsed.data.id,
        type: parsed.data.type,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      },
      'activity',
    );
  });

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req: restify.Request, res: restify.Response) => {
    try {
      await within(store.ping(), READY_TIMEOUT_MS);
      res.send(200, { status: 'ready', store: store.kind });
    } catch (err) {
      log.warn({ err: errorSummary(err) }, 'not ready: store unreachable');
      res.send(503, { status: 'unavailable', store: store.kind });
    }
  });

  return server;
}
