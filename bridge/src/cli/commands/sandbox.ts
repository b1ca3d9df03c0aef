import { readFile } from 'node:fs/promises';
import { CliUsageError, intArg, stringArg, waitForShutdownSignal, type CliCommand } from '../command.js';

/** What start.ts hands back, read structurally so this command keeps working as C, E and F add parts. */
interface RunningSandbox {
  description?: Record<string, unknown>;
  close(): Promise<void>;
  [part: string]: unknown;
}

const SANDBOX_PARTS = ['salesforce', 'pubsub', 'qad'] as const;

/** The JSON line: the description if start.ts gives one, else the plain-data parts it exposes. */
export function sandboxDescription(sandbox: RunningSandbox): Record<string, unknown> {
  if (sandbox.description && typeof sandbox.description === 'object') return sandbox.description;
  const out: Record<string, unknown> = {};
  for (const part of SANDBOX_PARTS) {
    const value = sandbox[part];
    if (value === undefined) continue;
    const described = (value as { description?: unknown }).description;
    out[part] = described ?? JSON.parse(JSON.stringify(value));
  }
  return out;
}

export async function loadSeed(seedPath: string | undefined): Promise<unknown> {
  if (seedPath === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(seedPath, 'utf8');
  } catch (error) {
    throw new CliUsageError(`--seed ${seedPath} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). Fix: pass the path of a JSON seed file.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`--seed ${seedPath} is not valid JSON (${(error as Error).message}). Fix: correct the file.`);
  }
}

export async function startSandboxProcess(options: { port: number; seed?: unknown; host?: string }): Promise<RunningSandbox> {
  // A path held in a variable keeps this module type-clean while start.ts is still being written
  // by its owners; the module is resolved by tsx at run time.
  const startModule = '../../../sandbox/start.js';
  const { startSandbox } = (await import(startModule)) as {
    startSandbox: (o: Record<string, unknown>) => Promise<RunningSandbox>;
  };
  return startSandbox({ port: options.port, host: options.host ?? '127.0.0.1', ...(options.seed !== undefined ? { seed: options.seed } : {}) });
}

export const sandboxCommand: CliCommand = {
  usage: '[--port N] [--seed FILE]',
  description:
    'Starts the simulated Salesforce org, Pub/Sub bus and QAD tenant on loopback, prints one JSON line with their URLs and test credentials, and stays up until SIGINT or SIGTERM.',
  options: {
    port: { type: 'string', valueName: 'N', description: 'first port to listen on; 0 picks free ports', default: '0' },
    seed: { type: 'string', valueName: 'FILE', description: 'JSON seed data for the org and the tenant' },
  },
  async run(args, io) {
    const port = intArg(args, 'port', 0);
    const seed = await loadSeed(stringArg(args, 'seed'));
    // listen for the signal before anything starts, so a stop during start-up still closes cleanly
    const stopped = waitForShutdownSignal();
    const sandbox = await startSandboxProcess({ port, seed });
    io.stdout(`${JSON.stringify(sandboxDescription(sandbox))}\n`);
    await stopped;
    await sandbox.close();
    return 0;
  },
};
