import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createSandboxClock, type SandboxClock } from '../clock.js';
import { loadSalesforceSeed, salesforcePart, type SeedResult } from '../seed/salesforce.js';
import { BulkJobs } from './bulk2.js';
import type { OrgContext } from './context.js';
import { OrgControl } from './control.js';
import { OrgWriter } from './dml.js';
import { SalesforceApiError } from './errors.js';
import { FaultInjector } from './faults.js';
import { errorAnswer, json, makeRequest, matchRoute, pathExists, readBody, send, type OrgAnswer, type Route } from './http.js';
import { IdFactory } from './ids.js';
import { DailyAllowance } from './limits.js';
import { OAuthServer } from './oauth.js';
import type { OrgEventEmitter, OrgEventMap } from './orgEvents.js';
import { bulkRoutes } from './routes/bulk.js';
import { collectionRoutes } from './routes/collections.js';
import { controlRoutes } from './routes/control.js';
import { queryRoutes } from './routes/query.js';
import { restRoutes } from './routes/rest.js';
import { SchemaCatalog, type CatalogOptions } from './schema/catalog.js';
import { describeObject } from './schema/describe.js';
import { QueryService } from './soql/cursors.js';
import { RecordStore } from './store.js';

/**
 * The simulated Salesforce org: OAuth client credentials, REST (rows, describe, limits, SOQL,
 * getUpdated/getDeleted), sObject Collections and Bulk API 2.0 ingest, served over loopback HTTP
 * with the platform's wire shapes, plus a control surface under `/__sandbox/`.
 */
export interface SimulatedOrgOptions {
  port?: number;
  host?: string;
  clock?: SandboxClock;
  apiVersion?: string;
  clientId?: string;
  clientSecret?: string;
  /** session inactivity timeout on the sandbox clock (default 2 h) */
  tokenTtlMs?: number;
  /** daily API allowance (rolling 24 h), default 100,000 */
  dailyApiRequests?: number;
  /** seed data (the org part or a combined sandbox seed) */
  seed?: unknown;
  /** extra custom fields, e.g. a non-unique External ID */
  extraFields?: CatalogOptions['extraFields'];
  /** cap of a request body (default 150 MB, the Bulk API 2.0 upload limit) */
  maxBodyBytes?: number;
}

export interface SimulatedOrgDescription {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  apiVersion: string;
  instanceUrl: string;
  orgId: string;
  controlUrl: string;
}

export const DEFAULT_API_VERSION = '66.0';
const MIN_API_VERSION = 20;
const MAX_API_VERSION = 67;

function releaseLabel(version: number): string {
  const k = version - 63;
  const season = (['Spring', 'Summer', 'Winter'] as const)[((k % 3) + 3) % 3] as string;
  const year = 25 + Math.floor(k / 3) + (season === 'Winter' ? 1 : 0);
  return `${season} '${String(year).padStart(2, '0')}`;
}

export class SimulatedOrg {
  readonly events: OrgEventEmitter = new EventEmitter<OrgEventMap>();
  readonly clock: SandboxClock;
  readonly apiVersion: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly orgId: string;
  readonly integrationUserId: string;
  readonly standardPricebookId: string;
  readonly control: OrgControl;
  readonly catalog: SchemaCatalog;
  private readonly ctx: OrgContext;
  private readonly oauth: OAuthServer;
  private readonly faults = new FaultInjector();
  private readonly routes: Route[];
  private readonly controlRouteList: Route[];
  private server: Server | null = null;
  private base = '';
  private readonly maxBodyBytes: number;

