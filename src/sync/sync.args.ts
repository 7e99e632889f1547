import { ArgsType, Field, ID } from 'type-graphql';

@ArgsType()
export class CompanyArgs {
  @Field(() => ID, { description: 'Codat company id (a UUID). Anything else is refused with BAD_USER_INPUT before Codat is called.' })
  companyId!: string;
}

@ArgsType()
export class RequestSyncArgs extends CompanyArgs {
  @Field(() => Date, {
    nullable: true,
    description:
      'Sync commerce data up to this instant (must carry Z or an offset). Omit it to sync up to now. Codat starts from the end of the last successful sync, or from the configured start date if none succeeded.',
  })
  syncTo?: Date | null;
}

@ArgsType()
export class RequestSyncRangeArgs extends CompanyArgs {
  @Field(() => Date, { description: 'First instant of commerce data to sync (must carry Z or an offset).' })
  start!: Date;

  @Field(() => Date, {
    description: 'Instant up to which to sync; must be after start. Codat refuses a range that overlaps one it already synced.',
  })
  end!: Date;
}
