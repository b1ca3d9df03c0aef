import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox/start.js';
import type { Logger } from '../logger.js';
import type { ComposedBridge } from '../sync/compose.js';
import { convergenceProblems, duplicatesIn, type Expectation, type WorldCounts } from './converge.js';
import { composeSandboxBridge, SANDBOX_CONNECTION_ID, type SandboxEndpoints } from './sandboxBridge.js';
import { accountKeys, demoQadSeed, DEMO_SIZE, type DemoSize } from './seedData.js';
import { qadPartyNames, readWorld } from './world.js';

export interface DemoSummary {
  qad: { customers: number; suppliers: number; items: number; salesOrders: number };
  salesforce: { accounts: number; products: number; contacts: number; ordersActivated: number; ordersWithQadNumber: number; auditRecords: number };
  duplicates: number;
  failed: number;
  apiCalls: { salesforce: number; qad: number };
  elapsedMs: number;
}

export interface DemoOutcome {
  summary: DemoSummary;
  converged: boolean;
  problems: string[];
  phases: Array<{ phase: string; ms: number }>;
  initialSync: WorldCounts;
}

export interface DemoOptions {
  logger: Logger;
  size?: DemoSize;
  /** how long to wait for each phase to converge */
  phaseTimeoutMs?: number;
  onPhase?: (phase: string, detail: string) => void;
}

async function waitFor(check: () => Promise<string[]> | string[], timeoutMs: number, intervalMs = 200): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let problems = await check();
  while (problems.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, intervalMs));
    problems = await check();
  }
  return problems;
}

