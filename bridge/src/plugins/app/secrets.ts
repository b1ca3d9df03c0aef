import fp from 'fastify-plugin';
import type { ConnectionSecrets } from '../../credentials/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    secrets: ConnectionSecrets;
  }
}

/** Seals credentials sent to the admin API before they reach the store; never opens them. */
export default fp<{ secrets: ConnectionSecrets }>(
  async (fastify, options) => {
    fastify.decorate('secrets', options.secrets);
  },
  { name: 'app-secrets', dependencies: ['app-store'] },
);
