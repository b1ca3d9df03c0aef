import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionSecrets, CredentialVault, keyIdOf, loadKeyring, weakKeyReasons } from '../../src/credentials/index.js';
import type { Store } from '../../src/store/index.js';
import { createTarget, storeTargetNames, type StoreTarget } from '../store/storeTargets.js';

const strongKey = () => randomBytes(32);

describe('master key loading', () => {
  it('accepts a 32-byte key as base64 or hex and names it by fingerprint', () => {
    const key = strongKey();
    const fromBase64 = loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: key.toString('base64') } });
    const fromHex = loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: key.toString('hex') } });
    expect(fromBase64.activeKeyId).toBe(keyIdOf(key));
    expect(fromHex.activeKeyId).toBe(keyIdOf(key));
    expect(fromBase64.activeKeyId).not.toContain(key.toString('hex').slice(0, 8));
  });

  it('refuses a missing key outside sandbox mode and says how to make one', () => {
    expect(() => loadKeyring({ env: {} })).toThrowError(/no master key: set ML_CONNECTOR_MASTER_KEY.*randomBytes\(32\)/);
    try {
      loadKeyring({ env: {} });
    } catch (error) {
      expect(error).toMatchObject({ code: 'BRIDGE_ERR_MASTER_KEY' });
    }
  });

  it.each([
    ['too short', randomBytes(16).toString('base64'), /32 bytes.*got 16 bytes/],
    ['all the same byte', Buffer.alloc(32, 7).toString('base64'), /too weak: every byte is the same/],
    ['a counter', Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('hex'), /too weak: it is a simple arithmetic sequence/],
    ['a repeated short pattern', Buffer.from('abcdabcdabcdabcdabcdabcdabcdabcd').toString('base64'), /too weak: its byte entropy is 2\.00/],
    ['not an encoding at all', 'correct horse battery staple!!', /neither base64 nor hex/],
    // issue 10: varied text passes an entropy test; its bytes are still only printable characters
    ['a base64-encoded passphrase', Buffer.from('Correct-Horse-Battery-Staple-42!').toString('base64'), /too weak: 32 of its 32 bytes are printable text: it is a passphrase/],
    ['a hex-encoded passphrase', Buffer.from('my company name 2026 / prod key!').toString('hex'), /too weak: .*printable text/],
    ['a base64-encoded random-looking ASCII string', Buffer.from('kP9#vL2$qW8@zX5!mN7&bR4*tY6^hJ3%').toString('base64'), /too weak: .*printable text/],
  ])('refuses a key that is %s', (_label, text, message) => {
    expect(() => loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: text } })).toThrowError(message);
  });

  it('passes random keys: the printable-text rule does not refuse real keys', () => {
    const refused = Array.from({ length: 2_000 }, () => strongKey()).filter((key) => weakKeyReasons(key).length > 0);
    expect(refused).toEqual([]);
  });

  it('checks the strength of a key from a key file the same way', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlc-key-'));
    try {
      const file = path.join(dir, 'master.key');
      writeFileSync(file, `${Buffer.from('Correct-Horse-Battery-Staple-42!').toString('base64')}\n`);
      expect(() => loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY_FILE: file } })).toThrowError(/too weak: .*passphrase/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never puts the key text into the refusal', () => {
    const weak = Buffer.alloc(32, 0x41).toString('base64');
    try {
      loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: weak } });
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(weak);
    }
  });

  it('allows a per-run development key only in sandbox mode, the same one for the whole run', () => {
    const first = loadKeyring({ env: {}, sandboxMode: true });
    const second = loadKeyring({ env: {}, sandboxMode: true });
    expect(first.source).toBe('sandbox-dev-key');
    expect(second.activeKeyId).toBe(first.activeKeyId);
    expect(weakKeyReasons(first.keys.get(first.activeKeyId) as Buffer)).toEqual([]);
    // a weak key is tolerated in sandbox mode (demo data only)
    expect(() => loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') }, sandboxMode: true })).not.toThrow();
  });

  it('reads a key file with retired keys after the active one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlc-key-'));
    try {
      const active = strongKey();
      const retired = strongKey();
      const file = path.join(dir, 'master.key');
      writeFileSync(file, `# active first\n${active.toString('base64')}\n${retired.toString('hex')}\n`);
      const keyring = loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY_FILE: file } });
      expect(keyring.source).toBe('file');
      expect(keyring.activeKeyId).toBe(keyIdOf(active));
      expect([...keyring.keys.keys()].sort()).toEqual([keyIdOf(active), keyIdOf(retired)].sort());
      expect(() => loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY_FILE: path.join(dir, 'missing') } })).toThrowError(/cannot be read \(ENOENT\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('credential vault', () => {
  const keyring = loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: strongKey().toString('base64') } });

  it('seals with the active key only; retired keys only open', () => {
    const active = strongKey();
    const retired = strongKey();
    const withRetired = new CredentialVault(loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: active.toString('base64'), ML_CONNECTOR_RETIRED_KEYS: retired.toString('base64') } }));
    const sealedBefore = new CredentialVault(loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: retired.toString('base64') } })).seal('old-secret', 'ctx');
    expect(sealedBefore.keyId).toBe(keyIdOf(retired));
    expect(withRetired.open(sealedBefore, 'ctx')).toBe('old-secret');
    for (let i = 0; i < 5; i += 1) expect(withRetired.seal(`s${i}`, 'ctx').keyId).toBe(keyIdOf(active));
  });
  const vault = new CredentialVault(keyring);

  it('round-trips and never stores the plaintext', () => {
    const sealed = vault.seal('s3cr3t-value', 'connection a / qad.password');
    expect(sealed.keyId).toBe(keyring.activeKeyId);
    expect(JSON.stringify(sealed)).not.toContain('s3cr3t');
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('utf8')).not.toContain('s3cr3t');
    expect(vault.open(sealed, 'connection a / qad.password')).toBe('s3cr3t-value');
    // fresh IV every time
    expect(vault.seal('s3cr3t-value', 'x').iv).not.toBe(vault.seal('s3cr3t-value', 'x').iv);
  });

  it('detects a flipped ciphertext bit, a changed tag, and a ciphertext moved to another record', () => {
    const sealed = vault.seal('client-secret-123', 'connection a / salesforce.clientSecret');
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[0] = (bytes[0] as number) ^ 1;
    expect(() => vault.open({ ...sealed, ciphertext: bytes.toString('base64') }, 'connection a / salesforce.clientSecret')).toThrowError(
      expect.objectContaining({ code: 'BRIDGE_ERR_CREDENTIAL_TAMPERED', message: expect.stringMatching(/failed its integrity check/) }),
    );
    const tag = Buffer.from(sealed.authTag, 'base64');
    tag[3] = (tag[3] as number) ^ 0x80;
    expect(() => vault.open({ ...sealed, authTag: tag.toString('base64') }, 'connection a / salesforce.clientSecret')).toThrowError(
      expect.objectContaining({ code: 'BRIDGE_ERR_CREDENTIAL_TAMPERED' }),
    );
    expect(() => vault.open(sealed, 'connection b / salesforce.clientSecret')).toThrowError(expect.objectContaining({ code: 'BRIDGE_ERR_CREDENTIAL_TAMPERED' }));
  });

  it('names an unknown key id and the fix, without leaking the secret', () => {
    const other = new CredentialVault(loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: strongKey().toString('base64') } }));
    const sealed = other.seal('hunter2-secret', 'ctx');
    try {
      vault.open(sealed, 'ctx');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'BRIDGE_ERR_CREDENTIAL_KEY_UNKNOWN' });
      expect((error as Error).message).toContain(sealed.keyId);
      expect((error as Error).message).toContain('ML_CONNECTOR_RETIRED_KEYS');
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});

