import { randomUUID } from 'node:crypto';
import { formatCodatDateTime, randomSubMillisecondTicks } from './simulator.time';
import type { CompanySyncStatus, Connection, SyncStatus, SyncSummary } from './simulator.wire';

// The simulator's state: companies, their data connections and their commerce syncs.
//
// A sync's status is computed when it is read, from the clock: a sync requested through the API shows
// 1000 until `syncDurationMs` has passed and its outcome afterwards. No timers run, so the state is
// the same whichever order requests arrive in, and a test can move time with the `now` option.

/** Status codes from Codat's Sync for Commerce troubleshooting page (docs.codat.io/commerce/error-documentation). */
export const SYNC_STATUS_CODES = {
  inProgress: 1000,
  inProgressLongRunning: 1010,
  successDataPushed: 2000,
  successNoDataPushed: 2040,
  configurationError: 4000,
  companyDeauthorized: 4040,
  genericServerError: 5000,
  duplicationProtection: 5080,
  dataProcessingError: 5120,
  dataPushError: 5130,
} as const;

/** What a sync reports: the code drives meaning, `status` is Codat's free text for it. */
export interface SyncOutcome {
  readonly code: number;
  readonly status: string;
  readonly errorMessage: string | null;
  readonly exceptionMessage: string | null;
  readonly dataPushed: boolean;
}

export const OUTCOMES = {
  // For get-sync-status on a company that never synced (see syncStatus()).
  notStarted: { code: 0, status: 'NotStarted', errorMessage: null, exceptionMessage: null, dataPushed: false },
  started: { code: SYNC_STATUS_CODES.inProgress, status: 'Started', errorMessage: null, exceptionMessage: null, dataPushed: false },
  pushing: { code: SYNC_STATUS_CODES.inProgress, status: 'Pushing', errorMessage: null, exceptionMessage: null, dataPushed: false },
  complete: { code: SYNC_STATUS_CODES.successDataPushed, status: 'Complete', errorMessage: null, exceptionMessage: null, dataPushed: true },
  completeNoData: {
    code: SYNC_STATUS_CODES.successNoDataPushed,
    status: 'Complete',
    errorMessage: null,
    exceptionMessage: null,
    dataPushed: false,
  },
  // Codat's documented message for a company without a linked commerce and a linked accounting connection.
  needsTwoConnections: {
    code: SYNC_STATUS_CODES.configurationError,
    status: 'ValidateError',
    errorMessage: 'Company needs to have two valid data connections.',
    exceptionMessage: 'Company needs to have two valid data connections.',
    dataPushed: false,
  },
} as const satisfies Record<string, SyncOutcome>;

export interface DateRangeMs {
  readonly startMs: number;
  readonly finishMs: number;
}

export interface SyncRecord {
  /** `syncId` (CompanySyncStatus, SyncStatus; the key of get-sync-by-id). */
  readonly syncId: string;
  /** `commerceSyncId` (SyncStatus, SyncSummary): a different id for the same sync, as in Codat's examples. */
  readonly commerceSyncId: string;
  /** When the sync started; orders syncs and times the 1000 → outcome move. */
  readonly startedAtMs: number;
  /** `syncUtc` exactly as sent (7 fractional digits). */
  readonly syncUtc: string;
  /** The period whose sales the sync pushes. */
  readonly range: DateRangeMs;
  /** The final outcome (for a seeded in-progress sync, 1000 itself). */
  readonly outcome: SyncOutcome;
  /** Set for syncs requested through the API: the sync shows 1000 until then. */
  readonly completesAtMs?: number;
  /** Requested through one of the POST operations: its range blocks overlapping historic requests. */
  readonly requested: boolean;
}

