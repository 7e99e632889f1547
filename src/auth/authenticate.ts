import { createApiKeyVerifier } from './api-keys';
import type { AuthMode, AuthSettings } from './auth.settings';
import { OPEN_CALLER, type Caller } from './caller';
import { createTokenVerifier, type TokenFailure } from './jwt';

/**
 * Who is calling, from what the caller sent: the one function behind every way in. The HTTP edge gives
 * it a request's headers (src/app.ts, `resolveCaller`); a WebSocket server gives it the payload of
 * graphql-ws's `connection_init` (`{ "Authorization": "Bearer …" }` or `{ "token": "…" }`). It returns a
 * Caller, or a failure whose message says what was wrong without repeating the credential.
 */

/**
 * What a caller presented. Names are matched case-insensitively; values may be strings or, as node:http
 * gives repeated headers, arrays (a repeated credential header is refused as malformed). Read:
 * - `authorization`: `Bearer <JWT>` (AUTH_MODE=jwt);
 * - `x-api-key`: the key (AUTH_MODE=api-key);
 * - `token`: the bare JWT or api key, for clients that cannot set headers (WebSocket `connection_init`).
 */
export type Credentials = Readonly<Record<string, unknown>>;

export type AuthFailureReason = 'missing' | TokenFailure | 'unknown-api-key' | 'unknown-tenant';

export interface AuthFailure {
  reason: AuthFailureReason;
  /** 401 for a credential that is missing or does not verify; 403 for a good one naming a tenant we do not serve. */
  status: 401 | 403;
  code: 'UNAUTHENTICATED' | 'FORBIDDEN';
  /** Says which failure it was; never contains the credential. */
  message: string;
  /** `WWW-Authenticate` for a 401 (RFC 6750 section 3). */
  challenge?: string;
}

export type AuthResult = { caller: Caller } | { failure: AuthFailure };

export interface Authenticator {
  mode: AuthMode;
  /** AUTH_INTROSPECTION=open with authentication on: a request without a credential may read the schema. */
  introspectionOpen: boolean;
  authenticateHeaders(credentials: Credentials): Promise<AuthResult>;
  /** What a caller without any credential is told (undefined with AUTH_MODE=none, where none is needed). */
  missingCredential: AuthFailure | undefined;
}

const REALM = 'codat-commerce-subgraph';
/** Longer than any token an issuer sends; a bound on what we hand to the verifier. */
const MAX_CREDENTIAL_CHARS = 16 * 1024;

const MESSAGES: Record<Exclude<AuthFailureReason, 'missing' | 'unknown-tenant'>, string> = {
  malformed: 'The credential is malformed: expected a bearer token (Bearer <JWT>)',
  'bad-signature': "The token's signature does not verify",
  expired: 'The token has expired',
  'not-yet-valid': 'The token is not valid yet (nbf)',
  'wrong-issuer': 'The token was issued by an issuer (iss) this subgraph does not trust',
  'wrong-audience': 'The token is not meant for this subgraph (aud)',
  'unknown-key': 'The token is signed with a key (kid) this subgraph does not know',
  algorithm: 'The token is signed with an algorithm this subgraph does not accept (RS256, ES256 or EdDSA)',
  'bad-claims': "The token's claims are not valid",
  'keys-unavailable': "The token could not be checked: the issuer's signing keys could not be fetched; try again later",
  'unknown-api-key': 'The api key is not known',
};

/**
 * `tenants`: the tenants this instance serves (one Codat stack each, src/app.ts); a caller naming
 * another is refused here, before anything is built for it.
 */
