/**
 * The upstream boundary of the HTTP harnesses (digiflazz, iak): nock answers in the dialect's wire format,
 * a closed local port for "connection refused", a late answer for timeouts, a reset socket.
 *
 * Every scripted answer must be asked for, and no request may reach a host without one. Otherwise a
 * misrouted request would fail with a network error, which the adapters rightly read as `suspect`, and a
 * scenario expecting `suspect` would pass for the wrong reason.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { BillerAdapter } from '../../src/billers/port.js';
import { closedPort } from '../unit/adapters/helpers.js';
import {
  isNotApplicable,
  type Declinable,
  type Fact,
  type NotApplicable,
  type Operation,
  type PayTarget,
  type Product,
  type Staged,
  type WireControl,
} from './harness.js';

/** What a harness tells this module about its dialect. */
export interface HttpDialect {
  /** A fresh adapter; `baseUrl` replaces every host (the closed port), `timeoutMs` shortens the wait. */
  adapter(options?: { baseUrl?: string; timeoutMs?: number }): BillerAdapter;
  /** Where the adapter sends `op` for `product`. */
  route(op: Operation, product: Product): { origin: string; path: string };
  /** What the pipeline would ask about `product` (pay adds the amount and, for IAK, the inquiry handle). */
  target(product: Product): PayTarget;
  /** The `data` of the dialect's genuine answers: a quote or a paid transaction… */
  paid(op: Operation, product: Product): object;
  /** …and a wrong customer number or a definitive payment failure. */
  refused(op: Operation, product: Product): object;
}

/** The short timeout of the timeout facts, and how late the upstream answers then. */
const TIMEOUT_MS = 100;
const LATE_MS = 500;

/** Raw text (garbage, a cut-off answer) as is; anything else in the `{ data }` envelope both dialects use. */
const bodyOf = (reply: string | object): string =>
  typeof reply === 'string' ? reply : JSON.stringify({ data: reply });

export function createHttpUpstream(dialect: HttpDialect) {
  const intercept = (op: Operation, product: Product) => {
    const { origin, path } = dialect.route(op, product);
    return nock(origin).post(path);
  };
  const staged = (product: Product, adapter = dialect.adapter()): Staged<PayTarget> => ({
    adapter,
    input: dialect.target(product),
  });

  async function answer(op: Operation, product: Product, reply: string | object, httpStatus = 200) {
    intercept(op, product).reply(httpStatus, bodyOf(reply), { 'Content-Type': 'application/json' });
    return staged(product);
  }

  /** The upstream answers `op` with the `data` of this fact. */
  function answers(op: Operation, data: (product: Product) => object, httpStatus?: number): Fact<PayTarget> {
    return (product) => () => answer(op, product, data(product), httpStatus);
  }

  /** Like `answers`, for a fact that some product of the dialect cannot produce. */
  function answersWhere(
    op: Operation,
    data: (product: Product) => object | NotApplicable,
  ): Declinable<PayTarget> {
    return (product) => {
      const reply = data(product);
      return isNotApplicable(reply) ? reply : () => answer(op, product, reply);
    };
  }

  /** The request leaves, and the genuine paid answer comes only after the adapter gave up waiting. */
  function timesOut(op: Operation): Fact<PayTarget> {
    return (product) => async () => {
      intercept(op, product)
        .delay(LATE_MS)
        .reply(200, bodyOf(dialect.paid(op, product)));
      return staged(product, dialect.adapter({ timeoutMs: TIMEOUT_MS }));
    };
  }

  /** The request leaves and the socket is reset before any answer. */
  function reset(op: Operation): Fact<PayTarget> {
    return (product) => async () => {
      const hangUp = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      intercept(op, product).replyWithError(hangUp);
      return staged(product);
    };
  }

  /** Nothing listens: the connection is refused before a byte of the request is sent. */
  const refused: Fact<PayTarget> = (product) => async () => {
    const port = await closedPort();
    return staged(product, dialect.adapter({ baseUrl: `http://127.0.0.1:${port}` }));
  };

  function wire(product: Product): WireControl {
    const every = (pick: (op: Operation) => object): Record<Operation, string> => ({
      inquiry: bodyOf(pick('inquiry')),
      pay: bodyOf(pick('pay')),
      status: bodyOf(pick('status')),
    });
    return {
      answer: (op, body, httpStatus) => answer(op, product, body, httpStatus),
      paid: every((op) => dialect.paid(op, product)),
      refused: every((op) => dialect.refused(op, product)),
    };
  }

  return { adapter: () => dialect.adapter(), answer, answers, answersWhere, timesOut, reset, refused, wire };
}

/** nock at the upstream boundary only; loopback stays reachable for the closed-port facts. */
export function useNockUpstream(): void {
  const strays: string[] = [];
  const onNoMatch = (request: unknown): void => {
    const { host, hostname, path } = (request ?? {}) as Record<string, unknown>;
    const name = typeof hostname === 'string' ? hostname : typeof host === 'string' ? host : '?';
    if (!name.startsWith('127.0.0.1')) strays.push(`${name}${typeof path === 'string' ? path : ''}`);
  };
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    nock.emitter.on('no match', onNoMatch);
  });
  afterEach(() => {
    const unasked = nock.pendingMocks();
    const unscripted = strays.splice(0);
    nock.abortPendingRequests();
    nock.cleanAll();
    expect(unasked, 'every scripted upstream answer was asked for').toEqual([]);
    expect(unscripted, 'no request went to a host without a scripted answer').toEqual([]);
  });
  afterAll(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    nock.cleanAll();
    nock.enableNetConnect();
  });
}
