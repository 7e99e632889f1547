import { ErrorNote } from './error-note.component';
import type { SubgraphError } from './error-words';
import type { Merchant } from './merchant-list.hook';
import { useSyncFollow } from './sync-follow.hook';
import { ageWords, connectionStatusLabel, stateLabel, stateTone, utcWords } from './sync-words';
import type { SyncStatusFieldsFragment } from '../__generated__/graphql';

export interface MerchantRowProps {
  merchant: Merchant;
  status: SyncStatusFieldsFragment | null | undefined;
  statusError: SubgraphError | undefined;
  lastSuccess: { syncUtc?: string | null } | null | undefined;
  lastSuccessError: SubgraphError | undefined;
  /** The sync this row requested and follows, if any. */
  followedSyncId: string | undefined;
  requesting: boolean;
  requestError: SubgraphError | undefined;
  loading: boolean;
  nowMs: number;
  onSyncNow(merchant: Merchant): void;
  onSettled(merchant: Merchant): void;
  onRemove(merchant: Merchant): void;
}

/** One merchant: state, last success, a failed sync's message, connections, and "Sync now". */
export function MerchantRow(props: MerchantRowProps) {
  const { merchant, status, statusError, nowMs } = props;
  const follow = useSyncFollow(merchant.id, props.followedSyncId, () => props.onSettled(merchant));
  const busy = props.requesting || follow.phase === 'following';
  const label = merchant.name ?? merchant.id;
  const tone = status ? stateTone(status.state, status.commerceSyncId) : 'none';

  return (
    <tr data-company-id={merchant.id} aria-busy={busy}>
      <th scope="row" data-label="Merchant">
        <span className="merchant-name">{label}</span>
        {merchant.name && <code className="merchant-id">{merchant.id}</code>}
        {merchant.pasted && (
          <button
            type="button"
            className="link-button"
            onClick={() => props.onRemove(merchant)}
            aria-label={`Remove ${label} from the table`}
          >
            Remove
          </button>
        )}
      </th>
      <td data-label="Sync state" className="cell-state" aria-live="polite">
        {status && (
          <span className={`state state-${tone}`} data-state={status.state}>
            {stateLabel(status.state, status.commerceSyncId)}
            {status.commerceSyncId && <span className="state-code"> ({status.syncStatusCode})</span>}
          </span>
        )}
        {!status && !statusError && props.loading && <span className="muted">Loading…</span>}
        {statusError && <ErrorNote error={statusError} nowMs={nowMs} />}
        {follow.phase === 'following' && <p className="follow">Following the sync you requested…</p>}
        {follow.phase === 'following' && follow.error && <ErrorNote error={follow.error} nowMs={nowMs} />}
        {follow.phase === 'stopped' &&
          (follow.error ? (
            <ErrorNote error={follow.error} nowMs={nowMs} />
          ) : (
            <p className="follow">Stopped following this sync before it ended; reload later to see how it ended.</p>
          ))}
        {status?.syncUtc && (
          <p className="muted">
            ran <time dateTime={status.syncUtc}>{utcWords(status.syncUtc)}</time>
          </p>
        )}
      </td>
      <td data-label="Last successful sync">
        {props.lastSuccess?.syncUtc ? (
          <>
            <time dateTime={props.lastSuccess.syncUtc}>{utcWords(props.lastSuccess.syncUtc)}</time>
            <span className="age"> · {ageWords(props.lastSuccess.syncUtc, nowMs)}</span>
          </>
        ) : (
          !props.loading &&
          // Codat answers 404 for "none yet"; an unknown company's 404 already shows in the state column.
          (!props.lastSuccessError || props.lastSuccessError.extensions?.code === 'NOT_FOUND') && <span className="muted">None yet</span>
        )}
        {props.lastSuccessError && props.lastSuccessError.extensions?.code !== 'NOT_FOUND' && (
          <ErrorNote error={props.lastSuccessError} nowMs={nowMs} />
        )}
      </td>
      <td data-label="Failed sync">
        {status?.state === 'FAILED' ? (
          <div className="failure">
            {status.errorMessage && <p>{status.errorMessage}</p>}
            {status.syncExceptionMessage && (
              <details>
                <summary>Technical detail</summary>
                <p>{status.syncExceptionMessage}</p>
              </details>
            )}
            <p className="muted">
              Sync id <code>{status.commerceSyncId}</code>
            </p>
          </div>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td data-label="Data connections">
        {status?.dataConnections && status.dataConnections.length > 0 ? (
          <ul className="connections">
            {status.dataConnections.map((c) => (
              <li key={c.id}>
                <span className="platform">{c.platformName}</span> <span className="muted">({c.sourceType.toLowerCase()})</span>{' '}
                <span className={`connection connection-${c.status.toLowerCase()}`}>{connectionStatusLabel(c.status)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td data-label="Action">
        <button type="button" onClick={() => props.onSyncNow(merchant)} disabled={busy} aria-label={`Sync ${label} now`}>
          {busy ? 'Syncing…' : 'Sync now'}
        </button>
        {props.requestError && <ErrorNote error={props.requestError} nowMs={nowMs} />}
      </td>
    </tr>
  );
}
