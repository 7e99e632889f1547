/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Authorization state of a company's data connection (Codat dataConnectionStatus). */
export type DataConnectionStatus =
  /** Codat "Deauthorized": access was revoked or expired; the merchant must re-link. */
  | 'DEAUTHORIZED'
  /** Codat "Linked": authorized; Codat can read or push data. */
  | 'LINKED'
  /** Codat "PendingAuth": created, but the merchant has not authorized access yet (send them linkUrl). */
  | 'PENDING_AUTH'
  /** Codat "Unlinked": the connection was disconnected on purpose. */
  | 'UNLINKED';

/** Kind of platform a data connection links to (Codat sourceType). */
export type SourceType =
  /** Accounting software, e.g. QuickBooks Online or Xero: where commerce data is pushed. */
  | 'ACCOUNTING'
  /** A bank or banking data provider. */
  | 'BANKING'
  /** A bank feed into accounting software. */
  | 'BANK_FEED'
  /** A commerce or payments platform, e.g. a POS or e-commerce store: where orders and payments come from. */
  | 'COMMERCE'
  /** An expense management platform. */
  | 'EXPENSE'
  /** Another kind of platform. */
  | 'OTHER'
  /** Codat did not say, or sent a value this subgraph does not know. */
  | 'UNKNOWN';

/** Where a Codat commerce sync stands, derived from Codat's numeric syncStatusCode (drive logic from this, not from the free-text syncStatus). */
export type SyncState =
  /** syncStatusCode 4000-5999: the sync failed; see errorMessage and syncExceptionMessage. */
  | 'FAILED'
  /** syncStatusCode 1000-1999: the sync is queued or running; poll again shortly. */
  | 'IN_PROGRESS'
  /** syncStatusCode 2000-2999: the sync finished (2000: data pushed to the accounting platform). */
  | 'SUCCEEDED'
  /** Any other syncStatusCode, including codes Codat may add later. */
  | 'UNKNOWN';

export type SyncStatusFieldsFragment = { companyId: string, commerceSyncId: string | null, state: SyncState, syncStatusCode: number, syncStatus: string | null, syncUtc: string | null, dataPushed: boolean, errorMessage: string | null, syncExceptionMessage: string | null, dataConnections: Array<{ id: string, platformName: string, sourceType: SourceType, status: DataConnectionStatus }> | null };

export type MerchantTableQueryVariables = Exact<{
  representations: Array<{ __typename: "Company"; id: string }> | { __typename: "Company"; id: string };
}>;


export type MerchantTableQuery = { _entities: Array<{ __typename: 'Company', id: string, commerceSyncStatus: { companyId: string, commerceSyncId: string | null, state: SyncState, syncStatusCode: number, syncStatus: string | null, syncUtc: string | null, dataPushed: boolean, errorMessage: string | null, syncExceptionMessage: string | null, dataConnections: Array<{ id: string, platformName: string, sourceType: SourceType, status: DataConnectionStatus }> | null } | null, lastSuccessfulCommerceSync: { syncId: string | null, syncUtc: string | null } | null } | null> };

export type FollowSyncQueryVariables = Exact<{
  companyId: string;
}>;


export type FollowSyncQuery = { commerceSyncStatus: { companyId: string, commerceSyncId: string | null, state: SyncState, syncStatusCode: number, syncStatus: string | null, syncUtc: string | null, dataPushed: boolean, errorMessage: string | null, syncExceptionMessage: string | null, dataConnections: Array<{ id: string, platformName: string, sourceType: SourceType, status: DataConnectionStatus }> | null } | null };

export type SyncSummaryFieldsFragment = { companyId: string, commerceSyncId: string | null, state: SyncState, syncStatusCode: number, syncDateRange: { start: string | null, finish: string | null } | null };

export type RequestSyncMutationVariables = Exact<{
  companyId: string;
}>;


export type RequestSyncMutation = { requestSync: { companyId: string, commerceSyncId: string | null, state: SyncState, syncStatusCode: number, syncDateRange: { start: string | null, finish: string | null } | null } | null };

export type RequestSyncRangeMutationVariables = Exact<{
  companyId: string;
  start: string;
  end: string;
}>;


export type RequestSyncRangeMutation = { requestSyncRange: { companyId: string, commerceSyncId: string | null, state: SyncState, syncStatusCode: number, syncDateRange: { start: string | null, finish: string | null } | null } | null };

