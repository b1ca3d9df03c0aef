import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors.js';

/**
 * Who this bridge process is, for job claims and connection leases. Two things are asked of it:
 * unique among the processes running at once (two instances on one host must never take each
 * other's claims for their own), and stable across a restart of the same instance (a bridge back
 * from a crash takes back its own claims and lease at once instead of waiting for them to lapse).
 *
 * ML_CONNECTOR_INSTANCE_ID, when set, is the identity. Otherwise the identity lives in a data
 * folder (next to the SQLite file) in numbered slots: slot n is a random id in `instance-<n>.id`,
 * made once, and is held while running through `instance-<n>.pid` (created exclusively, holding
 * the pid). A process takes the first slot nobody alive holds, so a restarted instance finds its
 * old slot (its holder is dead) and a second instance on the same host gets a slot of its own.
 */
export const ENV_INSTANCE_ID = 'ML_CONNECTOR_INSTANCE_ID';

const VALID_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/;
/** no host runs this many bridges; past it something is wrong with the folder, not the count */
const MAX_SLOTS = 64;

export interface InstanceIdentity {
  id: string;
  source: 'env' | 'slot';
  /** the slot held (source 'slot') */
  slot?: number;
  /** gives the slot back (at exit); a crash leaves it to be taken back by the next start */
  release(): void;
}

export interface ClaimOptions {
  /** the folder the slots live in */
  dir: string;
  env?: NodeJS.ProcessEnv;
  /** for tests */
  pid?: number;
  isAlive?: (pid: number) => boolean;
  hostname?: string;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function fromEnv(env: NodeJS.ProcessEnv): string | null {
  const value = env[ENV_INSTANCE_ID]?.trim();
  if (!value) return null;
  if (!VALID_ID.test(value)) {
    const problem = `${ENV_INSTANCE_ID} must be 1-100 letters, digits or . _ : / -, starting with a letter or digit. Fix: e.g. ${ENV_INSTANCE_ID}=bridge-a, or unset it to let the bridge choose`;
    throw new ConfigError(problem, [problem]);
  }
  return value;
}

/** The id of slot n, made the first time the slot is used and kept from then on. */
function slotId(dir: string, slot: number, host: string): string {
  const file = path.join(dir, `instance-${slot}.id`);
  const existing = readText(file);
  if (existing && VALID_ID.test(existing)) return existing;
  const made = `${host.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 60) || 'host'}/${randomBytes(6).toString('hex')}`;
  try {
    writeFileSync(file, `${made}\n`, { flag: 'wx', mode: 0o644 });
    return made;
  } catch (error) {
    // another process made it in the meantime: its id is the slot's
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = readText(file);
    if (theirs && VALID_ID.test(theirs)) return theirs;
    writeFileSync(file, `${made}\n`, { mode: 0o644 });
    return made;
  }
}

/** Tries to hold slot n for `pid`: true when held (taken fresh, or taken back from a dead holder). */
function hold(lockFile: string, pid: number, isAlive: (pid: number) => boolean): boolean {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lockFile, `${pid}\n`, { flag: 'wx', mode: 0o644 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readText(lockFile));
    // a holder with our own pid is our previous life (a container's pid 1 after a restart)
    const stale = !Number.isInteger(holder) || holder <= 0 || holder === pid || !isAlive(holder);
    if (!stale) return false;
    try {
      unlinkSync(lockFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return false;
}

/** Claims this process's identity (see above). Call release() when the process ends. */
export function claimInstanceId(options: ClaimOptions): InstanceIdentity {
  const env = options.env ?? process.env;
  const explicit = fromEnv(env);
  if (explicit) return { id: explicit, source: 'env', release: () => undefined };
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? processAlive;
  const host = options.hostname ?? osHostname();
  try {
    mkdirSync(options.dir, { recursive: true });
  } catch (error) {
    const problem = `the instance identity folder ${options.dir} cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'}). Fix: make it writable, or set ${ENV_INSTANCE_ID}`;
    throw new ConfigError(problem, [problem], { cause: error });
  }
  for (let slot = 0; slot < MAX_SLOTS; slot += 1) {
    const lockFile = path.join(options.dir, `instance-${slot}.pid`);
    if (!hold(lockFile, pid, isAlive)) continue;
    const id = slotId(options.dir, slot, host);
    let released = false;
    return {
      id,
      source: 'slot',
      slot,
      release: () => {
        if (released) return;
        released = true;
        try {
          if (Number(readText(lockFile)) === pid) unlinkSync(lockFile);
        } catch {
          // a slot left behind is taken back by the next start: its holder is not alive
        }
      },
    };
  }
  const problem = `all ${MAX_SLOTS} instance slots in ${options.dir} are held by running processes. Fix: stop stray bridges, or set ${ENV_INSTANCE_ID} for each instance`;
  throw new ConfigError(problem, [problem]);
}

let established: InstanceIdentity | null = null;
let fallback: string | null = null;

/**
 * Claims the identity once per process (the CLI does, before building the engine) and gives the
 * slot back when the process exits. Later calls return the same identity.
 */
export function establishInstanceId(options: ClaimOptions): InstanceIdentity {
  if (established) return established;
  established = claimInstanceId(options);
  const identity = established;
  process.once('exit', () => identity.release());
  return identity;
}

/**
 * This process's identity: the established one; without one (a library use, a test), the
 * variable, else an id unique to this process (unique, but not stable across a restart).
 */
export function instanceId(env: NodeJS.ProcessEnv = process.env): string {
  if (established) return established.id;
  const explicit = fromEnv(env);
  if (explicit) return explicit;
  fallback ??= `${osHostname().replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 60) || 'host'}/p${process.pid}-${randomBytes(4).toString('hex')}`;
  return fallback;
}

/** for tests: forget the established identity (releasing its slot) */
export function resetInstanceIdForTests(): void {
  established?.release();
  established = null;
  fallback = null;
}
