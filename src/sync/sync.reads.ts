import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';

import type * as Codat from '../codat/codat.dto';
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

/** One sync through one of the single-sync loaders (latest, last successful). */
export async function readSync(
  ctx: SyncContext,
  loader: DataLoader<string, Codat.CompanySyncStatus>,
  companyId: string,
  info: GraphQLResolveInfo,
): Promise<CommerceSync> {
  const sync = await loader.load(companyId);
  hintFreshness(info, codesOf(sync), ctx.freshness);
  return toCommerceSync(sync);
}
