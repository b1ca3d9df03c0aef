import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/start.js';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/command.js';
import { sandboxConfigInput, type SandboxEndpoints } from '../../src/demo/sandboxBridge.js';

let sandbox: RunningSandbox;
let dir: string;
let configFile: string;
let env: NodeJS.ProcessEnv;

function io(): CliIo & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    env,
    stdout(text: string) {
      captured.out += text;
    },
    stderr(text: string) {
      captured.err += text;
    },
  };
  return captured;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'mlc-cli-'));
  const endpoints = sandbox.description as unknown as SandboxEndpoints;
  configFile = join(dir, 'bridge.json');
  const input = sandboxConfigInput(endpoints, { storeFile: join(dir, 'bridge.sqlite') });
  delete (input.connections as Array<{ salesforce: Record<string, unknown> }>)[0]!.salesforce.pubsub;
  await writeFile(configFile, JSON.stringify(input));
  env = { LOG_LEVEL: 'warn' };
});

afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

describe('CLI commands against the sandbox', () => {
  it('ping passes every check of a good connection and names the fix for a bad secret', async () => {
    const good = io();
    expect(await main(['ping', '--config', configFile], good), good.err).toBe(0);
    expect(good.out).toMatch(/PASS .*Salesforce login/);
    expect(good.out).toMatch(/PASS .*QAD sign-in/);
    expect(good.out).not.toContain('FAIL');

    const badFile = join(dir, 'bad.json');
    const input = JSON.parse(JSON.stringify(sandboxConfigInput(sandbox.description as unknown as SandboxEndpoints, { storeFile: join(dir, 'bad.sqlite') })));
    input.connections[0].salesforce.clientSecret = 'not-the-secret';
    delete input.connections[0].salesforce.pubsub;
    await writeFile(badFile, JSON.stringify(input));
    const bad = io();
    expect(await main(['ping', '--config', badFile, '--json'], bad)).toBe(1);
    const checks = JSON.parse(bad.out) as Array<{ check: string; ok: boolean; fix?: string; detail: string }>;
    const login = checks.find((c) => c.check.startsWith('Salesforce login'))!;
    expect(login.ok).toBe(false);
    expect(login.fix).toBeTruthy();
    expect(login.detail).not.toContain('not-the-secret');
    expect(checks.find((c) => c.check.startsWith('QAD sign-in'))!.ok).toBe(true);
  });

  it('sync --once syncs everything, a second run finds nothing, backfill re-reads all and writes nothing new, connections shows the jobs', async () => {
    const first = io();
    expect(await main(['sync', '--once', '--config', configFile], first), first.err).toBe(0);
    const r1 = JSON.parse(first.out).sandbox as { qadRead: number; queued: number; processed: number; pending: number };
    expect(r1.queued).toBeGreaterThan(0);
    expect(r1.processed).toBe(r1.queued);
    expect(r1.pending).toBe(0);
    const accounts = sandbox.org.control.query('SELECT Id FROM Account WHERE QAD_Id__c != null').length;
    expect(accounts).toBeGreaterThan(0);

    const second = io();
    expect(await main(['sync', '--once', '--config', configFile], second)).toBe(0);
    expect(JSON.parse(second.out).sandbox.queued).toBe(0);

    const backfill = io();
    expect(await main(['backfill', '--config', configFile], backfill), backfill.err).toBe(0);
    const b = JSON.parse(backfill.out).sandbox as { qadRead: number; queued: number };
    expect(b.queued).toBe(b.qadRead);
    expect(sandbox.org.control.query('SELECT Id FROM Account WHERE QAD_Id__c != null').length).toBe(accounts);

    const list = io();
    expect(await main(['connections', '--config', configFile, '--json'], list)).toBe(0);
    const [row] = JSON.parse(list.out) as Array<{ id: string; jobs: Record<string, number>; credentials: string[]; lastQadPoll: string | null }>;
    expect(row!.id).toBe('sandbox');
    expect(row!.jobs.succeeded).toBeGreaterThan(0);
    expect(row!.credentials.sort()).toEqual(['qad.password', 'salesforce.clientSecret']);
    expect(row!.lastQadPoll).toBeTruthy();
    expect(list.out).not.toContain((sandbox.description as unknown as SandboxEndpoints).salesforce.clientSecret);
  });

  it('replay <eventId> re-runs an audited attempt and links the new one to it', async () => {
    const sync = io();
    expect(await main(['sync', '--once', '--config', configFile], sync)).toBe(0);
    const row = sandbox.org.control.query<{ Id: string; Bridge_Event_Id__c: string }>("SELECT Id, Bridge_Event_Id__c FROM Sync_Audit__c WHERE Object__c = 'Account' ORDER BY Name LIMIT 1")[0]!;
    const replay = io();
    expect(await main(['replay', row.Bridge_Event_Id__c, '--config', configFile, '--requested-by', sandbox.org.integrationUserId], replay), replay.err).toBe(0);
    const outcome = JSON.parse(replay.out) as { replayOf: string; auditEventId: string; status: string };
    expect(outcome.replayOf).toBe(row.Bridge_Event_Id__c);
    // the content is already in Salesforce: the replay is recorded, and skipped without a write
    expect(outcome.status).toBe('Skipped');
    const linked = sandbox.org.control.query<{ Bridge_Event_Id__c: string }>(`SELECT Bridge_Event_Id__c FROM Sync_Audit__c WHERE Replay_Of__c = '${row.Id}'`);
    expect(linked.map((l) => l.Bridge_Event_Id__c)).toEqual([outcome.auditEventId]);
    expect(sandbox.org.control.query<{ Status__c: string }>(`SELECT Status__c FROM Sync_Audit__c WHERE Id = '${row.Id}'`)[0]!.Status__c).toBe('Replayed');

    const unknown = io();
    expect(await main(['replay', '999999.1.abcdef01', '--config', configFile], unknown)).toBe(1);
    expect(unknown.err).toContain('BRIDGE_ERR_NOT_FOUND');
  });

  it('refuses sync without --once and a missing config file, naming the fix', async () => {
    const noOnce = io();
    expect(await main(['sync', '--config', configFile], noOnce)).toBe(2);
    expect(noOnce.err).toContain('--once');
    const missing = io();
    expect(await main(['connections', '--config', join(dir, 'nope.json')], missing)).toBe(1);
    expect(missing.err).toContain('nope.json');
  });
});
