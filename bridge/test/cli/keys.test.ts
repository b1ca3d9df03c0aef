import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { ConnectionSecrets, CredentialVault, keyIdOf, loadKeyring } from '../../src/credentials/index.js';
import { startServer } from '../../src/server.js';
import { openStore } from '../../src/store/index.js';
import type { ConnectionRuntimeStatus, EngineApi, ReplayOutcome } from '../../src/sync/api.js';

const API_TOKEN = 'keys-test-api-token-0123456789';
const SF_SECRET = 'api-stored-sf-secret-41';
const QAD_PASSWORD = 'api-stored-qad-password-42';

class IdleEngine implements EngineApi {
  isReady(): boolean {
    return true;
  }
  async status(): Promise<ConnectionRuntimeStatus[]> {
    return [];
  }
  async pauseStream(): Promise<void> {}
  async resumeStream(): Promise<void> {}
  async runNow(): Promise<void> {}
  async replay(id: string): Promise<ReplayOutcome> {
    return { replayOf: id, auditEventId: id, status: 'Succeeded' };
  }
  async stop(): Promise<void> {}
}

function io(env: NodeJS.ProcessEnv): CliIo & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    env,
    stdout(text: string) {
      captured.out += text;
    },
    stderr(text: string) {
      captured.err += text;
    },
  };
  return captured;
}

describe('ml-connector keys rotate', () => {
  let dir: string;
  let configFile: string;
  let storeFile: string;
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');

  /** a connection created through the admin API, sealed under `key` */
  async function createThroughApi(key: string, id: string): Promise<void> {
    const store = await openStore({ file: storeFile });
    await store.migrateToLatest();
    const server = await startServer({
      store,
      engine: new IdleEngine(),
      secrets: new ConnectionSecrets(store, new CredentialVault(loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: key } }))),
      apiToken: API_TOKEN,
      metricsRegistry: new Registry(),
      defaultMetrics: false,
      port: 0,
      handleSignals: false,
    });
    try {
      const answer = await fetch(`${server.url}/v1/connections`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          id,
          name: 'Through the API',
          salesforce: { loginUrl: 'https://api-made.my.salesforce.com', clientId: 'cid', clientSecret: SF_SECRET },
          qad: { baseUrl: 'https://api-made.qad.cloud/clouderp', profile: 'adaptive-rest', username: 'svc', password: QAD_PASSWORD },
        }),
      });
      expect(answer.status).toBe(201);
    } finally {
      await server.close();
    }
  }

  async function loadWith(env: NodeJS.ProcessEnv, id: string): Promise<Record<string, string>> {
    const store = await openStore({ file: storeFile });
    try {
      return await new ConnectionSecrets(store, new CredentialVault(loadKeyring({ env }))).load(id);
    } finally {
      await store.destroy();
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlc-keys-'));
    storeFile = join(dir, 'bridge.sqlite');
    configFile = join(dir, 'bridge.json');
    await writeFile(
      configFile,
      JSON.stringify({
        version: 1,
        store: { file: storeFile },
        http: { apiToken: { env: 'ML_CONNECTOR_API_TOKEN' } },
        connections: [
          {
            id: 'from-file',
            name: 'From the file',
            salesforce: { loginUrl: 'https://file.my.salesforce.com', clientId: 'cid', clientSecret: { env: 'SF_SECRET' } },
            qad: { baseUrl: 'https://file.qad.cloud/clouderp', profile: 'adaptive-rest' },
          },
        ],
      }),
    );
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('re-seals credentials stored through the API, so they stay readable once the old key is dropped', async () => {
    await createThroughApi(oldKey, 'api-made');
    const rotating = io({ ML_CONNECTOR_MASTER_KEY: newKey, ML_CONNECTOR_RETIRED_KEYS: oldKey });
    expect(await main(['keys', 'rotate', '--config', configFile, '--json'], rotating)).toBe(0);
    const report = JSON.parse(rotating.out) as { activeKeyId: string; rotated: number; unreadable: unknown[] };
    expect(report).toEqual({ activeKeyId: keyIdOf(Buffer.from(newKey, 'base64')), rotated: 2, unreadable: [] });
    expect(rotating.out + rotating.err).not.toContain(SF_SECRET);
    expect(rotating.out + rotating.err).not.toContain(QAD_PASSWORD);

    // the old key is gone: only the new one is configured
    expect(await loadWith({ ML_CONNECTOR_MASTER_KEY: newKey }, 'api-made')).toEqual({ 'salesforce.clientSecret': SF_SECRET, 'qad.password': QAD_PASSWORD });

    const again = io({ ML_CONNECTOR_MASTER_KEY: newKey });
    expect(await main(['keys', 'rotate', '--config', configFile], again)).toBe(0);
    expect(again.out).toMatch(/re-sealed 0 credential\(s\).*\n.*may now be dropped/);
  });

  it('says which credential it cannot open and how to fix it, and exits 1', async () => {
    const forgotten = randomBytes(32).toString('base64');
    await createThroughApi(forgotten, 'sealed-elsewhere');
    const run = io({ ML_CONNECTOR_MASTER_KEY: newKey });
    expect(await main(['keys', 'rotate', '--config', configFile], run)).toBe(1);
    expect(run.out).toContain('could not open sealed-elsewhere / qad.password');
    expect(run.out).toContain('Fix: add that key to ML_CONNECTOR_RETIRED_KEYS');
    expect(run.out).not.toContain(forgotten);
  });

  it('refuses a missing action and a weak new key, naming the fix', async () => {
    const missing = io({ ML_CONNECTOR_MASTER_KEY: newKey });
    expect(await main(['keys', '--config', configFile], missing)).toBe(2);
    expect(missing.err).toContain('ml-connector keys rotate --config FILE');
    const weak = io({ ML_CONNECTOR_MASTER_KEY: Buffer.from('Correct-Horse-Battery-Staple-42!').toString('base64') });
    expect(await main(['keys', 'rotate', '--config', configFile], weak)).toBe(1);
    expect(weak.err).toMatch(/BRIDGE_ERR_MASTER_KEY.*passphrase/);
  });
});
