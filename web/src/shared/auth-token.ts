// The caller's credential, as the API expects it: `Authorization: Bearer <token>` on every request
// (README, "Web UI"). Kept in sessionStorage, so it lives as long as the tab and is not written to
// disk for the next person at this browser; never in localStorage, never in a URL. With AUTH_MODE=none
// the server ignores the header.

const KEY = 'codat-commerce-subgraph:token';

export function readToken(): string {
  try {
    return window.sessionStorage.getItem(KEY) ?? '';
  } catch {
    // Storage can be off (privacy settings); the token then lives only as long as the field's value.
    return '';
  }
}

export function saveToken(token: string): void {
  try {
    const trimmed = token.trim();
    if (trimmed) window.sessionStorage.setItem(KEY, trimmed);
    else window.sessionStorage.removeItem(KEY);
  } catch {
    // See readToken.
  }
}

/** The headers every GraphQL request carries: the token when one is set, nothing otherwise. */
export function authorizationHeaders(): Record<string, string> {
  const token = readToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}
