/**
 * An answer the simulated org refuses with. Routes turn it into the platform's error body
 * `[{message, errorCode, fields}]`; collections and Bulk API turn it into a per-record error.
 */
export class SalesforceApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SalesforceApiError';
  }

  toBody(): Array<{ message: string; errorCode: string; fields?: string[] }> {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields.length > 0 ? { fields: this.fields } : {}) }];
  }
}

/** A record-level failure: what collections report with `statusCode` and Bulk API in `sf__Error`. */
export class RecordError extends SalesforceApiError {
  constructor(errorCode: string, message: string, fields: string[] = []) {
    super(400, errorCode, message, fields);
    this.name = 'RecordError';
  }
}

export const malformedQuery = (message: string): SalesforceApiError => new SalesforceApiError(400, 'MALFORMED_QUERY', message);
export const notFound = (message = 'The requested resource does not exist'): SalesforceApiError =>
  new SalesforceApiError(404, 'NOT_FOUND', message);
