/** Notifications: the member's own (/v1/me/notifications) and the koperasi staff's (/v1/notifications). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { type AuthHooks, userOf } from '../http/auth.js';
import { problemSchema } from '../http/schemas.js';
import { markReadBody, markReadResult, notificationPage, notificationQuery } from './schemas.js';
import { type NotificationScope, listNotifications, markRead } from './service.js';

export function notificationRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsyncZod {
  const tags = ['notifications'];
  const security = [{ bearer: [] }];
  const own = (request: Parameters<typeof userOf>[0]): NotificationScope => {
    const principal = userOf(request);
    return { koperasiId: principal.koperasiId, memberId: principal.userId };
  };
  const staff = (request: Parameters<typeof userOf>[0]): NotificationScope => ({
    koperasiId: userOf(request).koperasiId,
    memberId: null,
  });

  return async (app) => {
    app.get(
      '/v1/me/notifications',
      {
        onRequest: auth.roles('member'),
        schema: {
          tags,
          summary: 'My notifications, newest first, with the unread count',
          security,
          querystring: notificationQuery,
          response: { 200: notificationPage, 400: problemSchema },
        },
      },
      async (request) => listNotifications(deps, own(request), request.query),
    );

    app.post(
      '/v1/me/notifications/read',
      {
        onRequest: auth.roles('member'),
        schema: {
          tags,
          summary: 'Mark my notifications read: {ids} or {all: true}',
          security,
          body: markReadBody,
          response: { 200: markReadResult, 400: problemSchema },
        },
      },
      async (request) => markRead(deps, own(request), request.body),
    );

    app.get(
      '/v1/notifications',
      {
        onRequest: auth.roles('treasurer', 'pengawas'),
        schema: {
          tags,
          summary: "The koperasi staff's notifications (autodebet runs that need a person), newest first",
          security,
          querystring: notificationQuery,
          response: { 200: notificationPage, 400: problemSchema },
        },
      },
      async (request) => listNotifications(deps, staff(request), request.query),
    );

    app.post(
      '/v1/notifications/read',
      {
        onRequest: auth.roles('treasurer'),
        schema: {
          tags,
          summary: "Mark the staff's notifications read: {ids} or {all: true} (treasurer)",
          security,
          body: markReadBody,
          response: { 200: markReadResult, 400: problemSchema },
        },
      },
      async (request) => markRead(deps, staff(request), request.body),
    );
  };
}
