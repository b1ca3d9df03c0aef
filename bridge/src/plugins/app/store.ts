import fp from 'fastify-plugin';
import type { Store } from '../../store/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
  }
}

/**
 * The store, opened and migrated by the caller (the CLI decides SQLite or PostgreSQL); the app
 * owns its end of life: it is destroyed when the app closes, after the engine has stopped.
 */
export default fp<{ store: Store }>(
  async (fastify, options) => {
    fastify.decorate('store', options.store);
    fastify.addHook('onClose', async () => {
      await options.store.destroy();
    });
  },
  { name: 'app-store' },
);
