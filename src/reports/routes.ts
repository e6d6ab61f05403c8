import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { type AuthHooks, userOf } from '../http/auth.js';
import { AppError } from '../http/errors.js';
import { dateSchema } from '../http/schemas.js';
import { buildDailyReport } from './daily.js';
import { MAX_RANGE_DAYS, buildRangeReport, monthRange } from './range.js';
import { contentTypeFor, fileNameFor, renderReport } from './render.js';
import type { DailyReport, ReportFormat } from './types.js';

const formatSchema = z.enum(['csv', 'xlsx', 'pdf']).default('csv');
const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');

export function reportRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/reports/daily',
      {
        onRequest: auth.roles('treasurer', 'pengawas'),
        schema: {
          tags: ['reports'],
          summary:
            "The koperasi's daily report for a WIB date: every payment, then totals (CSV streams; XLSX; PDF)",
          security: [{ bearer: [] }],
          querystring: z.strictObject({
            date: dateSchema,
            format: formatSchema,
          }),
        },
      },
      async (request, reply) => {
        const { date, format } = request.query;
        const report = await buildDailyReport(deps, { id: userOf(request).koperasiId }, date);
        return send(request, reply, report, format);
      },
    );

    app.get(
      '/v1/reports/range',
      {
        onRequest: auth.roles('treasurer', 'pengawas'),
        schema: {
          tags: ['reports'],
          summary: `The koperasi's report over WIB days from..to (at most ${MAX_RANGE_DAYS}) or a month: every payment, one line per day, totals (CSV streams; XLSX; PDF)`,
          security: [{ bearer: [] }],
          querystring: z.strictObject({
            from: dateSchema.optional(),
            to: dateSchema.optional(),
            month: monthSchema.optional(),
            format: formatSchema,
          }),
        },
      },
      async (request, reply) => {
        const { from, to, month, format } = request.query;
        let span: { from: string; to: string; month?: string };
        if (month !== undefined) {
          if (from !== undefined || to !== undefined)
            throw new AppError('VALIDATION_FAILED', 'give either month, or from and to', {
              errors: [{ path: 'querystring.month', message: 'not together with from/to' }],
            });
          span = { ...monthRange(month), month };
        } else if (from !== undefined && to !== undefined) {
          span = { from, to };
        } else {
          throw new AppError('VALIDATION_FAILED', 'give month=YYYY-MM, or from and to (YYYY-MM-DD)', {
            errors: [{ path: `querystring.${from === undefined ? 'from' : 'to'}`, message: 'required' }],
          });
        }
        const report = await buildRangeReport(deps, userOf(request).koperasiId, span);
        return send(request, reply, report, format);
      },
    );
  };
}

/** Rendering runs while the response streams; a failure mid-way aborts the download visibly. */
function send(request: FastifyRequest, reply: FastifyReply, report: DailyReport, format: ReportFormat) {
  const body = new PassThrough();
  renderReport(format, report, body).catch((err: unknown) => {
    request.log.error({ err }, 'report rendering failed');
    body.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return reply
    .type(contentTypeFor(format))
    .header('content-disposition', `attachment; filename="${fileNameFor(report, format)}"`)
    .header('cache-control', 'private, no-store')
    .send(body);
}
