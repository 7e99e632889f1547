import type { Logger } from './logger';

/**
 * An error nothing caught (an `uncaughtException`, or an unhandled rejection, which Node turns into one)
 * is written as one `fatal` line with `event: "crash"` and the error's name and message (never its stack:
 * our lines carry none), before Node goes on as it always does: it prints the error on stderr and exits 1.
 * A monitor, not a handler, so the crash itself is unchanged.
 *
 * No line is lost: pino writes its destination's buffer synchronously after a fatal line, and Node emits
 * `exit` on its way out, even after an uncaught error, when the destination (log-destination.ts) writes
 * whatever is left.
 */
export function logCrashes(logger: Logger): void {
  process.on('uncaughtExceptionMonitor', (error: unknown, origin) => {
    const cause = error instanceof Error ? error : new Error(String(error));
    logger.fatal({ event: 'crash', origin, errorName: cause.name, errorMessage: cause.message }, 'uncaught error; exiting');
  });
}
