import { Directive, Field, ID, ObjectType } from 'type-graphql';

import { CACHE_MAX_AGE, cacheControl } from '../cache-hints';

import { SyncOutcome } from './sync-outcome.type';

@Directive(cacheControl({ maxAge: CACHE_MAX_AGE.sync }))
@ObjectType({
  description:
    'One commerce sync of a company, as Codat lists it (CompanySyncStatus from `GET /companies/{companyId}/sync/commerce/syncs/...`).',
})
export class CommerceSync extends SyncOutcome {
  @Field(() => ID, { nullable: true, description: 'Codat company id (UUID).' })
  companyId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Codat id of this sync.' })
  syncId?: string | null;
}
