import { maybeCacheControlFromInfo } from '@apollo/cache-control-types';
import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLEnumType, GraphQLInt, type GraphQLResolveInfo } from 'graphql';

import { loadConfig } from './config';
import { SyncState } from './sync/sync.enums';

/** Hints are whole seconds; rounding down means nothing downstream holds an answer longer than we do. */
const seconds = (ms: number): number => Math.floor(ms / 1000);

/** The shipped defaults (config.ts), until the hints take the configured TTLs from the request context. */
const DEFAULTS = loadConfig({});

/**
 * How long (in seconds) a gateway, router or CDN may reuse an answer, per type. Apollo Server's cache
 * control plugin turns these into the `cache-control` response header (the smallest maxAge in the
 * answer wins; an answer with errors or from a mutation is `no-store`), and Apollo Gateway combines the
 * subgraphs' headers into its own.
 *
 * The sync values come from the in-process cache's defaults (config.ts), so that nothing downstream
 * holds a sync status longer than we would ourselves. (An operator who changes STATUS_CACHE_TTL_MS changes
 * only our own cache; the published hints stay those of the defaults.)
 */
export const CACHE_MAX_AGE = {
  /** CommerceSyncStatus and CommerceSync: a finished sync changes only when a new one starts. */
  sync: seconds(DEFAULTS.statusCacheTtlMs),
  /** Any sync that is IN_PROGRESS: it may finish any moment, and callers poll it. Set per answer. */
  inProgress: seconds(DEFAULTS.inProgressCacheTtlMs),
  /** CommerceSyncSummary, the mutations' answer: a write's result is never reused. */
  summary: 0,
  /**
   * Company, the entity reference itself: its id never changes. Its sync fields restrict the answer
   * further, so this only governs `_entities { ... on Company { id } }`.
   */
  company: 60,
} as const;

/** The `@cacheControl(...)` applied to a type, for type-graphql's `@Directive`. */
export function cacheControl(hint: { maxAge?: number; inheritMaxAge?: boolean }): string {
  const args = Object.entries(hint).map(([name, value]) => `${name}: ${String(value)}`);
  return `@cacheControl(${args.join(', ')})`;
}

/**
 * Lowers the hint of the field being resolved when any of the syncs it returns is still running. We
 * restrict rather than `setCacheHint` so that a lower hint set elsewhere is never raised. A no-op when
 * the cache control plugin is off.
 */
export function restrictForSyncStates(info: GraphQLResolveInfo, states: readonly SyncState[]): void {
  if (!states.includes(SyncState.IN_PROGRESS)) return;
  maybeCacheControlFromInfo(info)?.cacheHint.restrict({ maxAge: CACHE_MAX_AGE.inProgress });
}

/** Apollo's cache scope: PUBLIC answers may be shared between callers, PRIVATE ones only per caller. */
export const CacheControlScope = new GraphQLEnumType({
  name: 'CacheControlScope',
  description: 'Whether a cached answer may be shared between callers (PUBLIC) or kept per caller only (PRIVATE).',
  values: {
    PUBLIC: { description: 'Any cache (gateway, CDN) may serve the answer to any caller.' },
    PRIVATE: { description: 'Only a per-caller cache may keep the answer.' },
  },
});

/**
 * Apollo Server's `@cacheControl` directive, defined in our SDL so that subgraph tooling and the cache
 * control plugin read it (https://www.apollographql.com/docs/apollo-server/performance/caching).
 */
export const CacheControlDirective = new GraphQLDirective({
  name: 'cacheControl',
  description: 'How long a gateway or CDN may reuse an answer containing this type or field.',
  locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT, DirectiveLocation.INTERFACE, DirectiveLocation.UNION],
  args: {
    maxAge: { type: GraphQLInt, description: 'Seconds the answer may be reused.' },
    scope: { type: CacheControlScope, description: 'Who may share the cached answer.' },
    inheritMaxAge: { type: GraphQLBoolean, description: "Take the parent field's maxAge instead of the default of 0." },
  },
});
