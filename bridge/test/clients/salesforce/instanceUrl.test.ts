import { describe, expect, it } from 'vitest';
import { checkInstanceUrl, checkLoginUrl, isSalesforceHost, parseIdentityUrl } from '../../../src/clients/salesforce/instanceUrl.js';

describe('checkInstanceUrl', () => {
  it.each([
    'https://acme.my.salesforce.com',
    'https://acme--uat.sandbox.my.salesforce.com/',
    'https://na1.salesforce.com',
    'https://acme.lightning.force.com',
    'https://acme.cloudforce.com',
    'https://acme.my.salesforce-setup.com',
  ])('accepts %s', (url) => {
    expect(checkInstanceUrl(url, false)).toBe(new URL(url).origin);
  });

  it.each([
    ['http://acme.my.salesforce.com', 'plain http'],
    ['https://salesforce.com.evil.example', 'suffix trick'],
    ['https://evilsalesforce.com', 'no dot before suffix'],
    ['https://user:pw@acme.my.salesforce.com', 'user info'],
    ['https://example.com', 'foreign host'],
    ['http://127.0.0.1:8080', 'loopback without sandbox mode'],
  ])('refuses %s (%s)', (url) => {
    expect(() => checkInstanceUrl(url, false)).toThrow(expect.objectContaining({ code: 'SF_ERR_INSTANCE_URL_REFUSED' }));
  });

  it('accepts loopback only in sandbox mode', () => {
    expect(checkInstanceUrl('http://127.0.0.1:5555', true)).toBe('http://127.0.0.1:5555');
    expect(checkInstanceUrl('http://[::1]:5555', true)).toBe('http://[::1]:5555');
    expect(checkInstanceUrl('http://localhost:5555', true)).toBe('http://localhost:5555');
    expect(() => checkInstanceUrl('http://10.0.0.1:5555', true)).toThrow(expect.objectContaining({ code: 'SF_ERR_INSTANCE_URL_REFUSED' }));
  });

  it('says when the answer has no instance_url', () => {
    expect(() => checkInstanceUrl(undefined, false)).toThrow(expect.objectContaining({ code: 'SF_ERR_AUTH' }));
  });
});

describe('isSalesforceHost', () => {
  it('is case-insensitive and tolerates a trailing dot', () => {
    expect(isSalesforceHost('ACME.MY.SALESFORCE.COM.')).toBe(true);
    expect(isSalesforceHost('salesforce.com')).toBe(false);
  });
});

describe('checkLoginUrl', () => {
  it('names the field and the fix', () => {
    expect(() => checkLoginUrl('acme', false)).toThrow(/loginUrl/);
    expect(() => checkLoginUrl('http://127.0.0.1:1', false)).toThrow(/sandboxMode/);
    expect(checkLoginUrl('https://acme.my.salesforce.com/', false)).toBe('https://acme.my.salesforce.com');
    expect(checkLoginUrl('http://127.0.0.1:1', true)).toBe('http://127.0.0.1:1');
  });
});

describe('parseIdentityUrl', () => {
  it('takes org and user id from the last two segments', () => {
    expect(parseIdentityUrl('https://login.salesforce.com/id/00D000000000001EAA/005000000000001AAA')).toEqual({
      orgId: '00D000000000001EAA',
      userId: '005000000000001AAA',
    });
  });

  it('refuses anything else', () => {
    expect(() => parseIdentityUrl('https://login.salesforce.com/id/x/y')).toThrow(expect.objectContaining({ code: 'SF_ERR_AUTH' }));
    expect(() => parseIdentityUrl(42)).toThrow(/00D/);
  });
});
