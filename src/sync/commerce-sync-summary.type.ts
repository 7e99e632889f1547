import { Directive, Field, ID, ObjectType } from 'type-graphql';

import { cacheControl, FIXED_MAX_AGE } from './sync.cache-hints';

import { DataConnection } from './data-connection.type';
import { DateRange } from './date-range.type';
import { SyncOutcome } from './sync-outcome.type';

@Directive(cacheControl({ maxAge: FIXED_MAX_AGE.summary }))
@ObjectType({
  simpleResolvers: true,
  description:
    'The sync Codat accepted in answer to requestSync or requestSyncRange (Codat SyncSummary). It usually starts IN_PROGRESS: poll commerceSyncStatus to follow it.',
})
export class CommerceSyncSummary extends SyncOutcome {
  @Field(() => ID, { description: 'Codat company id (UUID).' })
  companyId!: string;

  @Field(() => ID, { nullable: true, description: 'Codat id of the new commerce sync.' })
  commerceSyncId?: string | null;

  @Field(() => DateRange, { nullable: true, description: 'The period of commerce data this sync covers (Codat syncDateRangeUtc).' })
  syncDateRange?: DateRange | null;

  @Field(() => [DataConnection], { nullable: true, description: 'The data connections the sync reads from and pushes to.' })
  dataConnections?: DataConnection[] | null;
}
