import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { AuthConfig } from '../config.js';
import type { OutboundCredentials } from './app.js';

const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/**
 * A Microsoft Graph token for the bot's own identity, from the same credential machinery the
 * adapter signs its replies with: on Azure the user-assigned managed identity (resource
 * https://graph.microsoft.com), otherwise the app's password (scope …/.default), in the
 * identity's own tenant, where the application permission was consented. `outbound` replaces it
 * only in the tests (the loopback token stand-in). The credentials cache and renew the token.
 */
export function graphTokenSource(
  auth: Extract<AuthConfig, { enabled: true }>,
  outbound?: OutboundCredentials,
): () => Promise<string> {
  const factory =
    outbound ??
    new ConfigurationServiceClientCredentialFactory({
      MicrosoftAppId: auth.appId,
      MicrosoftAppPassword: auth.appPassword ?? '',
      MicrosoftAppType: auth.appType,
      MicrosoftAppTenantId: auth.tenantId ?? '',
    });
  const loginEndpoint = `https://login.microsoftonline.com/${auth.tenantId ?? 'botframework.com'}`;
  let credentials: ReturnType<OutboundCredentials['createCredentials']> | undefined;
  return async () => {
    credentials ??= factory.createCredentials(auth.appId, GRAPH_AUDIENCE, loginEndpoint, true);
    let header: string | undefined;
    const request = {
      headers: {
        set(name: string, value: string) {
          if (name.toLowerCase() === 'authorization') header = value;
        },
      },
    };
    try {
      await (await credentials).signRequest(request as never);
    } catch (err) {
      credentials = undefined;
      throw err;
    }
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token) throw new Error('no Graph token');
    return token;
  };
}
