/**
 * The HTTP side of a graceful shutdown. Fastify's close() stops accepting connections, closes the
 * keep-alive sockets idle at that instant and waits for the rest; a request still in flight then
 * would leave its socket open after answering (keep-alive) until the client or the 72 s keep-alive
 * timeout closes it, and a long wait (Prefer: wait, an SSE stream) would run its course first. So,
 * once closing: answers carry `Connection: close`, sockets that fall idle are closed at once, and
 * whatever waits is told to stop through the returned signal.
 */
import { setMaxListeners } from 'node:events';
import type { FastifyInstance } from 'fastify';

const REAP_EVERY_MS = 50;

export function gracefulShutdown(app: FastifyInstance): AbortSignal {
  const closing = new AbortController();
  // Every open SSE stream and Prefer: wait listens: no listener limit (Node warns past 10 otherwise).
  setMaxListeners(0, closing.signal);
  let reaper: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    closing.abort();
    reaper = setInterval(() => app.server.closeIdleConnections(), REAP_EVERY_MS);
    reaper.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(reaper);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing.signal.aborted) void reply.header('connection', 'close');
    return payload;
  });
  return closing.signal;
}
