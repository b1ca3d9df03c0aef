import { describe, expect, it } from 'vitest';
import { QadClient } from '../../../src/clients/qad/client.js';
import { loadQadProfile } from '../../../src/clients/qad/profile.js';
import type { HostResolver } from '../../../src/clients/qad/urlPolicy.js';

const workspace = { domain: '10USA', entity: '10USACO', sharedSet: 'US-SET' };
const credentials = { username: 'u@example.com', password: 'pw-not-logged', clientId: 'cid' };

describe('tenant host checks after DNS resolution', () => {
  it('refuses at connect when the tenant name resolves into a private network', async () => {
    const resolver: HostResolver = async () => [{ address: '10.20.30.40', family: 4 }];
    const client = new QadClient({ baseUrl: 'https://acme.qad.example/clouderp', profile: await loadQadProfile('adaptive-rest'), credentials, workspace }, { resolver });
    await expect(client.connect()).rejects.toMatchObject({ code: 'QAD_ERR_URL_PRIVATE_ADDRESS', rule: 'no-private-network' });
    await client.close();
  });

  it('checks again when the connection is made, so a name re-pointed after validation is refused (DNS rebinding)', async () => {
    let lookups = 0;
    const resolver: HostResolver = async () => {
      lookups += 1;
      return lookups === 1 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '169.254.169.254', family: 4 }];
    };
    const client = new QadClient({ baseUrl: 'https://rebind.qad.example/clouderp', profile: await loadQadProfile('adaptive-rest'), credentials, workspace }, { resolver, sleep: async () => undefined });
    const error = await client.connect().catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'QAD_ERR_URL_METADATA' });
    expect(lookups).toBeGreaterThanOrEqual(2);
    await client.close();
  });

  it('refuses bad URLs and QXtend endpoints when the client is built, before any call', async () => {
    const rest = await loadQadProfile('adaptive-rest');
    expect(() => new QadClient({ baseUrl: 'http://acme.qad.example/clouderp', profile: rest, credentials, workspace })).toThrow(expect.objectContaining({ code: 'QAD_ERR_URL_SCHEME' }));
    const qx = await loadQadProfile('qxtend-ee');
    expect(() => new QadClient({ qxtendUrl: 'https://192.168.0.9/qxi/services/QdocWebService', profile: qx, credentials, workspace })).toThrow(expect.objectContaining({ code: 'QAD_ERR_URL_PRIVATE_ADDRESS' }));
    expect(() => new QadClient({ profile: qx, credentials, workspace })).toThrow(expect.objectContaining({ code: 'QAD_ERR_CONFIG_INVALID' }));
    expect(() => new QadClient({ baseUrl: 'https://acme.qad.example/clouderp', profile: rest, credentials, workspace: { ...workspace, entity: '' } })).toThrow(/workspace.entity/);
  });
});
