/**
 * Codat's wire types for Sync for Commerce, named and shaped as in Codat's OpenAPI spec
 * (`Codat-Sync-Commerce.json`, components/schemas). Only what this subgraph reads or sends is modelled.
 *
 * Dates are strings on the wire: Codat sends ISO 8601 with up to 7 fractional digits, sometimes with no
 * zone (see `Connection.created` in the spec); `codat-dates.ts` parses them.
 */

/** `Connection.definitions.dataConnectionStatus` */
export type DataConnectionStatus = 'PendingAuth' | 'Linked' | 'Unlinked' | 'Deauthorized';

/** `Integration.definitions.sourceType` */
export type SourceType = 'Accounting' | 'Banking' | 'BankFeed' | 'Commerce' | 'Expense' | 'Other' | 'Unknown';

/** `Connection.definitions.dataConnectionError` */
export interface DataConnectionError {
  statusCode?: string;
  statusText?: string;
  errorMessage?: string;
  erroredOnUtc?: string;
  status?: 'Active' | 'Resolved' | null;
  resolvedOnUtc?: string | null;
}

/** `Connection`: a company's link to a commerce, accounting or other platform. */
export interface Connection {
  id: string;
  integrationId: string;
  integrationKey?: string;
  sourceId: string;
  sourceType: SourceType;
  platformName: string;
  linkUrl: string;
  status: DataConnectionStatus;
  lastSync?: string | null;
  created: string;
  dataConnectionErrors?: DataConnectionError[] | null;
  connectionInfo?: Record<string, unknown> | null;
}

/** `SyncStatus`: answer of get-sync-status (`GET /meta/companies/{companyId}/sync/commerce/status`). */
export interface SyncStatus {
  companyId?: string;
  commerceSyncId?: string;
  syncId?: string;
  syncStatusCode?: number;
  syncStatus?: string | null;
  errorMessage?: string | null;
  syncExceptionMessage?: string | null;
  syncUtc?: string | null;
  dataPushed?: boolean;
  dataConnections?: Connection[] | null;
}

/** `CompanySyncStatus`: one sync, as listed by list-syncs, get-latest-sync, get-last-successful-sync. */
export interface CompanySyncStatus {
  companyId?: string | null;
  syncId?: string | null;
  syncStatusCode?: number;
  syncStatus?: string | null;
  errorMessage?: string | null;
  syncExceptionMessage?: string | null;
  syncUtc?: string | null;
  dataPushed?: boolean;
}

/** `SyncSummary`: answer of request-sync and request-sync-for-date-range. */
export interface SyncSummary {
  syncDateRangeUtc?: { start?: string; finish?: string };
  companyId?: string;
  commerceSyncId?: string;
  syncStatusCode?: number;
  syncStatus?: string | null;
  errorMessage?: string | null;
  syncExceptionMessage?: string | null;
  syncUtc?: string | null;
  dataConnections?: Connection[] | null;
  dataPushed?: boolean;
}

/** `SyncToLatestArgs`: body of request-sync. Codat syncs up to `syncTo`, or up to now when it is absent. */
export interface SyncToLatestArgs {
  syncTo?: string;
}

/** `SyncRange`: body of request-sync-for-date-range. */
export interface SyncRange {
  dateRange: { start: string; finish: string };
}

/** `ErrorMessage`: the body of every Codat error response. */
export interface ErrorMessage {
  statusCode?: number;
  service?: string;
  error?: string;
  correlationId?: string;
  validation?: ErrorValidation | null;
  canBeRetried?: string;
  detailedErrorCode?: number;
}

/** `ErrorMessage.definitions.errorValidation` */
export interface ErrorValidation {
  errors?: ErrorValidationItem[] | null;
  warnings?: ErrorValidationItem[] | null;
}

/** `ErrorMessage.definitions.errorValidationItem` */
export interface ErrorValidationItem {
  itemId?: string | null;
  message?: string | null;
  validatorName?: string | null;
}
