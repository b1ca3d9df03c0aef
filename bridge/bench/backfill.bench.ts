/**
 * The bridge's own `ml-connector backfill` command, run as a child process against the sandbox
 * with every Salesforce and QAD call delayed by BENCH_BACKFILL_LATENCY_MS (default 40 ms), over
 * QAD tenants of each size in BENCH_BACKFILL_SIZES (comma separated, default "10000,100000"; the
 * 1,000,000 run: BENCH_BACKFILL_SIZES=1000000 npm run bench -- --only backfill). For each size it
 * reports records, seconds, records/s, Salesforce calls per record (the org's own counters), the
 * child's peak RSS (the kernel's high-water mark, VmHWM), and the rate of a naive loop (one
 * upsert and one audit insert per record, one after the other) measured in the same run, with the
 * ratio between the two. It then checks the outcome from the sandboxes: every customer is one
 * Account, every Account has a Succeeded audit row in Sync_Audit__c.
 *
 * Then the incremental pass: BENCH_BACKFILL_CHANGED records (default 2,000) are changed in QAD and
 * one `sync --once` runs (calls per changed record), then another with nothing changed (its data
 * and audit writes, which must be none).
 *
 * With BENCH_BACKFILL_KILL_EVERY_MS set (e.g. 20000), each size is instead run under a killer:
 * the child is SIGKILLed at that interval and started again until a run finishes; the result adds
 * the number of kills, and the outcome checks (no Account twice, none missing) still apply.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { startSandbox, type RunningSandbox } from '../sandbox/start.js';
import { SalesforceClient } from '../src/clients/salesforce/index.js';
import { sandboxConfigInput, type SandboxEndpoints } from '../src/demo/sandboxBridge.js';
import { countersDelta, totalCalls, type Counters } from './lib/counters.js';
import { progress, runBenchmark } from './lib/output.js';
import { seedWithCustomers } from './lib/qadRig.js';
import { perSecond, ratio } from './lib/stats.js';

const BIN = resolve(import.meta.dirname, '../bin/ml-connector.js');
const sizes = (process.env.BENCH_BACKFILL_SIZES ?? '10000,100000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const latencyMs = Number(process.env.BENCH_BACKFILL_LATENCY_MS ?? 40);
const changedCount = Number(process.env.BENCH_BACKFILL_CHANGED ?? 2_000);
const killEveryMs = Number(process.env.BENCH_BACKFILL_KILL_EVERY_MS ?? 0);
/** node flags for the bridge process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it */
const CHILD_NODE_ARGS = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean);
const NAIVE_SAMPLE = Number(process.env.BENCH_BACKFILL_NAIVE_RECORDS ?? 200);

/** Salesforce calls by kind; `faults` marks requests already counted under their own kind */
function orgCounters(sandbox: RunningSandbox): Counters {
  const { faults: _faults, ...byKind } = sandbox.org.control.counters();
  return byKind;
}

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  peakRssMb: number;
  stdout: string;
  stderr: string;
}

/** the kernel's high-water mark of the process's resident set, which a sampler cannot miss */
function peakRssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return line ? Math.round(Number(line.replace(/\D+/g, '')) / 1024) : 0;
  } catch {
    return 0;
  }
}

function runChild(args: string[], env: NodeJS.ProcessEnv, killAfterMs = 0): Promise<ChildRun> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [...CHILD_NODE_ARGS, BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
    const sampler = setInterval(() => (peak = Math.max(peak, peakRssMb(child.pid!))), 100);
    const killer = killAfterMs > 0 ? setTimeout(() => child.kill('SIGKILL'), killAfterMs) : null;
    child.on('exit', (code, signal) => {
      clearInterval(sampler);
      if (killer) clearTimeout(killer);
      resolvePromise({ code, signal, peakRssMb: peak, stdout, stderr });
    });
  });
}

