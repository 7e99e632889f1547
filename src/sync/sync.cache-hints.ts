import { maybeCacheControlFromInfo } from '@apollo/cache-control-types';
import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLEnumType, GraphQLInt, type GraphQLResolveInfo } from 'graphql';

import { freshnessMs, type Freshness } from '../codat/sync-state';

/**
 * How long (in seconds) a gateway, router or CDN may reuse an answer. Apollo Server's cache control
 * plugin turns the hints into the `cache-control` response header (the smallest maxAge in the answer
 * wins; an answer with errors or from a mutation is `no-store`), and Apollo Gateway combines the
 * subgraphs' headers into its own.
 *
 * The sync fields set their hint per answer from the configured freshness (STATUS_CACHE_TTL_MS and its
 * in-progress bound, config.ts; the same rule the cross-request cache follows, codat/sync-state.ts), so
 * nothing downstream holds a sync status longer than we do ourselves, and with our cache off
 * (STATUS_CACHE_TTL_MS=0) answers are `no-store`. What does not depend on the configuration is fixed on
 * the types below.
 */
export const FIXED_MAX_AGE = {
  /** CommerceSyncSummary, the mutations' answer: a write's result is never reused. */
  summary: 0,
  /**
   * Company, the entity reference itself: its id never changes. Its sync fields restrict the answer
   * further, so this only governs `_entities { ... on Company { id } }`.
   */
  company: 60,
} as const;

/** Hints are whole seconds; rounding down means nothing downstream holds an answer longer than we do. */
const seconds = (ms: number): number => Math.floor(ms / 1000);

/** The `@cacheControl(...)` applied to a type, for type-graphql's `@Directive`. */
export function cacheControl(hint: { maxAge?: number; inheritMaxAge?: boolean }): string {
  const args = Object.entries(hint).map(([name, value]) => `${name}: ${String(value)}`);
  return `@cacheControl(${args.join(', ')})`;
}

/**
 * Sets the hint of the sync field being resolved from the codes of the syncs it returns: the status TTL,
 * the in-progress bound when one of them still runs, 0 with the cache off. We restrict rather than
 * `setCacheHint` so that a lower hint set elsewhere is never raised. A no-op when the cache control
 * plugin is off.
 */
export function hintFreshness(info: GraphQLResolveInfo, codes: readonly (number | undefined)[], freshness: Freshness): void {
  maybeCacheControlFromInfo(info)?.cacheHint.restrict({ maxAge: seconds(freshnessMs(codes, freshness)) });
}

/** An answer nothing downstream may reuse (a stale copy served while Codat refuses or fails). */
export function hintNoReuse(info: GraphQLResolveInfo): void {
  maybeCacheControlFromInfo(info)?.cacheHint.restrict({ maxAge: 0 });
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
