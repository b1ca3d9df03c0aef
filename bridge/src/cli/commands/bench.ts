import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliCommand } from '../command.js';

const BRIDGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The bench protocol: each bridge/bench/<name>.bench.ts is a standalone script that prints its
 * result as one JSON object on its last line of stdout (anything before it is progress chatter).
 * Running each in its own process keeps one benchmark's heap and timers out of the next one's numbers.
 */
export async function listBenchFiles(dir = join(BRIDGE_DIR, 'bench')): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.bench.ts')).sort().map((n) => join(dir, n));
}

export interface BenchRun {
  name: string;
  ok: boolean;
  result: unknown;
  stderrTail: string;
}

export function runBenchFile(file: string): Promise<BenchRun> {
  const name = basename(file, '.bench.ts');
  return new Promise((resolvePromise) => {
    // the simulated org of a million-record run holds millions of rows in this process's heap
    const child = spawn(process.execPath, ['--max-old-space-size=12288', '--import', 'tsx', file, '--json'], {
      cwd: BRIDGE_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      const lines = stdout.trim().split('\n').filter(Boolean);
      let result: unknown = null;
      for (let i = lines.length - 1; i >= 0 && result === null; i -= 1) {
        try {
          const parsed: unknown = JSON.parse(lines[i]!);
          if (parsed && typeof parsed === 'object') result = parsed;
        } catch {
          // not the result line; keep looking upwards
        }
      }
      resolvePromise({ name, ok: code === 0 && result !== null, result, stderrTail: stderr.split('\n').slice(-5).join('\n') });
    });
  });
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export const benchCommand: CliCommand = {
  usage: '[--json] [--only NAME]',
  description: 'Runs every bridge/bench/*.bench.ts against the sandbox, one process each, and prints the results.',
  options: {
    json: { type: 'boolean', description: 'print one JSON object { name: result, ... }' },
    only: { type: 'string', valueName: 'NAME', description: 'run only the benchmark files whose name contains NAME' },
  },
  async run(args, io) {
    const only = typeof args.values.only === 'string' ? args.values.only : undefined;
    const files = (await listBenchFiles()).filter((f) => only === undefined || basename(f).includes(only));
    const results: Record<string, unknown> = {};
    let failed = 0;
    for (const file of files) {
      const run = await runBenchFile(file);
      if (!run.ok) failed += 1;
      results[run.name] = run.ok ? run.result : { error: run.stderrTail || 'no JSON result line' };
      if (!args.values.json) {
        io.stdout(`${run.name}\n`);
        if (run.ok && run.result && typeof run.result === 'object') {
          for (const [key, value] of Object.entries(run.result)) io.stdout(`  ${key}: ${formatValue(value)}\n`);
        } else {
          io.stdout(`  FAILED: ${run.stderrTail || 'no JSON result line'}\n`);
        }
      }
    }
    if (args.values.json) io.stdout(`${JSON.stringify(results)}\n`);
    else if (files.length === 0) io.stdout('no benchmarks found in bridge/bench\n');
    return failed === 0 ? 0 : 1;
  },
};
