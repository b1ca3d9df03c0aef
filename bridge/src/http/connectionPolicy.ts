import { validateTenantUrl } from '../clients/qad/urlPolicy.js';
import { checkLoginUrl, isLoopbackHost, isSalesforceHost } from '../clients/salesforce/instanceUrl.js';
import { readCaFile } from '../config/index.js';
import { ValidationError } from '../errors.js';
import type { CreateConnectionBody } from './schemas.js';

export interface ConnectionPolicyOptions {
  /** the bridge's config says sandboxMode: loopback (and plain http to it) is allowed */
  sandboxMode: boolean;
  /** the only folder a caFile sent over the API may be read from */
  caFileDir: string;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A connection created through the API gets the checks a connection from the config file gets
 * when the bridge builds its clients (the same functions: the QAD tenant URL policy, the
 * Salesforce login URL rule, the CA file rule), before anything is stored, so a loopback,
 * private or metadata address never reaches the store. Two more, because the caller is remote:
 * a caFile must lie in `caFileDir`, and the Pub/Sub endpoint must be a Salesforce host.
 */
export function checkNewConnection(body: CreateConnectionBody, options: ConnectionPolicyOptions): void {
  const problems: string[] = [];
  const policy = { sandboxMode: options.sandboxMode };
  try {
    validateTenantUrl(body.qad.baseUrl, policy);
  } catch (error) {
    problems.push(`body.qad.baseUrl: ${messageOf(error)}`);
  }
  try {
    checkLoginUrl(body.salesforce.loginUrl, options.sandboxMode);
  } catch (error) {
    problems.push(`body.salesforce.loginUrl: ${messageOf(error)}`);
  }
  const pubsub = body.salesforce.pubsub;
  if (pubsub?.endpoint) {
    const host = pubsub.endpoint.slice(0, pubsub.endpoint.lastIndexOf(':'));
    if (!isSalesforceHost(host) && !(options.sandboxMode && isLoopbackHost(host))) {
      problems.push(`body.salesforce.pubsub.endpoint: ${host} is not a Salesforce host. Fix: use api.pubsub.salesforce.com:7443${options.sandboxMode ? ' (or a loopback address for the sandbox)' : ''}`);
    }
  }
  if (pubsub?.caFile) {
    try {
      readCaFile(pubsub.caFile, { baseDir: options.caFileDir, confineTo: options.caFileDir });
    } catch (error) {
      problems.push(`body.${messageOf(error)}`);
    }
  }
  if (problems.length > 0) {
    throw new ValidationError(`the connection is not valid: ${problems.join('; ')}`, { details: { problems } });
  }
}
