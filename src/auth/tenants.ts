import { ConfigError } from '../config-error';
import { isRecord } from '../lib/json-value';

/**
 * Tenants: the Codat accounts this subgraph serves. A caller belongs to one (its token's `tenant` claim,
 * its api key's `tenant`, or `default`), and every call made for it goes to that tenant's Codat with that
 * tenant's key, through a client, cache and limits of its own (src/app.ts builds one stack per tenant).
 * Without CODAT_TENANTS_FILE there is one tenant, `default`, from CODAT_API_KEY / CODAT_BASE_URL.
 */
export interface TenantUpstream {
  /** The tenant's Codat API key: a secret, never logged (pino redacts `apiKey` at any of these depths). */
  apiKey: string;
  /** The tenant's Codat API root; CODAT_BASE_URL when the file does not give one. */
  baseUrl: string;
}

/**
 * Tenant names become metric label values and log fields: short, and from a small alphabet, so that a
 * name cannot carry anything a label or a log line should not.
 */
const TENANT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** At most this many tenants get a `tenant` label on the metrics (README, "Metrics"); beyond, none. */
export const MAX_TENANT_LABELS = 50;

/**
 * Reads CODAT_TENANTS_FILE's text: `{"tenants":{"<name>":{"apiKey":"…","baseUrl":"…"}}}`. Every mistake
 * is a ConfigError naming the variable and the tenant, never quoting a key.
 */
export function parseTenantsFile(
  text: string,
  defaults: { baseUrl: string },
  variable = 'CODAT_TENANTS_FILE',
): Map<string, TenantUpstream> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${variable} is not valid JSON`);
  }
  const tenants = isRecord(parsed) ? parsed.tenants : undefined;
  if (!isRecord(tenants) || Object.keys(tenants).length === 0) {
    throw new ConfigError(`${variable} must be {"tenants":{"<name>":{"apiKey":"…","baseUrl":"…"}}} with at least one tenant`);
  }
  const result = new Map<string, TenantUpstream>();
  for (const [name, entry] of Object.entries(tenants)) {
    if (!TENANT_NAME.test(name)) {
      throw new ConfigError(`${variable}: tenant names are 1-64 letters, digits, "_", "." or "-", got "${name.slice(0, 64)}"`);
    }
    if (!isRecord(entry) || typeof entry.apiKey !== 'string' || entry.apiKey.trim() === '') {
      throw new ConfigError(`${variable}: tenant "${name}" needs a non-empty "apiKey"`);
    }
    const baseUrl = entry.baseUrl === undefined ? defaults.baseUrl : checkedBaseUrl(entry.baseUrl, `${variable}: tenant "${name}"`);
    result.set(name, { apiKey: entry.apiKey.trim(), baseUrl });
  }
  return result;
}

function checkedBaseUrl(value: unknown, where: string): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new ConfigError(`${where}: "baseUrl" must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${where}: "baseUrl" must use http or https`);
  if (url.username || url.password) throw new ConfigError(`${where}: "baseUrl" must not contain credentials; use "apiKey"`);
  return String(value).replace(/\/+$/, '');
}
