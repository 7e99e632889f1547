import { codedError } from '../errors';
import { COMPANY_ID } from '../lib/company-id';

/**
 * Who is calling, as far as authorization cares: resolved once per request at the HTTP edge (or once per
 * WebSocket connection), before anything reaches Codat, and read by every resolver through its context.
 * It never holds the credential it came from (a token or an api key), only what was granted.
 */
export interface Caller {
  /**
   * How the caller was recognised: `none` is AUTH_MODE=none (no credentials asked for); `anonymous` sent
   * no credential where AUTH_INTROSPECTION=open lets it read the schema and nothing else.
   */
  kind: 'none' | 'jwt' | 'api-key' | 'anonymous';
  /** For logs: the token's `sub`, the api key's name, or "anonymous". Never a credential. */
  subject: string;
  /** What the caller may do (README, "Authentication"): reads need READ_SCOPE, the sync mutations WRITE_SCOPE. */
  scopes: ReadonlySet<Scope>;
  /** The Codat company ids the caller may touch, lower-cased, or '*' for every company. */
  companies: '*' | ReadonlySet<string>;
  /** The Codat account (tenant) the caller's calls go to. */
  tenant: string;
}

export const READ_SCOPE = 'commerce-sync:read';
export const WRITE_SCOPE = 'commerce-sync:write';
export type Scope = typeof READ_SCOPE | typeof WRITE_SCOPE;

/** The tenant used when no tenants file is configured: CODAT_API_KEY / CODAT_BASE_URL. */
export const DEFAULT_TENANT = 'default';

/** AUTH_MODE=none: everyone may read and start syncs for every company, with the one configured Codat key. */
export const OPEN_CALLER: Caller = Object.freeze({
  kind: 'none',
  subject: 'anonymous',
  scopes: new Set<Scope>([READ_SCOPE, WRITE_SCOPE]),
  companies: '*',
  tenant: DEFAULT_TENANT,
});

/**
 * No credential, with AUTH_INTROSPECTION=open: no scope and no company, so every sync field refuses it;
 * src/apollo/caller-access.plugin.ts answers anything but introspection with a 401 before it runs.
 */
export const ANONYMOUS_CALLER: Caller = Object.freeze({
  kind: 'anonymous',
  subject: 'anonymous',
  scopes: new Set<Scope>(),
  companies: new Set<string>(),
  tenant: DEFAULT_TENANT,
});

const SCOPES: readonly Scope[] = [READ_SCOPE, WRITE_SCOPE];

/** The scopes of ours among those granted (a token carries other services' scopes too); the rest are ignored. */
export function knownScopes(granted: Iterable<string>): Set<Scope> {
  const mine = new Set<Scope>();
  for (const scope of granted) {
    const known = SCOPES.find((s) => s === scope);
    if (known) mine.add(known);
  }
  return mine;
}

/**
 * The companies a grant names (a token's `codat_company_ids`, an api key's `companies`): `"*"` or `["*"]`
 * for every company, else a list of Codat company ids, lower-cased as requireAccess compares them.
 * Undefined when the value is neither (the caller of this says where it came from).
 */
export function grantedCompanies(value: unknown): '*' | Set<string> | undefined {
  if (value === '*') return '*';
  if (!Array.isArray(value) || !value.every((id): id is string => typeof id === 'string')) return undefined;
  if (value.includes('*')) return value.length === 1 ? '*' : undefined;
  if (!value.every((id) => COMPANY_ID.test(id))) return undefined;
  return new Set(value.map((id) => id.toLowerCase()));
}

/**
 * Refuses, before any upstream call, a caller who lacks `scope` or may not see `companyId` (already
 * validated and lower-cased): a FORBIDDEN field error that names what is missing but not what the caller
 * holds, so one company's refusal leaves its neighbours in the same operation answering.
 */
export function requireAccess(caller: Caller, companyId: string, scope: Scope): void {
  if (!caller.scopes.has(scope)) {
    throw codedError('FORBIDDEN', `This operation needs the ${scope} scope`, { requiredScope: scope });
  }
  if (caller.companies !== '*' && !caller.companies.has(companyId)) {
    throw codedError('FORBIDDEN', `You may not access company ${companyId}`, { companyId });
  }
}
