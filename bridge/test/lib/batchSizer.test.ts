import { describe, expect, it } from 'vitest';
import { BatchSizer } from '../../src/lib/batchSizer.js';

describe('BatchSizer', () => {
  it('starts small, doubles while full batches finish in time, and never passes its bounds', () => {
    const sizer = new BatchSizer({ min: 200, max: 10_000, start: 2_500, targetMs: 5_000 });
    expect(sizer.size).toBe(2_500);
    sizer.record(2_500, 1_000);
    expect(sizer.size).toBe(5_000);
    sizer.record(5_000, 2_000);
    expect(sizer.size).toBe(10_000);
    sizer.record(10_000, 3_000);
    expect(sizer.size).toBe(10_000);
  });

  it('shrinks to what the target time allows after a slow batch, and learns nothing from a short one', () => {
    const sizer = new BatchSizer({ min: 200, max: 10_000, start: 10_000, targetMs: 5_000 });
    sizer.record(10_000, 20_000);
    expect(sizer.size).toBe(2_500);
    sizer.record(300, 60_000);
    expect(sizer.size).toBe(2_500);
    sizer.record(2_500, 500_000);
    expect(sizer.size).toBe(200);
  });
});
