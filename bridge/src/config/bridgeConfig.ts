import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { formatZodProblems } from './zodProblems.js';

/**
 * The bridge's configuration file (config/bridge.example.json documents every key). Secrets are
 * never written in it outside sandbox mode: a secret is `{ "env": "NAME" }` or `{ "file": "path" }`
 * and is resolved at load time. The parsed config is frozen; nothing changes it after start-up.
 */
const FIX_SECRET = 'Fix: write {"env": "VARIABLE_NAME"} or {"file": "/path/to/secret"} instead';

const secretRef = z.union(
  [
    z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'must be an environment variable name. Fix: use upper case, digits and _ (e.g. SF_CLIENT_SECRET)' }) }),
    z.strictObject({ file: z.string().min(1) }),
    z.string().min(1),
  ],
  { error: `a secret must be {"env": "NAME"}, {"file": "path"} or (sandbox mode only) a string. ${FIX_SECRET}` },
);
export type SecretRef = z.infer<typeof secretRef>;

const httpsUrl = (example: string) =>
  z.url({ error: `must be a URL. Fix: e.g. ${example}` }).refine((value) => /^https?:\/\//i.test(value), {
    error: `must be an http(s) URL. Fix: e.g. ${example}`,
  });

export const STREAM_NAMES = ['qad-customers', 'qad-suppliers', 'qad-items', 'qad-contacts', 'sf-accounts', 'sf-orders', 'audit-mirror', 'replay-requests'] as const;

/** `"$comment"` is allowed in every section so the example file can document itself. */
const comment = { $comment: z.string().optional() };

const streamSettings = z.strictObject({
  enabled: z.boolean().default(true),
  paused: z.boolean().default(false),
});

export const connectionSchema = z.strictObject({
  ...comment,
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, {
    error: 'must be 1-63 lower-case letters, digits, - or _, starting with a letter or digit. Fix: e.g. "acme-prod"',
  }),
  name: z.string().min(1).max(120),
  salesforce: z.strictObject({
    ...comment,
    loginUrl: httpsUrl('https://acme.my.salesforce.com'),
    clientId: z.string().min(1),
    clientSecret: secretRef,
    apiVersion: z.string().regex(/^\d{2,3}\.0$/, { error: 'must look like "66.0". Fix: set the REST API version the org runs, e.g. "66.0"' }).default('66.0'),
    apiReserve: z.int().min(0).default(1000),
    bulkThreshold: z.int().min(1).default(2_000),
    /** change events and replay requests; without an endpoint the bridge polls (catch-up queries) instead */
    pubsub: z
      .strictObject({
        ...comment,
        endpoint: z.string().regex(/^[^\s/:]+:\d{1,5}$/, { error: 'must be host:port. Fix: e.g. "api.pubsub.salesforce.com:7443"' }).optional(),
        /** PEM file of a private CA the endpoint's certificate is signed by (relative to the working directory) */
        caFile: z.string().min(1).optional(),
      })
      .optional(),
  }),
  qad: z.strictObject({
    ...comment,
    baseUrl: httpsUrl('https://acme.qad.cloud/clouderp'),
    profile: z.string().min(1, { error: 'is required. Fix: name a profile in config/qad-profiles, e.g. "adaptive-rest"' }),
    domain: z.string().min(1).max(8).optional(),
    entity: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    password: secretRef.optional(),
    clientId: z.string().min(1).optional(),
    clientSecret: secretRef.optional(),
    token: secretRef.optional(),
    /** the QAD shared set of this tenant's business relations: the first half of every Account key <sharedSet>|<code> */
    sharedSet: z.string().min(1).max(40).optional(),
  }),
  schedule: z
    .strictObject({
      qadPollSeconds: z.int().min(5).max(86_400).default(60),
      heartbeatSeconds: z.int().min(10).max(3_600).default(60),
      auditMirrorSeconds: z.int().min(1).max(3_600).default(10),
    })
    .default({ qadPollSeconds: 60, heartbeatSeconds: 60, auditMirrorSeconds: 10 }),
  /** mapping names, optionally pinned to a version: "qad-customer-account@1"; default: the latest of each in mappingsDir */
  mappings: z.array(z.string().regex(/^[a-z0-9-]+(@\d+)?$/, { error: 'must be "name" or "name@version". Fix: e.g. "qad-customer-account@1"' })).optional(),
  streams: z.partialRecord(z.enum(STREAM_NAMES), streamSettings).default({}),
  concurrency: z
    .strictObject({
      salesforce: z.int().min(1).max(25).default(4),
      qad: z.int().min(1).max(16).default(2),
    })
    .default({ salesforce: 4, qad: 2 }),
  retry: z
    .strictObject({
      maxAttempts: z.int().min(1).max(50).default(8),
      baseDelayMs: z.int().min(10).default(1_000),
      maxDelayMs: z.int().min(100).default(300_000),
      /** refusals of one audit row by Sync_Audit__c before it is marked mirror-failed and no longer sent */
      auditMirrorMaxAttempts: z.int().min(1).max(100).default(5),
    })
    .default({ maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 300_000, auditMirrorMaxAttempts: 5 }),
});

