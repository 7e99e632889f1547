import { GraphQLError } from 'graphql';
import { Args, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';

import { READ_SCOPE, requireAccess } from '../auth/caller';
import { formatError } from '../errors';
import { UpstreamCalls } from '../limits/upstream-calls';
import { CommerceSyncStatus } from '../sync/commerce-sync-status.type';
import { CompanyArgs } from '../sync/sync.args';
import { requireCompanyId } from '../sync/sync.inputs';
import { toCommerceSyncStatus } from '../sync/sync.mapper';
import { requireCommerceSyncId, SyncProgressArgs } from './live.args';
import type { LiveContext } from './live.context';
import { ProgressFollower, StatusFollower, type LiveEvent, type SyncFollower } from './sync-followers';

type SubscribeData<TArgs> = SubscribeResolverData<unknown, TArgs, LiveContext>;

/**
 * Live sync tracking. Both fields read from the company's one shared poller (src/live/poller-registry.ts);
 * input and access are checked before anything starts, so a refused subscribe costs Codat nothing.
 * Each counts as one Codat call for the cost limit (whatever its subscribers, a company costs one
 * poller's reads).
 */
@Resolver()
export class LiveResolver {
  @UpstreamCalls(1)
  @Subscription(() => CommerceSyncStatus, {
    description:
      "A company's commerce sync status, live: the current status first, then one event each time it changes (a new sync, a new syncStatusCode, a new syncUtc), until the client leaves. An upstream failure arrives as an event whose error carries the same extensions.code as queries (NOT_FOUND, RATE_LIMITED, UPSTREAM_UNAVAILABLE, ...), once per failure, and the stream goes on: the next good poll sends the status again. Polled for all its subscribers at once, about every 2 s while a sync runs and every 30 s otherwise; requestSync and requestSyncRange wake it at once.",
    subscribe: ({ args, context }: SubscribeData<CompanyArgs>) =>
      follow(context, args.companyId, (companyId) => new StatusFollower(companyId)),
  })
  commerceSyncStatusChanged(@Root() event: LiveEvent, @Args(() => CompanyArgs) _args: CompanyArgs): CommerceSyncStatus {
    return toPayload(event);
  }

  @UpstreamCalls(1)
  @Subscription(() => CommerceSyncStatus, {
    description:
      "Follows one sync that requestSync or requestSyncRange started, by the commerceSyncId they returned, and completes after the event that shows it final (2xxx SUCCEEDED, 4xxx/5xxx FAILED). Codat gives a sync two ids: commerceSyncId (what the mutations return) and syncId; only the company's status (get-sync-status) pairs them, so the sync is recognised when the status names its commerceSyncId as the latest, and followed from then on. If a newer sync replaces it before it finishes, it is followed by its syncId (get-sync-by-id) until final; events keep this commerceSyncId and never show the newer sync. If the status never names it within LIVE_SYNC_APPEAR_MS (10 s), the stream ends with NOT_FOUND. Upstream failures arrive as error events, as on commerceSyncStatusChanged.",
    subscribe: ({ args, context }: SubscribeData<SyncProgressArgs>) => {
      const commerceSyncId = requireCommerceSyncId(args.commerceSyncId);
      const appearMs = context.live.syncAppearMs;
      return follow(context, args.companyId, (companyId) => new ProgressFollower(companyId, commerceSyncId, Date.now(), appearMs));
    },
  })
  commerceSyncProgress(@Root() event: LiveEvent, @Args(() => SyncProgressArgs) _args: SyncProgressArgs): CommerceSyncStatus {
    return toPayload(event);
  }
}

/** Validates and authorizes before the tracker (and so the poller) is touched. */
function follow(ctx: LiveContext, companyId: string, follower: (companyId: string) => SyncFollower): AsyncIterable<LiveEvent> {
  const id = requireCompanyId(companyId);
  requireAccess(ctx.caller, id, READ_SCOPE);
  return ctx.live.tracker.follow({
    key: { tenant: ctx.caller.tenant, companyId: id },
    codat: ctx.codat,
    transport: ctx.live.transport,
    follower: follower(id),
  });
}

function toPayload(event: LiveEvent): CommerceSyncStatus {
  if (event.kind === 'error') throw toStreamError(event.error);
  return toCommerceSyncStatus(event.companyId, event.status);
}

/**
 * The error as a client may see it (src/errors.ts decides: typed code, or masked), already shaped: the
 * router's callback protocol (Apollo's plugin) sends events as graphql-js makes them, without formatError.
 */
function toStreamError(error: unknown): GraphQLError {
  const message = error instanceof Error ? error.message : 'Internal server error';
  const extensions = error instanceof GraphQLError ? error.extensions : undefined;
  const shaped = formatError({ message, extensions }, error);
  return new GraphQLError(shaped.message, { extensions: shaped.extensions });
}