describe.each(storeTargetNames())('connection secrets in the %s store', (name) => {
  let target: StoreTarget;
  let store: Store;
  beforeEach(async () => {
    target = createTarget(name);
    store = await target.open();
    await store.migrateToLatest();
    await store.connections.create({ id: 'acme', name: 'Acme', config: {} });
  });
  afterEach(async () => target.cleanup());

  it('saves sealed, loads decrypted, shows only markers, and rotates to a new key', async () => {
    const oldKey = strongKey();
    const oldVault = new CredentialVault(loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: oldKey.toString('base64') } }));
    const secrets = new ConnectionSecrets(store, oldVault);
    await secrets.save('acme', { 'salesforce.clientSecret': 'sf-secret-value', 'qad.password': 'qad-pass-value' });

    const rows = await store.credentials.list('acme');
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toMatch(/sf-secret-value|qad-pass-value/);
    expect(await secrets.load('acme')).toEqual({ 'salesforce.clientSecret': 'sf-secret-value', 'qad.password': 'qad-pass-value' });
    expect(await secrets.markers(['acme', 'none'])).toEqual(
      new Map([
        ['acme', { 'qad.password': 'set', 'salesforce.clientSecret': 'set' }],
        ['none', {}],
      ]),
    );

    const newKey = strongKey();
    const rotatedVault = new CredentialVault(
      loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: newKey.toString('base64'), ML_CONNECTOR_RETIRED_KEYS: oldKey.toString('base64') } }),
    );
    const rotating = new ConnectionSecrets(store, rotatedVault);
    expect(await rotating.rotate()).toEqual({ activeKeyId: keyIdOf(newKey), rotated: 2, unreadable: [] });
    expect(await rotating.rotate()).toMatchObject({ rotated: 0, unreadable: [] });
    expect((await store.credentials.list('acme')).every((row) => row.keyId === keyIdOf(newKey))).toBe(true);
    const newOnly = new ConnectionSecrets(store, new CredentialVault(loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: newKey.toString('base64') } })));
    expect((await newOnly.load('acme'))['qad.password']).toBe('qad-pass-value');
    await expect(secrets.load('acme')).rejects.toMatchObject({ code: 'BRIDGE_ERR_CREDENTIAL_KEY_UNKNOWN' });
  });

  it('rotates what it can open and reports, by connection and kind, what it cannot', async () => {
    const lost = strongKey();
    await new ConnectionSecrets(store, new CredentialVault(loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: lost.toString('base64') } }))).save('acme', { 'qad.password': 'sealed-with-a-lost-key' });
    const old = strongKey();
    await new ConnectionSecrets(store, new CredentialVault(loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: old.toString('base64') } }))).save('acme', { 'salesforce.clientSecret': 'sf-secret-value' });
    const next = strongKey();
    const report = await new ConnectionSecrets(store, new CredentialVault(loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: next.toString('base64'), ML_CONNECTOR_RETIRED_KEYS: old.toString('base64') } }))).rotate();
    expect(report).toEqual({ activeKeyId: keyIdOf(next), rotated: 1, unreadable: [{ connectionId: 'acme', kind: 'qad.password', keyId: keyIdOf(lost), code: 'BRIDGE_ERR_CREDENTIAL_KEY_UNKNOWN' }] });
    expect(JSON.stringify(report)).not.toContain('sealed-with-a-lost-key');
  });
});
