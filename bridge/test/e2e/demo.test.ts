import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/ml-connector.js');

describe('ml-connector demo --json', () => {
  it('converges with every record once and prints one JSON object of numbers with the documented keys', async () => {
    const child = spawn(process.execPath, [BIN, 'demo', '--json'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code, stderr.slice(-2000)).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!) as Record<string, Record<string, number> | number>;
    expect(Object.keys(summary).sort()).toEqual(['apiCalls', 'duplicates', 'elapsedMs', 'failed', 'qad', 'salesforce']);
    expect(Object.keys(summary.qad as object).sort()).toEqual(['customers', 'items', 'salesOrders', 'suppliers']);
    expect(Object.keys(summary.salesforce as object).sort()).toEqual(['accounts', 'auditRecords', 'contacts', 'ordersActivated', 'ordersWithQadNumber', 'products']);
    expect(Object.keys(summary.apiCalls as object).sort()).toEqual(['qad', 'salesforce']);
    const numbers = [summary.duplicates, summary.failed, summary.elapsedMs, ...Object.values(summary.qad as object), ...Object.values(summary.salesforce as object), ...Object.values(summary.apiCalls as object)];
    for (const n of numbers) expect(typeof n).toBe('number');
    const qad = summary.qad as Record<"customers" | "suppliers" | "items" | "salesOrders", number>;
    const sf = summary.salesforce as Record<"accounts" | "products" | "contacts" | "ordersActivated" | "ordersWithQadNumber" | "auditRecords", number>;
    expect(qad.customers).toBeGreaterThanOrEqual(500);
    expect(qad.suppliers).toBeGreaterThanOrEqual(200);
    expect(qad.items).toBeGreaterThanOrEqual(300);
    // suppliers that are also customers share one Account
    expect(sf.accounts).toBeLessThan(qad.customers + qad.suppliers);
    expect(sf.products).toBe(qad.items);
    expect(sf.ordersActivated).toBe(50);
    expect(sf.ordersWithQadNumber).toBe(50);
    expect(qad.salesOrders).toBe(50);
    expect(summary.duplicates).toBe(0);
    expect(summary.failed).toBe(0);
    expect(sf.auditRecords).toBeGreaterThan(sf.accounts);
  }, 120_000);
});
