import { requireCompanyId } from '../sync/sync.inputs';
import type { Company } from './company.type';

/**
 * `Company.__resolveReference`: turns a gateway's representation `{ __typename: "Company", id }` into a
 * Company. It only checks the id and calls nothing upstream: the fields asked for load themselves,
 * through the same per-request loaders as the root queries, so `_entities` over many representations
 * costs one Codat call per distinct company and field. A malformed id fails only its own entity, with
 * BAD_USER_INPUT and no upstream call; an unknown one fails only the fields that need Codat (NOT_FOUND).
 *
 * Async on purpose: `_entities` maps every representation through this function in one loop, so a
 * synchronous throw would fail the whole list; a rejected promise fails only its own entry.
 */
export async function resolveCompanyReference(reference: { id?: unknown }): Promise<Company> {
  const id = typeof reference.id === 'string' ? reference.id : '';
  // The given spelling is echoed back as `id`, so the gateway sees exactly the key it sent.
  return { id, codatCompanyId: requireCompanyId(id, 'id') };
}
