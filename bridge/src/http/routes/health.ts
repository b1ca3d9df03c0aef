import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ConnectionStartState } from '../../sync/engine.js';
import { errorBodySchema } from '../schemas.js';

/**
 * Unauthenticated probes: liveness says the process answers; readiness says it can do its job
 * (store reachable, engine loaded); metrics is the Prometheus scrape.
 */
const healthRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const startedAt = Date.now();

  fastify.get(
    '/health',
    {
      config: { loadShedding: false },
      schema: {
        tags: ['probes'],
        summary: 'Liveness',
        response: { 200: z.object({ status: z.literal('ok'), uptimeSeconds: z.number() }), 503: errorBodySchema },
      },
    },
    async () => ({ status: 'ok' as const, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) }),
  );

  const readiness = z.object({
    status: z.enum(['ready', 'not ready']),
    checks: z.object({ store: z.enum(['ok', 'unreachable']), engine: z.enum(['ready', 'starting']) }),
    failing: z
      .array(z.object({ connectionId: z.string(), error: z.string().nullable(), attempts: z.number(), nextAttemptAt: z.string().nullable() }))
      .optional()
      .describe('connections that cannot start (their tenant down, their login refused), retried with backoff while the others run'),
    stalled: z
      .array(z.object({ connectionId: z.string(), reason: z.string() }))
      .optional()
      .describe('connections with due work that made no progress for their stall time (runtime.stallAfterMs)'),
  });

  fastify.get(
    '/ready',
    // under load shedding /ready answers the common 503 error body, which says why
    { schema: { tags: ['probes'], summary: 'Readiness: store reachable and engine loaded', response: { 200: readiness, 503: z.union([readiness, errorBodySchema]) } } },
    async (request, reply) => {
      let store: 'ok' | 'unreachable' = 'ok';
      try {
        await fastify.store.ping();
      } catch (error) {
        request.log.warn({ err: { message: (error as Error).message } }, 'store ping failed');
        store = 'unreachable';
      }
      const engine = fastify.engine.isReady() ? ('ready' as const) : ('starting' as const);
      const ready = store === 'ok' && engine === 'ready';
      // only when not ready, so a healthy probe costs no status read: which connections fail to start
      const failing: Array<{ connectionId: string } & Omit<ConnectionStartState, 'state'>> = [];
      const stalled: Array<{ connectionId: string; reason: string }> = [];
      if (!ready && store === 'ok') {
        for (const status of await fastify.engine.status()) {
          const start = (status as { start?: ConnectionStartState }).start;
          if (start?.state === 'failing') failing.push({ connectionId: status.connectionId, error: start.error, attempts: start.attempts, nextAttemptAt: start.nextAttemptAt });
          if (status.stalled) stalled.push({ connectionId: status.connectionId, reason: status.stalled });
        }
      }
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not ready', checks: { store, engine }, ...(failing.length > 0 ? { failing } : {}), ...(stalled.length > 0 ? { stalled } : {}) });
    },
  );

  // Scrapes that arrive while one is being rendered share its text: fifty clients cost one
  // collection, not fifty, and the answer is at most one render old.
  let rendering: Promise<string> | null = null;
  const render = (): Promise<string> => {
    rendering ??= fastify.metricsRegistry.metrics().finally(() => {
      rendering = null;
    });
    return rendering;
  };

  fastify.get(
    '/metrics',
    { config: { loadShedding: false }, schema: { tags: ['probes'], summary: 'Prometheus metrics', response: { 200: z.string(), 500: errorBodySchema } } },
    async (_request, reply) => {
      const text = await render();
      return reply.type(fastify.metricsRegistry.contentType).send(text);
    },
  );
};

export default healthRoutes;
