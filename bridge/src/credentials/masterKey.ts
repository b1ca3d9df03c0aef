import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { MasterKeyError } from '../errors.js';

/**
 * Where the master key comes from and what counts as good enough. The key never lives in the
 * database; it comes from ML_CONNECTOR_MASTER_KEY (base64 or hex of 32 bytes) or a key file
 * (ML_CONNECTOR_MASTER_KEY_FILE). Older keys stay readable for rotation: ML_CONNECTOR_RETIRED_KEYS
 * (comma-separated) or the key file's further lines.
 */
export const KEY_BYTES = 32;
export const ENV_MASTER_KEY = 'ML_CONNECTOR_MASTER_KEY';
export const ENV_MASTER_KEY_FILE = 'ML_CONNECTOR_MASTER_KEY_FILE';
export const ENV_RETIRED_KEYS = 'ML_CONNECTOR_RETIRED_KEYS';

const FIX_GENERATE = `generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`;

export interface Keyring {
  /** id of the key new records are sealed with */
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
  /** how the key was found, for the start-up log (never the key itself) */
  source: 'env' | 'file' | 'sandbox-dev-key';
}

/**
 * A key id is a fingerprint of the key, so records name the key that sealed them without any
 * configuration, and a wrong key is told apart from tampering. A 64-bit prefix of a hash of a
 * 256-bit random key reveals nothing usable about it.
 */
export function keyIdOf(key: Buffer): string {
  return `k${createHash('sha256').update('ml-connector/key-id/v1\0').update(key).digest('hex').slice(0, 16)}`;
}

/** Decodes base64 (standard or url-safe) or hex; the error says which shapes are accepted. */
export function decodeKey(text: string, origin: string): Buffer {
  const value = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(value)) key = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (!key || key.length !== KEY_BYTES) {
    throw new MasterKeyError(
      `${origin} must be ${KEY_BYTES} bytes written as base64 (44 characters) or hex (64 characters); ` +
        `got ${key ? `${key.length} bytes` : 'neither base64 nor hex'}. Fix: ${FIX_GENERATE}`,
    );
  }
  return key;
}

/** Reasons a 32-byte key is too weak to trust; empty when it is fine. */
export function weakKeyReasons(key: Buffer): string[] {
  const reasons: string[] = [];
  if (key.length !== KEY_BYTES) reasons.push(`it is ${key.length} bytes, not ${KEY_BYTES}`);
  if (key.length === 0) return reasons;
  if (key.every((byte) => byte === key[0])) {
    reasons.push('every byte is the same');
    return reasons;
  }
  // A counter or a constant step (00 01 02 ..., 10 20 30 ...) is a typed pattern, not a key.
  const step = ((key[1] as number) - (key[0] as number) + 256) % 256;
  if (key.every((byte, index) => index === 0 || (byte - (key[index - 1] as number) + 256) % 256 === step)) {
    reasons.push('it is a simple arithmetic sequence');
  }
  // 32 random bytes have about 4.8 bits of empirical entropy per byte; a passphrase padded out or a
  // repeated short pattern lands far below 3.5.
  const entropy = shannonEntropy(key);
  if (entropy < 3.5) reasons.push(`its byte entropy is ${entropy.toFixed(2)} bits/byte (random keys have about 4.8)`);
  // A passphrase encoded as base64 or hex decodes to text: varied enough to pass the entropy test,
  // but each byte is one of ~95 printable characters, not one of 256. Random bytes are printable
  // about 37 % of the time; 28 or more of 32 happens by chance about once in 10^8 keys.
  const printable = key.filter((byte) => (byte >= 0x20 && byte <= 0x7e) || byte === 0x09 || byte === 0x0a || byte === 0x0d).length;
  if (key.length > 0 && printable >= Math.ceil(key.length * 0.875)) {
    reasons.push(`${printable} of its ${key.length} bytes are printable text: it is a passphrase written as base64 or hex, not random bytes`);
  }
  return reasons;
}

function shannonEntropy(bytes: Buffer): number {
  const counts = new Map<number, number>();
  for (const byte of bytes) counts.set(byte, (counts.get(byte) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / bytes.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function checkedKey(text: string, origin: string, sandboxMode: boolean): Buffer {
  const key = decodeKey(text, origin);
  const reasons = weakKeyReasons(key);
  if (reasons.length > 0 && !sandboxMode) {
    throw new MasterKeyError(`${origin} is too weak: ${reasons.join('; ')}. Fix: ${FIX_GENERATE}`);
  }
  return key;
}

let sandboxDevKey: Buffer | null = null;

/**
 * In sandbox mode with no key configured, one random key per process: stable for the whole run
 * (everything sealed can be opened again), useless after it (nothing sandboxed outlives the run).
 */
function devKey(): Buffer {
  sandboxDevKey ??= randomBytes(KEY_BYTES);
  return sandboxDevKey;
}

export interface LoadKeyringOptions {
  env?: NodeJS.ProcessEnv;
  /** allows a weak key and, without any key, a per-run development key */
  sandboxMode?: boolean;
  /** overrides ML_CONNECTOR_MASTER_KEY_FILE */
  keyFile?: string;
}

/** Loads the keyring or refuses to start, saying what is wrong and how to fix it. */
export function loadKeyring(options: LoadKeyringOptions = {}): Keyring {
  const env = options.env ?? process.env;
  const sandboxMode = options.sandboxMode ?? false;
  const keys = new Map<string, Buffer>();
  let activeKeyId: string | null = null;
  let source: Keyring['source'] = 'env';

  const add = (key: Buffer, active: boolean): void => {
    const id = keyIdOf(key);
    keys.set(id, key);
    if (active) activeKeyId = id;
  };

  const fromEnv = env[ENV_MASTER_KEY]?.trim();
  const keyFile = options.keyFile ?? env[ENV_MASTER_KEY_FILE]?.trim();
  if (fromEnv) {
    add(checkedKey(fromEnv, ENV_MASTER_KEY, sandboxMode), true);
  } else if (keyFile) {
    source = 'file';
    let text: string;
    try {
      text = readFileSync(keyFile, 'utf8');
    } catch (error) {
      throw new MasterKeyError(`the key file ${keyFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). Fix: check ${ENV_MASTER_KEY_FILE} and the file's permissions`, {
        cause: error,
      });
    }
    const lines = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    if (lines.length === 0) throw new MasterKeyError(`the key file ${keyFile} holds no key. Fix: put the base64 key on its first line; ${FIX_GENERATE}`);
    lines.forEach((line, index) => add(checkedKey(line, index === 0 ? `the key file's first key` : `the key file's key on line ${index + 1}`, sandboxMode), index === 0));
  } else if (sandboxMode) {
    source = 'sandbox-dev-key';
    add(devKey(), true);
  } else {
    throw new MasterKeyError(`no master key: set ${ENV_MASTER_KEY} (or ${ENV_MASTER_KEY_FILE} to a file holding it). Fix: ${FIX_GENERATE}`);
  }

  const retired = env[ENV_RETIRED_KEYS]?.split(',').map((part) => part.trim()).filter(Boolean) ?? [];
  retired.forEach((text, index) => add(decodeKey(text, `${ENV_RETIRED_KEYS} entry ${index + 1}`), false));

  return { activeKeyId: activeKeyId as unknown as string, keys, source };
}
