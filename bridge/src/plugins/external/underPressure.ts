import fastifyUnderPressure from '@fastify/under-pressure';
import fp from 'fastify-plugin';
import { NotReadyError, toErrorBody } from '../../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * false for the probes: an orchestrator that finds /health answering 503 while the bridge is
     * busiest restarts it in a loop, and a scraper that gets 503 from /metrics loses the very
     * numbers that would show the pressure
     */
    loadShedding?: boolean;
  }
}

export interface UnderPressureSettings {
  /** ms; the machine may be shared, so the default only trips on a truly stuck loop */
  maxEventLoopDelay?: number;
  maxHeapUsedBytes?: number;
  /** how often pressure is sampled (default 1 s) */
  sampleIntervalMs?: number;
}

/**
 * Sheds load with a 503 (same error body as every other answer) when the event loop is stalled,
 * so a struggling bridge tells its callers to back off instead of timing them out. Routes that say
 * `config: { loadShedding: false }` (the liveness probe and the metrics scrape) are always answered.
 */
export default fp<UnderPressureSettings>(
  async (fastify, options) => {
    await fastify.register(fastifyUnderPressure, {
      maxEventLoopDelay: options.maxEventLoopDelay ?? 3_000,
      maxHeapUsedBytes: options.maxHeapUsedBytes ?? 0,
      ...(options.sampleIntervalMs ? { sampleInterval: options.sampleIntervalMs } : {}),
      retryAfter: 10,
      pressureHandler: (request, reply, type) => {
        // returning without a reply lets the request through (under-pressure calls next())
        if (request.routeOptions.config.loadShedding === false) return;
        const body = toErrorBody(new NotReadyError(`the bridge is overloaded (${type})`));
        void reply.code(503).header('retry-after', '10').send(body);
      },
    });
  },
  { name: 'external-under-pressure' },
);
