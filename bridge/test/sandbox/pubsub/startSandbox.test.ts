import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../../sandbox/start.js';
import { pubSubServiceConstructor, type PubSubStub, type TopicInfo } from '../../../src/clients/salesforce/pubsub/proto.js';
import { SalesforceClient } from '../../../src/clients/salesforce/index.js';

describe('startSandbox pubsub part', () => {
  it('describes the bus so a client can trust its certificate and reach it', async () => {
    const sandbox = await startSandbox();
    try {
      const pubsub = JSON.parse(JSON.stringify(sandbox.description)).pubsub as { endpoint: string; tls: boolean; caCertificatePem: string; serverName: string; topics: string[] };
      expect(pubsub.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(pubsub.tls).toBe(true);
      expect(pubsub.serverName).toBe('localhost');
      expect(pubsub.caCertificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);
      expect(pubsub.topics).toEqual(expect.arrayContaining(['/data/AccountChangeEvent', '/data/ChangeEvents', '/event/Sync_Replay_Request__e']));

      const { salesforce } = sandbox.description;
      const client = new SalesforceClient({ loginUrl: salesforce.loginUrl, clientId: salesforce.clientId, clientSecret: salesforce.clientSecret, apiVersion: salesforce.apiVersion, sandboxMode: true });
      await client.login();
      const md = new grpc.Metadata();
      md.set('accesstoken', await client.getAccessToken());
      md.set('instanceurl', client.identity.instanceUrl);
      md.set('tenantid', client.identity.orgId);
      const Client = pubSubServiceConstructor();
      const stub = new Client(pubsub.endpoint, grpc.credentials.createSsl(Buffer.from(pubsub.caCertificatePem)), { 'grpc.ssl_target_name_override': pubsub.serverName }) as unknown as PubSubStub;
      const topic = await new Promise<TopicInfo>((resolve, reject) => stub.GetTopic({ topicName: '/data/OrderChangeEvent' }, md, (error, info) => (error || !info ? reject(error) : resolve(info))));
      stub.close();
      expect(topic.canSubscribe).toBe(true);
      expect(topic.tenantGuid).toBe(client.identity.orgId);
    } finally {
      await sandbox.close();
    }
  });
});
