/**
 * The bench protocol (bridge/src/cli/commands/bench.ts): the result is one JSON object on the last
 * line of stdout. Progress goes to stderr so it never gets in the way of that line.
 */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function emitResult(result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Runs a benchmark body and makes its outcome the process exit code. */
export function runBenchmark(name: string, body: () => Promise<Record<string, unknown>>): void {
  body().then(
    (result) => {
      emitResult({ benchmark: name, ...result });
      process.exitCode = 0;
      exitIfSomethingLingers(name);
    },
    (error: unknown) => {
      progress(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
      exitIfSomethingLingers(name);
    },
  );
}

/**
 * Everything is closed by the time a benchmark reports, so the process should end by itself. If a
 * leaked socket or timer keeps it alive, `npm run bench` must not hang on it: the unref'd timer
 * fires only in that case, says so, and ends the process with the result already printed.
 */
function exitIfSomethingLingers(name: string): void {
  setTimeout(() => {
    progress(`${name}: something was left open after the result; exiting anyway`);
    process.exit();
  }, 5_000).unref();
}
