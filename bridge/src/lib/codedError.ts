/**
 * The part every error base shares, each client's and the app's BridgeError (style.md: errors are
 * a contract): a stable `code` callers branch on, the HTTP status it maps to, whether the same call may succeed later, and the
 * cause. Each client folder keeps its own base class and codes on top of this one, so `instanceof
 * SalesforceError` / `PubSubError` / `QadError` still say which system failed.
 */
export abstract class CodedError extends Error {
  abstract readonly code: string;
  abstract readonly statusCode: number | undefined;
  abstract readonly retryable: boolean;

  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
  }
}
