/**
 * The HTTP side of a graceful shutdown. Fastify's close() stops accepting connections, closes the
 * keep-alive sockets idle at that instant and waits for the rest; a request still in flight then
 * would leave its socket open after answering (keep-alive) until the client or the 72 s keep-alive
 * timeout closes it, and a long wait (Prefer: wait, an SSE stream) would run its course first. Node's
 * closeIdleConnections also leaves alone a socket that has not sent a request yet (a browser opens
 * some ahead of time): the server would wait for the browser, or for the 60 s header timeout. So,
 * once closing: answers carry `Connection: close`, sockets with no request in flight are closed at
 * once, and whatever waits is told to stop through the returned signal.
 */
import { setMaxListeners } from 'node:events';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

const REAP_EVERY_MS = 50;

export function gracefulShutdown(app: FastifyInstance): AbortSignal {
  const closing = new AbortController();
  // Every open SSE stream and Prefer: wait listens: no listener limit (Node warns past 10 otherwise).
  setMaxListeners(0, closing.signal);

  // Requests in flight per open socket (0: never sent one, or between two keep-alive requests).
  const inFlight = new Map<Socket, number>();
  app.server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  app.server.on('request', (request, response) => {
    const socket = request.socket;
    const before = inFlight.get(socket);
    // Only sockets seen connecting are counted (an untracked one would never be forgotten).
    if (before === undefined) return;
    inFlight.set(socket, before + 1);
    response.once('close', () => {
      const requests = inFlight.get(socket);
      if (requests !== undefined) inFlight.set(socket, requests - 1);
    });
  });
  const reap = () => {
    for (const [socket, requests] of inFlight) if (requests === 0) socket.destroy();
  };

  let reaper: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    closing.abort();
    reap();
    // A socket that connects after this and before the listener closes is reaped on the next round.
    reaper = setInterval(reap, REAP_EVERY_MS);
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
