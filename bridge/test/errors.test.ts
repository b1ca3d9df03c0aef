import { describe, expect, it } from 'vitest';
import { InvalidSessionError } from '../src/clients/salesforce/errors.js';
import { QadError } from '../src/clients/qad/errors.js';
import { BridgeError, toErrorBody } from '../src/errors.js';

describe('toErrorBody', () => {
  it('keeps a 4xx bridge error message for the caller', () => {
    const body = toErrorBody(new BridgeError('BRIDGE_ERR_VALIDATION', 'limit must be at most 200', { statusCode: 400 }));
    expect(body).toEqual({ code: 'BRIDGE_ERR_VALIDATION', message: 'limit must be at most 200', statusCode: 400, retryable: false });
  });

  it("answers a Salesforce 401 as the bridge's gateway failure, not as the caller being unauthorized", () => {
    const upstream = new InvalidSessionError('Session expired or invalid at https://acme.my.salesforce.com', { statusCode: 401 });
    const body = toErrorBody(upstream);
    expect(body.statusCode).toBe(upstream.retryable ? 503 : 502);
    expect(body.code).toBe(upstream.code);
    expect(body.message).not.toContain('salesforce.com');
  });

  it('marks a retryable upstream failure 503 and a final one 502', () => {
    const retryable = new QadError('QAD_ERR_SERVER', 'tenant answered 503', { statusCode: 503, retryable: true });
    const final = new QadError('QAD_ERR_VALIDATION', 'customer code too long', { statusCode: 400 });
    expect(toErrorBody(retryable)).toMatchObject({ code: 'QAD_ERR_SERVER', statusCode: 503, retryable: true });
    expect(toErrorBody(final)).toMatchObject({ code: 'QAD_ERR_VALIDATION', statusCode: 502, retryable: false });
    expect(toErrorBody(final).message).not.toContain('customer code');
  });
});
