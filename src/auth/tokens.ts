/**
 * JWT access tokens (HS256, jose). Verification pins the algorithm, issuer and audience, so tokens
 * with alg "none", another algorithm or a foreign issuer are rejected (algorithm confusion).
 */
import { webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';

export type Role = 'treasurer' | 'member';

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  koperasiId: string;
  role: Role;
}

export interface AdminPrincipal {
  kind: 'admin';
}

export type Principal = UserPrincipal | AdminPrincipal;

const ISSUER = 'pintu';
const AUDIENCE = 'pintu-api';

const claimsSchema = z.object({
  sub: z.string().uuid(),
  kop: z.string().uuid(),
  role: z.enum(['treasurer', 'member']),
});

export interface TokenService {
  issue(principal: UserPrincipal): Promise<{ accessToken: string; expiresIn: number }>;
  /** Returns undefined for any invalid, expired or tampered token. */
  verify(token: string): Promise<UserPrincipal | undefined>;
}

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  // Imported once: handing jose raw bytes would import the key again on every request.
  let imported: Promise<webcrypto.CryptoKey> | undefined;
  const cryptoKey = () =>
    (imported ??= webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    ));
  return {
    async issue(principal) {
      const accessToken = await new SignJWT({ kop: principal.koperasiId, role: principal.role })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(principal.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(await cryptoKey());
      return { accessToken, expiresIn: ttlSeconds };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, await cryptoKey(), {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
        });
        const claims = claimsSchema.safeParse(payload);
        if (!claims.success) return undefined;
        return { kind: 'user', userId: claims.data.sub, koperasiId: claims.data.kop, role: claims.data.role };
      } catch {
        return undefined;
      }
    },
  };
}
