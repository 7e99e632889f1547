import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';

import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

import { ConfigError } from '../config-error';
import type { JwtSettings } from './auth.settings';
import { DEFAULT_TENANT, grantedCompanies, knownScopes, type Caller } from './caller';

/**
 * AUTH_MODE=jwt: `Authorization: Bearer <JWT>` verified with jose, against the issuer's key set
 * (AUTH_JWKS_URL, cached and fetched again when a token names a key id it does not hold) or one PEM key
 * (AUTH_PUBLIC_KEY). Only asymmetric algorithms are accepted, and HS256 only with AUTH_HS256_SECRET: a
 * verifier that takes whatever `alg` a token names can be fooled (`none`, or HS256 keyed with the public
 * key). Claims (README, "Authentication"):
 * - `iss` = AUTH_ISSUER, `aud` holds AUTH_AUDIENCE, `exp` required, `nbf` honoured, with 30 s of leeway;
 * - `scope` (space-separated) and/or `scp` (array or space-separated), ours among them;
 * - `codat_company_ids`: company ids, or `"*"`/`["*"]` (absent: no company);
 * - `tenant` (optional; `default` otherwise); `sub` names the caller in logs.
 */

/** Why a token was refused; each has its own message (authenticate.ts). */
export type TokenFailure =
  | 'malformed'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'unknown-key'
  | 'algorithm'
  | 'bad-claims'
  | 'keys-unavailable';

export type TokenResult = { caller: Caller } | { failure: TokenFailure; detail?: string };

export const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

/** Shortest HS256 secret accepted: 256 bits, as RFC 7518 section 3.2 asks of HMAC keys. */
const MIN_SECRET_BYTES = 32;

/**
 * An AUTH_PUBLIC_KEY PEM and the one algorithm its key type signs with. ConfigError, naming the variable,
 * for anything else (a private key, a certificate chain we cannot read, an unsupported curve).
 */
export function readPublicKey(
  pem: string,
  variable = 'AUTH_PUBLIC_KEY',
): { key: KeyObject; algorithm: (typeof ASYMMETRIC_ALGORITHMS)[number] } {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new ConfigError(`${variable} must be a PEM public key ("-----BEGIN PUBLIC KEY-----…")`);
  }
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return { key, algorithm: 'RS256' };
  if (type === 'ed25519') return { key, algorithm: 'EdDSA' };
  if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return { key, algorithm: 'ES256' };
  throw new ConfigError(`${variable} must be an RSA, P-256 or Ed25519 public key, got ${type ?? 'an unknown key type'}`);
}

/** AUTH_HS256_SECRET, checked: long enough to be a key rather than a password. */
export function checkHs256Secret(secret: string, variable = 'AUTH_HS256_SECRET'): string {
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    throw new ConfigError(`${variable} must be at least ${MIN_SECRET_BYTES} bytes long`);
  }
  return secret;
}

export interface TokenVerifier {
  verify(token: string): Promise<TokenResult>;
}

export function createTokenVerifier(settings: JwtSettings): TokenVerifier {
  const jwks = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl), {
        timeoutDuration: settings.jwksTimeoutMs,
        cooldownDuration: settings.jwksCooldownMs,
        cacheMaxAge: settings.jwksCacheMaxAgeMs,
      })
    : undefined;
  const pem = settings.publicKeyPem ? readPublicKey(settings.publicKeyPem) : undefined;
  const secret = settings.hs256Secret ? createSecretKey(Buffer.from(settings.hs256Secret, 'utf8')) : undefined;
  const algorithms: string[] = [...(jwks ? ASYMMETRIC_ALGORITHMS : pem ? [pem.algorithm] : []), ...(secret ? ['HS256'] : [])];

  // jose checks `alg` against `algorithms` before asking for a key, so each branch sees only its own kind.
  const key: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256' && secret) return secret;
    if (jwks) return jwks(header, token);
    if (pem) return pem.key;
    throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
  };

  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, key, {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms,
          clockTolerance: settings.clockToleranceSeconds,
          requiredClaims: ['exp'],
        }));
      } catch (error) {
        return { failure: failureOf(error, jwks !== undefined) };
      }
      return callerFromClaims(payload);
    },
  };
}

/** jose's error → our reason. Anything not from jose while a key set is in use is the key set failing us. */
function failureOf(error: unknown, usesKeySet: boolean): TokenFailure {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'wrong-issuer';
    if (error.claim === 'aud') return 'wrong-audience';
    if (error.claim === 'nbf') return 'not-yet-valid';
    return 'bad-claims';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad-signature';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown-key';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return 'algorithm';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return 'keys-unavailable';
  if (error instanceof errors.JOSEError) return 'malformed';
  return usesKeySet ? 'keys-unavailable' : 'malformed';
}

/** The caller a verified token stands for; a claim of ours with the wrong shape refuses the token. */
export function callerFromClaims(claims: JWTPayload): TokenResult {
  const granted: string[] = [];
  if (typeof claims.scope === 'string') granted.push(...claims.scope.split(' '));
  else if (claims.scope !== undefined) return { failure: 'bad-claims', detail: 'scope must be a space-separated string' };
  const scp = claims.scp;
  if (typeof scp === 'string') granted.push(...scp.split(' '));
  else if (Array.isArray(scp) && scp.every((s): s is string => typeof s === 'string')) granted.push(...scp);
  else if (scp !== undefined) return { failure: 'bad-claims', detail: 'scp must be an array of strings' };

  const companies = claims.codat_company_ids === undefined ? new Set<string>() : grantedCompanies(claims.codat_company_ids);
  if (!companies) return { failure: 'bad-claims', detail: 'codat_company_ids must be a list of Codat company ids, or ["*"]' };

  const tenant = claims.tenant ?? DEFAULT_TENANT;
  if (typeof tenant !== 'string' || tenant === '') return { failure: 'bad-claims', detail: 'tenant must be a non-empty string' };

  const subject = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub.slice(0, 128) : 'unnamed';
  return { caller: { kind: 'jwt', subject, scopes: knownScopes(granted), companies, tenant } };
}
