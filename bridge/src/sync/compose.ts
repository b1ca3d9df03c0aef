import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SalesforceClient } from '../clients/salesforce/index.js';
import { connectionSecrets, loadMappings, type BridgeConfig, type ConnectionConfig } from '../config/index.js';
import { ConnectionSecrets, CredentialVault, loadKeyring } from '../credentials/index.js';
import { ConfigError, ConnectionStartError } from '../errors.js';
import type { Logger } from '../logger.js';
import { openStore, type Store } from '../store/index.js';
import type { StreamName } from './api.js';
import type { ConnectionRuntimeOptions } from './connectionRuntime.js';
import { pubSubConsumerFactory, type PubSubSettings } from './consumerFactory.js';
import type { RetryPolicyOptions } from '../lib/retryPolicy.js';
import { SyncEngine } from './engine.js';
import { mappingSetFrom } from './mapping.js';
import { createSyncMetrics, type SyncMetrics } from './metrics.js';
import type { QadPollRun, QadPort } from './ports.js';

/** builds the connection's QAD client from its config and decrypted secrets (see qadPort.ts) */
export type QadPortFactory = (connection: ConnectionConfig, secrets: Readonly<Record<string, string>>, options: { sandboxMode: boolean; logger: Logger }) => Promise<QadPort & { close?(): Promise<void> }>;

export interface ComposeOptions {
  config: BridgeConfig;
  /** folder of the config file; relative paths in it are resolved from here */
  baseDir: string;
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  qadPortFactory: QadPortFactory;
  /** per connection id: how to reach Pub/Sub (the sandbox's TLS certificate, for instance) */
  pubsub?: Record<string, PubSubSettings>;
  /** overrides for tests and the demo (intervals, retry, worker id) */
  runtime?: Partial<Omit<ConnectionRuntimeOptions, 'connectionId' | 'salesforce' | 'qad' | 'store' | 'mappings' | 'logger'>>;
  /** DATABASE_URL wins over the config file's store section */
  databaseUrl?: string;
  /** PostgreSQL schema to work in (tests) */
  databaseSchema?: string;
  /** called once the store is open and migrated, before any client is built */
  onStoreOpen?: (store: Store) => void;
  /** backoff between attempts to start a connection that failed to (tests shorten it) */
  startRetry?: RetryPolicyOptions;
}

export interface ComposedBridge {
  metrics: SyncMetrics;
  store: Store;
  engine: SyncEngine;
  secrets: ConnectionSecrets;
  /** closes the clients only (for when the HTTP app's onClose already stopped the engine and the store) */
  closeClients(): Promise<void>;
  salesforce: Map<string, SalesforceClient>;
  qad: Map<string, QadPort & { close?(): Promise<void> }>;
  close(): Promise<void>;
}

type ClosableQadPort = QadPort & { close?(): Promise<void> };

/**
 * A connection's QAD port that connects when first needed (the engine asks before starting the
 * connection) and again after a failure: a tenant that is down or refuses the login at start-up
 * fails that connection, retryably and by name, instead of the whole bridge.
 */
export function connectingQadPort(connectionId: string, connect: () => Promise<ClosableQadPort>): QadPort & { connect(): Promise<void>; close(): Promise<void> } {
  let port: ClosableQadPort | null = null;
  let connecting: Promise<ClosableQadPort> | null = null;
  const ready = (): Promise<ClosableQadPort> => {
    if (port) return Promise.resolve(port);
    connecting ??= connect().then(
      (connected) => {
        port = connected;
        return connected;
      },
      (error: unknown) => {
        connecting = null;
        throw new ConnectionStartError(connectionId, 'its QAD tenant cannot be used', error);
      },
    );
    return connecting;
  };
  const lazyPoll = (open: () => QadPollRun): QadPollRun => {
    let run: Promise<QadPollRun> | null = null;
    const opened = (): Promise<QadPollRun> => (run ??= ready().then(open));
    let known: QadPollRun | null = null;
    return {
      get mode() {
        if (!known) throw new ConnectionStartError(connectionId, 'the poll has not started', new Error('iterate the poll first'));
        return known.mode;
      },
      async *[Symbol.asyncIterator]() {
        known = await opened();
        yield* known;
      },
      finish: async () => (await opened()).finish(),
    };
  };
  return {
    connect: async () => {
      await ready();
    },
    poll: (object, cursor) => lazyPoll(() => port!.poll(object, cursor)),
    readAll: (object, options) => ({
      async *[Symbol.asyncIterator]() {
        yield* (await ready()).readAll(object, options);
      },
    }),
    get: async (object, key) => (await ready()).get(object, key),
    updateBusinessRelation: async (object, key, fields) => (await ready()).updateBusinessRelation(object, key, fields),
    createSalesOrder: async (order) => (await ready()).createSalesOrder(order),
    recordHash: (record) => {
      // records exist only once the port has connected and read them
      if (!port) throw new ConnectionStartError(connectionId, 'its QAD tenant is not connected', new Error('no record was read yet'));
      return port.recordHash(record);
    },
    close: async () => {
      await port?.close?.();
    },
  };
}

/** the connection config as stored: everything but the secrets, which the vault keeps */
function withoutSecrets(connection: ConnectionConfig): Record<string, unknown> {
  const { clientSecret: _s, ...salesforce } = connection.salesforce;
  const { password: _p, clientSecret: _c, token: _t, ...qad } = connection.qad;
  return { ...connection, salesforce, qad };
}

