/**
 * `GET …/settlement/YYYYMMDD?username=U&sign=md5(U+apiKey+"settlement"+YYYYMMDD)` (ext), for both dialects.
 * A day's file exists from 04:00 WIB on D+1 by the sandbox clock (channels upload D−1 data from 04:00, Finnet;
 * ppob.md §3.7); earlier it is 404. Streamed: a day can hold a million rows.
 */
import type { FastifyInstance } from 'fastify';
import type { Dialect } from './catalog.js';
import type { SandboxContext } from './context.js';
import { renderSettlementCsv } from './settlement.js';
import { settlementRows } from './settlement-rows.js';
import { requestSign, signMatches } from './sign.js';
import { DAY_MS, dashedDate, wibDayStart } from './wib.js';

const AVAILABLE_AFTER_MS = DAY_MS + 4 * 60 * 60 * 1000;

export function registerSettlementRoute(
  scope: FastifyInstance,
  ctx: SandboxContext,
  dialect: Dialect,
  path: string,
): void {
  scope.get<{ Params: { date: string }; Querystring: { username?: string; sign?: string } }>(
    path,
    async (request, reply) => {
      const { date } = request.params;
      const start = wibDayStart(date);
      if (start === undefined) return reply.code(400).send({ data: { message: 'date must be YYYYMMDD' } });
      const { username, apiKey } = ctx.credentials[dialect];
      const expected = requestSign(username, apiKey, `settlement${date}`);
      if (request.query.username !== username || !signMatches(expected, request.query.sign)) {
        return reply.code(401).send({ data: { message: 'invalid username or sign' } });
      }
      if (ctx.now().getTime() < start.getTime() + AVAILABLE_AFTER_MS) {
        return reply
          .code(404)
          .send({ data: { message: 'settlement not available yet (from 04:00 WIB on D+1)' } });
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${dialect}_settlement_${date}.csv"`)
        .send(renderSettlementCsv(settlementRows(ctx, dialect, dashedDate(date))));
    },
  );
}