/**
 * The whole flow on one machine: a seeded sandbox, the bridge on SQLite in a temporary folder,
 * the initial sync, then orders activated and Accounts edited in Salesforce, until both sides
 * agree. Every number in the summary is read from the sandboxes.
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const started = Date.now();
  const size = options.size ?? DEMO_SIZE;
  const timeout = options.phaseTimeoutMs ?? 60_000;
  const phases: DemoOutcome['phases'] = [];
  let phaseStart = Date.now();
  const phase = (name: string, detail: string): void => {
    phases.push({ phase: name, ms: Date.now() - phaseStart });
    phaseStart = Date.now();
    options.onPhase?.(name, detail);
  };
  const dir = await mkdtemp(join(tmpdir(), 'ml-connector-demo-'));
  let sandbox: RunningSandbox | null = null;
  let bridge: ComposedBridge | null = null;
  try {
    const seed = await demoQadSeed(size);
    sandbox = await startSandbox({ port: 0, seed: { qad: seed } });
    const endpoints = sandbox.description as unknown as SandboxEndpoints;
    phase('sandbox', `org ${endpoints.salesforce.loginUrl}, QAD ${endpoints.qad?.baseUrl}`);

    bridge = await composeSandboxBridge(endpoints, { storeFile: join(dir, 'bridge.sqlite'), baseDir: dir, logger: options.logger });
    const engine = bridge.engine;
    await engine.start();
    const runtime = engine.runtime(SANDBOX_CONNECTION_ID);
    runtime.requestPoll();
    const keys = accountKeys(seed);
    const bothRoles = seed.suppliers.filter((s) => seed.customers.some((c) => c.code === s.code && (c.sharedSet ?? '') === (s.sharedSet ?? ''))).length;
    const world = sandbox;
    const initialProblems = await waitFor(async () => {
      const c = readWorld(world);
      const p: string[] = [];
      if (c.salesforce.accounts !== keys.size) p.push(`accounts ${c.salesforce.accounts}/${keys.size}`);
      if (c.salesforce.productsWithPrice !== seed.items.length) p.push(`priced products ${c.salesforce.productsWithPrice}/${seed.items.length}`);
      if (c.salesforce.contactsWithAccount !== seed.contacts.length) p.push(`contacts ${c.salesforce.contactsWithAccount}/${seed.contacts.length}`);
      if (!runtime.cdcLive()) p.push('change events not live yet');
      return p;
    }, timeout);
    const initialSync = readWorld(world);
    phase('initial sync', initialProblems.length ? `not converged: ${initialProblems.join(', ')}` : `${initialSync.salesforce.accounts} accounts, ${initialSync.salesforce.products} products, ${initialSync.salesforce.contacts} contacts`);

    // Salesforce users' work: draft orders on synced accounts and products, then activation and
    // Account edits. Written through the org's control surface with no client tag, as a person
    // in the UI would, so their change events are not the bridge's own.
    const control = sandbox.org.control;
    const accounts = control.query<{ Id: string; QAD_Id__c: string; Name: string }>("SELECT Id, QAD_Id__c, Name FROM Account WHERE QAD_Is_Customer__c = true ORDER BY QAD_Id__c");
    const entries = control.query<{ Id: string; Product2Id: string; UnitPrice: number }>(`SELECT Id, Product2Id, UnitPrice FROM PricebookEntry WHERE Pricebook2Id = '${sandbox.org.standardPricebookId}' ORDER BY Id`);
    const orderIds = control.insert(
      'Order',
      Array.from({ length: size.orders }, (_, i) => ({ AccountId: accounts[(i * 7) % accounts.length]!.Id, EffectiveDate: '2026-01-15', Status: 'Draft', Pricebook2Id: sandbox!.org.standardPricebookId })),
    );
    const lines = orderIds.flatMap((orderId, i) =>
      Array.from({ length: size.linesPerOrder }, (_, l) => {
        const entry = entries[(i * size.linesPerOrder + l * 13) % entries.length]!;
        return { OrderId: orderId, PricebookEntryId: entry.Id, Quantity: 1 + ((i + l) % 5), UnitPrice: entry.UnitPrice };
      }),
    );
    control.insert('OrderItem', lines);
    control.update('Order', orderIds.map((Id) => ({ Id, Status: 'Activated' })));
    const editedNames = new Map<string, string>();
    const edited = accounts.slice(0, size.accountEdits);
    control.update('Account', edited.map((a) => ({ Id: a.Id, Name: `${a.Name} (edited)`.slice(0, 36) })));
    for (const a of edited) editedNames.set(a.QAD_Id__c, `${a.Name} (edited)`.slice(0, 36));
    phase('salesforce activity', `${orderIds.length} orders with ${lines.length} lines activated, ${edited.length} Accounts renamed`);

    const expectation: Expectation = { accountKeys: keys.size, bothRoles, items: seed.items.length, contacts: seed.contacts.length, orders: size.orders, editedNames };
    const problems = await waitFor(async () => {
      const p = convergenceProblems(readWorld(world), expectation, qadPartyNames(world));
      const pending = await bridge!.store.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['queued', 'running']).executeTakeFirst();
      if (Number(pending?.n ?? 0) > 0) p.push(`${pending?.n} jobs still queued`);
      return p;
    }, timeout);
    // the trail of the last attempts goes out with the next mirror; send it now so it is counted
    await runtime.mirrorNow();
    await runtime.heartbeatNow();
    phase('converged', problems.length ? `not converged: ${problems.join(', ')}` : 'both sides agree');

    const final = readWorld(world);
    const summary: DemoSummary = {
      qad: { customers: final.qad.customers, suppliers: final.qad.suppliers, items: final.qad.items, salesOrders: final.qad.salesOrders },
      salesforce: {
        accounts: final.salesforce.accounts,
        products: final.salesforce.products,
        contacts: final.salesforce.contacts,
        ordersActivated: final.salesforce.ordersActivated,
        ordersWithQadNumber: final.salesforce.ordersWithQadNumber,
        auditRecords: final.salesforce.auditRecords,
      },
      duplicates: duplicatesIn(final),
      failed: final.salesforce.auditFailed,
      apiCalls: final.apiCalls,
      elapsedMs: Date.now() - started,
    };
    const converged = problems.length === 0 && summary.duplicates === 0 && summary.failed === 0;
    return { summary, converged, problems, phases, initialSync };
  } finally {
    if (bridge) await bridge.close().catch(() => undefined);
    if (sandbox) await sandbox.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
