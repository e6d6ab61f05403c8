/**
 * The cooperative office's API: the koperasi table, a koperasi's detail and audit log, the monthly region
 * summary, and office accounts. Supervisors see the koperasi of their region only (any other id is 404);
 * operators and ADMIN_TOKEN see every koperasi. Nothing here moves money.
 */
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditPage, auditQuery, readAuditLog } from '../audit/viewer.js';
import { wibDate } from '../clock.js';
import type { Deps } from '../deps.js';
import { type AuthHooks, actorOf, officeOf, userOf } from '../http/auth.js';
import { AppError } from '../http/errors.js';
import { nameSchema, passwordSchema, problemSchema, usernameSchema } from '../http/schemas.js';
import { findOfficeUser } from './repository.js';
import { createOfficeUser, koperasiOfRegion, officeKoperasiDetail, officeOverview } from './service.js';
import { buildRegionSummary, renderSummaryPdf, renderSummaryXlsx } from './summary.js';

const idParams = z.strictObject({ id: z.string().uuid() });
const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');

const officeUserBody = z.strictObject({
  username: usernameSchema,
  name: nameSchema,
  password: passwordSchema,
});
const officeUserView = z.object({
  id: z.string().uuid(),
  role: z.enum(['operator', 'supervisor']),
  username: z.string(),
  name: z.string(),
  region: z.string().nullable(),
});

export function officeRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsyncZod {
  const office = auth.office('supervisor', 'operator');
  const operator = auth.office('operator');
  const security = [{ bearer: [] }];
  return async (app) => {
    app.get(
      '/v1/office/me',
      {
        onRequest: office,
        schema: {
          tags: ['office'],
          summary: 'Who am I (office staff, operator)',
          security,
          response: { 200: officeUserView.extend({ id: z.string().uuid().nullable() }) },
        },
      },
      async (request) => {
        const principal = officeOf(request);
        if (principal.kind === 'admin')
          return {
            id: null,
            role: 'operator' as const,
            username: 'admin-token',
            name: 'ADMIN_TOKEN',
            region: null,
          };
        const user = await findOfficeUser(deps.db, principal.userId);
        if (!user) throw new AppError('UNAUTHENTICATED', 'this account no longer exists');
        return {
          id: user.id,
          role: user.role,
          username: user.username,
          name: user.name,
          region: user.region,
        };
      },
    );

    app.get(
      '/v1/today',
      {
        onRequest: auth.roles('treasurer', 'pengawas'),
        schema: {
          tags: ['reports'],
          summary:
            "The koperasi's day at a glance (treasurer's strip): payments and total, fee income, deposits, open suspects and items to review",
          security,
        },
      },
      async (request) => {
        const { koperasiId } = userOf(request);
        const { now, rows } = await officeOverview(deps, null, koperasiId);
        const row = rows[0];
        if (!row) throw new AppError('NOT_FOUND', 'koperasi not found');
        return {
          generatedAt: now.toISOString(),
          today: row.today,
          month: row.month,
          suspects: row.suspects,
          reviewItems: row.reviewItems,
          pinLockouts: row.pinLockouts,
          reconciliation: row.reconciliation,
          ledger: row.ledger,
        };
      },
    );

    app.get(
      '/v1/office/koperasi',
      {
        onRequest: office,
        schema: {
          tags: ['office'],
          summary:
            'Every koperasi of the region, live: today, this month, open problems, reconciliation, ledger health',
          security,
        },
      },
      async (request) => {
        const { now, rows } = await officeOverview(deps, officeOf(request).region);
        return { generatedAt: now.toISOString(), koperasi: rows };
      },
    );

    app.get(
      '/v1/office/koperasi/:id',
      {
        onRequest: office,
        schema: {
          tags: ['office'],
          summary:
            "A koperasi's detail: fee income per day, product mix, reconciliation history, latest payments",
          security,
          params: idParams,
        },
      },
      async (request) => officeKoperasiDetail(deps, officeOf(request).region, request.params.id),
    );

    app.get(
      '/v1/office/koperasi/:id/audit',
      {
        onRequest: office,
        schema: {
          tags: ['office'],
          summary: "A koperasi's audit log, newest first, with filters",
          security,
          params: idParams,
          querystring: auditQuery,
          response: { 200: auditPage, 404: problemSchema },
        },
      },
      async (request) => {
        await koperasiOfRegion(deps, officeOf(request).region, request.params.id);
        return readAuditLog(deps.db, request.params.id, request.query);
      },
    );

    app.get(
      '/v1/office/summary',
      {
        onRequest: office,
        schema: {
          tags: ['office'],
          summary: "The region's monthly summary, one line per koperasi, as XLSX or PDF",
          security,
          querystring: z.strictObject({
            month: monthSchema.optional(),
            format: z.enum(['xlsx', 'pdf']).default('xlsx'),
          }),
        },
      },
      async (request, reply) => {
        const month = request.query.month ?? wibDate(deps.clock.now()).slice(0, 7);
        const principal = officeOf(request);
        const summary = await buildRegionSummary(deps, principal.region, month);
        const body = new PassThrough();
        const render = request.query.format === 'pdf' ? renderSummaryPdf : renderSummaryXlsx;
        render(summary, body).catch((err: unknown) => {
          request.log.error({ err }, 'summary rendering failed');
          body.destroy(err instanceof Error ? err : new Error(String(err)));
        });
        const slug = (principal.region ?? 'semua').toLowerCase().replace(/[^a-z0-9]+/g, '-');
        return reply
          .type(
            request.query.format === 'pdf'
              ? 'application/pdf'
              : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          )
          .header(
            'content-disposition',
            `attachment; filename="ringkasan-${slug}-${month}.${request.query.format}"`,
          )
          .header('cache-control', 'private, no-store')
          .send(body);
      },
    );

    app.post(
      '/v1/office/supervisors',
      {
        onRequest: operator,
        schema: {
          tags: ['office'],
          summary: 'Create a supervisor account for cooperative-office staff of a region (operator)',
          security,
          body: officeUserBody.extend({ region: nameSchema }),
          response: { 201: officeUserView, 409: problemSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await createOfficeUser(deps, operatorActor(request), { ...request.body, role: 'supervisor' }),
          ),
    );

    app.post(
      '/v1/office/operators',
      {
        onRequest: operator,
        schema: {
          tags: ['office'],
          summary: 'Create a named platform operator account (operator or ADMIN_TOKEN)',
          security,
          body: officeUserBody,
          response: { 201: officeUserView, 409: problemSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(
          await createOfficeUser(deps, operatorActor(request), {
            ...request.body,
            role: 'operator',
            region: null,
          }),
        ),
    );
  };
}

function operatorActor(request: Parameters<typeof actorOf>[0]) {
  const actor = actorOf(request);
  return actor.actorType === 'operator'
    ? { actorType: 'operator' as const, actorId: actor.actorId }
    : { actorType: 'admin' as const, actorId: null };
}