  constructor(options: SimulatedOrgOptions = {}) {
    this.clock = options.clock ?? createSandboxClock();
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    this.maxBodyBytes = options.maxBodyBytes ?? 150 * 1024 * 1024;
    this.clientId = options.clientId ?? `3MVG9${randomBytes(30).toString('base64').replace(/[+/=]/g, 'x')}`;
    this.clientSecret = options.clientSecret ?? randomBytes(32).toString('hex').toUpperCase();
    const ids = new IdFactory();
    this.orgId = ids.next('00D');
    this.catalog = new SchemaCatalog(options.extraFields ? { extraFields: options.extraFields } : {});
    const store = new RecordStore(this.catalog);
    // the integration user the token acts as exists before anything else, as in a real org
    this.integrationUserId = ids.next('005');
    const writer = new OrgWriter({ catalog: this.catalog, store, ids, clock: this.clock, events: this.events, userId: this.integrationUserId });
    const bulk = new BulkJobs({ catalog: this.catalog, writer, ids, clock: this.clock, userId: this.integrationUserId });
    this.ctx = {
      catalog: this.catalog,
      store,
      writer,
      queries: new QueryService(this.catalog, store, this.clock, ids, this.apiVersion),
      bulk,
      clock: this.clock,
      allowance: new DailyAllowance(this.clock, options.dailyApiRequests ?? 100_000),
      orgId: this.orgId,
      userId: this.integrationUserId,
      apiVersion: this.apiVersion,
      startedAt: this.clock.now(),
    };
    this.oauth = new OAuthServer({
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      orgId: this.orgId,
      userId: this.integrationUserId,
      instanceUrl: () => this.base,
      ttlMs: options.tokenTtlMs ?? 2 * 60 * 60 * 1000,
      clock: this.clock,
    });
    this.control = new OrgControl(this.ctx, this.faults, this.oauth, this.clock);
    const now = this.clock.now();
    store.put('User', {
      Id: this.integrationUserId, IsDeleted: false, CreatedDate: now, CreatedById: this.integrationUserId, LastModifiedDate: now,
      LastModifiedById: this.integrationUserId, SystemModstamp: now, Username: 'integration@ml-connector.sandbox', FirstName: 'Integration',
      LastName: 'User', Name: 'Integration User', Email: 'integration@ml-connector.sandbox', Alias: 'integ', IsActive: true,
    });
    [this.standardPricebookId] = this.control.insert('Pricebook2', [{ Name: 'Standard Price Book', IsActive: true }]) as [string];
    store.put('Pricebook2', { ...(store.get('Pricebook2', this.standardPricebookId) ?? {}), IsStandard: true });
    this.routes = [...restRoutes(this.ctx), ...queryRoutes(this.ctx), ...collectionRoutes(this.ctx), ...bulkRoutes(this.ctx)];
    this.controlRouteList = controlRoutes(this);
    if (options.seed !== undefined) this.seed(options.seed);
  }

  get baseUrl(): string {
    return this.base;
  }

  get loginUrl(): string {
    return this.base;
  }

  get description(): SimulatedOrgDescription {
    return {
      loginUrl: this.loginUrl,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      apiVersion: this.apiVersion,
      instanceUrl: this.base,
      orgId: this.orgId,
      controlUrl: `${this.base}/__sandbox`,
    };
  }

  /** Loads seed data (the org part of a combined seed, or the org part alone); not counted as API use. */
  seed(seed: unknown): SeedResult {
    return loadSalesforceSeed({ ...bindControl(this.control), standardPricebookId: this.standardPricebookId }, salesforcePart(seed));
  }

  isValidAccessToken(token: string): boolean {
    return this.oauth.isValid(token);
  }

