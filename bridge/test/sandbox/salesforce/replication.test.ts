import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrg, type OrgFixture } from './helpers.js';

describe('simulated org: getUpdated and getDeleted', () => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await startOrg();
  });
  afterAll(async () => f.org.close());

  const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());

  it('lists ids changed in a window by SystemModstamp, truncated to the minute', async () => {
    const start = f.org.clock.now();
    const [a, b] = f.org.control.insert('Account', [{ Name: 'A' }, { Name: 'B' }]);
    f.org.clock.advance(10 * 60_000);
    f.org.control.update('Account', [{ Id: a, Phone: '1' }]);
    const middle = f.org.clock.now();
    f.org.clock.advance(10 * 60_000);
    const res = await f.api('GET', `/sobjects/Account/updated/?start=${iso(start - 60_000)}&end=${iso(middle - 60_000)}`);
    expect(res.status).toBe(200);
    expect(res.body.ids).toEqual([b]);
    expect(res.body.latestDateCovered).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000\+0000$/);
    const later = await f.api('GET', `/sobjects/Account/updated/?start=${iso(middle - 60_000)}&end=${iso(f.org.clock.now())}`);
    expect(later.body.ids).toEqual([a]);
    const tooOld = await f.api('GET', `/sobjects/Account/updated/?start=${iso(start - 31 * 86_400_000)}&end=${iso(start)}`);
    expect(tooOld.status).toBe(400);
    expect(tooOld.body[0].errorCode).toBe('INVALID_REPLICATION_DATE');
    const backwards = await f.api('GET', `/sobjects/Account/updated/?start=${iso(middle)}&end=${iso(start)}`);
    expect(backwards.body[0].errorCode).toBe('INVALID_REPLICATION_DATE');
  });

  it('lists deleted ids with their deletion dates, 15 days back at most', async () => {
    const start = f.org.clock.now();
    const [gone] = f.org.control.insert('Account', [{ Name: 'Gone' }]);
    f.org.control.delete('Account', [gone as string]);
    f.org.clock.advance(5 * 60_000);
    const res = await f.api('GET', `/sobjects/Account/deleted/?start=${iso(start - 60_000)}&end=${iso(f.org.clock.now())}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      deletedRecords: [{ id: gone, deletedDate: expect.stringMatching(/\+0000$/) }],
      earliestDateAvailable: expect.stringMatching(/:00\.000\+0000$/),
      latestDateCovered: expect.stringMatching(/:00\.000\+0000$/),
    });
    const tooOld = await f.api('GET', `/sobjects/Account/deleted/?start=${iso(start - 16 * 86_400_000)}&end=${iso(start)}`);
    expect(tooOld.body[0].errorCode).toBe('INVALID_REPLICATION_DATE');
  });
});
