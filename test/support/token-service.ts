import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { OutboundCredentials } from '../../src/bot/app.js';

/**
 * Plays Microsoft's side of Bot Framework authentication on loopback: an OpenID metadata document
 * and the JWKS it points to, and RS256 channel tokens signed with node:crypto, as the Bot
 * Connector signs what it sends to a bot. Keys carry endorsements (the channels they may sign
 * for), which the bot must check.
 */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  endorsements: string[];
}

export function signingKey(kid: string, endorsements: string[] = ['msteams']): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey, endorsements };
}

const b64url = (v: Buffer | string) => Buffer.from(v).toString('base64url');

export interface TokenClaims {
  iss: string;
  aud: string;
  serviceurl: string;
  /** Seconds since the epoch. */
  exp: number;
  nbf?: number;
  [claim: string]: unknown;
}

/** A compact JWS, signed RS256 with `key` under the header kid `kid` (a forger may reuse a real kid). */
export function signToken(claims: TokenClaims, key: SigningKey, kid = key.kid): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const payload = b64url(JSON.stringify(claims));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key.privateKey);
  return `${header}.${payload}.${b64url(signature)}`;
}

/** A token that claims no signature at all ("alg": "none"). */
export function unsignedToken(claims: TokenClaims, kid: string): string {
  return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid }))}.${b64url(JSON.stringify(claims))}.`;
}

export class OpenIdService {
  private server: Server | undefined;
  url = '';
  /** How often the bot fetched the metadata and the keys. */
  fetches = 0;

  constructor(
    readonly issuer: string,
    private readonly keys: readonly SigningKey[],
  ) {}

  get metadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.fetches += 1;
      if (req.url === '/v1/.well-known/openidconfiguration') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ issuer: this.issuer, jwks_uri: `${this.url}/v1/keys` }));
        return;
      }
      if (req.url === '/v1/keys') {
        const keys = this.keys.map((k) => {
          const jwk = k.publicKey.export({ format: 'jwk' });
          return { kty: 'RSA', use: 'sig', kid: k.kid, n: jwk.n, e: jwk.e, endorsements: k.endorsements };
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys }));
        return;
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The token the bot puts on its replies in place of one from Microsoft's token service. */
export const OUTBOUND_TOKEN = 'loopback-outbound-token';

/**
 * Keeps the real check of the app id (the inbound audience) and replaces only how replies are
 * signed, because the real token service is Microsoft's and cannot run here.
 */
export function loopbackOutbound(env: Record<string, string>): OutboundCredentials {
  class LoopbackOutbound extends ConfigurationServiceClientCredentialFactory {
    override async createCredentials(): Promise<never> {
      const credentials = {
        signRequest: async (request: { headers: { set(name: string, value: string): void } }) => {
          request.headers.set('authorization', `Bearer ${OUTBOUND_TOKEN}`);
          return request;
        },
      };
      return credentials as never;
    }
  }
  return new LoopbackOutbound(env);
}
