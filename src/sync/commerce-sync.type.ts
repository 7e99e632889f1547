import { Field, ID, ObjectType } from 'type-graphql';

import { SyncOutcome } from './sync-outcome.type';

@ObjectType({
  simpleResolvers: true,
  description:
    'One commerce sync of a company, as Codat lists it (CompanySyncStatus from `GET /companies/{companyId}/sync/commerce/syncs/...`).',
})
export class CommerceSync extends SyncOutcome {
  @Field(() => ID, { nullable: true, description: 'Codat company id (UUID).' })
  companyId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Codat id of this sync.' })
  syncId?: string | null;
}
