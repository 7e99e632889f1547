import { registerEnumType } from 'type-graphql';

/** Coarse state of a sync, derived from Codat's numeric `syncStatusCode` (its text status is free-form). */
export enum SyncState {
  NOT_STARTED = 'NOT_STARTED',
  IN_PROGRESS = 'IN_PROGRESS',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  UNKNOWN = 'UNKNOWN',
}

/** Codat `Connection.definitions.dataConnectionStatus`, in GraphQL's casing. */
export enum DataConnectionStatus {
  PENDING_AUTH = 'PENDING_AUTH',
  LINKED = 'LINKED',
  UNLINKED = 'UNLINKED',
  DEAUTHORIZED = 'DEAUTHORIZED',
}

/** Codat `Integration.definitions.sourceType`, in GraphQL's casing. */
export enum SourceType {
  ACCOUNTING = 'ACCOUNTING',
  BANKING = 'BANKING',
  BANK_FEED = 'BANK_FEED',
  COMMERCE = 'COMMERCE',
  EXPENSE = 'EXPENSE',
  OTHER = 'OTHER',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(SyncState, {
  name: 'SyncState',
  description:
    "Where a Codat commerce sync stands, derived from Codat's numeric syncStatusCode (drive logic from this, not from the free-text syncStatus).",
  valuesConfig: {
    NOT_STARTED: {
      description:
        'syncStatusCode 0 (Codat "NotStarted"): the company exists but has never synced; no sync ids, and latestCommerceSync and lastSuccessfulCommerceSync are null.',
    },
    IN_PROGRESS: { description: 'syncStatusCode 1000-1999: the sync is queued or running; poll again shortly.' },
    SUCCEEDED: { description: 'syncStatusCode 2000-2999: the sync finished (2000: data pushed to the accounting platform).' },
    FAILED: { description: 'syncStatusCode 4000-5999: the sync failed; see errorMessage and syncExceptionMessage.' },
    UNKNOWN: { description: 'Any other syncStatusCode (or none), including codes Codat may add later.' },
  },
});

registerEnumType(DataConnectionStatus, {
  name: 'DataConnectionStatus',
  description: "Authorization state of a company's data connection (Codat dataConnectionStatus).",
  valuesConfig: {
    PENDING_AUTH: { description: 'Codat "PendingAuth": created, but the merchant has not authorized access yet (send them linkUrl).' },
    LINKED: { description: 'Codat "Linked": authorized; Codat can read or push data.' },
    UNLINKED: { description: 'Codat "Unlinked": the connection was disconnected on purpose.' },
    DEAUTHORIZED: { description: 'Codat "Deauthorized": access was revoked or expired; the merchant must re-link.' },
  },
});

registerEnumType(SourceType, {
  name: 'SourceType',
  description: 'Kind of platform a data connection links to (Codat sourceType).',
  valuesConfig: {
    ACCOUNTING: { description: 'Accounting software, e.g. QuickBooks Online or Xero: where commerce data is pushed.' },
    BANKING: { description: 'A bank or banking data provider.' },
    BANK_FEED: { description: 'A bank feed into accounting software.' },
    COMMERCE: { description: 'A commerce or payments platform, e.g. a POS or e-commerce store: where orders and payments come from.' },
    EXPENSE: { description: 'An expense management platform.' },
    OTHER: { description: 'Another kind of platform.' },
    UNKNOWN: { description: 'Codat did not say, or sent a value this subgraph does not know.' },
  },
});
