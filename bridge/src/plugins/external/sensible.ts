import fastifySensible from '@fastify/sensible';
import fp from 'fastify-plugin';

/** httpErrors and assert helpers; the app's own errors still go through http/errorHandler. */
export default fp(
  async (fastify) => {
    await fastify.register(fastifySensible);
  },
  { name: 'external-sensible' },
);
