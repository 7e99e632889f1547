import { Directive, Field, ID, ObjectType } from 'type-graphql';

import { cacheControl, FIXED_MAX_AGE } from '../sync/sync.cache-hints';

/**
 * The federated Company entity. Another subgraph owns it (its name, its list); we contribute the commerce
 * sync fields, keyed by the Codat company id. Every field is resolved lazily through the per-request
 * loaders, so asking for `id` alone costs nothing upstream.
 */
@Directive('@key(fields: "id")')
@Directive(cacheControl({ maxAge: FIXED_MAX_AGE.company }))
@ObjectType({
  simpleResolvers: true,
  description: 'A merchant, identified by its Codat company id.',
})
export class Company {
  @Field(() => ID, { description: 'Codat company id (a UUID): the entity key.' })
  id!: string;

  /** `id` checked and lower-cased: the key our loaders use. Not part of the schema. */
  codatCompanyId!: string;
}
