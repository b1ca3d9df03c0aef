import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import type { ConnectionSecrets } from './credentials/index.js';
import { bearerAuth } from './http/auth.js';
import { installErrorHandling } from './http/errorHandler.js';
import auditRoutes from './http/routes/audit.js';
import connectionRoutes from './http/routes/connections.js';
import healthRoutes from './http/routes/health.js';
import type { Logger } from './logger.js';
import engineDecorator from './plugins/app/engine.js';
import metricsDecorator from './plugins/app/metrics.js';
import secretsDecorator from './plugins/app/secrets.js';
import storeDecorator from './plugins/app/store.js';
import sensible from './plugins/external/sensible.js';
import swagger from './plugins/external/swagger.js';
import underPressure, { type UnderPressureSettings } from './plugins/external/underPressure.js';
import type { Store } from './store/index.js';
import type { EngineApi } from './sync/api.js';

export interface BridgeAppOptions {
  store: Store;
  engine: EngineApi;
  secrets: ConnectionSecrets;
  /** bearer token for every /v1 route (from config `http.apiToken` or ML_CONNECTOR_API_TOKEN); at least 16 characters */
  apiToken: string;
  /** the engine's registry, so /metrics shows engine and HTTP metrics in one scrape */
  metricsRegistry?: Registry;
  defaultMetrics?: boolean;
  underPressure?: UnderPressureSettings;
  version?: string;
  /** the config's sandboxMode: connections created through the API may then use loopback URLs */
  sandboxMode?: boolean;
  /** the folder a caFile named by POST /v1/connections must lie in; default the working directory */
  caFileDir?: string;
}

/**
 * The service as one plugin, in three tiers: external plugins, the app's decorators (each a named
 * fastify-plugin with dependencies and its own onClose), then the routes, encapsulated, with auth
 * in their hooks. server.ts only wraps it in a listening server.
 */
export const bridgeApp: FastifyPluginAsync<BridgeAppOptions> = async (fastify, options) => {
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  installErrorHandling(fastify);

  await fastify.register(sensible);
  await fastify.register(underPressure, options.underPressure ?? {});
  await fastify.register(swagger, { ...(options.version ? { version: options.version } : {}) });

  await fastify.register(storeDecorator, { store: options.store });
  await fastify.register(engineDecorator, { engine: options.engine });
  await fastify.register(secretsDecorator, { secrets: options.secrets });
  await fastify.register(metricsDecorator, {
    ...(options.metricsRegistry ? { registry: options.metricsRegistry } : {}),
    ...(options.defaultMetrics !== undefined ? { defaultMetrics: options.defaultMetrics } : {}),
  });

  await fastify.register(healthRoutes);
  const checkBearer = bearerAuth(options.apiToken);
  await fastify.register(
    async (api) => {
      api.addHook('onRequest', checkBearer);
      await api.register(connectionRoutes, { sandboxMode: options.sandboxMode ?? false, caFileDir: options.caFileDir ?? process.cwd() });
      await api.register(auditRoutes);
    },
    { prefix: '/v1' },
  );
};

/** the error handler and compilers must apply to the whole instance, so the app is not encapsulated */
export default fp(bridgeApp, { name: 'ml-connector-app' });

export interface BuildAppOptions extends BridgeAppOptions {
  logger?: Logger;
  server?: Pick<FastifyServerOptions, 'connectionTimeout' | 'keepAliveTimeout' | 'requestTimeout' | 'bodyLimit' | 'trustProxy'>;
}

/** A ready-to-listen instance with the app registered; tests and server.ts both start here. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { logger, server, ...appOptions } = options;
  const fastify = Fastify({
    ...(logger ? { loggerInstance: logger.child({ component: 'http' }) } : { logger: false }),
    bodyLimit: 1_048_576,
    ...server,
  }).withTypeProvider<ZodTypeProvider>();
  await fastify.register(fp(bridgeApp, { name: 'ml-connector-app' }), appOptions);
  await fastify.ready();
  return fastify as unknown as FastifyInstance;
}
