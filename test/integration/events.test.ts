/**
 * GET /v1/events over a real socket: a member sees their own payment and balance changes live, a
 * treasurer the koperasi's, nobody another koperasi's.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeAdapter } from '../../adapters/fake/index.js';
import { type TestApp, deposit, givenApp, givenKoperasi, givenMember, quoteAndPay } from '../helpers/app.js';

let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await givenApp({ adapters: [createFakeAdapter({ name: 'digiflazz' })], workers: true });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await t?.close();
});

interface Stream {
  events: { event: string; data: Record<string, unknown> }[];
  until(
    predicate: (e: { event: string; data: Record<string, unknown> }) => boolean,
    timeoutMs?: number,
  ): Promise<void>;
  close(): void;
  /** Settles when the server ends the stream. */
  ended: Promise<void>;
}

function listen(token: string, to = base): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const events: Stream['events'] = [];
    const waiters: (() => void)[] = [];
    const request = http.get(
      `${to}/v1/events`,
      { headers: { authorization: `Bearer ${token}` } },
      (response) => {
        if (response.statusCode !== 200) return reject(new Error(`status ${response.statusCode}`));
        expect(response.headers['content-type']).toContain('text/event-stream');
        let buffer = '';
        const ended = new Promise<void>((done) => response.on('end', done));
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.+)$/m.exec(block)?.[1];
            const data = /^data: (.+)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
            for (const w of waiters.splice(0)) w();
          }
        });
        resolve({
          events,
          async until(predicate, timeoutMs = 10_000) {
            const deadline = Date.now() + timeoutMs;
            while (!events.some(predicate)) {
              if (Date.now() > deadline) throw new Error(`no matching event in ${JSON.stringify(events)}`);
              await new Promise<void>((r) => {
                waiters.push(r);
                setTimeout(r, 200);
              });
            }
          },
          close: () => request.destroy(),
          ended,
        });
      },
    );
    request.on('error', reject);
  });
}

describe('live events', () => {
  it('streams a member’s own payment and balance changes, the koperasi’s to its treasurer, nothing across koperasi', async () => {
    const kop = await givenKoperasi(t);
    const other = await givenKoperasi(t);
    const member = await givenMember(t, kop, { balance: 300_000n });
    const neighbour = await givenMember(t, kop, { balance: 300_000n });
    const stranger = await givenMember(t, other, { balance: 300_000n });
    const mine = await listen(member.token);
    const treasurer = await listen(kop.treasurerToken);
    const neighbours = await listen(neighbour.token);
    const strangers = await listen(other.treasurerToken);
    await mine.until((e) => e.event === 'ready');

    const paid = await quoteAndPay(t, member, { product: 'PLN_POSTPAID', customerNo: '530000000000' });
    await mine.until(
      (e) => e.event === 'payment' && e.data.paymentId === paid.id && e.data.status === 'success',
    );
    await mine.until((e) => e.event === 'balance' && e.data.balance === 300_000 - 103_500);
    await treasurer.until(
      (e) => e.event === 'payment' && e.data.paymentId === paid.id && e.data.status === 'success',
    );
    await deposit(t, kop, member.memberNo, 5_000n);
    await mine.until((e) => e.event === 'balance' && e.data.balance === 300_000 - 103_500 + 5_000);
    await quoteAndPay(t, stranger, { product: 'PLN_POSTPAID', customerNo: '530000000000' });
    await strangers.until((e) => e.event === 'payment');

    expect(neighbours.events.filter((e) => e.event !== 'ready')).toEqual([]);
    expect(strangers.events.some((e) => e.data.paymentId === paid.id)).toBe(false);
    expect(mine.events.every((e) => e.event === 'ready' || e.data.memberId === member.id)).toBe(true);
    for (const s of [mine, treasurer, neighbours, strangers]) s.close();
  });

  it('refuses a stream without a valid token', async () => {
    await expect(listen('not-a-token')).rejects.toThrow('status 401');
  });
});

describe('a client that stops reading', () => {
  it('is dropped once its stream has too much waiting, instead of being buffered for without bound', async () => {
    const kop = await givenKoperasi(t);
    const member = await givenMember(t, kop);
    const { port } = t.app.server.address() as AddressInfo;
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`GET /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${member.token}\r\n\r\n`);
    socket.pause(); // reads nothing: the kernel's buffers fill, then Node's
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const event = {
      type: 'balance' as const,
      koperasiId: kop.id,
      memberId: member.id,
      balance: 1,
      available: 1,
      at: 'x'.repeat(900),
    };
    const sent = 40_000; // about 40 MB of events: far more than the socket buffers and the stream's bound
    for (let i = 0; i < sent; i += 2_000)
      await t.deps.events.publish(...Array.from({ length: 2_000 }, () => event));
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    await new Promise((r) => setTimeout(r, 1_000));
    socket.resume();
    await closed;
    expect(received).toBeLessThan(sent * 900);
  });
});

describe('shutting down', () => {
  it('ends open streams so that the server closes instead of waiting for the clients', async () => {
    const other = await givenApp({ adapters: [createFakeAdapter({ name: 'digiflazz' })] });
    await other.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(other.app.server.address() as AddressInfo).port}`;
    const kop = await givenKoperasi(other);
    const member = await givenMember(other, kop);
    const stream = await listen(member.token, url);
    await stream.until((e) => e.event === 'ready');

    const hung = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 10_000).unref());
    const closing = other.app.close().then(() => 'closed' as const);
    expect(await Promise.race([closing, hung])).toBe('closed');
    await stream.ended;
    stream.close();
    await other.close();
  });
});
