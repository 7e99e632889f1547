import { useMutation, useQuery } from '@apollo/client/react';
import { useCallback, useState } from 'react';

import { subgraphErrors } from './apollo-errors';
import { ErrorNote } from './error-note.component';
import { entityFieldError, type SubgraphError } from './error-words';
import type { Merchant } from './merchant-list.hook';
import { MerchantRow } from './merchant-row.component';
import { MERCHANT_TABLE, REQUEST_SYNC } from './operations';

export interface MerchantTableProps {
  merchants: Merchant[];
  /** Syncs requested elsewhere on the page (the historic-range form), to follow in their rows. */
  followed: Record<string, string>;
  onFollow(companyId: string, commerceSyncId: string): void;
  onRemove(merchant: Merchant): void;
  nowMs: number;
}

/** The table: one MerchantTable query (one `_entities` call) for every row. */
export function MerchantTable({ merchants, followed, onFollow, onRemove, nowMs }: MerchantTableProps) {
  const representations = merchants.map((m) => ({ __typename: 'Company' as const, id: m.id }));
  const table = useQuery(MERCHANT_TABLE, { variables: { representations }, skip: merchants.length === 0, errorPolicy: 'all' });
  const [requestSync] = useMutation(REQUEST_SYNC);
  const [requesting, setRequesting] = useState<Record<string, boolean>>({});
  const [requestErrors, setRequestErrors] = useState<Record<string, SubgraphError | undefined>>({});

  const errors = subgraphErrors(table.error);
  // Errors without a path refused the whole request (a bad token, too many merchants, no server).
  const requestWide = errors.filter((e) => !e.path);
  const rows = table.data?._entities ?? [];
  const { refetch } = table;

  const syncNow = useCallback(
    async (merchant: Merchant) => {
      setRequesting((r) => ({ ...r, [merchant.id]: true }));
      setRequestErrors((r) => ({ ...r, [merchant.id]: undefined }));
      const { data, error } = await requestSync({ variables: { companyId: merchant.id }, errorPolicy: 'all' });
      setRequesting((r) => ({ ...r, [merchant.id]: false }));
      const summary = data?.requestSync;
      if (summary?.commerceSyncId) onFollow(merchant.id, summary.commerceSyncId);
      else setRequestErrors((r) => ({ ...r, [merchant.id]: subgraphErrors(error)[0] ?? { message: 'Codat returned no sync id.' } }));
    },
    [requestSync, onFollow],
  );

  const settled = useCallback(() => void refetch(), [refetch]);

  if (merchants.length === 0) {
    return <p className="empty">No merchants yet: paste a Codat company id above to add one.</p>;
  }
  return (
    <>
      {requestWide.map((error, n) => (
        <div role="alert" className="banner" key={n}>
          <ErrorNote error={error} nowMs={nowMs} />
        </div>
      ))}
      <div className="table-wrap">
        <table className="merchants">
          <caption>
            Commerce sync health of {merchants.length} merchant{merchants.length === 1 ? '' : 's'}
            {table.loading && <span className="muted"> · refreshing…</span>}
          </caption>
          <thead>
            <tr>
              <th scope="col">Merchant</th>
              <th scope="col">Sync state</th>
              <th scope="col">Last successful sync</th>
              <th scope="col">Failed sync</th>
              <th scope="col">Data connections</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {merchants.map((merchant, index) => {
              const row = rows[index];
              const company = row?.__typename === 'Company' ? row : undefined;
              return (
                <MerchantRow
                  key={merchant.id}
                  merchant={merchant}
                  status={company?.commerceSyncStatus}
                  statusError={entityFieldError(errors, index, 'commerceSyncStatus')}
                  lastSuccess={company?.lastSuccessfulCommerceSync}
                  lastSuccessError={entityFieldError(errors, index, 'lastSuccessfulCommerceSync')}
                  followedSyncId={followed[merchant.id]}
                  requesting={requesting[merchant.id] === true}
                  requestError={requestErrors[merchant.id]}
                  loading={table.loading && !table.data}
                  nowMs={nowMs}
                  onSyncNow={(m) => void syncNow(m)}
                  onSettled={settled}
                  onRemove={onRemove}
                />
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="actions">
        <button type="button" onClick={() => void refetch()}>
          Refresh
        </button>
      </p>
    </>
  );
}
