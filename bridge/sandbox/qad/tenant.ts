import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createSandboxClock, type SandboxClock } from '../clock.js';
import { authenticate, handleSecurityControl, handleToken, isDenied } from './auth.js';
import { handleBrowse } from './browse.js';
import { createControl, handleControl, type QadTenantControl } from './control.js';
import { handleEntity } from './erp.js';
import { errorsEnvelope, json, tomcatPage, type Reply, type RequestContext } from './http.js';
import { openApiDocument } from './openapi.js';
import { handleQxtend } from './qxtend/service.js';
import { restEntities, type RestEntity } from './restEntities.js';
import { handleFieldChange, handleHeaders, handleLinesGrid } from './salesOrders.js';
import { loadQadSeed, type QadSeed } from './seed.js';
import { ORDER_STEP_KINDS, TenantState, type CallKind, type FaultEffect, type FaultSettings } from './state.js';
import { resolveWorkspace } from './workspace.js';

export interface QadTenantOptions {
  host?: string;
  port?: number;
  /** `/clouderp` (Adaptive ERP) or `/qad-central` (EE Web UI) */
  contextRoot?: string;
  qxtendPath?: string;
  seed?: QadSeed;
  seedFile?: string;
  /** extra generated customers on top of the seed */
  generateCustomers?: number;
  clock?: SandboxClock;
  receiver?: string;
  qxtendVersions?: string[];
  /** below the context root; null = the tenant serves no API description */
  apiDocsPath?: string | null;
  nextPageAction?: string;
  maxPageSize?: number;
  entityPaths?: Partial<Record<RestEntity['object'], string>>;
}

export interface QadSandboxDescription {
  baseUrl: string;
  clientId: string;
  username: string;
  password: string;
  workspace: { domain: string; entity: string; sharedSet: string };
  profile: string;
  qxtendUrl: string;
  qxtendReceiver: string;
  qxtendVersion: string;
  controlUrl: string;
}

export interface SimulatedQadTenant {
  readonly baseUrl: string;
  readonly qxtendUrl: string;
  readonly controlUrl: string;
  readonly description: QadSandboxDescription;
  readonly clock: SandboxClock;
  readonly state: TenantState;
  readonly control: QadTenantControl;
  close(): Promise<void>;
}

