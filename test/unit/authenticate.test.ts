import { parse, type OperationDefinitionNode } from 'graphql';
import { SignJWT } from 'jose';

import { readsSchemaOnly } from '../../src/apollo/caller-access.plugin';
import { apiKeyHash, createApiKeyVerifier, parseApiKeysFile } from '../../src/auth/api-keys';
import { createAuthenticator, type AuthResult } from '../../src/auth/authenticate';
import { grantedCompanies, READ_SCOPE, WRITE_SCOPE } from '../../src/auth/caller';
import { callerFromClaims } from '../../src/auth/jwt';
import { ConfigError, loadConfig } from '../../src/config';
import { jwtAuth } from '../support/auth';

const A = '3f1c2a9e-7b4d-4e8a-9c1f-5a2b6d8e0f11';
const B = '8b2e4c6d-1a3f-4b5c-8d7e-9f0a1b2c3d44';
const SECRET = 'unit-test-hs256-secret-of-32-bytes-or-more';
const TENANTS = new Set(['default', 'acme']);

const hs256 = (claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('https://issuer.test/')
    .setAudience('codat-commerce-subgraph')
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));

const callerOf = (result: AuthResult) => ('caller' in result ? result.caller : result.failure.reason);

describe('the claims a token grants', () => {
  it('reads scope (space-separated) and scp (array or string), keeping only ours', () => {
    const both = callerFromClaims({ scope: `${READ_SCOPE} openid`, scp: [WRITE_SCOPE, 'x'], codat_company_ids: [A] });
    expect('caller' in both && [...both.caller.scopes]).toEqual([READ_SCOPE, WRITE_SCOPE]);
    const azure = callerFromClaims({ scp: `${WRITE_SCOPE} profile` });
    expect('caller' in azure && [...azure.caller.scopes]).toEqual([WRITE_SCOPE]);
  });

  it('lower-cases company ids, takes "*" or ["*"], and grants none without the claim', () => {
    expect(grantedCompanies([A.toUpperCase(), B])).toEqual(new Set([A, B]));
    expect(grantedCompanies('*')).toBe('*');
    expect(grantedCompanies(['*'])).toBe('*');
    const none = callerFromClaims({ scope: READ_SCOPE });
    expect('caller' in none && none.caller.companies).toEqual(new Set());
  });

  it.each([
    [{ codat_company_ids: 'all' }],
    [{ codat_company_ids: ['*', A] }],
    [{ codat_company_ids: ['not-a-uuid'] }],
    [{ codat_company_ids: [1] }],
    [{ scope: ['a'] }],
    [{ scp: [1] }],
    [{ tenant: 7 }],
    [{ tenant: '' }],
  ])('refuses %p as bad claims', (claims) => {
    expect(callerFromClaims(claims)).toMatchObject({ failure: 'bad-claims' });
  });

  it('names the caller by sub and its tenant by the tenant claim, default otherwise', () => {
    const caller = callerFromClaims({ sub: 'ops-dashboard', tenant: 'acme' });
    expect('caller' in caller && [caller.caller.subject, caller.caller.tenant, caller.caller.kind]).toEqual([
      'ops-dashboard',
      'acme',
      'jwt',
    ]);
    const unnamed = callerFromClaims({});
    expect('caller' in unnamed && [unnamed.caller.subject, unnamed.caller.tenant]).toEqual(['unnamed', 'default']);
  });
});

