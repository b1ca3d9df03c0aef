import avro from 'avsc';
import * as grpc from '@grpc/grpc-js';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pubSubServiceConstructor, type FetchRequest, type FetchResponse, type PubSubStub } from '../../../src/clients/salesforce/pubsub/proto.js';
import { restCall, startPubSubSandbox, waitFor, type PubSubSandbox } from './harness.js';

let sandbox: PubSubSandbox;
let stub: PubSubStub;

beforeEach(async () => {
  sandbox = await startPubSubSandbox({ keepaliveIntervalMs: 100 });
  const Client = pubSubServiceConstructor();
  stub = new Client(sandbox.bus.endpoint, grpc.credentials.createSsl(Buffer.from(sandbox.bus.caCertificatePem as string)), {
    'grpc.ssl_target_name_override': sandbox.bus.serverName as string,
  }) as unknown as PubSubStub;
});

afterEach(async () => {
  stub.close();
  await sandbox.close();
});

async function metadata(overrides: Partial<Record<'accesstoken' | 'instanceurl' | 'tenantid', string>> = {}): Promise<grpc.Metadata> {
  const md = new grpc.Metadata();
  md.set('accesstoken', overrides.accesstoken ?? (await sandbox.bridge.getAccessToken()));
  md.set('instanceurl', overrides.instanceurl ?? sandbox.bridge.identity.instanceUrl);
  md.set('tenantid', overrides.tenantid ?? sandbox.org.orgId);
  return md;
}

interface Opened {
  call: grpc.ClientDuplexStream<FetchRequest, FetchResponse>;
  responses: FetchResponse[];
  error: () => grpc.ServiceError | undefined;
}

function subscribe(md: grpc.Metadata, first: FetchRequest): Opened {
  const call = stub.Subscribe(md);
  const responses: FetchResponse[] = [];
  let failure: grpc.ServiceError | undefined;
  call.on('data', (response: FetchResponse) => responses.push(response));
  call.on('error', (error: grpc.ServiceError) => {
    failure = error;
  });
  call.write(first);
  return { call, responses, error: () => failure };
}

const events = (opened: Opened) => opened.responses.flatMap((response) => response.events);

