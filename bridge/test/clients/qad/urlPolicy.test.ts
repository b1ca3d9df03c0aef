import { describe, expect, it } from 'vitest';
import { QadUrlRefusedError } from '../../../src/clients/qad/errors.js';
import { checkResolvedHost, validateEntityPath, validateTenantUrl, type HostResolver } from '../../../src/clients/qad/urlPolicy.js';

const badTenantUrls: Array<[string, string, string, boolean?]> = [
  ['http://acme.qad.com/clouderp', 'QAD_ERR_URL_SCHEME', 'https-only'],
  ['ftp://acme.qad.com/clouderp', 'QAD_ERR_URL_SCHEME', 'https-only'],
  ['http://acme.qad.com/clouderp', 'QAD_ERR_URL_SCHEME', 'https-only', true],
  ['acme.qad.com/clouderp', 'QAD_ERR_URL_INVALID', 'absolute-url'],
  ['https://svc:secret@acme.qad.com/clouderp', 'QAD_ERR_URL_USERINFO', 'no-user-info'],
  ['https://acme.qad.com/qad-central/#/view/webshell/home', 'QAD_ERR_URL_FRAGMENT', 'no-fragment'],
  ['https://acme.qad.com/clouderp?client_id=abc', 'QAD_ERR_URL_QUERY', 'no-query'],
  ['https://10.1.2.3/clouderp', 'QAD_ERR_URL_PRIVATE_ADDRESS', 'no-private-network'],
  ['https://172.20.0.5:22011/qad-central', 'QAD_ERR_URL_PRIVATE_ADDRESS', 'no-private-network'],
  ['https://192.168.1.10/clouderp', 'QAD_ERR_URL_PRIVATE_ADDRESS', 'no-private-network'],
  ['https://[fd12:3456::1]/clouderp', 'QAD_ERR_URL_PRIVATE_ADDRESS', 'no-private-network'],
  ['https://127.0.0.1/clouderp', 'QAD_ERR_URL_LOOPBACK', 'no-loopback'],
  ['https://localhost:8443/clouderp', 'QAD_ERR_URL_LOOPBACK', 'no-loopback'],
  ['https://[::1]/clouderp', 'QAD_ERR_URL_LOOPBACK', 'no-loopback'],
  ['https://169.254.10.20/clouderp', 'QAD_ERR_URL_LINK_LOCAL', 'no-link-local'],
  ['https://[fe80::1]/clouderp', 'QAD_ERR_URL_LINK_LOCAL', 'no-link-local'],
  ['https://0.0.0.0/clouderp', 'QAD_ERR_URL_UNSPECIFIED', 'no-unspecified-address'],
  ['https://[::]/clouderp', 'QAD_ERR_URL_UNSPECIFIED', 'no-unspecified-address'],
  ['https://100.64.1.1/clouderp', 'QAD_ERR_URL_CGNAT', 'no-carrier-grade-nat'],
  ['https://169.254.169.254/latest/meta-data', 'QAD_ERR_URL_METADATA', 'no-metadata-service'],
  ['https://[fd00:ec2::254]/', 'QAD_ERR_URL_METADATA', 'no-metadata-service'],
  ['https://metadata.google.internal/computeMetadata/v1', 'QAD_ERR_URL_METADATA', 'no-metadata-service'],
  ['https://[::ffff:10.0.0.1]/clouderp', 'QAD_ERR_URL_PRIVATE_ADDRESS', 'no-private-network'],
  // IPv6 spellings of inside addresses (issue 10)
  ['https://[::ffff:127.0.0.1]/clouderp', 'QAD_ERR_URL_LOOPBACK', 'no-loopback'],
  ['https://[0:0:0:0:0:ffff:7f00:1]/clouderp', 'QAD_ERR_URL_LOOPBACK', 'no-loopback'],
  ['https://[0:0:0:0:0:0:0:1]/clouderp', 'QAD_ERR_URL_LOOPBACK', 'no-loopback'],
  ['https://[::127.0.0.1]/clouderp', 'QAD_ERR_URL_LOOPBACK', 'no-loopback'],
  ['https://[::7f00:1]/clouderp', 'QAD_ERR_URL_LOOPBACK', 'no-loopback'],
  ['https://[::10.0.0.1]/clouderp', 'QAD_ERR_URL_PRIVATE_ADDRESS', 'no-private-network'],
  ['https://[::192.168.0.1]/clouderp', 'QAD_ERR_URL_PRIVATE_ADDRESS', 'no-private-network'],
  ['https://[::169.254.169.254]/clouderp', 'QAD_ERR_URL_METADATA', 'no-metadata-service'],
  ['https://[::ffff:169.254.169.254]/clouderp', 'QAD_ERR_URL_METADATA', 'no-metadata-service'],
  ['https://[::ffff:192.168.1.1]/clouderp', 'QAD_ERR_URL_PRIVATE_ADDRESS', 'no-private-network'],
  ['https://[::ffff:a9fe:a9fe]/clouderp', 'QAD_ERR_URL_METADATA', 'no-metadata-service'],
  ['https://[::8.8.8.8]/clouderp', 'QAD_ERR_URL_RESERVED_ADDRESS', 'public-unicast-only'],
  ['https://[fe80::1]/clouderp', 'QAD_ERR_URL_LINK_LOCAL', 'no-link-local'],
  ['https://[fe80::1%25eth0]/clouderp', 'QAD_ERR_URL_INVALID', 'absolute-url'],
  ['https://[febf::1]/clouderp', 'QAD_ERR_URL_LINK_LOCAL', 'no-link-local'],
  ['https://[fd00::1]/clouderp', 'QAD_ERR_URL_PRIVATE_ADDRESS', 'no-private-network'],
  ['https://[fc00::1]/clouderp', 'QAD_ERR_URL_PRIVATE_ADDRESS', 'no-private-network'],
  ['https://[fec0::1]/clouderp', 'QAD_ERR_URL_RESERVED_ADDRESS', 'public-unicast-only'],
  ['https://[::ffff:0:7f00:1]/clouderp', 'QAD_ERR_URL_RESERVED_ADDRESS', 'public-unicast-only'],
  ['https://[64:ff9b::7f00:1]/clouderp', 'QAD_ERR_URL_RESERVED_ADDRESS', 'public-unicast-only'],
  ['https://[2002:7f00:1::]/clouderp', 'QAD_ERR_URL_RESERVED_ADDRESS', 'public-unicast-only'],
  ['https://[ff02::1]/clouderp', 'QAD_ERR_URL_RESERVED_ADDRESS', 'public-unicast-only'],
  ['https://[100::1]/clouderp', 'QAD_ERR_URL_RESERVED_ADDRESS', 'public-unicast-only'],
  ['https://[::ffff:0.0.0.0]/clouderp', 'QAD_ERR_URL_UNSPECIFIED', 'no-unspecified-address'],
];

