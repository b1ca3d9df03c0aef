import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** the Prometheus registry served at /metrics; the engine registers its own metrics on it */
    metricsRegistry: Registry;
  }
  interface FastifyRequest {
    metricsStartedAt?: bigint;
  }
}

export interface MetricsPluginOptions {
  /** pass the registry the engine already uses, so one scrape shows both; a new one otherwise */
  registry?: Registry;
  /** process metrics (heap, event loop, handles); on by default */
  defaultMetrics?: boolean;
}

/**
 * HTTP metrics labelled by route pattern (never the raw URL, whose ids would explode the label
 * set) and status code.
 */
export default fp<MetricsPluginOptions>(
  async (fastify, options) => {
    const registry = options.registry ?? new Registry();
    if (options.defaultMetrics !== false && !registry.getSingleMetric('process_cpu_user_seconds_total')) {
      collectDefaultMetrics({ register: registry });
    }
    const duration =
      (registry.getSingleMetric('bridge_http_request_duration_seconds') as Histogram<'method' | 'route' | 'status_code'> | undefined) ??
      new Histogram({
        name: 'bridge_http_request_duration_seconds',
        help: 'Admin API request duration by route and status code',
        labelNames: ['method', 'route', 'status_code'] as const,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [registry],
      });
    const requests =
      (registry.getSingleMetric('bridge_http_requests_total') as Counter<'method' | 'route' | 'status_code'> | undefined) ??
      new Counter({
        name: 'bridge_http_requests_total',
        help: 'Admin API requests by route and status code',
        labelNames: ['method', 'route', 'status_code'] as const,
        registers: [registry],
      });

    fastify.decorate('metricsRegistry', registry);
    fastify.addHook('onRequest', async (request) => {
      request.metricsStartedAt = process.hrtime.bigint();
    });
    fastify.addHook('onResponse', async (request, reply) => {
      const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
      requests.inc(labels);
      if (request.metricsStartedAt !== undefined) duration.observe(labels, Number(process.hrtime.bigint() - request.metricsStartedAt) / 1e9);
    });
  },
  { name: 'app-metrics' },
);
