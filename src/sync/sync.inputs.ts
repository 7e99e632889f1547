import { badUserInput } from '../errors';
import { COMPANY_ID } from '../lib/company-id';

/** Codat's ids (companies, syncs) are all UUIDs. */
export function isUuid(value: string): boolean {
  return COMPANY_ID.test(value);
}

/**
 * Refuses anything that is not a UUID before it reaches a loader, so a typo costs no Codat quota and
 * cannot smuggle path segments into the upstream URL. Returns the id lower-cased, so that two spellings
 * of one id share one loader key.
 */
export function requireCompanyId(value: string, argument = 'companyId'): string {
  if (!isUuid(value)) {
    throw badUserInput(
      `${argument} must be a Codat company id (a UUID such as "8a210b68-6988-11ed-a1eb-0242ac120002"), got "${value.slice(0, 64)}"`,
      {
        argumentName: argument,
      },
    );
  }
  return value.toLowerCase();
}

/** A historic sync range must be non-empty: `start` strictly before `end`. */
export function requireRange(start: Date, end: Date): void {
  if (start.getTime() >= end.getTime()) {
    throw badUserInput(`start (${start.toISOString()}) must be before end (${end.toISOString()})`, { argumentName: 'end' });
  }
}
