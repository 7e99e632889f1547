// What the server tells the pages about itself (GET /web-config.json, src/http/web-config.route.ts):
// where GraphQL is, and which merchants to show first. The embedded simulator's seeded companies come
// this way; against real Codat the list is empty and the person pastes company ids.

export interface SuggestedMerchant {
  id: string;
  name: string;
}

export interface WebConfig {
  graphqlPath: string;
  explorerPath: string;
  /** 'simulator' when the server talks to the embedded Codat simulator, else 'codat'. */
  upstream: 'simulator' | 'codat';
  merchants: SuggestedMerchant[];
}

const FALLBACK: WebConfig = { graphqlPath: '/graphql', explorerPath: '/explorer', upstream: 'codat', merchants: [] };

/** Reads the config; a missing or odd answer falls back to no suggestions rather than a broken page. */
export async function loadWebConfig(): Promise<WebConfig> {
  try {
    const response = await fetch('/web-config.json', { headers: { accept: 'application/json' } });
    if (!response.ok) return FALLBACK;
    return toWebConfig(await response.json());
  } catch {
    return FALLBACK;
  }
}

function toWebConfig(value: unknown): WebConfig {
  if (typeof value !== 'object' || value === null) return FALLBACK;
  const v = value as Record<string, unknown>;
  const merchants = Array.isArray(v.merchants)
    ? v.merchants.flatMap((m: unknown): SuggestedMerchant[] => {
        if (typeof m !== 'object' || m === null) return [];
        const { id, name } = m as Record<string, unknown>;
        return typeof id === 'string' ? [{ id, name: typeof name === 'string' ? name : id }] : [];
      })
    : [];
  return {
    graphqlPath: typeof v.graphqlPath === 'string' ? v.graphqlPath : FALLBACK.graphqlPath,
    explorerPath: typeof v.explorerPath === 'string' ? v.explorerPath : FALLBACK.explorerPath,
    upstream: v.upstream === 'simulator' ? 'simulator' : 'codat',
    merchants,
  };
}
