/**
 * Benchmark sizes come from a flag (`--records 5000` or `--records=5000`) or an environment
 * variable (BENCH_RECORDS), flag first. The bench runner passes only `--json`, so the environment
 * is how `npm run bench` is resized; flags are for running one script by hand.
 */
export interface SizeOption {
  /** flag name without dashes, e.g. `records` */
  flag: string;
  /** environment variable, e.g. `BENCH_UPSERT_RECORDS` */
  env: string;
  fallback: number;
  /** smallest value that still measures something; defaults to 1 */
  min?: number;
}

function flagValue(argv: readonly string[], flag: string): string | undefined {
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === `--${flag}`) return argv[index + 1];
    if (arg.startsWith(`--${flag}=`)) return arg.slice(flag.length + 3);
  }
  return undefined;
}

export function readSize(option: SizeOption, argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): number {
  const fromFlag = flagValue(argv, option.flag);
  const raw = fromFlag ?? env[option.env];
  if (raw === undefined || raw.trim() === '') return option.fallback;
  const value = Number(raw);
  const min = option.min ?? 1;
  if (!Number.isInteger(value) || value < min) {
    const source = fromFlag !== undefined ? `--${option.flag}` : option.env;
    throw new RangeError(`${source} must be a whole number of at least ${min}, got "${raw}"; omit it to use ${option.fallback}`);
  }
  return value;
}
