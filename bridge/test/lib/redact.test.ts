import { describe, expect, it } from 'vitest';
import { REDACTION_MARK, redactPayload, redactSecrets } from '../../src/lib/redact.js';

describe('redactPayload', () => {
  it('masks secret keys at any depth and in any casing, keeping the rest', () => {
    const input = {
      Name: 'Acme',
      auth: { clientSecret: 'cs-1', Authorization: 'Bearer abc', nested: [{ password: 'pw', apiKey: 'k', note: 'keep' }] },
      access_token: 'tok',
      refreshToken: 'rt',
      passwordHint: null,
      Phone: '+1 555',
    };
    const out = JSON.parse(redactPayload(input));
    expect(out).toEqual({
      Name: 'Acme',
      auth: { clientSecret: REDACTION_MARK, Authorization: REDACTION_MARK, nested: [{ password: REDACTION_MARK, apiKey: REDACTION_MARK, note: 'keep' }] },
      access_token: REDACTION_MARK,
      refreshToken: REDACTION_MARK,
      passwordHint: null,
      Phone: '+1 555',
    });
    expect(JSON.stringify(out)).not.toMatch(/cs-1|Bearer abc|"pw"|"tok"|"rt"/);
  });

  it('does not mutate its input and survives cycles', () => {
    const input: Record<string, unknown> = { token: 'x' };
    input.self = input;
    expect(redactSecrets(input)).toEqual({ token: REDACTION_MARK, self: '[Circular]' });
    expect(input.token).toBe('x');
  });

  it('fits a byte budget and always stays valid JSON, multi-byte text included', () => {
    const big = { rows: Array.from({ length: 400 }, (_, i) => ({ i, text: `Zürich 東京 ${'x'.repeat(i % 50)}` })), secret: 's' };
    for (const budget of [120, 500, 4_000, 20_000]) {
      const out = redactPayload(big, budget);
      expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(budget);
      const parsed = JSON.parse(out);
      expect(parsed.truncated).toBe(true);
      expect(out).not.toContain('"secret":"s"');
    }
    const longStrings = { description: 'y'.repeat(10_000), code: 'A1' };
    const shortened = JSON.parse(redactPayload(longStrings, 1_000));
    expect(shortened.code).toBe('A1');
    expect(shortened.description).toHaveLength(257);
    expect(redactPayload({ a: 1 }, 1_000)).toBe('{"a":1}');
  });
});
