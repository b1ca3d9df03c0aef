import { generate } from 'selfsigned';

/** The name clients send as TLS server name: a server name may not be an IP address (RFC 6066). */
export const LOOPBACK_SERVER_NAME = 'localhost';

export interface BusCertificate {
  certPem: string;
  keyPem: string;
}

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made at start-up so no key material is
 * stored in the repository; clients trust it by its PEM (it is its own CA).
 */
export async function makeLoopbackCertificate(): Promise<BusCertificate> {
  const notAfter = new Date(Date.now() + 30 * 86_400_000);
  const pems = await generate([{ name: 'commonName', value: LOOPBACK_SERVER_NAME }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: LOOPBACK_SERVER_NAME },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}
