/**
 * Routes of autodebet: the member's own subscriptions (/v1/me/subscriptions…), a treasurer's for a member without
 * a phone (/v1/members/{memberNo}/subscriptions…, audited; pengawas reads), and the koperasi's list.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { type AuthHooks, userOf } from '../http/auth.js';
import { problemSchema } from '../http/schemas.js';
import { memberParams } from '../members/schemas.js';
import { requireMember } from '../members/service.js';
import {
  listQuery,
  memberCreateBody,
  memberSubscriptionParams,
  staffCreateBody,
  subscriptionDetail,
  subscriptionList,
  subscriptionPage,
  subscriptionParams,
  subscriptionView,
  updateBody,
} from './schemas.js';
import {
  type SubscriptionsOf,
  changeState,
  changeTerms,
  createSubscription,
  getSubscription,
  listSubscriptions,
} from './service.js';

type Request = Parameters<typeof userOf>[0];

export function autodebetRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsyncZod {
  const member = auth.roles('member');
  const treasurer = auth.roles('treasurer');
  const readers = auth.roles('treasurer', 'pengawas');
  const tags = ['autodebet'];
  const security = [{ bearer: [] }];
  const refusals = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

  const mine = (request: Request): SubscriptionsOf & { memberId: string } => {
    const principal = userOf(request);
    return { koperasiId: principal.koperasiId, memberId: principal.userId, actor: principal };
  };
  const ofMember = async (request: Request, memberNo: string) => {
    const principal = userOf(request);
    const found = await requireMember(deps.db, principal.koperasiId, memberNo);
    return { koperasiId: principal.koperasiId, memberId: found.id, actor: principal };
  };
  const koperasi = (request: Request): SubscriptionsOf => {
    const principal = userOf(request);
    return { koperasiId: principal.koperasiId, actor: principal };
  };

  return async (app) => {
    app.get(
      '/v1/me/subscriptions',
      {
        onRequest: member,
        schema: {
          tags,
          summary: 'My autodebet subscriptions, with this month’s run and the next due date',
          security,
          response: { 200: subscriptionList },
        },
      },
      async (request) => ({ items: (await listSubscriptions(deps, mine(request))).items }),
    );

    app.post(
      '/v1/me/subscriptions',
      {
        onRequest: member,
        schema: {
          tags,
          summary:
            'Pay a bill every month from savings: {savedNumberId} or {product, customerNo, nickname}, with dayOfMonth, maxAmount, months (BPJS) and my PIN',
          security,
          body: memberCreateBody,
          response: { 201: subscriptionView, ...refusals, 423: problemSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createSubscription(deps, mine(request), request.body)),
    );

    app.get(
      '/v1/me/subscriptions/:id',
      {
        onRequest: member,
        schema: {
          tags,
          summary: 'One of my subscriptions with its history (each month: what happened, the payment)',
          security,
          params: subscriptionParams,
          response: { 200: subscriptionDetail, 404: problemSchema },
        },
      },
      async (request) => getSubscription(deps, mine(request), request.params.id),
    );

    app.patch(
      '/v1/me/subscriptions/:id',
      {
        onRequest: member,
        schema: {
          tags,
          summary: 'Change the limit, the day or the name (a higher limit needs my PIN)',
          security,
          params: subscriptionParams,
          body: updateBody,
          response: { 200: subscriptionView, ...refusals, 423: problemSchema },
        },
      },
      async (request) => changeTerms(deps, mine(request), request.params.id, request.body),
    );

    for (const action of ['pause', 'resume', 'cancel'] as const) {
      app.post(
        `/v1/me/subscriptions/:id/${action}`,
        {
          onRequest: member,
          schema: {
            tags,
            summary: SUMMARIES[action],
            security,
            params: subscriptionParams,
            response: { 200: subscriptionView, 404: problemSchema, 409: problemSchema },
          },
        },
        async (request) => changeState(deps, mine(request), request.params.id, action),
      );

      app.post(
        `/v1/members/:memberNo/subscriptions/:id/${action}`,
        {
          onRequest: treasurer,
          schema: {
            tags,
            summary: `${SUMMARIES[action]} (treasurer, audited)`,
            security,
            params: memberSubscriptionParams,
            response: { 200: subscriptionView, 404: problemSchema, 409: problemSchema },
          },
        },
        async (request) =>
          changeState(deps, await ofMember(request, request.params.memberNo), request.params.id, action),
      );
    }

    app.get(
      '/v1/members/:memberNo/subscriptions',
      {
        onRequest: readers,
        schema: {
          tags,
          summary: "A member's autodebet subscriptions, masked (treasurer, pengawas)",
          security,
          params: memberParams,
          response: { 200: subscriptionList, 404: problemSchema },
        },
      },
      async (request) => ({
        items: (await listSubscriptions(deps, await ofMember(request, request.params.memberNo))).items,
      }),
    );

    app.post(
      '/v1/members/:memberNo/subscriptions',
      {
        onRequest: treasurer,
        schema: {
          tags,
          summary:
            'Set up autodebet for a member without a phone, on their signed mandate (treasurer, no PIN, audited)',
          security,
          params: memberParams,
          body: staffCreateBody,
          response: { 201: subscriptionView, ...refusals },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await createSubscription(deps, await ofMember(request, request.params.memberNo), request.body),
          ),
    );

    app.get(
      '/v1/subscriptions',
      {
        onRequest: readers,
        schema: {
          tags,
          summary:
            "The koperasi's subscriptions, newest first; attention=true: this month's run was skipped (treasurer, pengawas)",
          security,
          querystring: listQuery,
          response: { 200: subscriptionPage, 400: problemSchema },
        },
      },
      async (request) => listSubscriptions(deps, koperasi(request), request.query),
    );

    app.get(
      '/v1/subscriptions/:id',
      {
        onRequest: readers,
        schema: {
          tags,
          summary: 'One subscription of the koperasi with its history, masked (treasurer, pengawas)',
          security,
          params: subscriptionParams,
          response: { 200: subscriptionDetail, 404: problemSchema },
        },
      },
      async (request) => getSubscription(deps, koperasi(request), request.params.id),
    );
  };
}

const SUMMARIES = {
  pause: 'Pause: nothing is paid until it is resumed',
  resume: 'Resume a paused subscription',
  cancel: 'Cancel for good: it never pays again',
} as const;
