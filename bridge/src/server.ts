import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildAppOptions } from './app.js';
import { silentLogger } from './logger.js';

export interface StartServerOptions extends BuildAppOptions {
  host?: string;
  /** 0 picks a free port */
  port?: number;
  /** install SIGINT/SIGTERM handlers that close gracefully (default true) */
  handleSignals?: boolean;
  /** a second signal, or a close that takes longer than this, exits at once; default 30 s */
  shutdownTimeoutMs?: number;
}

export interface RunningServer {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  /** app.close(): stops accepting, then engine.stop() (jobs finished or released), then store.destroy() */
  close(): Promise<void>;
}

/**
 * The thin server: timeouts, listen, graceful close on SIGINT/SIGTERM. Everything else is in the
 * app plugin; the close order comes from the decorators' onClose hooks (engine before store).
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { host = '127.0.0.1', port = 8080, handleSignals = true, shutdownTimeoutMs = 30_000, ...appOptions } = options;
  const logger = (options.logger ?? silentLogger).child({ component: 'server' });
  const app = await buildApp({
    ...appOptions,
    server: { connectionTimeout: 30_000, keepAliveTimeout: 72_000, requestTimeout: 60_000, ...appOptions.server },
  });
  const url = await app.listen({ host, port });
  logger.info({ url }, 'bridge API listening');

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await app.close();
      logger.info('bridge stopped');
    })();
    return closing;
  };

  function onSignal(signal: NodeJS.Signals): void {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, 'shutdown took too long: exiting');
      process.exit(1);
    }, shutdownTimeoutMs);
    timer.unref();
    close().then(
      () => {
        clearTimeout(timer);
        process.exitCode = 0;
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  }

  if (handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  return { app, url, close };
}
