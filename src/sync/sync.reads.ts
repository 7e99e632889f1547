import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';

import { staleness } from '../codat/codat.cache';
import type * as Codat from '../codat/codat.dto';
import { isNotFoundAnswer } from '../codat/codat.errors';
import { codesOf } from '../codat/sync-state';
import { andThen, type MaybePromise } from '../lib/maybe-promise';
import type { CommerceSync } from './commerce-sync.type';
import type { CommerceSyncStatus } from './commerce-sync-status.type';
import { hintFreshness, hintNoReuse } from './sync.cache-hints';
import type { SyncContext } from './sync.context';
import type { CompanyLoader } from './sync.loader';
import { newestFirst, toCommerceSync, toCommerceSyncStatus } from './sync.mapper';

/**
 * Mapped answers, kept by the Codat answer they came from (one map per mapper). The cross-request cache
 * (codat/codat.cache.ts) hands every request the same object while it is fresh, and the request's loader
 * hands it to every alias, so a cached answer is mapped (dates parsed, codes and enums translated) once,
 * not once per request and alias. Mapped answers are never changed afterwards: GraphQL only reads them.
 * A store that returns a copy per read (a shared one, e.g. Redis) simply maps each copy.
 */
class MappedOnce<S extends object, T> {
  private readonly mapped = new WeakMap<S, { companyId: string; value: T }>();

  constructor(private readonly map: (companyId: string, source: S) => T) {}

  of(companyId: string, source: S): T {
    const known = this.mapped.get(source);
    if (known?.companyId === companyId) return known.value;
    const value = this.map(companyId, source);
    this.mapped.set(source, { companyId, value });
    return value;
  }
}

const statuses = new MappedOnce<Codat.SyncStatus, CommerceSyncStatus>(toCommerceSyncStatus);
const histories = new MappedOnce<Codat.CompanySyncStatus[], CommerceSync[]>((_id, syncs) => newestFirst(syncs.map(toCommerceSync)));
const syncs = new MappedOnce<Codat.CompanySyncStatus, CommerceSync>((_id, sync) => toCommerceSync(sync));

/**
 * The reads behind both the root queries and the Company entity's fields, so the two stay identical:
 * through the request's loaders (one Codat call per distinct company), mapped, and with the answer's
 * cache hint set from what it shows (sync.cache-hints.ts). `companyId` must already be validated.
 */
export function readSyncStatus(ctx: SyncContext, companyId: string, info: GraphQLResolveInfo): MaybePromise<CommerceSyncStatus> {
  return andThen(load(ctx, ctx.loaders.syncStatus, companyId, info), (status) => statuses.of(companyId, status));
}

/** Every sync of the company, newest first. */
export function readSyncHistory(ctx: SyncContext, companyId: string, info: GraphQLResolveInfo): MaybePromise<CommerceSync[]> {
  return andThen(load(ctx, ctx.loaders.syncList, companyId, info), (list) => histories.of(companyId, list));
}

/**
 * One sync through one of the single-sync loaders (latest, last successful), or null when the company
 * exists but has no such sync (it never synced, or nothing succeeded yet). Codat answers 404 in both
 * that case and for an unknown company; the company's status tells them apart: it loads through the same
 * request's loader, so it is one call per company however many of its fields 404, and none when the
 * operation already asked for its `commerceSyncStatus`. An unknown company stays NOT_FOUND, with the
 * field's own 404; a status that fails otherwise (5xx, timeout) fails the field with its own error, since
 * then we cannot tell. A field that reads this way is marked `@UpstreamCalls(2)` (src/company/company.resolver.ts).
 */
export async function readOptionalSync(
  ctx: SyncContext,
  loader: CompanyLoader<Codat.CompanySyncStatus>,
  companyId: string,
  info: GraphQLResolveInfo,
): Promise<CommerceSync | null> {
  let sync: Codat.CompanySyncStatus;
  try {
    sync = await load(ctx, loader, companyId, info);
  } catch (error) {
    if (!isNotFoundAnswer(error)) throw error;
    // "None yet" lasts as long as the status that proved the company exists (and is stale if it is).
    try {
      await load(ctx, ctx.loaders.syncStatus, companyId, info);
    } catch (statusError) {
      throw isNotFoundAnswer(statusError) ? error : statusError;
    }
    return null;
  }
  return syncs.of(companyId, sync);
}

/**
 * One load with its cache hint. A stale copy (Codat refusing or down, codat/codat.cache.ts) is noted on
 * the context, to be reported beside the data, and may not be reused downstream at all. Not async, here
 * and in the readers above: an answer the loader has at hand is hinted and returned at once, and each
 * field of a dashboard goes through them, so every async layer would cost it a promise and more ticks
 * (README, "Performance").
 */
function load<V extends Codat.CompanySyncStatus | Codat.SyncStatus | Codat.CompanySyncStatus[]>(
  ctx: SyncContext,
  loader: CompanyLoader<V>,
  companyId: string,
  info: GraphQLResolveInfo,
): MaybePromise<V> {
  return andThen(loader.load(companyId), (value) => {
    const stale = staleness(value);
    if (stale) {
      ctx.staleReads.push({ path: responsePathAsArray(info.path), stale });
      hintNoReuse(info);
    } else {
      hintFreshness(info, codesOf(value), ctx.freshness);
    }
    return value;
  });
}
