/**
 * Authentication and role checks as Fastify onRequest hooks: they run before the body is parsed and
 * validated, so an anonymous or wrong-role caller learns nothing about a route's shape. A request carries at most one principal:
 * the platform admin (the static ADMIN_TOKEN) or a user with a JWT access token. Koperasi scoping is
 * then done by every repository query taking the principal's koperasiId.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type {
  OfficePrincipal,
  OfficeRole,
  Principal,
  Role,
  TokenService,
  UserPrincipal,
} from '../auth/tokens.js';
import { AppError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header.trim());
  return match?.[1];
}

/**
 * What an account that must change its credentials may still do: see who it is, keep the live stream, and
 * change them. Everything else answers CREDENTIALS_CHANGE_REQUIRED until a token without the claim is used.
 */
const OPEN_WHILE_CHANGING = new Set(['/v1/me', '/v1/me/password', '/v1/me/pin', '/v1/events']);

function refuseUntilChanged(request: FastifyRequest, principal: UserPrincipal | OfficePrincipal): void {
  if (principal.kind !== 'user' || !principal.mustChange) return;
  if (OPEN_WHILE_CHANGING.has(request.routeOptions.url ?? '')) return;
  throw new AppError(
    'CREDENTIALS_CHANGE_REQUIRED',
    'set your own password (and PIN, for members) first: POST /v1/me/password, POST /v1/me/pin',
  );
}

export interface AuthHooks {
  /** The platform operator: the shared ADMIN_TOKEN (automation) or a named operator account. */
  admin: onRequestAsyncHookHandler;
  /** Office accounts (operator, supervisor); ADMIN_TOKEN counts as an operator. */
  office(...roles: OfficeRole[]): onRequestAsyncHookHandler;
  /** Koperasi users with one of `roles`, or office accounts with one of `officeRoles` (read-only routes). */
  either(roles: Role[], officeRoles: OfficeRole[]): onRequestAsyncHookHandler;
  roles(...roles: Role[]): onRequestAsyncHookHandler;
  /** Prometheus: METRICS_TOKEN, or the admin token. Metrics name adapters, routes and volumes. */
  metrics: onRequestAsyncHookHandler;
}

export function createAuthHooks(tokens: TokenService, adminToken: string, metricsToken?: string): AuthHooks {
  const adminDigest = digest(adminToken);
  const isAdminToken = (token: string) => timingSafeEqual(digest(token), adminDigest);
  const metricsDigest = metricsToken === undefined ? undefined : digest(metricsToken);
  const isMetricsToken = (token: string) =>
    metricsDigest !== undefined && timingSafeEqual(digest(token), metricsDigest);

  return {
    async admin(request: FastifyRequest, _reply: FastifyReply) {
      const token = bearer(request);
      if (!token) throw new AppError('UNAUTHENTICATED', 'send Authorization: Bearer <ADMIN_TOKEN>');
      if (isAdminToken(token)) {
        request.principal = { kind: 'admin' };
        return;
      }
      const principal = await tokens.verify(token);
      if (principal?.kind === 'office' && principal.role === 'operator') {
        request.principal = principal;
        return;
      }
      throw new AppError('FORBIDDEN', 'this route needs the platform admin token or an operator account');
    },
    office(...roles: OfficeRole[]) {
      return async (request: FastifyRequest, _reply: FastifyReply) => {
        const token = bearer(request);
        if (!token) throw new AppError('UNAUTHENTICATED', 'send Authorization: Bearer <access token>');
        if (isAdminToken(token) && roles.includes('operator')) {
          request.principal = { kind: 'admin' };
          return;
        }
        const principal = await tokens.verify(token);
        if (!principal) throw new AppError('UNAUTHENTICATED', 'the access token is invalid or expired');
        if (principal.kind !== 'office' || !roles.includes(principal.role))
          throw new AppError('FORBIDDEN', `this route is for: ${roles.join(', ')}`);
        request.principal = principal;
      };
    },
    async metrics(request: FastifyRequest, _reply: FastifyReply) {
      const token = bearer(request);
      if (!token) throw new AppError('UNAUTHENTICATED', 'send Authorization: Bearer <METRICS_TOKEN>');
      if (!isMetricsToken(token) && !isAdminToken(token))
        throw new AppError('FORBIDDEN', 'this route needs METRICS_TOKEN');
    },
    either(roles: Role[], officeRoles: OfficeRole[]) {
      return async (request: FastifyRequest, _reply: FastifyReply) => {
        const token = bearer(request);
        if (!token) throw new AppError('UNAUTHENTICATED', 'send Authorization: Bearer <access token>');
        if (isAdminToken(token) && officeRoles.includes('operator')) {
          request.principal = { kind: 'admin' };
          return;
        }
        const principal = await tokens.verify(token);
        if (!principal) throw new AppError('UNAUTHENTICATED', 'the access token is invalid or expired');
        const allowed =
          principal.kind === 'user' ? roles.includes(principal.role) : officeRoles.includes(principal.role);
        if (!allowed)
          throw new AppError('FORBIDDEN', `this route is for: ${[...roles, ...officeRoles].join(', ')}`);
        refuseUntilChanged(request, principal);
        request.principal = principal;
      };
    },
    roles(...roles: Role[]) {
      return async (request: FastifyRequest, _reply: FastifyReply) => {
        const token = bearer(request);
        if (!token) throw new AppError('UNAUTHENTICATED', 'send Authorization: Bearer <access token>');
        const principal = await tokens.verify(token);
        if (!principal) {
          if (isAdminToken(token))
            throw new AppError('FORBIDDEN', 'the platform admin cannot act as a koperasi user');
          throw new AppError('UNAUTHENTICATED', 'the access token is invalid or expired');
        }
        if (principal.kind !== 'user' || !roles.includes(principal.role)) {
          throw new AppError('FORBIDDEN', `this route is for: ${roles.join(', ')}`);
        }
        refuseUntilChanged(request, principal);
        request.principal = principal;
      };
    },
  };
}

/** The authenticated user of a route guarded by `roles(...)`. */
export function userOf(request: FastifyRequest): UserPrincipal {
  const principal = request.principal;
  if (principal?.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'not authenticated');
  return principal;
}

/**
 * The office side of a route guarded by `office(...)` or `admin`: the ADMIN_TOKEN acts as an operator of
 * every region, with no account id.
 */
export function officeOf(request: FastifyRequest): OfficePrincipal | { kind: 'admin'; region: null } {
  const principal = request.principal;
  if (principal?.kind === 'office') return principal;
  if (principal?.kind === 'admin') return { kind: 'admin', region: null };
  throw new AppError('UNAUTHENTICATED', 'not authenticated');
}

/** Who did it, for the audit trail. */
export function actorOf(request: FastifyRequest): {
  actorType: 'admin' | 'operator' | 'supervisor' | Role;
  actorId: string | null;
} {
  const principal = request.principal;
  if (principal?.kind === 'user' || principal?.kind === 'office')
    return { actorType: principal.role, actorId: principal.userId };
  return { actorType: 'admin', actorId: null };
}
