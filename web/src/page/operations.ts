// The page's GraphQL operations, typed by codegen's client preset (codegen.yml → web/src/__generated__/).
import { graphql } from '../__generated__';

/**
 * Everything a row shows about a merchant's current sync. `companyId` is the cache key (apollo-client.ts);
 * the typenames are asked for because the subscription's events are written into the cache by hand
 * (sync-follow.hook.ts), and the cache needs them to file the objects.
 */
export const SYNC_STATUS_FIELDS = graphql(`
  fragment SyncStatusFields on CommerceSyncStatus {
    __typename
    companyId
    commerceSyncId
    state
    syncStatusCode
    syncStatus
    syncUtc
    dataPushed
    errorMessage
    syncExceptionMessage
    dataConnections {
      __typename
      id
      platformName
      sourceType
      status
    }
  }
`);

/**
 * The whole table in one request: one `_entities` call with a Company representation per merchant, so
 * the server batches them (one Codat call per company and field, README "Federation").
 */
export const MERCHANT_TABLE = graphql(`
  query MerchantTable($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Company {
        id
        commerceSyncStatus {
          ...SyncStatusFields
        }
        lastSuccessfulCommerceSync {
          syncId
          syncUtc
        }
      }
    }
  }
`);

/** One merchant's status, polled while a sync it requested runs when the subscription cannot be used (sync-follow.hook.ts). */
export const FOLLOW_SYNC = graphql(`
  query FollowSync($companyId: ID!) {
    commerceSyncStatus(companyId: $companyId) {
      ...SyncStatusFields
    }
  }
`);

/** Follows one requested sync until it is final (sync-follow.hook.ts): the server pushes each change. */
export const SYNC_PROGRESS = graphql(`
  subscription SyncProgress($companyId: ID!, $commerceSyncId: ID!) {
    commerceSyncProgress(companyId: $companyId, commerceSyncId: $commerceSyncId) {
      ...SyncStatusFields
    }
  }
`);

/** What the page reads from a requested sync (both mutations answer a CommerceSyncSummary). */
export const SYNC_SUMMARY_FIELDS = graphql(`
  fragment SyncSummaryFields on CommerceSyncSummary {
    companyId
    commerceSyncId
    state
    syncStatusCode
    syncDateRange {
      start
      finish
    }
  }
`);

export const REQUEST_SYNC = graphql(`
  mutation RequestSync($companyId: ID!) {
    requestSync(companyId: $companyId) {
      ...SyncSummaryFields
    }
  }
`);

export const REQUEST_SYNC_RANGE = graphql(`
  mutation RequestSyncRange($companyId: ID!, $start: DateTime!, $end: DateTime!) {
    requestSyncRange(companyId: $companyId, start: $start, end: $end) {
      ...SyncSummaryFields
    }
  }
`);
