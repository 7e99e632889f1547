import { Directive, Field, ID, ObjectType } from 'type-graphql';

import { cacheControl } from './sync.cache-hints';

import { DataConnectionStatus, SourceType } from './sync.enums';

@Directive(cacheControl({ inheritMaxAge: true }))
@ObjectType({ simpleResolvers: true, description: "A company's connection to a commerce or accounting platform (Codat `Connection`)." })
export class DataConnection {
  @Field(() => ID, { description: 'Codat id of the data connection.' })
  id!: string;

  @Field(() => ID, { description: 'Codat id of the integration (the platform) this connection uses.' })
  integrationId!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Four-character platform key, e.g. "qhyg" for QuickBooks Online; stable if the platform is renamed.',
  })
  integrationKey?: string | null;

  @Field(() => ID, { description: "Codat id of the platform's source." })
  sourceId!: string;

  @Field(() => SourceType, { description: 'Kind of platform: COMMERCE is where data comes from, ACCOUNTING where it is pushed.' })
  sourceType!: SourceType;

  @Field(() => String, { description: 'Display name of the platform, e.g. "QuickBooks Online".' })
  platformName!: string;

  @Field(() => String, { description: 'URL the merchant opens to authorize (or re-authorize) this connection.' })
  linkUrl!: string;

  @Field(() => DataConnectionStatus, { description: 'Authorization state; only LINKED connections can sync.' })
  status!: DataConnectionStatus;

  @Field(() => Date, { nullable: true, description: 'When Codat last synced data over this connection (UTC).' })
  lastSync?: Date | null;

  @Field(() => Date, { description: 'When the connection was created (UTC).' })
  created!: Date;
}
