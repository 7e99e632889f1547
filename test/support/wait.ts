/**
 * Resolves once `condition()` holds, checking every few milliseconds; rejects after `timeoutMs` with
 * `what` in the message. For tests that wait on something another process or socket does (a call
 * joining, a poller stopping), rather than sleeping a guessed time.
 */
export async function waitFor(condition: () => boolean, what = 'the condition', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
