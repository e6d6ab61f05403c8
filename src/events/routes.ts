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

/** What one stream may have waiting for a slow client before it is dropped (a few thousand events). */
export const MAX_BUFFERED_BYTES = 256 * 1024;

/** `closing` aborts when the server shuts down: every stream then ends; clients reconnect to another instance. */
export function eventRoutes(deps: Deps, auth: AuthHooks, closing: AbortSignal): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/v1/events',
      {
        onRequest: auth.roles('member', 'treasurer', 'pengawas', 'kasir'),
        schema: {
          tags: ['events'],
          summary: 'Live payment, balance and notification changes (text/event-stream)',
          security: [{ bearer: [] }],
        },
      },
      async (request, reply) => {
        const principal = userOf(request);
        // A member sees their own events; staff see the koperasi's, except a member's own notifications.
        const visible = (event: LiveEvent) =>
          event.koperasiId === principal.koperasiId &&
          (principal.role === 'member'
            ? event.memberId === principal.userId
            : event.type !== 'notification' || event.memberId === null);

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
        // Back-pressure: a client that stops reading (a phone that went to sleep on a bad network) would make
        // Node buffer every event for it without bound. Past MAX_BUFFERED_BYTES it is dropped instead; events are
        // best effort and an EventSource reconnects and re-reads state from the API.
        const send = (event: string, data: unknown) => {
          if (raw.destroyed) return;
          if (raw.writableLength > MAX_BUFFERED_BYTES) {
            request.log.warn(
              { buffered: raw.writableLength },
              'event stream dropped: the client is not reading',
            );
            close();
            raw.destroy();
            return;
          }
          raw.write(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        };
        send('ready', { role: principal.role, at: deps.clock.now().toISOString() });
        const unsubscribe = deps.events.subscribe((event) => {
          if (!visible(event)) return;
          const { koperasiId: _k, ...data } = event;
          send(event.type, data);
        });
        const heartbeat = setInterval(
          () => raw.writableLength <= MAX_BUFFERED_BYTES && raw.write(`: keep-alive\n\n`),
          15_000,
        );
        const close = () => {
          clearInterval(heartbeat);
          unsubscribe();
          closing.removeEventListener('abort', end);
        };
        const end = () => {
          close();
          raw.end();
        };
        request.raw.on('close', close);
        // A stream that started while the server was already closing ends at once.
        if (closing.aborted) end();
        else closing.addEventListener('abort', end, { once: true });
      },
    );
  };
}
