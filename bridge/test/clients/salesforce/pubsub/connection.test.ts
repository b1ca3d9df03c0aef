import { describe, expect, it } from 'vitest';
import { tlsServerName } from '../../../../src/clients/salesforce/pubsub/connection.js';

describe('the TLS server name sent to Pub/Sub', () => {
  it('leaves a host name to gRPC, which sends it as it is', () => {
    expect(tlsServerName('api.pubsub.salesforce.com:7443', {})).toBeUndefined();
  });

  it('never sends an IP address: loopback defaults to localhost, the name the sandbox certificate carries', () => {
    expect(tlsServerName('127.0.0.1:7443', {})).toBe('localhost');
    expect(tlsServerName('[::1]:7443', {})).toBe('localhost');
    expect(tlsServerName('127.0.0.1:7443', { serverName: 'bus.internal' })).toBe('bus.internal');
  });

  it('refuses another IP address without a server name, naming the setting to add', () => {
    expect(() => tlsServerName('10.1.2.3:7443', {})).toThrow(expect.objectContaining({ code: 'BRIDGE_ERR_PUBSUB_CONFIG', message: expect.stringContaining('tls.serverName') }));
    expect(tlsServerName('10.1.2.3:7443', { serverName: 'api.pubsub.salesforce.com' })).toBe('api.pubsub.salesforce.com');
  });
});
