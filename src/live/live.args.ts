import { ArgsType, Field, ID } from 'type-graphql';

import { badUserInput } from '../errors';
import { CompanyArgs } from '../sync/sync.args';
import { isUuid } from '../sync/sync.inputs';

@ArgsType()
export class SyncProgressArgs extends CompanyArgs {
  @Field(() => ID, {
    description:
      'The commerceSyncId that requestSync or requestSyncRange returned (a UUID; anything else is BAD_USER_INPUT). It is not the syncId: Codat gives a sync two different ids.',
  })
  commerceSyncId!: string;
}

/** A commerceSyncId must be a UUID (spec: SyncSummary.commerceSyncId, format guid); returned lower-cased. */
export function requireCommerceSyncId(value: string): string {
  if (!isUuid(value)) {
    throw badUserInput(`commerceSyncId must be the UUID that requestSync or requestSyncRange returned, got "${value.slice(0, 64)}"`, {
      argumentName: 'commerceSyncId',
    });
  }
  return value.toLowerCase();
}
