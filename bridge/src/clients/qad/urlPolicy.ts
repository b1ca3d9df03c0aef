import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { QadUrlRefusedError, type UrlRefusalCode } from './errors.js';

/**
 * Tenant URLs come from customers, so the bridge treats them as hostile input: a URL that reaches a
 * private network, the host itself or a cloud metadata service would turn the bridge into a proxy
 * into its own infrastructure (SSRF). Every rule refuses with its own code and says what to change.
 */

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Injectable DNS so tests can make a public-looking name resolve to a private address. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface UrlPolicyOptions {
  /** The sandbox runs on 127.0.0.1 over http; only then are loopback and http allowed. */
  sandboxMode?: boolean;
}

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);
const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost']);

function refuse(code: UrlRefusalCode, rule: string, message: string, fix: string): never {
  throw new QadUrlRefusedError(code, rule, message, fix);
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

function isLoopbackName(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return LOOPBACK_NAMES.has(host) || host.endsWith('.localhost');
}

/** 2000::/3: the only IPv6 space that is routed on the internet */
const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

/**
 * IPv6 forms ipaddr.js files under "unicast" although they reach no public host: the deprecated
 * IPv4-compatible ::a.b.c.d (::127.0.0.1 is loopback to many stacks) and anything outside 2000::/3
 * (site-local fec0::/10 and unassigned space). The embedded IPv4 of ::a.b.c.d is judged by the IPv4
 * rules, so the refusal names what it really points at.
 */
function checkIpv6Form(address: ipaddr.IPv6, options: UrlPolicyOptions, where: string): void {
  if (address.range() !== 'unicast') return;
  const parts = address.parts;
  const compatible = parts.slice(0, 6).every((p) => p === 0) && (parts[6] !== 0 || parts[7]! > 1);
  if (compatible) {
    const embedded = ipaddr.fromByteArray(address.toByteArray().slice(12)).toString();
    const form = `${where} uses the IPv4-compatible IPv6 form of ${embedded}`;
    checkAddress(embedded, options, form);
    refuse('QAD_ERR_URL_RESERVED_ADDRESS', 'public-unicast-only', `${form}, which is deprecated and reaches no public host`, 'use the public host name of the QAD tenant');
  }
  if (!address.match(GLOBAL_UNICAST)) {
    refuse('QAD_ERR_URL_RESERVED_ADDRESS', 'public-unicast-only', `${where} points at ${address.toString()}, outside the public IPv6 range 2000::/3`, 'use the public host name of the QAD tenant');
  }
}

/** Refuses an IP address the bridge must never call; `where` tells whether it came from the URL or DNS. */
export function checkAddress(address: string, options: UrlPolicyOptions = {}, where = 'the tenant URL'): void {
  const raw = stripBrackets(address).split('%')[0] ?? '';
  if (!ipaddr.isValid(raw)) {
    refuse('QAD_ERR_URL_INVALID', 'ip-address', `${where} gives "${address}", which is not an IP address`, 'use the tenant host name QAD gave you');
  }
  const parsed = ipaddr.process(raw);
  const normalized = parsed.toString();
  if (parsed.kind() === 'ipv6') checkIpv6Form(parsed as ipaddr.IPv6, options, where);
  if (METADATA_ADDRESSES.has(normalized) || METADATA_ADDRESSES.has(ipaddr.parse(raw).toString())) {
    refuse('QAD_ERR_URL_METADATA', 'no-metadata-service', `${where} points at a cloud metadata service (${normalized})`, 'use the public host name of the QAD tenant');
  }
  const range = parsed.range();
  switch (range) {
    case 'unicast':
      return;
    case 'loopback':
      if (options.sandboxMode) return;
      refuse('QAD_ERR_URL_LOOPBACK', 'no-loopback', `${where} points at this machine (${normalized})`, 'use the public host name of the QAD tenant; loopback is allowed only in sandbox mode');
    case 'private':
    case 'uniqueLocal':
      refuse('QAD_ERR_URL_PRIVATE_ADDRESS', 'no-private-network', `${where} points into a private network (${normalized})`, 'use the tenant host name reachable over the internet (e.g. https://<name>.qad.com/clouderp)');
    case 'linkLocal':
      refuse('QAD_ERR_URL_LINK_LOCAL', 'no-link-local', `${where} points at a link-local address (${normalized})`, 'use the public host name of the QAD tenant');
    case 'unspecified':
      refuse('QAD_ERR_URL_UNSPECIFIED', 'no-unspecified-address', `${where} uses the unspecified address ${normalized}`, 'use the public host name of the QAD tenant');
    case 'carrierGradeNat':
      refuse('QAD_ERR_URL_CGNAT', 'no-carrier-grade-nat', `${where} points into carrier-grade NAT space (${normalized})`, 'use the public host name of the QAD tenant');
    default:
      refuse('QAD_ERR_URL_RESERVED_ADDRESS', 'public-unicast-only', `${where} points at a ${range} address (${normalized})`, 'use the public host name of the QAD tenant');
  }
}

/**
 * Checks the shape of a tenant base URL (or QXtend endpoint) without touching the network.
 * Returns the parsed URL without a trailing slash on the path.
 */
export function validateTenantUrl(input: string, options: UrlPolicyOptions = {}, label = 'tenant URL'): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    refuse('QAD_ERR_URL_INVALID', 'absolute-url', `The ${label} "${redactUrl(input)}" is not an absolute URL`, 'give the full address, e.g. https://acme.qad.com/clouderp');
  }
  const hostname = stripBrackets(url.hostname);
  const loopback = isLoopbackName(hostname) || (ipaddr.isValid(hostname) && ipaddr.process(hostname).range() === 'loopback');
  if (url.protocol !== 'https:') {
    const sandboxLoopbackHttp = options.sandboxMode === true && url.protocol === 'http:' && loopback;
    if (!sandboxLoopbackHttp) {
      refuse('QAD_ERR_URL_SCHEME', 'https-only', `The ${label} uses ${url.protocol.replace(':', '')}`, 'use https:// (plain http is accepted only for the loopback sandbox)');
    }
  }
  if (url.username !== '' || url.password !== '') {
    refuse('QAD_ERR_URL_USERINFO', 'no-user-info', `The ${label} carries a user name or password`, 'remove "user:password@" from the URL and put the credentials in the connection credentials');
  }
  if (url.hash !== '' || input.includes('#')) {
    refuse('QAD_ERR_URL_FRAGMENT', 'no-fragment', `The ${label} has a fragment (#...)`, 'remove everything from "#" on (a Web UI link like /qad-central/#/view is not the API base)');
  }
  if (url.search !== '' || input.includes('?')) {
    refuse('QAD_ERR_URL_QUERY', 'no-query', `The ${label} has a query string`, 'remove everything from "?" on; the bridge adds its own parameters');
  }
  if (METADATA_HOSTS.has(hostname.toLowerCase().replace(/\.$/, ''))) {
    refuse('QAD_ERR_URL_METADATA', 'no-metadata-service', `The ${label} names a cloud metadata host (${hostname})`, 'use the public host name of the QAD tenant');
  }
  if (isLoopbackName(hostname) && !options.sandboxMode) {
    refuse('QAD_ERR_URL_LOOPBACK', 'no-loopback', `The ${label} points at this machine (${hostname})`, 'use the public host name of the QAD tenant; loopback is allowed only in sandbox mode');
  }
  if (ipaddr.isValid(hostname)) checkAddress(hostname, options, `The ${label}`);
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** Resolves the host and refuses it when any address it resolves to is refused (DNS rebinding defence). */
export async function checkResolvedHost(
  hostname: string,
  resolver: HostResolver,
  options: UrlPolicyOptions = {},
): Promise<ResolvedAddress[]> {
  const host = stripBrackets(hostname);
  if (ipaddr.isValid(host)) {
    checkAddress(host, options);
    return [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolver(host);
  } catch (error) {
    throw new QadUrlRefusedError('QAD_ERR_URL_UNRESOLVABLE', 'resolvable-host', `The tenant host ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'})`, 'check the spelling of the tenant host name');
  }
  if (addresses.length === 0) {
    refuse('QAD_ERR_URL_UNRESOLVABLE', 'resolvable-host', `The tenant host ${host} resolves to no address`, 'check the spelling of the tenant host name');
  }
  for (const entry of addresses) checkAddress(entry.address, options, `The tenant host ${host} (after DNS resolution)`);
  return addresses;
}

/**
 * Entity paths come from profiles and are appended to the base URL, so they must stay below it:
 * relative, no dot segments, no empty segments, no scheme and no percent-encoding that could decode
 * into any of those.
 */
export function validateEntityPath(path: string, label = 'entity path'): string {
  if (path.trim() === '') refuse('QAD_ERR_PATH_EMPTY', 'non-empty-path', `The ${label} is empty`, 'give a path relative to the base URL, e.g. api/erp/customerV2s');
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    refuse('QAD_ERR_PATH_SCHEME', 'relative-path', `The ${label} "${path}" carries a scheme`, 'give a path relative to the base URL, e.g. api/erp/customerV2s');
  }
  if (path.startsWith('/') || path.startsWith('\\')) {
    refuse('QAD_ERR_PATH_ABSOLUTE', 'relative-path', `The ${label} "${path}" starts with a slash`, 'drop the leading "/" (the path is joined under the base URL)');
  }
  if (path.includes('%')) {
    refuse('QAD_ERR_PATH_ENCODED', 'no-encoded-characters', `The ${label} "${path}" contains percent-encoding`, 'write the path with plain characters; encoded segments can hide "../"');
  }
  if (path.includes('\\')) {
    refuse('QAD_ERR_PATH_TRAVERSAL', 'no-traversal', `The ${label} "${path}" contains a backslash`, 'use "/" between segments');
  }
  const segments = path.split('/');
  if (segments.some((s) => s === '..' || s === '.')) {
    refuse('QAD_ERR_PATH_TRAVERSAL', 'no-traversal', `The ${label} "${path}" contains a "." or ".." segment`, 'remove dot segments; entity paths must stay under the base URL');
  }
  if (segments.slice(0, -1).some((s) => s === '') || path.includes('//')) {
    refuse('QAD_ERR_PATH_DOUBLE_SLASH', 'no-empty-segment', `The ${label} "${path}" contains "//"`, 'use single slashes between segments');
  }
  if (!/^[A-Za-z0-9._~\-/]+$/.test(path)) {
    refuse('QAD_ERR_PATH_CHARACTERS', 'plain-path-characters', `The ${label} "${path}" contains characters outside letters, digits and . _ ~ - /`, 'use the path exactly as the tenant API lists it, without query or fragment');
  }
  return path.replace(/\/+$/, '');
}

/** For messages: a URL with any user info replaced, so a mistaken "user:pass@" never reaches a log. */
export function redactUrl(input: string): string {
  return input.replace(/\/\/[^/@]*@/, '//[REDACTED]@');
}