/** the connection's Pub/Sub endpoint, trusting the private CA its config names (a sandbox's self-made certificate) */
export function pubsubSettingsOf(connection: ConnectionConfig, baseDir: string): PubSubSettings | undefined {
  const settings = connection.salesforce.pubsub;
  if (!settings?.endpoint) return undefined;
  if (!settings.caFile) return { endpoint: settings.endpoint };
  const file = path.resolve(baseDir, settings.caFile);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`connection ${connection.id}: salesforce.pubsub.caFile ${file} cannot be read. Fix: point it at the PEM file of the CA that signed the Pub/Sub endpoint's certificate`, [
      `connections[${connection.id}].salesforce.pubsub.caFile: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
    ]);
  }
  return { endpoint: settings.endpoint, tls: { caCertificatePem: pem } };
}

/**
 * The composition root: config file → store (migrated) → secrets sealed into the credential vault
 * → clients → engine. Secrets leave the config only into the vault; the clients are built from
 * what the vault opens, so the running bridge has one source of credentials.
 */
export async function composeBridge(options: ComposeOptions): Promise<ComposedBridge> {
  const { config, logger } = options;
  const env = options.env ?? process.env;
  const keyring = loadKeyring({ env, sandboxMode: config.sandboxMode });
  const url = options.databaseUrl ?? env.DATABASE_URL?.trim() ?? config.store.url;
  const store = await openStore({
    ...(url ? { url } : { file: path.resolve(options.baseDir, config.store.file) }),
    ...(options.databaseSchema ? { schema: options.databaseSchema } : {}),
    ...(options.runtime?.clock ? { clock: options.runtime.clock } : {}),
    logger,
  });
  const opened: Array<{ close(): Promise<void> }> = [];
  try {
    await store.migrateToLatest();
    options.onStoreOpen?.(store);
    const secrets = new ConnectionSecrets(store, new CredentialVault(keyring));
    const catalog = loadMappings(path.resolve(options.baseDir, config.mappingsDir));
    const runtimes: ConnectionRuntimeOptions[] = [];
    const metrics = createSyncMetrics();
    const salesforceClients = new Map<string, SalesforceClient>();
    const qadPorts = new Map<string, QadPort & { close?(): Promise<void> }>();
    const prepare = new Map<string, () => Promise<void>>();
    for (const [index, connection] of config.connections.entries()) {
      const existing = await store.connections.get(connection.id);
      if (existing) await store.connections.updateConfig(connection.id, withoutSecrets(connection), connection.name);
      else await store.connections.create({ id: connection.id, name: connection.name, config: withoutSecrets(connection) });
      await secrets.save(connection.id, connectionSecrets(connection, index, { env, baseDir: options.baseDir }));
      const opened_ = await secrets.load(connection.id);
      const clog = logger.child({ connectionId: connection.id });
      const salesforce = new SalesforceClient(
        {
          loginUrl: connection.salesforce.loginUrl,
          clientId: connection.salesforce.clientId,
          clientSecret: opened_['salesforce.clientSecret']!,
          apiVersion: connection.salesforce.apiVersion,
          sandboxMode: config.sandboxMode,
          apiReserve: connection.salesforce.apiReserve,
          bulkThreshold: connection.salesforce.bulkThreshold,
        },
        { logger: clog },
      );
      opened.push(salesforce);
      salesforceClients.set(connection.id, salesforce);
      // connected by the engine before the connection starts (and retried there), not here: one
      // tenant that is down must not keep the others from starting
      const qad = connectingQadPort(connection.id, () => options.qadPortFactory(connection, opened_, { sandboxMode: config.sandboxMode, logger: clog }));
      opened.push(qad);
      qadPorts.set(connection.id, qad);
      prepare.set(connection.id, () => qad.connect());
      const pubsub = options.pubsub?.[connection.id] ?? pubsubSettingsOf(connection, options.baseDir);
      const paused = Object.entries(connection.streams)
        .filter(([, s]) => s?.paused || s?.enabled === false)
        .map(([name]) => name as StreamName);
      runtimes.push({
        connectionId: connection.id,
        salesforce,
        qad,
        store,
        mappings: mappingSetFrom(catalog.select(connection.mappings)),
        logger: clog.child({ component: 'sync' }),
        pollIntervalMs: connection.schedule.qadPollSeconds * 1000,
        heartbeatIntervalMs: connection.schedule.heartbeatSeconds * 1000,
        mirrorIntervalMs: connection.schedule.auditMirrorSeconds * 1000,
        maxAttempts: connection.retry.maxAttempts,
        auditMirrorMaxAttempts: connection.retry.auditMirrorMaxAttempts,
        retry: { maxRetries: connection.retry.maxAttempts, baseDelayMs: connection.retry.baseDelayMs, maxDelayMs: connection.retry.maxDelayMs, factor: 2, jitter: 0.5 },
        concurrency: connection.concurrency.qad,
        salesforceConcurrency: connection.concurrency.salesforce,
        singleInstance: store.dialect === 'sqlite',
        initiallyPaused: paused,
        metrics,
        ...(pubsub ? { consumerFactory: pubSubConsumerFactory(pubsub, salesforce, clog) } : {}),
        ...options.runtime,
      });
    }
    const engine = new SyncEngine(store, runtimes, logger.child({ component: 'engine' }), { prepare, ...(options.startRetry ? { startRetry: options.startRetry } : {}) });
    metrics.observe(engine);
    const closeClients = async (): Promise<void> => {
      for (const o of opened.splice(0).reverse()) await o.close().catch(() => undefined);
    };
    return {
      metrics,
      store,
      engine,
      secrets,
      closeClients,
      salesforce: salesforceClients,
      qad: qadPorts,
      async close() {
        await engine.stop();
        await closeClients();
        await store.destroy();
      },
    };
  } catch (error) {
    for (const o of opened.reverse()) await o.close().catch(() => undefined);
    await store.destroy();
    throw error;
  }
}
