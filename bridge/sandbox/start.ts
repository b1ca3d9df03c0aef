import { createSandboxClock, type SandboxClock } from './clock.js';
import { startSimulatedOrg, type SimulatedOrg, type SimulatedOrgDescription, type SimulatedOrgOptions } from './salesforce/org.js';
import { startPubSubBus, type PubSubBus, type PubSubBusDescription, type PubSubBusOptions } from './salesforce/pubsub/index.js';
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
  /** the Pub/Sub bus listens on its own free port (TLS, certificate made at start-up) */
  pubsub?: Omit<PubSubBusOptions, 'org' | 'host'>;
  /** the QAD tenant listens on its own free port; `seed.qad` replaces its default seed */
  qad?: Omit<QadTenantOptions, 'port' | 'host' | 'clock' | 'seed'>;
}

export interface SandboxDescription {
  salesforce: SimulatedOrgDescription;
  qad?: QadSandboxDescription;
  pubsub?: PubSubBusDescription;
  [part: string]: unknown;
}

export interface RunningSandbox {
  description: SandboxDescription;
  clock: SandboxClock;
  org: SimulatedOrg;
  pubsub: PubSubBus;
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
  const pubsub = await startPubSubBus({ ...(options.pubsub ?? {}), org, host });
  const qadSeed = (options.seed as { qad?: QadSeed } | undefined)?.qad;
  const qad = await startSimulatedQadTenant({ ...(options.qad ?? {}), port: 0, host, clock, ...(qadSeed ? { seed: qadSeed } : {}) });
  const description: SandboxDescription = { salesforce: org.description };
  description.qad = qad.description;
  description.pubsub = pubsub.describe();
  return {
    description,
    clock,
    org,
    pubsub,
    qad,
    async close() {
      await qad.close();
      await pubsub.close();
      await org.close();
    },
  };
}
