import path from 'node:path';
import { SalesforceClient } from '../../clients/salesforce/index.js';
import { checkMappingAgainstDescribe, connectionSecrets, loadMappings, type ConnectionConfig } from '../../config/index.js';
import { mappingSetFrom } from '../../sync/mapping.js';
import { qadClientConfig, qadClientPort } from '../../sync/qadPort.js';
import { loadQadProfile, QadClient, InMemoryHashStore } from '../../clients/qad/index.js';
import type { CliCommand, CliIo } from '../command.js';
import { cliLogger, CONFIG_OPTION, readConfig } from '../loadBridge.js';

export interface PingCheck {
  connection: string;
  check: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

function describeError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  return `${typeof e.code === 'string' ? `[${e.code}] ` : ''}${String(e.message ?? error)}`;
}

/** what to do about a failure, by the error's stable code */
function fixFor(error: unknown, fallback: string): string {
  const code = String((error as { code?: unknown }).code ?? '');
  if (/AUTH|INVALID_CLIENT|INVALID_GRANT|UNAUTHORIZED|401/i.test(code)) return 'check the client id and secret of the connected app (client credentials flow enabled, run-as user set) or the QAD user and password';
  if (/LIMIT/i.test(code)) return 'the org has used its daily API allowance; wait for it to reset or raise the limit';
  if (/URL|HOST|TENANT/i.test(code)) return 'check the URL in the config (https, the My Domain or tenant host)';
  if (/ENTITY_PATH|PATH/i.test(code)) return 'the QAD profile names an entity path this tenant does not serve; pick the profile matching the tenant or override the path';
  return fallback;
}

async function check(checks: PingCheck[], connection: string, name: string, fix: string, run: () => Promise<string>): Promise<boolean> {
  try {
    checks.push({ connection, check: name, ok: true, detail: await run() });
    return true;
  } catch (error) {
    checks.push({ connection, check: name, ok: false, detail: describeError(error), fix: fixFor(error, fix) });
    return false;
  }
}

const REQUIRED_OBJECTS: Record<string, string[]> = {
  Sync_Audit__c: ['Bridge_Event_Id__c', 'Status__c', 'Replay_Of__c', 'Payload__c'],
  Sync_Bridge_Status__c: ['Connection_Id__c', 'Last_Heartbeat__c'],
  Order: ['QAD_Sales_Order_Number__c', 'Status'],
};

async function pingConnection(connection: ConnectionConfig, index: number, sandboxMode: boolean, mappingsDir: string, io: CliIo): Promise<PingCheck[]> {
  const checks: PingCheck[] = [];
  const id = connection.id;
  let secrets: Record<string, string> = {};
  await check(checks, id, 'secrets resolve', 'set the environment variables or files the config names', async () => {
    secrets = connectionSecrets(connection, index, { env: io.env });
    return `${Object.keys(secrets).length} secret(s) found`;
  });
  const logger = cliLogger(io, io.env.LOG_LEVEL ?? 'warn');
  const sf = secrets['salesforce.clientSecret']
    ? new SalesforceClient({ loginUrl: connection.salesforce.loginUrl, clientId: connection.salesforce.clientId, clientSecret: secrets['salesforce.clientSecret'], apiVersion: connection.salesforce.apiVersion, sandboxMode }, { logger })
    : null;
  try {
    const loggedIn =
      sf !== null &&
      (await check(checks, id, 'Salesforce login (client credentials)', 'enable the client credentials flow on the connected app and set its run-as user', async () => {
        await sf.getAccessToken();
        const who = sf.identity;
        return `org ${who.orgId}, acting as ${who.userId}`;
      }));
    if (sf && loggedIn) {
      const mappings = mappingSetFrom(loadMappings(mappingsDir).select(connection.mappings));
      for (const mapping of Object.values(mappings)) {
        await check(checks, id, `${mapping.salesforceObject} fields of ${mapping.name}@${mapping.version}`, 'install the package and assign the QAD_Sync_Integration permission set to the integration user', async () => {
          const problems = checkMappingAgainstDescribe(mapping, await sf.describe(mapping.salesforceObject));
          if (problems.length > 0) throw Object.assign(new Error(problems.join('; ')), { code: 'BRIDGE_ERR_MAPPING_CHECK' });
          return 'every mapped field exists and is writable';
        });
      }
      for (const [object, fields] of Object.entries(REQUIRED_OBJECTS)) {
        await check(checks, id, `${object} access`, 'install the package and assign the QAD_Sync_Integration permission set to the integration user', async () => {
          const describe = await sf.describe(object);
          const names = new Set(describe.fields.map((f) => f.name));
          const missing = fields.filter((f) => !names.has(f));
          if (missing.length > 0) throw Object.assign(new Error(`fields not visible: ${missing.join(', ')}`), { code: 'BRIDGE_ERR_FIELD_ACCESS' });
          for await (const _row of sf.query(`SELECT Id FROM ${object} LIMIT 1`)) break;
          return 'readable';
        });
      }
      await check(checks, id, 'Salesforce API allowance', 'wait for the daily allowance to reset or raise it', async () => {
        const limits = await sf.limits();
        const daily = limits.DailyApiRequests;
        return daily ? `${daily.Max - daily.Remaining} of ${daily.Max} used today` : 'not reported';
      });
    }
  } finally {
    await sf?.close().catch(() => undefined);
  }
  await check(checks, id, `QAD sign-in and entity paths (${connection.qad.profile})`, 'check the QAD URL, profile, user and password', async () => {
    const profile = await loadQadProfile(connection.qad.profile);
    const client = new QadClient(qadClientConfig(connection, profile, secrets, sandboxMode), { logger, hashStore: new InMemoryHashStore() });
    try {
      await client.connect();
      const port = qadClientPort(client);
      for await (const { records: page } of port.readAll('customer')) {
        return `signed in; every entity path answers; customers readable (${page.length} on the first page)`;
      }
      return 'signed in; every entity path answers';
    } finally {
      await client.close().catch(() => undefined);
    }
  });
  return checks;
}

export const pingCommand: CliCommand = {
  usage: '--config FILE [--json]',
  description: 'Checks each credential and permission of every connection against the real systems and prints what passed and, for each failure, how to fix it. Exit code 1 if anything failed.',
  options: {
    ...CONFIG_OPTION,
    json: { type: 'boolean', description: 'print one JSON array of checks' },
  },
  async run(args, io) {
    const { config, baseDir } = readConfig(args);
    const checks: PingCheck[] = [];
    for (const [index, connection] of config.connections.entries()) {
      checks.push(...(await pingConnection(connection, index, config.sandboxMode, path.resolve(baseDir, config.mappingsDir), io)));
    }
    if (args.values.json) io.stdout(`${JSON.stringify(checks)}\n`);
    else {
      for (const c of checks) io.stdout(`${c.ok ? 'PASS' : 'FAIL'}  ${c.connection}  ${c.check}: ${c.detail}${c.fix ? `\n      fix: ${c.fix}` : ''}\n`);
      const failed = checks.filter((c) => !c.ok).length;
      io.stdout(`\n${checks.length - failed} passed, ${failed} failed\n`);
    }
    return checks.every((c) => c.ok) ? 0 : 1;
  },
};
