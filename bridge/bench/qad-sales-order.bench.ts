/**
 * Sales orders into QAD with the bridge's QAD client, one after another as the engine's order
 * stream sends them: each createSalesOrder writes a header and 5 lines in QAD's multi-step way
 * (read what exists, create the header, then each line) and reads the order back. Adaptive REST and
 * QXtend EE. Reports orders/s, QAD calls per order by kind (the tenant's own counters), latency per
 * order (p50/p95/p99) and peak memory. Size: BENCH_QAD_ORDERS (default 200 per profile).
 */
import { performance } from 'node:perf_hooks';
import type { QadClient, SalesOrderInput } from '../src/clients/qad/index.js';
import { countersDelta, totalCalls, type Counters } from './lib/counters.js';
import { MemorySampler } from './lib/memory.js';
import { readSize } from './lib/options.js';
import { progress, runBenchmark } from './lib/output.js';
import { qadCallCounters, startQadRig } from './lib/qadRig.js';
import { perSecond, ratio, summarizeLatency, type LatencySummary } from './lib/stats.js';

const orders = readSize({ flag: 'orders', env: 'BENCH_QAD_ORDERS', fallback: 200 });
const WARM_UP_ORDERS = 10;
// active items of the sandbox's default seed in domain 10USA; the fifth line orders the first again
const ITEMS = ['10-1000', '10-1001', '10-2000', '10-3000', '10-1000'] as const;

interface OrderRun {
  orders: number;
  linesPerOrder: number;
  elapsedMs: number;
  ordersPerSecond: number;
  qadCalls: number;
  qadCallsPerOrder: number;
  callsByKind: Counters;
  orderLatencyMs: LatencySummary;
}

function orderInput(run: string, index: number): SalesOrderInput {
  return {
    salesforceOrderId: `801BENCH${run}${String(index).padStart(6, '0')}`,
    customerCode: '10C1000',
    poNumber: `PO-${index}`,
    orderDate: '2026-03-02',
    dueDate: '2026-03-16',
    currency: 'USD',
    lines: ITEMS.map((itemCode, position) => ({ line: position + 1, itemCode, quantity: 1 + position, site: '10-100' })),
  };
}

async function createOrders(client: QadClient, run: string, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    const outcome = await client.createSalesOrder(orderInput(run, index));
    latencies.push(performance.now() - started);
    if (!outcome.headerCreated || outcome.linesCreated.length !== ITEMS.length) {
      throw new Error(`order ${index} (${outcome.orderNumber}): header created ${outcome.headerCreated}, lines created ${outcome.linesCreated.join(',')}`);
    }
  }
  return latencies;
}

async function measure(profileName: string, memory: MemorySampler): Promise<OrderRun> {
  const rig = await startQadRig(profileName);
  try {
    const { tenant, client } = rig;
    await createOrders(client, 'W', WARM_UP_ORDERS);
    progress(`${profileName}: ${orders} sales orders of ${ITEMS.length} lines`);
    const before = qadCallCounters(tenant);
    const started = performance.now();
    const latencies = await createOrders(client, 'M', orders);
    const elapsedMs = performance.now() - started;
    memory.sample();
    const inQad = tenant.control.orders('10USA').length;
    if (inQad !== WARM_UP_ORDERS + orders) throw new Error(`${profileName}: QAD holds ${inQad} orders, expected ${WARM_UP_ORDERS + orders}`);
    const callsByKind = countersDelta(before, qadCallCounters(tenant));
    const qadCalls = totalCalls(callsByKind);
    return {
      orders,
      linesPerOrder: ITEMS.length,
      elapsedMs: Math.round(elapsedMs),
      ordersPerSecond: perSecond(orders, elapsedMs),
      qadCalls,
      qadCallsPerOrder: ratio(qadCalls, orders, 2) ?? 0,
      callsByKind,
      orderLatencyMs: summarizeLatency(latencies),
    };
  } finally {
    await rig.close();
  }
}

runBenchmark('qad-sales-order', async () => {
  const memory = new MemorySampler().start();
  const adaptiveRest = await measure('adaptive-rest', memory);
  const qxtendEe = await measure('qxtend-ee', memory);
  return {
    orders,
    adaptiveRest,
    qxtendEe,
    ratios: { qxtendVsRestOrdersPerSecond: ratio(qxtendEe.ordersPerSecond, adaptiveRest.ordersPerSecond) },
    memory: memory.stop(),
  };
});
