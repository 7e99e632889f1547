import { Field, Int, ObjectType } from 'type-graphql';

import { SyncState } from './sync.enums';

/**
 * Fields every Codat sync record shares (SyncStatus, CompanySyncStatus, SyncSummary). The three concrete
 * types inherit its fields; no field returns it, so type-graphql leaves it out of the schema.
 */
@ObjectType({ simpleResolvers: true, description: 'Fields shared by every Codat sync record.' })
export abstract class SyncOutcome {
  @Field(() => Int, {
    description:
      "Codat's numeric sync status code: 1xxx in progress, 2xxx succeeded (2000 data pushed), 4xxx/5xxx failed. Stable, unlike syncStatus.",
  })
  syncStatusCode!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Codat\'s free-text status for the code, e.g. "Complete" or "PushError". For display only.',
  })
  syncStatus?: string | null;

  @Field(() => SyncState, { description: 'Where the sync stands, derived from syncStatusCode. Use this to drive UI and logic.' })
  state!: SyncState;

  @Field(() => String, {
    nullable: true,
    description: 'Friendly error message when the sync failed, suitable for showing to the merchant.',
  })
  errorMessage?: string | null;

  @Field(() => String, { nullable: true, description: 'Technical exception message from Codat when the sync failed, for support.' })
  syncExceptionMessage?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the sync ran (UTC), as Codat reports it.' })
  syncUtc?: Date | null;

  @Field(() => Boolean, { description: 'Whether the sync pushed any data to the accounting platform. False while in progress.' })
  dataPushed!: boolean;
}
