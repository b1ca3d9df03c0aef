import fp from 'fastify-plugin';
import type { EngineApi } from '../../sync/api.js';

declare module 'fastify' {
  interface FastifyInstance {
    engine: EngineApi;
  }
}

/**
 * The sync engine, built by the caller, seen by routes only through EngineApi. Depends on the
 * store so that on close the engine stops (finishing or releasing its jobs) before the store goes.
 */
export default fp<{ engine: EngineApi }>(
  async (fastify, options) => {
    fastify.decorate('engine', options.engine);
    fastify.addHook('onClose', async () => {
      await options.engine.stop();
    });
  },
  { name: 'app-engine', dependencies: ['app-store'] },
);
