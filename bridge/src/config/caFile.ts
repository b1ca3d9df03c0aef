import { X509Certificate } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';

/** a CA bundle is a few kilobytes; anything far larger is not one */
const MAX_CA_FILE_BYTES = 256 * 1024;
const WHERE = 'salesforce.pubsub.caFile';
const FIX_PEM = "point it at the PEM file of the CA that signed the Pub/Sub endpoint's certificate";

export interface CaFileOptions {
  /** relative paths are resolved from here */
  baseDir: string;
  /**
   * When set, the file (after following links) must lie inside this folder. The admin API sets
   * it: a path sent over the network must not make the bridge open any file it can read.
   */
  confineTo?: string;
}

function refuse(file: string, what: string, fix: string): never {
  const problem = `${WHERE}: ${JSON.stringify(file)} ${what}. Fix: ${fix}`;
  throw new ConfigError(problem, [problem]);
}

function inside(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Reads the private CA a connection's Pub/Sub endpoint is trusted by: a regular file of bounded
 * size holding a PEM certificate Node can parse. Errors name the setting and the fix, never the
 * file's content.
 */
export function readCaFile(file: string, options: CaFileOptions): { path: string; pem: string } {
  const resolved = path.resolve(options.baseDir, file);
  let real = resolved;
  if (options.confineTo !== undefined) {
    const folder = realpathSync.native(path.resolve(options.confineTo));
    if (!inside(folder, resolved)) refuse(file, `is outside ${folder}`, `put the CA file in that folder and give its path relative to it`);
    try {
      real = realpathSync.native(resolved);
    } catch (error) {
      refuse(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, FIX_PEM);
    }
    if (!inside(folder, real)) refuse(file, `links outside ${folder}`, 'copy the CA file into that folder instead of linking to it');
  }
  let size: number;
  try {
    const stat = statSync(real);
    if (!stat.isFile()) refuse(file, 'is not a regular file', FIX_PEM);
    size = stat.size;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    refuse(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, FIX_PEM);
  }
  if (size > MAX_CA_FILE_BYTES) refuse(file, `is ${size} bytes, more than a CA certificate file holds (${MAX_CA_FILE_BYTES})`, FIX_PEM);
  let pem: string;
  try {
    pem = readFileSync(real, 'utf8');
  } catch (error) {
    refuse(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, FIX_PEM);
  }
  try {
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate block');
    new X509Certificate(pem);
  } catch {
    refuse(file, 'holds no PEM certificate', FIX_PEM);
  }
  return { path: real, pem };
}