export function createAuthenticator(settings: AuthSettings, tenants: ReadonlySet<string>): Authenticator {
  const introspectionOpen = settings.mode !== 'none' && settings.introspection === 'open';
  if (settings.mode === 'none') {
    return { mode: 'none', introspectionOpen, missingCredential: undefined, authenticateHeaders: async () => ({ caller: OPEN_CALLER }) };
  }
  if (settings.mode === 'jwt') {
    if (!settings.jwt) throw new Error('AUTH_MODE=jwt without its settings');
    const tokens = createTokenVerifier(settings.jwt);
    return {
      mode: 'jwt',
      introspectionOpen,
      missingCredential: MISSING_TOKEN,
      async authenticateHeaders(credentials) {
        const presented = bearerToken(credentials);
        if ('failure' in presented) return { failure: presented.failure };
        const verified = await tokens.verify(presented.token);
        if ('failure' in verified) {
          const detail = verified.detail ? `: ${verified.detail}` : '';
          return { failure: unauthenticated(verified.failure, `${MESSAGES[verified.failure]}${detail}`) };
        }
        return withTenant(verified.caller, tenants);
      },
    };
  }
  if (!settings.apiKeys) throw new Error('AUTH_MODE=api-key without its keys');
  const keys = createApiKeyVerifier(settings.apiKeys);
  return {
    mode: 'api-key',
    introspectionOpen,
    missingCredential: MISSING_API_KEY,
    async authenticateHeaders(credentials) {
      const values = credentialValues(credentials);
      const key = values.has('x-api-key') ? values.get('x-api-key') : values.get('token');
      if (key === undefined) return { failure: MISSING_API_KEY };
      if (key === null) return { failure: unauthenticated('malformed', 'The credential is malformed: send one x-api-key header') };
      const caller = keys(key);
      if (!caller) return { failure: unauthenticated('unknown-api-key', MESSAGES['unknown-api-key']) };
      return withTenant(caller, tenants);
    },
  };
}

/** The JWT a caller sent: from `authorization` (scheme Bearer) or `token` (bare, or with the scheme). */
function bearerToken(credentials: Credentials): { token: string } | { failure: AuthFailure } {
  const values = credentialValues(credentials);
  const authorization = values.get('authorization');
  const raw = authorization !== undefined ? authorization : values.get('token');
  if (raw === undefined) return { failure: MISSING_TOKEN };
  if (raw === null) return { failure: unauthenticated('malformed', MESSAGES.malformed) };
  const match = /^Bearer +(\S+) *$/i.exec(raw);
  const token = match?.[1] ?? (authorization === undefined && !/\s/.test(raw) ? raw : undefined);
  if (!token) return { failure: unauthenticated('malformed', MESSAGES.malformed) };
  return { token };
}

/**
 * The credential values by lower-cased name: a string, `null` for one that is there but unusable (not
 * a string, repeated, empty or oversized), absent when not sent.
 */
function credentialValues(credentials: Credentials): Map<string, string | null> {
  const values = new Map<string, string | null>();
  for (const [name, value] of Object.entries(credentials)) {
    const lower = name.toLowerCase();
    if (lower !== 'authorization' && lower !== 'x-api-key' && lower !== 'token') continue;
    if (value === undefined) continue;
    const usable = typeof value === 'string' && value.trim() !== '' && value.length <= MAX_CREDENTIAL_CHARS && !values.has(lower);
    values.set(lower, usable ? value.trim() : null);
  }
  return values;
}

function withTenant(caller: Caller, tenants: ReadonlySet<string>): AuthResult {
  if (tenants.has(caller.tenant)) return { caller };
  const shown = /^[A-Za-z0-9_.-]{1,64}$/.test(caller.tenant) ? `"${caller.tenant}"` : '(an invalid name)';
  return {
    failure: {
      reason: 'unknown-tenant',
      status: 403,
      code: 'FORBIDDEN',
      message: `Your credential is valid but names tenant ${shown}, which this subgraph does not serve`,
    },
  };
}

const MISSING_TOKEN = unauthenticated('missing', 'No credential: send a bearer token (Bearer <JWT>)');
const MISSING_API_KEY = unauthenticated('missing', 'No credential: send x-api-key: <key>');

function unauthenticated(reason: AuthFailureReason, message: string): AuthFailure {
  // RFC 6750: no error code when no credential was sent; `invalid_token` with a description otherwise.
  // The messages are ours and never hold the credential; quotes and backslashes are swapped so the
  // description stays one quoted-string.
  const description = message.replace(/["\\]/g, "'");
  const challenge =
    reason === 'missing' ? `Bearer realm="${REALM}"` : `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`;
  return { reason, status: 401, code: 'UNAUTHENTICATED', message, challenge };
}
