import type { GraphQLResolveInfo } from 'graphql';
import { Ctx, Directive, FieldResolver, Info, Resolver, Root } from 'type-graphql';

import { AUTHENTICATED, REQUIRES_READ } from '../auth/auth.directives';
import { READ_SCOPE, requireAccess } from '../auth/caller';
import type { MaybePromise } from '../lib/maybe-promise';
import { UpstreamCalls } from '../limits/upstream-calls';
import { CommerceSync } from '../sync/commerce-sync.type';
import { CommerceSyncStatus } from '../sync/commerce-sync-status.type';
import type { SyncContext } from '../sync/sync.context';
import { readOptionalSync, readSyncHistory, readSyncStatus } from '../sync/sync.reads';
import { Company } from './company.type';

/** The read fields are not async, so that a cached answer is returned as it is (as in src/sync/sync.resolver.ts). */
@Resolver(() => Company)
export class CompanyResolver {
  @UpstreamCalls(1)
  @Directive(AUTHENTICATED)
  @Directive(REQUIRES_READ)
  @FieldResolver(() => CommerceSyncStatus, {
    nullable: true,
    description: "The company's current commerce sync status: its latest sync and data connections (Codat get-sync-status).",
  })
  commerceSyncStatus(
    @Root() company: Company,
    @Ctx() ctx: SyncContext,
    @Info() info: GraphQLResolveInfo,
  ): MaybePromise<CommerceSyncStatus> {
    requireAccess(ctx.caller, company.codatCompanyId, READ_SCOPE);
    return readSyncStatus(ctx, company.codatCompanyId, info);
  }

  @UpstreamCalls(1)
  @Directive(AUTHENTICATED)
  @Directive(REQUIRES_READ)
  @FieldResolver(() => [CommerceSync], {
    nullable: true,
    description: "The company's commerce syncs, newest first (Codat list-syncs). Empty if it never synced.",
  })
  commerceSyncs(@Root() company: Company, @Ctx() ctx: SyncContext, @Info() info: GraphQLResolveInfo): MaybePromise<CommerceSync[]> {
    requireAccess(ctx.caller, company.codatCompanyId, READ_SCOPE);
    return readSyncHistory(ctx, company.codatCompanyId, info);
  }

  // Two calls at most: when Codat answers 404, the company's status says whether it exists (sync.reads.ts).
  @UpstreamCalls(2)
  @Directive(AUTHENTICATED)
  @Directive(REQUIRES_READ)
  @FieldResolver(() => CommerceSync, {
    nullable: true,
    description:
      "The company's most recent commerce sync, whatever its outcome (Codat get-latest-sync); null, without an error, if it never synced. NOT_FOUND if Codat has no such company.",
  })
  latestCommerceSync(@Root() company: Company, @Ctx() ctx: SyncContext, @Info() info: GraphQLResolveInfo): Promise<CommerceSync | null> {
    requireAccess(ctx.caller, company.codatCompanyId, READ_SCOPE);
    return readOptionalSync(ctx, ctx.loaders.latestSync, company.codatCompanyId, info);
  }

  // Two calls at most: when Codat answers 404, the company's status says whether it exists (sync.reads.ts).
  @UpstreamCalls(2)
  @Directive(AUTHENTICATED)
  @Directive(REQUIRES_READ)
  @FieldResolver(() => CommerceSync, {
    nullable: true,
    description:
      "The company's most recent commerce sync that succeeded (Codat get-last-successful-sync); null, without an error, if none has. NOT_FOUND if Codat has no such company.",
  })
  lastSuccessfulCommerceSync(
    @Root() company: Company,
    @Ctx() ctx: SyncContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CommerceSync | null> {
    requireAccess(ctx.caller, company.codatCompanyId, READ_SCOPE);
    return readOptionalSync(ctx, ctx.loaders.lastSuccessfulSync, company.codatCompanyId, info);
  }
}
