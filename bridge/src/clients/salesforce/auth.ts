import type { Dispatcher } from 'undici';
import type { Logger } from '../../logger.js';
import { errorFromTokenResponse, SalesforceAuthError, ServerError } from './errors.js';
import { checkInstanceUrl, parseIdentityUrl } from './instanceUrl.js';
import { sendOnce } from './wire.js';

export interface Identity {
  instanceUrl: string;
  orgId: string;
  userId: string;
}

export interface TokenProviderOptions {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  sandboxMode: boolean;
  timeoutMs: number;
  dispatcher: Dispatcher;
  logger: Logger;
}

/**
 * Client-credentials tokens, fetched single-flight: however many calls find the token missing or
 * dead at the same moment, one token request goes out and they all share its answer. The grant has
 * no refresh token and no expiry, so a token is kept until Salesforce says it is dead (401).
 */
export class TokenProvider {
  #token: string | null = null;
  #pending: Promise<string> | null = null;
  #identity: Identity | null = null;
  /** the last token Salesforce answered something other than 401 to */
  #accepted: string | null = null;
  readonly #options: TokenProviderOptions;

  constructor(options: TokenProviderOptions) {
    this.#options = options;
  }

  get identity(): Identity | null {
    return this.#identity;
  }

  async getAccessToken(): Promise<string> {
    if (this.#token) return this.#token;
    if (!this.#pending) {
      this.#pending = this.#fetchToken().finally(() => {
        this.#pending = null;
      });
    }
    return this.#pending;
  }

  /** Records that Salesforce answered a call carrying `token` with something other than 401. */
  accepted(token: string): void {
    this.#accepted = token;
  }

  /**
   * Whether `token` was accepted before: a 401 for such a token means Salesforce revoked a working
   * session (worth renewing again), not that fresh tokens are refused (a configuration problem).
   */
  wasAccepted(token: string): boolean {
    return this.#accepted === token;
  }

  /**
   * Forgets the token. With `stale`, only when it is still the current one, so fifty calls that all
   * met the same expired token trigger one refresh rather than each discarding the newer token.
   */
  invalidate(stale?: string): void {
    if (stale === undefined || this.#token === stale) this.#token = null;
  }

  async #fetchToken(): Promise<string> {
    const { loginUrl, clientId, clientSecret, sandboxMode, timeoutMs, dispatcher, logger } = this.#options;
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    const url = `${loginUrl}/services/oauth2/token`;
    logger.debug({ loginUrl }, 'requesting Salesforce access token (client credentials)');
    const response = await sendOnce(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
        timeoutMs,
        dispatcher,
      },
      `POST ${url}`,
    );
    if (response.status !== 200) {
      const error = errorFromTokenResponse(response.status, response.json, loginUrl);
      logger.warn({ statusCode: response.status, code: error.code, errorCode: error.errorCode }, 'Salesforce token request refused');
      throw error;
    }
    const answer = response.json as Record<string, unknown> | null;
    if (!answer || typeof answer.access_token !== 'string' || answer.access_token === '') {
      throw new ServerError('The Salesforce token answer had no access_token', { statusCode: response.status });
    }
    if (answer.token_type !== undefined && String(answer.token_type).toLowerCase() !== 'bearer') {
      throw new SalesforceAuthError(`The Salesforce token answer has token_type ${String(answer.token_type)}, expected Bearer`);
    }
    const instanceUrl = checkInstanceUrl(answer.instance_url, sandboxMode);
    const { orgId, userId } = parseIdentityUrl(answer.id);
    this.#identity = { instanceUrl, orgId, userId };
    this.#token = answer.access_token;
    logger.info({ instanceUrl, orgId, userId, issuedAt: answer.issued_at }, 'Salesforce access token issued');
    return answer.access_token;
  }
}
