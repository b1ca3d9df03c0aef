import { createSandboxClock, type SandboxClock } from './clock.js';
import { startSimulatedOrg, type SimulatedOrg, type SimulatedOrgDescription, type SimulatedOrgOptions } from './salesforce/org.js';
import { startSimulatedQadTenant, type QadSandboxDescription, type QadSeed, type QadTenantOptions, type SimulatedQadTenant } from './qad/index.js';

/**
 * Starts the whole sandbox on loopback: the simulated Salesforce org (engineer C), the Pub/Sub bus
 * (engineer E) and the QAD tenant (engineer F) share one clock. `description` is what
 * `ml-connector sandbox --port 0` prints as its JSON line.
 */
export interface SandboxOptions {
  /** port of the org; 0 picks a free one */
  port?: number;
  host?: string;
  clock?: SandboxClock;
  /** combined seed `{ salesforce, qad }` (each part is read by its own simulator) */
  seed?: unknown;
  salesforce?: Omit<SimulatedOrgOptions, 'port' | 'host' | 'clock' | 'seed'>;
  /** the QAD tenant listens on its own free port; `seed.qad` replaces its default seed */
  qad?: Omit<QadTenantOptions, 'port' | 'host' | 'clock' | 'seed'>;
}

export interface SandboxDescription {
  salesforce: SimulatedOrgDescription;
  qad?: QadSandboxDescription;
  [part: string]: unknown;
}

export interface RunningSandbox {
  description: SandboxDescription;
  clock: SandboxClock;
  org: SimulatedOrg;
  qad: SimulatedQadTenant;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const clock = options.clock ?? createSandboxClock();
  const host = options.host ?? '127.0.0.1';
  const org = await startSimulatedOrg({
    ...(options.salesforce ?? {}),
    port: options.port ?? 0,
    host,
    clock,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  const qadSeed = (options.seed as { qad?: QadSeed } | undefined)?.qad;
  const qad = await startSimulatedQadTenant({ ...(options.qad ?? {}), port: 0, host, clock, ...(qadSeed ? { seed: qadSeed } : {}) });
  const description: SandboxDescription = { salesforce: org.description };
  description.qad = qad.description;
  return {
    description,
    clock,
    org,
    qad,
    async close() {
      await qad.close();
      await org.close();
    },
  };
}
