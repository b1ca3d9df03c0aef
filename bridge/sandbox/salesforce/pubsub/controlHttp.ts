import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PubSubBusControl } from './bus.js';

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

const GAP_TYPES = new Set(['GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE']);

class BadRequest extends Error {}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new BadRequest('body must be a JSON object');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !value) throw new BadRequest(`${field} must be a non-empty string`);
  return value;
}

function requiredNumber(body: Record<string, unknown>, field: string): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new BadRequest(`${field} must be a number`);
  return value;
}

/**
 * The bus's control surface over HTTP, so a sandbox in another process (CLI, demo, crash tests)
 * can inject gap/overflow events and dropped streams and read the counters.
 */
export async function startControlServer(control: PubSubBusControl, host: string, port: number): Promise<ControlServer> {
  const routes: Record<string, (body: Record<string, unknown>) => unknown> = {
    'GET /__sandbox/pubsub/counters': () => control.counters(),
    'POST /__sandbox/pubsub/counters/reset': () => {
      control.resetCounters();
      return { ok: true };
    },
    'POST /__sandbox/pubsub/gap': (body) => {
      const entityName = optionalString(body, 'entityName');
      if (!entityName) throw new BadRequest('entityName is required, e.g. "Account"');
      const recordIds = body.recordIds;
      if (!Array.isArray(recordIds) || recordIds.length === 0 || !recordIds.every((id) => typeof id === 'string')) {
        throw new BadRequest('recordIds must be a non-empty array of record ids');
      }
      const changeType = optionalString(body, 'changeType') ?? 'GAP_UPDATE';
      if (!GAP_TYPES.has(changeType)) throw new BadRequest(`changeType must be one of ${[...GAP_TYPES].join(', ')}`);
      control.emitGap(entityName, recordIds as string[], changeType as 'GAP_UPDATE');
      return { ok: true };
    },
    'POST /__sandbox/pubsub/overflow': (body) => {
      const entityName = optionalString(body, 'entityName');
      if (!entityName) throw new BadRequest('entityName is required, e.g. "Account"');
      control.emitOverflow(entityName);
      return { ok: true };
    },
    'POST /__sandbox/pubsub/drop-streams': (body) => {
      const topic = optionalString(body, 'topic');
      if (body.afterEvents !== undefined) {
        control.dropNextStreamAfter(requiredNumber(body, 'afterEvents'), topic);
        return { ok: true, scheduled: true };
      }
      return { ok: true, dropped: control.dropStreams(topic) };
    },
    'POST /__sandbox/pubsub/keepalive': (body) => {
      control.setKeepaliveInterval(requiredNumber(body, 'intervalMs'));
      return { ok: true };
    },
    'POST /__sandbox/pubsub/retention': (body) => {
      control.setRetention(requiredNumber(body, 'retentionMs'));
      return { ok: true };
    },
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const route = routes[`${request.method} ${path}`];
    if (!route) {
      send(response, 404, [{ errorCode: 'NOT_FOUND', message: `no control route ${request.method} ${path}` }]);
      return;
    }
    readJson(request)
      .then((body) => send(response, 200, route(body)))
      .catch((error: unknown) => {
        const bad = error instanceof BadRequest || error instanceof RangeError;
        send(response, bad ? 400 : 500, [{ errorCode: bad ? 'INVALID_FIELD' : 'UNKNOWN_EXCEPTION', message: error instanceof Error ? error.message : String(error) }]);
      });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