const badEntityPaths: Array<[string, string, string]> = [
  ['', 'QAD_ERR_PATH_EMPTY', 'non-empty-path'],
  ['/api/erp/customerV2s', 'QAD_ERR_PATH_ABSOLUTE', 'relative-path'],
  ['https://evil.example/api', 'QAD_ERR_PATH_SCHEME', 'relative-path'],
  ['javascript:alert(1)', 'QAD_ERR_PATH_SCHEME', 'relative-path'],
  ['api/erp/../../admin', 'QAD_ERR_PATH_TRAVERSAL', 'no-traversal'],
  ['api/./erp', 'QAD_ERR_PATH_TRAVERSAL', 'no-traversal'],
  ['api//erp/customers', 'QAD_ERR_PATH_DOUBLE_SLASH', 'no-empty-segment'],
  ['api/erp/%2e%2e/admin', 'QAD_ERR_PATH_ENCODED', 'no-encoded-characters'],
  ['api/erp/%252e%252e', 'QAD_ERR_PATH_ENCODED', 'no-encoded-characters'],
  ['api\\erp\\customers', 'QAD_ERR_PATH_TRAVERSAL', 'no-traversal'],
  ['api/erp/customers?viewUri=x', 'QAD_ERR_PATH_CHARACTERS', 'plain-path-characters'],
  ['api/erp/customers#frag', 'QAD_ERR_PATH_CHARACTERS', 'plain-path-characters'],
];

