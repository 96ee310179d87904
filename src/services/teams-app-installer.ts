import type { Logger } from '../log.js';

/**
 * Installs the bot's Teams app in a person's personal scope through Microsoft Graph, so the bot
 * can reach someone who has never chatted with it (Teams lets a bot start a 1:1 chat only once
 * it is installed for that person). As documented for proactive installation:
 *   POST {graph}/users/{aadObjectId}/teamwork/installedApps
 *   { "teamsApp@odata.bind": "{graph}/appCatalogs/teamsApps/{catalogAppId}" }
 * answers 201 Created (Teams then sends the bot a conversationUpdate for the new 1:1 chat) or
 * 409 Conflict when the app is already installed for them. It needs the application permission
 * TeamsAppInstallation.ReadWriteForUser.All with admin consent (ReadWriteSelfForUser.All once the
 * manifest declares webApplicationInfo); without it Graph answers 403.
 *
 * One request, with a timeout; on 429 one more after Retry-After (bounded), never a loop. Logs
 * carry the person's object id, statuses and Graph's error code, never a body.
 */
export type InstallOutcome =
  | { kind: 'installed' }
  | { kind: 'already-installed' }
  /** Graph said no (no permission, unknown app or user): retrying will not help. */
  | { kind: 'refused'; status: number; code: string }
  /** Graph or the token could not be had: a timeout, a network error, 5xx, or 429 twice. */
  | { kind: 'failed'; reason: string };

export interface HttpRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  retryAfter: string | null;
  /** Graph's error code (`error.code`), when the body has one. */
  errorCode?: string;
}

/** The one HTTP call the installer makes: fetch in production, the same over loopback in tests. */
export type HttpPort = (request: HttpRequest) => Promise<HttpAnswer>;

export const fetchPort: HttpPort = async (request) => {
  const res = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
  });
  let errorCode: string | undefined;
  if (res.status >= 400) {
    const body = (await res.json().catch(() => undefined)) as { error?: { code?: unknown } } | undefined;
    const code = body?.error?.code;
    // A code is an identifier; anything else (a message) is not logged.
    if (typeof code === 'string' && /^[A-Za-z][A-Za-z0-9_.]{0,63}$/.test(code)) errorCode = code;
  } else {
    await res.body?.cancel();
  }
  return { status: res.status, retryAfter: res.headers.get('retry-after'), ...(errorCode ? { errorCode } : {}) };
};

export interface InstallerOptions {
  /** Graph's base URL with its version, no trailing slash. */
  baseUrl: string;
  catalogAppId: string;
  /** A Graph access token for the bot's own identity (scope https://graph.microsoft.com/.default). */
  token: () => Promise<string>;
  log: Logger;
  http?: HttpPort;
  timeoutMs?: number;
  /** The longest Retry-After honoured once; a longer one is a failure, not a wait. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

// The install runs inside the coordinator's turn, which Teams gives about 15 seconds: at worst a
// slow 429, the bounded wait and one more attempt (12 s) fit, with room for the card sends.
const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_RETRY_AFTER_MS = 2_000;

export class TeamsAppInstaller {
  private readonly http: HttpPort;
  private readonly timeoutMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: InstallerOptions) {
    this.http = options.http ?? fetchPort;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async installFor(aadObjectId: string): Promise<InstallOutcome> {
    const outcome = await this.attempt(aadObjectId);
    const log = this.options.log;
    if (outcome.kind === 'refused') {
      log.warn(
        { aadObjectId, status: outcome.status, graphCode: outcome.code, code: 'APP_INSTALL_REFUSED' },
        'Graph refused to install the app for a task owner (see infra/README.md: the permission needs admin consent)',
      );
    } else if (outcome.kind === 'failed') {
      log.warn({ aadObjectId, reason: outcome.reason, code: 'APP_INSTALL_FAILED' }, 'app install through Graph failed');
    } else {
      log.info({ aadObjectId, outcome: outcome.kind, code: 'APP_INSTALL' }, 'app installed through Graph');
    }
    return outcome;
  }

  private async attempt(aadObjectId: string): Promise<InstallOutcome> {
    let token: string;
    try {
      token = await this.options.token();
    } catch {
      return { kind: 'failed', reason: 'token' };
    }
    const { baseUrl, catalogAppId } = this.options;
    const request = (signal: AbortSignal): HttpRequest => ({
      method: 'POST',
      url: `${baseUrl}/users/${encodeURIComponent(aadObjectId)}/teamwork/installedApps`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        'teamsApp@odata.bind': `${baseUrl}/appCatalogs/teamsApps/${encodeURIComponent(catalogAppId)}`,
      }),
      signal,
    });
    for (let attempt = 0; ; attempt++) {
      let answer: HttpAnswer;
      try {
        answer = await this.http(request(AbortSignal.timeout(this.timeoutMs)));
      } catch (err) {
        const name = (err as { name?: unknown })?.name;
        return { kind: 'failed', reason: name === 'TimeoutError' ? 'timeout' : 'network' };
      }
      if (answer.status === 201 || answer.status === 200) return { kind: 'installed' };
      if (answer.status === 409) return { kind: 'already-installed' };
      if (answer.status === 429 && attempt === 0) {
        const waitMs = retryAfterMs(answer.retryAfter);
        if (waitMs <= this.maxRetryAfterMs) {
          await this.sleep(waitMs);
          continue;
        }
      }
      if (answer.status === 429 || answer.status >= 500) return { kind: 'failed', reason: `HTTP ${answer.status}` };
      return { kind: 'refused', status: answer.status, code: answer.errorCode ?? 'unknown' };
    }
  }
}

/** Retry-After in seconds (Graph's form); absent or unreadable means a second. */
function retryAfterMs(value: string | null): number {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
}
