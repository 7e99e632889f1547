import { parseCodatDate } from '../codat/codat-dates';
import type * as Codat from '../codat/codat.dto';
import { syncPhase, type SyncPhase } from '../codat/sync-state';
import type { CommerceSync } from './commerce-sync.type';
import type { CommerceSyncStatus } from './commerce-sync-status.type';
import type { CommerceSyncSummary } from './commerce-sync-summary.type';
import type { DataConnection } from './data-connection.type';
import { DataConnectionStatus, SourceType, SyncState } from './sync.enums';

const STATE: Record<SyncPhase, SyncState> = {
  'not-started': SyncState.NOT_STARTED,
  'in-progress': SyncState.IN_PROGRESS,
  succeeded: SyncState.SUCCEEDED,
  failed: SyncState.FAILED,
  unknown: SyncState.UNKNOWN,
};

/** Codat's code families (codat/sync-state.ts; see the SyncState enum's descriptions). */
export function toSyncState(code: number | undefined): SyncState {
  return STATE[syncPhase(code)];
}

const CONNECTION_STATUS: Record<Codat.DataConnectionStatus, DataConnectionStatus> = {
  PendingAuth: DataConnectionStatus.PENDING_AUTH,
  Linked: DataConnectionStatus.LINKED,
  Unlinked: DataConnectionStatus.UNLINKED,
  Deauthorized: DataConnectionStatus.DEAUTHORIZED,
};

const SOURCE_TYPE: Record<Codat.SourceType, SourceType> = {
  Accounting: SourceType.ACCOUNTING,
  Banking: SourceType.BANKING,
  BankFeed: SourceType.BANK_FEED,
  Commerce: SourceType.COMMERCE,
  Expense: SourceType.EXPENSE,
  Other: SourceType.OTHER,
  Unknown: SourceType.UNKNOWN,
};

/**
 * Codat's created date is required by the spec; if one ever fails to parse we still answer, with the
 * epoch, rather than fail the whole status for a cosmetic field.
 */
const EPOCH = new Date(0);

export function toDataConnection(c: Codat.Connection): DataConnection {
  return {
    id: c.id,
    integrationId: c.integrationId,
    integrationKey: c.integrationKey ?? null,
    sourceId: c.sourceId,
    // Unknown future values degrade to UNKNOWN instead of failing the field.
    sourceType: SOURCE_TYPE[c.sourceType] ?? SourceType.UNKNOWN,
    platformName: c.platformName,
    linkUrl: c.linkUrl,
    status: CONNECTION_STATUS[c.status] ?? DataConnectionStatus.UNLINKED,
    lastSync: parseCodatDate(c.lastSync) ?? null,
    created: parseCodatDate(c.created) ?? EPOCH,
  };
}

function outcome(s: Codat.CompanySyncStatus | Codat.SyncStatus | Codat.SyncSummary) {
  const code = s.syncStatusCode ?? 0;
  return {
    syncStatusCode: code,
    syncStatus: s.syncStatus ?? null,
    state: toSyncState(s.syncStatusCode),
    errorMessage: s.errorMessage || null,
    syncExceptionMessage: s.syncExceptionMessage || null,
    syncUtc: parseCodatDate(s.syncUtc) ?? null,
    dataPushed: s.dataPushed ?? false,
  };
}

/** `companyId` is the id we asked about: Codat may omit it, and the GraphQL field is non-null. */
export function toCommerceSyncStatus(companyId: string, s: Codat.SyncStatus): CommerceSyncStatus {
  return {
    ...outcome(s),
    companyId: s.companyId ?? companyId,
    commerceSyncId: s.commerceSyncId ?? null,
    syncId: s.syncId ?? null,
    dataConnections: s.dataConnections ? s.dataConnections.map(toDataConnection) : null,
  };
}

export function toCommerceSync(s: Codat.CompanySyncStatus): CommerceSync {
  return { ...outcome(s), companyId: s.companyId ?? null, syncId: s.syncId ?? null };
}

export function toCommerceSyncSummary(companyId: string, s: Codat.SyncSummary): CommerceSyncSummary {
  const range = s.syncDateRangeUtc;
  return {
    ...outcome(s),
    companyId: s.companyId ?? companyId,
    commerceSyncId: s.commerceSyncId ?? null,
    syncDateRange: range ? { start: parseCodatDate(range.start) ?? null, finish: parseCodatDate(range.finish) ?? null } : null,
    dataConnections: s.dataConnections ? s.dataConnections.map(toDataConnection) : null,
  };
}

/** Newest first by syncUtc; syncs without a date go last; ties keep Codat's order. */
export function newestFirst(syncs: readonly CommerceSync[]): CommerceSync[] {
  return syncs
    .map((sync, index) => ({ sync, index }))
    .sort((a, b) => {
      const ta = a.sync.syncUtc?.getTime() ?? Number.NEGATIVE_INFINITY;
      const tb = b.sync.syncUtc?.getTime() ?? Number.NEGATIVE_INFINITY;
      return tb === ta ? a.index - b.index : tb - ta;
    })
    .map(({ sync }) => sync);
}
