/** Routes of saved customer numbers: the member's own (/v1/me/…), and a treasurer's for a member (/v1/members/…). */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { type AuthHooks, userOf } from '../http/auth.js';
import { problemSchema } from '../http/schemas.js';
import { memberParams } from './schemas.js';
import { requireMember } from './service.js';
import {
  type SavedNumbersOf,
  deleteSavedNumber,
  listSavedNumbers,
  saveNumber,
  updateSavedNumber,
} from './saved-numbers.js';
import {
  createSavedNumberBody,
  memberSavedNumberParams,
  savedNumberList,
  savedNumberParams,
  savedNumberView,
  updateSavedNumberBody,
} from './saved-numbers-schemas.js';

const noContent = z.null().describe('deleted');

export function savedNumberRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsyncZod {
  const member = auth.roles('member');
  const treasurer = auth.roles('treasurer');
  const readers = auth.roles('treasurer', 'pengawas');
  const tags = ['saved numbers'];
  const security = [{ bearer: [] }];

  return async (app) => {
    const mine = (request: Parameters<typeof userOf>[0]): SavedNumbersOf => {
      const principal = userOf(request);
      return { koperasiId: principal.koperasiId, memberId: principal.userId, actor: principal };
    };
    const ofMember = async (request: Parameters<typeof userOf>[0], memberNo: string) => {
      const principal = userOf(request);
      const found = await requireMember(deps.db, principal.koperasiId, memberNo);
      return { koperasiId: principal.koperasiId, memberId: found.id, actor: principal };
    };

    app.get(
      '/v1/me/saved-numbers',
      {
        onRequest: member,
        schema: {
          tags,
          summary: 'My saved customer numbers, the usual bills first (in full)',
          security,
          response: { 200: savedNumberList },
        },
      },
      async (request) => listSavedNumbers(deps, mine(request)),
    );

    app.post(
      '/v1/me/saved-numbers',
      {
        onRequest: member,
        schema: {
          tags,
          summary:
            'Save a customer number with a nickname: {product, customerNo, nickname, months?} or {paymentId, nickname}',
          security,
          body: createSavedNumberBody,
          response: { 201: savedNumberView, 404: problemSchema, 409: problemSchema },
        },
      },
      async (request, reply) => reply.code(201).send(await saveNumber(deps, mine(request), request.body)),
    );

    app.patch(
      '/v1/me/saved-numbers/:id',
      {
        onRequest: member,
        schema: {
          tags,
          summary: 'Rename a saved number, or change its months',
          security,
          params: savedNumberParams,
          body: updateSavedNumberBody,
          response: { 200: savedNumberView, 404: problemSchema },
        },
      },
      async (request) => updateSavedNumber(deps, mine(request), request.params.id, request.body),
    );

    app.delete(
      '/v1/me/saved-numbers/:id',
      {
        onRequest: member,
        schema: {
          tags,
          summary: 'Forget a saved number',
          security,
          params: savedNumberParams,
          response: { 204: noContent, 404: problemSchema },
        },
      },
      async (request, reply) => {
        await deleteSavedNumber(deps, mine(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/v1/members/:memberNo/saved-numbers',
      {
        onRequest: readers,
        schema: {
          tags,
          summary: "A member's saved numbers, masked (treasurer, pengawas)",
          security,
          params: memberParams,
          response: { 200: savedNumberList, 404: problemSchema },
        },
      },
      async (request) => listSavedNumbers(deps, await ofMember(request, request.params.memberNo)),
    );

    app.post(
      '/v1/members/:memberNo/saved-numbers',
      {
        onRequest: treasurer,
        schema: {
          tags,
          summary: 'Save a customer number for a member without a phone (treasurer, audited)',
          security,
          params: memberParams,
          body: createSavedNumberBody,
          response: { 201: savedNumberView, 404: problemSchema, 409: problemSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await saveNumber(deps, await ofMember(request, request.params.memberNo), request.body)),
    );

    app.delete(
      '/v1/members/:memberNo/saved-numbers/:id',
      {
        onRequest: treasurer,
        schema: {
          tags,
          summary: "Forget one of a member's saved numbers (treasurer, audited)",
          security,
          params: memberSavedNumberParams,
          response: { 204: noContent, 404: problemSchema },
        },
      },
      async (request, reply) => {
        const of = await ofMember(request, request.params.memberNo);
        await deleteSavedNumber(deps, of, request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