describe('authenticateHeaders (headers, or a WebSocket connection_init payload)', () => {
  const jwt = createAuthenticator(jwtAuth({ hs256Secret: SECRET }), TENANTS);

  it('takes Authorization in any case of name and scheme, or a bare token', async () => {
    const token = await hs256({ scope: READ_SCOPE, codat_company_ids: [A] });
    for (const credentials of [
      { authorization: `Bearer ${token}` },
      { Authorization: `bearer ${token}` },
      { token },
      { token: `Bearer ${token}` },
    ]) {
      expect(callerOf(await jwt.authenticateHeaders(credentials))).toMatchObject({ kind: 'jwt', companies: new Set([A]) });
    }
  });

  it('refuses a repeated, empty or oversized credential as malformed, and none at all as missing', async () => {
    const token = await hs256({});
    expect(callerOf(await jwt.authenticateHeaders({ authorization: [`Bearer ${token}`, `Bearer ${token}`] }))).toBe('malformed');
    expect(callerOf(await jwt.authenticateHeaders({ authorization: `Bearer ${token}`, Authorization: `Bearer ${token}` }))).toBe(
      'malformed',
    );
    expect(callerOf(await jwt.authenticateHeaders({ authorization: '  ' }))).toBe('malformed');
    expect(callerOf(await jwt.authenticateHeaders({ authorization: `Bearer ${'x'.repeat(20_000)}` }))).toBe('malformed');
    expect(callerOf(await jwt.authenticateHeaders({ authorization: 'Bearer a b' }))).toBe('malformed');
    expect(callerOf(await jwt.authenticateHeaders({ 'x-api-key': 'k' }))).toBe('missing');
    expect(jwt.missingCredential?.challenge).toBe('Bearer realm="codat-commerce-subgraph"');
  });

  it('refuses a tenant not served with 403 FORBIDDEN', async () => {
    const result = await jwt.authenticateHeaders({ token: await hs256({ tenant: 'globex' }) });
    expect('failure' in result && result.failure).toMatchObject({ reason: 'unknown-tenant', status: 403, code: 'FORBIDDEN' });
  });

  it('keeps the challenge one quoted-string whatever the message holds', async () => {
    const result = await jwt.authenticateHeaders({ token: await hs256({ codat_company_ids: 'x' }) });
    const challenge = 'failure' in result ? (result.failure.challenge ?? '') : '';
    expect(challenge).toMatch(/^Bearer realm="codat-commerce-subgraph", error="invalid_token", error_description="[^"\\]*"$/);
  });

  it('lets everyone in with AUTH_MODE=none', async () => {
    const none = createAuthenticator({ mode: 'none', introspection: 'authenticated' }, TENANTS);
    expect(callerOf(await none.authenticateHeaders({}))).toMatchObject({ kind: 'none', companies: '*' });
    expect(none.introspectionOpen).toBe(false);
  });
});

describe('api keys', () => {
  const file = (entries: unknown[]) => JSON.stringify({ keys: entries });
  const entry = (key: string, extra: Record<string, unknown> = {}) => ({
    sha256: apiKeyHash(key),
    name: key,
    scopes: [READ_SCOPE],
    companies: [A],
    ...extra,
  });

  it('finds the entry of a key by its hash, and nothing for another key', () => {
    const verify = createApiKeyVerifier(parseApiKeysFile(file([entry('one'), entry('two', { companies: '*', tenant: 'acme' })]), TENANTS));
    expect(verify('two')).toEqual({ kind: 'api-key', subject: 'two', scopes: new Set([READ_SCOPE]), companies: '*', tenant: 'acme' });
    expect(verify('one')?.companies).toEqual(new Set([A]));
    expect(verify('three')).toBeUndefined();
    expect(verify('')).toBeUndefined();
  });

  it('takes the key from x-api-key or a connection_init token', async () => {
    const auth = createAuthenticator(
      { mode: 'api-key', introspection: 'open', apiKeys: parseApiKeysFile(file([entry('k1')]), TENANTS) },
      TENANTS,
    );
    expect(callerOf(await auth.authenticateHeaders({ 'X-Api-Key': 'k1' }))).toMatchObject({ kind: 'api-key', subject: 'k1' });
    expect(callerOf(await auth.authenticateHeaders({ token: 'k1' }))).toMatchObject({ kind: 'api-key' });
    expect(callerOf(await auth.authenticateHeaders({ 'x-api-key': ['k1', 'k1'] }))).toBe('malformed');
    expect(auth.introspectionOpen).toBe(true);
  });

  it.each([
    ['{', 'AUTH_API_KEYS_FILE is not valid JSON'],
    [file([]), 'at least one key'],
    [file([{ ...entry('a'), sha256: 'abc' }]), '"sha256" must be the 64 hex digits'],
    [file([entry('a'), entry('a')]), 'the same key is listed twice'],
    [file([{ ...entry('a'), scopes: ['commerce-sync:reed'] }]), '"scopes" must list'],
    [file([{ ...entry('a'), scopes: [] }]), '"scopes" must list'],
    [file([{ ...entry('a'), companies: ['x'] }]), '"companies" must be "*" or a list'],
    [file([{ ...entry('a'), tenant: 'globex' }]), 'tenant "globex" is not one this subgraph serves'],
    [file([{ ...entry('a'), name: '' }]), 'needs a "name"'],
  ])('refuses a file %#, saying where', (text, message) => {
    expect(() => parseApiKeysFile(text, TENANTS)).toThrow(ConfigError);
    expect(() => parseApiKeysFile(text, TENANTS)).toThrow(message);
  });
});

