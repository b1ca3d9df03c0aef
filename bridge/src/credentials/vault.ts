import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CredentialDecryptError } from '../errors.js';
import type { Keyring } from './masterKey.js';

/** The envelope stored for one secret; all binary parts base64. */
export interface SealedSecret {
  keyId: string;
  iv: string;
  ciphertext: string;
  authTag: string;
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a fresh 96-bit IV per record. `context` is bound as additional authenticated
 * data (connection id and credential kind), so a ciphertext copied onto another row fails to open
 * just as a modified one does.
 */
export class CredentialVault {
  constructor(private readonly keyring: Keyring) {}

  get activeKeyId(): string {
    return this.keyring.activeKeyId;
  }

  knows(keyId: string): boolean {
    return this.keyring.keys.has(keyId);
  }

  seal(plaintext: string, context: string): SealedSecret {
    const key = this.keyring.keys.get(this.keyring.activeKeyId);
    if (!key) throw new CredentialDecryptError('BRIDGE_ERR_CREDENTIAL_KEY_UNKNOWN', 'the active key is missing from the keyring');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      keyId: this.keyring.activeKeyId,
      iv: iv.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      authTag: cipher.getAuthTag().toString('base64'),
    };
  }

  open(sealed: SealedSecret, context: string): string {
    const key = this.keyring.keys.get(sealed.keyId);
    if (!key) {
      throw new CredentialDecryptError(
        'BRIDGE_ERR_CREDENTIAL_KEY_UNKNOWN',
        `the credential for ${context} was sealed with key ${sealed.keyId}, which is not configured (configured: ${[...this.keyring.keys.keys()].join(', ')}). ` +
          'Fix: set ML_CONNECTOR_MASTER_KEY to the key used when it was saved, or list that key in ML_CONNECTOR_RETIRED_KEYS',
      );
    }
    const authTag = Buffer.from(sealed.authTag, 'base64');
    if (authTag.length !== TAG_BYTES) {
      throw new CredentialDecryptError('BRIDGE_ERR_CREDENTIAL_TAMPERED', `the credential for ${context} has a malformed authentication tag`);
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(authTag);
      return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new CredentialDecryptError(
        'BRIDGE_ERR_CREDENTIAL_TAMPERED',
        `the credential for ${context} failed its integrity check: it was altered or moved from another record. Fix: save the credential again`,
        { cause: error },
      );
    }
  }
}
