import { errorsEnvelope, json, parseJsonBody, type Reply, type RequestContext } from './http.js';
import type { QadSeed } from './seed.js';
import type { CallKind, FaultEffect, FaultSettings, TenantState } from './state.js';

/**
 * The programmatic control surface, also served over HTTP under /__sandbox/ so a tenant running in
 * another process (CLI sandbox, demo, crash tests) can be seeded, faulted, edited and counted.
 */
export interface QadTenantControl {
  seed(seed: QadSeed): void;
  generateCustomers(count: number, options?: { sharedSet?: string; prefix?: string }): number;
  /** changes `count` records; without `bumpModifiedDate` only content-hash detection can see it */
  editRecords(table: 'customers' | 'suppliers' | 'items' | 'contacts', count: number, options?: { bumpModifiedDate?: boolean; keys?: string[] }): string[];
  setLatency(ms: number): void;
  /** the next `count` calls (of `kinds`, or any) fail with `status`; by default refused, nothing done; with `retryAfterSeconds` the answer carries Retry-After */
  failNext(count: number, status?: number, kinds?: CallKind[], effect?: FaultEffect, retryAfterSeconds?: number): void;
  /** step `step` of the next order write fails (503 or crash); by default refused, nothing done */
  failOrderAtStep(step: number, options?: { mode?: '5xx' | 'crash'; effect?: FaultEffect; downForMs?: number }): void;
  /** the lost answer: step `step` is carried out and committed, then its answer is lost (503 or crash) */
  failOrderAfterStep(step: number, mode?: '5xx' | 'crash', downForMs?: number): void;
  clearFaults(): void;
  faults(): FaultSettings;
  counters(): Record<string, number>;
  resetCounters(): void;
  expireTokens(): void;
  advanceClock(ms: number): void;
  crash(options?: { downForMs?: number }): Promise<void>;
  restart(): Promise<void>;
  hidePath(path: string): void;
  showPath(path: string): void;
  orders(domain?: string): Array<{ domain: string; orderNumber: string; customerCode: string; lines: Array<{ line: number; itemCode: string; quantity: number }> }>;
  recordCount(table: 'customers' | 'suppliers' | 'items' | 'contacts' | 'orders'): number;
}

export function createControl(state: TenantState, server: { crash(downForMs?: number): Promise<void>; restart(): Promise<void> }): QadTenantControl {
  return {
    seed: (seed) => state.loadSeed(seed),
    generateCustomers: (count, options) => state.generateCustomers(count, options),
    editRecords: (table, count, options) => state.editRecords(table, count, options),
    setLatency: (ms) => {
      state.faults.latencyMs = Math.max(0, ms);
    },
    failNext: (count, status = 503, kinds, effect = 'refused', retryAfterSeconds) => {
      state.faults.failNext = { count, status, effect, ...(kinds ? { kinds } : {}), ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) };
    },
    failOrderAtStep: (step, options = {}) => {
      const { mode = '5xx', effect = 'refused', downForMs } = options;
      state.faults.orderStepFault = { step, mode, effect, seen: 0, ...(downForMs === undefined ? {} : { downForMs }) };
    },
    failOrderAfterStep: (step, mode = '5xx', downForMs) => {
      state.faults.orderStepFault = { step, mode, effect: 'answerLost', seen: 0, ...(downForMs === undefined ? {} : { downForMs }) };
    },
    clearFaults: () => {
      state.faults = { latencyMs: 0, failNext: null, orderStepFault: null };
    },
    faults: () => structuredClone(state.faults),
    counters: () => state.counterSnapshot(),
    resetCounters: () => state.resetCounters(),
    expireTokens: () => state.tokens.clear(),
    advanceClock: (ms) => state.clock.advance(ms),
    crash: (options) => server.crash(options?.downForMs),
    restart: () => server.restart(),
    hidePath: (path) => {
      state.hiddenPaths.add(path);
    },
    showPath: (path) => {
      state.hiddenPaths.delete(path);
    },
    orders: (domain) =>
      state.orders
        .sorted()
        .filter((o) => domain === undefined || o.domain === domain)
        .map((o) => ({ domain: o.domain, orderNumber: o.orderNumber, customerCode: o.customerCode, lines: o.lines.map((l) => ({ line: l.line, itemCode: l.itemCode, quantity: l.quantity })) })),
    recordCount: (table) => state[table].size,
  };
}

