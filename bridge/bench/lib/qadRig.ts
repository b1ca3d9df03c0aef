import { generateCustomers, loadQadSeed, startSimulatedQadTenant, type QadSeed, type SimulatedQadTenant } from '../../sandbox/qad/index.js';
import { QadClient, loadQadProfile, type QadProfile } from '../../src/clients/qad/index.js';

/**
 * A simulated QAD tenant on 127.0.0.1 (port 0) and the bridge's QAD client signed in to it with the
 * tenant's test credentials, on the tenant's clock so token lifetimes follow the simulation.
 */
export interface QadRig {
  tenant: SimulatedQadTenant;
  client: QadClient;
  close(): Promise<void>;
}

export async function startQadRig(profile: string | QadProfile, seed?: QadSeed): Promise<QadRig> {
  const tenant = await startSimulatedQadTenant({ port: 0, host: '127.0.0.1', ...(seed ? { seed } : {}) });
  const loaded = typeof profile === 'string' ? await loadQadProfile(profile) : profile;
  const d = tenant.description;
  const client = new QadClient(
    {
      baseUrl: d.baseUrl,
      qxtendUrl: d.qxtendUrl,
      profile: loaded,
      credentials: { username: d.username, password: d.password, clientId: d.clientId },
      workspace: d.workspace,
      sandboxMode: true,
    },
    { clock: () => tenant.clock.now() },
  );
  try {
    await client.connect();
  } catch (error) {
    await client.close();
    await tenant.close();
    throw error;
  }
  return {
    tenant,
    client,
    async close() {
      await client.close();
      await tenant.close();
    },
  };
}

/**
 * The sandbox's default seed (domains, users, items) with its customers replaced by `count`
 * generated ones in the first domain's shared set. Their modified dates step by one second every
 * `perStamp` records, as a live tenant's would spread over time; if they all shared one instant a
 * `ge` watermark would have to re-read every one of them on each poll, which measures the seed,
 * not the poller.
 */
export async function seedWithCustomers(count: number, options: { perStamp?: number; startAt: number }): Promise<QadSeed> {
  const base = await loadQadSeed();
  const first = base.domains[0];
  if (!first) throw new Error('the sandbox seed has no domain');
  const perStamp = options.perStamp ?? 100;
  const customers = generateCustomers(count, { sharedSet: first.sharedSet, prefix: 'B', modifiedAt: new Date(options.startAt).toISOString(), currency: first.currency }).map((customer, index) => ({
    ...customer,
    modifiedAt: new Date(options.startAt + Math.floor(index / perStamp) * 1000).toISOString(),
  }));
  return { ...base, customers, contacts: [] };
}

/**
 * The tenant's call counters by kind. Its snapshot also carries a running `total` and the
 * `maxInFlight` high-water mark, which are not call kinds: left out so a sum over kinds is the
 * number of calls.
 */
export function qadCallCounters(tenant: SimulatedQadTenant): Record<string, number> {
  const { total: _total, maxInFlight: _maxInFlight, ...byKind } = tenant.control.counters();
  return byKind;
}
