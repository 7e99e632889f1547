import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

import { apiKeyHash, parseApiKeysFile } from '../../src/auth/api-keys';
import type { AuthSettings, JwtSettings } from '../../src/auth/auth.settings';
import { DEFAULT_TENANT, READ_SCOPE, WRITE_SCOPE } from '../../src/auth/caller';

// Callers for the tests: a real issuer (a node:http server on 127.0.0.1 serving its key set, as an
// identity provider's JWKS endpoint does), tokens signed with jose against its keys, and api keys with
// the file entries that grant them. Nothing here is a stand-in for our own code: the server under test
// fetches the key set over HTTP and verifies the tokens itself.

export const ISSUER = 'https://issuer.test/';
export const AUDIENCE = 'codat-commerce-subgraph';
export const READ_WRITE = `${READ_SCOPE} ${WRITE_SCOPE}`;

type Algorithm = 'ES256' | 'RS256' | 'EdDSA';

interface SigningKey {
  kid: string;
  alg: Algorithm;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface TokenOptions {
  /** Default: the issuer's current key. */
  key?: SigningKey;
  /** `exp` as seconds from now (negative: already expired); default 600. */
  expiresInSeconds?: number;
  /** `nbf` as seconds from now. */
  notBeforeSeconds?: number;
  issuer?: string;
  audience?: string;
  /** Override the protected header's `kid` (e.g. a key id the set does not have). */
  kid?: string;
}

export interface TestIssuer {
  /** e.g. http://127.0.0.1:41234/.well-known/jwks.json */
  jwksUrl: string;
  /** The key tokens are signed with unless told otherwise; the newest after rotate(). */
  current(): SigningKey;
  /** A token with these claims (plus sub, iss, aud, iat, exp). */
  sign(claims: JWTPayload, options?: TokenOptions): Promise<string>;
  /** A key of the same algorithm that the key set does not publish. */
  outsider(kid?: string): Promise<SigningKey>;
  /** Publishes a new key (new kid) beside the old ones and makes it current; resolves with it. */
  rotate(): Promise<SigningKey>;
  /** How many times the key set was fetched. */
  fetches(): number;
  /** Makes the key set endpoint hang (never answer) until called again with false. */
  hang(on: boolean): void;
  close(): Promise<void>;
}

let kids = 0;

export async function createSigningKey(alg: Algorithm = 'ES256', kid = `test-key-${++kids}`): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** The PEM (SPKI) of a key's public half, as AUTH_PUBLIC_KEY takes it. */
export async function publicPem(alg: Algorithm = 'ES256'): Promise<{ pem: string; key: SigningKey }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const key: SigningKey = { kid: 'pem', alg, privateKey, publicJwk: await exportJWK(publicKey) };
  return { pem: await exportSPKI(publicKey), key };
}

/** Signs `claims` as a token of ISSUER for AUDIENCE with `key`. */
export async function signToken(key: SigningKey, claims: JWTPayload, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ sub: 'test-caller', ...claims })
    .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: 'JWT' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 600));
  if (options.notBeforeSeconds !== undefined) jwt.setNotBefore(now + options.notBeforeSeconds);
  return jwt.sign(key.privateKey);
}

/** An identity provider's key set endpoint on 127.0.0.1, with one ES256 key to begin with. */
export async function startTestIssuer(): Promise<TestIssuer> {
  const keys: SigningKey[] = [await createSigningKey()];
  let fetches = 0;
  let hanging = false;
  const server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    fetches += 1;
    if (hanging) return;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const current = (): SigningKey => keys[keys.length - 1] as SigningKey;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    current,
    sign: (claims, options = {}) => signToken(options.key ?? current(), claims, options),
    outsider: (kid) => createSigningKey('ES256', kid ?? `outsider-${++kids}`),
    async rotate() {
      keys.push(await createSigningKey());
      return current();
    },
    fetches: () => fetches,
    hang(on) {
      hanging = on;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** AUTH_MODE=jwt against `jwksUrl`, as config.ts would read it, with test-friendly JWKS timings. */
export function jwtAuth(
  jwt: (Partial<JwtSettings> & Pick<JwtSettings, 'jwksUrl'>) | Partial<JwtSettings>,
  introspection: AuthSettings['introspection'] = 'authenticated',
): AuthSettings {
  return {
    mode: 'jwt',
    introspection,
    jwt: {
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksTimeoutMs: 2_000,
      jwksCooldownMs: 30_000,
      jwksCacheMaxAgeMs: 600_000,
      clockToleranceSeconds: 30,
      ...jwt,
    },
  };
}

export interface TestApiKey {
  key: string;
  entry: { sha256: string; name: string; scopes: string[]; companies: string[] | '*'; tenant?: string };
}

/** A fresh api key and the AUTH_API_KEYS_FILE entry granting it. */
export function apiKey(name: string, scopes: string[], companies: string[] | '*', tenant?: string): TestApiKey {
  const key = `ak_${name}_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  return { key, entry: { sha256: apiKeyHash(key), name, scopes, companies, ...(tenant ? { tenant } : {}) } };
}

/** AUTH_MODE=api-key with these keys, read through the same parser as AUTH_API_KEYS_FILE. */
export function apiKeyAuth(keys: readonly TestApiKey[], tenants: readonly string[] = [DEFAULT_TENANT]): AuthSettings {
  const file = JSON.stringify({ keys: keys.map((k) => k.entry) });
  return { mode: 'api-key', introspection: 'authenticated', apiKeys: parseApiKeysFile(file, new Set(tenants)) };
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