export const SyncStatusFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SyncStatusFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CommerceSyncStatus"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companyId"}},{"kind":"Field","name":{"kind":"Name","value":"commerceSyncId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"syncStatusCode"}},{"kind":"Field","name":{"kind":"Name","value":"syncStatus"}},{"kind":"Field","name":{"kind":"Name","value":"syncUtc"}},{"kind":"Field","name":{"kind":"Name","value":"dataPushed"}},{"kind":"Field","name":{"kind":"Name","value":"errorMessage"}},{"kind":"Field","name":{"kind":"Name","value":"syncExceptionMessage"}},{"kind":"Field","name":{"kind":"Name","value":"dataConnections"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"platformName"}},{"kind":"Field","name":{"kind":"Name","value":"sourceType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<SyncStatusFieldsFragment, unknown>;
export const SyncSummaryFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SyncSummaryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CommerceSyncSummary"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companyId"}},{"kind":"Field","name":{"kind":"Name","value":"commerceSyncId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"syncStatusCode"}},{"kind":"Field","name":{"kind":"Name","value":"syncDateRange"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"finish"}}]}}]}}]} as unknown as DocumentNode<SyncSummaryFieldsFragment, unknown>;
export const MerchantTableDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MerchantTable"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"representations"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"_Any"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"_entities"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"representations"},"value":{"kind":"Variable","name":{"kind":"Name","value":"representations"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Company"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"commerceSyncStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SyncStatusFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastSuccessfulCommerceSync"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"syncId"}},{"kind":"Field","name":{"kind":"Name","value":"syncUtc"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SyncStatusFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CommerceSyncStatus"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companyId"}},{"kind":"Field","name":{"kind":"Name","value":"commerceSyncId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"syncStatusCode"}},{"kind":"Field","name":{"kind":"Name","value":"syncStatus"}},{"kind":"Field","name":{"kind":"Name","value":"syncUtc"}},{"kind":"Field","name":{"kind":"Name","value":"dataPushed"}},{"kind":"Field","name":{"kind":"Name","value":"errorMessage"}},{"kind":"Field","name":{"kind":"Name","value":"syncExceptionMessage"}},{"kind":"Field","name":{"kind":"Name","value":"dataConnections"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"platformName"}},{"kind":"Field","name":{"kind":"Name","value":"sourceType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<MerchantTableQuery, MerchantTableQueryVariables>;
export const FollowSyncDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FollowSync"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"commerceSyncStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"companyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SyncStatusFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SyncStatusFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CommerceSyncStatus"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companyId"}},{"kind":"Field","name":{"kind":"Name","value":"commerceSyncId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"syncStatusCode"}},{"kind":"Field","name":{"kind":"Name","value":"syncStatus"}},{"kind":"Field","name":{"kind":"Name","value":"syncUtc"}},{"kind":"Field","name":{"kind":"Name","value":"dataPushed"}},{"kind":"Field","name":{"kind":"Name","value":"errorMessage"}},{"kind":"Field","name":{"kind":"Name","value":"syncExceptionMessage"}},{"kind":"Field","name":{"kind":"Name","value":"dataConnections"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"platformName"}},{"kind":"Field","name":{"kind":"Name","value":"sourceType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<FollowSyncQuery, FollowSyncQueryVariables>;
export const RequestSyncDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestSync"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestSync"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"companyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SyncSummaryFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SyncSummaryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CommerceSyncSummary"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companyId"}},{"kind":"Field","name":{"kind":"Name","value":"commerceSyncId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"syncStatusCode"}},{"kind":"Field","name":{"kind":"Name","value":"syncDateRange"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"finish"}}]}}]}}]} as unknown as DocumentNode<RequestSyncMutation, RequestSyncMutationVariables>;
export const RequestSyncRangeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestSyncRange"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"start"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"end"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestSyncRange"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"companyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}}},{"kind":"Argument","name":{"kind":"Name","value":"start"},"value":{"kind":"Variable","name":{"kind":"Name","value":"start"}}},{"kind":"Argument","name":{"kind":"Name","value":"end"},"value":{"kind":"Variable","name":{"kind":"Name","value":"end"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SyncSummaryFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SyncSummaryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CommerceSyncSummary"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companyId"}},{"kind":"Field","name":{"kind":"Name","value":"commerceSyncId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"syncStatusCode"}},{"kind":"Field","name":{"kind":"Name","value":"syncDateRange"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"finish"}}]}}]}}]} as unknown as DocumentNode<RequestSyncRangeMutation, RequestSyncRangeMutationVariables>;