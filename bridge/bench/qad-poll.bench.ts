/**
 * QAD change detection with the bridge's QAD client against the simulated tenant: a full poll of
 * N customers, then 1 % of them are edited and an incremental poll finds them. Three set-ups:
 * Adaptive REST with the profile's modified-date watermark, the same profile forced to content-hash
 * mode (no modified-date column), and QXtend EE, which has no watermark and always hashes.
 * Reports records/s, tenant calls by kind (the tenant's own counters), calls per record, how many
 * records each poll scanned and returned, and the incremental/full and watermark/hash ratios.
 * Sizes: BENCH_QAD_CUSTOMERS (default 10,000), BENCH_QAD_CHANGED_PERCENT (default 1).
 */
import { performance } from 'node:perf_hooks';
import { loadQadProfile, withOverrides, type QadClient, type QadProfile } from '../src/clients/qad/index.js';
import { countersDelta, totalCalls, type Counters } from './lib/counters.js';
import { MemorySampler } from './lib/memory.js';
import { readSize } from './lib/options.js';
import { progress, runBenchmark } from './lib/output.js';
import { qadCallCounters, seedWithCustomers, startQadRig } from './lib/qadRig.js';
import { perSecond, ratio } from './lib/stats.js';

const customers = readSize({ flag: 'customers', env: 'BENCH_QAD_CUSTOMERS', fallback: 10_000, min: 100 });
const WARM_UP_CUSTOMERS = 1_000;
const changedPercent = readSize({ flag: 'changed-percent', env: 'BENCH_QAD_CHANGED_PERCENT', fallback: 1 });

interface PollRun {
  mode: 'watermark' | 'hash';
  scanned: number;
  changed: number;
  elapsedMs: number;
  scannedPerSecond: number;
  calls: number;
  callsPerScannedRecord: number;
  callsPerChangedRecord: number;
  callsByKind: Counters;
}

interface Setup {
  full: PollRun;
  incremental: PollRun;
  ratios: { incrementalVsFullElapsed: number | null; incrementalVsFullCalls: number | null };
}

async function poll(client: QadClient, counters: () => Counters, cursor: string | null): Promise<{ run: PollRun; cursor: string | null }> {
  const before = counters();
  const started = performance.now();
  const changes = client.pollChanges('customer', { cursor });
  let returned = 0;
  for await (const page of changes) returned += page.length;
  const result = await changes.finish();
  const elapsedMs = performance.now() - started;
  if (result.changed !== returned) throw new Error(`poll reported ${result.changed} changed but yielded ${returned}`);
  const callsByKind = countersDelta(before, counters());
  const calls = totalCalls(callsByKind);
  return {
    cursor: result.cursor,
    run: {
      mode: changes.mode,
      scanned: result.scanned,
      changed: result.changed,
      elapsedMs: Math.round(elapsedMs),
      scannedPerSecond: perSecond(result.scanned, elapsedMs),
      calls,
      callsPerScannedRecord: ratio(calls, result.scanned, 4) ?? 0,
      callsPerChangedRecord: ratio(calls, result.changed, 4) ?? 0,
      callsByKind,
    },
  };
}

async function measure(label: string, profile: QadProfile, memory: MemorySampler, customers: number): Promise<Setup> {
  const edited = Math.max(1, Math.round((customers * changedPercent) / 100));
    const seed = await seedWithCustomers(customers, { startAt: Date.now() - 24 * 60 * 60 * 1000 });
  const rig = await startQadRig(profile, seed);
  try {
    const counters = () => qadCallCounters(rig.tenant);
    progress(`${label}: full poll of ${customers} customers`);
    const full = await poll(rig.client, counters, null);
    memory.sample();
    if (full.run.changed !== customers) throw new Error(`${label}: the full poll returned ${full.run.changed} of ${customers} customers`);
    // the edits must land after the watermark, as a user's edit a minute later would
    rig.tenant.control.advanceClock(60_000);
    const keys = rig.tenant.control.editRecords('customers', edited, { bumpModifiedDate: true });
    progress(`${label}: incremental poll after editing ${keys.length} customers`);
    const incremental = await poll(rig.client, counters, full.cursor);
    memory.sample();
    if (incremental.run.changed !== edited) throw new Error(`${label}: the incremental poll returned ${incremental.run.changed} customers, ${edited} were edited`);
    return {
      full: full.run,
      incremental: incremental.run,
      ratios: {
        incrementalVsFullElapsed: ratio(incremental.run.elapsedMs, full.run.elapsedMs),
        incrementalVsFullCalls: ratio(incremental.run.calls, full.run.calls),
      },
    };
  } finally {
    await rig.close();
  }
}

runBenchmark('qad-poll', async () => {
  const memory = new MemorySampler().start();
  const adaptive = await loadQadProfile('adaptive-rest');
  if (adaptive.flavour === 'qxtend-soap') throw new Error('adaptive-rest is expected to be a REST profile');
  const adaptiveHash = withOverrides(adaptive, (draft) => {
    if (draft.flavour === 'qxtend-soap') return;
    const browse = draft.objects.customer?.browse as { modifiedDateColumn: string | null } | undefined;
    if (browse) browse.modifiedDateColumn = null;
  });
  const qxtendProfile = await loadQadProfile('qxtend-ee');
  // The first set-up measured would otherwise also pay for compiling the client's hot paths.
  for (const profile of [adaptive, qxtendProfile]) await measure(`warm-up ${profile.name}`, profile, memory, Math.min(WARM_UP_CUSTOMERS, customers));
  const watermark = await measure('adaptive-rest (watermark)', adaptive, memory, customers);
  const hash = await measure('adaptive-rest (hash)', adaptiveHash, memory, customers);
  const qxtend = await measure('qxtend-ee (hash)', qxtendProfile, memory, customers);
  if (watermark.full.mode !== 'watermark' || hash.full.mode !== 'hash' || qxtend.full.mode !== 'hash') {
    throw new Error(`unexpected change-detection modes: ${watermark.full.mode}, ${hash.full.mode}, ${qxtend.full.mode}`);
  }
  return {
    customers,
    editedCustomers: watermark.incremental.changed,
    adaptiveRestWatermark: watermark,
    adaptiveRestHash: hash,
    qxtendEeHash: qxtend,
    ratios: {
      incrementalWatermarkVsHashElapsed: ratio(watermark.incremental.elapsedMs, hash.incremental.elapsedMs),
      incrementalWatermarkVsHashCalls: ratio(watermark.incremental.calls, hash.incremental.calls),
      fullQxtendVsRestElapsed: ratio(qxtend.full.elapsedMs, watermark.full.elapsedMs),
    },
    memory: memory.stop(),
  };
});
