import { createServer, type RequestListener, type Server } from 'node:http';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { TeamsAppInstaller } from '../../src/services/teams-app-installer.js';

/**
 * The Graph installer over real HTTP on loopback: what it does when Graph does not answer, and
 * what of Graph's error reaches the log. (The whole path, Teams' activities included, is in
 * test/bot/app-install.e2e.test.ts.)
 */
const USER = '00000000-0000-0000-0000-0000000000024';
const CATALOG = '4ab1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function graph(handle: RequestListener): Promise<string> {
  server = createServer(handle);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1.0`;
}

function logged(): { stream: PassThrough; lines: () => Record<string, unknown>[] } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return {
    stream,
    lines: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('the Graph installer', () => {
  it('gives up on a Graph that does not answer within its timeout, once, and says so', async () => {
    let requests = 0;
    const baseUrl = await graph(() => {
      requests += 1; // and never answers
    });
    const log = logged();
    const installer = new TeamsAppInstaller({
      baseUrl,
      catalogAppId: CATALOG,
      token: async () => 'graph-token',
      log: createLogger('info', log.stream),
      timeoutMs: 300,
    });
    expect(await installer.installFor(USER)).toStrictEqual({ kind: 'failed', reason: 'timeout' });
    // Not asked again: a timed-out install is not retried (under load the one request may even
    // still be on its way when the timeout fires).
    await new Promise((r) => setTimeout(r, 1000));
    expect(requests).toBeLessThanOrEqual(1);
    expect(log.lines()).toMatchObject([{ aadObjectId: USER, reason: 'timeout', code: 'APP_INSTALL_FAILED' }]);
  });

  it("logs Graph's error code but never its message, nor the token", async () => {
    const baseUrl = await graph((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NotFound', message: 'Team app with id Patti Fernandez not found' } }));
    });
    const log = logged();
    const installer = new TeamsAppInstaller({
      baseUrl,
      catalogAppId: CATALOG,
      token: async () => 'graph-token-secret',
      log: createLogger('info', log.stream),
    });
    expect(await installer.installFor(USER)).toStrictEqual({ kind: 'refused', status: 404, code: 'NotFound' });
    const text = JSON.stringify(log.lines());
    expect(log.lines()).toMatchObject([{ status: 404, graphCode: 'NotFound', code: 'APP_INSTALL_REFUSED' }]);
    expect(text).not.toContain('Patti');
    expect(text).not.toContain('graph-token-secret');
  });

  it('fails without calling Graph when no token can be had', async () => {
    let requests = 0;
    const baseUrl = await graph((_req, res) => {
      requests += 1;
      res.writeHead(201);
      res.end();
    });
    const installer = new TeamsAppInstaller({
      baseUrl,
      catalogAppId: CATALOG,
      token: async () => {
        throw new Error('identity endpoint unreachable');
      },
      log: createLogger('silent'),
    });
    expect(await installer.installFor(USER)).toStrictEqual({ kind: 'failed', reason: 'token' });
    expect(requests).toBe(0);
  });
});
