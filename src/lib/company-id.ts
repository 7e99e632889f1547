/**
 * Codat company ids are UUIDs (spec: `components/parameters/companyId`, format uuid). One pattern for the
 * GraphQL arguments (sync/sync.inputs.ts) and the company lists callers are granted (auth/caller.ts).
 */
export const COMPANY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
