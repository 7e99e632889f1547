import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, Directive, Info, Mutation, Query, Resolver } from 'type-graphql';

import { AUTHENTICATED, REQUIRES_READ, REQUIRES_WRITE } from '../auth/auth.directives';
import { READ_SCOPE, requireAccess, WRITE_SCOPE } from '../auth/caller';
import type { MaybePromise } from '../lib/maybe-promise';
import { UpstreamCalls } from '../limits/upstream-calls';
import { CommerceSync } from './commerce-sync.type';
import { CommerceSyncStatus } from './commerce-sync-status.type';
import { CommerceSyncSummary } from './commerce-sync-summary.type';
import { CompanyArgs, RequestSyncArgs, RequestSyncRangeArgs } from './sync.args';
import type { SyncContext } from './sync.context';
import { idempotencyKeyOf } from './sync.idempotency';
import { requireCompanyId, requireRange } from './sync.inputs';
import { toCommerceSyncSummary } from './sync.mapper';
import { readSyncHistory, readSyncStatus } from './sync.reads';

/**
 * The read fields are plain functions, not async ones: they return the answer itself when the request's
 * loader has it at hand (a fresh cached answer) and the read's promise otherwise. An async function
 * would cost each field a promise and more ticks even for a cached answer, and a dashboard has one
 * field per alias (README, "Performance"). A check that fails then throws from the field synchronously,
 * which graphql-js reports as it does a rejection.
 */
@Resolver()
export class SyncResolver {
  @UpstreamCalls(1)
  @Directive(AUTHENTICATED)
  @Directive(REQUIRES_READ)
  @Query(() => CommerceSyncStatus, {
    nullable: true,
    description:
      "A company's current commerce sync status: its latest sync and data connections (Codat get-sync-status). Batched: many aliases or companies in one operation cost one Codat call per distinct company.",
  })
  commerceSyncStatus(
    @Args(() => CompanyArgs) { companyId }: CompanyArgs,
    @Ctx() ctx: SyncContext,
    @Info() info: GraphQLResolveInfo,
  ): MaybePromise<CommerceSyncStatus> {
    const id = requireCompanyId(companyId);
    requireAccess(ctx.caller, id, READ_SCOPE);
    return readSyncStatus(ctx, id, info);
  }

  @UpstreamCalls(1)
  @Directive(AUTHENTICATED)
  @Directive(REQUIRES_READ)
  @Query(() => [CommerceSync], {
    nullable: true,
    description: 'Every commerce sync of a company, newest first (Codat list-syncs).',
  })
  commerceSyncs(
    @Args(() => CompanyArgs) { companyId }: CompanyArgs,
    @Ctx() ctx: SyncContext,
    @Info() info: GraphQLResolveInfo,
  ): MaybePromise<CommerceSync[]> {
    const id = requireCompanyId(companyId);
    requireAccess(ctx.caller, id, READ_SCOPE);
    return readSyncHistory(ctx, id, info);
  }

  @UpstreamCalls(1)
  @Directive(AUTHENTICATED)
  @Directive(REQUIRES_WRITE)
  @Mutation(() => CommerceSyncSummary, {
    nullable: true,
    description:
      'Starts a commerce sync from the last successful sync up to syncTo, or up to now (Codat request-sync). Sent to Codat exactly once, never retried; with an idempotencyKey, repeats are answered without a second sync. Returns the new sync, usually IN_PROGRESS.',
  })
  async requestSync(
    @Args(() => RequestSyncArgs) { companyId, syncTo, idempotencyKey }: RequestSyncArgs,
    @Ctx() ctx: SyncContext,
  ): Promise<CommerceSyncSummary> {
    const id = requireCompanyId(companyId);
    requireAccess(ctx.caller, id, WRITE_SCOPE);
    const key = idempotencyKeyOf(idempotencyKey, ctx.idempotencyKey);
    const send = () => ctx.codat.requestSync(id, syncTo ? { syncTo } : {});
    const args = { syncTo: syncTo?.toISOString() ?? null };
    const summary = key
      ? await ctx.idempotency.run({ tenant: ctx.caller.tenant, companyId: id, key, operation: 'request-sync', args }, send)
      : await send();
    return toCommerceSyncSummary(id, summary);
  }

  @UpstreamCalls(1)
  @Directive(AUTHENTICATED)
  @Directive(REQUIRES_WRITE)
  @Mutation(() => CommerceSyncSummary, {
    nullable: true,
    description:
      'Starts a commerce sync for a historic period (Codat request-sync-for-date-range). start must be before end; Codat refuses periods that overlap an earlier sync (UPSTREAM_REJECTED). Sent exactly once, never retried; with an idempotencyKey, repeats are answered without a second sync.',
  })
  async requestSyncRange(
    @Args(() => RequestSyncRangeArgs) { companyId, start, end, idempotencyKey }: RequestSyncRangeArgs,
    @Ctx() ctx: SyncContext,
  ): Promise<CommerceSyncSummary> {
    const id = requireCompanyId(companyId);
    requireAccess(ctx.caller, id, WRITE_SCOPE);
    requireRange(start, end);
    const key = idempotencyKeyOf(idempotencyKey, ctx.idempotencyKey);
    const send = () => ctx.codat.requestSyncForDateRange(id, { start, finish: end });
    const args = { start: start.toISOString(), end: end.toISOString() };
    const summary = key
      ? await ctx.idempotency.run({ tenant: ctx.caller.tenant, companyId: id, key, operation: 'request-sync-for-date-range', args }, send)
      : await send();
    return toCommerceSyncSummary(id, summary);
  }
}
