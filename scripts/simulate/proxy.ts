/**
 * TCP proxies inside the simulator.
 *
 * One per upstream dialect, between Pintu and the sandbox, to break the network the ways that matter for the
 * refund rule: `refuse` closes the listening socket, so new connects get ECONNREFUSED (provably nothing sent:
 * Pintu may fail over); `blackhole` accepts and never answers (requests time out; nothing reaches the sandbox);
 * `reset` destroys every open connection (answers lost mid-flight). Idle keep-alive connections are closed when
 * refusing, or a pooled socket would carry the request past the "refusal".
 *
 * And one balancer in front of the API processes: round robin over the live ones, for clients and callbacks.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'refuse' | 'blackhole';

export interface UpstreamProxy {
  readonly port: number;
  readonly mode: ProxyMode;
  refuse(): Promise<void>;
  blackhole(): void;
  /** Destroy every open connection (in-flight requests lose their answers). */
  reset(): number;
  restore(): Promise<void>;
  close(): Promise<void>;
}

interface Link {
  client: Socket;
  upstream: Socket | undefined;
  /** A request went up and no answer came back yet. */
  busy: boolean;
  closeWhenIdle: boolean;
}

const listen = (server: Server, port: number) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

export async function startUpstreamProxy(port: number, targetPort: number): Promise<UpstreamProxy> {
  let mode: ProxyMode = 'pass';
  const links = new Set<Link>();

  const onConnection = (client: Socket) => {
    const link: Link = { client, upstream: undefined, busy: false, closeWhenIdle: false };
    links.add(link);
    const drop = () => {
      links.delete(link);
      client.destroy();
      link.upstream?.destroy();
    };
    client.on('error', drop);
    client.on('close', drop);
    if (mode === 'blackhole') {
      client.on('data', () => undefined);
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    link.upstream = upstream;
    upstream.on('error', drop);
    upstream.on('close', drop);
    client.on('data', (chunk: Buffer) => {
      // A blackhole swallows requests on connections opened before it too.
      if (mode === 'blackhole') return;
      link.busy = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      link.busy = false;
      if (link.closeWhenIdle) client.end();
    });
  };

  let server = createServer(onConnection);
  await listen(server, port);
  let listening = true;

  return {
    port,
    get mode() {
      return mode;
    },
    async refuse() {
      mode = 'refuse';
      if (listening) {
        listening = false;
        const closing = closeServer(server);
        for (const link of links) {
          if (link.busy) link.closeWhenIdle = true;
          else link.client.destroy();
        }
        await closing;
      }
    },
    blackhole() {
      mode = 'blackhole';
    },
    reset() {
      const count = links.size;
      for (const link of [...links]) {
        link.client.resetAndDestroy();
        link.upstream?.destroy();
      }
      links.clear();
      return count;
    },
    async restore() {
      const wasBlackhole = mode === 'blackhole';
      mode = 'pass';
      // Requests swallowed by the blackhole have long timed out at Pintu; their sockets go.
      if (wasBlackhole)
        for (const link of [...links]) if (link.busy || link.upstream === undefined) link.client.destroy();
      if (!listening) {
        server = createServer(onConnection);
        await listen(server, port);
        listening = true;
      }
    },
    async close() {
      mode = 'refuse';
      for (const link of [...links]) link.client.destroy();
      if (listening) await closeServer(server);
      listening = false;
    },
  };
}

export interface Balancer {
  readonly port: number;
  close(): Promise<void>;
}

/** Round robin over `targets()`; a target that refuses is skipped, all refusing closes the client. */
export async function startBalancer(port: number, targets: () => number[]): Promise<Balancer> {
  let next = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const ports = targets();
    const tryPort = (tries: number) => {
      if (tries >= ports.length) return client.destroy();
      const target = ports[(next++ >>> 0) % ports.length]!;
      const upstream = connect(target, '127.0.0.1');
      const refused = () => tryPort(tries + 1);
      upstream.once('error', refused);
      upstream.once('connect', () => {
        upstream.off('error', refused);
        upstream.on('error', () => client.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    tryPort(0);
  });
  await listen(server, port);
  return {
    port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    },
  };
}
