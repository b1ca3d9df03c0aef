import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiTokenFrom, connectionSecrets, loadBridgeConfig, parseBridgeConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const examplePath = path.join(repoRoot, 'config/bridge.example.json');
const example = () => JSON.parse(readFileSync(examplePath, 'utf8')) as Record<string, any>;

function problemsOf(input: unknown): string[] {
  try {
    parseBridgeConfig(input, 'bridge.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'BRIDGE_ERR_CONFIG' });
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected the config to be refused');
}

describe('bridge config', () => {
  it('accepts the example file, fills defaults and freezes the result', () => {
    const config = loadBridgeConfig(examplePath);
    const connection = config.connections[0]!;
    expect(connection.id).toBe('acme-prod');
    expect(connection.salesforce.apiVersion).toBe('66.0');
    expect(connection.streams['sf-orders']).toEqual({ enabled: true, paused: false, $comment: undefined });
    expect(config.store.file).toBe('data/ml-connector.sqlite');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(connection.salesforce)).toBe(true);
  });

  it('names the JSON path and the fix for each problem, all at once', () => {
    const input = example();
    input.connections[0].salesforce.loginURL = input.connections[0].salesforce.loginUrl;
    delete input.connections[0].salesforce.loginUrl;
    input.connections[0].salesforce.apiVersion = 66;
    input.connections[0].schedule.qadPollSeconds = 1;
    input.connections[0].id = 'Acme Prod';
    input.http.port = '8080';
    const problems = problemsOf(input);
    expect(problems).toEqual(
      expect.arrayContaining([
        'connections[0].salesforce.loginURL: unknown key. Fix: rename it to "loginUrl"',
        expect.stringMatching(/^connections\[0\]\.salesforce\.loginUrl: is required\. Fix: add "loginUrl"/),
        expect.stringMatching(/^connections\[0\]\.salesforce\.apiVersion: expected string, got number 66\. Fix: set it to a string/),
        expect.stringMatching(/^connections\[0\]\.schedule\.qadPollSeconds: .*Fix: use a value of at least 5/),
        expect.stringMatching(/^connections\[0\]\.id: must be 1-63 lower-case .*Fix: e\.g\. "acme-prod"/),
        expect.stringMatching(/^http\.port: expected number, got string "8080"/),
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('refuses secrets written into the file and plain http outside sandbox mode', () => {
    const input = example();
    input.connections[0].salesforce.clientSecret = 'abc123-secret';
    input.connections[0].qad.baseUrl = 'http://127.0.0.1:9000/clouderp';
    const problems = problemsOf(input);
    expect(problems).toContain('connections[0].salesforce.clientSecret: a secret must not be written into the config file. Fix: write {"env": "VARIABLE_NAME"} or {"file": "/path/to/secret"} instead');
    expect(problems).toContain('connections[0].qad.baseUrl: must use https outside sandbox mode. Fix: use the https URL, or set "sandboxMode": true for the local sandbox');
    expect(problems.join('\n')).not.toContain('abc123-secret');

    input.sandboxMode = true;
    expect(() => parseBridgeConfig(input)).not.toThrow();
  });

  it('carries the QAD shared set and the Pub/Sub endpoint in the connection, and names the fix for a bad endpoint', () => {
    const connection = loadBridgeConfig(examplePath).connections[0]!;
    expect(connection.qad.sharedSet).toBe('ACME-SET');
    expect(connection.salesforce.pubsub).toEqual({ endpoint: 'api.pubsub.salesforce.com:7443' });
    const input = example();
    input.connections[0].salesforce.pubsub = { endpoint: 'https://api.pubsub.salesforce.com', caFile: '' };
    input.connections[0].qad.sharedSet = '';
    const problems = problemsOf(input);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^connections\[0\]\.salesforce\.pubsub\.endpoint: must be host:port\. Fix: e\.g\. "api\.pubsub\.salesforce\.com:7443"/),
        expect.stringMatching(/^connections\[0\]\.salesforce\.pubsub\.caFile: /),
        expect.stringMatching(/^connections\[0\]\.qad\.sharedSet: /),
      ]),
    );
  });

  it('refuses duplicate connection ids', () => {
    const input = example();
    input.connections.push({ ...input.connections[0], name: 'copy' });
    expect(problemsOf(input)).toEqual(['connections[1].id: duplicates connections[0].id. Fix: give every connection its own id']);
  });

  it('reports unreadable and malformed files with the fix', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlc-config-'));
    try {
      const broken = path.join(dir, 'bridge.json');
      writeFileSync(broken, '{ "version": 1, }');
      expect(() => loadBridgeConfig(broken)).toThrowError(expect.objectContaining({ problems: [expect.stringMatching(/^bridge\.json: is not valid JSON .*Fix: correct the JSON syntax/)] }));
      expect(() => loadBridgeConfig(path.join(dir, 'missing.json'))).toThrowError(expect.objectContaining({ problems: [expect.stringMatching(/cannot be read \(ENOENT\)\. Fix: pass --config/)] }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resolves secret references from the environment and files, naming what is missing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlc-secret-'));
    try {
      writeFileSync(path.join(dir, 'qad.pw'), 'qad-password-from-file\n');
      const input = example();
      input.connections[0].qad.password = { file: 'qad.pw' };
      const config = parseBridgeConfig(input);
      const secrets = connectionSecrets(config.connections[0]!, 0, { env: { ACME_SF_CLIENT_SECRET: 'sf-secret' }, baseDir: dir });
      expect(secrets).toEqual({ 'salesforce.clientSecret': 'sf-secret', 'qad.password': 'qad-password-from-file' });
      expect(() => connectionSecrets(config.connections[0]!, 0, { env: {}, baseDir: dir })).toThrowError(
        expect.objectContaining({ problems: ['connections[0].salesforce.clientSecret: environment variable ACME_SF_CLIENT_SECRET is not set. Fix: export ACME_SF_CLIENT_SECRET before starting the bridge'] }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes the API token from the environment first, then the config, and refuses a short one', () => {
    const config = parseBridgeConfig(example());
    expect(apiTokenFrom(config, { env: { ML_CONNECTOR_API_TOKEN: 'env-token-0123456789abcdef' } })).toBe('env-token-0123456789abcdef');
    expect(() => apiTokenFrom(config, { env: {} })).toThrowError(expect.objectContaining({ problems: [expect.stringMatching(/ML_CONNECTOR_API_TOKEN is not set/)] }));
    expect(() => apiTokenFrom(config, { env: { ML_CONNECTOR_API_TOKEN: 'short' } })).toThrowError(expect.objectContaining({ problems: [expect.stringMatching(/^http\.apiToken: the token must be at least 16 characters/)] }));
  });
});
