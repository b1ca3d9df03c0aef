import { request } from 'undici';
import { startSimulatedOrg } from '../../../sandbox/salesforce/org.js';
import { startPubSubBus, type PubSubBus } from '../../../sandbox/salesforce/pubsub/index.js';
import { SalesforceClient } from '../../../src/clients/salesforce/index.js';
import type { Checkpoint, CheckpointStore } from '../../../src/clients/salesforce/pubsub/types.js';

export type SimulatedOrg = Awaited<ReturnType<typeof startSimulatedOrg>>;

export interface PubSubSandbox {
  org: SimulatedOrg;
  bus: PubSubBus;
  /** the bridge's connection: writes carry Sforce-Call-Options client=ml-connector */
  bridge: SalesforceClient;
  /** someone else editing in Salesforce (another integration) */
  user: SalesforceClient;
  close(): Promise<void>;
}

export async function startPubSubSandbox(options: { keepaliveIntervalMs?: number } = {}): Promise<PubSubSandbox> {
  const org = await startSimulatedOrg({});
  const bus = await startPubSubBus({ org, keepaliveIntervalMs: options.keepaliveIntervalMs ?? 200 });
  const config = { loginUrl: org.loginUrl, clientId: org.clientId, clientSecret: org.clientSecret, apiVersion: org.apiVersion, sandboxMode: true };
  const bridge = new SalesforceClient({ ...config, retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 } });
  const user = new SalesforceClient({ ...config, callOptionsClient: 'salesforce-admin-ui', retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 } });
  await bridge.login();
  await user.login();
  return {
    org,
    bus,
    bridge,
    user,
    close: async () => {
      await bus.close();
      await org.close();
    },
  };
}

/** A checkpoint store that keeps every save, so tests can see what was stored and when. */
export class MemoryCheckpoints implements CheckpointStore {
  readonly saved = new Map<string, Checkpoint>();
  saves = 0;
  async load(topic: string): Promise<Checkpoint | undefined> {
    return this.saved.get(topic);
  }
  async save(topic: string, checkpoint: Checkpoint): Promise<void> {
    this.saves += 1;
    this.saved.set(topic, checkpoint);
  }
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A plain REST call with a token, as any other Salesforce client would make it. */
export async function restCall(org: SimulatedOrg, token: string, method: 'POST' | 'PATCH' | 'GET', path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const answer = await request(`${org.baseUrl}/services/data/v${org.apiVersion}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await answer.body.text();
  return { status: answer.statusCode, body: text ? JSON.parse(text) : null };
}
