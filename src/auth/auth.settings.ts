import type { ApiKeyEntry } from './api-keys';

/**
 * How callers authenticate (README, "Authentication"), as src/config.ts reads it from AUTH_* variables;
 * every default is there. `none`: no credential asked for, every caller may do everything (the embedded
 * demo); `jwt`: `Authorization: Bearer <JWT>`; `api-key`: `x-api-key: <key>`.
 */
export type AuthMode = 'none' | 'jwt' | 'api-key';

export interface AuthSettings {
  /** `AUTH_MODE`. */
  mode: AuthMode;
  /**
   * `AUTH_INTROSPECTION`: `open` lets a request without a credential read the schema (introspection and
   * `_service { sdl }`, for tools that compose or explore it); `authenticated` asks a credential for that
   * too. Requests that send a credential are always checked, whatever this says.
   */
  introspection: 'open' | 'authenticated';
  /** Set when mode is `jwt`. */
  jwt?: JwtSettings;
  /** Set when mode is `api-key`: AUTH_API_KEYS_FILE's entries. */
  apiKeys?: readonly ApiKeyEntry[];
}

/** AUTH_MODE=jwt: where the verification keys come from and what a token must say. */
export interface JwtSettings {
  /** `AUTH_JWKS_URL`: the issuer's key set (RS256, ES256, EdDSA keys), fetched when needed and cached. */
  jwksUrl?: string;
  /** `AUTH_PUBLIC_KEY`: one PEM public key (RSA, P-256 or Ed25519) instead of a key set. */
  publicKeyPem?: string;
  /** `AUTH_HS256_SECRET`: set on purpose, HS256 tokens signed with this secret are accepted too. */
  hs256Secret?: string;
  /** `AUTH_ISSUER`: the `iss` every token must carry. */
  issuer: string;
  /** `AUTH_AUDIENCE`: a value the token's `aud` must hold. */
  audience: string;
  /** `AUTH_JWKS_TIMEOUT_MS`: bound on one fetch of the key set. */
  jwksTimeoutMs: number;
  /**
   * After a fetch, how long a token with a `kid` not in the set is refused without fetching again (so
   * made-up key ids cannot make us hammer the issuer). Not an environment variable.
   */
  jwksCooldownMs: number;
  /** How long a fetched key set is used before it is fetched again. Not an environment variable. */
  jwksCacheMaxAgeMs: number;
  /** Leeway on `exp` and `nbf` for clocks that disagree, in seconds. Not an environment variable. */
  clockToleranceSeconds: number;
}
