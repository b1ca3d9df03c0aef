export { loadKeyring, decodeKey, weakKeyReasons, keyIdOf, KEY_BYTES, ENV_MASTER_KEY, ENV_MASTER_KEY_FILE, ENV_RETIRED_KEYS } from './masterKey.js';
export type { Keyring, LoadKeyringOptions } from './masterKey.js';
export { CredentialVault } from './vault.js';
export type { SealedSecret } from './vault.js';
export { ConnectionSecrets, type RotationReport } from './connectionSecrets.js';
