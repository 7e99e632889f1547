import { SignJWT } from 'jose';

import { READ_SCOPE, WRITE_SCOPE } from '../../src/auth/caller';
import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import {
  apiKey,
  apiKeyAuth,
  bearer,
  jwtAuth,
  publicPem,
  READ_WRITE,
  signToken,
  startTestIssuer,
  type TestIssuer,
  type TokenOptions,
} from '../support/auth';
import { startHarness, useHarness, type GraphQLResponse } from '../support/harness';
import { sampleValue } from '../support/observability';

// Callers authenticated by the real server against a real issuer: a node:http key set endpoint on
// 127.0.0.1 (test/support/auth.ts), tokens signed with jose in the test. Every refusal is checked
// against the simulator's request log: nothing may reach Codat for a caller we turned away.

const A = SEEDED_COMPANY_IDS.succeeded;
const B = SEEDED_COMPANY_IDS.failed;
const C = SEEDED_COMPANY_IDS.neverSynced;

const STATUS = 'query Status($id: ID!) { commerceSyncStatus(companyId: $id) { companyId state } }';
const TWO = 'query Two($a: ID!, $b: ID!) { a: commerceSyncStatus(companyId: $a) { state } b: commerceSyncStatus(companyId: $b) { state } }';
const REQUEST_SYNC = 'mutation Sync($id: ID!) { requestSync(companyId: $id) { companyId state } }';
const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Company { id commerceSyncStatus { state } latestCommerceSync { state } } }
}`;

type Status = { commerceSyncStatus: { companyId: string; state: string } | null };

function expectRefused(res: GraphQLResponse<unknown>, status: number, code: string, message: RegExp): void {
  expect({ status: res.status, codes: res.errors?.map((e) => e.extensions?.code) }).toEqual({ status, codes: [code] });
  expect(res.errors?.[0]?.message).toMatch(message);
  expect(res.data ?? null).toBeNull();
}

describe('AUTH_MODE=jwt (key set from AUTH_JWKS_URL)', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(async () => issuer.close());
  const hs = useHarness(() => ({ config: { auth: jwtAuth({ jwksUrl: issuer.jwksUrl }) } }));

  const reader = (companies: unknown, options?: TokenOptions) => issuer.sign({ scope: READ_SCOPE, codat_company_ids: companies }, options);

  describe('refuses with HTTP 401, one UNAUTHENTICATED error, WWW-Authenticate: Bearer, and no Codat call', () => {
    const cases: [string, () => Promise<Record<string, string>>, RegExp][] = [
      ['no credential', async () => ({}), /^No credential: send a bearer token/],
      ['a Basic credential', async () => ({ authorization: 'Basic dXNlcjpwYXNz' }), /malformed/],
      ['a bearer token that is not a JWT', async () => bearer('not-a-jwt'), /malformed/],
      [
        'a bad signature (a key the set does not hold, under a kid it does)',
        async () => bearer(await reader([A], { key: await issuer.outsider(), kid: issuer.current().kid })),
        /signature does not verify/,
      ],
      ['an expired token (beyond the 30 s leeway)', async () => bearer(await reader([A], { expiresInSeconds: -90 })), /has expired/],
      ['a token not valid yet (nbf beyond the leeway)', async () => bearer(await reader([A], { notBeforeSeconds: 120 })), /not valid yet/],
      ['the wrong issuer', async () => bearer(await reader([A], { issuer: 'https://elsewhere.test/' })), /issuer \(iss\)/],
      ['the wrong audience', async () => bearer(await reader([A], { audience: 'another-service' })), /not meant for this subgraph \(aud\)/],
      [
        'an unknown key (kid)',
        async () => bearer(await reader([A], { key: await issuer.outsider() })),
        /key \(kid\) this subgraph does not know/,
      ],
      [
        'HS256 without AUTH_HS256_SECRET',
        async () => {
          const secret = new TextEncoder().encode('a-secret-that-is-long-enough-for-hs256!!');
          const token = await new SignJWT({ scope: READ_SCOPE, codat_company_ids: [A] })
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer('https://issuer.test/')
            .setAudience('codat-commerce-subgraph')
            .setExpirationTime('10m')
            .sign(secret);
          return bearer(token);
        },
        /algorithm/,
      ],
      [
        'alg none',
        async () => {
          const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
          const exp = Math.floor(Date.now() / 1000) + 600;
          const claims = { iss: 'https://issuer.test/', aud: 'codat-commerce-subgraph', exp, scope: READ_SCOPE, codat_company_ids: ['*'] };
          return bearer(`${part({ alg: 'none' })}.${part(claims)}.`);
        },
        /algorithm/,
      ],
      ['claims of the wrong shape', async () => bearer(await reader('some companies')), /claims are not valid: codat_company_ids/],
    ];

    it.each(cases)('%s', async (_name, credentials, message) => {
      const h = hs;
      const headers = await credentials();
      const res = await h.executeRaw(STATUS, { id: A }, headers);
      expectRefused(res, 401, 'UNAUTHENTICATED', message);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="codat-commerce-subgraph"/);
      const token = headers.authorization?.replace(/^\S+ /, '');
      if (token) expect(JSON.stringify(res.errors) + res.headers.get('www-authenticate')).not.toContain(token);
      expect(h.simulator.requests()).toEqual([]);
    });

    it('says invalid_token in the challenge for a bad token, and nothing more for a missing one', async () => {
      const h = hs;
      const missing = await h.executeRaw(STATUS, { id: A });
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="codat-commerce-subgraph"');
      const expired = await h.executeRaw(STATUS, { id: A }, bearer(await reader([A], { expiresInSeconds: -90 })));
      expect(expired.headers.get('www-authenticate')).toBe(
        'Bearer realm="codat-commerce-subgraph", error="invalid_token", error_description="The token has expired"',
      );
    });

    it('counts each refusal by reason in auth_failures_total', async () => {
      const h = hs;
      const before = sampleValue(await h.observability.metrics.registry.metrics(), 'auth_failures_total', { reason: 'expired' }) ?? 0;
      await h.executeRaw(STATUS, { id: A }, bearer(await reader([A], { expiresInSeconds: -90 })));
      const after = sampleValue(await h.observability.metrics.registry.metrics(), 'auth_failures_total', { reason: 'expired' });
      expect(after).toBe(before + 1);
    });
  });

  it('accepts a token that expired within the 30 s clock tolerance', async () => {
    const h = hs;
    const res = await h.executeRaw<Status>(STATUS, { id: A }, bearer(await reader([A], { expiresInSeconds: -5 })));
    expect(res.errors).toBeUndefined();
    expect(res.data?.commerceSyncStatus?.state).toBe('SUCCEEDED');
  });

  it('a token for company A reading A and B gets A, and FORBIDDEN for B only, with no call for B', async () => {
    const h = hs;
    const res = await h.executeRaw<{ a: unknown; b: unknown }>(TWO, { a: A, b: B }, bearer(await reader([A])));
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ a: { state: 'SUCCEEDED' }, b: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]).toMatchObject({ path: ['b'], extensions: { code: 'FORBIDDEN', companyId: B } });
    expect(h.simulator.requests().map((r) => r.companyId)).toEqual([A]);
  });

  it('the same through _entities: the forbidden company fails alone and costs nothing', async () => {
    const h = hs;
    const representations = [A, B, A.toUpperCase()].map((id) => ({ __typename: 'Company', id }));
    const res = await h.executeRaw<{ _entities: { id: string; commerceSyncStatus: unknown; latestCommerceSync: unknown }[] }>(
      ENTITIES,
      { representations },
      bearer(await reader([A])),
    );
    expect(res.data?._entities).toEqual([
      { id: A, commerceSyncStatus: { state: 'SUCCEEDED' }, latestCommerceSync: { state: 'SUCCEEDED' } },
      { id: B, commerceSyncStatus: null, latestCommerceSync: null },
      { id: A.toUpperCase(), commerceSyncStatus: { state: 'SUCCEEDED' }, latestCommerceSync: { state: 'SUCCEEDED' } },
    ]);
    expect(res.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([
      ['_entities.1.commerceSyncStatus', 'FORBIDDEN'],
      ['_entities.1.latestCommerceSync', 'FORBIDDEN'],
    ]);
    const calls = h.simulator.requests();
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.companyId === A)).toBe(true);
  });

  it('a read-only token cannot call requestSync (no POST); a write token can', async () => {
    const h = hs;
    const denied = await h.executeRaw<{ requestSync: unknown }>(REQUEST_SYNC, { id: C }, bearer(await reader([C])));
    expect(denied.data).toEqual({ requestSync: null });
    expect(denied.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', requiredScope: WRITE_SCOPE });
    expect(h.simulator.requests()).toEqual([]);

    const writer = await issuer.sign({ scope: READ_WRITE, codat_company_ids: [C] });
    const allowed = await h.executeRaw<{ requestSync: { state: string } }>(REQUEST_SYNC, { id: C }, bearer(writer));
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data?.requestSync.state).toBe('IN_PROGRESS');
    expect(h.simulator.requests().filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('"*" reaches every company; scopes may come as an scp array', async () => {
    const h = hs;
    const operator = await issuer.sign({ scp: [READ_SCOPE, 'other-service:admin'], codat_company_ids: ['*'] });
    const res = await h.executeRaw(TWO, { a: A, b: B }, bearer(operator));
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ a: { state: 'SUCCEEDED' }, b: { state: 'FAILED' } });
    const star = await issuer.sign({ scope: READ_SCOPE, codat_company_ids: '*' });
    expect((await h.executeRaw(STATUS, { id: B }, bearer(star))).errors).toBeUndefined();
  });

  it('a token without codat_company_ids, or without our scopes, reaches no company', async () => {
    const h = hs;
    const noCompanies = await issuer.sign({ scope: READ_SCOPE });
    const noScope = await issuer.sign({ scope: 'profile email', codat_company_ids: ['*'] });
    for (const token of [noCompanies, noScope]) {
      const res = await h.executeRaw(STATUS, { id: A }, bearer(token));
      expect(res.status).toBe(200);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    expect(h.simulator.requests()).toEqual([]);
  });

  it('refuses a tenant this instance does not serve with 403 FORBIDDEN, before any call', async () => {
    const h = hs;
    const token = await issuer.sign({ scope: READ_SCOPE, codat_company_ids: ['*'], tenant: 'globex' });
    const res = await h.executeRaw(STATUS, { id: A }, bearer(token));
    expectRefused(res, 403, 'FORBIDDEN', /names tenant "globex", which this subgraph does not serve/);
    expect(h.simulator.requests()).toEqual([]);
  });

  it('keeps /healthz, /readyz and /metrics open', async () => {
    const h = hs;
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await fetch(`${h.baseUrl}${path}`)).status).toBe(200);
  });

  it('asks a credential for introspection and _service by default (AUTH_INTROSPECTION=authenticated)', async () => {
    const h = hs;
    for (const query of ['{ __schema { queryType { name } } }', '{ _service { sdl } }']) {
      const anonymous = await h.executeRaw(query);
      expectRefused(anonymous, 401, 'UNAUTHENTICATED', /No credential/);
      const signedIn = await h.executeRaw(query, undefined, bearer(await reader([])));
      expect(signedIn.errors).toBeUndefined();
    }
  });

  it('serves the landing page to a browser without a credential (it runs nothing)', async () => {
    const h = hs;
    const page = await fetch(h.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const withQuery = await fetch(`${h.graphqlUrl}?query=${encodeURIComponent(`{ commerceSyncStatus(companyId: "${A}") { state } }`)}`, {
      headers: { accept: 'text/html', 'apollo-require-preflight': 'true' },
    });
    expect(withQuery.status).toBe(401);
    expect(h.simulator.requests()).toEqual([]);
  });
});

describe('JWKS: rotation, cooldown and timeout', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(async () => issuer.close());

  it('picks up a new key (new kid) published after the set was cached', async () => {
    const h = await startHarness({ config: { auth: jwtAuth({ jwksUrl: issuer.jwksUrl, jwksCooldownMs: 0 }) } });
    try {
      const first = await issuer.sign({ scope: READ_SCOPE, codat_company_ids: [A] });
      expect((await h.executeRaw(STATUS, { id: A }, bearer(first))).errors).toBeUndefined();
      const fetchesBefore = issuer.fetches();

      const rotated = await issuer.rotate();
      const second = await issuer.sign({ scope: READ_SCOPE, codat_company_ids: [A] }, { key: rotated });
      const res = await h.executeRaw<Status>(STATUS, { id: A }, bearer(second));
      expect(res.errors).toBeUndefined();
      expect(res.data?.commerceSyncStatus?.state).toBe('SUCCEEDED');
      expect(issuer.fetches()).toBe(fetchesBefore + 1);
      // Tokens signed with the older key still verify: it is still published.
      expect((await h.executeRaw(STATUS, { id: A }, bearer(first))).errors).toBeUndefined();
    } finally {
      await h.close();
    }
  });

  it('does not fetch the set again for made-up key ids within the cooldown', async () => {
    const h = await startHarness({ config: { auth: jwtAuth({ jwksUrl: issuer.jwksUrl, jwksCooldownMs: 60_000 }) } });
    try {
      expect((await h.executeRaw(STATUS, { id: A }, bearer(await issuer.sign({ scope: READ_SCOPE })))).status).toBe(200);
      const fetches = issuer.fetches();
      for (let i = 0; i < 3; i++) {
        const token = await issuer.sign({ scope: READ_SCOPE }, { key: await issuer.outsider() });
        expect((await h.executeRaw(STATUS, { id: A }, bearer(token))).status).toBe(401);
      }
      expect(issuer.fetches()).toBe(fetches);
    } finally {
      await h.close();
    }
  });

  it('answers 401 saying the keys could not be fetched when the key set does not answer in time', async () => {
    const silent = await startTestIssuer();
    silent.hang(true);
    const h = await startHarness({ config: { auth: jwtAuth({ jwksUrl: silent.jwksUrl, jwksTimeoutMs: 200 }) } });
    try {
      const token = await signToken(silent.current(), { scope: READ_SCOPE, codat_company_ids: [A] });
      const res = await h.executeRaw(STATUS, { id: A }, bearer(token));
      expectRefused(res, 401, 'UNAUTHENTICATED', /signing keys could not be fetched/);
      expect(h.simulator.requests()).toEqual([]);
    } finally {
      await h.close();
      await silent.close();
    }
  });
});

describe('AUTH_PUBLIC_KEY (one PEM key) and AUTH_HS256_SECRET', () => {
  it('verifies tokens signed with the key of the PEM, and only those', async () => {
    const { pem, key } = await publicPem('EdDSA');
    const other = await publicPem('EdDSA');
    const h = await startHarness({ config: { auth: jwtAuth({ publicKeyPem: pem }) } });
    try {
      const good = await signToken(key, { scope: READ_SCOPE, codat_company_ids: [A] });
      expect((await h.executeRaw(STATUS, { id: A }, bearer(good))).errors).toBeUndefined();
      const forged = await signToken(other.key, { scope: READ_SCOPE, codat_company_ids: [A] });
      expectRefused(await h.executeRaw(STATUS, { id: A }, bearer(forged)), 401, 'UNAUTHENTICATED', /signature/);
      expect(h.simulator.requests()).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('accepts HS256 tokens only when AUTH_HS256_SECRET is set, signed with it', async () => {
    const secret = 'an-hs256-secret-of-at-least-32-bytes';
    const h = await startHarness({ config: { auth: jwtAuth({ hs256Secret: secret }) } });
    try {
      const sign = (key: string) =>
        new SignJWT({ scope: READ_SCOPE, codat_company_ids: [A] })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('https://issuer.test/')
          .setAudience('codat-commerce-subgraph')
          .setExpirationTime('10m')
          .sign(new TextEncoder().encode(key));
      expect((await h.executeRaw(STATUS, { id: A }, bearer(await sign(secret)))).errors).toBeUndefined();
      expect((await h.executeRaw(STATUS, { id: A }, bearer(await sign(`${secret}-but-not-quite`)))).status).toBe(401);
    } finally {
      await h.close();
    }
  });
});

describe('AUTH_INTROSPECTION=open', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(async () => issuer.close());
  const hs = useHarness(() => ({ config: { auth: jwtAuth({ jwksUrl: issuer.jwksUrl }, 'open') } }));

  it('lets a caller without a credential read the schema, and nothing else', async () => {
    const h = hs;
    const schema = await h.executeRaw<{ __schema: { queryType: { name: string } } }>(
      'query { ...Schema } fragment Schema on Query { __schema { queryType { name } } __typename }',
    );
    expect(schema.errors).toBeUndefined();
    expect(schema.data?.__schema.queryType.name).toBe('Query');
    expect((await h.executeRaw('{ _service { sdl } }')).errors).toBeUndefined();

    const data = await h.executeRaw(`{ __typename commerceSyncStatus(companyId: "${A}") { state } }`);
    expectRefused(data, 401, 'UNAUTHENTICATED', /No credential/);
    expect(data.headers.get('www-authenticate')).toBe('Bearer realm="codat-commerce-subgraph"');
    const mutation = await h.executeRaw(REQUEST_SYNC, { id: A });
    expectRefused(mutation, 401, 'UNAUTHENTICATED', /No credential/);
    expect(h.simulator.requests()).toEqual([]);
  });

  it('still checks a credential that is sent', async () => {
    const h = hs;
    const expired = await issuer.sign({ scope: READ_SCOPE }, { expiresInSeconds: -90 });
    expectRefused(await h.executeRaw('{ __schema { queryType { name } } }', undefined, bearer(expired)), 401, 'UNAUTHENTICATED', /expired/);
  });
});

describe('AUTH_MODE=api-key', () => {
  const reader = apiKey('dashboard', [READ_SCOPE], [A]);
  const operator = apiKey('operator', [READ_SCOPE, WRITE_SCOPE], '*');
  const hs = useHarness(() => ({ config: { auth: apiKeyAuth([reader, operator]) } }));

  it('a key reads the companies of its entry; others are FORBIDDEN without a call', async () => {
    const h = hs;
    const res = await h.executeRaw(TWO, { a: A, b: B }, { 'x-api-key': reader.key });
    expect(res.data).toEqual({ a: { state: 'SUCCEEDED' }, b: null });
    expect(res.errors?.map((e) => [e.path?.[0], e.extensions?.code])).toEqual([['b', 'FORBIDDEN']]);
    expect(h.simulator.requests().map((r) => r.companyId)).toEqual([A]);
  });

  it('a read-only key cannot start a sync; a "*" key with the write scope can', async () => {
    const h = hs;
    const denied = await h.executeRaw(REQUEST_SYNC, { id: A }, { 'x-api-key': reader.key });
    expect(denied.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', requiredScope: WRITE_SCOPE });
    expect(h.simulator.requests()).toEqual([]);
    const allowed = await h.executeRaw(REQUEST_SYNC, { id: C }, { 'x-api-key': operator.key });
    expect(allowed.errors).toBeUndefined();
    expect(h.simulator.requests().filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it.each([
    ['no key', {}, /^No credential: send x-api-key/],
    ['an unknown key', { 'x-api-key': `${reader.key}x` }, /api key is not known/],
    ['a bearer token instead of a key', { authorization: `Bearer ${reader.key}` }, /^No credential: send x-api-key/],
  ])('refuses %s with 401 UNAUTHENTICATED and no call', async (_name, headers, message) => {
    const h = hs;
    const res = await h.executeRaw(STATUS, { id: A }, headers as Record<string, string>);
    expectRefused(res, 401, 'UNAUTHENTICATED', message);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(JSON.stringify(res.errors)).not.toContain(reader.key);
    expect(h.simulator.requests()).toEqual([]);
  });
});