describe('AUTH_* configuration', () => {
  const jwtEnv = {
    AUTH_MODE: 'jwt',
    AUTH_JWKS_URL: 'https://issuer.example/jwks.json',
    AUTH_ISSUER: 'https://issuer.example/',
    AUTH_AUDIENCE: 'commerce',
  };

  it('reads jwt settings, with the JWKS timings and the 30 s tolerance', () => {
    expect(loadConfig({ ...jwtEnv, AUTH_JWKS_TIMEOUT_MS: '1500', AUTH_INTROSPECTION: 'open' }).auth).toEqual({
      mode: 'jwt',
      introspection: 'open',
      jwt: {
        jwksUrl: 'https://issuer.example/jwks.json',
        publicKeyPem: undefined,
        hs256Secret: undefined,
        issuer: 'https://issuer.example/',
        audience: 'commerce',
        jwksTimeoutMs: 1500,
        jwksCooldownMs: 30000,
        jwksCacheMaxAgeMs: 600000,
        clockToleranceSeconds: 30,
      },
    });
  });

  it.each([
    [{ NODE_ENV: 'production', CODAT_API_KEY: 'k' }, 'AUTH_MODE is not set. In production'],
    [{ CODAT_API_KEY: 'k' }, 'AUTH_MODE is not set. With a Codat key'],
    [{ AUTH_MODE: 'oauth' }, 'AUTH_MODE must be one of none, jwt, api-key'],
    [{ AUTH_MODE: 'jwt' }, 'AUTH_MODE=jwt needs AUTH_JWKS_URL or AUTH_PUBLIC_KEY'],
    [{ ...jwtEnv, AUTH_ISSUER: '' }, 'AUTH_MODE=jwt needs AUTH_ISSUER'],
    [{ ...jwtEnv, AUTH_AUDIENCE: '' }, 'AUTH_MODE=jwt needs AUTH_AUDIENCE'],
    [{ ...jwtEnv, AUTH_JWKS_URL: 'http://issuer.example/jwks.json' }, 'AUTH_JWKS_URL must use https'],
    [{ ...jwtEnv, AUTH_PUBLIC_KEY: 'not a pem' }, 'AUTH_PUBLIC_KEY must be a PEM public key'],
    [{ ...jwtEnv, AUTH_HS256_SECRET: 'short' }, 'AUTH_HS256_SECRET must be at least 32 bytes'],
    [{ ...jwtEnv, AUTH_JWKS_TIMEOUT_MS: 'soon' }, 'AUTH_JWKS_TIMEOUT_MS must be a whole number'],
    [{ AUTH_MODE: 'api-key' }, 'AUTH_MODE=api-key needs AUTH_API_KEYS_FILE'],
    [
      { AUTH_MODE: 'api-key', AUTH_API_KEYS_FILE: '/nonexistent/keys.json' },
      'AUTH_API_KEYS_FILE names a file that cannot be read (ENOENT)',
    ],
    [{ AUTH_JWKS_URL: 'https://issuer.example/jwks.json' }, 'AUTH_JWKS_URL is set but AUTH_MODE is none'],
    [{ ...jwtEnv, AUTH_INTROSPECTION: 'public' }, 'AUTH_INTROSPECTION must be open or authenticated'],
    [{ CODAT_TENANTS_FILE: '/nonexistent/tenants.json' }, 'CODAT_TENANTS_FILE names a file that cannot be read'],
  ])('refuses %p, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('takes a PEM whose line breaks were written as \\n, and http key sets on loopback', async () => {
    const { generateKeyPair, exportSPKI } = await import('jose');
    const pem = await exportSPKI((await generateKeyPair('RS256', { extractable: true })).publicKey);
    const env = { AUTH_MODE: 'jwt', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' };
    expect(loadConfig({ ...env, AUTH_PUBLIC_KEY: pem.replace(/\n/g, '\\n') }).auth.jwt?.publicKeyPem).toBe(pem.trim());
    expect(loadConfig({ ...env, AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks' }).auth.jwt?.jwksUrl).toBe('http://127.0.0.1:9/jwks');
  });
});

describe('readsSchemaOnly (what a caller without a credential may run with AUTH_INTROSPECTION=open)', () => {
  const only = (query: string) => {
    const document = parse(query);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    return operation ? readsSchemaOnly(operation, document) : false;
  };

  it.each([
    ['{ __schema { types { name } } }', true],
    ['{ __typename _service { sdl } }', true],
    ['query { ... on Query { __type(name: "Company") { name } } }', true],
    ['query { ...F } fragment F on Query { __schema { queryType { name } } ...F }', true],
    [`{ __schema { queryType { name } } commerceSyncStatus(companyId: "${A}") { state } }`, false],
    ['query { ...F } fragment F on Query { commerceSyncs(companyId: "x") { state } }', false],
    ['{ _entities(representations: []) { __typename } }', false],
    ['mutation { __typename }', false],
  ])('%s → %p', (query, expected) => {
    expect(only(query)).toBe(expected);
  });
});
