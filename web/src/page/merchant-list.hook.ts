// Which merchants the table shows: the server's suggestions (the simulator's seeded companies; none
// against real Codat) and the ids the person pasted, remembered in this browser's localStorage (ids
// only: the data itself is always fetched fresh).
import { useCallback, useMemo, useState } from 'react';

import type { SuggestedMerchant } from '../shared/web-config';
import { isCompanyId } from './sync-words';

const KEY = 'codat-commerce-subgraph:merchants';

export interface Merchant {
  id: string;
  /** The suggestion's name; a pasted id has none (the subgraph owns no company names). */
  name: string | undefined;
  pasted: boolean;
}

function readPasted(): string[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string' && isCompanyId(v)) : [];
  } catch {
    return [];
  }
}

function writePasted(ids: readonly string[]): void {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(ids));
  } catch {
    // Storage off: the list lasts as long as the page.
  }
}

export interface MerchantList {
  merchants: Merchant[];
  /** Adds a pasted id; returns why not when it cannot. */
  add(raw: string): string | undefined;
  remove(id: string): void;
}

export function useMerchantList(suggested: readonly SuggestedMerchant[]): MerchantList {
  const [pasted, setPasted] = useState<string[]>(readPasted);
  const suggestedIds = useMemo(() => new Set(suggested.map((m) => m.id.toLowerCase())), [suggested]);
  const merchants: Merchant[] = [
    ...suggested.map((m) => ({ id: m.id.toLowerCase(), name: m.name, pasted: false })),
    ...pasted.filter((id) => !suggestedIds.has(id)).map((id) => ({ id, name: undefined, pasted: true })),
  ];

  const add = useCallback(
    (raw: string): string | undefined => {
      const id = raw.trim().toLowerCase();
      if (!isCompanyId(id)) return 'That is not a Codat company id: it looks like 3f1c2a9e-7b4d-4e8a-9c1f-5a2b6d8e0f11.';
      if (suggestedIds.has(id) || pasted.includes(id)) return 'That merchant is already in the table.';
      const next = [...pasted, id];
      writePasted(next);
      setPasted(next);
      return undefined;
    },
    [pasted, suggestedIds],
  );

  const remove = useCallback(
    (id: string) => {
      const next = pasted.filter((p) => p !== id);
      writePasted(next);
      setPasted(next);
    },
    [pasted],
  );

  return { merchants, add, remove };
}
