import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { type AuthHooks, userOf } from '../http/auth.js';
import { perAccount } from '../http/rate-limits.js';
import { perUser } from '../http/rate-limits.js';
import {
  koperasiCodeSchema,
  phoneSchema,
  passwordSchema,
  pinSchema,
  problemSchema,
} from '../http/schemas.js';
import { changePassword, changePin, setMyPhone } from './credentials.js';
import { login, me, officeLogin } from './service.js';

const tokenBody = z.strictObject({
  koperasi: koperasiCodeSchema,
  // Treasurer usernames and member numbers share this field; the strictest common format.
  username: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, '1–32 letters, digits, . _ -'),
  password: z.string().min(1).max(128),
});

const tokenResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  role: z.enum(['treasurer', 'member', 'pengawas', 'kasir']),
  expiresIn: z.number().int(),
  mustChange: z
    .boolean()
    .describe(
      'true: the password (and, for members, the PIN) must be changed first; every route but GET /v1/me, GET /v1/events, POST /v1/me/password and POST /v1/me/pin answers 403 CREDENTIALS_CHANGE_REQUIRED',
    ),
});

const changedResponse = tokenResponse
  .extend({
    mustChangePassword: z.boolean(),
    mustChangePin: z.boolean(),
  })
  .describe('a new access token for the changed account: use it from now on');

const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(128),
  newPassword: passwordSchema,
});

const changePinBody = z.strictObject({
  currentPin: pinSchema,
  newPin: pinSchema,
});

const officeTokenBody = z.strictObject({
  username: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, '1–32 letters, digits, . _ -'),
  password: z.string().min(1).max(128),
});

const officeTokenResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  role: z.enum(['operator', 'supervisor']),
  expiresIn: z.number().int(),
});

const meResponse = z.object({
  id: z.string().uuid(),
  role: z.enum(['treasurer', 'member', 'pengawas', 'kasir']),
  username: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  koperasi: z.object({ id: z.string().uuid(), code: z.string(), name: z.string() }),
  memberNo: z.string().optional(),
  balance: z.number().int().optional().describe('posted savings, rupiah (members)'),
  available: z.number().int().optional().describe('balance minus payments in flight, rupiah (members)'),
  pinLocked: z.boolean().optional(),
  mustChange: z.boolean().describe('the credentials must be changed before anything else'),
  mustChangePassword: z.boolean(),
  mustChangePin: z.boolean().describe('members: the PIN is still to be changed'),
});

export function authRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsyncZod {
  return async (app) => {
    const accountLimit = perAccount(app, deps.config.AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE);
    app.post(
      '/v1/auth/token',
      {
        config: { rateLimit: { max: deps.config.AUTH_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 } },
        // Per account as well as per address: a guesser that rotates addresses still gets few tries.
        preHandler: accountLimit,
        schema: {
          tags: ['auth'],
          summary: 'Exchange koperasi code, username and password for an access token',
          body: tokenBody,
          response: { 200: tokenResponse, 401: problemSchema, 429: problemSchema },
        },
      },
      async (request) => login(deps, request.body),
    );

    app.post(
      '/v1/auth/office-token',
      {
        config: { rateLimit: { max: deps.config.AUTH_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 } },
        preHandler: accountLimit,
        schema: {
          tags: ['auth'],
          summary:
            'Office staff (supervisor) and platform operators: username and password for an access token',
          body: officeTokenBody,
          response: { 200: officeTokenResponse, 401: problemSchema, 429: problemSchema },
        },
      },
      async (request) => officeLogin(deps, request.body),
    );

    app.get(
      '/v1/me',
      {
        onRequest: auth.roles('member', 'treasurer', 'pengawas', 'kasir'),
        schema: {
          tags: ['auth'],
          summary: 'Who am I; for members also balance and available balance',
          security: [{ bearer: [] }],
          response: { 200: meResponse },
        },
      },
      async (request) => me(deps, userOf(request)),
    );

    app.post(
      '/v1/me/password',
      {
        onRequest: auth.roles('member', 'treasurer', 'pengawas', 'kasir'),
        // A guesser holding a stolen token gets no more tries here than at the login.
        config: { rateLimit: perUser(deps.config.AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE) },
        schema: {
          tags: ['auth'],
          summary: 'Change my password (audited); answers a new access token',
          security: [{ bearer: [] }],
          body: changePasswordBody,
          response: { 200: changedResponse, 400: problemSchema, 403: problemSchema, 429: problemSchema },
        },
      },
      async (request) => changePassword(deps, userOf(request), request.body),
    );

    app.post(
      '/v1/me/pin',
      {
        onRequest: auth.roles('member'),
        schema: {
          tags: ['auth'],
          summary:
            'Change my PIN (members, audited): a wrong current PIN counts towards the lock like at a payment; answers a new access token',
          security: [{ bearer: [] }],
          body: changePinBody,
          response: { 200: changedResponse, 400: problemSchema, 403: problemSchema, 423: problemSchema },
        },
      },
      async (request) => changePin(deps, userOf(request), request.body),
    );

    app.put(
      '/v1/me/phone',
      {
        onRequest: auth.roles('member', 'treasurer', 'pengawas', 'kasir'),
        schema: {
          tags: ['auth'],
          summary:
            "Set my phone (WhatsApp) number, or clear it with null (audited). The treasurer's is the koperasi's help contact",
          security: [{ bearer: [] }],
          body: z.strictObject({ phone: phoneSchema.nullable() }),
          response: { 200: z.object({ phone: z.string().nullable() }) },
        },
      },
      async (request) => setMyPhone(deps, userOf(request), request.body.phone),
    );
  };
}
