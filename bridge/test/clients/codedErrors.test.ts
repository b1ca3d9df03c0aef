import { describe, expect, it } from 'vitest';
import { QadServerError, QadTransportError } from '../../src/clients/qad/errors.js';
import { PubSubUnavailableError } from '../../src/clients/salesforce/pubsub/errors.js';
import { RowLockedError, ValidationError } from '../../src/clients/salesforce/errors.js';
import { CodedError } from '../../src/lib/codedError.js';

describe("the clients' errors share one contract", () => {
  const cause = new Error('socket hang up');
  const raised = [
    new RowLockedError('UNABLE_TO_LOCK_ROW on Account', { statusCode: 400, cause }),
    new ValidationError('Name: required', { statusCode: 400 }),
    new PubSubUnavailableError('Subscribe /data/AccountChangeEvent failed: UNAVAILABLE', { cause }),
    new QadServerError('QAD answered 503', 503, { retryable: true, cause }),
    new QadTransportError('QAD_ERR_TRANSPORT', 'POST api/erp/customerV2s: connection refused', { retryable: true }),
  ];

  it.each(raised.map((error) => [error.constructor.name, error] as const))('%s is a CodedError with a code, a status, retryable and its cause', (name, error) => {
    expect(error).toBeInstanceOf(CodedError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toMatch(/^(SF_ERR|BRIDGE_ERR_PUBSUB|QAD_ERR)_[A-Z_]+$/);
    expect(typeof error.retryable).toBe('boolean');
    expect(error.statusCode === undefined || Number.isInteger(error.statusCode)).toBe(true);
  });

  it('keeps each client its own codes and what is retryable', () => {
    expect(raised.map((error) => [error.code, error.retryable, error.cause === cause])).toEqual([
      ['SF_ERR_ROW_LOCKED', true, true],
      ['SF_ERR_VALIDATION', false, false],
      ['BRIDGE_ERR_PUBSUB_UNAVAILABLE', true, true],
      ['QAD_ERR_SERVER', true, true],
      ['QAD_ERR_TRANSPORT', true, false],
    ]);
  });
});
