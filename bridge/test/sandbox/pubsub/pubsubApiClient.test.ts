import PubSubApiClient from 'salesforce-pubsub-api-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPubSubSandbox, waitFor, type PubSubSandbox } from './harness.js';

// The independent Pub/Sub client (pozil/pub-sub-api-node-client) against the simulated bus: it
// checks the wire shapes, the Avro payloads and the bitmaps with code we did not write.
let sandbox: PubSubSandbox;

beforeEach(async () => {
  sandbox = await startPubSubSandbox();
});

afterEach(async () => {
  await sandbox.close();
});

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('salesforce-pubsub-api-client against the simulated bus', () => {
  it('receives a decoded Account change event with changed field names after a REST update', async () => {
    const { id } = await sandbox.user.create('Account', { Name: 'Pozil Test', BillingCity: 'Nantes' });
    const token = await sandbox.bridge.getAccessToken();
    const client = new PubSubApiClient(
      {
        authType: 'user-supplied',
        accessToken: token,
        // the library accepts only https instance URLs; the bus compares the host
        instanceUrl: sandbox.bridge.identity.instanceUrl.replace(/^http:/, 'https:'),
        organizationId: sandbox.org.orgId,
        // by name, not 127.0.0.1: the library would send the IP as TLS server name (RFC 6066 forbids it)
        pubSubEndpoint: `${sandbox.bus.serverName as string}:${sandbox.bus.port}`,
        rejectUnauthorizedSsl: false,
      },
      quiet,
    );
    await client.connect();
    const received: Array<{ replayId: number; payload: Record<string, unknown> }> = [];
    client.subscribe(
      '/data/AccountChangeEvent',
      (_subscription: unknown, callbackType: string, data: unknown) => {
        if (callbackType === 'event') received.push(data as (typeof received)[number]);
      },
      1,
    );
    await waitFor(() => sandbox.bus.control.counters().activeStreams === 1, 'the library to subscribe');
    await sandbox.user.update('Account', id, { BillingCity: 'Lyon', Phone: '+33 4 00 00 00 00' });
    await waitFor(() => received.length === 1, 'one event');
    client.close();

    const payload = received[0]?.payload as Record<string, unknown>;
    const header = payload.ChangeEventHeader as Record<string, unknown>;
    expect(header.entityName).toBe('Account');
    expect(header.changeType).toBe('UPDATE');
    expect(header.recordIds).toEqual([id]);
    expect(header.changedFields).toEqual(expect.arrayContaining(['Phone', 'LastModifiedDate', 'BillingAddress.City']));
    expect(payload.Phone).toBe('+33 4 00 00 00 00');
    expect((payload.BillingAddress as Record<string, unknown>).City).toBe('Lyon');
    // unchanged fields are null in a Pub/Sub change event
    expect(payload.Name).toBeNull();
    expect(sandbox.bus.control.counters().getSchemaCalls).toBe(1);
  });
});
