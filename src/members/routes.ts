import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { type AuthHooks, userOf } from '../http/auth.js';
import { fingerprint, idempotencyKeyOf } from '../idempotency/index.js';
import { problemSchema } from '../http/schemas.js';
import {
  createMemberBody,
  depositBody,
  depositResponse,
  memberList,
  memberListQuery,
  memberParams,
  memberView,
  resetPasswordBody,
} from './schemas.js';
import { mutasiPage, mutasiQuery, savingsMutasi } from './mutasi.js';
import { createPengawas, createPengawasBody, pengawasView } from './pengawas.js';
import { findUser } from './repository.js';
import {
  createMember,
  depositSavings,
  getMember,
  listMembers,
  resetMemberPassword,
  unlockMemberPin,
  requireMember,
} from './service.js';

export function memberRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsyncZod {
  const treasurer = auth.roles('treasurer');
  const readers = auth.roles('treasurer', 'pengawas');
  return async (app) => {
    app.post(
      '/v1/pengawas',
      {
        onRequest: treasurer,
        schema: {
          tags: ['members'],
          summary: "Create a read-only account for the koperasi's supervisory board (treasurer)",
          security: [{ bearer: [] }],
          body: createPengawasBody,
          response: { 201: pengawasView, 409: problemSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createPengawas(deps, userOf(request), request.body)),
    );

    app.post(
      '/v1/members',
      {
        onRequest: treasurer,
        schema: {
          tags: ['members'],
          summary: 'Register a member (treasurer); the member logs in with username = memberNo',
          security: [{ bearer: [] }],
          body: createMemberBody,
          response: { 201: memberView, 409: problemSchema },
        },
      },
      async (request, reply) => reply.code(201).send(await createMember(deps, userOf(request), request.body)),
    );

    app.get(
      '/v1/members',
      {
        onRequest: readers,
        schema: {
          tags: ['members'],
          summary: "List the koperasi's members with balances (treasurer)",
          security: [{ bearer: [] }],
          querystring: memberListQuery,
          response: { 200: memberList },
        },
      },
      async (request) =>
        listMembers(
          deps,
          userOf(request).koperasiId,
          request.query.limit,
          request.query.after,
          request.query.q,
        ),
    );

    app.get(
      '/v1/members/:memberNo',
      {
        onRequest: readers,
        schema: {
          tags: ['members'],
          summary: 'One member with balance (treasurer)',
          security: [{ bearer: [] }],
          params: memberParams,
          response: { 200: memberView, 404: problemSchema },
        },
      },
      async (request) => getMember(deps, userOf(request).koperasiId, request.params.memberNo),
    );

    app.post(
      '/v1/members/:memberNo/deposits',
      {
        onRequest: treasurer,
        schema: {
          tags: ['members'],
          summary: 'Record a savings deposit (simpanan sukarela); requires Idempotency-Key',
          security: [{ bearer: [] }],
          params: memberParams,
          body: depositBody,
          response: { 201: depositResponse, 200: depositResponse, 404: problemSchema, 409: problemSchema },
        },
      },
      async (request, reply) => {
        const key = idempotencyKeyOf(request);
        const route = `deposit:${request.params.memberNo}`;
        const result = await depositSavings(deps, userOf(request), request.params.memberNo, request.body, {
          key,
          fingerprint: fingerprint(deps.config.JWT_SECRET, route, request.body),
        });
        if (result.replayed) void reply.header('idempotent-replayed', 'true');
        return reply.code(result.statusCode === 200 ? 200 : 201).send(result.body);
      },
    );

    app.get(
      '/v1/members/:memberNo/mutasi',
      {
        onRequest: readers,
        schema: {
          tags: ['members'],
          summary:
            "A member's savings movements (mutasi), newest first, with the balance after each (treasurer, pengawas)",
          security: [{ bearer: [] }],
          params: memberParams,
          querystring: mutasiQuery,
          response: { 200: mutasiPage, 404: problemSchema },
        },
      },
      async (request) => {
        const member = await requireMember(deps.db, userOf(request).koperasiId, request.params.memberNo);
        if (member.savingsAccountId === null) return { items: [], nextCursor: null };
        return savingsMutasi(deps.db, member.savingsAccountId, request.query);
      },
    );

    app.get(
      '/v1/me/mutasi',
      {
        onRequest: auth.roles('member'),
        schema: {
          tags: ['members'],
          summary:
            'My savings movements (mutasi): deposits, payments and money back, with the balance after each',
          security: [{ bearer: [] }],
          querystring: mutasiQuery,
          response: { 200: mutasiPage },
        },
      },
      async (request) => {
        const principal = userOf(request);
        const me = await findUser(deps.db, principal.koperasiId, principal.userId);
        if (!me?.savingsAccountId) return { items: [], nextCursor: null };
        return savingsMutasi(deps.db, me.savingsAccountId, request.query);
      },
    );

    app.post(
      '/v1/members/:memberNo/unlock-pin',
      {
        onRequest: treasurer,
        schema: {
          tags: ['members'],
          summary: 'Unlock a member PIN locked after too many wrong tries (treasurer, audited)',
          security: [{ bearer: [] }],
          params: memberParams,
          response: { 200: memberView, 404: problemSchema },
        },
      },
      async (request) => unlockMemberPin(deps, userOf(request), request.params.memberNo),
    );

    app.post(
      '/v1/members/:memberNo/reset-password',
      {
        onRequest: treasurer,
        schema: {
          tags: ['members'],
          summary:
            'Give a member who forgot the password a new one (treasurer, audited); the member must replace it and the PIN at the next login',
          security: [{ bearer: [] }],
          params: memberParams,
          body: resetPasswordBody,
          response: { 200: memberView, 404: problemSchema },
        },
      },
      async (request) => resetMemberPassword(deps, userOf(request), request.params.memberNo, request.body),
    );
  };
}
