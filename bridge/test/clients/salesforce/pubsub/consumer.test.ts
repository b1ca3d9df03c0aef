import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PubSubConsumer } from '../../../../src/clients/salesforce/pubsub/index.js';
import type { ChangeEvent, PubSubConsumerConfig, RecordsBatch } from '../../../../src/clients/salesforce/pubsub/types.js';
import { MemoryCheckpoints, startPubSubSandbox, waitFor, type PubSubSandbox } from '../../../sandbox/pubsub/harness.js';

const TOPIC = '/data/AccountChangeEvent';
const HOUR = 3_600_000;

class RecordingHandler {
  readonly changes: ChangeEvent[] = [];
  readonly records: RecordsBatch[] = [];
  delayMs = 0;
  onEachChange?: () => void;
  async onChanges(changes: ChangeEvent[]): Promise<void> {
    for (const change of changes) {
      this.onEachChange?.();
      if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      this.changes.push(change);
    }
  }
  async onRecords(batch: RecordsBatch): Promise<void> {
    this.records.push(batch);
  }
  eventIds(): string[] {
    return this.changes.map((change) => change.eventId);
  }
  duplicates(): number {
    return this.changes.length - new Set(this.eventIds()).size;
  }
}

let sandbox: PubSubSandbox;
let consumers: PubSubConsumer[] = [];
const sleeps: number[] = [];

// Every TLS connection of this file goes to 127.0.0.1; none may send the IP as its server name.
const warnings: Error[] = [];
const onWarning = (warning: Error): void => {
  warnings.push(warning);
};
beforeAll(() => {
  process.on('warning', onWarning);
});
afterAll(() => {
  process.off('warning', onWarning);
  expect(warnings.filter((warning) => (warning as Error & { code?: string }).code === 'DEP0123').map((warning) => warning.message)).toEqual([]);
});

beforeEach(async () => {
  sandbox = await startPubSubSandbox({ keepaliveIntervalMs: 150 });
  consumers = [];
  sleeps.length = 0;
});

afterEach(async () => {
  for (const consumer of consumers) await consumer.stop();
  await sandbox.close();
});

function consumer(handler: RecordingHandler, checkpoints: MemoryCheckpoints, overrides: Partial<PubSubConsumerConfig> = {}): PubSubConsumer {
  const created = new PubSubConsumer(
    {
      endpoint: sandbox.bus.endpoint,
      tls: { caCertificatePem: sandbox.bus.caCertificatePem as string },
      topics: [TOPIC],
      maxInFlight: 10,
      resyncFields: { Account: ['Name', 'Phone', 'BillingCity'] },
      retry: { baseDelayMs: 1, maxDelayMs: 8 },
      ...overrides,
    },
    {
      auth: sandbox.bridge,
      soql: sandbox.bridge,
      checkpoints,
      handler,
      clock: () => sandbox.org.clock.now(),
      // Backoff is recorded and shortened: the schedule is the policy's, the wait is not the test's.
      sleep: async (ms) => {
        sleeps.push(ms);
        await new Promise((resolve) => setTimeout(resolve, 1));
      },
    },
  );
  consumers.push(created);
  return created;
}

async function createAccounts(count: number, prefix = 'Acme'): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) ids.push((await sandbox.user.create('Account', { Name: `${prefix} ${index}` })).id);
  return ids;
}

async function live(created: PubSubConsumer): Promise<void> {
  await waitFor(() => created.stats()[0]?.state === 'live' && (created.stats()[0]?.keepalives ?? 0) > 0, 'the subscription to be live');
}

