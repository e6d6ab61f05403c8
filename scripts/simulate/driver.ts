/**
 * The members: each planned intent at its time, as a phone app would do it (or, for about one in eight, the kasir
 * at the koperasi's counter taking the bill in cash): inquiry, then pay with the PIN and an Idempotency-Key,
 * retrying with the same key through 5xx answers and dead connections (and, per the plan, racing three copies of
 * the request or cutting the first one off). What the API answered is counted; one key must never
 * give two payments.
 */
import { callRetrying, field, type Answer } from './http.js';
import { sleep } from './net.js';
import type { Intent, PlannedDeposit } from './plan.js';
import { deposit, type World } from './onboarding.js';
import type { Violation } from './report.js';

export interface DriverStats {
  intents: number;
  inquiryAnswers: Record<string, number>;
  payAnswers: Record<string, number>;
  /** Payment id → the intent that created it. */
  payments: Map<string, Intent>;
  unanswered: number;
  deposits: { confirmed: number; unanswered: number };
  violations: Violation[];
}

export const newDriverStats = (): DriverStats => ({
  intents: 0,
  inquiryAnswers: {},
  payAnswers: {},
  payments: new Map(),
  unanswered: 0,
  deposits: { confirmed: 0, unanswered: 0 },
  violations: [],
});

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

const outcomeOf = (answer: Answer) =>
  answer.status === 200 || answer.status === 201 || answer.status === 202
    ? String(answer.status)
    : (field(answer, 'code') ?? String(answer.status));

/**
 * About one intent in eight is a neighbour paying the same bill in cash at the koperasi's counter instead: chosen
 * from the intent's key, so the rest of the plan (and what a seed means) is unchanged.
 */
export const atCounter = (intent: Intent) => parseInt(intent.key.slice(-2), 16) % 8 === 0;

/** Who asks, and where: the member in the app, or the kasir at the desk taking cash. */
function channelOf(world: World, intent: Intent) {
  const kop = world.koperasi[intent.koperasi]!;
  const member = kop.members[intent.member]!;
  return atCounter(intent)
    ? {
        token: kop.kasir.token,
        inquiry: '/v1/counter/inquiries',
        payment: '/v1/counter/payments',
        body: (quoteId: string) => ({ quoteId, funding: 'cash', payerName: 'Tetangga Koperasi' }),
      }
    : {
        token: member.token,
        inquiry: '/v1/inquiries',
        payment: '/v1/payments',
        body: (quoteId: string) => ({ quoteId, pin: member.pin }),
      };
}

async function pay(world: World, intent: Intent, quoteId: string, stats: DriverStats): Promise<void> {
  const channel = channelOf(world, intent);
  const options = { token: channel.token, key: intent.key, body: channel.body(quoteId) };
  const once = (extra: { headers?: Record<string, string>; abortAfterMs?: number } = {}) =>
    callRetrying(world.api, channel.payment, { ...options, ...extra }, world.retries, 60_000);
  let answers: (Answer | undefined)[];
  switch (intent.style) {
    case 'wait':
      answers = [await once({ headers: { prefer: 'wait=5' } })];
      break;
    case 'duplicate':
      answers = await Promise.all([once(), once(), once()]);
      break;
    case 'drop-then-retry':
      answers = [await once({ abortAfterMs: 5 + (parseInt(intent.key.slice(0, 4), 16) % 60) })];
      break;
    default:
      answers = [await once()];
  }
  const ids = new Set<string>();
  for (const answer of answers) {
    if (answer === undefined) {
      stats.unanswered += 1;
      continue;
    }
    bump(stats.payAnswers, outcomeOf(answer));
    const id = answer.status < 300 ? field(answer, 'id') : undefined;
    if (id !== undefined) ids.add(id);
    if (field(answer, 'code') === 'IDEMPOTENCY_CONFLICT') {
      stats.violations.push({
        check: 'idempotency',
        message: `the same request with key ${intent.key} was refused as a conflict`,
      });
    }
  }
  if (ids.size > 1) {
    stats.violations.push({
      check: 'idempotency',
      message: `key ${intent.key} gave ${ids.size} payments: ${[...ids].join(' ')}`,
    });
  }
  for (const id of ids) stats.payments.set(id, intent);
}

export async function runIntent(world: World, intent: Intent, stats: DriverStats): Promise<void> {
  stats.intents += 1;
  const channel = channelOf(world, intent);
  const body: Record<string, unknown> = { product: intent.product, customerNo: intent.customerNo };
  if (intent.denomination !== undefined) body.amount = intent.denomination;
  if (intent.months !== undefined) body.months = intent.months;
  const quote = await callRetrying(
    world.api,
    channel.inquiry,
    { token: channel.token, body },
    world.retries,
    20_000,
  );
  if (quote === undefined) {
    stats.unanswered += 1;
    return;
  }
  bump(stats.inquiryAnswers, outcomeOf(quote));
  const quoteId = quote.status === 201 ? field(quote, 'id') : undefined;
  if (quoteId !== undefined) await pay(world, intent, quoteId, stats);
}

export async function runDeposit(world: World, planned: PlannedDeposit, stats: DriverStats): Promise<void> {
  const member = world.koperasi[planned.koperasi]!.members[planned.member]!;
  if (await deposit(world, member, planned.amount, planned.key)) stats.deposits.confirmed += 1;
  else stats.deposits.unanswered += 1;
}

/**
 * Runs `task` for each item at `startReal + item.at`, never more than `limit` at once (a late one waits for a
 * slot rather than piling up), and resolves when all are done or `stop()` says the load is over.
 */
export async function onSchedule<T extends { at: number }>(
  items: readonly T[],
  startReal: number,
  task: (item: T) => Promise<void>,
  limit = 24,
): Promise<void> {
  const running = new Set<Promise<void>>();
  for (const item of items) {
    await sleep(startReal + item.at - Date.now());
    while (running.size >= limit) await Promise.race(running);
    const p: Promise<void> = task(item)
      .catch(() => undefined)
      .finally(() => running.delete(p));
    running.add(p);
  }
  await Promise.all(running);
}
