import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimInstanceId, ENV_INSTANCE_ID, establishInstanceId, instanceId, resetInstanceIdForTests } from '../../src/lib/instanceId.js';

describe('instance identity', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mlc-instance-'));
  });
  afterEach(() => {
    resetInstanceIdForTests();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is ML_CONNECTOR_INSTANCE_ID when set, and touches no file then', () => {
    const identity = claimInstanceId({ dir, env: { [ENV_INSTANCE_ID]: 'bridge-a' } });
    expect(identity).toMatchObject({ id: 'bridge-a', source: 'env' });
    expect(existsSync(path.join(dir, 'instance-0.pid'))).toBe(false);
  });

  it('refuses a variable that is not a usable name, naming the variable and the fix', () => {
    for (const bad of ['has space', '-leading-dash', 'x'.repeat(101), 'tab\there']) {
      expect(() => claimInstanceId({ dir, env: { [ENV_INSTANCE_ID]: bad } })).toThrowError(/ML_CONNECTOR_INSTANCE_ID must be .*Fix: /);
    }
  });

  it('is the same after a restart, including after a crash that left its slot held by a dead process', () => {
    const first = claimInstanceId({ dir, env: {}, pid: 1111, isAlive: () => true, hostname: 'host-a' });
    expect(first.source).toBe('slot');
    expect(first.id).toMatch(/^host-a\/[0-9a-f]{12}$/);
    first.release();
    const afterCleanStop = claimInstanceId({ dir, env: {}, pid: 2222, isAlive: () => true, hostname: 'host-a' });
    expect(afterCleanStop.id).toBe(first.id);
    // killed: the slot still names pid 2222, which is gone now
    const afterCrash = claimInstanceId({ dir, env: {}, pid: 3333, isAlive: (pid) => pid !== 2222, hostname: 'host-a' });
    expect(afterCrash.id).toBe(first.id);
    expect(readFileSync(path.join(dir, 'instance-0.pid'), 'utf8').trim()).toBe('3333');
  });

  it('takes its slot back when a restarted container gets the same pid', () => {
    const before = claimInstanceId({ dir, env: {}, pid: 1, isAlive: () => true });
    const again = claimInstanceId({ dir, env: {}, pid: 1, isAlive: () => true });
    expect(again.id).toBe(before.id);
  });

  it('differs between two instances running at once on one host and one data folder', () => {
    const a = claimInstanceId({ dir, env: {}, pid: 4001, isAlive: () => true });
    const b = claimInstanceId({ dir, env: {}, pid: 4002, isAlive: () => true });
    expect(b.id).not.toBe(a.id);
    expect([a.slot, b.slot]).toEqual([0, 1]);
    // each keeps its own identity across restarts
    a.release();
    b.release();
    expect(claimInstanceId({ dir, env: {}, pid: 4003, isAlive: () => true }).id).toBe(a.id);
    expect(claimInstanceId({ dir, env: {}, pid: 4004, isAlive: () => true }).id).toBe(b.id);
  });

  it('differs between two real processes started together on one data folder', async () => {
    const script = `
      const { claimInstanceId } = await import(${JSON.stringify(path.resolve(__dirname, '../../src/lib/instanceId.ts'))});
      const identity = claimInstanceId({ dir: ${JSON.stringify(dir)}, env: {} });
      process.stdout.write(identity.id + '\\n');
      await new Promise((resolve) => process.stdin.once('data', resolve));
      identity.release();
    `;
    const children = [0, 1].map(() => spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] }));
    const ids = await Promise.all(
      children.map(
        (child) =>
          new Promise<string>((resolve, reject) => {
            let out = '';
            child.stdout.on('data', (chunk: Buffer) => {
              out += String(chunk);
              if (out.includes('\n')) resolve(out.trim());
            });
            child.once('exit', (code) => reject(new Error(`child exited ${code} before answering`)));
          }),
      ),
    );
    for (const child of children) child.stdin.end('done\n');
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))));
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids.every((id) => /\/[0-9a-f]{12}$/.test(id))).toBe(true);
  });

  it('is established once per process and answered from then on', () => {
    writeFileSync(path.join(dir, 'instance-0.id'), 'kept-from-before/abc\n');
    const identity = establishInstanceId({ dir, env: {} });
    expect(identity.id).toBe('kept-from-before/abc');
    expect(instanceId({})).toBe('kept-from-before/abc');
    expect(establishInstanceId({ dir: path.join(dir, 'other'), env: {} }).id).toBe('kept-from-before/abc');
  });

  it('without an established identity is the variable, else unique to the process', () => {
    expect(instanceId({ [ENV_INSTANCE_ID]: 'from-env' })).toBe('from-env');
    const own = instanceId({});
    expect(own).toMatch(new RegExp(`/p${process.pid}-[0-9a-f]{8}$`));
    expect(instanceId({})).toBe(own);
  });
});
