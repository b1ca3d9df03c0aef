import { parseBridgeConfig, type BridgeConfig } from '../config/index.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/index.js';
import { composeBridge, type ComposedBridge, type ComposeOptions } from '../sync/compose.js';
import type { PubSubSettings } from '../sync/consumerFactory.js';
import { qadPortFactory } from '../sync/qadPort.js';
import { DEFAULT_MAPPINGS_DIR } from '../sync/mapping.js';

/** the parts of `ml-connector sandbox`'s JSON line a bridge needs */
export interface SandboxEndpoints {
  salesforce: { loginUrl: string; clientId: string; clientSecret: string; apiVersion: string };
  qad?: { baseUrl: string; clientId: string; username: string; password: string; workspace: { domain: string; entity: string; sharedSet: string }; profile: string };
  pubsub?: { endpoint: string; tls: boolean; caCertificatePem?: string };
}

export const SANDBOX_CONNECTION_ID = 'sandbox';

/**
 * A bridge config for the sandbox: sandbox mode (loopback http, literal secrets, development master
 * key), one connection pairing the simulated org with the simulated tenant.
 */
export function sandboxBridgeConfig(endpoints: SandboxEndpoints, options: SandboxConfigOptions): BridgeConfig {
  return parseBridgeConfig(sandboxConfigInput(endpoints, options), 'sandbox bridge config');
}

export interface SandboxConfigOptions {
  storeFile: string;
  pollSeconds?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  httpPort?: number;
}

/** the config file's JSON for a sandbox (what `ml-connector start --config` reads) */
export function sandboxConfigInput(endpoints: SandboxEndpoints, options: SandboxConfigOptions): Record<string, unknown> {
  const qad = endpoints.qad;
  if (!qad) throw new Error('the sandbox description has no qad part; the QAD tenant did not start');
  return {
      version: 1,
      sandboxMode: true,
      store: { file: options.storeFile },
      http: { host: '127.0.0.1', port: options.httpPort ?? 0, apiToken: 'sandbox-api-token-not-secret' },
      mappingsDir: DEFAULT_MAPPINGS_DIR,
      connections: [
        {
          id: SANDBOX_CONNECTION_ID,
          name: 'Sandbox org and tenant',
          salesforce: { loginUrl: endpoints.salesforce.loginUrl, clientId: endpoints.salesforce.clientId, clientSecret: endpoints.salesforce.clientSecret, apiVersion: endpoints.salesforce.apiVersion, apiReserve: 0, ...(endpoints.pubsub ? { pubsub: { endpoint: endpoints.pubsub.endpoint } } : {}) },
          qad: { baseUrl: qad.baseUrl, profile: qad.profile, domain: qad.workspace.domain, entity: qad.workspace.entity, sharedSet: qad.workspace.sharedSet, username: qad.username, password: qad.password, clientId: qad.clientId },
          schedule: { qadPollSeconds: options.pollSeconds ?? 3600, heartbeatSeconds: 10, auditMirrorSeconds: 1 },
          retry: { maxAttempts: options.maxAttempts ?? 4, baseDelayMs: options.baseDelayMs ?? 200, maxDelayMs: 2_000 },
          concurrency: { salesforce: 4, qad: 4 },
        },
      ],
  };
}

export function sandboxPubSub(endpoints: SandboxEndpoints): PubSubSettings | undefined {
  if (!endpoints.pubsub) return undefined;
  return { endpoint: endpoints.pubsub.endpoint, tls: endpoints.pubsub.tls ? { ...(endpoints.pubsub.caCertificatePem ? { caCertificatePem: endpoints.pubsub.caCertificatePem } : {}) } : false };
}

/** composes a bridge against a running sandbox; the store is SQLite in `storeFile` unless databaseUrl is given */
export async function composeSandboxBridge(
  endpoints: SandboxEndpoints,
  options: { storeFile: string; baseDir: string; logger: Logger; databaseUrl?: string; databaseSchema?: string; runtime?: ComposeOptions['runtime']; env?: NodeJS.ProcessEnv; maxAttempts?: number; baseDelayMs?: number },
): Promise<ComposedBridge> {
  const config = sandboxBridgeConfig(endpoints, { storeFile: options.storeFile, ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}), ...(options.baseDelayMs ? { baseDelayMs: options.baseDelayMs } : {}) });
  const pubsub = sandboxPubSub(endpoints);
  // the QAD factory needs the store, which exists only once it is open: it is handed over lazily
  // through this holder
  let opened: Store | null = null;
  return composeBridge({
    config,
    baseDir: options.baseDir,
    env: options.env ?? {},
    logger: options.logger,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.databaseSchema ? { databaseSchema: options.databaseSchema } : {}),
    ...(pubsub ? { pubsub: { [SANDBOX_CONNECTION_ID]: pubsub } } : {}),
    ...(options.runtime ? { runtime: options.runtime } : {}),
    qadPortFactory: (connection, secrets, ctx) => qadPortFactory(opened!)(connection, secrets, ctx),
    onStoreOpen: (store) => {
      opened = store;
    },
  });
}
