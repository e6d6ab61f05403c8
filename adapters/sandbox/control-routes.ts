/**
 * `/_sandbox/*`: the operator's and the tests' handles on the sandbox. Unauthenticated on purpose: the sandbox is a
 * local stand-in for upstreams and listens on 127.0.0.1 only when started by `npm start`.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DIALECTS, type Dialect } from './catalog.js';
import { knobsPatchSchema, type SandboxKnobs, type SandboxKnobsPatch } from './options.js';
import type { SandboxStats } from './stats.js';
import type { SandboxTruth } from './truth.js';
import { wibDayStart } from './wib.js';

export interface ControlHandle {
  stats(includeRefs: boolean): SandboxStats;
  truth(): SandboxTruth;
  /** The canonical settlement CSV of a WIB date (YYYY-MM-DD), whatever the time (no 04:00 D+1 rule). */
  settlement(dialect: Dialect, date: string): Readable;
  setClock(now: Date | undefined): void;
  now(): Date;
  configure(patch: SandboxKnobsPatch): SandboxKnobs;
  setCallbackUrl(dialect: Dialect, url: string | undefined): void;
}

const clockBody = z.object({ now: z.iso.datetime({ offset: true }).nullable() });
const callbackBody = z.object({ url: z.url({ protocol: /^https?$/ }).nullable() });

export function registerControlRoutes(app: FastifyInstance, handle: ControlHandle): void {
  void app.register(
    async (scope) => {
      scope.get<{ Querystring: { refs?: string } }>('/stats', async (request) =>
        handle.stats(request.query.refs !== '0' && request.query.refs !== 'false'),
      );

      scope.get('/truth', async () => handle.truth());

      // The operator's copy of a day's file: a simulation edits it (rows dropped, phantoms, drift) and uploads
      // it to the gateway, so it must exist as soon as the day is over, not only from 04:00 on D+1.
      scope.get<{ Params: { dialect: string; date: string } }>(
        '/settlement/:dialect/:date',
        async (request, reply) => {
          const dialect = DIALECTS.find((d) => d === request.params.dialect);
          if (dialect === undefined)
            return reply.code(404).send({ error: `no dialect ${request.params.dialect}` });
          const { date } = request.params;
          if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || wibDayStart(date.replaceAll('-', '')) === undefined) {
            return reply.code(400).send({ error: 'date must be YYYY-MM-DD' });
          }
          return reply.type('text/csv; charset=utf-8').send(handle.settlement(dialect, date));
        },
      );

      scope.post('/clock', async (request, reply) => {
        const parsed = clockBody.safeParse(request.body);
        if (!parsed.success) return reply.code(400).send({ error: z.prettifyError(parsed.error) });
        handle.setClock(parsed.data.now === null ? undefined : new Date(parsed.data.now));
        return { now: handle.now().toISOString(), frozen: parsed.data.now !== null };
      });

      scope.post('/config', async (request, reply) => {
        const parsed = knobsPatchSchema.safeParse(request.body);
        if (!parsed.success) return reply.code(400).send({ error: z.prettifyError(parsed.error) });
        return { knobs: handle.configure(parsed.data) };
      });

      scope.post<{ Params: { dialect: string } }>('/callbacks/:dialect', async (request, reply) => {
        const dialect = DIALECTS.find((d) => d === request.params.dialect);
        if (dialect === undefined)
          return reply.code(404).send({ error: `no dialect ${request.params.dialect}` });
        const parsed = callbackBody.safeParse(request.body);
        if (!parsed.success) return reply.code(400).send({ error: z.prettifyError(parsed.error) });
        handle.setCallbackUrl(dialect, parsed.data.url ?? undefined);
        return { dialect, url: parsed.data.url };
      });
    },
    { prefix: '/_sandbox' },
  );
}
