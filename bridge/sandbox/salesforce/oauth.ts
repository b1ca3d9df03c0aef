import { createHmac, randomBytes } from 'node:crypto';
import type { SandboxClock } from '../clock.js';
import { SalesforceApiError } from './errors.js';

/**
 * The client-credentials grant of an External Client App and the sessions it issues. Sessions die
 * after `ttlMs` without use (the platform's inactivity timeout, 2 h by default) or on request.
 */
export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  orgId: string;
  userId: string;
  /** base URL of the org, answered as instance_url */
  instanceUrl: () => string;
  ttlMs: number;
  clock: SandboxClock;
}

interface Session {
  lastUsed: number;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, string>;
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

function tokenTail(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += TOKEN_ALPHABET[b % TOKEN_ALPHABET.length];
  return out;
}

export class OAuthServer {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly config: OAuthConfig) {}

  /** Answers `POST /services/oauth2/token` for a parsed form body. */
  token(form: URLSearchParams, authorization: string | undefined): TokenAnswer {
    const grant = form.get('grant_type');
    if (grant !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } };
    }
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    if ((!clientId || !clientSecret) && authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        clientId = decodeURIComponent(decoded.slice(0, colon));
        clientSecret = decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    if (clientId !== this.config.clientId) {
      return { status: 400, body: { error: 'invalid_client_id', error_description: 'client identifier invalid' } };
    }
    if (clientSecret !== this.config.clientSecret) {
      return { status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } };
    }
    const now = this.config.clock.now();
    const orgId15 = this.config.orgId.slice(0, 15);
    const accessToken = `${orgId15}!AQ${tokenTail(4)}.${tokenTail(96)}`;
    this.sessions.set(accessToken, { lastUsed: now });
    const id = `${this.config.instanceUrl()}/id/${this.config.orgId}/${this.config.userId}`;
    const issuedAt = String(now);
    const signature = createHmac('sha256', this.config.clientSecret).update(id + issuedAt).digest('base64');
    return {
      status: 200,
      body: {
        access_token: accessToken,
        signature,
        scope: 'api',
        instance_url: this.config.instanceUrl(),
        id,
        token_type: 'Bearer',
        issued_at: issuedAt,
        token_format: 'opaque',
      },
    };
  }

  /** True for a live session; touching it extends its inactivity window. */
  isValid(token: string, touch = true): boolean {
    const session = this.sessions.get(token);
    if (!session) return false;
    const now = this.config.clock.now();
    if (now - session.lastUsed >= this.config.ttlMs) {
      this.sessions.delete(token);
      return false;
    }
    if (touch) session.lastUsed = now;
    return true;
  }

  /** Reads `Authorization: Bearer <t>` (or `OAuth <t>`); throws the platform's 401 otherwise. */
  authenticate(authorization: string | undefined): string {
    const match = authorization ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(authorization) : null;
    if (!match || !this.isValid(match[1] as string)) throw invalidSession();
    return match[1] as string;
  }

  expireAll(): number {
    const count = this.sessions.size;
    this.sessions.clear();
    return count;
  }

  get activeSessions(): number {
    return this.sessions.size;
  }
}

export function invalidSession(): SalesforceApiError {
  return new SalesforceApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
}
