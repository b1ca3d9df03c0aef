import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runBenchFile } from '../../src/cli/commands/bench.js';
import type { CliIo } from '../../src/cli/command.js';

const BIN = resolve(import.meta.dirname, '../../bin/ml-connector.js');

function captureIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    env: {},
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
  };
  return io;
}

describe('ml-connector CLI', () => {
  it('lists the commands with --help and exits 0', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out).toContain('sandbox');
    expect(io.out).toContain('bench');
  });

  it('refuses an unknown command with exit code 2 and names the valid ones', async () => {
    const io = captureIo();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.err).toContain('Unknown command "frobnicate"');
    expect(io.err).toContain('sandbox');
  });

  it('refuses an unknown flag and a bad port with exit code 2', async () => {
    const io = captureIo();
    expect(await main(['sandbox', '--nope'], io)).toBe(2);
    expect(io.err).toMatch(/nope/);
    const io2 = captureIo();
    expect(await main(['sandbox', '--port', 'abc'], io2)).toBe(2);
    expect(io2.err).toContain('--port must be a whole number');
  });

  it('refuses a seed file that does not exist, naming it', async () => {
    const io = captureIo();
    expect(await main(['sandbox', '--seed', '/nonexistent/seed.json'], io)).toBe(2);
    expect(io.err).toContain('/nonexistent/seed.json');
  });

  it('reads a bench result from the last JSON line of a bench script', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-'));
    try {
      const file = join(dir, 'sample.bench.ts');
      await writeFile(file, "const n: number = 42;\nconsole.log('warming up');\nconsole.log(JSON.stringify({ recordsPerSecond: n }));\n");
      const run = await runBenchFile(file);
      expect(run).toMatchObject({ name: 'sample', ok: true, result: { recordsPerSecond: 42 } });
      await writeFile(file, 'process.exit(3);\n');
      expect((await runBenchFile(file)).ok).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  const startExists = existsSync(resolve(import.meta.dirname, '../../sandbox/start.ts'));
  it.runIf(startExists)('sandbox --port 0 prints one JSON line with the salesforce part and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'sandbox', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<[number | null, string | null]>((resolveExit) => child.on('exit', (code, signal) => resolveExit([code, signal])));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let stdout = '';
    const line = await new Promise<string>((resolveLine, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const nl = stdout.indexOf('\n');
        if (nl >= 0) resolveLine(stdout.slice(0, nl));
      });
      void exited.then(([code]) => reject(new Error(`sandbox exited early with ${code}`)));
    });
    const description = JSON.parse(line) as { salesforce: Record<string, unknown> };
    expect(description.salesforce).toMatchObject({ loginUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+/), apiVersion: expect.any(String) });
    expect(description.salesforce.clientId).toEqual(expect.any(String));
    expect(description.salesforce.clientSecret).toEqual(expect.any(String));
    child.kill('SIGTERM');
    const [exitCode, signal] = await exited;
    expect(signal, stderr).toBeNull();
    expect(exitCode, stderr).toBe(0);
  });
});
