/**
 * The whole bridge against the whole sandbox, composed the way `ml-connector demo` composes it
 * (composition root, SQLite in a temporary folder, Pub/Sub over TLS):
 *  1. the initial QAD -> Salesforce sync of the demo-size data (customers and suppliers as
 *     Accounts, items as priced Product2, contacts): records/s, Salesforce and QAD calls per record
 *     from the sandboxes' own counters, heap and RSS peak;
 *  2. Orders activated in Salesforce one at a time, each reaching QAD as a sales order and getting
 *     its QAD number written back: latency p50/p95/p99 from activation to the order in QAD and to
 *     the number on the Salesforce Order, and calls per order;
 *  3. Accounts edited in Salesforce one at a time: latency from the edit to the QAD customer.
 * Phases 2 and 3 run with BENCH_E2E_QAD_LATENCY_MS (default 20) added to every QAD call.
 * Sizes: BENCH_E2E_SCALE (percent of the demo's data, default 100), BENCH_E2E_ORDERS (default 50),
 * BENCH_E2E_LINES (lines per order, default 3), BENCH_E2E_ACCOUNT_EDITS (default 50),
 * BENCH_E2E_ORDER_GAP_MS (pause between two activations or edits, default 100).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSandbox, type RunningSandbox } from '../sandbox/start.js';
import { loadQadProfile, salesOrderNumberFor } from '../src/clients/qad/index.js';
import { composeSandboxBridge, SANDBOX_CONNECTION_ID, type SandboxEndpoints } from '../src/demo/sandboxBridge.js';
import { accountKeys, demoQadSeed, DEMO_SIZE, type DemoSize } from '../src/demo/seedData.js';
import { readWorld } from '../src/demo/world.js';
import { silentLogger } from '../src/logger.js';
import type { ComposedBridge } from '../src/sync/compose.js';
import { countersDelta, totalCalls, type Counters } from './lib/counters.js';
import { MemorySampler } from './lib/memory.js';
import { readSize } from './lib/options.js';
import { progress, runBenchmark } from './lib/output.js';
import { qadCallCounters } from './lib/qadRig.js';
import { perSecond, ratio, summarizeLatency } from './lib/stats.js';

const scalePercent = readSize({ flag: 'scale', env: 'BENCH_E2E_SCALE', fallback: 100 });
const orderCount = readSize({ flag: 'orders', env: 'BENCH_E2E_ORDERS', fallback: 50 });
const orderGapMs = readSize({ flag: 'order-gap-ms', env: 'BENCH_E2E_ORDER_GAP_MS', fallback: 100, min: 0 });
const linesPerOrder = readSize({ flag: 'lines', env: 'BENCH_E2E_LINES', fallback: 3 });
const accountEdits = readSize({ flag: 'account-edits', env: 'BENCH_E2E_ACCOUNT_EDITS', fallback: 50, min: 0 });
// the latency phases run with every QAD call this much slower, as a tenant across a network would be
const qadLatencyMs = readSize({ flag: 'qad-latency-ms', env: 'BENCH_E2E_QAD_LATENCY_MS', fallback: 20, min: 0 });
const PHASE_TIMEOUT_MS = 120_000;
const WATCH_INTERVAL_MS = 10;

function scaled(size: DemoSize, percent: number): DemoSize {
  const part = (n: number, least: number) => Math.max(least, Math.round((n * percent) / 100));
  const suppliers = part(size.suppliers, 2);
  return {
    customers: part(size.customers, 2),
    suppliers,
    suppliersAlsoCustomers: Math.min(part(size.suppliersAlsoCustomers, 1), suppliers - 1),
    items: part(size.items, 2),
    contacts: part(size.contacts, 1),
    orders: orderCount,
    linesPerOrder,
    accountEdits: 0,
  };
}

/** Salesforce calls by kind; `faults` marks requests already counted under their own kind. */
function orgCounters(sandbox: RunningSandbox): Counters {
  const { faults: _faults, ...byKind } = sandbox.org.control.counters();
  return byKind;
}

