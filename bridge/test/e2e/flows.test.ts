import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { ComposedBridge } from '../../src/sync/compose.js';
import { accountKeys } from '../../src/demo/seedData.js';
import { captured, counter, orgCount, rememberTokens, salesforceWrites, startBridge, startWorld, waitUntil, type World } from './harness.js';
import { scanForSecrets } from './leakScan.js';

const open: Array<{ world: World; bridge?: ComposedBridge }> = [];

async function world(): Promise<World> {
  const w = await startWorld();
  open.push({ world: w });
  return w;
}

async function bridgeFor(w: World, options: Parameters<typeof startBridge>[1] = {}) {
  const b = await startBridge(w, options);
  open.find((o) => o.world === w)!.bridge = b.bridge;
  return b;
}

afterEach(async () => {
  for (const o of open.splice(0)) {
    if (o.bridge) {
      await rememberTokens(o.bridge).catch(() => undefined);
      await o.bridge.close();
    }
    for (const token of o.world.sandbox.qad.state.tokens.keys()) captured.secrets.add(token);
    await o.world.close();
  }
});

describe('end to end against the sandbox', () => {
  it('a second and a third full sync create nothing new and write nothing', async () => {
    const w = await world();
    const { runtime } = await bridgeFor(w);
    const first = await runtime.runOnce();
    expect(first.pending).toBe(0);
    const keys = accountKeys(w.seed);
    const after1 = {
      accounts: orgCount(w, 'SELECT Id FROM Account'),
      products: orgCount(w, 'SELECT Id FROM Product2'),
      contacts: orgCount(w, 'SELECT Id FROM Contact'),
      entries: orgCount(w, 'SELECT Id FROM PricebookEntry'),
    };
    expect(after1.accounts).toBe(keys.size);
    expect(orgCount(w, 'SELECT Id FROM Account WHERE QAD_Is_Customer__c = true AND QAD_Is_Supplier__c = true')).toBe(4);
    expect(after1.products).toBe(w.seed.items.length);
    expect(after1.entries).toBe(w.seed.items.length);
    expect(after1.contacts).toBe(w.seed.contacts.length);
    const writesAfterFirst = salesforceWrites(w);

    for (const pass of [2, 3]) {
      const again = await runtime.runOnce({ full: true });
      expect(again.poll.read, `pass ${pass} reads everything again`).toBe(keys.size + 4 + w.seed.items.length + w.seed.contacts.length);
      expect(again.pending).toBe(0);
      expect({
        accounts: orgCount(w, 'SELECT Id FROM Account'),
        products: orgCount(w, 'SELECT Id FROM Product2'),
        contacts: orgCount(w, 'SELECT Id FROM Contact'),
        entries: orgCount(w, 'SELECT Id FROM PricebookEntry'),
      }).toEqual(after1);
    }
    // records whose content is already in Salesforce are skipped before any call; only audit rows go out
    const dataWrites = salesforceWrites(w) - writesAfterFirst;
    const auditUpserts = counter(w, 'collections-upsert');
    expect(dataWrites).toBeLessThanOrEqual(auditUpserts);
    // unchanged records are audited as one Skipped summary row per batch, naming how many and which
    const summaries = w.sandbox.org.control.query<{ Payload__c: string }>("SELECT Payload__c FROM Sync_Audit__c WHERE Status__c = 'Skipped'");
    const total = keys.size + 4 + w.seed.items.length + w.seed.contacts.length;
    expect(summaries.reduce((sum, row) => sum + (JSON.parse(row.Payload__c) as { unchanged: number }).unchanged, 0)).toBe(2 * total);
    expect(summaries.length).toBeLessThanOrEqual(2 * 4);
    // and a normal incremental poll finds nothing changed
    const incremental = await runtime.runOnce();
    expect(incremental.poll.queued).toBe(0);
    // every pass ends with the bridge's status in the org, one row per connection
    const status = w.sandbox.org.control.query<{ Connection_Id__c: string; Status__c: string; Last_QAD_Poll__c: string | null; API_Requests_Used__c: number | null }>('SELECT Connection_Id__c, Status__c, Last_QAD_Poll__c, API_Requests_Used__c FROM Sync_Bridge_Status__c');
    expect(status).toHaveLength(1);
    expect(status[0]).toMatchObject({ Connection_Id__c: 'sandbox', Status__c: 'Running' });
    expect(status[0]!.Last_QAD_Poll__c).toBeTruthy();
    expect(status[0]!.API_Requests_Used__c).toBeGreaterThan(0);
  });

  it('a row left in Replay Requested while the bridge was down is replayed at the next start', async () => {
    const w = await world();
    const first = await bridgeFor(w, { maxAttempts: 1 });
    await first.runtime.runOnce();
    const control = w.sandbox.org.control;
    const item = w.sandbox.qad.state.items.sorted()[0]!;
    // the item's Salesforce write is refused once: its Product2 upsert fails for good (one attempt)
    control.addFault({ kind: 503, count: 20, pathPrefix: '/services/data/v66.0/composite/sobjects/Product2' });
    w.sandbox.qad.control.editRecords('items', 1, { keys: [`${item.domain}|${item.itemCode}`], bumpModifiedDate: true });
    await first.runtime.runOnce();
    control.clearFaults();
    const failed = control.query<{ Id: string; Bridge_Event_Id__c: string }>("SELECT Id, Bridge_Event_Id__c FROM Sync_Audit__c WHERE Object__c = 'Product2' AND Status__c = 'Failed'")[0];
    expect(failed, 'a Failed Product2 row').toBeTruthy();
    await first.bridge.close();
    open[0]!.bridge = undefined;
    // an admin asks for the replay while no bridge runs (what SyncConsoleController.requestReplay does)
    control.update('Sync_Audit__c', [{ Id: failed!.Id, Status__c: 'Replay Requested', Requested_By__c: w.sandbox.org.integrationUserId }]);
    const second = await bridgeFor(w, { maxAttempts: 1 });
    await second.bridge.engine.start();
    const replayed = await waitUntil('a Succeeded row linked to the requested one', () =>
      control.query<{ Status__c: string }>(`SELECT Status__c FROM Sync_Audit__c WHERE Replay_Of__c = '${failed!.Id}'`).find((r) => r.Status__c === 'Succeeded'),
    );
    expect(replayed).toBeTruthy();
    await waitUntil('the requested row marked Replayed', () => control.query<{ Status__c: string }>(`SELECT Status__c FROM Sync_Audit__c WHERE Id = '${failed!.Id}'`)[0]?.Status__c === 'Replayed');
  });

  it('the admin API replays a Failed row through the real engine: a Succeeded row linked to it in the store and in Sync_Audit__c', async () => {
    const w = await world();
    const { bridge, runtime } = await bridgeFor(w, { maxAttempts: 1 });
    await runtime.runOnce();
    const control = w.sandbox.org.control;
    const item = w.sandbox.qad.state.items.sorted()[0]!;
    control.addFault({ kind: 503, count: 20, pathPrefix: '/services/data/v66.0/composite/sobjects/Product2' });
    w.sandbox.qad.control.editRecords('items', 1, { keys: [`${item.domain}|${item.itemCode}`], bumpModifiedDate: true });
    await runtime.runOnce();
    control.clearFaults();
    const failed = control.query<{ Id: string; Bridge_Event_Id__c: string; Correlation_Id__c: string }>("SELECT Id, Bridge_Event_Id__c, Correlation_Id__c FROM Sync_Audit__c WHERE Object__c = 'Product2' AND Status__c = 'Failed'")[0];
    expect(failed, 'a Failed Product2 row').toBeTruthy();

    const apiToken = 'e2e-admin-api-token-0123456789';
    const app = await buildApp({ store: bridge.store, engine: bridge.engine, secrets: bridge.secrets, apiToken, metricsRegistry: bridge.metrics.registry, defaultMetrics: false });
    try {
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const url = `${base}/v1/audit/${encodeURIComponent(failed!.Bridge_Event_Id__c)}/replay`;
      const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requestedBy: 'ops' }) });
      expect(refused.status).toBe(401);
      const answer = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ requestedBy: 'ops@example.com' }) });
      expect(answer.status).toBe(202);
      const outcome = (await answer.json()) as { replayOf: string; auditEventId: string; status: string };
      expect(outcome).toMatchObject({ replayOf: failed!.Bridge_Event_Id__c, status: 'Succeeded' });

      const stored = await bridge.store.audit.get(outcome.auditEventId);
      expect(stored).toMatchObject({ status: 'Succeeded', replayOf: failed!.Bridge_Event_Id__c, correlationId: failed!.Correlation_Id__c, requestedBy: 'ops@example.com', object: 'Product2' });
      expect(await bridge.store.audit.get(failed!.Bridge_Event_Id__c)).toMatchObject({ status: 'Replayed', requestedBy: 'ops@example.com' });

      await runtime.mirrorNow();
      const mirrored = control.query<{ Status__c: string; Replay_Of__c: string | null; Correlation_Id__c: string }>(`SELECT Status__c, Replay_Of__c, Correlation_Id__c FROM Sync_Audit__c WHERE Bridge_Event_Id__c = '${outcome.auditEventId}'`);
      expect(mirrored).toEqual([expect.objectContaining({ Status__c: 'Succeeded', Replay_Of__c: failed!.Id, Correlation_Id__c: failed!.Correlation_Id__c })]);
      expect(control.query<{ Status__c: string }>(`SELECT Status__c FROM Sync_Audit__c WHERE Id = '${failed!.Id}'`)[0]?.Status__c).toBe('Replayed');
    } finally {
      // the app's onClose stops the engine and closes the store; the bridge then closes only its clients
      await rememberTokens(bridge);
      await app.close();
      await bridge.closeClients();
      open.find((o) => o.world === w)!.bridge = undefined;
    }
  });

  it('an Account edit in Salesforce reaches QAD once and does not come back as a change', async () => {
    const w = await world();
    const { bridge, runtime } = await bridgeFor(w);
    await runtime.runOnce();
    await bridge.engine.start();
    await waitUntil('change events live', () => runtime.cdcLive());
    const account = w.sandbox.org.control.query<{ Id: string; QAD_Id__c: string }>("SELECT Id, QAD_Id__c FROM Account WHERE QAD_Is_Customer__c = true AND QAD_Is_Supplier__c = false ORDER BY QAD_Id__c LIMIT 1")[0]!;
    const qadWritesBefore = w.sandbox.qad.state.counterSnapshot().erpWrite ?? 0;
    w.sandbox.org.control.update('Account', [{ Id: account.Id, Name: 'Renamed In Salesforce' }]);
    await waitUntil('the QAD customer renamed', () => w.sandbox.qad.state.customers.get(account.QAD_Id__c)?.name === 'Renamed In Salesforce');
    expect((w.sandbox.qad.state.counterSnapshot().erpWrite ?? 0) - qadWritesBefore).toBe(1);
    await waitUntil('the update job done', async () => (await bridge.store.db.selectFrom('jobs').select('status').where('stream', '=', 'sf-accounts').executeTakeFirst())?.status === 'succeeded');
    const writesBefore = salesforceWrites(w);
    const upsertsBefore = counter(w, 'collections-upsert');
    // the QAD write bumped the record's modified date, so a watermark poll reads it again; its
    // content is what Salesforce already has, so the stream skips it without writing
    await runtime.pollNow();
    await runtime.drainOnce();
    await runtime.mirrorNow();
    expect(salesforceWrites(w) - writesBefore).toBe(counter(w, 'collections-upsert') - upsertsBefore);
    const echoes = await bridge.store.db.selectFrom('audit_events').select(['status']).where('source_id', '=', account.QAD_Id__c).where('direction', '=', 'QAD to Salesforce').orderBy('seq').execute();
    expect(echoes.slice(1).every((e) => e.status === 'Skipped')).toBe(true);
    expect(w.sandbox.org.control.query<{ Name: string }>(`SELECT Name FROM Account WHERE Id = '${account.Id}'`)[0]!.Name).toBe('Renamed In Salesforce');
    expect((w.sandbox.qad.state.counterSnapshot().erpWrite ?? 0) - qadWritesBefore).toBe(1);
    const audit = w.sandbox.org.control.query<{ Status__c: string; Direction__c: string }>(`SELECT Status__c, Direction__c FROM Sync_Audit__c WHERE Salesforce_Record_Id__c = '${account.Id}' AND Direction__c = 'Salesforce to QAD'`);
    expect(audit.map((a) => a.Status__c)).toEqual(['Succeeded']);
  });

  it('a first subscription starts at LATEST once the bus has acknowledged it: a change right after start is delivered, an order activated before start is caught up by query', async () => {
    const w = await world();
    const { bridge, runtime } = await bridgeFor(w);
    await runtime.runOnce();
    const control = w.sandbox.org.control;
    const pricebook = w.sandbox.org.standardPricebookId;
    const [before, after] = control.query<{ Id: string; QAD_Id__c: string }>('SELECT Id, QAD_Id__c FROM Account WHERE QAD_Is_Customer__c = true AND QAD_Is_Supplier__c = false ORDER BY QAD_Id__c LIMIT 2');
    const entry = control.query<{ Id: string; UnitPrice: number }>(`SELECT Id, UnitPrice FROM PricebookEntry WHERE Pricebook2Id = '${pricebook}' ORDER BY Id LIMIT 1`)[0]!;
    // made while no bridge listened: the edit's event predates the subscription, the order is found by the start-up query
    control.update('Account', [{ Id: before!.Id, Name: 'Edited Before Start' }]);
    const [orderId] = control.insert('Order', [{ AccountId: after!.Id, EffectiveDate: '2026-02-01', Status: 'Draft', Pricebook2Id: pricebook }]);
    control.insert('OrderItem', [{ OrderId: orderId, PricebookEntryId: entry.Id, Quantity: 2, UnitPrice: entry.UnitPrice }]);
    control.update('Order', [{ Id: orderId, Status: 'Activated' }]);

    await bridge.engine.start();
    // start waited for the bus's first answer, so no polling for liveness here
    expect(bridge.engine.isReady()).toBe(true);
    expect(runtime.cdcLive()).toBe(true);
    control.update('Account', [{ Id: after!.Id, Name: 'Edited Right After Start' }]);
    await waitUntil('the edit made right after start in QAD', () => w.sandbox.qad.state.customers.get(after!.QAD_Id__c)?.name === 'Edited Right After Start');
    await waitUntil('the order activated before start numbered', () => control.query<{ QAD_Sales_Order_Number__c: string | null }>(`SELECT QAD_Sales_Order_Number__c FROM Order WHERE Id = '${orderId}'`)[0]?.QAD_Sales_Order_Number__c);
    expect(w.sandbox.qad.state.orders.size).toBe(1);
    // events arrive in commit order: had the subscription started at EARLIEST, the older edit would be in QAD by now
    expect(w.sandbox.qad.state.customers.get(before!.QAD_Id__c)?.name).not.toBe('Edited Before Start');
  });

  it('an audit row Sync_Audit__c keeps refusing is sent five times, then shown as mirror-failed in GET /v1/audit and /metrics', async () => {
    const w = await world();
    const { bridge, runtime } = await bridgeFor(w);
    await runtime.runOnce();
    const upserts = () => counter(w, 'collections-upsert');
    // written straight into the local trail: Salesforce_Record_Id__c is Text(18), so the org refuses it every time
    await bridge.store.audit.append({ eventId: 'refused-by-org', connectionId: 'sandbox', direction: 'Salesforce to QAD', object: 'Account', operation: 'Update', status: 'Failed', correlationId: 'corr-refused', attempt: 1, salesforceRecordId: '001'.padEnd(25, 'x') });
    const before = upserts();
    for (let cycle = 1; cycle <= 5; cycle++) await runtime.mirrorNow();
    expect(upserts() - before).toBe(5);
    await runtime.mirrorNow();
    expect(upserts() - before).toBe(5);
    expect(orgCount(w, "SELECT Id FROM Sync_Audit__c WHERE Bridge_Event_Id__c = 'refused-by-org'")).toBe(0);

    const apiToken = 'e2e-dead-letter-token-0123456789abcdef';
    const app = await buildApp({ store: bridge.store, engine: bridge.engine, secrets: bridge.secrets, apiToken, metricsRegistry: bridge.metrics.registry, defaultMetrics: false });
    try {
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const answer = await fetch(`${base}/v1/audit?correlationId=corr-refused`, { headers: { authorization: `Bearer ${apiToken}` } });
      expect(answer.status).toBe(200);
      const page = (await answer.json()) as { rows: Array<Record<string, unknown>> };
      expect(page.rows).toEqual([expect.objectContaining({ eventId: 'refused-by-org', mirroredAt: null, mirrorAttempts: 5, mirrorFailedAt: expect.any(String), mirrorError: expect.stringContaining('STRING_TOO_LONG') })]);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('bridge_audit_mirror_failed_rows{connection="sandbox"} 1');
    } finally {
      await rememberTokens(bridge);
      await app.close();
      await bridge.closeClients();
      open.find((o) => o.world === w)!.bridge = undefined;
    }
  });

  it('an order with an unlinked product waits, naming it, and completes once the product syncs', async () => {
    const w = await world();
    const { bridge, runtime } = await bridgeFor(w, { paused: ['qad-items'] });
    await runtime.runOnce();
    expect(orgCount(w, 'SELECT Id FROM Product2')).toBe(0);
    const control = w.sandbox.org.control;
    const pricebook = w.sandbox.org.standardPricebookId;
    const item = w.seed.items[0]!;
    // the item's key as the QAD client forms it (`<itemCode>`, or `<domain>|<itemCode>` in a multi-domain profile)
    let itemKey = '';
    for await (const { records: page } of bridge.qad.get('sandbox')!.readAll('item')) {
      itemKey = page.find((r) => r.fields.itemCode === item.itemCode)!.key;
      break;
    }
    const [productId] = control.insert('Product2', [{ Name: 'Made in Salesforce', QAD_Item_Number__c: itemKey, IsActive: true }]);
    const [entryId] = control.insert('PricebookEntry', [{ Pricebook2Id: pricebook, Product2Id: productId, UnitPrice: 5, IsActive: true }]);
    const account = control.query<{ Id: string }>('SELECT Id FROM Account WHERE QAD_Is_Customer__c = true ORDER BY QAD_Id__c LIMIT 1')[0]!;
    await bridge.engine.start();
    await waitUntil('change events live', () => runtime.cdcLive());
    const [orderId] = control.insert('Order', [{ AccountId: account.Id, EffectiveDate: '2026-02-01', Status: 'Draft', Pricebook2Id: pricebook }]);
    control.insert('OrderItem', [{ OrderId: orderId, PricebookEntryId: entryId, Quantity: 3, UnitPrice: 5 }]);
    control.update('Order', [{ Id: orderId, Status: 'Activated' }]);
    const waiting = await waitUntil('the order waiting in Sync_Audit__c', () =>
      control.query<{ Status__c: string; Error_Message__c: string }>(`SELECT Status__c, Error_Message__c FROM Sync_Audit__c WHERE Salesforce_Record_Id__c = '${orderId}' AND Status__c = 'Waiting'`)[0],
    );
    expect(waiting.Error_Message__c).toContain(`Product2 ${productId}`);
    expect(w.sandbox.qad.state.orders.size).toBe(0);
    await bridge.engine.resumeStream('sandbox', 'qad-items');
    await bridge.engine.runNow('sandbox');
    const numbered = await waitUntil('the QAD number written back', () => control.query<{ QAD_Sales_Order_Number__c: string | null }>(`SELECT QAD_Sales_Order_Number__c FROM Order WHERE Id = '${orderId}'`)[0]?.QAD_Sales_Order_Number__c);
    expect(w.sandbox.qad.state.orders.size).toBe(1);
    const qadOrder = w.sandbox.qad.state.orders.sorted()[0]!;
    expect(qadOrder.orderNumber).toBe(numbered);
    expect(qadOrder.lines.map((l) => [l.itemCode, l.quantity])).toEqual([[item.itemCode, 3]]);
    expect(orgCount(w, 'SELECT Id FROM Product2')).toBe(w.seed.items.length);
  });

  it('a QAD write that fails leaves a Failed row in Sync_Audit__c; a replay request for it produces a Succeeded row linked to it', async () => {
    const w = await world();
    const { bridge, runtime } = await bridgeFor(w, { maxAttempts: 2, baseDelayMs: 20 });
    await runtime.runOnce();
    await bridge.engine.start();
    await waitUntil('change events live', () => runtime.cdcLive());
    const control = w.sandbox.org.control;
    const account = control.query<{ Id: string; QAD_Id__c: string }>('SELECT Id, QAD_Id__c FROM Account WHERE QAD_Is_Supplier__c = false ORDER BY QAD_Id__c LIMIT 1')[0]!;
    // reads fail too, so no attempt can find out whether a lost write landed: the change cannot reach QAD
    w.sandbox.qad.control.failNext(1_000, 500, ['erpRead', 'erpWrite']);
    control.update('Account', [{ Id: account.Id, Name: 'Edited While QAD Is Down' }]);
    const failed = await waitUntil('a Failed row in Sync_Audit__c', () =>
      control.query<{ Id: string; Bridge_Event_Id__c: string; Correlation_Id__c: string }>(`SELECT Id, Bridge_Event_Id__c, Correlation_Id__c FROM Sync_Audit__c WHERE Salesforce_Record_Id__c = '${account.Id}' AND Status__c = 'Failed'`)[0],
    );
    expect(w.sandbox.qad.state.customers.get(account.QAD_Id__c)?.name).not.toBe('Edited While QAD Is Down');
    w.sandbox.qad.control.clearFaults();
    control.insert('Sync_Replay_Request__e', [{ Audit_Event_Id__c: failed.Bridge_Event_Id__c, Audit_Record_Id__c: failed.Id, Requested_By__c: w.sandbox.org.integrationUserId }]);
    const replayed = await waitUntil('a Succeeded row linked to the Failed one', () =>
      control.query<{ Id: string; Status__c: string; Correlation_Id__c: string; Requested_By__c: string | null }>(`SELECT Id, Status__c, Correlation_Id__c, Requested_By__c FROM Sync_Audit__c WHERE Replay_Of__c = '${failed.Id}'`).find((r) => r.Status__c === 'Succeeded'),
    );
    expect(replayed.Correlation_Id__c).toBe(failed.Correlation_Id__c);
    expect(replayed.Requested_By__c).toBe(w.sandbox.org.integrationUserId);
    expect(w.sandbox.qad.state.customers.get(account.QAD_Id__c)?.name).toBe('Edited While QAD Is Down');
    await waitUntil('the replayed row marked Replayed', () => control.query<{ Status__c: string }>(`SELECT Status__c FROM Sync_Audit__c WHERE Id = '${failed.Id}'`)[0]?.Status__c === 'Replayed');
  });
});

afterAll(async () => {
  await scanForSecrets();
});
