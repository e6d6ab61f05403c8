/**
 * The platform's Ed25519 key for ledger checkpoints. CHECKPOINT_SIGNING_KEY is a PKCS#8 PEM private key, or
 * the base64 of a 32-byte seed. The key id is the first 16 hex digits of sha256(raw public key), so a checkpoint
 * names the key that signed it and a verifier holding another key says so instead of "bad signature".
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

/** RFC 8410 PKCS#8 prefix of an Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface CheckpointSigner {
  keyId: string;
  publicKeyPem: string;
  /** The public key as a JWK (OKP, Ed25519). */
  jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string };
  sign(payload: string): Buffer;
  verify(payload: string, signature: Buffer): boolean;
}

function privateKeyFrom(material: string): KeyObject {
  const trimmed = material.trim();
  if (trimmed.startsWith('-----BEGIN')) return createPrivateKey(trimmed.replace(/\\n/g, '\n'));
  const seed = Buffer.from(trimmed, 'base64');
  if (seed.length !== 32) throw new Error('CHECKPOINT_SIGNING_KEY: expected a PEM key or base64 of 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function createCheckpointSigner(material: string): CheckpointSigner {
  const privateKey = privateKeyFrom(material);
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error('CHECKPOINT_SIGNING_KEY: the key must be an Ed25519 key');
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string };
  const raw = Buffer.from(jwk.x, 'base64url');
  const keyId = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  return {
    keyId,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: keyId },
    sign: (payload) => sign(null, Buffer.from(payload, 'utf8'), privateKey),
    verify: (payload, signature) => verifyWith(publicKey, payload, signature),
  };
}

/** Verify with a public key given as PEM (a verifier that holds only the published key). */
export function verifyWithPublicKey(publicKeyPem: string, payload: string, signature: Buffer): boolean {
  return verifyWith(createPublicKey(publicKeyPem), payload, signature);
}

function verifyWith(publicKey: KeyObject, payload: string, signature: Buffer): boolean {
  try {
    return verify(null, Buffer.from(payload, 'utf8'), publicKey, signature);
  } catch {
    return false;
  }
}

/** A short, readable fingerprint of a checkpoint: 16 hex digits of sha256(signature) in groups of four. */
export function fingerprint(signature: Buffer): string {
  const hex = createHash('sha256').update(signature).digest('hex').slice(0, 16).toUpperCase();
  return hex.match(/.{4}/g)!.join('-');
}
