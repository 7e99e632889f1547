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
  /** syncStatusCode 0 (Codat "NotStarted"): the company exists but has never synced; no sync ids, and latestCommerceSync and lastSuccessfulCommerceSync are null. */
  | 'NOT_STARTED'
  /** syncStatusCode 2000-2999: the sync finished (2000: data pushed to the accounting platform). */
  | 'SUCCEEDED'
  /** Any other syncStatusCode (or none), including codes Codat may add later. */
  | 'UNKNOWN';

export type RequestSyncOnceMutationVariables = Exact<{
  companyId: string;
  syncTo?: string | null | undefined;
  idempotencyKey?: string | null | undefined;
}>;


export type RequestSyncOnceMutation = { requestSync: { companyId: string, commerceSyncId: string | null, state: SyncState } | null };

export type RequestSyncRangeOnceMutationVariables = Exact<{
  companyId: string;
  start: string;
  end: string;
  idempotencyKey?: string | null | undefined;
}>;


export type RequestSyncRangeOnceMutation = { requestSyncRange: { companyId: string, commerceSyncId: string | null, state: SyncState } | null };

export type RequestSyncMutationVariables = Exact<{
  companyId: string;
  syncTo?: string | null | undefined;
}>;


export type RequestSyncMutation = { requestSync: { companyId: string, commerceSyncId: string | null, syncStatusCode: number, state: SyncState, syncUtc: string | null, dataPushed: boolean, syncDateRange: { start: string | null, finish: string | null } | null, dataConnections: Array<{ id: string, status: DataConnectionStatus }> | null } | null };

export type RequestSyncRangeMutationVariables = Exact<{
  companyId: string;
  start: string;
  end: string;
}>;


export type RequestSyncRangeMutation = { requestSyncRange: { companyId: string, commerceSyncId: string | null, syncStatusCode: number, state: SyncState, syncDateRange: { start: string | null, finish: string | null } | null } | null };

export type CommerceSyncStatusQueryVariables = Exact<{
  companyId: string;
}>;


export type CommerceSyncStatusQuery = { commerceSyncStatus: { companyId: string, commerceSyncId: string | null, syncId: string | null, syncStatusCode: number, syncStatus: string | null, state: SyncState, errorMessage: string | null, syncExceptionMessage: string | null, syncUtc: string | null, dataPushed: boolean, dataConnections: Array<{ id: string, integrationId: string, integrationKey: string | null, sourceId: string, sourceType: SourceType, platformName: string, linkUrl: string, status: DataConnectionStatus, lastSync: string | null, created: string }> | null } | null };

export type CommerceSyncsQueryVariables = Exact<{
  companyId: string;
}>;


export type CommerceSyncsQuery = { commerceSyncs: Array<{ companyId: string | null, syncId: string | null, syncStatusCode: number, syncStatus: string | null, state: SyncState, errorMessage: string | null, syncUtc: string | null, dataPushed: boolean }> | null };


export const RequestSyncOnceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestSyncOnce"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"syncTo"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestSync"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"companyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}}},{"kind":"Argument","name":{"kind":"Name","value":"syncTo"},"value":{"kind":"Variable","name":{"kind":"Name","value":"syncTo"}}},{"kind":"Argument","name":{"kind":"Name","value":"idempotencyKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companyId"}},{"kind":"Field","name":{"kind":"Name","value":"commerceSyncId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}}]}}]} as unknown as DocumentNode<RequestSyncOnceMutation, RequestSyncOnceMutationVariables>;
export const RequestSyncRangeOnceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestSyncRangeOnce"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"start"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"end"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestSyncRange"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"companyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}}},{"kind":"Argument","name":{"kind":"Name","value":"start"},"value":{"kind":"Variable","name":{"kind":"Name","value":"start"}}},{"kind":"Argument","name":{"kind":"Name","value":"end"},"value":{"kind":"Variable","name":{"kind":"Name","value":"end"}}},{"kind":"Argument","name":{"kind":"Name","value":"idempotencyKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companyId"}},{"kind":"Field","name":{"kind":"Name","value":"commerceSyncId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}}]}}]} as unknown as DocumentNode<RequestSyncRangeOnceMutation, RequestSyncRangeOnceMutationVariables>;
export const RequestSyncDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestSync"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"syncTo"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestSync"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"companyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}}},{"kind":"Argument","name":{"kind":"Name","value":"syncTo"},"value":{"kind":"Variable","name":{"kind":"Name","value":"syncTo"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companyId"}},{"kind":"Field","name":{"kind":"Name","value":"commerceSyncId"}},{"kind":"Field","name":{"kind":"Name","value":"syncStatusCode"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"syncUtc"}},{"kind":"Field","name":{"kind":"Name","value":"dataPushed"}},{"kind":"Field","name":{"kind":"Name","value":"syncDateRange"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"finish"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dataConnections"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<RequestSyncMutation, RequestSyncMutationVariables>;
export const RequestSyncRangeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestSyncRange"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"start"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"end"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestSyncRange"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"companyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}}},{"kind":"Argument","name":{"kind":"Name","value":"start"},"value":{"kind":"Variable","name":{"kind":"Name","value":"start"}}},{"kind":"Argument","name":{"kind":"Name","value":"end"},"value":{"kind":"Variable","name":{"kind":"Name","value":"end"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companyId"}},{"kind":"Field","name":{"kind":"Name","value":"commerceSyncId"}},{"kind":"Field","name":{"kind":"Name","value":"syncStatusCode"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"syncDateRange"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"finish"}}]}}]}}]}}]} as unknown as DocumentNode<RequestSyncRangeMutation, RequestSyncRangeMutationVariables>;
export const CommerceSyncStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CommerceSyncStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"commerceSyncStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"companyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companyId"}},{"kind":"Field","name":{"kind":"Name","value":"commerceSyncId"}},{"kind":"Field","name":{"kind":"Name","value":"syncId"}},{"kind":"Field","name":{"kind":"Name","value":"syncStatusCode"}},{"kind":"Field","name":{"kind":"Name","value":"syncStatus"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"errorMessage"}},{"kind":"Field","name":{"kind":"Name","value":"syncExceptionMessage"}},{"kind":"Field","name":{"kind":"Name","value":"syncUtc"}},{"kind":"Field","name":{"kind":"Name","value":"dataPushed"}},{"kind":"Field","name":{"kind":"Name","value":"dataConnections"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"integrationId"}},{"kind":"Field","name":{"kind":"Name","value":"integrationKey"}},{"kind":"Field","name":{"kind":"Name","value":"sourceId"}},{"kind":"Field","name":{"kind":"Name","value":"sourceType"}},{"kind":"Field","name":{"kind":"Name","value":"platformName"}},{"kind":"Field","name":{"kind":"Name","value":"linkUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastSync"}},{"kind":"Field","name":{"kind":"Name","value":"created"}}]}}]}}]}}]} as unknown as DocumentNode<CommerceSyncStatusQuery, CommerceSyncStatusQueryVariables>;
export const CommerceSyncsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CommerceSyncs"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"commerceSyncs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"companyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"companyId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companyId"}},{"kind":"Field","name":{"kind":"Name","value":"syncId"}},{"kind":"Field","name":{"kind":"Name","value":"syncStatusCode"}},{"kind":"Field","name":{"kind":"Name","value":"syncStatus"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"errorMessage"}},{"kind":"Field","name":{"kind":"Name","value":"syncUtc"}},{"kind":"Field","name":{"kind":"Name","value":"dataPushed"}}]}}]}}]} as unknown as DocumentNode<CommerceSyncsQuery, CommerceSyncsQueryVariables>;