export const bridgeConfigSchema = z
  .strictObject({
    ...comment,
    $schema: z.string().optional(),
    version: z.literal(1, { error: 'must be 1. Fix: set "version": 1 (the only file format so far)' }),
    sandboxMode: z.boolean().default(false),
    store: z
      .strictObject({
        ...comment,
        url: z
          .string()
          .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// URL. Fix: remove "url" to use SQLite, or give a postgres://user@host:5432/db URL' })
          .optional(),
        file: z.string().min(1).default('data/ml-connector.sqlite'),
      })
      .default({ file: 'data/ml-connector.sqlite' }),
    http: z
      .strictObject({
        ...comment,
        host: z.string().min(1).default('127.0.0.1'),
        port: z.int().min(0).max(65_535).default(8080),
        apiToken: secretRef,
      }),
    mappingsDir: z.string().min(1).default('config/mappings'),
    connections: z.array(connectionSchema).min(1, { error: 'needs at least one connection. Fix: add an entry to "connections" (see config/bridge.example.json)' }),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.connections.forEach((connection, index) => {
      const first = seen.get(connection.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['connections', index, 'id'], message: `duplicates connections[${first}].id. Fix: give every connection its own id` });
      }
      seen.set(connection.id, index);
      for (const [section, key] of [
        ['salesforce', 'loginUrl'],
        ['qad', 'baseUrl'],
      ] as const) {
        const url = (connection[section] as Record<string, string>)[key] as string;
        if (!config.sandboxMode && !/^https:\/\//i.test(url)) {
          ctx.addIssue({ code: 'custom', path: ['connections', index, section, key], message: 'must use https outside sandbox mode. Fix: use the https URL, or set "sandboxMode": true for the local sandbox' });
        }
      }
    });
    if (!config.sandboxMode) {
      const literalSecrets: Array<Array<string | number>> = [];
      if (typeof config.http.apiToken === 'string') literalSecrets.push(['http', 'apiToken']);
      config.connections.forEach((connection, index) => {
        if (typeof connection.salesforce.clientSecret === 'string') literalSecrets.push(['connections', index, 'salesforce', 'clientSecret']);
        for (const key of ['password', 'clientSecret', 'token'] as const) {
          if (typeof connection.qad[key] === 'string') literalSecrets.push(['connections', index, 'qad', key]);
        }
      });
      for (const where of literalSecrets) {
        ctx.addIssue({ code: 'custom', path: where, message: `a secret must not be written into the config file. ${FIX_SECRET}` });
      }
    }
  });

export type BridgeConfigInput = z.input<typeof bridgeConfigSchema>;
export type BridgeConfig = z.output<typeof bridgeConfigSchema>;
export type ConnectionConfig = BridgeConfig['connections'][number];

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as Record<string, unknown>)) deepFreeze(inner);
  }
  return value;
}

/** Validates an already-parsed config object; throws ConfigError with one line per problem. */
export function parseBridgeConfig(input: unknown, source = 'config'): BridgeConfig {
  const result = bridgeConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = formatZodProblems(result.error, input, bridgeConfigSchema);
    throw new ConfigError(`${source} is not valid:\n  - ${problems.join('\n  - ')}`, problems);
  }
  return deepFreeze(result.data);
}

/** Reads, parses and validates the config file. */
export function loadBridgeConfig(file: string): BridgeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file}`, [`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). Fix: pass --config with the path of your bridge.json`], {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const problem = `${path.basename(file)}: is not valid JSON (${(error as Error).message}). Fix: correct the JSON syntax at that position`;
    throw new ConfigError(`${file} is not valid JSON`, [problem], { cause: error });
  }
  return parseBridgeConfig(json, file);
}

export interface SecretResolution {
  env?: NodeJS.ProcessEnv;
  /** base folder for relative `{ "file": ... }` references */
  baseDir?: string;
}

/**
 * Resolves a secret reference to its value. `where` names the config path so a missing variable
 * or file is reported with the place to fix it; the value itself never appears in an error.
 */
export function resolveSecret(ref: SecretRef, where: string, options: SecretResolution = {}): string {
  const env = options.env ?? process.env;
  if (typeof ref === 'string') return ref;
  if ('env' in ref) {
    const value = env[ref.env];
    if (value === undefined || value === '') {
      throw new ConfigError(`${where}: environment variable ${ref.env} is not set`, [`${where}: environment variable ${ref.env} is not set. Fix: export ${ref.env} before starting the bridge`]);
    }
    return value;
  }
  const file = path.resolve(options.baseDir ?? process.cwd(), ref.file);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(`${where}: cannot read ${file}`, [`${where}: the secret file ${file} cannot be read. Fix: check the path and its permissions`], { cause: error });
  }
}

/** Every secret of a connection, resolved, keyed by the credential kinds the store uses. */
export function connectionSecrets(connection: ConnectionConfig, index: number, options: SecretResolution = {}): Record<string, string> {
  const secrets: Record<string, string> = {
    'salesforce.clientSecret': resolveSecret(connection.salesforce.clientSecret, `connections[${index}].salesforce.clientSecret`, options),
  };
  for (const key of ['password', 'clientSecret', 'token'] as const) {
    const ref = connection.qad[key];
    if (ref !== undefined) secrets[`qad.${key}`] = resolveSecret(ref, `connections[${index}].qad.${key}`, options);
  }
  return secrets;
}

export const ENV_API_TOKEN = 'ML_CONNECTOR_API_TOKEN';

/**
 * The admin API's bearer token: ML_CONNECTOR_API_TOKEN when set (so a deployment can rotate it
 * without editing the file), else the config's `http.apiToken`. Short tokens are refused.
 */
export function apiTokenFrom(config: BridgeConfig, options: SecretResolution = {}): string {
  const env = options.env ?? process.env;
  const token = env[ENV_API_TOKEN]?.trim() || resolveSecret(config.http.apiToken, 'http.apiToken', options);
  if (token.length < 16) {
    throw new ConfigError('the API token is too short', [`http.apiToken: the token must be at least 16 characters. Fix: set ${ENV_API_TOKEN} to a long random value, e.g. the output of: openssl rand -hex 24`]);
  }
  return token;
}
