import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxConfigInput } from '../../src/demo/sandboxBridge.js';
import { accountKeys } from '../../src/demo/seedData.js';
import { openStore } from '../../src/store/index.js';
import { captured, orgCount, startWorld, waitUntil, type World } from './harness.js';
import { scanForSecrets } from './leakScan.js';

const BIN = resolve(import.meta.dirname, '../../bin/ml-connector.js');
const childOutput: string[] = [];
const lastQadTokens: string[] = [];
const t0 = Date.now();
const step = (what: string): void => {
  if (process.env.E2E_TRACE) console.log(`[crash] ${((Date.now() - t0) / 1000).toFixed(1)}s ${what}`);
};

interface Child {
  process: ChildProcess;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

async function configFor(world: World): Promise<{ file: string; env: NodeJS.ProcessEnv }> {
  const caFile = join(world.dir, 'pubsub-ca.pem');
  await writeFile(caFile, (world.endpoints.pubsub as { caCertificatePem?: string } | undefined)?.caCertificatePem ?? '');
  const file = join(world.dir, 'bridge.json');
  const input = sandboxConfigInput(world.endpoints, { storeFile: world.storeFile, maxAttempts: 6, baseDelayMs: 100 });
  // poll QAD often so a restarted bridge picks up at once, mirror the audit every second
  const connection = (input.connections as Array<Record<string, any>>)[0]!;
  connection.schedule = { qadPollSeconds: 5, heartbeatSeconds: 10, auditMirrorSeconds: 1 };
  // the sandbox bus's self-made certificate, trusted through the config like a private CA
  connection.salesforce.pubsub.caFile = caFile;
  await writeFile(file, JSON.stringify(input));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'info',
  };
  if (world.databaseUrl) {
    // the schema exists and is migrated before the child starts; the child finds it through search_path
    const store = await openStore({ url: world.databaseUrl, schema: world.databaseSchema! });
    await store.migrateToLatest();
    await store.destroy();
    const url = new URL(world.databaseUrl);
    url.searchParams.set('options', `-c search_path=${world.databaseSchema}`);
    env.DATABASE_URL = url.toString();
  }
  return { file, env };
}

