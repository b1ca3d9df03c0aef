import { describe, expect, it } from 'vitest';
import {
  DailyLimitExceededError,
  errorFromResponse,
  errorFromTokenResponse,
  readErrorItems,
  SalesforceError,
} from '../../../src/clients/salesforce/errors.js';

const ctx = { method: 'PATCH', path: '/services/data/v66.0/sobjects/Account/QAD_Id__c/X', record: { sobject: 'Account', externalIdField: 'QAD_Id__c', externalId: 'X' } };

describe('errorFromResponse', () => {
  it.each([
    [403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', 'SF_ERR_REQUEST_LIMIT', false],
    [429, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', 'SF_ERR_REQUEST_LIMIT', false],
    [403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.', 'SF_ERR_RATE_LIMITED', true],
    [401, 'INVALID_SESSION_ID', 'Session expired or invalid', 'SF_ERR_INVALID_SESSION', false],
    [400, 'UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record', 'SF_ERR_ROW_LOCKED', true],
    [429, 'TOO_MANY', 'slow down', 'SF_ERR_RATE_LIMITED', true],
    [503, 'SERVER_UNAVAILABLE', 'internal trace that must not leak', 'SF_ERR_UNAVAILABLE', true],
    [500, 'UNKNOWN_EXCEPTION', 'stack trace', 'SF_ERR_SERVER', false],
    [400, 'MALFORMED_QUERY', "unexpected token: 'FORM'", 'SF_ERR_MALFORMED_QUERY', false],
    [404, 'NOT_FOUND', 'Provided external ID field does not exist or is not accessible: X', 'SF_ERR_NOT_FOUND', false],
    [400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Name]', 'SF_ERR_VALIDATION', false],
    [403, 'INSUFFICIENT_ACCESS', 'no access', 'SF_ERR_FORBIDDEN', false],
    [409, 'CONFLICT', 'conflict', 'SF_ERR_API', false],
  ])('HTTP %i %s → %s', (status, errorCode, message, code, retryable) => {
    const error = errorFromResponse(status, [{ message, errorCode, fields: ['Name'] }], ctx);
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.statusCode).toBe(status);
    expect(error.errorCode).toBe(errorCode);
    expect(error.record).toEqual(ctx.record);
  });

  it('keeps 5xx text out of the message', () => {
    const error = errorFromResponse(503, [{ message: 'internal trace that must not leak', errorCode: 'X' }], ctx);
    expect(error.message).not.toContain('internal trace');
  });

  it('names the record and the fields in a validation error', () => {
    const error = errorFromResponse(400, [{ message: 'Required fields are missing: [Name]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] }], ctx);
    expect(error.message).toContain('Account QAD_Id__c=X');
    expect(error.message).toContain('Name');
  });

  it('maps 300 (several External ID matches) to its own code', () => {
    expect(errorFromResponse(300, ['/services/data/v66.0/sobjects/Account/001A', '/services/data/v66.0/sobjects/Account/001B'], ctx).code).toBe(
      'SF_ERR_MULTIPLE_MATCHES',
    );
  });

  it('classifies a 400 on a query as malformed even with another error code', () => {
    expect(errorFromResponse(400, [{ message: 'No such column', errorCode: 'INVALID_FIELD' }], { method: 'GET', path: '/q', isQuery: true }).code).toBe(
      'SF_ERR_MALFORMED_QUERY',
    );
  });

  it('serialises to JSON with code, status and record only', () => {
    const error = errorFromResponse(403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }], ctx);
    expect(error).toBeInstanceOf(DailyLimitExceededError);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code: 'SF_ERR_REQUEST_LIMIT', statusCode: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED', retryable: false });
  });
});

describe('readErrorItems', () => {
  it('reads arrays, single objects, per-record statusCode and skips junk', () => {
    expect(readErrorItems([{ message: 'm', errorCode: 'E' }, 5, null])).toEqual([{ message: 'm', errorCode: 'E' }]);
    expect(readErrorItems({ statusCode: 'S', message: 'm', fields: ['A', 1] })).toEqual([{ errorCode: 'S', message: 'm', fields: ['A'] }]);
    expect(readErrorItems('<html>')).toEqual([]);
  });
});

describe('errorFromTokenResponse', () => {
  const login = 'https://acme.my.salesforce.com';
  it.each([
    ['invalid_client_id', 'client identifier invalid', /clientId/],
    ['invalid_client', 'invalid client credentials', /clientSecret/],
    ['invalid_grant', 'request not supported on this domain', /My Domain/],
    ['invalid_grant', 'authentication failure', /Run As user/],
    ['unsupported_grant_type', 'grant type not supported', /Client Credentials Flow/],
  ])('%s / %s gives the fix', (error, description, fix) => {
    const mapped = errorFromTokenResponse(400, { error, error_description: description }, login);
    expect(mapped.code).toBe('SF_ERR_AUTH');
    expect(mapped.errorCode).toBe(error);
    expect(mapped.retryable).toBe(false);
    expect(mapped.message).toMatch(fix);
  });

  it('treats a 503 from the token endpoint as retryable unavailability', () => {
    const mapped = errorFromTokenResponse(503, null, login);
    expect(mapped.code).toBe('SF_ERR_UNAVAILABLE');
    expect(mapped.retryable).toBe(true);
  });
});
