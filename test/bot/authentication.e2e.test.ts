import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message, TENANT_ID } from '../support/activities.js';
import { cardText } from '../support/cards.js';
import { BotUnderTest, onlyCard, type TurnResult } from '../support/harness.js';
import { alex } from '../support/people.js';
import {
  loopbackOutbound,
  OpenIdService,
  OUTBOUND_TOKEN,
  signingKey,
  signToken,
  unsignedToken,
  type TokenClaims,
} from '../support/token-service.js';

const APP_ID = '33333333-4444-5555-6666-777777777777';
const ISSUER = 'https://api.botframework.test';
const CREDENTIALS = {
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: 'not-a-real-secret',
  MicrosoftAppTenantId: TENANT_ID,
  MicrosoftAppType: 'SingleTenant',
  ALLOWED_TENANT_IDS: TENANT_ID,
};

/**
 * Every request to /api/messages must carry a channel token the bot can verify: signed by a key
 * the OpenID metadata publishes and endorses for Teams, from the expected issuer, for this app,
 * for the activity's serviceUrl, and not expired. Anything else is 401 before any handler runs:
 * no reply, no conversation reference, no audit.
 */
describe('Bot Framework authentication, against a loopback OpenID and JWKS endpoint', () => {
  const teamsKey = signingKey('teams-key');
  const webchatOnlyKey = signingKey('webchat-only-key', ['webchat']);
  const forgerKey = signingKey('teams-key');
  const openId = new OpenIdService(ISSUER, [teamsKey, webchatOnlyKey]);
  let bot: BotUnderTest;

  beforeAll(async () => {
    await openId.start();
    const env = { ...CREDENTIALS, BOT_OPENID_METADATA_URL: openId.metadataUrl, BOT_TOKEN_ISSUER: ISSUER };
    bot = await BotUnderTest.start({ env, outboundCredentials: loopbackOutbound(env) });
  });
  afterAll(async () => {
    await bot?.close();
    await openId.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (over: Partial<TokenClaims> = {}): TokenClaims => ({
    iss: ISSUER,
    aud: APP_ID,
    serviceurl: bot.connector.url,
    nbf: now() - 60,
    exp: now() + 3600,
    ...over,
  });
  const help = () => message('help', { from: alex, where: 'personal', serviceUrl: bot.connector.url });
  const send = (token: string | undefined): Promise<TurnResult> =>
    bot.post(help(), token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });

  async function expectNothingReached(result: TurnResult): Promise<void> {
    expect(result.status).toBe(401);
    expect(result.posted).toHaveLength(0);
    expect(await bot.store.conversations.findPersonal(TENANT_ID, alex.aadObjectId)).toBeUndefined();
    expect(await bot.store.audit.listSince('merseyside-demo', '2000-01-01T00:00:00Z', 10_000)).toEqual(
      await auditBefore,
    );
  }
  let auditBefore: Promise<unknown>;
  beforeAll(() => {
    auditBefore = bot.store.audit.listSince('merseyside-demo', '2000-01-01T00:00:00Z', 10_000);
  });

  it('refuses a request with no token', async () => {
    await expectNothingReached(await send(undefined));
  });

  it('refuses a token signed by a key the metadata does not publish (same kid, other key)', async () => {
    await expectNothingReached(await send(signToken(claims(), forgerKey)));
  });

  it('refuses an unsigned token (alg none)', async () => {
    await expectNothingReached(await send(unsignedToken(claims(), teamsKey.kid)));
  });

  it('refuses an expired token', async () => {
    await expectNothingReached(await send(signToken(claims({ nbf: now() - 7200, exp: now() - 3600 }), teamsKey)));
  });

  it('refuses a token for another app (wrong audience)', async () => {
    await expectNothingReached(
      await send(signToken(claims({ aud: '99999999-4444-5555-6666-777777777777' }), teamsKey)),
    );
  });

  it('refuses a token from another issuer', async () => {
    await expectNothingReached(await send(signToken(claims({ iss: 'https://issuer.example.org' }), teamsKey)));
  });

  it('refuses a token whose key is not endorsed for Teams', async () => {
    await expectNothingReached(await send(signToken(claims(), webchatOnlyKey)));
  });

  it('refuses a token issued for another serviceUrl', async () => {
    await expectNothingReached(await send(signToken(claims({ serviceurl: 'https://smba.example.org/' }), teamsKey)));
  });

  it('lets a valid token through: the bot answers, signs its reply, and remembers the conversation', async () => {
    const result = await send(signToken(claims(), teamsKey));
    expect(result.status).toBe(200);
    expect(cardText(onlyCard(result))).toContain('What I can do');
    expect(result.posted[0]!.authorization).toBe(`Bearer ${OUTBOUND_TOKEN}`);
    expect(await bot.store.conversations.findPersonal(TENANT_ID, alex.aadObjectId)).toMatchObject({
      conversationId: `a:1personal-${alex.aadObjectId}`,
    });
    expect(openId.fetches).toBeGreaterThanOrEqual(2);
  });
});
