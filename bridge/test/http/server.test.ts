import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/serveUntilSignal.ts');

describe.each(['SIGTERM', 'SIGINT'] as const)('server on %s', (signal) => {
  it('stops accepting, stops the engine (releasing its jobs), then closes the store, and exits 0', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlc-signal-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      let errors = '';
      child.stderr.on('data', (chunk) => (errors += String(chunk)));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          output += String(chunk);
          const match = /listening (http:\/\/\S+)/.exec(output);
          if (match) resolve(match[1] as string);
        });
        child.once('exit', (code) => reject(new Error(`exited early (${code}): ${errors}`)));
      });
      expect((await fetch(`${url}/health`)).status).toBe(200);

      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      expect(await exited).toBe(0);
      const steps = output.split('\n').filter((line) => /engine stopped|store destroyed/.test(line));
      expect(steps).toEqual([expect.stringMatching(/^engine stopped, released 1 /), 'store destroyed']);

      const store = await openStore({ file: path.join(dir, 'bridge.sqlite') });
      expect((await store.jobs.counts()).queued).toBe(1);
      await store.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
