/**
 * Graceful shutdown over a real socket with a keep-alive client (as browsers and load balancers are):
 * a request in flight when shutdown begins still gets its answer, and the server closes right after it
 * instead of holding the process open for the client's idle keep-alive socket, or for a socket a browser
 * opened ahead of time and has not sent a request on.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { type AddressInfo, createConnection } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeAdapter } from '../../adapters/fake/index.js';
import { type TestApp, givenApp, givenKoperasi, givenMember, inquire } from '../helpers/app.js';

let t: TestApp | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

function post(
  url: string,
  agent: http.Agent,
  headers: Record<string, string>,
  body: unknown,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            headers: response.headers,
            body: JSON.parse(text) as Record<string, unknown>,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms).unref())]);

describe('shutting down the API', () => {
  it('answers a payment waiting on Prefer: wait at once, with Connection: close, and then closes without waiting for the client', async () => {
    // No workers: the payment stays processing, so Prefer: wait=30 would hold the request for 30 s.
    t = await givenApp({ adapters: [createFakeAdapter({ name: 'digiflazz' })] });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const kop = await givenKoperasi(t);
    const member = await givenMember(t, kop, { balance: 500_000n });
    const quote = (await inquire(t, member, { product: 'PLN_POSTPAID', customerNo: '530000000000' })).json<{
      id: string;
    }>();
    const agent = new http.Agent({ keepAlive: true });

    const answer = post(
      `${base}/v1/payments`,
      agent,
      { authorization: `Bearer ${member.token}`, 'idempotency-key': randomUUID(), prefer: 'wait=30' },
      { quoteId: quote.id, pin: member.pin },
    );
    // Let the request reach its wait (the payment row exists once it is accepted).
    await expect
      .poll(
        async () =>
          (await t!.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM payments`)).rows[0]!.n,
      )
      .toBe(1);

    const closing = t.app.close().then(() => 'closed' as const);
    const answered = await within(answer, 5_000);
    expect(answered).not.toBe('hung');
    expect(answered).toMatchObject({ status: 202, body: { status: 'processing' } });
    expect((answered as Answer).headers.connection).toBe('close');
    expect(await within(closing, 5_000)).toBe('closed');
    agent.destroy();
  });

  it('closes a connection that has not sent a request yet (a browser’s speculative socket) instead of waiting for it', async () => {
    t = await givenApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    // Chromium opens sockets ahead of the requests it expects; Node's closeIdleConnections leaves them open, and
    // the server would wait for the browser (or its 60 s header timeout) before closing.
    const socket = createConnection(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const socketClosed = new Promise<'socket closed'>((resolve) =>
      socket.once('close', () => resolve('socket closed')),
    );
    socket.on('error', () => undefined);

    try {
      const closing = t.app.close().then(() => 'closed' as const);
      expect(await within(socketClosed, 5_000)).toBe('socket closed');
      expect(await within(closing, 5_000)).toBe('closed');
    } finally {
      socket.destroy();
    }
  });
});