function faultEffect(value: unknown, name: string): FaultEffect {
  if (value === undefined) return 'refused';
  if (value === 'refused' || value === 'answerLost') return value;
  throw new TypeError(`"${name}" must be "refused" (nothing done, the default) or "answerLost" (done, then the answer lost), got ${JSON.stringify(value)}`);
}

/** HTTP form of the control surface: POST /__sandbox/<action> with a JSON body, GET for reads. */
export async function handleControl(control: QadTenantControl, ctx: RequestContext): Promise<Reply> {
  const action = ctx.path.replace(/^__sandbox\/?/, '');
  const body = (parseJsonBody(ctx) ?? {}) as Record<string, unknown>;
  const num = (name: string, fallback?: number): number => {
    const v = body[name] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`"${name}" must be a number`);
    return v;
  };
  try {
    switch (`${ctx.method} ${action}`) {
      case 'GET counters':
        return json(200, control.counters());
      case 'POST counters/reset':
        control.resetCounters();
        return json(200, { ok: true });
      case 'POST seed':
        control.seed(body as unknown as QadSeed);
        return json(200, { ok: true });
      case 'POST generate':
        return json(200, { generated: control.generateCustomers(num('customers'), { ...(typeof body.prefix === 'string' ? { prefix: body.prefix } : {}) }) });
      case 'POST edit': {
        const table = String(body.table ?? 'customers') as 'customers';
        const keys = Array.isArray(body.keys) ? body.keys.map(String) : undefined;
        return json(200, { keys: control.editRecords(table, num('count'), { bumpModifiedDate: body.bumpModifiedDate !== false, ...(keys ? { keys } : {}) }) });
      }
      case 'GET faults':
        return json(200, control.faults());
      case 'POST faults':
        if (body.latencyMs !== undefined) control.setLatency(num('latencyMs'));
        if (body.failNext !== undefined) {
          const f = body.failNext as { count: number; status?: number; kinds?: CallKind[]; effect?: unknown; retryAfterSeconds?: number };
          control.failNext(f.count, f.status, f.kinds, faultEffect(f.effect, 'failNext.effect'), f.retryAfterSeconds);
        }
        if (body.orderStepFault !== undefined) {
          const f = body.orderStepFault as { step: number; mode?: '5xx' | 'crash'; effect?: unknown; downForMs?: number };
          control.failOrderAtStep(f.step, { ...(f.mode ? { mode: f.mode } : {}), effect: faultEffect(f.effect, 'orderStepFault.effect'), ...(f.downForMs === undefined ? {} : { downForMs: f.downForMs }) });
        }
        return json(200, control.faults());
      case 'DELETE faults':
        control.clearFaults();
        return json(200, { ok: true });
      case 'POST tokens/expire':
        control.expireTokens();
        return json(200, { ok: true });
      case 'POST clock/advance':
        control.advanceClock(num('ms'));
        return json(200, { ok: true });
      case 'POST crash':
        // Answer first; the crash happens once this reply is written.
        setImmediate(() => void control.crash({ downForMs: num('downForMs', 500) }));
        return json(202, { crashing: true });
      case 'GET orders':
        return json(200, control.orders(ctx.query.get('domain') ?? undefined));
      case 'POST paths/hide':
        control.hidePath(String(body.path));
        return json(200, { ok: true });
      case 'POST paths/show':
        control.showPath(String(body.path));
        return json(200, { ok: true });
      default:
        return errorsEnvelope(404, `Unknown sandbox control ${ctx.method} /__sandbox/${action}`);
    }
  } catch (error) {
    return errorsEnvelope(400, (error as Error).message);
  }
}
