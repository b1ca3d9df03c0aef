import { resolveSecret } from '../../config/index.js';
import { startServer } from '../../server.js';
import { waitForShutdownSignal, type CliCommand } from '../command.js';
import { CONFIG_OPTION, loadBridge } from '../loadBridge.js';

export const startCommand: CliCommand = {
  usage: '--config FILE',
  description:
    'Runs the bridge: every connection of the config file is synced on its schedule, change events are consumed, and the HTTP API (health, readiness, metrics, docs, admin) listens. SIGINT/SIGTERM finish or release in-flight jobs, then stop.',
  options: { ...CONFIG_OPTION },
  async run(args, io) {
    const { bridge, config, logger } = await loadBridge(args, io);
    try {
      await bridge.engine.start();
      const apiToken = io.env.ML_CONNECTOR_API_TOKEN ?? resolveSecret(config.http.apiToken, 'http.apiToken', { env: io.env });
      const server = await startServer({
        store: bridge.store,
        engine: bridge.engine,
        secrets: bridge.secrets,
        apiToken,
        metricsRegistry: bridge.metrics.registry,
        logger,
        sandboxMode: config.sandboxMode,
        host: config.http.host,
        port: config.http.port,
        handleSignals: false,
      });
      io.stdout(`${JSON.stringify({ url: server.url, connections: config.connections.map((c) => c.id) })}\n`);
      const signal = await waitForShutdownSignal();
      logger.info({ signal }, 'stopping: finishing or releasing in-flight jobs');
      // app.close stops the engine (jobs finished or released) and then closes the store
      await server.close();
      await bridge.closeClients();
      return 0;
    } catch (error) {
      await bridge.close().catch(() => undefined);
      throw error;
    }
  },
};
