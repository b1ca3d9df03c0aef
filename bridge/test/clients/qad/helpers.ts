import { QadClient, type QadClientDeps } from '../../../src/clients/qad/client.js';
import { loadQadProfile, type QadProfile } from '../../../src/clients/qad/profile.js';
import { startSimulatedQadTenant, type QadTenantOptions, type SimulatedQadTenant } from '../../../sandbox/qad/index.js';

export const FLAVOURS = ['adaptive-rest', 'webui-rest', 'qxtend-ee'] as const;
export type ProfileName = (typeof FLAVOURS)[number];

export async function startTenantFor(profile: ProfileName, options: QadTenantOptions = {}): Promise<SimulatedQadTenant> {
  return startSimulatedQadTenant({
    port: 0,
    ...(profile === 'webui-rest' ? { contextRoot: '/qad-central', apiDocsPath: null } : {}),
    ...options,
  });
}

/** A client wired to the simulated tenant the way a connection would be, on the tenant's clock. */
export async function clientFor(tenant: SimulatedQadTenant, profile: ProfileName | QadProfile, deps: QadClientDeps = {}, credentials: Record<string, string> = {}): Promise<QadClient> {
  const loaded = typeof profile === 'string' ? await loadQadProfile(profile) : profile;
  const d = tenant.description;
  return new QadClient(
    {
      baseUrl: d.baseUrl,
      qxtendUrl: d.qxtendUrl,
      profile: loaded,
      credentials: { username: d.username, password: d.password, clientId: d.clientId, ...credentials },
      workspace: d.workspace,
      sandboxMode: true,
    },
    { clock: () => tenant.clock.now(), sleep: async () => undefined, ...deps },
  );
}

export async function collect<T>(iterable: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of iterable) out.push(...page);
  return out;
}
