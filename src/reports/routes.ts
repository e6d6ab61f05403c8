import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { type AuthHooks, userOf } from '../http/auth.js';
import { dateSchema } from '../http/schemas.js';
import { buildDailyReport } from './daily.js';
import { contentTypeFor, fileNameFor, renderReport } from './render.js';

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
            format: z.enum(['csv', 'xlsx', 'pdf']).default('csv'),
          }),
        },
      },
      async (request, reply) => {
        const { date, format } = request.query;
        const report = await buildDailyReport(deps, { id: userOf(request).koperasiId }, date);
        const body = new PassThrough();
        // Rendering runs while the response streams; a failure mid-way aborts the download visibly.
        renderReport(format, report, body).catch((err: unknown) => {
          request.log.error({ err }, 'report rendering failed');
          body.destroy(err instanceof Error ? err : new Error(String(err)));
        });
        return reply
          .type(contentTypeFor(format))
          .header('content-disposition', `attachment; filename="${fileNameFor(report, format)}"`)
          .header('cache-control', 'private, no-store')
          .send(body);
      },
    );
  };
}