function refusal(fn: () => unknown): QadUrlRefusedError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(QadUrlRefusedError);
    return error as QadUrlRefusedError;
  }
  throw new Error('expected a refusal');
}

describe('tenant URL policy', () => {
  it.each(badTenantUrls)('refuses %s with %s (%s)', (url, code, rule, sandboxMode) => {
    const error = refusal(() => validateTenantUrl(url, { sandboxMode: sandboxMode ?? false }));
    expect(error.code).toBe(code);
    expect(error.rule).toBe(rule);
    expect(error.message).toContain(`rule: ${rule}`);
    expect(error.message).toMatch(/Fix: \S/);
    expect(error.message).not.toContain('secret');
  });

  it.each(badEntityPaths)('refuses entity path %j with %s (%s)', (path, code, rule) => {
    const error = refusal(() => validateEntityPath(path));
    expect(error.code).toBe(code);
    expect(error.rule).toBe(rule);
    expect(error.fix.length).toBeGreaterThan(10);
  });

  it('accepts tenant hosts, context roots and ports seen in the field', () => {
    expect(validateTenantUrl('https://acme.qad.com/clouderp/').href).toBe('https://acme.qad.com/clouderp');
    expect(validateTenantUrl('https://erp.example.com:22011/qad-central').pathname).toBe('/qad-central');
    expect(validateEntityPath('api/erp/customerV2s')).toBe('api/erp/customerV2s');
    expect(validateEntityPath('api/erp/salesOrderLines/fieldChange')).toBe('api/erp/salesOrderLines/fieldChange');
  });

  it('accepts public IPv6 and the IPv4-mapped form of a public IPv4', () => {
    expect(validateTenantUrl('https://[2606:4700::1111]/clouderp').hostname).toBe('[2606:4700::1111]');
    expect(validateTenantUrl('https://[::ffff:8.8.8.8]/clouderp').pathname).toBe('/clouderp');
  });

  it('allows plain http only to loopback and only in sandbox mode', () => {
    expect(validateTenantUrl('http://127.0.0.1:4321/clouderp', { sandboxMode: true }).port).toBe('4321');
    expect(refusal(() => validateTenantUrl('http://127.0.0.1:4321/clouderp')).code).toBe('QAD_ERR_URL_SCHEME');
  });

  it('checks again after DNS resolution, so a public name pointing inside is refused', async () => {
    const resolver = (answers: Record<string, string[]>): HostResolver => async (host) => {
      const list = answers[host];
      if (!list) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
    const dns = resolver({
      'rebind.example.com': ['93.184.216.34', '10.0.0.7'],
      'meta.example.com': ['169.254.169.254'],
      'v6meta.example.com': ['fd00:ec2::254'],
      'v6compat.example.com': ['2606:4700::1111', '::127.0.0.1'],
      'v6mapped.example.com': ['::ffff:10.1.2.3'],
      'good.example.com': ['93.184.216.34'],
    });
    await expect(checkResolvedHost('rebind.example.com', dns)).rejects.toMatchObject({ code: 'QAD_ERR_URL_PRIVATE_ADDRESS' });
    await expect(checkResolvedHost('meta.example.com', dns)).rejects.toMatchObject({ code: 'QAD_ERR_URL_METADATA' });
    await expect(checkResolvedHost('v6meta.example.com', dns)).rejects.toMatchObject({ code: 'QAD_ERR_URL_METADATA' });
    await expect(checkResolvedHost('v6compat.example.com', dns)).rejects.toMatchObject({ code: 'QAD_ERR_URL_LOOPBACK' });
    await expect(checkResolvedHost('v6mapped.example.com', dns)).rejects.toMatchObject({ code: 'QAD_ERR_URL_PRIVATE_ADDRESS' });
    await expect(checkResolvedHost('missing.example.com', dns)).rejects.toMatchObject({ code: 'QAD_ERR_URL_UNRESOLVABLE' });
    await expect(checkResolvedHost('good.example.com', dns)).resolves.toHaveLength(1);
  });
});
