/**
 * The adapters' HTTP transport against a real local server that misbehaves the ways an upstream can: what each
 * exchange proves about the request reaching the upstream decides between "failed, refund" and "suspect, ask".
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport } from '../../../adapters/shared/transport.js';

let server: http.Server;
let base: string;
const received: string[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(`${request.url} ${body}`);
      switch (request.url) {
        case '/ok':
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"rc":"00"}');
          return;
        case '/redirect':
          response.writeHead(302, { location: `${base}/ok` }).end();
          return;
        case '/cut':
          // Headers and half the promised body, then the connection drops.
          response.writeHead(200, { 'content-length': '100' });
          response.write('{"rc":"00","sta');
          setTimeout(() => response.socket?.destroy(), 20);
          return;
        case '/huge':
          response.writeHead(200);
          response.end('x'.repeat(1_200_000));
          return;
        case '/slow-body':
          response.writeHead(200);
          response.write('{"rc":');
          return; // never ends
        default:
          response.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the upstream transport', () => {
  const transport = createTransport(500);

  it('returns the answer as text with its status, and sends the body as JSON', async () => {
    expect(await transport.postJson(`${base}/ok`, { ref_id: 'P1' })).toEqual({
      kind: 'answered',
      httpStatus: 200,
      body: '{"rc":"00"}',
    });
    expect(received).toContain('/ok {"ref_id":"P1"}');
  });

  it('reports a redirect as an answer and never follows it (following could pay twice)', async () => {
    const before = received.filter((r) => r.startsWith('/ok')).length;
    expect(await transport.postJson(`${base}/redirect`, {})).toMatchObject({
      kind: 'answered',
      httpStatus: 302,
    });
    expect(received.filter((r) => r.startsWith('/ok'))).toHaveLength(before);
  });

  it('reports a body cut short as lost (the upstream may have acted), not as an answer', async () => {
    expect(await transport.postJson(`${base}/cut`, {})).toMatchObject({ kind: 'lost' });
  });

  it('reports an answer larger than 1 MB as lost', async () => {
    expect(await transport.postJson(`${base}/huge`, {})).toMatchObject({ kind: 'lost' });
  });

  it('reports a body that never ends as lost by timeout', async () => {
    expect(await transport.postJson(`${base}/slow-body`, {})).toEqual({ kind: 'lost', code: 'TIMEOUT' });
  });

  it('reports a refused connection as not sent', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await transport.postJson(`http://127.0.0.1:${port}/ok`, {})).toEqual({
      kind: 'not-sent',
      code: 'ECONNREFUSED',
    });
  });

  it('keeps using one connection for consecutive requests (keep-alive)', async () => {
    const ports = new Set<number>();
    const listener = (socket: { remotePort?: number }) => ports.add(socket.remotePort ?? 0);
    server.on('connection', listener);
    try {
      for (let i = 0; i < 3; i += 1) await transport.postJson(`${base}/ok`, {});
    } finally {
      server.off('connection', listener);
    }
    expect(ports.size).toBeLessThanOrEqual(1);
  });

  it('streams a settlement file and refuses a non-200 one with a clear error', async () => {
    const stream = await transport.getStream(`${base}/huge`, 'settlement');
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) size += chunk.length;
    expect(size).toBe(1_200_000);
    await expect(transport.getStream(`${base}/missing`, 'settlement')).rejects.toThrow(
      'settlement is not available: upstream answered HTTP 404',
    );
  });
});