/** The baseline: what a script would do, one upsert by External ID and one audit insert per record. */
async function naiveRate(sandbox: RunningSandbox, endpoints: SandboxEndpoints, count: number): Promise<number> {
  const client = new SalesforceClient({ loginUrl: endpoints.salesforce.loginUrl, clientId: endpoints.salesforce.clientId, clientSecret: endpoints.salesforce.clientSecret, apiVersion: endpoints.salesforce.apiVersion, sandboxMode: true });
  try {
    await client.login();
    const started = performance.now();
    for (let i = 0; i < count; i += 1) {
      const token = await client.getAccessToken();
      const base = `${client.identity.instanceUrl}/services/data/v${client.apiVersion}`;
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'sforce-call-options': 'client=ml-connector' };
      const key = `NAIVE|N${String(i).padStart(7, '0')}`;
      const upsert = await request(`${base}/sobjects/Account/QAD_Id__c/${encodeURIComponent(key)}`, { method: 'PATCH', headers, body: JSON.stringify({ Name: `Naive ${i}` }) });
      await upsert.body.text();
      if (upsert.statusCode >= 300) throw new Error(`naive upsert answered ${upsert.statusCode}`);
      const audit = await request(`${base}/sobjects/Sync_Audit__c`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ Bridge_Event_Id__c: `naive-${i}`, Connection_Id__c: 'naive', Direction__c: 'QAD to Salesforce', Object__c: 'Account', Operation__c: 'Upsert', Status__c: 'Succeeded', Source_Id__c: key, Correlation_Id__c: `naive-${i}`, Attempt__c: 1, Occurred_At__c: new Date().toISOString() }),
      });
      await audit.body.text();
      if (audit.statusCode >= 300) throw new Error(`naive audit insert answered ${audit.statusCode}`);
    }
    return perSecond(count, performance.now() - started);
  } finally {
    await client.close();
  }
}

