/** The shape every CLI command module exports; main.ts parses flags from `options` with node:util. */
export interface CliOption {
  type: 'string' | 'boolean';
  short?: string;
  description: string;
  valueName?: string;
  default?: string | boolean;
}

export interface CliArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
}

export interface CliCommand {
  usage: string;
  description: string;
  options: Record<string, CliOption>;
  /** present when the command takes positional arguments */
  positionals?: string[];
  run(args: CliArgs, io: CliIo): Promise<number>;
}

/** Thrown for bad flags or values; main prints the message and the command's usage, exit code 2. */
export class CliUsageError extends Error {
  readonly code = 'BRIDGE_ERR_CLI_USAGE';
}

export function stringArg(args: CliArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function requireStringArg(args: CliArgs, name: string, fix: string): string {
  const value = stringArg(args, name);
  if (value === undefined || value.trim() === '') throw new CliUsageError(`--${name} is required. Fix: ${fix}`);
  return value;
}

export function intArg(args: CliArgs, name: string, fallback: number): number {
  const raw = stringArg(args, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new CliUsageError(`--${name} must be a whole number between 0 and 65535, got "${raw}".`);
  }
  return value;
}

/** Resolves on the first SIGINT or SIGTERM so long-running commands can close their servers. */
export function waitForShutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
