import { READ_SCOPE, WRITE_SCOPE, type Scope } from './caller';

/**
 * The Federation authorization directives (imported in src/schema.ts's FEDERATION_LINK) that the sync
 * fields carry in the SDL, so that a router enforcing them (Apollo Router's authorization plugin) refuses
 * what we would refuse before it plans a call to us. We still enforce the same rules ourselves
 * (requireAccess in every resolver): the SDL states them, it does not replace them.
 */
export const AUTHENTICATED = '@authenticated';

/** `@requiresScopes(scopes: [["<scope>"]])`: the one scope a field needs (caller.ts's READ_SCOPE / WRITE_SCOPE). */
export function requiresScopes(scope: Scope): string {
  return `@requiresScopes(scopes: [[${JSON.stringify(scope)}]])`;
}

export const REQUIRES_READ = requiresScopes(READ_SCOPE);
export const REQUIRES_WRITE = requiresScopes(WRITE_SCOPE);