describe('simulated Pub/Sub bus', () => {
  it('checks the auth headers on every call: bad token, wrong tenant', async () => {
    const bad = subscribe(await metadata({ accesstoken: 'not-a-token' }), { topicName: '/data/AccountChangeEvent', numRequested: 1 });
    await waitFor(() => bad.error() !== undefined, 'an error');
    expect(bad.error()?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(bad.error()?.metadata.get('error-code')).toEqual(['sfdc.platform.eventbus.grpc.service.auth.error']);
    expect(bad.error()?.details).toMatch(/rpcId: /);
    expect(bad.error()?.details).not.toContain('not-a-token');

    const wrongTenant = await metadata({ tenantid: '00D000000000999AAA' });
    const topicError = await new Promise<grpc.ServiceError | null>((resolve) => {
      stub.GetTopic({ topicName: '/data/AccountChangeEvent' }, wrongTenant, (error) => resolve(error));
    });
    expect(topicError?.code).toBe(grpc.status.PERMISSION_DENIED);
  });

  it('serves only TLS unless asked otherwise', async () => {
    const Client = pubSubServiceConstructor();
    const plain = new Client(sandbox.bus.endpoint, grpc.credentials.createInsecure()) as unknown as PubSubStub;
    const md = await metadata();
    const error = await new Promise<grpc.ServiceError | null>((resolve) => {
      plain.GetTopic({ topicName: '/data/AccountChangeEvent' }, md, (err) => resolve(err));
    });
    plain.close();
    expect(error?.code).toBe(grpc.status.UNAVAILABLE);
  });

  it('delivers no more than requested, caps requests at 100 and reports pending_num_requested', async () => {
    const opened = subscribe(await metadata(), { topicName: '/data/AccountChangeEvent', replayPreset: 'LATEST', numRequested: 3 });
    await waitFor(() => sandbox.bus.control.counters().activeStreams === 1, 'the stream');
    await sandbox.user.upsert('Account', 'QAD_Id__c', Array.from({ length: 8 }, (_, index) => ({ Name: `Flow ${index}`, QAD_Id__c: `F|${index}` })));
    await waitFor(() => events(opened).length === 3, 'three events');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(events(opened)).toHaveLength(3);
    expect(opened.responses.filter((response) => response.events.length > 0).at(-1)?.pendingNumRequested).toBe(0);
    opened.call.write({ numRequested: 500 });
    await waitFor(() => events(opened).length === 8, 'eight events');
    expect(sandbox.bus.control.counters().maxPendingRequested).toBe(100);
    const ids = events(opened).map((event) => event.replayId);
    // opaque: not 8-byte counters, all distinct
    expect(ids.every((id) => id.length === 12)).toBe(true);
    expect(new Set(ids.map((id) => id.toString('hex'))).size).toBe(8);
    const asNumbers = ids.map((id) => id.readBigUInt64BE());
    expect(asNumbers.slice(1).some((value, index) => value !== (asNumbers[index] as bigint) + 1n)).toBe(true);
    // keepalive: an empty response carrying the last delivered replay id
    await waitFor(() => opened.responses.at(-1)?.events.length === 0, 'a keepalive');
    expect(opened.responses.at(-1)?.latestReplayId.equals(ids.at(-1) as Buffer)).toBe(true);
    opened.call.write({ topicName: '/data/ContactChangeEvent', numRequested: 1 });
    await waitFor(() => opened.error() !== undefined, 'a topic change error');
    expect(opened.error()?.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('answers the first FetchRequest at once: events, or an empty response carrying the position', async () => {
    sandbox.bus.control.setKeepaliveInterval(600_000);
    await sandbox.user.create('Account', { Name: 'Already there' });
    const latest = subscribe(await metadata(), { topicName: '/data/AccountChangeEvent', replayPreset: 'LATEST', numRequested: 5 });
    await waitFor(() => latest.responses.length === 1, 'the first answer');
    expect(latest.responses[0]?.events).toEqual([]);
    expect(latest.responses[0]?.latestReplayId.length).toBe(12);
    // the position it names is where the subscription stands: a change made now is the next delivered
    await sandbox.user.create('Account', { Name: 'After the answer' });
    await waitFor(() => events(latest).length === 1, 'the change after the answer');
    const resumed = subscribe(await metadata(), { topicName: '/data/AccountChangeEvent', replayPreset: 'CUSTOM', replayId: latest.responses[0]?.latestReplayId as Buffer, numRequested: 5 });
    await waitFor(() => events(resumed).length === 1, 'the same change from the acknowledged position');
    expect(events(resumed)[0]?.replayId.equals(events(latest)[0]?.replayId as Buffer)).toBe(true);
    // with events waiting, the first answer is those events
    const earliest = subscribe(await metadata(), { topicName: '/data/AccountChangeEvent', replayPreset: 'EARLIEST', numRequested: 5 });
    await waitFor(() => earliest.responses.length >= 1, 'the first answer from EARLIEST');
    expect(earliest.responses[0]?.events.length).toBeGreaterThan(0);
    for (const opened of [latest, resumed, earliest]) opened.call.cancel();
  });

  it('replays CUSTOM after the given id, EARLIEST from the start, and refuses unknown or aged-out ids', async () => {
    for (let index = 0; index < 4; index += 1) await sandbox.user.create('Account', { Name: `Replay ${index}` });
    const earliest = subscribe(await metadata(), { topicName: '/data/AccountChangeEvent', replayPreset: 'EARLIEST', numRequested: 10 });
    await waitFor(() => events(earliest).length === 4, 'four events');
    earliest.call.cancel();
    const second = events(earliest)[1]?.replayId as Buffer;
    const custom = subscribe(await metadata(), { topicName: '/data/AccountChangeEvent', replayPreset: 'CUSTOM', replayId: second, numRequested: 10 });
    await waitFor(() => events(custom).length === 2, 'two events after the second');
    expect(events(custom).map((event) => event.replayId.toString('hex'))).toEqual(events(earliest).slice(2).map((event) => event.replayId.toString('hex')));
    custom.call.cancel();

    const unknown = subscribe(await metadata(), { topicName: '/data/AccountChangeEvent', replayPreset: 'CUSTOM', replayId: Buffer.alloc(12, 7), numRequested: 1 });
    await waitFor(() => unknown.error() !== undefined, 'a refusal');
    expect(unknown.error()?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(unknown.error()?.metadata.get('error-code')).toEqual(['sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted']);

    sandbox.org.clock.advance(73 * 3_600_000);
    // sessions expire on the same clock, so take a fresh token
    sandbox.bridge.invalidateToken();
    const aged = subscribe(await metadata(), { topicName: '/data/AccountChangeEvent', replayPreset: 'CUSTOM', replayId: second, numRequested: 1 });
    await waitFor(() => aged.error() !== undefined, 'an aged-out refusal');
    expect(aged.error()?.metadata.get('error-code')).toEqual(['sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted']);
  });

  it('answers GetTopic and GetSchema with a change-event schema in Salesforce shape', async () => {
    const md = await metadata();
    const topic = await new Promise<Record<string, unknown>>((resolve, reject) => stub.GetTopic({ topicName: '/data/AccountChangeEvent' }, md, (error, info) => (error ? reject(error) : resolve(info as never))));
    expect(topic).toMatchObject({ canPublish: false, canSubscribe: true });
    const schema = await new Promise<{ schemaJson: string }>((resolve, reject) => stub.GetSchema({ schemaId: String(topic.schemaId) }, md, (error, info) => (error ? reject(error) : resolve(info as never))));
    const parsed = JSON.parse(schema.schemaJson) as { name: string; fields: Array<{ name: string; type: unknown }> };
    expect(parsed.name).toBe('AccountChangeEvent');
    expect(parsed.fields[0]?.name).toBe('ChangeEventHeader');
    const names = parsed.fields.map((field) => field.name);
    expect(names).toEqual(expect.arrayContaining(['Name', 'BillingAddress', 'ShippingAddress', 'QAD_Id__c', 'LastModifiedDate']));
    expect(names).not.toContain('BillingCity');
    expect(names).not.toContain('Id');
  });

  it('delivers Sync_Replay_Request__e from a REST create and from Publish', async () => {
    const md = await metadata();
    const opened = subscribe(md, { topicName: '/event/Sync_Replay_Request__e', replayPreset: 'LATEST', numRequested: 5 });
    await waitFor(() => sandbox.bus.control.counters().activeStreams === 1, 'the stream');
    const token = await sandbox.user.getAccessToken();
    const created = await restCall(sandbox.org, token, 'POST', '/sobjects/Sync_Replay_Request__e', { Audit_Event_Id__c: 'evt-1', Requested_By__c: '005000000000001AAA' });
    expect(created.status).toBe(201);
    const topic = await new Promise<{ schemaId: string; canPublish: boolean }>((resolve, reject) => stub.GetTopic({ topicName: '/event/Sync_Replay_Request__e' }, md, (error, info) => (error ? reject(error) : resolve(info as never))));
    expect(topic.canPublish).toBe(true);
    const schemaInfo = await new Promise<{ schemaJson: string }>((resolve, reject) => stub.GetSchema({ schemaId: topic.schemaId }, md, (error, info) => (error ? reject(error) : resolve(info as never))));
    const type = avro.Type.forSchema(JSON.parse(schemaInfo.schemaJson) as avro.Schema);
    const payload = type.toBuffer({ CreatedDate: Date.now(), CreatedById: '005000000000001AAA', EventUuid: 'u-2', Audit_Event_Id__c: 'evt-2', Audit_Record_Id__c: null, Requested_By__c: null });
    const published = await new Promise<{ results: Array<{ replayId: Buffer; correlationKey: string }> }>((resolve, reject) =>
      stub.Publish({ topicName: '/event/Sync_Replay_Request__e', events: [{ id: 'corr-2', schemaId: topic.schemaId, payload }] }, md, (error, answer) => (error ? reject(error) : resolve(answer as never))),
    );
    expect(published.results[0]?.correlationKey).toBe('corr-2');
    expect(published.results[0]?.replayId.length).toBe(12);
    await waitFor(() => events(opened).length === 2, 'two platform events');
    const decoded = events(opened).map((event) => type.fromBuffer(event.event.payload) as Record<string, unknown>);
    expect(decoded.map((event) => event.Audit_Event_Id__c)).toEqual(['evt-1', 'evt-2']);
  });

  it('exposes gap, overflow, drop and counters over HTTP under /__sandbox/pubsub', async () => {
    const base = sandbox.bus.controlUrl as string;
    const post = async (path: string, body: unknown) => {
      const answer = await request(`${base}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      return { status: answer.statusCode, body: (await answer.body.json()) as unknown };
    };
    const opened = subscribe(await metadata(), { topicName: '/data/ChangeEvents', numRequested: 10 });
    await waitFor(() => sandbox.bus.control.counters().activeStreams === 1, 'the stream');
    expect((await post('/__sandbox/pubsub/gap', { entityName: 'Account', recordIds: ['001000000000001AAA'] })).status).toBe(200);
    expect((await post('/__sandbox/pubsub/overflow', { entityName: 'Contact' })).status).toBe(200);
    const refused = await post('/__sandbox/pubsub/gap', { entityName: 'Account' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('recordIds');
    await waitFor(() => events(opened).length === 2, 'two header-only events');
    expect((await post('/__sandbox/pubsub/drop-streams', {})).body).toMatchObject({ dropped: 1 });
    await waitFor(() => opened.error() !== undefined, 'the drop');
    expect(opened.error()?.code).toBe(grpc.status.UNAVAILABLE);
    const counters = (await (await request(`${base}/__sandbox/pubsub/counters`)).body.json()) as Record<string, number>;
    expect(counters.streamsDropped).toBe(1);
    expect(counters.eventsDelivered).toBe(2);
  });
});
