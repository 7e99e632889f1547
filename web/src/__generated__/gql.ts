/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment SyncStatusFields on CommerceSyncStatus {\n    __typename\n    companyId\n    commerceSyncId\n    state\n    syncStatusCode\n    syncStatus\n    syncUtc\n    dataPushed\n    errorMessage\n    syncExceptionMessage\n    dataConnections {\n      __typename\n      id\n      platformName\n      sourceType\n      status\n    }\n  }\n": typeof types.SyncStatusFieldsFragmentDoc,
    "\n  query MerchantTable($representations: [_Any!]!) {\n    _entities(representations: $representations) {\n      __typename\n      ... on Company {\n        id\n        commerceSyncStatus {\n          ...SyncStatusFields\n        }\n        lastSuccessfulCommerceSync {\n          syncId\n          syncUtc\n        }\n      }\n    }\n  }\n": typeof types.MerchantTableDocument,
    "\n  query FollowSync($companyId: ID!) {\n    commerceSyncStatus(companyId: $companyId) {\n      ...SyncStatusFields\n    }\n  }\n": typeof types.FollowSyncDocument,
    "\n  subscription SyncProgress($companyId: ID!, $commerceSyncId: ID!) {\n    commerceSyncProgress(companyId: $companyId, commerceSyncId: $commerceSyncId) {\n      ...SyncStatusFields\n    }\n  }\n": typeof types.SyncProgressDocument,
    "\n  fragment SyncSummaryFields on CommerceSyncSummary {\n    companyId\n    commerceSyncId\n    state\n    syncStatusCode\n    syncDateRange {\n      start\n      finish\n    }\n  }\n": typeof types.SyncSummaryFieldsFragmentDoc,
    "\n  mutation RequestSync($companyId: ID!) {\n    requestSync(companyId: $companyId) {\n      ...SyncSummaryFields\n    }\n  }\n": typeof types.RequestSyncDocument,
    "\n  mutation RequestSyncRange($companyId: ID!, $start: DateTime!, $end: DateTime!) {\n    requestSyncRange(companyId: $companyId, start: $start, end: $end) {\n      ...SyncSummaryFields\n    }\n  }\n": typeof types.RequestSyncRangeDocument,
};
const documents: Documents = {
    "\n  fragment SyncStatusFields on CommerceSyncStatus {\n    __typename\n    companyId\n    commerceSyncId\n    state\n    syncStatusCode\n    syncStatus\n    syncUtc\n    dataPushed\n    errorMessage\n    syncExceptionMessage\n    dataConnections {\n      __typename\n      id\n      platformName\n      sourceType\n      status\n    }\n  }\n": types.SyncStatusFieldsFragmentDoc,
    "\n  query MerchantTable($representations: [_Any!]!) {\n    _entities(representations: $representations) {\n      __typename\n      ... on Company {\n        id\n        commerceSyncStatus {\n          ...SyncStatusFields\n        }\n        lastSuccessfulCommerceSync {\n          syncId\n          syncUtc\n        }\n      }\n    }\n  }\n": types.MerchantTableDocument,
    "\n  query FollowSync($companyId: ID!) {\n    commerceSyncStatus(companyId: $companyId) {\n      ...SyncStatusFields\n    }\n  }\n": types.FollowSyncDocument,
    "\n  subscription SyncProgress($companyId: ID!, $commerceSyncId: ID!) {\n    commerceSyncProgress(companyId: $companyId, commerceSyncId: $commerceSyncId) {\n      ...SyncStatusFields\n    }\n  }\n": types.SyncProgressDocument,
    "\n  fragment SyncSummaryFields on CommerceSyncSummary {\n    companyId\n    commerceSyncId\n    state\n    syncStatusCode\n    syncDateRange {\n      start\n      finish\n    }\n  }\n": types.SyncSummaryFieldsFragmentDoc,
    "\n  mutation RequestSync($companyId: ID!) {\n    requestSync(companyId: $companyId) {\n      ...SyncSummaryFields\n    }\n  }\n": types.RequestSyncDocument,
    "\n  mutation RequestSyncRange($companyId: ID!, $start: DateTime!, $end: DateTime!) {\n    requestSyncRange(companyId: $companyId, start: $start, end: $end) {\n      ...SyncSummaryFields\n    }\n  }\n": types.RequestSyncRangeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SyncStatusFields on CommerceSyncStatus {\n    __typename\n    companyId\n    commerceSyncId\n    state\n    syncStatusCode\n    syncStatus\n    syncUtc\n    dataPushed\n    errorMessage\n    syncExceptionMessage\n    dataConnections {\n      __typename\n      id\n      platformName\n      sourceType\n      status\n    }\n  }\n"): (typeof documents)["\n  fragment SyncStatusFields on CommerceSyncStatus {\n    __typename\n    companyId\n    commerceSyncId\n    state\n    syncStatusCode\n    syncStatus\n    syncUtc\n    dataPushed\n    errorMessage\n    syncExceptionMessage\n    dataConnections {\n      __typename\n      id\n      platformName\n      sourceType\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MerchantTable($representations: [_Any!]!) {\n    _entities(representations: $representations) {\n      __typename\n      ... on Company {\n        id\n        commerceSyncStatus {\n          ...SyncStatusFields\n        }\n        lastSuccessfulCommerceSync {\n          syncId\n          syncUtc\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MerchantTable($representations: [_Any!]!) {\n    _entities(representations: $representations) {\n      __typename\n      ... on Company {\n        id\n        commerceSyncStatus {\n          ...SyncStatusFields\n        }\n        lastSuccessfulCommerceSync {\n          syncId\n          syncUtc\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FollowSync($companyId: ID!) {\n    commerceSyncStatus(companyId: $companyId) {\n      ...SyncStatusFields\n    }\n  }\n"): (typeof documents)["\n  query FollowSync($companyId: ID!) {\n    commerceSyncStatus(companyId: $companyId) {\n      ...SyncStatusFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SyncProgress($companyId: ID!, $commerceSyncId: ID!) {\n    commerceSyncProgress(companyId: $companyId, commerceSyncId: $commerceSyncId) {\n      ...SyncStatusFields\n    }\n  }\n"): (typeof documents)["\n  subscription SyncProgress($companyId: ID!, $commerceSyncId: ID!) {\n    commerceSyncProgress(companyId: $companyId, commerceSyncId: $commerceSyncId) {\n      ...SyncStatusFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SyncSummaryFields on CommerceSyncSummary {\n    companyId\n    commerceSyncId\n    state\n    syncStatusCode\n    syncDateRange {\n      start\n      finish\n    }\n  }\n"): (typeof documents)["\n  fragment SyncSummaryFields on CommerceSyncSummary {\n    companyId\n    commerceSyncId\n    state\n    syncStatusCode\n    syncDateRange {\n      start\n      finish\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestSync($companyId: ID!) {\n    requestSync(companyId: $companyId) {\n      ...SyncSummaryFields\n    }\n  }\n"): (typeof documents)["\n  mutation RequestSync($companyId: ID!) {\n    requestSync(companyId: $companyId) {\n      ...SyncSummaryFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestSyncRange($companyId: ID!, $start: DateTime!, $end: DateTime!) {\n    requestSyncRange(companyId: $companyId, start: $start, end: $end) {\n      ...SyncSummaryFields\n    }\n  }\n"): (typeof documents)["\n  mutation RequestSyncRange($companyId: ID!, $start: DateTime!, $end: DateTime!) {\n    requestSyncRange(companyId: $companyId, start: $start, end: $end) {\n      ...SyncSummaryFields\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;