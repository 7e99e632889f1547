import type { ServerResponse } from 'node:http';

import type { Observability } from './observability';

/** Where the server is in its life: not ready before listen() and while draining on shutdown. */
export type ServerPhase = 'starting' | 'ready' | 'draining';

export const OPERATIONAL_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * /healthz, /readyz and /metrics: plain HTTP beside /graphql, answered without touching Apollo or Codat.
 * - /healthz: the process runs and its event loop answers. Always 200.
 * - /readyz: 200 once listening and until shutdown starts, else 503. Reports the circuit to Codat but
 *   stays ready while it is open: every instance shares the same Codat, so taking instances out of a
 *   load balancer would not help, and clients still get a typed UPSTREAM_UNAVAILABLE quickly.
 * - /metrics: Prometheus text format.
 */
export async function answerOperational(
  pathname: string,
  res: ServerResponse,
  phase: ServerPhase,
  observability: Observability,
): Promise<void> {
  res.setHeader('cache-control', 'no-store');
  if (pathname === '/healthz') {
    sendJson(res, 200, { status: 'ok' });
    return;
  }
  if (pathname === '/readyz') {
    const circuit = observability.circuitState();
    const ready = phase === 'ready';
    sendJson(res, ready ? 200 : 503, {
      status: ready ? 'ready' : 'not ready',
      phase,
      codat: { circuit, circuitOpen: circuit === 'open' },
    });
    return;
  }
  const { registry } = observability.metrics;
  const text = await registry.metrics();
  res.statusCode = 200;
  res.setHeader('content-type', registry.contentType);
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(value));
}
