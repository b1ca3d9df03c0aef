import path from 'node:path';
import { loadBridgeConfig, type BridgeConfig } from '../config/index.js';
import { establishInstanceId } from '../lib/instanceId.js';
import { createLogger, type Logger } from '../logger.js';
import type { Store } from '../store/index.js';
import { composeBridge, type ComposedBridge, type ComposeOptions } from '../sync/compose.js';
import { qadPortFactory } from '../sync/qadPort.js';
import { CliUsageError, requireStringArg, type CliArgs, type CliIo, type CliOption } from './command.js';

export const CONFIG_OPTION: Record<string, CliOption> = {
  config: { type: 'string', valueName: 'FILE', description: 'bridge config file (see config/bridge.example.json)', default: 'config/bridge.json' },
};

export function cliLogger(io: CliIo, level = io.env.LOG_LEVEL ?? 'info'): Logger {
  // logs go to stderr so stdout stays for what the command answers
  return createLogger({ level }, { write: (line: string) => io.stderr(line) } as never);
}

export function readConfig(args: CliArgs): { config: BridgeConfig; baseDir: string; file: string } {
  const file = path.resolve(requireStringArg(args, 'config', 'pass --config with the path of your bridge config file'));
  const config = loadBridgeConfig(file);
  return { config, file, baseDir: process.cwd() };
}

/** config file → composed bridge (store, vault, clients, engine); not started */
export async function loadBridge(args: CliArgs, io: CliIo, extra: Partial<ComposeOptions> = {}): Promise<{ bridge: ComposedBridge; config: BridgeConfig; logger: Logger }> {
  const { config, baseDir } = readConfig(args);
  const logger = cliLogger(io);
  // this process's identity in job claims and leases: ML_CONNECTOR_INSTANCE_ID, else a slot kept in
  // the data folder next to the SQLite file (see lib/instanceId.ts)
  const identity = establishInstanceId({ dir: path.dirname(path.resolve(baseDir, config.store.file)), env: io.env });
  logger.info({ instanceId: identity.id, source: identity.source }, 'bridge instance identity');
  let opened: Store | null = null;
  const connectionId = typeof args.values.connection === 'string' ? args.values.connection : undefined;
  if (connectionId && !config.connections.some((c) => c.id === connectionId)) {
    throw new CliUsageError(`--connection ${connectionId} is not in the config. Fix: use one of ${config.connections.map((c) => c.id).join(', ')}`);
  }
  const bridge = await composeBridge({
    config: connectionId ? { ...config, connections: config.connections.filter((c) => c.id === connectionId) } : config,
    baseDir,
    env: io.env,
    logger,
    onStoreOpen: (store) => {
      opened = store;
    },
    qadPortFactory: (connection, secrets, ctx) => qadPortFactory(opened!)(connection, secrets, ctx),
    ...extra,
  });
  return { bridge, config, logger };
}
