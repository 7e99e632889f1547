import type * as Codat from '../../src/codat/codat.dto';
import { SyncState } from '../../src/sync/sync.enums';
import { newestFirst, toCommerceSync, toCommerceSyncStatus, toCommerceSyncSummary, toSyncState } from '../../src/sync/sync.mapper';

const COMPANY = '782575ae-c4f8-4a0b-8041-4ffa193aaab7';

const connection: Codat.Connection = {
  id: '9bd6cb3b-06b3-4944-91e6-7dffbf5846a2',
  integrationId: '3485371f-930d-4614-997a-5dfa2cec546c',
  integrationKey: 'lqai',
  sourceId: 'c4f9fa2d-cb83-4a3f-9b36-45b4af190e81',
  platformName: 'Partner Commerce',
  linkUrl: 'https://link-api.codat.io/companies/x/connections/y/start',
  status: 'PendingAuth',
  lastSync: '2023-06-14T11:58:52.2695708Z',
  created: '2023-06-14T11:39:00',
  sourceType: 'BankFeed',
  dataConnectionErrors: [],
};

describe('toSyncState', () => {
  it.each([
    [1000, SyncState.IN_PROGRESS],
    [1999, SyncState.IN_PROGRESS],
    [2000, SyncState.SUCCEEDED],
    [2040, SyncState.SUCCEEDED],
    [3000, SyncState.UNKNOWN],
    [4200, SyncState.FAILED],
    [5130, SyncState.FAILED],
    [6000, SyncState.UNKNOWN],
    [0, SyncState.NOT_STARTED],
    [999, SyncState.UNKNOWN],
    [-1, SyncState.UNKNOWN],
    [undefined, SyncState.UNKNOWN],
  ])('%p is %s', (code, state) => {
    expect(toSyncState(code)).toBe(state);
  });
});

describe('toCommerceSyncStatus', () => {
  it('maps a failed SyncStatus with its connections', () => {
    const status = toCommerceSyncStatus(COMPANY, {
      companyId: COMPANY,
      commerceSyncId: '78ab9424-bb29-47d2-b808-4c6e651efd6d',
      syncId: 'afe076de-4d1b-44d8-8b4a-717463af00c5',
      syncStatusCode: 4200,
      syncStatus: 'MapCoreError',
      errorMessage: 'Cannot match the tax id',
      syncExceptionMessage: 'Cannot match the tax id',
      syncUtc: '2023-04-12T10:52:54.5359678Z',
      dataPushed: false,
      dataConnections: [connection],
    });
    expect(status).toEqual({
      companyId: COMPANY,
      commerceSyncId: '78ab9424-bb29-47d2-b808-4c6e651efd6d',
      syncId: 'afe076de-4d1b-44d8-8b4a-717463af00c5',
      syncStatusCode: 4200,
      syncStatus: 'MapCoreError',
      state: SyncState.FAILED,
      errorMessage: 'Cannot match the tax id',
      syncExceptionMessage: 'Cannot match the tax id',
      syncUtc: new Date('2023-04-12T10:52:54.535Z'),
      dataPushed: false,
      dataConnections: [
        {
          id: connection.id,
          integrationId: connection.integrationId,
          integrationKey: 'lqai',
          sourceId: connection.sourceId,
          sourceType: 'BANK_FEED',
          platformName: 'Partner Commerce',
          linkUrl: connection.linkUrl,
          status: 'PENDING_AUTH',
          lastSync: new Date('2023-06-14T11:58:52.269Z'),
          created: new Date('2023-06-14T11:39:00Z'),
        },
      ],
    });
  });

  it('fills companyId from the request and turns empty messages into null', () => {
    const status = toCommerceSyncStatus(COMPANY, { syncStatusCode: 2000, errorMessage: '', syncExceptionMessage: '' });
    expect(status.companyId).toBe(COMPANY);
    expect(status.errorMessage).toBeNull();
    expect(status.syncExceptionMessage).toBeNull();
    expect(status.dataConnections).toBeNull();
    expect(status.dataPushed).toBe(false);
  });
});

describe('toCommerceSyncSummary', () => {
  it('maps syncDateRangeUtc to syncDateRange in UTC', () => {
    const summary = toCommerceSyncSummary(COMPANY, {
      companyId: COMPANY,
      syncStatusCode: 1000,
      syncDateRangeUtc: { start: '2024-01-01T00:00:00', finish: '2024-02-01T00:00:00.0000000Z' },
    });
    expect(summary.state).toBe(SyncState.IN_PROGRESS);
    expect(summary.syncDateRange).toEqual({ start: new Date('2024-01-01T00:00:00Z'), finish: new Date('2024-02-01T00:00:00Z') });
  });
});

describe('newestFirst', () => {
  it('orders by syncUtc descending, undated last, ties stable', () => {
    const syncs = [
      { syncId: 'a', syncUtc: '2024-01-01T00:00:00Z' },
      { syncId: 'b', syncUtc: null },
      { syncId: 'c', syncUtc: '2024-03-01T00:00:00Z' },
      { syncId: 'd', syncUtc: '2024-01-01T00:00:00Z' },
    ].map((s) => toCommerceSync({ ...s, syncStatusCode: 2000 }));
    expect(newestFirst(syncs).map((s) => s.syncId)).toEqual(['c', 'a', 'd', 'b']);
  });
});
