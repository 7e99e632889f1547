import { useApolloClient } from '@apollo/client/react';
import { useCallback, useId, useState, type FormEvent } from 'react';

import { readToken, saveToken } from '../shared/auth-token';
import type { WebConfig } from '../shared/web-config';
import { useLiveClient } from './live-context';
import { useMerchantList } from './merchant-list.hook';
import { MerchantTable } from './merchant-table.component';
import { useNow } from './now.hook';
import { SyncRangeForm } from './sync-range.form';

/** The sync health page: a support person's view of their merchants' commerce syncs. */
export function SyncHealthPage({ config }: { config: WebConfig }) {
  const list = useMerchantList(config.merchants);
  const [followed, setFollowed] = useState<Record<string, string>>({});
  const nowMs = useNow();
  const follow = useCallback(
    (companyId: string, commerceSyncId: string) => setFollowed((f) => ({ ...f, [companyId]: commerceSyncId })),
    [],
  );

  return (
    <>
      <header className="top">
        <h1>Commerce sync health</h1>
        <nav aria-label="Other tools">
          <a href={config.explorerPath}>Explorer (GraphiQL, works offline)</a>
          <a href={config.graphqlPath}>Apollo Sandbox (needs Apollo&apos;s CDN)</a>
        </nav>
      </header>
      <main>
        {config.upstream === 'simulator' && (
          <p className="note">
            Offline demo: the subgraph is talking to its embedded Codat simulator, seeded with the merchants below. Syncs you request finish
            in a few seconds.
          </p>
        )}
        <section className="controls" aria-label="Settings">
          <TokenForm />
          <AddMerchantForm add={list.add} />
        </section>
        <MerchantTable merchants={list.merchants} followed={followed} onFollow={follow} onRemove={(m) => list.remove(m.id)} nowMs={nowMs} />
        {list.merchants.length > 0 && <SyncRangeForm merchants={list.merchants} onFollow={follow} nowMs={nowMs} />}
      </main>
    </>
  );
}

/**
 * The caller's token, sent as `Authorization: Bearer` (auth-token.ts); saving it reloads the data with it
 * and reconnects the subscriptions' socket, whose `connection_init` carried the old one.
 */
function TokenForm() {
  const id = useId();
  const client = useApolloClient();
  const live = useLiveClient();
  const [token, setToken] = useState(readToken);
  const [saved, setSaved] = useState(() => readToken() !== '');

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    saveToken(token);
    setSaved(token.trim() !== '');
    // graphql-ws reconnects (with the new token) and resubscribes whatever was running: not an error.
    live.terminate();
    void client.refetchQueries({ include: 'active' });
  }

  return (
    <form onSubmit={submit} className="token-form">
      <label htmlFor={`${id}-token`}>Access token</label>
      <input
        id={`${id}-token`}
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={token}
        onChange={(e) => setToken(e.target.value)}
        aria-describedby={`${id}-token-help`}
      />
      <button type="submit">{token.trim() === '' && saved ? 'Clear token' : 'Use token'}</button>
      <p id={`${id}-token-help`} className="muted">
        {saved ? 'A token is set for this tab.' : 'No token: fine while the subgraph runs without authentication.'} Kept for this tab only
        (session storage).
      </p>
    </form>
  );
}

function AddMerchantForm({ add }: { add(raw: string): string | undefined }) {
  const id = useId();
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string>();

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const why = add(value);
    setProblem(why);
    if (!why) setValue('');
  }

  return (
    <form onSubmit={submit} className="add-form" noValidate>
      <label htmlFor={`${id}-company`}>Add a merchant by Codat company id</label>
      <input
        id={`${id}-company`}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder="3f1c2a9e-7b4d-4e8a-9c1f-5a2b6d8e0f11"
        spellCheck={false}
        autoComplete="off"
        aria-invalid={problem !== undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
      />
      <button type="submit">Add</button>
      {problem && (
        <p id={`${id}-problem`} role="alert" className="problem">
          {problem}
        </p>
      )}
    </form>
  );
}
