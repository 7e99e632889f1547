import type { Observability } from '../observability/observability';
import { atPaths, type HttpRoute } from './http-route';
import { sendJson } from './json-response';

/** Where the server is in its life: not ready before listen() and while draining on shutdown. */
export type ServerPhase = 'starting' | 'ready' | 'draining';

/** What the health routes read: the circuit to Codat and the metrics registry. */
export type HealthSources = Pick<Observability, 'circuitState' | 'metrics' | 'redisUp'>;

const NO_STORE = { 'cache-control': 'no-store' };

/**
 * /healthz, /readyz and /metrics: plain HTTP beside /graphql, answered without touching Apollo or Codat,
 * and open (they never need a credential: orchestrators and Prometheus call them).
 * - /healthz: the process runs and its event loop answers. Always 200.
 * - /readyz: 200 once listening and until shutdown starts, else 503. Reports the circuit to Codat but
 *   stays ready while it is open: every instance shares the same Codat, so taking instances out of a
 *   load balancer would not help, and clients still get a typed UPSTREAM_UNAVAILABLE quickly. With
 *   REDIS_URL it reports Redis too, and stays ready while Redis is away: every instance then serves
 *   from its own structures (src/shared-state/).
 * - /metrics: Prometheus text format.
 */
export function healthRoutes(sources: HealthSources, phase: () => ServerPhase): HttpRoute[] {
  return [
    {
      name: 'healthz',
      open: true,
      matches: atPaths('/healthz'),
      async handle({ response }) {
        sendJson(response, { status: 200, body: { status: 'ok' }, headers: NO_STORE });
      },
    },
    {
      name: 'readyz',
      open: true,
      matches: atPaths('/readyz'),
      async handle({ response }) {
        const circuit = sources.circuitState();
        const now = phase();
        const ready = now === 'ready';
        const redisUp = sources.redisUp();
        sendJson(response, {
          status: ready ? 200 : 503,
          body: {
            status: ready ? 'ready' : 'not ready',
            phase: now,
            codat: { circuit, circuitOpen: circuit === 'open' },
            ...(redisUp === undefined ? {} : { redis: { up: redisUp, shared: redisUp ? 'redis' : 'local' } }),
          },
          headers: NO_STORE,
        });
      },
    },
    {
      name: 'metrics',
      open: true,
      matches: atPaths('/metrics'),
      async handle({ response }) {
        const { registry } = sources.metrics;
        const text = await registry.metrics();
        response.statusCode = 200;
        response.setHeader('cache-control', 'no-store');
        response.setHeader('content-type', registry.contentType);
        response.end(text);
      },
    },
  ];
}
