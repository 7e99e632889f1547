import { useMutation } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';

import { subgraphErrors } from './apollo-errors';
import { ErrorNote } from './error-note.component';
import type { SubgraphError } from './error-words';
import type { Merchant } from './merchant-list.hook';
import { REQUEST_SYNC_RANGE } from './operations';
import { utcWords } from './sync-words';

type Outcome = { kind: 'accepted'; text: string } | { kind: 'refused'; error: SubgraphError } | undefined;

/** requestSyncRange: a historic period for one merchant. Codat refuses one that overlaps an earlier sync, and says why. */
export function SyncRangeForm({
  merchants,
  onFollow,
  nowMs,
}: {
  merchants: Merchant[];
  onFollow(companyId: string, commerceSyncId: string): void;
  nowMs: number;
}) {
  const id = useId();
  const [companyId, setCompanyId] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [outcome, setOutcome] = useState<Outcome>();
  const [requestRange, { loading }] = useMutation(REQUEST_SYNC_RANGE);
  const chosen = companyId || merchants[0]?.id || '';

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setOutcome(undefined);
    // Dates are whole UTC days, as Codat's daily syncs are; the subgraph checks start < end too.
    const { data, error } = await requestRange({
      variables: { companyId: chosen, start: `${start}T00:00:00Z`, end: `${end}T00:00:00Z` },
      errorPolicy: 'all',
    });
    const summary = data?.requestSyncRange;
    if (summary?.commerceSyncId) {
      const range = summary.syncDateRange;
      const period = range?.start && range.finish ? ` for ${utcWords(range.start)} to ${utcWords(range.finish)}` : '';
      setOutcome({ kind: 'accepted', text: `Codat accepted the sync${period}. Its progress shows in the merchant's row.` });
      onFollow(chosen, summary.commerceSyncId);
    } else {
      setOutcome({ kind: 'refused', error: subgraphErrors(error)[0] ?? { message: 'Codat returned no sync id.' } });
    }
  }

  return (
    <form className="range-form" onSubmit={(e) => void submit(e)} aria-describedby={`${id}-help`}>
      <h2>Sync a historic period</h2>
      <p id={`${id}-help`} className="muted">
        Pushes one period of commerce data again, from the start of the first day to the start of the last (UTC). Codat refuses a period
        that overlaps one it already synced.
      </p>
      <div className="fields">
        <label htmlFor={`${id}-company`}>Merchant</label>
        <select id={`${id}-company`} value={chosen} onChange={(e) => setCompanyId(e.target.value)} required>
          {merchants.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name ?? m.id}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-start`}>From (UTC day)</label>
        <input id={`${id}-start`} type="date" value={start} onChange={(e) => setStart(e.target.value)} required />
        <label htmlFor={`${id}-end`}>Up to (UTC day)</label>
        <input id={`${id}-end`} type="date" value={end} onChange={(e) => setEnd(e.target.value)} required />
      </div>
      <button type="submit" disabled={loading || !chosen}>
        {loading ? 'Requesting…' : 'Request this period'}
      </button>
      <div aria-live="polite" className="range-outcome">
        {outcome?.kind === 'accepted' && <p className="accepted">{outcome.text}</p>}
        {outcome?.kind === 'refused' && <ErrorNote error={outcome.error} nowMs={nowMs} />}
      </div>
    </form>
  );
}
