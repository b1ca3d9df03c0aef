import fastifyUnderPressure from '@fastify/under-pressure';
import fp from 'fastify-plugin';
import { NotReadyError, toErrorBody } from '../../errors.js';

export interface UnderPressureSettings {
  /** ms; the machine may be shared, so the default only trips on a truly stuck loop */
  maxEventLoopDelay?: number;
  maxHeapUsedBytes?: number;
}

/**
 * Sheds load with a 503 (same error body as every other answer) when the event loop is stalled,
 * so a struggling bridge tells its callers to back off instead of timing them out.
 */
export default fp<UnderPressureSettings>(
  async (fastify, options) => {
    await fastify.register(fastifyUnderPressure, {
      maxEventLoopDelay: options.maxEventLoopDelay ?? 3_000,
      maxHeapUsedBytes: options.maxHeapUsedBytes ?? 0,
      retryAfter: 10,
      pressureHandler: (_request, reply, type) => {
        const body = toErrorBody(new NotReadyError(`the bridge is overloaded (${type})`));
        void reply.code(503).header('retry-after', '10').send(body);
      },
    });
  },
  { name: 'external-under-pressure' },
);