  describeSObject(name: string): Record<string, unknown> | null {
    const def = this.catalog.object(name);
    return def ? describeObject(def, this.apiVersion) : null;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<this> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, json(500, [{ message: 'An unexpected error occurred in the sandbox', errorCode: 'UNKNOWN_EXCEPTION' }]));
        else res.destroy(error as Error);
      });
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.base = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    return this;
  }

  async close(): Promise<void> {
    await this.ctx.bulk.idle();
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    let body: Buffer;
    try {
      body = await readBody(req, this.maxBodyBytes);
    } catch (error) {
      send(res, errorAnswer(error as SalesforceApiError));
      return;
    }
    if (path.startsWith('/__sandbox')) {
      const request = makeRequest(req, body, url, this.apiVersion);
      const found = matchRoute(this.controlRouteList, method, path);
      if (!found) return send(res, json(404, [{ message: `no control route ${method} ${path}`, errorCode: 'NOT_FOUND' }]));
      request.params = found.params;
      return send(res, await this.run(found.route, request));
    }
    if (path === '/services/oauth2/token' && method === 'POST') {
      this.control.count('oauth');
      await this.delay(method, path);
      const fault = this.faults.take(method, path);
      if (fault) {
        this.control.count('faults');
        return send(res, errorAnswer(fault.error));
      }
      const answer = this.oauth.token(new URLSearchParams(body.toString('utf8')), req.headers.authorization);
      return send(res, json(answer.status, answer.body, { 'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private' }));
    }
    if (/^\/services\/data\/?$/.test(path) && method === 'GET') {
      this.control.count('versions');
      const versions = [];
      for (let v = MIN_API_VERSION; v <= MAX_API_VERSION; v += 1) versions.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
      return send(res, json(200, versions));
    }
    const versionMatch = /^\/services\/data\/v(\d+\.\d)(?:\/|$)/.exec(path);
    const version = versionMatch ? Number(versionMatch[1]) : NaN;
    if (!versionMatch || version < MIN_API_VERSION || version > MAX_API_VERSION) {
      return send(res, json(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]));
    }
    const request = makeRequest(req, body, url, versionMatch[1] as string);
    const found = matchRoute(this.routes, method, path);
    const limitHeader = () => ({ 'Sforce-Limit-Info': this.ctx.allowance.header() });
    if (!found) {
      const answer = pathExists(this.routes, path)
        ? json(405, [{ errorCode: 'METHOD_NOT_ALLOWED', message: `HTTP Method '${method}' not allowed. Allowed are GET,PATCH,POST,DELETE` }])
        : json(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
      return send(res, answer, limitHeader());
    }
    request.params = found.params;
    this.control.count(found.route.kind);
    await this.delay(method, path);
    const fault = this.faults.take(method, path);
    if (fault) {
      this.control.count('faults');
      return send(res, this.faultAnswer(found.route, request, fault.error), limitHeader());
    }
    try {
      this.oauth.authenticate(request.header('authorization'));
    } catch (error) {
      return send(res, errorAnswer(error as SalesforceApiError), limitHeader());
    }
    if (this.ctx.allowance.exhausted()) {
      return send(res, json(403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]), limitHeader());
    }
    this.ctx.allowance.record();
    const answer = await this.run(found.route, request);
    send(res, answer, limitHeader());
  }

  private async run(route: Route, request: ReturnType<typeof makeRequest>): Promise<OrgAnswer> {
    try {
      return await route.handler(request);
    } catch (error) {
      if (error instanceof SalesforceApiError) return errorAnswer(error);
      throw error;
    }
  }

  private async delay(method: string, path: string): Promise<void> {
    const ms = this.faults.latencyFor(method, path);
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** UNABLE_TO_LOCK_ROW on a collections write fails every record of the call, as the platform does. */
  private faultAnswer(route: Route, request: ReturnType<typeof makeRequest>, error: SalesforceApiError): OrgAnswer {
    if (error.errorCode === 'UNABLE_TO_LOCK_ROW' && route.kind.startsWith('collections-') && route.kind !== 'collections-retrieve') {
      let count = 0;
      try {
        const body = request.json() as { records?: unknown[] };
        count = Array.isArray(body.records) ? body.records.length : 0;
      } catch {
        count = (request.query.get('ids') ?? '').split(',').filter(Boolean).length;
      }
      if (count === 0) count = (request.query.get('ids') ?? '').split(',').filter(Boolean).length;
      return json(200, Array.from({ length: count }, () => ({ id: null, success: false, errors: [{ statusCode: error.errorCode, message: error.message, fields: [] }] })));
    }
    return errorAnswer(error);
  }
}

function bindControl(control: OrgControl) {
  return {
    insert: control.insert.bind(control),
    update: control.update.bind(control),
    query: control.query.bind(control),
  };
}

export async function startSimulatedOrg(options: SimulatedOrgOptions = {}): Promise<SimulatedOrg> {
  const org = new SimulatedOrg(options);
  return org.listen(options.port ?? 0, options.host ?? '127.0.0.1');
}
