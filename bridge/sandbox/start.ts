import { createSandboxClock, type SandboxClock } from './clock.js';
import { startSimulatedOrg, type SimulatedOrg, type SimulatedOrgDescription, type SimulatedOrgOptions } from './salesforce/org.js';

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
}

export interface SandboxDescription {
  salesforce: SimulatedOrgDescription;
  [part: string]: unknown;
}

export interface RunningSandbox {
  description: SandboxDescription;
  clock: SandboxClock;
  org: SimulatedOrg;
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
  const description: SandboxDescription = { salesforce: org.description };
  return {
    description,
    clock,
    org,
    async close() {
      await org.close();
    },
  };
}
