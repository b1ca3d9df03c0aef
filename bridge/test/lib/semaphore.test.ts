import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/lib/semaphore.js';

describe('Semaphore', () => {
  it('never lets more than `permits` tasks run at once and runs every task', async () => {
    const semaphore = new Semaphore(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        semaphore.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 2));
          running -= 1;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(semaphore.inUse).toBe(0);
  });

  it('hands permits out in arrival order and ignores a double release', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const order: number[] = [];
    const second = semaphore.acquire().then((r) => (order.push(2), r));
    const third = semaphore.acquire().then((r) => (order.push(3), r));
    expect(semaphore.waiting).toBe(2);
    release();
    release();
    (await second)();
    (await third)();
    expect(order).toEqual([2, 3]);
    expect(semaphore.inUse).toBe(0);
  });

  it('refuses a non-positive permit count', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
