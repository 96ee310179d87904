import type { TeamsAdapter } from '@microsoft/teams-ai';
import { StatusCodes, type InvokeResponse } from 'botbuilder';
import { AuthenticationError, type BotFrameworkAuthentication } from 'botframework-connector';
import type { Logger } from '../log.js';

/**
 * botframework-connector answers 401 for most bad tokens, but a bad signature or an unsigned
 * token ("alg": "none") surfaces as jsonwebtoken's own error, which the adapter turns into 500.
 * Either way nothing reached the bot; this makes every token that cannot be verified a 401, so
 * the caller is told it was refused, not that the bot broke. The error's text stays generic: the
 * library's own message can quote the token's claims.
 */
export function refuseUnverifiableTokens(adapter: TeamsAdapter): void {
  const auth = (adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication })
    .botFrameworkAuthentication;
  const authenticateRequest = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (activity, authHeader) => {
    try {
      return await authenticateRequest(activity, authHeader);
    } catch (err) {
      if (err instanceof AuthenticationError) throw err;
      throw new AuthenticationError('Unauthorized. The token could not be verified.', StatusCodes.UNAUTHORIZED);
    }
  };
}

/**
 * The adapter would print a refused token to stderr as a multi-line stack trace; instead each
 * refusal is one JSON log line (activity id and code, nothing from the token) and the same 401.
 * Any other failure is left to the adapter's own handling.
 */
export function logRefusedTokens(adapter: TeamsAdapter, log: Logger): void {
  // processActivity is protected; CloudAdapter.process calls it, and catches what it throws.
  const target = adapter as unknown as {
    processActivity: (auth: unknown, activity: { id?: unknown }, logic: unknown) => Promise<InvokeResponse | undefined>;
  };
  const processActivity = target.processActivity.bind(adapter);
  target.processActivity = async (auth, activity, logic) => {
    try {
      return await processActivity(auth, activity, logic);
    } catch (err) {
      if (!(err instanceof AuthenticationError)) throw err;
      log.warn(
        { activityId: typeof activity?.id === 'string' ? activity.id : undefined, code: 'UNAUTHORIZED', status: 401 },
        'token refused',
      );
      return { status: StatusCodes.UNAUTHORIZED, body: { error: 'unauthorized' } };
    }
  };
}

const quietPrints = new WeakSet<object>();

/**
 * botframework-connector prints a refused token's details to stderr itself (the jsonwebtoken
 * error with its stack, or "Error finding key for token" with the key): several lines per
 * request, outside the structured log. Those two prints, and only those, are dropped; the refusal
 * is logged once as JSON by logRefusedTokens.
 */
export function quietTokenLibrary(): void {
  if (quietPrints.has(console.error)) return;
  const print = console.error;
  const JWT_ERRORS = new Set(['TokenExpiredError', 'JsonWebTokenError', 'NotBeforeError']);
  const quiet = (...args: unknown[]): void => {
    const [first] = args;
    if (typeof first === 'string' && first.startsWith('Error finding key for token')) return;
    if (first instanceof Error && JWT_ERRORS.has(first.name)) return;
    print.apply(console, args);
  };
  quietPrints.add(quiet);
  console.error = quiet;
}
