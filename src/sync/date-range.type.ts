import { Directive, Field, ObjectType } from 'type-graphql';

import { cacheControl } from './sync.cache-hints';

@Directive(cacheControl({ inheritMaxAge: true }))
@ObjectType({
  simpleResolvers: true,
  description: 'The period of commerce data a sync covers (Codat `syncDateRangeUtc`), both ends in UTC.',
})
export class DateRange {
  @Field(() => Date, { nullable: true, description: 'First instant of data included (UTC).' })
  start?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Instant up to which data is included (UTC).' })
  finish?: Date | null;
}
