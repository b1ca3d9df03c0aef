import type { Logger } from '../../logger.js';
import { QadAuthError, QadConfigError } from './errors.js';
import type { RestProfile } from './profile.js';
import type { Send } from './transport.js';
import type { QadCredentials } from './types.js';

type AuthSettings = RestProfile['auth'];

interface Token {
  value: string;
  issuedAt: number;
  lastUsedAt: number;
}

/**
 * Authorization for REST tenants. OAuth tokens are renewed before the session length or the idle
 * timeout runs out (both from securityControl where the user may read it, else the profile), and
 * at most once per 401: concurrent callers that saw the same rejected token share one renewal.
 */
export class QadAuth {
  #token: Token | null = null;
  #renewing: Promise<Token> | null = null;
  #sessionMs: number;
  #idleMs: number;
  #clientId: string | undefined;

  constructor(
    private readonly settings: AuthSettings,
    private readonly credentials: QadCredentials,
    private readonly baseUrl: URL,
    /** a send outside the tenant's request slots: callers renew while holding one (see transport) */
    private readonly send: Send,
    private readonly clock: () => number,
    private readonly logger: Logger,
  ) {
    this.#clientId = credentials.clientId;
    this.#sessionMs = settings.mode === 'oauth2-password' ? settings.sessionMinutes * 60_000 : Infinity;
    this.#idleMs = settings.mode === 'oauth2-password' ? settings.idleMinutes * 60_000 : Infinity;
    if (settings.mode !== 'bearer' && (!credentials.username || !credentials.password)) {
      throw new QadConfigError('QAD_ERR_CONFIG_INVALID', `QAD auth mode ${settings.mode} needs a user name and password. Fix: add them to the connection credentials`);
    }
    if (settings.mode === 'bearer' && !credentials.bearerToken) {
      throw new QadConfigError('QAD_ERR_CONFIG_INVALID', 'QAD auth mode bearer needs a token. Fix: add bearerToken to the connection credentials');
    }
  }

  get limits(): { sessionMinutes: number; idleMinutes: number; clientIdKnown: boolean } {
    return { sessionMinutes: this.#sessionMs / 60_000, idleMinutes: this.#idleMs / 60_000, clientIdKnown: this.#clientId !== undefined };
  }

  #basic(): string {
    return `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
  }

  /** Reads clientId and the session policy from securityControl (Basic auth) when the profile names it. */
  async discover(): Promise<void> {
    if (this.settings.mode !== 'oauth2-password' || this.settings.securityControlPath === null) return;
    const url = new URL(`${this.baseUrl.href}/${this.settings.securityControlPath}`);
    const res = await this.send({ method: 'GET', url, headers: { authorization: this.#basic(), accept: 'application/json' } });
    if (res.status !== 200) {
      this.logger.info({ status: res.status }, 'securityControl not readable; using the profile session limits');
    } else {
      const row = (JSON.parse(res.text) as { data?: { securityControls?: Array<Record<string, unknown>> } }).data?.securityControls?.[0];
      if (row) {
        if (this.#clientId === undefined && typeof row.clientId === 'string' && row.clientId !== '') this.#clientId = row.clientId;
        if (typeof row.sessionLength === 'number' && row.sessionLength > 0) this.#sessionMs = row.sessionLength * 60_000;
        if (typeof row.timeoutMinutes === 'number' && row.timeoutMinutes > 0) this.#idleMs = row.timeoutMinutes * 60_000;
      }
    }
  }

  /** The Authorization header for the next call. */
  async authorization(): Promise<string> {
    switch (this.settings.mode) {
      case 'basic':
        return this.#basic();
      case 'bearer':
        return `Bearer ${this.credentials.bearerToken}`;
      case 'oauth2-password': {
        let token = this.#token;
        if (!token || this.#expiringSoon(token)) token = await this.#renew();
        token.lastUsedAt = this.clock();
        return `Bearer ${token.value}`;
      }
    }
  }

  /**
   * After a 401 with `used`: forget that token (unless another caller already replaced it) so the
   * next authorization() renews. Returns whether a retry can help.
   */
  rejected(used: string): boolean {
    if (this.settings.mode !== 'oauth2-password') return false;
    if (this.#token && `Bearer ${this.#token.value}` === used) this.#token = null;
    return true;
  }

  #expiringSoon(token: Token): boolean {
    if (this.settings.mode !== 'oauth2-password') return false;
    const margin = this.settings.renewMarginSeconds * 1000;
    const now = this.clock();
    return now >= token.issuedAt + this.#sessionMs - margin || now >= token.lastUsedAt + this.#idleMs - margin;
  }

  #renew(): Promise<Token> {
    if (!this.#renewing) {
      this.#renewing = this.#requestToken().finally(() => {
        this.#renewing = null;
      });
    }
    return this.#renewing;
  }

  async #requestToken(): Promise<Token> {
    if (this.settings.mode !== 'oauth2-password') throw new Error('unreachable');
    if (!this.#clientId) {
      throw new QadConfigError('QAD_ERR_CONFIG_INVALID', 'No OAuth client id for the QAD tenant. Fix: put the Client ID from the tenant\'s "Client IDs" page into the credentials, or allow the user to read api/qracore/securityControl');
    }
    const params = new URLSearchParams({ client_id: this.#clientId, grant_type: 'password', username: this.credentials.username!, password: this.credentials.password! });
    const url = new URL(`${this.baseUrl.href}/${this.settings.tokenPath}`);
    let body: string | undefined;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.settings.transport === 'query') url.search = params.toString();
    else {
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await this.send({ method: 'POST', url, headers, ...(body === undefined ? {} : { body }), idempotent: true });
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(res.text) as Record<string, unknown>;
    } catch {
      // a login page instead of JSON is handled below as a failed login
    }
    if (res.status !== 200 || typeof json.access_token !== 'string') {
      const error = typeof json.error === 'string' ? json.error : `HTTP ${res.status}`;
      const fix =
        error === 'invalid_client'
          ? 'check the client id with the QAD administrator (Client IDs page)'
          : error === 'invalid_grant'
            ? 'check the integration user name and password; the account may be locked'
            : 'check the token path in the profile and the tenant URL';
      throw new QadAuthError('QAD_ERR_AUTH_FAILED', `QAD refused the login (${error}). Fix: ${fix}`);
    }
    const now = this.clock();
    this.#token = { value: json.access_token, issuedAt: now, lastUsedAt: now };
    this.logger.debug('QAD access token renewed');
    return this.#token;
  }
}
