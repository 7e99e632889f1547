import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';

import { restrictForSyncStates } from '../cache-hints';
import type * as Codat from '../codat/codat.dto';
import type { Context } from '../context';
import type { CommerceSync } from './commerce-sync.type';
import type { CommerceSyncStatus } from './commerce-sync-status.type';
import { newestFirst, toCommerceSync, toCommerceSyncStatus } from './sync.mapper';

/**
 * The reads behind both the root queries and the Company entity's fields, so the two stay identical:
 * through the request's loaders (one Codat call per distinct company), mapped, and with the answer's
 * cache hint lowered when a sync in it is still running. `companyId` must already be validated.
 */
export async function readSyncStatus(ctx: Context, companyId: string, info: GraphQLResolveInfo): Promise<CommerceSyncStatus> {
  const status = toCommerceSyncStatus(companyId, await ctx.loaders.syncStatus.load(companyId));
  restrictForSyncStates(info, [status.state]);
  return status;
}

/** Every sync of the company, newest first. */
export async function readSyncHistory(ctx: Context, companyId: string, info: GraphQLResolveInfo): Promise<CommerceSync[]> {
  const syncs = newestFirst((await ctx.loaders.syncList.load(companyId)).map(toCommerceSync));
  restrictForSyncStates(
    info,
    syncs.map((s) => s.state),
  );
  return syncs;
}

/** One sync through one of the single-sync loaders (latest, last successful). */
export async function readSync(
  loader: DataLoader<string, Codat.CompanySyncStatus>,
  companyId: string,
  info: GraphQLResolveInfo,
): Promise<CommerceSync> {
  const sync = toCommerceSync(await loader.load(companyId));
  restrictForSyncStates(info, [sync.state]);
  return sync;
}
