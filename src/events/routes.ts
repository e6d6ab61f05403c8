/**
 * GET /v1/events: Server-Sent Events of payment status and balance changes, live. A member receives
 * their own; a treasurer their koperasi's. A comment line every 15 s keeps proxies from closing the
 * stream; the client reconnects (EventSource does) and re-reads state from the API.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../deps.js';
import type { AuthHooks } from '../http/auth.js';
import { userOf } from '../http/auth.js';
import type { LiveEvent } from './bus.js';

export function eventRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsync {
  return async (app) => {
    const open = new Set<() => void>();
    // On shutdown, end the streams before the server waits for its connections to finish (preClose,
    // not onClose: onClose runs only after they have); clients reconnect to another instance.
    app.addHook('preClose', async () => {
      for (const end of open) end();
    });
    app.get(
      '/v1/events',
      {
        onRequest: auth.roles('member', 'treasurer'),
        schema: { tags: ['events'], summary: 'Live payment and balance changes (text/event-stream)', security: [{ bearer: [] }] },
      },
      async (request, reply) => {
        const principal = userOf(request);
        const visible = (event: LiveEvent) =>
          event.koperasiId === principal.koperasiId && (principal.role === 'treasurer' || event.memberId === principal.userId);

        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
          'x-request-id': request.id,
        });
        let id = 0;
        const send = (event: string, data: unknown) => raw.write(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        send('ready', { role: principal.role, at: deps.clock.now().toISOString() });
        const unsubscribe = deps.events.subscribe((event) => {
          if (!visible(event)) return;
          const { koperasiId: _k, ...data } = event;
          send(event.type, data);
        });
        const heartbeat = setInterval(() => raw.write(`: keep-alive\n\n`), 15_000);
        const close = () => {
          clearInterval(heartbeat);
          unsubscribe();
          open.delete(end);
        };
        const end = () => {
          close();
          raw.end();
        };
        open.add(end);
        request.raw.on('close', close);
      },
    );
  };
}
