import { Field, ID, ObjectType } from 'type-graphql';

import { DataConnection } from './data-connection.type';
import { SyncOutcome } from './sync-outcome.type';

@ObjectType({
  simpleResolvers: true,
  description:
    "A company's current commerce sync status: its latest sync and its data connections. Reflects Codat's `GET /meta/companies/{companyId}/sync/commerce/status` (SyncStatus).",
})
export class CommerceSyncStatus extends SyncOutcome {
  @Field(() => ID, { description: 'Codat company id (UUID) of the merchant.' })
  companyId!: string;

  @Field(() => ID, { nullable: true, description: 'Codat id of the latest commerce sync; null if the company has never synced.' })
  commerceSyncId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Codat id of the underlying data sync.' })
  syncId?: string | null;

  @Field(() => [DataConnection], {
    nullable: true,
    description: "The company's data connections: its commerce source(s) and accounting target.",
  })
  dataConnections?: DataConnection[] | null;
}
