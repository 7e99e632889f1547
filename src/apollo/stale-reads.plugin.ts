import type { Context } from '../context';
import { staleReadError } from '../errors';
import type { SharedRequestPlugin } from './one-listener.plugin';

/**
 * Fields answered from a stale copy (noted on the context by src/sync/sync.reads.ts) keep their data and
 * gain an error entry saying so (errors.ts's `staleReadError`: the failure's code, `stale: true`,
 * `ageSeconds`). Listed before the observability plugin, so that the request's log line and metrics
 * count these entries too.
 */
export function createStaleReadsPlugin(): SharedRequestPlugin<Context> {
  return {
    requestDidStart() {
      return {
        willSendResponse({ contextValue, response }) {
          const notices = contextValue.staleReads;
          if (notices.length === 0) return;
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          const entries = notices.map(({ path, stale }) => staleReadError(path, stale.because, stale.ageMs));
          result.errors = [...(result.errors ?? []), ...entries];
        },
      };
    },
  };
}
