import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { type AuthHooks, actorOf, userOf } from '../http/auth.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../http/errors.js';
import { dateSchema } from '../http/schemas.js';
import { wibDate, wibDayRange } from '../clock.js';
import { reviewItemsOf } from './repository.js';
import { reconItemsFor, reconRunsFor, runReconciliation } from './service.js';

const validDate = (date: string) => {
  try {
    wibDayRange(date);
  } catch {
    throw new AppError('REPORT_DATE_INVALID', `${date} is not a calendar date (YYYY-MM-DD)`);
  }
};

const json = (value: unknown) =>
  JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))) as unknown;

/** Upload: the CSV body is streamed straight into COPY, never held in memory (files reach hundreds of MB). */
export function reconUploadRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsync {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(['text/csv', 'application/octet-stream'], (_request, payload, done) =>
      done(null, payload),
    );
    app.post<{ Params: { adapter: string; date: string } }>(
      '/v1/reconciliations/:adapter/:date',
      {
        onRequest: auth.admin,
        bodyLimit: 2 * 1024 * 1024 * 1024,
        schema: {
          tags: ['reconciliation'],
          summary:
            'Upload an upstream settlement file (text/csv) for one WIB date and reconcile it (platform admin)',
          security: [{ bearer: [] }],
        },
      },
      async (request) => {
        const { adapter, date } = request.params;
        if (!/^[a-z][a-z0-9_-]{1,31}$/.test(adapter))
          throw new AppError('ADAPTER_UNKNOWN', 'no such adapter');
        if (!dateSchema.safeParse(date).success)
          throw new AppError('REPORT_DATE_INVALID', 'date must be YYYY-MM-DD');
        validDate(date);
        if (!deps.billers.get(adapter)) throw new AppError('ADAPTER_UNKNOWN', `no adapter named ${adapter}`);
        const result = await runReconciliation(deps, {
          adapter,
          date,
          trigger: 'upload',
          upload: request.body as Readable,
        });
        // Who put this file in: the operator by name, or the shared token.
        await recordAudit(deps.db, {
          koperasiId: null,
          ...actorOf(request),
          action: 'reconciliation.upload',
          subjectType: 'recon_run',
          subjectId: result.recon.runId,
          after: {
            adapter,
            date,
            fileId: result.file.fileId,
            rows: result.file.rows,
            duplicate: result.file.duplicate,
          },
        });
        return json(result);
      },
    );
  };
}

export function reconRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/reconciliations',
      {
        onRequest: auth.roles('treasurer', 'pengawas'),
        schema: {
          tags: ['reconciliation'],
          summary:
            "The koperasi's unmatched and auto-resolved reconciliation items of a WIB date (treasurer)",
          security: [{ bearer: [] }],
          querystring: z.strictObject({ date: dateSchema }),
        },
      },
      async (request) => {
        validDate(request.query.date);
        // Only this koperasi's items: run summaries span every koperasi and stay with the operator.
        const { koperasiId } = userOf(request);
        const [runs, items] = await Promise.all([
          reconRunsFor(deps, koperasiId, request.query.date),
          reconItemsFor(deps, koperasiId, request.query.date),
        ]);
        return { date: request.query.date, reconciled: runs.length > 0, runs, items };
      },
    );

    app.get(
      '/v1/reconciliations/review',
      {
        onRequest: auth.roles('treasurer', 'pengawas'),
        schema: {
          tags: ['reconciliation'],
          summary:
            "The koperasi's reconciliation items waiting for a person (last 30 WIB days), with the evidence and the payment's state (treasurer, pengawas)",
          security: [{ bearer: [] }],
        },
      },
      async (request) => {
        const since = wibDate(new Date(deps.clock.now().getTime() - 30 * 24 * 3_600_000));
        const rows = await reviewItemsOf(deps.db, userOf(request).koperasiId, since);
        const num = (v: string | null) => (v === null ? null : Number(v));
        return {
          since,
          items: rows.map((r) => ({
            adapter: r.adapter,
            date: r.settlement_date,
            refId: r.ref_id,
            paymentId: r.payment_id,
            class: r.class,
            ours: { status: r.our_status, amount: num(r.our_amount), price: num(r.our_price) },
            upstream: {
              status: r.upstream_status,
              amount: num(r.upstream_amount),
              price: num(r.upstream_price),
            },
            note: r.note,
            runAt: new Date(r.run_at).toISOString(),
            payment: r.payment_id
              ? {
                  status: r.payment_status,
                  product: r.product,
                  memberNo: r.member_no,
                  memberName: r.member_name,
                }
              : null,
          })),
        };
      },
    );
  };
}