async function until(what: string, check: () => Promise<boolean> | boolean, intervalMs = WATCH_INTERVAL_MS): Promise<void> {
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${PHASE_TIMEOUT_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

async function pendingJobs(bridge: ComposedBridge): Promise<number> {
  const row = await bridge.store.db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

runBenchmark('sync-end-to-end', async () => {
  const memory = new MemorySampler().start();
  const size = scaled(DEMO_SIZE, scalePercent);
  const dir = await mkdtemp(join(tmpdir(), 'ml-connector-bench-'));
  let sandbox: RunningSandbox | null = null;
  let bridge: ComposedBridge | null = null;
  try {
    const seed = await demoQadSeed(size);
    sandbox = await startSandbox({ port: 0, seed: { qad: seed } });
    const world = sandbox;
    const endpoints = sandbox.description as unknown as SandboxEndpoints;
    const keys = accountKeys(seed);
    const expectedRecords = keys.size + seed.items.length + seed.contacts.length;

    // ---- 1. initial sync
    progress(`initial sync: ${keys.size} accounts, ${seed.items.length} items, ${seed.contacts.length} contacts`);
    const sfBefore = orgCounters(world);
    const qadBefore = qadCallCounters(world.qad);
    const syncStarted = performance.now();
    bridge = await composeSandboxBridge(endpoints, { storeFile: join(dir, 'bridge.sqlite'), baseDir: dir, logger: silentLogger });
    const composed = bridge;
    await composed.engine.start();
    const startUpMs = performance.now() - syncStarted;
    const runtime = composed.engine.runtime(SANDBOX_CONNECTION_ID);
    runtime.requestPoll();
    await until('the initial sync', async () => {
      memory.sample();
      const s = readWorld(world).salesforce;
      return s.accounts === keys.size && s.productsWithPrice === seed.items.length && s.contactsWithAccount === seed.contacts.length && (await pendingJobs(composed)) === 0;
    }, 50);
    // the audit trail of this sync belongs to its cost; the mirror would send it within a second
    await runtime.mirrorNow();
    const syncMs = performance.now() - syncStarted;
    const syncMemory = memory.peak();
    const syncSf = countersDelta(sfBefore, orgCounters(world));
    const syncQad = countersDelta(qadBefore, qadCallCounters(world.qad));
    const afterSync = readWorld(world);
    if (afterSync.salesforce.distinctAccountKeys !== afterSync.salesforce.accounts) throw new Error('duplicate Accounts after the initial sync');
    if (afterSync.salesforce.auditFailed > 0) throw new Error(`${afterSync.salesforce.auditFailed} failed attempts in the initial sync`);

    // ---- 2. activated orders -> QAD
    await until('change events to be live', () => runtime.cdcLive());
    world.qad.control.setLatency(qadLatencyMs);
    const control = world.org.control;
    const accounts = control.query<{ Id: string }>('SELECT Id FROM Account WHERE QAD_Is_Customer__c = true ORDER BY QAD_Id__c');
    const entries = control.query<{ Id: string; UnitPrice: number }>(`SELECT Id, UnitPrice FROM PricebookEntry WHERE Pricebook2Id = '${world.org.standardPricebookId}' ORDER BY Id`);
    const orderIds = control.insert(
      'Order',
      Array.from({ length: size.orders }, (_, i) => ({ AccountId: accounts[(i * 7) % accounts.length]!.Id, EffectiveDate: '2026-01-15', Status: 'Draft', Pricebook2Id: world.org.standardPricebookId })),
    );
    control.insert(
      'OrderItem',
      orderIds.flatMap((OrderId, i) =>
        Array.from({ length: size.linesPerOrder }, (_, l) => {
          const entry = entries[(i * size.linesPerOrder + l * 13) % entries.length]!;
          return { OrderId, PricebookEntryId: entry.Id, Quantity: 1 + ((i + l) % 5), UnitPrice: entry.UnitPrice };
        }),
      ),
    );
    const profile = await loadQadProfile(endpoints.qad?.profile ?? 'adaptive-rest');
    const numbering = { prefix: profile.objects.salesOrder.numberPrefix, length: profile.objects.salesOrder.numberLength };
    const domain = endpoints.qad?.workspace.domain ?? '';
    const tracked = orderIds.map((id) => ({ id, qadNumber: salesOrderNumberFor(id, numbering), activatedAt: 0, inQadMs: -1, writtenBackMs: -1 }));
    // the drafts' own change events are not part of an order's latency
    await new Promise((resolve) => setTimeout(resolve, 500));

    progress(`activating ${tracked.length} orders, ${orderGapMs} ms apart`);
    const ordersSfBefore = orgCounters(world);
    const ordersQadBefore = qadCallCounters(world.qad);
    const watch = setInterval(() => {
      const now = performance.now();
      for (const order of tracked) {
        if (order.activatedAt === 0) continue;
        if (order.inQadMs < 0 && world.qad.state.order(domain, order.qadNumber)) order.inQadMs = now - order.activatedAt;
        if (order.writtenBackMs < 0 && control.get('Order', order.id)?.QAD_Sales_Order_Number__c) order.writtenBackMs = now - order.activatedAt;
      }
    }, WATCH_INTERVAL_MS);
    const ordersStarted = performance.now();
    try {
      for (const order of tracked) {
        // a user's activation: no client tag, so its change event is not the bridge's own
        control.update('Order', [{ Id: order.id, Status: 'Activated' }]);
        order.activatedAt = performance.now();
        if (orderGapMs > 0) await new Promise((resolve) => setTimeout(resolve, orderGapMs));
      }
      await until('every order in QAD with its number written back', () => tracked.every((o) => o.inQadMs >= 0 && o.writtenBackMs >= 0));
    } finally {
      clearInterval(watch);
    }
    const ordersMs = performance.now() - ordersStarted;

    // ---- 3. Account edits in Salesforce -> QAD
    progress(`editing ${accountEdits} Accounts in Salesforce, ${orderGapMs} ms apart`);
    const editable = control.query<{ Id: string; QAD_Id__c: string }>('SELECT Id, QAD_Id__c FROM Account WHERE QAD_Is_Customer__c = true AND QAD_Is_Supplier__c = false ORDER BY QAD_Id__c').slice(0, accountEdits);
    const edits = editable.map((a, i) => ({ ...a, name: `Edited in Salesforce ${i}`, editedAt: 0, inQadMs: -1 }));
    const editWatch = setInterval(() => {
      const now = performance.now();
      for (const edit of edits) if (edit.editedAt > 0 && edit.inQadMs < 0 && world.qad.state.customers.get(edit.QAD_Id__c)?.name === edit.name) edit.inQadMs = now - edit.editedAt;
    }, WATCH_INTERVAL_MS);
    try {
      for (const edit of edits) {
        control.update('Account', [{ Id: edit.Id, Name: edit.name }]);
        edit.editedAt = performance.now();
        if (orderGapMs > 0) await new Promise((resolve) => setTimeout(resolve, orderGapMs));
      }
      await until('every Account edit in QAD', () => edits.every((e) => e.inQadMs >= 0));
    } finally {
      clearInterval(editWatch);
    }
    await runtime.mirrorNow();
    const ordersSf = countersDelta(ordersSfBefore, orgCounters(world));
    const ordersQad = countersDelta(ordersQadBefore, qadCallCounters(world.qad));
    const final = readWorld(world);
    if (final.qad.salesOrders !== tracked.length || final.qad.distinctSalesOrders !== tracked.length) {
      throw new Error(`QAD holds ${final.qad.salesOrders} sales orders (${final.qad.distinctSalesOrders} distinct numbers in Salesforce) for ${tracked.length} activated orders`);
    }

    const syncSfCalls = totalCalls(syncSf);
    const syncQadCalls = totalCalls(syncQad);
    return {
      scalePercent,
      initialSync: {
        records: expectedRecords,
        accounts: keys.size,
        products: seed.items.length,
        contacts: seed.contacts.length,
        elapsedMs: Math.round(syncMs),
        // opening the store, sealing the secrets and starting the engine; inside elapsedMs
        startUpMs: Math.round(startUpMs),
        recordsPerSecond: perSecond(expectedRecords, syncMs),
        salesforceCalls: syncSfCalls,
        salesforceCallsPerRecord: ratio(syncSfCalls, expectedRecords, 4),
        qadCalls: syncQadCalls,
        qadCallsPerRecord: ratio(syncQadCalls, expectedRecords, 4),
        auditRecords: afterSync.salesforce.auditRecords,
        salesforceCallsByKind: syncSf,
        qadCallsByKind: syncQad,
        heapUsedPeakMb: syncMemory.heapUsedPeakMb,
        rssPeakMb: syncMemory.rssPeakMb,
      },
      orders: {
        orders: tracked.length,
        linesPerOrder: size.linesPerOrder,
        activationGapMs: orderGapMs,
        elapsedMs: Math.round(ordersMs),
        activatedToQadMs: summarizeLatency(tracked.map((o) => o.inQadMs)),
        activatedToWriteBackMs: summarizeLatency(tracked.map((o) => o.writtenBackMs)),
        salesforceCallsPerOrder: ratio(totalCalls(ordersSf), tracked.length, 2),
        qadCallsPerOrder: ratio(totalCalls(ordersQad), tracked.length, 2),
        salesforceCallsByKind: ordersSf,
        qadCallsByKind: ordersQad,
        watchIntervalMs: WATCH_INTERVAL_MS,
        qadLatencyMs,
      },
      accountEdits: {
        edits: edits.length,
        editedToQadMs: summarizeLatency(edits.map((e) => e.inQadMs)),
        qadLatencyMs,
      },
      memory: memory.stop(),
    };
  } finally {
    if (bridge) await bridge.close().catch(() => undefined);
    if (sandbox) await sandbox.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
});
