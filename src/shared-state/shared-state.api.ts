import type { SharedFlights, SyncCache } from '../codat/codat.cache';
import type { FleetSlots } from '../codat/company-slots';
import type { PollerRegistry } from '../live/poller-registry';
import type { IdempotencyStore } from '../sync/sync.idempotency';

/**
 * Everything the instances of a fleet share, behind the interfaces the rest of the code declares: the
 * status cache (`SyncCache`), coalescing of identical reads (`SharedFlights`), Codat's per-company bound
 * (`FleetSlots`) and the idempotency records (`IdempotencyStore`). Without REDIS_URL, each is this
 * instance's own, in memory, exactly as a single instance always ran. With it, each lives in Redis under
 * its tenant's and its own key prefix, `${REDIS_KEY_PREFIX}<tenant>:<namespace>:`, and falls back to its
 * in-memory twin whenever Redis does not answer (redis-connection.ts). A tenant is a Codat account of
 * its own (src/app.ts builds one Codat stack per tenant), so each gets its own set of structures:
 * nothing one tenant caches, coalesces, holds a slot for or records is seen by another.
 * This folder is the only code that imports ioredis, and only once REDIS_URL asks for it
 * (redis-shared-state.ts, loaded on demand): ioredis takes a few hundred milliseconds to load, which
 * an instance without Redis should not pay.
 */
export interface SharedState extends RedisHealth {
  /** The structures of one tenant (`default` without CODAT_TENANTS_FILE), built once per tenant by the composition root. */
  forTenant(tenant: string): TenantSharedState;
  /**
   * The subscription pollers: with REDIS_URL one per tenant and company across the fleet, holding a
   * lease in Redis (redis-poller-registry.ts), in front of this instance's `local` registry; without, `local`.
   */
  pollers(local: PollerRegistry): PollerRegistry;
  close(): Promise<void>;
}

/** Whether the fleet's Redis answers: the same for every tenant's structures. */
export interface RedisHealth {
  /** Whether Redis answers now; undefined without REDIS_URL. */
  redisUp(): boolean | undefined;
  /** Resolves with `redisUp()` once Redis answers, or after `timeoutMs` (at once without REDIS_URL). */
  whenRedisUp(timeoutMs: number): Promise<boolean | undefined>;
}

/** One tenant's shared structures. */
export interface TenantSharedState extends RedisHealth {
  /** The tenant's key prefix in Redis, `${REDIS_KEY_PREFIX}<tenant>:`; undefined without REDIS_URL. */
  keyPrefix: string | undefined;
  syncCache: SyncCache;
  /** Absent without REDIS_URL: the cache coalesces within the instance only. */
  flights: SharedFlights | undefined;
  /** Absent without REDIS_URL: the per-instance bound alone holds. */
  fleetSlots: FleetSlots | undefined;
  idempotency: IdempotencyStore;
}

/** A tenant's key prefix, e.g. `ccs:default:`. Tenant names have no `:` (src/auth/tenants.ts), so no two tenants' prefixes overlap. */
export function tenantPrefix(keyPrefix: string, tenant: string): string {
  return `${keyPrefix}${tenant}:`;
}

/** The key prefix of one namespace under a tenant's prefix, e.g. `ccs:default:cache:`. */
export function namespacePrefix(tenantKeyPrefix: string, namespace: string): string {
  return `${tenantKeyPrefix}${namespace}:`;
}
