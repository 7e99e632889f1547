import { randomBytes } from 'node:crypto';
import type { ErrorMessage, ErrorValidationItem } from './simulator.wire';

// Every non-2xx answer carries the spec's `ErrorMessage` (components.responses.* all point at it).
// Codat's own examples always say `"canBeRetried": "Unknown"` and `"detailedErrorCode": 0`; the
// simulator says "True" for the statuses a client is expected to retry (429, 500, 503) so that a
// client which reads the field has something to read, and keeps "Unknown" elsewhere.

/** The statuses the spec lists for these operations' error responses. */
export type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 429 | 500 | 503;

export const ERROR_STATUSES: readonly ErrorStatus[] = [400, 401, 402, 403, 404, 409, 429, 500, 503];

/** A refusal raised while handling a request; the server turns it into an ErrorMessage body. */
export class SimulatedError extends Error {
  constructor(
    readonly status: ErrorStatus,
    message: string,
    readonly validationErrors: readonly ErrorValidationItem[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'SimulatedError';
  }
}

/** One `validation.errors` item. */
export function validationItem(itemId: string, message: string, validatorName: string): ErrorValidationItem {
  return { itemId, message, validatorName };
}

/** The simulator's wording for each status when nothing more specific applies (paraphrasing the spec's descriptions). */
export function defaultErrorText(status: ErrorStatus): string {
  switch (status) {
    case 400:
      return 'The request is not valid.';
    case 401:
      return 'Unauthorized';
    case 402:
      return 'An account limit has been exceeded, for example the 50-company limit of the Free plan.';
    case 403:
      return 'The API key is outdated or is not associated with this resource.';
    case 404:
      return 'The requested resource could not be found.';
    case 409:
      return 'The data set has not been requested or is still syncing.';
    case 429:
      return 'Too many requests have been made in a short time; wait a moment and retry.';
    case 500:
      return 'An unexpected error occurred on the server; try again later.';
    case 503:
      return 'The API is temporarily offline for maintenance; try again later.';
  }
}

/** 32 lowercase hex characters, fresh for every response, like Codat's correlationId. */
export function newCorrelationId(): string {
  return randomBytes(16).toString('hex');
}

export function toErrorMessage(error: SimulatedError): ErrorMessage {
  // Keys in the spec's order; `validation` only when there is something in it.
  return {
    statusCode: error.status,
    service: 'PublicApi',
    error: error.message,
    correlationId: newCorrelationId(),
    ...(error.validationErrors.length > 0 && { validation: { errors: [...error.validationErrors], warnings: [] } }),
    canBeRetried: error.status === 429 || error.status >= 500 ? 'True' : 'Unknown',
    detailedErrorCode: 0,
  };
}
