import { startSimulatedOrg, type SimulatedOrg } from '../../sandbox/salesforce/org.js';
import { SalesforceClient } from '../../src/clients/salesforce/index.js';
import type { SalesforceClientConfig } from '../../src/clients/salesforce/types.js';

/**
 * A simulated org on 127.0.0.1 (port 0) and the bridge's own client logged in to it. The daily
 * allowance is raised far above what a benchmark spends so the numbers measure throughput, not
 * the REQUEST_LIMIT_EXCEEDED path.
 */
export interface SalesforceRig {
  org: SimulatedOrg;
  client: SalesforceClient;
  close(): Promise<void>;
}

export async function startSalesforceRig(config: Partial<SalesforceClientConfig> = {}): Promise<SalesforceRig> {
  const org = await startSimulatedOrg({ port: 0, host: '127.0.0.1', dailyApiRequests: 50_000_000 });
  const client = new SalesforceClient({
    loginUrl: org.loginUrl,
    clientId: org.clientId,
    clientSecret: org.clientSecret,
    apiVersion: org.apiVersion,
    sandboxMode: true,
    ...config,
  });
  try {
    await client.login();
  } catch (error) {
    await client.close();
    await org.close();
    throw error;
  }
  return {
    org,
    client,
    async close() {
      await client.close();
      await org.close();
    },
  };
}
