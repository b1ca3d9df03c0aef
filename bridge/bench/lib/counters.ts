/**
 * The sandboxes count every call they answer, by kind. A benchmark phase reports what it cost as
 * the difference between two readings, so set-up calls (seeding, the first token) stay out of it.
 */
export type Counters = Record<string, number>;

export function countersDelta(before: Counters, after: Counters): Counters {
  const delta: Counters = {};
  for (const [kind, value] of Object.entries(after)) {
    const diff = value - (before[kind] ?? 0);
    if (diff !== 0) delta[kind] = diff;
  }
  return delta;
}

export function totalCalls(counters: Counters, exclude: readonly string[] = []): number {
  return Object.entries(counters).reduce((sum, [kind, value]) => (exclude.includes(kind) ? sum : sum + value), 0);
}