describe('PubSubConsumer over the simulated bus', () => {
  it('decodes a change with its changed field names, including compound parts', async () => {
    const handler = new RecordingHandler();
    const running = consumer(handler, new MemoryCheckpoints());
    running.start();
    await live(running);
    const [id] = await createAccounts(1);
    await sandbox.user.update('Account', id as string, { BillingCity: 'Lyon', Phone: null });
    await waitFor(() => handler.changes.length === 2, 'two changes');
    const update = handler.changes[1] as ChangeEvent;
    expect(update.changeType).toBe('UPDATE');
    expect(update.recordIds).toEqual([id]);
    expect(update.changedFields).toEqual(expect.arrayContaining(['BillingAddress.City', 'LastModifiedDate']));
    expect(update.fields.BillingAddress).toEqual({ City: 'Lyon' });
    expect(update.changeOrigin).toContain('client=salesforce-admin-ui');
    expect(typeof update.commitNumber).toBe('bigint');
  });

  it('is ready once the bus has answered, and a change made right after is delivered from LATEST', async () => {
    // No timed keepalive comes to help: the first answer has to be the bus acknowledging the stream.
    sandbox.bus.control.setKeepaliveInterval(600_000);
    const handler = new RecordingHandler();
    const checkpoints = new MemoryCheckpoints();
    const running = consumer(handler, checkpoints, { startFrom: 'LATEST' });
    await sandbox.user.create('Account', { Name: 'Before start' });
    running.start();
    await running.ready(TOPIC);
    expect(running.stats()[0]?.state).toBe('live');
    expect(sandbox.bus.control.counters().activeStreams).toBe(1);
    const [id] = await createAccounts(1, 'Right after ready');
    await waitFor(() => handler.changes.length === 1, 'the change made right after ready');
    expect(handler.changes[0]?.recordIds).toEqual([id]);
    expect(handler.changes[0]?.fields.Name).toBe('Right after ready 0');
    // the acknowledgement's position was stored, so a restart also resumes from there
    expect(checkpoints.saves).toBeGreaterThanOrEqual(1);
  });

  it('ready rejects when the consumer is stopped before the bus answers, and for a topic it does not follow', async () => {
    const running = consumer(new RecordingHandler(), new MemoryCheckpoints());
    await expect(running.ready('/data/ContactChangeEvent')).rejects.toMatchObject({ code: 'BRIDGE_ERR_PUBSUB_CONFIG' });
    const ready = running.ready();
    await running.stop();
    await expect(ready).rejects.toMatchObject({ code: 'BRIDGE_ERR_PUBSUB_STOPPED' });
  });

  it('resumes a stream dropped mid-flow with no event missed and none handled twice', async () => {
    const handler = new RecordingHandler();
    const running = consumer(handler, new MemoryCheckpoints(), { maxInFlight: 4 });
    running.start();
    await live(running);
    sandbox.bus.control.dropStreams();
    sandbox.bus.control.dropNextStreamAfter(7, TOPIC);
    await createAccounts(25);
    await waitFor(() => handler.changes.length >= 25, '25 changes');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stats = running.stats()[0];
    console.log('dropped stream:', { handled: handler.changes.length, duplicates: handler.duplicates(), dropped: sandbox.bus.control.counters().streamsDropped, reconnects: stats?.reconnects });
    expect(handler.changes.length).toBe(25);
    expect(handler.duplicates()).toBe(0);
    expect(sandbox.bus.control.counters().streamsDropped).toBe(2);
    expect(stats?.reconnects).toBeGreaterThanOrEqual(2);
    expect(sleeps.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(8);
  });

  it('a restarted consumer resumes from the stored replay id', async () => {
    const checkpoints = new MemoryCheckpoints();
    const first = new RecordingHandler();
    const a = consumer(first, checkpoints);
    a.start();
    await live(a);
    await createAccounts(6, 'Before');
    await waitFor(() => first.changes.length === 6, 'six changes');
    await a.stop();
    const stored = checkpoints.saved.get(TOPIC)?.replayId;
    expect(stored?.length).toBeGreaterThanOrEqual(8);

    await createAccounts(4, 'While stopped');
    const second = new RecordingHandler();
    const b = consumer(second, checkpoints);
    b.start();
    await waitFor(() => second.changes.length >= 4, 'four changes after restart');
    await new Promise((resolve) => setTimeout(resolve, 300));
    console.log('restart:', { firstRun: first.changes.length, secondRun: second.changes.length, overlap: second.eventIds().filter((id) => first.eventIds().includes(id)).length });
    expect(second.changes.length).toBe(4);
    expect(second.changes.every((change) => String(change.fields.Name).startsWith('While stopped'))).toBe(true);
  });

  it('renews a token that expires mid-stream', async () => {
    const handler = new RecordingHandler();
    const running = consumer(handler, new MemoryCheckpoints());
    running.start();
    await live(running);
    await createAccounts(3, 'Before expiry');
    await waitFor(() => handler.changes.length === 3, 'three changes');
    sandbox.org.control.expireTokens();
    await sandbox.user.login();
    await createAccounts(3, 'After expiry');
    await waitFor(() => handler.changes.length === 6, 'six changes');
    const stats = running.stats()[0];
    console.log('token expiry:', { handled: handler.changes.length, duplicates: handler.duplicates(), tokenRefreshes: stats?.tokenRefreshes, busAuthFailures: sandbox.bus.control.counters().authFailures });
    expect(stats?.tokenRefreshes).toBeGreaterThanOrEqual(1);
    expect(sandbox.bus.control.counters().authFailures).toBeGreaterThanOrEqual(1);
    expect(handler.duplicates()).toBe(0);
  });

  it('after an 80-hour outage catches up by SOQL and finds every change made meanwhile', async () => {
    const checkpoints = new MemoryCheckpoints();
    const first = new RecordingHandler();
    const a = consumer(first, checkpoints);
    a.start();
    await live(a);
    await createAccounts(2, 'Before outage');
    await waitFor(() => first.changes.length === 2, 'two changes');
    await a.stop();

    const changedMeanwhile: string[] = [];
    for (let hour = 0; hour < 80; hour += 10) {
      sandbox.org.clock.advance(10 * HOUR);
      changedMeanwhile.push(...(await createAccounts(2, `Outage h${hour}`)));
    }
    const restartedAt = sandbox.org.clock.now();
    const second = new RecordingHandler();
    const b = consumer(second, checkpoints);
    b.start();
    await waitFor(() => b.stats()[0]?.catchUps === 1 && b.stats()[0]?.state === 'live', 'catch-up then live');
    // every event made during the outage is still retained (the oldest is 70 h old) and replays from EARLIEST
    await waitFor(() => (b.stats()[0]?.alreadyCaughtUpSkipped ?? 0) + second.changes.length === changedMeanwhile.length, 'the retained events');
    const caughtUp = new Set(second.records.filter((batch) => batch.reason === 'catch-up').flatMap((batch) => batch.records.map((record) => String(record.Id))));
    const stats = b.stats()[0];
    console.log('80 h outage:', { changedMeanwhile: changedMeanwhile.length, caughtUp: caughtUp.size, catchUpRecords: stats?.catchUpRecords, replayedAndPassedOver: stats?.alreadyCaughtUpSkipped, handledAsEvents: second.changes.length });
    expect(changedMeanwhile.every((id) => caughtUp.has(id))).toBe(true);
    // Events still retained are replayed from EARLIEST; those the query already covered are passed
    // over, and only the look-back window (5 min by default) is handled a second time.
    expect(stats?.alreadyCaughtUpSkipped).toBeGreaterThan(0);
    expect(second.changes.every((change) => change.commitTimestamp >= restartedAt - 5 * 60_000 && caughtUp.has(change.recordIds[0] as string))).toBe(true);
  });

  it('falls back to a catch-up when the bus refuses the stored replay id', async () => {
    const checkpoints = new MemoryCheckpoints();
    const ids = await createAccounts(2, 'Refused');
    await checkpoints.save(TOPIC, { replayId: Buffer.from('00112233445566778899aabb', 'hex'), lastEventAt: new Date(sandbox.org.clock.now() - 60_000) });
    const handler = new RecordingHandler();
    const running = consumer(handler, checkpoints);
    running.start();
    await waitFor(() => running.stats()[0]?.catchUps === 1, 'a catch-up');
    expect(running.stats()[0]?.replayIdRefusals).toBe(1);
    expect(sandbox.bus.control.counters().replayIdRefusals).toBe(1);
    const caughtUp = handler.records.flatMap((batch) => batch.records.map((record) => String(record.Id)));
    expect(caughtUp).toEqual(expect.arrayContaining(ids));
  });

  it('re-reads the records of a gap event and resyncs an object on overflow', async () => {
    const handler = new RecordingHandler();
    const running = consumer(handler, new MemoryCheckpoints());
    running.start();
    await live(running);
    const ids = await createAccounts(3, 'Gap');
    await waitFor(() => handler.changes.length === 3, 'three changes');
    sandbox.bus.control.emitGap('Account', [ids[0] as string, ids[1] as string]);
    await waitFor(() => handler.records.some((batch) => batch.reason === 'gap'), 'a gap re-read');
    const gap = handler.records.find((batch) => batch.reason === 'gap') as RecordsBatch;
    expect(gap.records.map((record) => record.Id).sort()).toEqual([ids[0], ids[1]].sort());
    expect(gap.records.every((record) => String(record.Name).startsWith('Gap'))).toBe(true);

    sandbox.bus.control.emitOverflow('Account');
    await waitFor(() => handler.records.some((batch) => batch.reason === 'overflow'), 'an overflow resync');
    const overflow = handler.records.find((batch) => batch.reason === 'overflow') as RecordsBatch;
    expect(overflow.records.map((record) => record.Id)).toEqual(expect.arrayContaining(ids));
    const stats = running.stats()[0];
    console.log('gap/overflow:', { gapEvents: stats?.gapEvents, overflowEvents: stats?.overflowEvents, recordsReRead: stats?.recordsReRead });
    expect(stats?.gapEvents).toBe(1);
    expect(stats?.overflowEvents).toBe(1);
  });

  it("passes over the bridge's own writes", async () => {
    const handler = new RecordingHandler();
    const running = consumer(handler, new MemoryCheckpoints());
    running.start();
    await live(running);
    for (let index = 0; index < 3; index += 1) await sandbox.bridge.create('Account', { Name: `Bridge ${index}` });
    await createAccounts(2, 'Someone else');
    await waitFor(() => (running.stats()[0]?.ownWritesSkipped ?? 0) + handler.changes.length === 5, 'five events');
    console.log('own writes:', { handled: handler.changes.length, ownWritesSkipped: running.stats()[0]?.ownWritesSkipped });
    expect(running.stats()[0]?.ownWritesSkipped).toBe(3);
    expect(handler.changes.map((change) => change.fields.Name)).toEqual(['Someone else 0', 'Someone else 1']);
  });

  it('keeps no more than maxInFlight events unprocessed with a handler 100x slower than delivery', async () => {
    const maxInFlight = 5;
    const handler = new RecordingHandler();
    handler.delayMs = 20;
    let worstBacklog = 0;
    handler.onEachChange = () => {
      const delivered = sandbox.bus.control.counters().deliveredByTopic[TOPIC] ?? 0;
      worstBacklog = Math.max(worstBacklog, delivered - handler.changes.length);
    };
    const running = consumer(handler, new MemoryCheckpoints(), { maxInFlight });
    running.start();
    await live(running);
    const rows = Array.from({ length: 60 }, (_, index) => ({ Name: `Bulk ${index}`, QAD_Id__c: `SET|${index}` }));
    await sandbox.user.upsert('Account', 'QAD_Id__c', rows);
    await waitFor(() => handler.changes.length === 60, 'sixty changes', 30_000);
    const stats = running.stats()[0];
    console.log('slow handler:', { handled: handler.changes.length, worstBacklog, maxUnprocessed: stats?.maxUnprocessed, busMaxPendingRequested: sandbox.bus.control.counters().maxPendingRequested });
    expect(worstBacklog).toBeLessThanOrEqual(maxInFlight);
    expect(stats?.maxUnprocessed).toBeLessThanOrEqual(maxInFlight);
    expect(sandbox.bus.control.counters().maxPendingRequested).toBeLessThanOrEqual(maxInFlight);
    expect(handler.duplicates()).toBe(0);
  });
});
