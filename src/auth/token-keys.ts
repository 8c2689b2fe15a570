// The API's signing key: Ed25519 (EdDSA). From JWT_PRIVATE_KEY when set; otherwise
// derived from the signing secret, so every instance that shares that secret (which
// production requires) signs and verifies with the same key without another setting.
import crypto from 'node:crypto';
import type { JWK } from 'jose';

export interface TokenKeys {
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
  /** The key's id in token headers and the JWKS: a thumbprint of its public part. */
  kid: string;
  jwks(): Promise<{ keys: JWK[] }>;
}

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function tokenKeys(options: { privateKeyPem: string | undefined; signingSecret: string }): TokenKeys {
  const privateKey = options.privateKeyPem
    ? crypto.createPrivateKey(options.privateKeyPem)
    : crypto.createPrivateKey({
        key: Buffer.concat([ED25519_PKCS8_PREFIX, crypto.createHmac('sha256', options.signingSecret).update('leboncours api token key').digest()]),
        format: 'der',
        type: 'pkcs8',
      });
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('JWT_PRIVATE_KEY must be an Ed25519 key');
  const publicKey = crypto.createPublicKey(privateKey);
  const raw = publicKey.export({ format: 'jwk' });
  const kid = crypto.createHash('sha256').update(JSON.stringify({ crv: raw.crv, kty: raw.kty, x: raw.x })).digest('base64url').slice(0, 16);
  return {
    privateKey,
    publicKey,
    kid,
    async jwks() {
      // Node's own JWK export of the key: { kty: 'OKP', crv: 'Ed25519', x }.
      return { keys: [{ kty: raw.kty!, crv: raw.crv, x: raw.x, kid, alg: 'EdDSA', use: 'sig' }] };
    },
  };
}
