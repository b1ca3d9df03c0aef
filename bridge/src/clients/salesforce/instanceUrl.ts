import ipaddr from 'ipaddr.js';
import { InstanceUrlRefusedError, SalesforceAuthError, SalesforceConfigError } from './errors.js';

/**
 * Hosts Salesforce serves orgs from. The token answer decides where the bearer token is sent next,
 * so a forged or misconfigured answer must not be able to point it at any other host.
 */
const SALESFORCE_HOST_SUFFIXES = [
  '.my.salesforce.com',
  '.sandbox.my.salesforce.com',
  '.salesforce.com',
  '.force.com',
  '.cloudforce.com',
  '.salesforce-setup.com',
  '.salesforce.mil',
  '.crmforce.mil',
  '.sfcrmproducts.cn',
  '.salesforce.cn',
] as const;

export function isSalesforceHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return SALESFORCE_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (!ipaddr.isValid(host)) return false;
  const address = ipaddr.process(host);
  return address.range() === 'loopback';
}

/**
 * Returns the origin to send API calls to, or throws. Only https Salesforce hosts pass; in sandbox
 * mode a loopback http(s) URL passes too, so tests reach the simulated org and nothing else.
 */
export function checkInstanceUrl(raw: unknown, sandboxMode: boolean): string {
  if (typeof raw !== 'string' || raw === '') {
    throw new SalesforceAuthError('The Salesforce token answer has no instance_url; the token is not used');
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new InstanceUrlRefusedError(`The Salesforce token answer named an unreadable instance_url (${raw}); the token is not used`, { cause });
  }
  if (url.username || url.password) {
    throw new InstanceUrlRefusedError(`instance_url ${url.origin} carries user info; the token is not used`);
  }
  if (url.protocol === 'https:' && isSalesforceHost(url.hostname)) return url.origin;
  if (sandboxMode && (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname)) {
    return url.origin;
  }
  const hint = sandboxMode
    ? 'only https Salesforce hosts or loopback addresses are accepted'
    : 'only https Salesforce hosts (*.my.salesforce.com, *.force.com, ...) are accepted; loopback is allowed only with sandboxMode';
  throw new InstanceUrlRefusedError(`Refused instance_url ${url.protocol}//${url.host} from the token answer: ${hint}`);
}

/** The login URL is configuration: check it once so a typo fails with the field name, not a socket error. */
export function checkLoginUrl(raw: string, sandboxMode: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new SalesforceConfigError(`loginUrl "${raw}" is not a URL; use the org's My Domain URL, e.g. https://acme.my.salesforce.com`, { cause });
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol === 'https:' && (isSalesforceHost(url.hostname) || (sandboxMode && loopback))) return url.origin;
  if (url.protocol === 'http:' && sandboxMode && loopback) return url.origin;
  throw new SalesforceConfigError(
    `loginUrl ${url.origin} is not an https Salesforce My Domain URL (https://<domain>.my.salesforce.com)${
      loopback ? '; a loopback URL needs sandboxMode: true' : ''
    }`,
  );
}

export interface TokenIdentity {
  orgId: string;
  userId: string;
}

/** `id` is `https://login.salesforce.com/id/<orgId>/<userId>`: the last two path segments. */
export function parseIdentityUrl(raw: unknown): TokenIdentity {
  if (typeof raw === 'string') {
    try {
      const segments = new URL(raw).pathname.split('/').filter(Boolean);
      const userId = segments.at(-1);
      const orgId = segments.at(-2);
      if (orgId && userId && /^00D/.test(orgId) && /^005/.test(userId)) return { orgId, userId };
    } catch {
      // fall through to the error below, which says what was expected
    }
  }
  throw new SalesforceAuthError('The Salesforce token answer has no readable id (expected …/id/<00D org id>/<005 user id>)');
}
