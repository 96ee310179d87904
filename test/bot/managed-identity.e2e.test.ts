import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message, TENANT_ID } from '../support/activities.js';
import { cardText } from '../support/cards.js';
import { BotUnderTest, onlyCard } from '../support/harness.js';
import { alex } from '../support/people.js';
import { loopbackOutbound, OpenIdService, signingKey, signToken } from '../support/token-service.js';

/**
 * infra/main.bicep runs the bot as its user-assigned managed identity (issue 13, finding 7): the
 * app id is the identity's client id, the type `UserAssignedMSI`, and there is no password. The
 * bot starts with exactly that, verifies Teams' tokens for that app id, and refuses the rest.
 * (Replies' own tokens come from the identity endpoint on Azure; the loopback stands in here.)
 */
const IDENTITY_CLIENT_ID = '0b4c1d2e-3f40-4152-9a6b-7c8d9e0f1a2b';
const ISSUER = 'https://api.botframework.test';

describe('the bot as a user-assigned managed identity', () => {
  const key = signingKey('teams-key');
  const openId = new OpenIdService(ISSUER, [key]);
  let bot: BotUnderTest;

  beforeAll(async () => {
    await openId.start();
    const env = {
      MicrosoftAppId: IDENTITY_CLIENT_ID,
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: TENANT_ID,
      ALLOWED_TENANT_IDS: TENANT_ID,
      BOT_OPENID_METADATA_URL: openId.metadataUrl,
      BOT_TOKEN_ISSUER: ISSUER,
    };
    bot = await BotUnderTest.start({ env, outboundCredentials: loopbackOutbound(env) });
  });
  afterAll(async () => {
    await bot?.close();
    await openId.close();
  });

  const token = (aud: string) => {
    const now = Math.floor(Date.now() / 1000);
    return signToken({ iss: ISSUER, aud, serviceurl: bot.connector.url, nbf: now - 60, exp: now + 3600 }, key);
  };
  const help = () => message('help', { from: alex, where: 'personal', serviceUrl: bot.connector.url });

  it('answers a Teams token for the identity as its app id', async () => {
    const r = await bot.post(help(), { headers: { authorization: `Bearer ${token(IDENTITY_CLIENT_ID)}` } });
    expect(r.status).toBe(200);
    expect(cardText(onlyCard(r))).toContain('help');
  });

  it('refuses a token for any other app id, and one with none', async () => {
    const other = await bot.post(help(), {
      headers: { authorization: `Bearer ${token('33333333-4444-5555-6666-777777777777')}` },
    });
    expect(other.status).toBe(401);
    expect(other.posted).toEqual([]);
    expect((await bot.post(help())).status).toBe(401);
  });
});
