/**
 * JWT access tokens (HS256, jose). Verification pins the algorithm, issuer and audience, so tokens
 * with alg "none", another algorithm or a foreign issuer are rejected (algorithm confusion).
 */
import { webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';

/** People of one koperasi. `pengawas` is its supervisory board: read-only. `kasir` takes payments at its counter. */
export type Role = 'treasurer' | 'member' | 'pengawas' | 'kasir';
/** People of the platform side: operators, and supervisors of the cooperative office (read-only, one region). */
export type OfficeRole = 'operator' | 'supervisor';

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  koperasiId: string;
  role: Role;
  /**
   * The account still has to replace credentials the treasurer chose (first login, or after a reset):
   * only GET /v1/me, GET /v1/events, POST /v1/me/password and POST /v1/me/pin are open to it.
   */
  mustChange?: boolean;
}

export interface OfficePrincipal {
  kind: 'office';
  userId: string;
  role: OfficeRole;
  /** The region a supervisor oversees; null for an operator (every koperasi). */
  region: string | null;
}

/** The shared ADMIN_TOKEN (automation). */
export interface AdminPrincipal {
  kind: 'admin';
}

export type Principal = UserPrincipal | OfficePrincipal | AdminPrincipal;

const ISSUER = 'pintu';
const AUDIENCE = 'pintu-api';

const userClaims = z.object({
  sub: z.string().uuid(),
  kop: z.string().uuid(),
  role: z.enum(['treasurer', 'member', 'pengawas', 'kasir']),
  /** Present (true) only while the account must change its credentials. */
  mc: z.literal(true).optional(),
});

/** Office tokens carry no koperasi: a koperasi route can never take one for a koperasi user. */
const officeClaims = z
  .object({
    sub: z.string().uuid(),
    role: z.enum(['operator', 'supervisor']),
    reg: z.string().min(1).nullable(),
  })
  .and(z.object({ kop: z.never().optional() }));

export interface TokenService {
  issue(principal: UserPrincipal | OfficePrincipal): Promise<{ accessToken: string; expiresIn: number }>;
  /** Returns undefined for any invalid, expired or tampered token. */
  verify(token: string): Promise<UserPrincipal | OfficePrincipal | undefined>;
}

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  const verified = new LRUCache<string, { principal: UserPrincipal | OfficePrincipal; expiresAt: number }>({
    max: 20_000,
  });
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
      const claims =
        principal.kind === 'user'
          ? { kop: principal.koperasiId, role: principal.role, ...(principal.mustChange ? { mc: true } : {}) }
          : { role: principal.role, reg: principal.region };
      const accessToken = await new SignJWT(claims)
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
      const known = verified.get(token);
      if (known && known.expiresAt > Date.now()) return known.principal;
      const principal = await verifyOnce(token);
      if (principal) verified.set(token, principal, { ttl: Math.max(1, principal.expiresAt - Date.now()) });
      return principal?.principal;
    },
  };

  /**
   * The signature and claims of a token, checked once per process: a member's token comes back with every
   * request of the session, and HMAC verification through WebCrypto was ~8 % of the API's CPU per payment.
   * Keyed by the exact token string (nobody holds a token that verifies without the secret); kept until it
   * expires, and its expiry is checked again at every use.
   */
  async function verifyOnce(
    token: string,
  ): Promise<{ principal: UserPrincipal | OfficePrincipal; expiresAt: number } | undefined> {
    try {
      const { payload } = await jwtVerify(token, await cryptoKey(), {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      const expiresAt = (payload.exp ?? 0) * 1000;
      const user = userClaims.safeParse(payload);
      if (user.success)
        return {
          expiresAt,
          principal: {
            kind: 'user',
            userId: user.data.sub,
            koperasiId: user.data.kop,
            role: user.data.role,
            ...(user.data.mc ? { mustChange: true } : {}),
          },
        };
      const office = officeClaims.safeParse(payload);
      if (office.success)
        return {
          expiresAt,
          principal: {
            kind: 'office',
            userId: office.data.sub,
            role: office.data.role,
            region: office.data.reg,
          },
        };
      return undefined;
    } catch {
      return undefined;
    }
  }
}
