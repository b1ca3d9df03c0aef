import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countersDelta, totalCalls } from '../../bench/lib/counters.js';
import { HttpTimings } from '../../bench/lib/httpTiming.js';
import { MemorySampler } from '../../bench/lib/memory.js';
import { readSize } from '../../bench/lib/options.js';
import { percentile, perSecond, ratio, summarizeLatency } from '../../bench/lib/stats.js';

describe('percentiles', () => {
  it('takes the nearest rank of a sorted list', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3], 50)).toBe(2);
    expect(percentile([], 50)).toBeNaN();
  });

  it('refuses a percentile outside 0..100', () => {
    expect(() => percentile([1], 101)).toThrow(/between 0 and 100/);
    expect(() => percentile([1], -1)).toThrow(/between 0 and 100/);
  });

  it('summarises unsorted samples without changing them', () => {
    const samples = [5, 1, 4, 2, 3];
    expect(summarizeLatency(samples)).toEqual({ count: 5, p50: 3, p95: 5, p99: 5, max: 5, mean: 3 });
    expect(samples).toEqual([5, 1, 4, 2, 3]);
    expect(summarizeLatency([])).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 });
  });

  it('computes rates and ratios, and no ratio of nothing', () => {
    expect(perSecond(500, 250)).toBe(2000);
    expect(perSecond(10, 0)).toBe(0);
    expect(ratio(1, 3)).toBe(0.333);
    expect(ratio(1, 0)).toBeNull();
  });
});

describe('sizes from flags and environment', () => {
  const option = { flag: 'records', env: 'BENCH_X_RECORDS', fallback: 1000 };

  it('prefers the flag, then the environment, then the default', () => {
    expect(readSize(option, ['--records', '50'], { BENCH_X_RECORDS: '70' })).toBe(50);
    expect(readSize(option, ['--records=60'], {})).toBe(60);
    expect(readSize(option, ['--json'], { BENCH_X_RECORDS: '70' })).toBe(70);
    expect(readSize(option, [], {})).toBe(1000);
    expect(readSize(option, [], { BENCH_X_RECORDS: ' ' })).toBe(1000);
  });

  it('names the flag or variable and the fix when a size is not a whole number', () => {
    expect(() => readSize(option, ['--records', 'many'], {})).toThrow('--records must be a whole number of at least 1, got "many"; omit it to use 1000');
    expect(() => readSize(option, [], { BENCH_X_RECORDS: '2.5' })).toThrow(/BENCH_X_RECORDS must be a whole number/);
    expect(() => readSize({ ...option, min: 100 }, [], { BENCH_X_RECORDS: '99' })).toThrow(/at least 100/);
    expect(readSize({ ...option, min: 0 }, [], { BENCH_X_RECORDS: '0' })).toBe(0);
  });
});

describe('counter deltas', () => {
  it('keeps only what changed between two readings and sums it', () => {
    const delta = countersDelta({ oauth: 1, query: 3 }, { oauth: 1, query: 5, 'collections-upsert': 2 });
    expect(delta).toEqual({ query: 2, 'collections-upsert': 2 });
    expect(totalCalls(delta)).toBe(4);
    expect(totalCalls(delta, ['query'])).toBe(2);
  });
});

describe('HTTP timings through undici diagnostics', () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('records one entry per finished request while started, none after stop', async () => {
    const timings = new HttpTimings().start();
    for (const path of ['/a', '/b', '/missing']) await (await request(`${origin}${path}`, { method: path === '/b' ? 'POST' : 'GET', body: path === '/b' ? 'x' : null })).body.text();
    const taken = timings.take();
    expect(taken.map((t) => [t.method, t.path, t.failed])).toEqual([
      ['GET', '/a', false],
      ['POST', '/b', false],
      ['GET', '/missing', false],
    ]);
    expect(taken.every((t) => t.ms >= 0 && t.origin === origin)).toBe(true);
    expect(timings.take()).toEqual([]);
    timings.stop();
    await (await request(`${origin}/c`)).body.text();
    expect(timings.take()).toEqual([]);
  });

  it('marks a request the server hung up on as failed', async () => {
    const rude = createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve));
    const port = (rude.address() as AddressInfo).port;
    const timings = new HttpTimings().start();
    try {
      await expect(request(`http://127.0.0.1:${port}/hang-up`)).rejects.toThrow();
    } finally {
      timings.stop();
      await new Promise<void>((resolve) => rude.close(() => resolve()));
    }
    expect(timings.take().map((t) => [t.path, t.failed])).toEqual([['/hang-up', true]]);
  });
});

describe('memory sampler', () => {
  it('reports a peak at least as high as what is held while sampling', () => {
    const sampler = new MemorySampler().start(5);
    const held = Buffer.alloc(32 * 1024 * 1024, 1);
    sampler.sample();
    const peak = sampler.stop();
    expect(held.length).toBe(32 * 1024 * 1024);
    expect(peak.rssPeakMb).toBeGreaterThanOrEqual(32);
    expect(peak.heapUsedPeakMb).toBeGreaterThan(0);
    expect(peak.samples).toBeGreaterThanOrEqual(3);
  });
});
