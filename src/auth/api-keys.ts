import { createHash, timingSafeEqual } from 'node:crypto';

import { ConfigError } from '../config-error';
import { isRecord } from '../lib/json-value';
import { DEFAULT_TENANT, grantedCompanies, knownScopes, type Caller, type Scope } from './caller';

/**
 * AUTH_MODE=api-key: server-to-server callers send `x-api-key: <key>`. AUTH_API_KEYS_FILE lists the keys
 * we accept by their SHA-256 only, so the file (and a copy of it in a config repository or a backup)
 * never holds a usable key:
 *
 *   {"keys":[{"sha256":"<64 hex digits>","name":"billing-job","scopes":["commerce-sync:read"],
 *             "companies":["<company id>", …] or "*","tenant":"acme"}]}
 *
 * `npm run token -- --api-key` makes a key and its entry (scripts/dev-token.ts).
 */
export interface ApiKeyEntry {
  /** SHA-256 of the key, 32 bytes. */
  sha256: Buffer;
  /** Who holds the key, for logs (the caller's `subject`). */
  name: string;
  scopes: ReadonlySet<Scope>;
  companies: '*' | ReadonlySet<string>;
  tenant: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** SHA-256 of a key as lower-case hex: what AUTH_API_KEYS_FILE holds for it. */
export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Reads AUTH_API_KEYS_FILE's text. Every mistake is a ConfigError naming the variable and the entry;
 * scopes must be ours (a typo would silently grant nothing), and a key's tenant must be one we serve.
 */
export function parseApiKeysFile(text: string, tenants: ReadonlySet<string>, variable = 'AUTH_API_KEYS_FILE'): ApiKeyEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${variable} is not valid JSON`);
  }
  const keys = isRecord(parsed) ? parsed.keys : undefined;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new ConfigError(
      `${variable} must be {"keys":[{"sha256":"…","name":"…","scopes":[…],"companies":[…] or "*"}]} with at least one key`,
    );
  }
  const seen = new Set<string>();
  return keys.map((raw: unknown, index): ApiKeyEntry => {
    const where = `${variable}: keys[${index}]`;
    if (!isRecord(raw)) throw new ConfigError(`${where} must be an object`);
    if (typeof raw.name !== 'string' || raw.name.trim() === '') throw new ConfigError(`${where} needs a "name"`);
    const named = `${where} ("${raw.name.slice(0, 64)}")`;
    if (typeof raw.sha256 !== 'string' || !SHA256_HEX.test(raw.sha256)) {
      throw new ConfigError(`${named}: "sha256" must be the 64 hex digits of the key's SHA-256 (never the key itself)`);
    }
    const hex = raw.sha256.toLowerCase();
    if (seen.has(hex)) throw new ConfigError(`${named}: the same key is listed twice`);
    seen.add(hex);
    const scopes = Array.isArray(raw.scopes) && raw.scopes.every((s): s is string => typeof s === 'string') ? raw.scopes : undefined;
    const mine = scopes ? knownScopes(scopes) : undefined;
    if (!scopes || !mine || mine.size !== scopes.length || mine.size === 0) {
      throw new ConfigError(`${named}: "scopes" must list commerce-sync:read and/or commerce-sync:write`);
    }
    const companies = grantedCompanies(raw.companies);
    if (!companies) throw new ConfigError(`${named}: "companies" must be "*" or a list of Codat company ids`);
    const tenant = raw.tenant === undefined ? DEFAULT_TENANT : raw.tenant;
    if (typeof tenant !== 'string' || !tenants.has(tenant)) {
      throw new ConfigError(
        `${named}: tenant "${String(tenant).slice(0, 64)}" is not one this subgraph serves (${[...tenants].join(', ')})`,
      );
    }
    return { sha256: Buffer.from(hex, 'hex'), name: raw.name.trim(), scopes: mine, companies, tenant };
  });
}

/**
 * The caller an api key stands for, or undefined for a key we do not know. The presented key is hashed
 * and compared with every entry's hash in constant time, and the loop never stops early, so neither the
 * time taken nor its variation says which entry (or how much of a hash) matched.
 */
export function createApiKeyVerifier(entries: readonly ApiKeyEntry[]): (key: string) => Caller | undefined {
  return (key) => {
    const presented = createHash('sha256').update(key, 'utf8').digest();
    let found: ApiKeyEntry | undefined;
    for (const entry of entries) {
      if (timingSafeEqual(presented, entry.sha256) && !found) found = entry;
    }
    if (!found) return undefined;
    return { kind: 'api-key', subject: found.name, scopes: found.scopes, companies: found.companies, tenant: found.tenant };
  };
}
