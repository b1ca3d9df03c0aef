import { randomBytes } from 'node:crypto';
import type { UserRecord } from './model.js';
import { errorsEnvelope, formParams, json, type Reply, type RequestContext } from './http.js';
import type { TenantState } from './state.js';

/**
 * OAuth2 password grant with a client id and no secret (facts §2.2), HTTP Basic on every REST call,
 * and opaque bearer tokens that die at the session length or after the idle timeout, both in minutes
 * from securityControl and measured on the sandbox clock.
 */

function oauthError(status: number, error: string, description: string): Reply {
  return json(status, { error, error_description: description }, 'token');
}

export function handleToken(state: TenantState, ctx: RequestContext): Reply {
  if (ctx.method !== 'POST') return oauthError(405, 'invalid_request', 'HTTP method not supported, use POST');
  const params = formParams(ctx);
  if (params.get('client_id') !== state.clientId) return oauthError(401, 'invalid_client', 'Bad client credentials');
  const grant = params.get('grant_type');
  let username: string;
  if (grant === 'password') {
    const user = state.user(params.get('username') ?? '', params.get('password') ?? '');
    if (!user) return oauthError(400, 'invalid_grant', 'Bad credentials');
    username = user.username;
  } else if (grant === 'refresh_token') {
    const owner = state.refreshTokens.get(params.get('refresh_token') ?? '');
    if (!owner) return oauthError(400, 'invalid_grant', 'Invalid refresh token');
    username = owner;
  } else {
    return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grant ?? '(none)'}`);
  }
  const accessToken = randomBytes(24).toString('hex');
  const refreshToken = randomBytes(24).toString('hex');
  const now = state.clock.now();
  state.tokens.set(accessToken, { username, issuedAt: now, lastUsedAt: now });
  state.refreshTokens.set(refreshToken, username);
  return json(
    200,
    { access_token: accessToken, token_type: 'bearer', refresh_token: refreshToken, expires_in: state.securityControl.sessionLength * 60, scope: 'read write' },
    'token',
    { 'cache-control': 'no-store' },
  );
}

export type AuthOutcome = { user: UserRecord; basic: boolean } | { reply: Reply };

function unauthorized(scheme: 'Bearer' | 'Basic', error: string, description: string): { reply: Reply } {
  const header = scheme === 'Bearer' ? `Bearer realm="oauth", error="${error}", error_description="${description}"` : 'Basic realm="QAD"';
  return { reply: { ...json(401, { error, error_description: description }, 'unauthorized'), headers: { 'www-authenticate': header } } };
}

export function authenticate(state: TenantState, ctx: RequestContext): AuthOutcome {
  const header = String(ctx.headers.authorization ?? '');
  if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? undefined : state.user(decoded.slice(0, colon), decoded.slice(colon + 1));
    return user ? { user, basic: true } : unauthorized('Basic', 'unauthorized', 'Bad credentials');
  }
  if (header.startsWith('Bearer ')) {
    const token = state.tokens.get(header.slice(7).trim());
    if (!token) return unauthorized('Bearer', 'invalid_token', 'Invalid access token');
    const now = state.clock.now();
    const sessionEnd = token.issuedAt + state.securityControl.sessionLength * 60_000;
    const idleEnd = token.lastUsedAt + state.securityControl.timeoutMinutes * 60_000;
    if (now >= sessionEnd || now >= idleEnd) {
      state.tokens.delete(header.slice(7).trim());
      return unauthorized('Bearer', 'invalid_token', now >= sessionEnd ? 'Access token expired' : 'Session timed out');
    }
    token.lastUsedAt = now;
    const user = state.users.find((u) => u.username === token.username);
    return user ? { user, basic: false } : unauthorized('Bearer', 'invalid_token', 'Invalid access token');
  }
  return unauthorized('Basic', 'unauthorized', 'Full authentication is required to access this resource');
}

export function handleSecurityControl(state: TenantState, auth: { user: UserRecord }): Reply {
  if (auth.user.mayReadSecurityControl === false) return errorsEnvelope(403, 'Access is denied', 'forbidden');
  return json(
    200,
    { data: { securityControls: [{ clientId: state.clientId, sessionLength: state.securityControl.sessionLength, timeoutMinutes: state.securityControl.timeoutMinutes }] } },
    'securityControl',
  );
}

export function isDenied(user: UserRecord, path: string): boolean {
  return (user.deniedPaths ?? []).some((prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(prefix));
}
