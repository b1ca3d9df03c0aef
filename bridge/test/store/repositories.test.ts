import { describe, expect, it } from 'vitest';
import type { AuditAppend, Store } from '../../src/store/index.js';
import { manualClock, migratedStoreEachTest, storeTargetNames } from './storeTargets.js';

describe.each(storeTargetNames())('repositories on %s', (name) => {
  let store: Store;
  const clock = manualClock();
  migratedStoreEachTest(name, clock, (opened) => (store = opened));

  it('keeps connections and refuses a duplicate id with a conflict code', async () => {
    await store.connections.create({ id: 'acme', name: 'Acme prod', config: { qad: { baseUrl: 'https://q' } } });
    await expect(store.connections.create({ id: 'acme', name: 'again', config: {} })).rejects.toMatchObject({ code: 'BRIDGE_ERR_CONFLICT', statusCode: 409 });
    clock.advance(1000);
    const updated = await store.connections.updateConfig('acme', { qad: { baseUrl: 'https://q2' } });
    expect(updated).toMatchObject({ name: 'Acme prod', config: { qad: { baseUrl: 'https://q2' } }, updatedAt: '2026-01-05T10:00:01.000Z' });
    expect((await store.connections.list()).map((c) => c.id)).toEqual(['acme']);
    await store.credentials.put({ connectionId: 'acme', kind: 'salesforce.clientSecret', keyId: 'k1', iv: 'iv', ciphertext: 'ct', authTag: 'tag' });
    expect(await store.credentials.kinds(['acme'])).toEqual(new Map([['acme', ['salesforce.clientSecret']]]));
    expect(await store.connections.remove('acme')).toBe(true);
    expect(await store.credentials.list('acme')).toEqual([]);
  });

  it('replaces a credential of the same kind and lists those sealed with an old key', async () => {
    await store.connections.create({ id: 'c', name: 'c', config: {} });
    await store.credentials.put({ connectionId: 'c', kind: 'qad.password', keyId: 'old', iv: 'a', ciphertext: 'b', authTag: 'c' });
    await store.credentials.put({ connectionId: 'c', kind: 'qad.password', keyId: 'new', iv: 'd', ciphertext: 'e', authTag: 'f' });
    await store.credentials.put({ connectionId: 'c', kind: 'salesforce.clientSecret', keyId: 'old', iv: 'g', ciphertext: 'h', authTag: 'i' });
    expect(await store.credentials.get('c', 'qad.password')).toMatchObject({ keyId: 'new', ciphertext: 'e' });
    expect((await store.credentials.listNotSealedWith('new')).map((r) => r.kind)).toEqual(['salesforce.clientSecret']);
  });

  it('stores checkpoints per connection and stream', async () => {
    expect(await store.checkpoints.get('c', 'sf-accounts')).toBeNull();
    await store.checkpoints.set('c', 'sf-accounts', Buffer.from([0, 1, 2, 255]).toString('base64'));
    clock.advance(5);
    await store.checkpoints.set('c', 'sf-accounts', 'AAEC/w==');
    await store.checkpoints.set('c', 'qad-items', '2026-01-05T09:00:00Z');
    expect(await store.checkpoints.getWithTime('c', 'sf-accounts')).toEqual({ value: 'AAEC/w==', updatedAt: '2026-01-05T10:00:00.005Z' });
    expect((await store.checkpoints.list('c')).map((row) => row.stream)).toEqual(['qad-items', 'sf-accounts']);
    expect(await store.checkpoints.get('other', 'sf-accounts')).toBeNull();
  });

  it('links QAD keys to Salesforce ids both ways and refuses a second key on one record', async () => {
    await store.links.upsert({ connectionId: 'c', object: 'Account', qadKey: 'S1|C1', salesforceId: '001A', lastHash: 'h1' });
    await store.links.upsert({ connectionId: 'c', object: 'supplier', qadKey: 'S1|C1', salesforceId: '001A' });
    expect((await store.links.findAllBySalesforceId('c', '001A')).map((l) => [l.object, l.qadKey])).toEqual([['Account', 'S1|C1'], ['supplier', 'S1|C1']]);
    expect(await store.links.findAllBySalesforceId('other', '001A')).toEqual([]);
    const kept = await store.links.upsert({ connectionId: 'c', object: 'Account', qadKey: 'S1|C1', lastHash: 'h2' });
    expect(kept).toMatchObject({ salesforceId: '001A', lastHash: 'h2' });
    expect(await store.links.findBySalesforceId('c', 'Account', '001A')).toMatchObject({ qadKey: 'S1|C1' });
    expect(await store.links.findByQadKey('c', 'Product2', 'S1|C1')).toBeNull();
    await expect(store.links.upsert({ connectionId: 'c', object: 'Account', qadKey: 'S1|C2', salesforceId: '001A' })).rejects.toMatchObject({
      code: 'BRIDGE_ERR_LINK_CONFLICT',
    });
    const many = Array.from({ length: 1200 }, (_, i) => ({ connectionId: 'c', object: 'Product2', qadKey: `I${i}`, salesforceId: `01t${i}` }));
    await store.links.upsertMany(many);
    const found = await store.links.findManyByQadKeys('c', 'Product2', ['I0', 'I1199', 'missing']);
    expect([...found.keys()].sort()).toEqual(['I0', 'I1199']);
    expect((await store.links.findManyBySalesforceIds('c', 'Product2', ['01t5'])).get('01t5')?.qadKey).toBe('I5');
    expect(await store.links.count('c', 'Product2')).toBe(1200);
  });

  it('reads and writes content hashes in bulk', async () => {
    const entries = Array.from({ length: 1000 }, (_, i) => ({ key: `S|${i}`, hash: `h${i}` }));
    await store.hashes.putMany('c', 'customer', entries);
    await store.hashes.putMany('c', 'customer', [{ key: 'S|1', hash: 'changed' }]);
    const got = await store.hashes.getMany('c', 'customer', ['S|0', 'S|1', 'S|999', 'S|nope']);
    expect(got).toEqual(new Map([['S|0', 'h0'], ['S|1', 'changed'], ['S|999', 'h999']]));
    expect((await store.hashes.keys('c', 'customer')).length).toBe(1000);
    await store.hashes.removeMany('c', 'customer', ['S|0']);
    expect((await store.hashes.getMany('c', 'customer', ['S|0'])).size).toBe(0);
  });

  it('appends audit events idempotently, mirrors them in order, searches with paging', async () => {
    const event = (i: number, overrides: Partial<AuditAppend> = {}): AuditAppend => ({
      eventId: `ev-${i}`,
      connectionId: 'c',
      direction: 'QAD to Salesforce',
      object: i % 2 === 0 ? 'Account' : 'Product2',
      operation: 'Upsert',
      status: i % 3 === 0 ? 'Failed' : 'Succeeded',
      correlationId: `corr-${Math.floor(i / 2)}`,
      attempt: 1,
      occurredAt: new Date(Date.parse('2026-01-05T10:00:00Z') + i * 1000).toISOString(),
      ...overrides,
    });
    await store.audit.appendMany(Array.from({ length: 25 }, (_, i) => event(i)));
    const dup = await store.audit.append(event(3, { status: 'Succeeded' }));
    expect(dup.status).toBe('Failed');

    const firstBatch = await store.audit.listUnmirrored(10);
    expect(firstBatch.map((e) => e.eventId)).toEqual(Array.from({ length: 10 }, (_, i) => `ev-${i}`));
    expect(await store.audit.markMirrored(firstBatch.map((e) => e.eventId))).toBe(10);
    expect((await store.audit.listUnmirrored()).length).toBe(15);

    const page1 = await store.audit.search({ object: 'Account', limit: 5 });
    expect(page1.total).toBe(13);
    expect(page1.rows.map((e) => e.eventId)).toEqual(['ev-24', 'ev-22', 'ev-20', 'ev-18', 'ev-16']);
    const page3 = await store.audit.search({ object: 'Account', limit: 5, offset: 10 });
    expect(page3.rows.map((e) => e.eventId)).toEqual(['ev-4', 'ev-2', 'ev-0']);
    const failedInWindow = await store.audit.search({ status: 'Failed', from: '2026-01-05T10:00:03.000Z', to: '2026-01-05T10:00:12.000Z' });
    expect(failedInWindow.rows.map((e) => e.eventId)).toEqual(['ev-9', 'ev-6', 'ev-3']);
    // bounds written without milliseconds or in another offset mean the same instants
    const sameWindow = await store.audit.search({ status: 'Failed', from: '2026-01-05T11:00:03+01:00', to: '2026-01-05T10:00:12Z' });
    expect(sameWindow.rows.map((e) => e.eventId)).toEqual(['ev-9', 'ev-6', 'ev-3']);
    await expect(store.audit.search({ from: 'yesterday' })).rejects.toMatchObject({ code: 'BRIDGE_ERR_VALIDATION' });
    expect((await store.audit.search({ correlationId: 'corr-1' })).rows.map((e) => e.eventId)).toEqual(['ev-3', 'ev-2']);

    expect(await store.audit.updateStatus('ev-3', 'Replayed', { requestedBy: '005X' })).toBe(true);
    expect(await store.audit.get('ev-3')).toMatchObject({ status: 'Replayed', requestedBy: '005X', mirroredAt: null });
    expect((await store.audit.listUnmirrored(200)).some((e) => e.eventId === 'ev-3')).toBe(true);
    expect(await store.audit.get('nope')).toBeNull();
    // recording who asked for a replay changes neither the status nor the mirror state
    expect(await store.audit.recordReplayRequest('ev-5', '005Y', '2026-01-05T10:30:00.000Z')).toBe(true);
    expect(await store.audit.get('ev-5')).toMatchObject({ status: 'Succeeded', requestedBy: '005Y', requestedAt: '2026-01-05T10:30:00.000Z' });
    expect((await store.audit.get('ev-5'))?.mirroredAt).not.toBeNull();

    await store.audit.append(event(99, { connectionId: 'other', occurredAt: '2026-01-04T00:00:00.000Z' }));
    expect((await store.audit.listUnmirrored(200, 'other')).map((e) => e.eventId)).toEqual(['ev-99']);
    expect((await store.audit.listUnmirrored(200, 'c')).some((e) => e.eventId === 'ev-99')).toBe(false);
    // retention removes only rows already mirrored
    await store.audit.markMirrored(['ev-99']);
    expect(await store.audit.purgeMirroredBefore('2026-01-05T10:00:05.000Z')).toBe(5);
    expect(await store.audit.get('ev-99')).toBeNull();
    expect(await store.audit.get('ev-3')).not.toBeNull();
  });

  it('hands a lease over only once its holder stops renewing it', async () => {
    expect(await store.leases.acquire('cdc:c', 'a', 10_000)).toBe(true);
    expect(await store.leases.acquire('cdc:c', 'b', 10_000)).toBe(false);
    clock.advance(9_000);
    expect(await store.leases.renew('cdc:c', 'a', 10_000)).toBe(true);
    clock.advance(9_000);
    expect(await store.leases.acquire('cdc:c', 'b', 10_000)).toBe(false);
    clock.advance(1_001);
    // holder a died: its lease lapsed and b takes it
    expect(await store.leases.acquire('cdc:c', 'b', 10_000)).toBe(true);
    expect(await store.leases.renew('cdc:c', 'a', 10_000)).toBe(false);
    expect(await store.leases.get('cdc:c')).toMatchObject({ holder: 'b' });
    expect(await store.leases.release('cdc:c', 'a')).toBe(false);
    expect(await store.leases.release('cdc:c', 'b')).toBe(true);
    expect(await store.leases.acquire('cdc:c', 'a', 10_000)).toBe(true);
    // a single-instance bridge knows the previous holder is dead and takes the lease at once
    expect(await store.leases.acquire('cdc:c', 'restarted', 10_000)).toBe(false);
    expect(await store.leases.acquire('cdc:c', 'restarted', 10_000, { takeOver: true })).toBe(true);
    expect(await store.leases.get('cdc:c')).toMatchObject({ holder: 'restarted', expiresAt: '2026-01-05T10:00:29.001Z' });
  });
});
