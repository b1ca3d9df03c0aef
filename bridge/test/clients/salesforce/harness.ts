import type { Dispatcher } from 'undici';
import { startSimulatedOrg, type SimulatedOrg, type SimulatedOrgOptions } from '../../../sandbox/salesforce/org.js';
import { SalesforceClient } from '../../../src/clients/salesforce/index.js';
import type { SalesforceClientConfig } from '../../../src/clients/salesforce/types.js';
import { describeErrorFully, memoryLogger, recordingDispatcher, recordingSleep, type WireSecrets } from './support.js';

/**
 * One place that remembers everything the client under test logged, raised and was handed as a
 * secret across every scenario of a test file, so the last test can scan it all for leaks.
 */
export class LeakWatch {
  readonly secrets: WireSecrets = { tokens: new Set(), signatures: new Set() };
  readonly clientSecrets = new Set<string>();
  readonly raised: string[] = [];
  readonly memory = memoryLogger();
  readonly observedCalls: Record<string, Record<string, number>> = {};

  /** Awaits a call expected to fail; keeps the full error text for the scan and returns the error. */
  async failure(promise: Promise<unknown>): Promise<Error & { code?: string; [key: string]: unknown }> {
    try {
      await promise;
    } catch (error) {
      this.raised.push(describeErrorFully(error));
      return error as Error & { code?: string; [key: string]: unknown };
    }
    throw new Error('expected the call to fail, it succeeded');
  }
}

export const TEST_RETRY = { maxRetries: 4, baseDelayMs: 100, maxDelayMs: 5_000, factor: 2, jitter: 0.5 } as const;

export interface Rig {
  org: SimulatedOrg;
  client: SalesforceClient;
  delays: number[];
  makeClient(overrides?: Partial<SalesforceClientConfig>, sleep?: (ms: number) => Promise<void>): SalesforceClient;
  counters(): Record<string, number>;
  close(): Promise<void>;
}

export async function startRig(watch: LeakWatch, orgOptions: SimulatedOrgOptions = {}, config: Partial<SalesforceClientConfig> = {}): Promise<Rig> {
  const org = await startSimulatedOrg(orgOptions);
  watch.clientSecrets.add(org.clientSecret);
  const clients: SalesforceClient[] = [];
  const dispatchers: Dispatcher[] = [];
  const { sleep, delays } = recordingSleep();
  const makeClient = (overrides: Partial<SalesforceClientConfig> = {}, sleepFn: (ms: number) => Promise<void> = sleep): SalesforceClient => {
    const dispatcher = recordingDispatcher(watch.secrets);
    dispatchers.push(dispatcher);
    const client = new SalesforceClient(
      {
        loginUrl: org.loginUrl,
        clientId: org.clientId,
        clientSecret: org.clientSecret,
        apiVersion: org.apiVersion,
        sandboxMode: true,
        retry: TEST_RETRY,
        ...config,
        ...overrides,
      },
      // random 0.5 pins the jitter: each computed delay is 75 % of its exponential step
      { logger: watch.memory.logger, random: () => 0.5, sleep: sleepFn, dispatcher },
    );
    clients.push(client);
    return client;
  };
  const client = makeClient();
  return {
    org,
    client,
    delays,
    makeClient,
    counters: () => org.control.counters(),
    close: async () => {
      await Promise.all(clients.map((c) => c.close()));
      await Promise.all(dispatchers.map((d) => d.close()));
      await org.close();
    },
  };
}