export interface CompanyRecord {
  readonly id: string;
  readonly name: string;
  /** The start date in the company's sync configuration, used by request-sync when no sync has succeeded. */
  readonly configStartMs: number;
  readonly connections: readonly Connection[];
  /** In the order they were added. */
  readonly syncs: SyncRecord[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

export class SimulatorStore {
  private readonly companies = new Map<string, CompanyRecord>();

  constructor(
    private readonly nowMs: () => number,
    private readonly syncDurationMs: number,
  ) {}

  add(company: CompanyRecord): void {
    if (!isUuid(company.id)) throw new Error(`Company id must be a UUID, got "${company.id}"`);
    const key = company.id.toLowerCase();
    if (this.companies.has(key)) throw new Error(`Company ${company.id} already exists`);
    this.companies.set(key, company);
  }

  /** GUIDs compare case-insensitively, as they do in Codat. */
  find(companyId: string): CompanyRecord | undefined {
    return this.companies.get(companyId.toLowerCase());
  }

  /** get-sync-status: the latest sync plus the connections. */
  syncStatus(company: CompanyRecord): SyncStatus {
    const latest = this.newestFirst(company)[0];
    // Codat documents no answer for a company that never synced. A SyncStatus without sync ids, with
    // code 0 and the spec's "NotStarted" text, keeps the call useful (the connections still show why
    // nothing has synced) without pretending a sync exists.
    const outcome = latest ? this.outcomeNow(latest) : OUTCOMES.notStarted;
    return {
      companyId: company.id,
      ...(latest && { commerceSyncId: latest.commerceSyncId, syncId: latest.syncId }),
      syncStatusCode: outcome.code,
      syncStatus: outcome.status,
      errorMessage: outcome.errorMessage,
      syncExceptionMessage: outcome.exceptionMessage,
      syncUtc: latest?.syncUtc ?? null,
      dataPushed: outcome.dataPushed,
      dataConnections: [...company.connections],
    };
  }

  /** list-syncs: newest first (Codat does not document an order; newest first is what a caller wants). */
  listSyncs(company: CompanyRecord): CompanySyncStatus[] {
    return this.newestFirst(company).map((sync) => this.toCompanySyncStatus(company, sync));
  }

  latestSync(company: CompanyRecord): CompanySyncStatus | undefined {
    const latest = this.newestFirst(company)[0];
    return latest && this.toCompanySyncStatus(company, latest);
  }

  lastSuccessfulSync(company: CompanyRecord): CompanySyncStatus | undefined {
    const sync = this.lastSuccessful(company);
    return sync && this.toCompanySyncStatus(company, sync);
  }

  syncById(company: CompanyRecord, syncId: string): CompanySyncStatus | undefined {
    const sync = company.syncs.find((s) => s.syncId.toLowerCase() === syncId.toLowerCase());
    return sync && this.toCompanySyncStatus(company, sync);
  }

  /**
   * request-sync's range: from the finish of the last successful sync (or the configured start date
   * when none succeeded) to `syncTo`, or now.
   */
  latestSyncRange(company: CompanyRecord, syncToMs: number | undefined): DateRangeMs {
    const lastSuccessful = this.lastSuccessful(company);
    return {
      startMs: lastSuccessful ? lastSuccessful.range.finishMs : company.configStartMs,
      finishMs: syncToMs ?? this.nowMs(),
    };
  }

  /** A range requested earlier (by either POST) that shares time with `range`; touching ends do not overlap. */
  findRequestedOverlap(company: CompanyRecord, range: DateRangeMs): SyncRecord | undefined {
    return company.syncs.find((sync) => sync.requested && range.startMs < sync.range.finishMs && sync.range.startMs < range.finishMs);
  }

  /** Records a requested sync and answers with its SyncSummary (code 1000 at this moment). */
  startSync(company: CompanyRecord, range: DateRangeMs): SyncSummary {
    const now = this.nowMs();
    const sync: SyncRecord = {
      syncId: randomUUID(),
      commerceSyncId: randomUUID(),
      startedAtMs: now,
      syncUtc: formatCodatDateTime(now, randomSubMillisecondTicks()),
      range,
      outcome: hasLinkedCommerceAndAccounting(company) ? OUTCOMES.complete : OUTCOMES.needsTwoConnections,
      completesAtMs: now + this.syncDurationMs,
      requested: true,
    };
    company.syncs.push(sync);
    return {
      syncDateRangeUtc: { start: formatCodatDateTime(range.startMs), finish: formatCodatDateTime(range.finishMs) },
      companyId: company.id,
      commerceSyncId: sync.commerceSyncId,
      syncStatusCode: OUTCOMES.started.code,
      syncStatus: OUTCOMES.started.status,
      errorMessage: null,
      syncExceptionMessage: null,
      syncUtc: sync.syncUtc,
      dataConnections: [...company.connections],
      dataPushed: false,
    };
  }

  private outcomeNow(sync: SyncRecord): SyncOutcome {
    return sync.completesAtMs !== undefined && this.nowMs() < sync.completesAtMs ? OUTCOMES.started : sync.outcome;
  }

  private lastSuccessful(company: CompanyRecord): SyncRecord | undefined {
    return this.newestFirst(company).find((sync) => isSuccess(this.outcomeNow(sync).code));
  }

  /** Stable: among syncs started at the same instant, the one added last comes first. */
  private newestFirst(company: CompanyRecord): SyncRecord[] {
    return [...company.syncs].reverse().sort((a, b) => b.startedAtMs - a.startedAtMs);
  }

  // CompanySyncStatus examples in the spec carry "" (not null) for the messages of a clean sync;
  // SyncStatus and SyncSummary use null. The simulator keeps that difference so clients handle both.
  private toCompanySyncStatus(company: CompanyRecord, sync: SyncRecord): CompanySyncStatus {
    const outcome = this.outcomeNow(sync);
    return {
      companyId: company.id,
      syncId: sync.syncId,
      syncStatusCode: outcome.code,
      syncStatus: outcome.status,
      errorMessage: outcome.errorMessage ?? '',
      syncExceptionMessage: outcome.exceptionMessage ?? '',
      syncUtc: sync.syncUtc,
      dataPushed: outcome.dataPushed,
    };
  }
}

function isSuccess(code: number): boolean {
  return code >= 2000 && code < 3000;
}

function hasLinkedCommerceAndAccounting(company: CompanyRecord): boolean {
  const linked = company.connections.filter((c) => c.status === 'Linked');
  return linked.some((c) => c.sourceType === 'Commerce') && linked.some((c) => c.sourceType === 'Accounting');
}
