import { ArgsType, Field, ID } from 'type-graphql';

@ArgsType()
export class CompanyArgs {
  @Field(() => ID, { description: 'Codat company id (a UUID). Anything else is refused with BAD_USER_INPUT before Codat is called.' })
  companyId!: string;
}

const IDEMPOTENCY_KEY =
  'Your own name for this request (1 to 255 printable ASCII characters, e.g. a UUID), or send it as the Idempotency-Key header. For 24 h a repeat with the same key, for the same company, gets the first answer instead of starting another sync; a repeat while the first is still running waits for it; the same key with other arguments is BAD_USER_INPUT; and if the first request got no answer from Codat, a repeat is UPSTREAM_OUTCOME_UNKNOWN instead of being sent again.';

@ArgsType()
export class RequestSyncArgs extends CompanyArgs {
  @Field(() => String, { nullable: true, description: IDEMPOTENCY_KEY })
  idempotencyKey?: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'Sync commerce data up to this instant (must carry Z or an offset). Omit it to sync up to now. Codat starts from the end of the last successful sync, or from the configured start date if none succeeded.',
  })
  syncTo?: Date | null;
}

@ArgsType()
export class RequestSyncRangeArgs extends CompanyArgs {
  @Field(() => String, { nullable: true, description: IDEMPOTENCY_KEY })
  idempotencyKey?: string | null;

  @Field(() => Date, { description: 'First instant of commerce data to sync (must carry Z or an offset).' })
  start!: Date;

  @Field(() => Date, {
    description: 'Instant up to which to sync; must be after start. Codat refuses a range that overlaps one it already synced.',
  })
  end!: Date;
}
