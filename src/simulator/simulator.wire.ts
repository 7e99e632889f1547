// Codat's wire shapes as the simulator sends them, named after the spec's schemas
// (test/fixtures/codat/Codat-Sync-Commerce.json, components.schemas). The app has its own copy in
// src/codat/codat.dto.ts; the simulator keeps a separate one on purpose: it models Codat, so a
// change to our client's expectations must not silently change what the "upstream" sends.

/** The operationIds of the routes the simulator serves (spec `paths.*.operationId`). */
export type OperationId =
  | 'get-sync-status'
  | 'list-syncs'
  | 'get-latest-sync'
  | 'get-last-successful-sync'
  | 'get-sync-by-id'
  | 'request-sync'
  | 'request-sync-for-date-range';

export const OPERATION_IDS: readonly OperationId[] = [
  'get-sync-status',
  'list-syncs',
  'get-latest-sync',
  'get-last-successful-sync',
  'get-sync-by-id',
  'request-sync',
  'request-sync-for-date-range',
];

/** `Connection.definitions.dataConnectionStatus` */
export type DataConnectionStatus = 'PendingAuth' | 'Linked' | 'Unlinked' | 'Deauthorized';

/** `Connection.definitions.dataConnectionSourceType` */
export type SourceType = 'Accounting' | 'Banking' | 'BankFeed' | 'Commerce' | 'Expense' | 'Other' | 'Unknown';

/** `Connection.definitions.dataConnectionError` */
export interface DataConnectionError {
  statusCode: string;
  statusText: string;
  errorMessage: string;
  erroredOnUtc: string;
  status: 'Active' | 'Resolved' | null;
  resolvedOnUtc: string | null;
}

/** `Connection` (additionalProperties: false, so nothing beyond these keys). */
export interface Connection {
  id: string;
  integrationId: string;
  integrationKey: string;
  sourceId: string;
  sourceType: SourceType;
  platformName: string;
  linkUrl: string;
  status: DataConnectionStatus;
  lastSync: string | null;
  created: string;
  dataConnectionErrors: DataConnectionError[];
}

/** `CompanySyncStatus`: one sync, as list-syncs, get-latest-sync, get-last-successful-sync and get-sync-by-id return it. */
export interface CompanySyncStatus {
  companyId: string;
  syncId: string;
  syncStatusCode: number;
  syncStatus: string | null;
  errorMessage: string | null;
  syncExceptionMessage: string | null;
  syncUtc: string | null;
  dataPushed: boolean;
}

/** `SyncStatus`: the company's latest sync plus its data connections (get-sync-status). */
export interface SyncStatus {
  companyId: string;
  commerceSyncId?: string;
  syncId?: string;
  syncStatusCode: number;
  syncStatus: string | null;
  errorMessage: string | null;
  syncExceptionMessage: string | null;
  syncUtc: string | null;
  dataPushed: boolean;
  dataConnections: Connection[] | null;
}

/** `SyncSummary`: the answer to request-sync and request-sync-for-date-range. */
export interface SyncSummary {
  syncDateRangeUtc: { start: string; finish: string };
  companyId: string;
  commerceSyncId: string;
  syncStatusCode: number;
  syncStatus: string | null;
  errorMessage: string | null;
  syncExceptionMessage: string | null;
  syncUtc: string | null;
  dataConnections: Connection[] | null;
  dataPushed: boolean;
}

/** `ErrorMessage.definitions.errorValidationItem` */
export interface ErrorValidationItem {
  itemId: string | null;
  message: string | null;
  validatorName: string | null;
}

/** `ErrorMessage`: the body of every non-2xx answer. */
export interface ErrorMessage {
  statusCode: number;
  service: string;
  error: string;
  correlationId: string;
  validation?: { errors: ErrorValidationItem[] | null; warnings: ErrorValidationItem[] | null };
  canBeRetried: string;
  detailedErrorCode: number;
}