async function runSize(size: number): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'mlc-backfill-'));
  progress(`backfill: seeding ${size} QAD customers`);
  const seed = await seedWithCustomers(size, { startAt: Date.parse('2026-01-01T00:00:00Z'), perStamp: 1000 });
  const sandbox = await startSandbox({ seed: { qad: seed }, salesforce: { dailyApiRequests: 50_000_000 } });
  try {
    sandbox.qad.control.setLatency(latencyMs);
    sandbox.org.control.addFault({ kind: 'latency', latencyMs });
    sandbox.org.control.addFault({ kind: 'latency', latencyMs, pathPrefix: '/services/oauth2' });
    const endpoints = sandbox.description as unknown as SandboxEndpoints;
    const file = join(dir, 'bridge.json');
    const input = sandboxConfigInput(endpoints, { storeFile: join(dir, 'bridge.sqlite') });
    // the benchmark measures the QAD → Salesforce path; no change-event subscription is needed
    const connection = (input.connections as Array<Record<string, any>>)[0]!;
    delete connection.salesforce.pubsub;
    await writeFile(file, JSON.stringify(input));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: process.env.BENCH_CHILD_LOG_LEVEL ?? 'warn',
      ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}),
    };

    const expectedKeys = new Set<string>([...seed.customers.map((c) => `${c.sharedSet}|${c.code}`), ...seed.suppliers.map((s) => `${s.sharedSet}|${s.code}`)]);
    const before = orgCounters(sandbox);
    progress(`backfill: ${size} customers, ${latencyMs} ms per call${killEveryMs > 0 ? `, killed every ${killEveryMs} ms` : ''}`);
    const started = performance.now();
    let kills = 0;
    let run: ChildRun;
    let peak = 0;
    for (;;) {
      run = await runChild(['backfill', '--config', file], env, killEveryMs);
      peak = Math.max(peak, run.peakRssMb);
      if (run.signal === 'SIGKILL') {
        kills += 1;
        progress(`backfill: killed (${kills}), starting again`);
        continue;
      }
      break;
    }
    const elapsedMs = performance.now() - started;
    if (process.env.BENCH_BACKFILL_DEBUG) progress(`backfill output:\n${run.stdout.slice(-30_000)}\n${run.stderr}`);
    if (run.code !== 0) throw new Error(`backfill exited ${run.code}: ${run.stderr.slice(-2000)}`);
    const calls = countersDelta(before, orgCounters(sandbox));
    const salesforceCalls = totalCalls(calls);

    // the outcome, counted from the org
    const accounts = sandbox.org.control.query<{ QAD_Id__c: string }>('SELECT QAD_Id__c FROM Account');
    const seen = new Set(accounts.map((a) => a.QAD_Id__c));
    const missing = [...expectedKeys].filter((key) => !seen.has(key)).length;
    const duplicated = accounts.length - seen.size;
    const audited = new Set(sandbox.org.control.query<{ Source_Id__c: string }>("SELECT Source_Id__c FROM Sync_Audit__c WHERE Object__c = 'Account' AND Status__c = 'Succeeded'").map((r) => r.Source_Id__c));
    const unaudited = [...expectedKeys].filter((key) => !audited.has(key)).length;
    if (missing > 0 || duplicated > 0 || unaudited > 0) throw new Error(`after the backfill: ${missing} Accounts missing, ${duplicated} duplicated, ${unaudited} without a Succeeded audit row`);

    // incremental: change some, one pass; then a pass with nothing changed
    const changed = Math.min(changedCount, size);
    sandbox.qad.control.editRecords('customers', changed);
    const beforeIncremental = orgCounters(sandbox);
    const auditRows = (): number => sandbox.org.control.query<{ Id: string }>('SELECT Id FROM Sync_Audit__c').length;
    const auditBefore = auditRows();
    const incremental = await runChild(['sync', '--once', '--config', file], env);
    if (incremental.code !== 0) throw new Error(`sync --once exited ${incremental.code}: ${incremental.stderr.slice(-2000)}`);
    const incrementalCalls = countersDelta(beforeIncremental, orgCounters(sandbox));
    const beforeIdle = orgCounters(sandbox);
    const auditBeforeIdle = auditRows();
    const auditIdsBeforeIdle = new Set(sandbox.org.control.query<{ Id: string }>('SELECT Id FROM Sync_Audit__c').map((r) => r.Id));
    // data records the idle pass writes: any record that is new or whose SystemModstamp moved
    const stamps = (object: string): Map<string, string> => new Map(sandbox.org.control.query<{ Id: string; SystemModstamp: string }>(`SELECT Id, SystemModstamp FROM ${object}`).map((r) => [r.Id, r.SystemModstamp]));
    const dataObjects = ['Account', 'Product2', 'Contact', 'PricebookEntry'];
    const stampsBeforeIdle = new Map(dataObjects.map((object) => [object, stamps(object)]));
    const idle = await runChild(['sync', '--once', '--config', file], env);
    if (idle.code !== 0) throw new Error(`idle sync --once exited ${idle.code}: ${idle.stderr.slice(-2000)}`);
    const idleCalls = countersDelta(beforeIdle, orgCounters(sandbox));
    if (process.env.BENCH_BACKFILL_DEBUG) progress(`incremental: ${incremental.stdout.trim()}\nidle: ${idle.stdout.trim()}`);
    const idleAudit = sandbox.org.control
      .query<{ Id: string; Status__c: string; Object__c: string; Direction__c: string }>('SELECT Id, Status__c, Object__c, Direction__c FROM Sync_Audit__c')
      .filter((r) => !auditIdsBeforeIdle.has(r.Id))
      .reduce<Record<string, number>>((acc, r) => ({ ...acc, [`${r.Object__c} ${r.Status__c}`]: (acc[`${r.Object__c} ${r.Status__c}`] ?? 0) + 1 }), {});
    const dataWrites = Object.fromEntries(
      dataObjects.map((object) => {
        const before = stampsBeforeIdle.get(object)!;
        return [object, [...stamps(object)].filter(([id, stamp]) => before.get(id) !== stamp).length];
      }),
    );

    const idleAuditRowsAdded = auditRows() - auditBeforeIdle;
    const naive = await naiveRate(sandbox, endpoints, NAIVE_SAMPLE);
    const rate = perSecond(size, elapsedMs);
    return {
      records: size,
      seconds: Math.round(elapsedMs / 100) / 10,
      recordsPerSecond: rate,
      salesforceCallsPerRecord: ratio(salesforceCalls, size, 5),
      salesforceCalls,
      callsByKind: calls,
      peakRssMb: peak,
      naiveRecordsPerSecond: naive,
      ratio: ratio(rate, naive, 1),
      ...(killEveryMs > 0 ? { kills } : {}),
      outcome: { accounts: seen.size, missing, duplicated, unaudited },
      incremental: {
        changed,
        salesforceCalls: totalCalls(incrementalCalls),
        salesforceCallsPerChangedRecord: ratio(totalCalls(incrementalCalls), changed, 4),
        auditRowsAdded: auditBeforeIdle - auditBefore,
        callsByKind: incrementalCalls,
      },
      idlePass: { salesforceCalls: totalCalls(idleCalls), callsByKind: idleCalls, dataRecordsWritten: dataWrites, auditRowsAdded: idleAuditRowsAdded, auditRowsByObjectAndStatus: idleAudit },
    };
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}

runBenchmark('backfill', async () => {
  const results: Record<string, unknown> = {};
  for (const size of sizes) results[String(size)] = await runSize(size);
  return { latencyMs, sizes: results };
});