function startChild(config: { file: string; env: NodeJS.ProcessEnv }): Child {
  const child = spawn(process.execPath, [BIN, 'start', '--config', config.file], { env: config.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const index = childOutput.push('') - 1;
  child.stdout!.on('data', (chunk: Buffer) => (childOutput[index] += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (childOutput[index] += chunk.toString()));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('exit', (code, signal) => r([code, signal])));
  return { process: child, exited };
}

async function kill(child: Child): Promise<void> {
  child.process.kill('SIGKILL');
  const [, signal] = await child.exited;
  expect(signal).toBe('SIGKILL');
}

describe('a bridge killed with SIGKILL mid-sync', () => {
  it('converges after a restart with no duplicates on either side', async () => {
    const world = await startWorld({ customers: 300, suppliers: 80, suppliersAlsoCustomers: 20, items: 120, contacts: 100, orders: 12, linesPerOrder: 3, accountEdits: 0 });
    try {
      const control = world.sandbox.org.control;
      const keys = accountKeys(world.seed);
      const config = await configFor(world);
      // slow the org so the initial sync spans enough calls to be cut in the middle
      control.addFault({ kind: 'latency', latencyMs: 60, pathPrefix: '/services/data' });

      const first = startChild(config);
      await waitUntil('the first accounts written', () => orgCount(world, 'SELECT Id FROM Account') > 0, 30_000);
      step('first accounts written');
      await kill(first);
      const accountsAtKill = orgCount(world, 'SELECT Id FROM Account');
      expect(accountsAtKill).toBeLessThan(keys.size);

      const second = startChild(config);
      await waitUntil('master data in Salesforce', () =>
        orgCount(world, 'SELECT Id FROM Account') === keys.size &&
        orgCount(world, 'SELECT Id FROM Contact WHERE AccountId != null') === world.seed.contacts.length &&
        orgCount(world, 'SELECT Id FROM PricebookEntry') === world.seed.items.length,
      60_000);

      step('master data converged');
      // orders activated in Salesforce; the QAD tenant slowed so the order writes are cut mid-way
      const pricebook = world.sandbox.org.standardPricebookId;
      const accounts = control.query<{ Id: string }>('SELECT Id FROM Account WHERE QAD_Is_Customer__c = true ORDER BY QAD_Id__c');
      const entries = control.query<{ Id: string; UnitPrice: number }>(`SELECT Id, UnitPrice FROM PricebookEntry WHERE Pricebook2Id = '${pricebook}' ORDER BY Id`);
      const orderIds = control.insert('Order', accounts.slice(0, 12).map((a) => ({ AccountId: a.Id, EffectiveDate: '2026-03-01', Status: 'Draft', Pricebook2Id: pricebook })));
      control.insert('OrderItem', orderIds.flatMap((OrderId, i) => [0, 1, 2].map((l) => ({ OrderId, PricebookEntryId: entries[(i * 3 + l) % entries.length]!.Id, Quantity: 1 + l, UnitPrice: entries[(i * 3 + l) % entries.length]!.UnitPrice }))));
      world.sandbox.qad.control.setLatency(25);
      control.update('Order', orderIds.map((Id) => ({ Id, Status: 'Activated' })));
      await waitUntil('the first QAD orders', () => world.sandbox.qad.state.orders.size > 0, 30_000);
      step('first QAD orders');
      await kill(second);
      expect(world.sandbox.qad.state.orders.size).toBeLessThan(orderIds.length);
      world.sandbox.qad.control.setLatency(0);
      control.clearFaults();

      const third = startChild(config);
      await waitUntil('every order in QAD with its number written back', () =>
        control.query<{ QAD_Sales_Order_Number__c: string | null }>('SELECT QAD_Sales_Order_Number__c FROM Order').every((o) => !!o.QAD_Sales_Order_Number__c),
      60_000);

      step('orders converged');
      for (const token of world.sandbox.qad.state.tokens.keys()) lastQadTokens.push(token);
      // no duplicates in Salesforce
      const rows = control.query<{ QAD_Id__c: string }>('SELECT QAD_Id__c FROM Account');
      expect(rows.length).toBe(keys.size);
      expect(new Set(rows.map((r) => r.QAD_Id__c)).size).toBe(keys.size);
      expect(orgCount(world, 'SELECT Id FROM Product2')).toBe(world.seed.items.length);
      expect(orgCount(world, 'SELECT Id FROM PricebookEntry')).toBe(world.seed.items.length);
      expect(orgCount(world, 'SELECT Id FROM Contact')).toBe(world.seed.contacts.length);
      // no duplicates in QAD: one order per Salesforce order, each with its three lines once
      const numbers = control.query<{ QAD_Sales_Order_Number__c: string }>('SELECT QAD_Sales_Order_Number__c FROM Order').map((o) => o.QAD_Sales_Order_Number__c);
      const qadOrders = world.sandbox.qad.state.orders.sorted();
      expect(qadOrders.length).toBe(orderIds.length);
      expect(new Set(qadOrders.map((o) => o.orderNumber))).toEqual(new Set(numbers));
      for (const order of qadOrders) expect(order.lines.map((l) => l.line)).toEqual([1, 2, 3]);

      // the service of the running bridge shows the engine's counters next to its own
      const url = (JSON.parse(childOutput[childOutput.length - 1]!.split('\n').find((l) => l.startsWith('{"url"'))!) as { url: string }).url;
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/bridge_sync_attempts_total\{connection="sandbox",stream="sf-orders",status="Succeeded"\} [1-9]/);
      expect(metrics).toContain('bridge_sync_pending_jobs');

      third.process.kill('SIGTERM');
      const [code] = await third.exited;
      expect(code).toBe(0);
    } finally {
      await world.close();
    }
  }, 240_000);
});

afterAll(async () => {
  for (const token of lastQadTokens) captured.secrets.add(token);
  await scanForSecrets(childOutput);
});
