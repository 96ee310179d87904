import type { TeamsAdapter } from '@microsoft/teams-ai';
import { StatusCodes } from 'botbuilder';
import { AuthenticationError, type BotFrameworkAuthentication } from 'botframework-connector';

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
