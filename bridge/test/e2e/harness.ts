import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox/start.js';
import { composeSandboxBridge, SANDBOX_CONNECTION_ID, type SandboxEndpoints } from '../../src/demo/sandboxBridge.js';
import { demoQadSeed, type DemoSize } from '../../src/demo/seedData.js';
import { createLogger } from '../../src/logger.js';
import type { QadSeed } from '../../sandbox/qad/seed.js';
import type { ComposedBridge } from '../../src/sync/compose.js';
import type { ConnectionRuntime } from '../../src/sync/connectionRuntime.js';
import { testSchemaName } from '../store/storeTargets.js';

export const SMALL: DemoSize = { customers: 30, suppliers: 10, suppliersAlsoCustomers: 4, items: 20, contacts: 15, orders: 5, linesPerOrder: 2, accountEdits: 3 };

/** every log line and every secret seen by any e2e run in this process, for the leak scan */
export const captured = { logs: [] as string[], secrets: new Set<string>(), files: new Set<string>(), pgSchemas: new Set<string>() };

export interface World {
  sandbox: RunningSandbox;
  endpoints: SandboxEndpoints;
  seed: QadSeed;
  dir: string;
  storeFile: string;
  /** PostgreSQL: the database URL with a fresh schema for this world */
  databaseUrl?: string;
  databaseSchema?: string;
  close(): Promise<void>;
}

export async function startWorld(size: DemoSize = SMALL): Promise<World> {
  const seed = await demoQadSeed(size);
  const sandbox = await startSandbox({ port: 0, seed: { qad: seed } });
  const endpoints = sandbox.description as unknown as SandboxEndpoints;
  captured.secrets.add(endpoints.salesforce.clientSecret);
  if (endpoints.qad) captured.secrets.add(endpoints.qad.password);
  const dir = await mkdtemp(join(tmpdir(), 'mlc-e2e-'));
  const storeFile = join(dir, 'bridge.sqlite');
  captured.files.add(storeFile);
  const pg = process.env.TEST_DATABASE_URL;
  const schema = testSchemaName('e2e');
  if (pg) captured.pgSchemas.add(schema);
  return {
    sandbox,
    endpoints,
    seed,
    dir,
    storeFile,
    ...(pg ? { databaseUrl: pg, databaseSchema: schema } : {}),
    async close() {
      await sandbox.close();
      // the store file is scanned for secrets after all tests; the folder is removed by the scan
    },
  };
}

export async function removeWorldDirs(dirs: Iterable<string>): Promise<void> {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}

export interface BridgeOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  paused?: Array<'qad-items' | 'qad-customers' | 'qad-suppliers' | 'qad-contacts' | 'sf-accounts' | 'sf-orders'>;
  /** the runtime's stall time (default its own) */
  stallAfterMs?: number;
}

export async function startBridge(world: World, options: BridgeOptions = {}): Promise<{ bridge: ComposedBridge; runtime: ConnectionRuntime }> {
  const logger = createLogger({ level: 'debug' }, { write: (line: string) => captured.logs.push(line) } as never);
  const bridge = await composeSandboxBridge(world.endpoints, {
    storeFile: world.storeFile,
    baseDir: world.dir,
    logger,
    ...(world.databaseUrl ? { databaseUrl: world.databaseUrl, databaseSchema: world.databaseSchema! } : {}),
    maxAttempts: options.maxAttempts ?? 4,
    baseDelayMs: options.baseDelayMs ?? 50,
    runtime: { idleMs: 50, mirrorIntervalMs: 200, heartbeatIntervalMs: 2_000, ...(options.paused ? { initiallyPaused: options.paused } : {}), ...(options.stallAfterMs ? { stallAfterMs: options.stallAfterMs } : {}) },
  });
  const runtime = bridge.engine.runtime(SANDBOX_CONNECTION_ID);
  return { bridge, runtime };
}

/** the bridge's current Salesforce access token, so the leak scan can look for it */
export async function rememberTokens(bridge: ComposedBridge): Promise<void> {
  for (const client of bridge.salesforce.values()) captured.secrets.add(await client.getAccessToken());
}

export async function waitUntil<T>(label: string, probe: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function orgCount(world: World, soql: string): number {
  return world.sandbox.org.control.query(soql).length;
}

export function counter(world: World, kind: string): number {
  return world.sandbox.org.control.counters()[kind] ?? 0;
}

/** the org's write calls of any kind (what a sync that creates nothing must not make) */
export function salesforceWrites(world: World): number {
  const c = world.sandbox.org.control.counters();
  return Object.entries(c)
    .filter(([kind]) => /create|update|upsert|delete|bulk-upload/.test(kind))
    .reduce((sum, [, n]) => sum + n, 0);
}
