/**
 * The sandbox's notion of time. Real time by default; tests and the demo move it forward to age
 * replay ids past the Pub/Sub retention window or expire tokens without waiting.
 */
export interface SandboxClock {
  now(): number;
  advance(ms: number): void;
}

export function createSandboxClock(start?: number): SandboxClock {
  let offset = start === undefined ? 0 : start - Date.now();
  return {
    now: () => Date.now() + offset,
    advance: (ms: number) => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock can only move forward, got ${ms}`);
      offset += ms;
    },
  };
}
