import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedQadTenant, type SimulatedQadTenant } from '../../sandbox/qad/index.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/start.js';
import { sandboxConfigInput, type SandboxEndpoints } from '../../src/demo/sandboxBridge.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/ml-connector.js');
const API_TOKEN = 'sandbox-api-token-not-secret';

interface StartView {
  id: string;
  runtime: { running: boolean; lastQadPollAt: string | null; start?: { state: string; error: string | null; attempts: number } } | null;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 90_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Issue 10: `ml-connector start` exited when one QAD tenant was down or refused the login, taking
 * the healthy connections with it, and did not say which. Three connections over real sockets: one
 * healthy, one whose tenant refuses the login, one whose tenant is down until the test brings it up.
 */
describe('ml-connector start with one QAD tenant down and one refusing the login', () => {
  let sandbox: RunningSandbox;
  let downTenant: SimulatedQadTenant;
  let dir: string;
  let child: ChildProcess;
  let stderr = '';
  let url: string;

  const connections = async (): Promise<Map<string, StartView>> => {
    const answer = await fetch(`${url}/v1/connections`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    const body = (await answer.json()) as { connections: StartView[] };
    return new Map(body.connections.map((c) => [c.id, c]));
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    downTenant = await startSimulatedQadTenant({ port: 0 });
    // down for longer than the test: it comes back only when the test restarts it
    await downTenant.control.crash({ downForMs: 600_000 });
    dir = await mkdtemp(path.join(tmpdir(), 'mlc-isolation-'));
    const input = sandboxConfigInput(sandbox.description as unknown as SandboxEndpoints, { storeFile: path.join(dir, 'bridge.sqlite') }) as { connections: Array<Record<string, any>> };
    const healthy = input.connections[0]!;
    delete healthy.salesforce.pubsub;
    healthy.id = 'healthy';
    const refused = structuredClone(healthy);
    refused.id = 'refused';
    refused.name = 'Login refused';
    refused.qad.password = 'not-the-password';
    const late = structuredClone(healthy);
    late.id = 'late';
    late.name = 'Tenant down at start';
    late.qad.baseUrl = downTenant.description.baseUrl;
    input.connections = [refused, late, healthy];
    const configFile = path.join(dir, 'bridge.json');
    await writeFile(configFile, JSON.stringify(input));
    child = spawn(process.execPath, [BIN, 'start', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info', ML_CONNECTOR_API_TOKEN: API_TOKEN } });
    child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk) => {
        out += String(chunk);
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve((JSON.parse(line) as { url: string }).url);
      });
      child.once('exit', (code) => reject(new Error(`ml-connector start exited (${code}):\n${stderr.slice(-3000)}`)));
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await downTenant?.close();
    await sandbox?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps running and runs the healthy connection', async () => {
    const healthy = await waitFor('the healthy connection to poll QAD', async () => {
      const view = (await connections()).get('healthy');
      return view?.runtime?.lastQadPollAt ? view : undefined;
    });
    expect(healthy.runtime).toMatchObject({ running: true, start: { state: 'running' } });
    expect(child.exitCode).toBeNull();
  });

  it('shows the failing connections by name, with the reason, in /v1/connections and /ready', async () => {
    const views = await connections();
    expect(views.get('refused')?.runtime).toMatchObject({ running: false, start: { state: 'failing' } });
    expect(views.get('refused')?.runtime?.start?.error).toMatch(/^connection refused: .*\[QAD_ERR_AUTH_FAILED\].*Fix: /);
    expect(views.get('late')?.runtime?.start?.error).toMatch(/^connection late: .*\[QAD_ERR_TRANSPORT\]/);
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { failing: Array<{ connectionId: string; error: string }> };
    expect(body.failing.map((f) => f.connectionId).sort()).toEqual(['late', 'refused']);
    expect(stderr).toMatch(/connection refused: .*QAD_ERR_AUTH_FAILED.*trying again in/);
    expect(stderr).not.toContain('not-the-password');
  });

  it('retries with backoff and starts the connection once its tenant is up', async () => {
    expect((await connections()).get('late')!.runtime!.start!.state).toBe('failing');
    await downTenant.control.restart();
    const late = await waitFor('the late connection to start', async () => {
      const view = (await connections()).get('late');
      return view?.runtime?.start?.state === 'running' ? view : undefined;
    });
    // started by a later attempt than the first, which failed (an attempt may be under way when the tenant returns)
    expect(late.runtime!.start!.attempts).toBeGreaterThanOrEqual(2);
    expect(late.runtime!.start!.error).toBeNull();
    expect((await connections()).get('refused')?.runtime?.start?.state).toBe('failing');
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
