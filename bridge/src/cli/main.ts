import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliUsageError, type CliCommand, type CliIo } from './command.js';

/**
 * Commands are loaded on demand: `sandbox` must not pull in the engine and its database driver,
 * and `--help` should answer without loading any of them.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  start: { summary: 'run the bridge service (engine + HTTP API) from a config file', load: async () => (await import('./commands/start.js')).startCommand },
  sync: { summary: 'one pass: poll QAD, run every due job, mirror the audit, exit (--once)', load: async () => (await import('./commands/sync.js')).syncCommand },
  backfill: { summary: 'full re-read of QAD into Salesforce with a progress bar', load: async () => (await import('./commands/backfill.js')).backfillCommand },
  replay: { summary: 'replay one audited attempt by its Bridge_Event_Id__c', load: async () => (await import('./commands/replay.js')).replayCommand },
  connections: { summary: 'list configured connections, their jobs and stored credentials', load: async () => (await import('./commands/connections.js')).connectionsCommand },
  keys: { summary: 'keys rotate: re-seal every stored credential under the newest master key', load: async () => (await import('./commands/keys.js')).keysCommand },
  ping: { summary: 'check every credential and permission against the real systems; print what to fix', load: async () => (await import('./commands/ping.js')).pingCommand },
  sandbox: { summary: 'start the simulated Salesforce org, Pub/Sub bus and QAD tenant; print one JSON line', load: async () => (await import('./commands/sandbox.js')).sandboxCommand },
  demo: { summary: 'seeded sandbox + bridge on SQLite: sync, activate orders, print a summary (--json)', load: async () => (await import('./commands/demo.js')).demoCommand },
  bench: { summary: 'run every bridge/bench/*.bench.ts and print the results (--json)', load: async () => (await import('./commands/bench.js')).benchCommand },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['Usage: ml-connector <command> [options]', '', 'Commands:', ...lines, '', 'Run `ml-connector <command> --help` for the options of one command.', ''].join('\n');
}

export function commandUsage(name: string, command: CliCommand): string {
  const opts = Object.entries(command.options).map(([flag, o]) => {
    const value = o.type === 'string' ? ` <${o.valueName ?? 'value'}>` : '';
    return `  --${flag}${value}  ${o.description}${o.default !== undefined ? ` (default ${String(o.default)})` : ''}`;
  });
  return [`Usage: ml-connector ${name} ${command.usage}`, '', command.description, '', 'Options:', ...opts, '  --help  show this text', ''].join('\n');
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

/** Entry point used by bin/ml-connector.js; resolves to the process exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr(`Unknown command "${name}". Fix: use one of ${Object.keys(COMMANDS).join(', ')}.\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
  const config: ParseArgsConfig = {
    args: rest,
    allowPositionals: command.positionals !== undefined,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(
        Object.entries(command.options).map(([flag, o]) => [flag, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
      ),
    },
  };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${commandUsage(name, command)}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(commandUsage(name, command));
    return 0;
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const [flag, o] of Object.entries(command.options)) {
    const raw = parsed.values[flag];
    values[flag] = (Array.isArray(raw) ? raw[0] : raw) ?? o.default;
  }
  try {
    return await command.run({ values, positionals: parsed.positionals }, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`${error.message}\n\n${commandUsage(name, command)}`);
      return 2;
    }
    const e = error as { code?: string; message?: string };
    io.stderr(`ml-connector ${name} failed${e.code ? ` [${e.code}]` : ''}: ${e.message ?? String(error)}\n`);
    return 1;
  }
}
