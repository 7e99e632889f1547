import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';

import type * as Codat from '../codat/codat.dto';
import { isNotFoundAnswer } from '../codat/codat.errors';
import { codesOf } from '../codat/sync-state';
import type { CommerceSync } from './commerce-sync.type';
import type { CommerceSyncStatus } from './commerce-sync-status.type';
import { hintFreshness } from './sync.cache-hints';
import type { SyncContext } from './sync.context';
import { newestFirst, toCommerceSync, toCommerceSyncStatus } from './sync.mapper';

/**
 * The reads behind both the root queries and the Company entity's fields, so the two stay identical:
 * through the request's loaders (one Codat call per distinct company), mapped, and with the answer's
 * cache hint set from what it shows (sync.cache-hints.ts). `companyId` must already be validated.
 */
export async function readSyncStatus(ctx: SyncContext, companyId: string, info: GraphQLResolveInfo): Promise<CommerceSyncStatus> {
  const status = await ctx.loaders.syncStatus.load(companyId);
  hintFreshness(info, codesOf(status), ctx.freshness);
  return toCommerceSyncStatus(companyId, status);
}

/** Every sync of the company, newest first. */
export async function readSyncHistory(ctx: SyncContext, companyId: string, info: GraphQLResolveInfo): Promise<CommerceSync[]> {
  const syncs = await ctx.loaders.syncList.load(companyId);
  hintFreshness(info, codesOf(syncs), ctx.freshness);
  return newestFirst(syncs.map(toCommerceSync));
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
  loader: DataLoader<string, Codat.CompanySyncStatus>,
  companyId: string,
  info: GraphQLResolveInfo,
): Promise<CommerceSync | null> {
  let sync: Codat.CompanySyncStatus;
  try {
    sync = await loader.load(companyId);
  } catch (error) {
    if (!isNotFoundAnswer(error)) throw error;
    const status = await ctx.loaders.syncStatus.load(companyId).catch((statusError: unknown) => {
      throw isNotFoundAnswer(statusError) ? error : statusError;
    });
    // "None yet" lasts as long as the status that proved the company exists.
    hintFreshness(info, codesOf(status), ctx.freshness);
    return null;
  }
  hintFreshness(info, codesOf(sync), ctx.freshness);
  return toCommerceSync(sync);
}