const FAILURE_TITLES: Record<number, string> = { 408: 'Request Timeout', 429: 'Too Many Requests', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

const SO_PATHS = { headers: 'api/erp/salesOrderHeaders', grid: 'api/erp/salesOrderLinesGrid', fieldChange: 'api/erp/salesOrderLines/fieldChange' };

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSimulatedQadTenant(options: QadTenantOptions = {}): Promise<SimulatedQadTenant> {
  const host = options.host ?? '127.0.0.1';
  const contextRoot = `/${(options.contextRoot ?? '/clouderp').replace(/^\/+|\/+$/g, '')}`;
  const qxtendPath = options.qxtendPath ?? '/qxi/services/QdocWebService';
  const receiver = options.receiver ?? 'QADERP';
  const versions = options.qxtendVersions ?? ['ERP3_2', 'ERP3_1', 'eB_2'];
  const apiDocsPath = options.apiDocsPath === undefined ? 'api-docs' : options.apiDocsPath;
  const clock = options.clock ?? createSandboxClock();
  const state = new TenantState(clock);
  state.loadSeed(options.seed ?? (await loadQadSeed(options.seedFile)));
  if (options.generateCustomers) state.generateCustomers(options.generateCustomers);
  const entities = restEntities(options.entityPaths);
  const browseOptions = { nextPageAction: options.nextPageAction ?? 'next', maxPageSize: options.maxPageSize ?? 10_000 };

  function route(ctx: RequestContext): Reply {
    if (ctx.path === 'oauth/token') return handleToken(state, ctx);
    if (apiDocsPath !== null && ctx.path === apiDocsPath && ctx.method === 'GET') {
      const title = contextRoot === '/clouderp' ? 'QAD Adaptive ERP (simulated)' : 'QAD Web UI (simulated)';
      return json(200, openApiDocument({ title, entities, extraPaths: ['api/qracore/browses', 'api/qracore/securityControl', ...Object.values(SO_PATHS)], hidden: state.hiddenPaths }), 'apiDocs');
    }
    if (!ctx.path.startsWith('api/')) return tomcatPage(404, 'Not Found', 'notFound');
    if ([...state.hiddenPaths].some((p) => ctx.path === p || ctx.path.startsWith(`${p}/`))) return tomcatPage(404, 'Not Found', 'notFound');
    const auth = authenticate(state, ctx);
    if ('reply' in auth) return auth.reply;
    if (ctx.path === 'api/qracore/securityControl') return handleSecurityControl(state, auth);
    if (isDenied(auth.user, ctx.path)) return errorsEnvelope(403, 'Access is denied', 'forbidden');
    const workspace = resolveWorkspace(state, ctx);
    if ('reply' in workspace) return workspace.reply;
    if (ctx.path === 'api/qracore/browses') return handleBrowse(state, ctx, entities, workspace, browseOptions);
    if (ctx.path === SO_PATHS.headers) return handleHeaders(state, ctx, workspace);
    if (ctx.path === SO_PATHS.grid) return handleLinesGrid(state, ctx, workspace);
    if (ctx.path === SO_PATHS.fieldChange) return handleFieldChange(state, ctx, workspace);
    const entity = entities.find((e) => e.path === ctx.path);
    if (entity) return handleEntity(state, ctx, entity, workspace);
    return tomcatPage(404, 'Not Found', 'notFound');
  }

  let server: Server;
  let port = options.port ?? 0;
  const sockets = new Set<Socket>();
  let down = false;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const rawBody = await readBody(req);
    const inside = url.pathname.startsWith(`${contextRoot}/`) ? url.pathname.slice(contextRoot.length + 1) : null;
    const ctx: RequestContext = { method: req.method ?? 'GET', path: inside ?? url.pathname.replace(/^\/+/, ''), query: url.searchParams, headers: req.headers, rawBody };
    if (url.pathname.startsWith('/__sandbox/')) {
      write(res, await handleControl(control, ctx));
      return;
    }
    state.inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    res.once('close', () => {
      state.inFlight -= 1;
    });
    if (state.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, state.faults.latencyMs));
    const failNext = state.faults.failNext;
    if (failNext && failNext.count > 0 && !failNext.kinds && failNext.effect === 'refused') {
      takeOneFailNext(failNext);
      state.count('faulted');
      write(res, failurePage(failNext.status, failNext.retryAfterSeconds));
      return;
    }
    // A fault aimed at a kind of call or an order step can only match once the call is routed. When
    // it refuses, the business data is put back as it was, which from outside is the same as the
    // tenant turning the call away before doing the work. Reads change nothing and need no copy.
    const mayRefuse = (failNext?.effect === 'refused' && failNext.count > 0) || state.faults.orderStepFault?.effect === 'refused';
    const before = mayRefuse && req.method !== 'GET' ? state.snapshotData() : null;
    const reply = url.pathname === qxtendPath ? handleQxtend(state, ctx, { receiver, versions }) : inside !== null ? route(ctx) : tomcatPage(404, 'Not Found', 'notFound');
    const kind = reply.kind ?? 'notFound';
    const fault = takeFault(kind, reply);
    if (!fault) {
      state.count(kind);
      write(res, reply);
      return;
    }
    if (fault.effect === 'refused') {
      if (before) state.restoreData(before);
    } else {
      state.count(kind);
    }
    state.count('faulted');
    if (fault.crashDownForMs !== undefined) {
      req.socket.destroy();
      await crash(fault.crashDownForMs);
      return;
    }
    write(res, failurePage(fault.status, fault.retryAfterSeconds));
  }

  function takeOneFailNext(failNext: NonNullable<FaultSettings['failNext']>): void {
    failNext.count -= 1;
    if (failNext.count === 0) state.faults.failNext = null;
  }

  /** The armed fault this routed call sets off, if any (each is used up as it fires). */
  function takeFault(kind: CallKind, reply: Reply): { status: number; effect: FaultEffect; crashDownForMs?: number; retryAfterSeconds?: number } | null {
    const failNext = state.faults.failNext;
    if (failNext && failNext.count > 0 && (!failNext.kinds || failNext.kinds.includes(kind))) {
      takeOneFailNext(failNext);
      return { status: failNext.status, effect: failNext.effect, ...(failNext.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: failNext.retryAfterSeconds }) };
    }
    const stepFault = state.faults.orderStepFault;
    if (stepFault && (reply.orderStep || ORDER_STEP_KINDS.has(kind))) {
      stepFault.seen += 1;
      if (stepFault.seen === stepFault.step) {
        state.faults.orderStepFault = null;
        return { status: 503, effect: stepFault.effect, ...(stepFault.mode === 'crash' ? { crashDownForMs: stepFault.downForMs ?? 200 } : {}) };
      }
    }
    return null;
  }

  function failurePage(status: number, retryAfterSeconds?: number): Reply {
    const title = FAILURE_TITLES[status] ?? 'Internal Server Error';
    const page = tomcatPage(status, title);
    return retryAfterSeconds === undefined ? page : { ...page, headers: { ...page.headers, 'retry-after': String(retryAfterSeconds) } };
  }

  function write(res: ServerResponse, reply: Reply): void {
    const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/json;charset=UTF-8', ...(reply.headers ?? {}) });
    res.end(body);
  }

  function listen(): Promise<void> {
    server = createServer((req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) write(res, tomcatPage(500, `Internal Server Error: ${(error as Error).message}`));
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 2_000;
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        port = (server.address() as AddressInfo).port;
        down = false;
        resolve();
      });
    });
  }

  let restartTimer: NodeJS.Timeout | null = null;
  async function crash(downForMs = 200): Promise<void> {
    if (down) return;
    down = true;
    const closing = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closing;
    if (restartTimer) clearTimeout(restartTimer);
    restartTimer = setTimeout(() => {
      restartTimer = null;
      void listen().catch(() => undefined);
    }, downForMs);
  }

  async function restart(): Promise<void> {
    if (restartTimer) {
      clearTimeout(restartTimer);
      restartTimer = null;
    }
    if (down) await listen();
  }

  const control = createControl(state, { crash, restart });
  await listen();
  const origin = `http://${host}:${port}`;
  const firstDomain = state.domains[0]!;
  const firstUser = state.users[0]!;
  const description: QadSandboxDescription = {
    baseUrl: `${origin}${contextRoot}`,
    clientId: state.clientId,
    username: firstUser.username,
    password: firstUser.password,
    workspace: { domain: firstDomain.code, entity: firstDomain.entities[0]!, sharedSet: firstDomain.sharedSet },
    profile: contextRoot === '/qad-central' ? 'webui-rest' : 'adaptive-rest',
    qxtendUrl: `${origin}${qxtendPath}`,
    qxtendReceiver: receiver,
    qxtendVersion: versions[0]!,
    controlUrl: `${origin}/__sandbox`,
  };
  return {
    baseUrl: description.baseUrl,
    qxtendUrl: description.qxtendUrl,
    controlUrl: description.controlUrl,
    description,
    clock,
    state,
    control,
    async close() {
      if (restartTimer) clearTimeout(restartTimer);
      if (down) return;
      down = true;
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closing;
    },
  };
}
