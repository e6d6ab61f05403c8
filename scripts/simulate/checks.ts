/**
 * The verdicts against the truth:
 *   1. every ref the upstream keeps money for is `success` in Pintu on the payment carrying that attempt (at the
 *      price the upstream charged), and every Pintu success is debited upstream at its adapter and ref;
 *   2. no ref debited twice, no payment debited at two upstreams;
 *   3. every member's balance = deposits − what the upstream kept (+ holds of open payments);
 *   4. every open payment has a scheduled next step or a person it is listed for;
 *   5. each koperasi's fee and commission income equal the sums over its successes, the platform's mirror of each
 *      upstream deposit equals what the upstream took, and `ledger verify` passes;
 *   6. the counter: each kasir's drawer holds the float plus every cash payment taken (cash stays in the drawer
 *      whatever the upstream did), and the koperasi owes cash customers exactly the totals of their failed or
 *      refunded payments (nobody hands cash back during the run).
 */
import type { MemberHandle, World } from './onboarding.js';
import type { Evidence, PaymentRow } from './evidence.js';
import { memberKey } from './evidence.js';
import type { Violation } from './report.js';
import type { TruthTransaction } from './truth.js';

const OPEN = new Set(['processing', 'suspect']);
/** Sandbox default deposit at each upstream (SANDBOX_INITIAL_DEPOSIT). */
const INITIAL_DEPOSIT = 1_000_000_000_000;

export interface CheckNotes {
  /**
   * Successes the upstream refunded after the reconciled day without a signed callback Pintu could act on: only
   * tomorrow's settlement file tells. Counted as kept by the upstream (what Pintu can know) in checks 3 and 5.
   */
  refundsAwaitingRecon: { paymentId: string; ref: string; price: number; callbacks: string }[];
}

/**
 * A refund Pintu cannot have known yet: it happened after the reconciled day, and no callback about it was
 * delivered. A delivered notice (signed, or IAK's notify-only one) makes Pintu ask the upstream's status, which
 * then says "refunded"; when that question fails Pintu refuses the notice so it comes again, so a delivered
 * notice must have been acted on.
 */
function refundNotYetKnowable(txn: TruthTransaction, reconciledDay: string): boolean {
  const refund = txn.finals.find((f) => f.status === 'REFUNDED');
  if (refund === undefined || refund.date <= reconciledDay) return false;
  return !txn.callbacks.some((c) => c.state === 'refunded' && c.fate === 'delivered');
}

function checkOutcomes(e: Evidence, reconciledDay: string, v: Violation[], notes: CheckNotes): void {
  const payments = new Map(e.payments.map((p) => [p.id, p]));
  const attemptByRef = new Map(e.attempts.map((a) => [`${a.adapter}:${a.ref_id}`, a]));
  for (const dialect of ['digiflazz', 'iak'] as const) {
    for (const txn of e.truth.truth[dialect].transactions) {
      if (!txn.debited) continue;
      const attempt = attemptByRef.get(`${dialect}:${txn.refId}`);
      if (attempt === undefined) {
        v.push({
          check: '1',
          message: `${dialect} took ${txn.price} for ref ${txn.refId}, which Pintu never sent`,
        });
        continue;
      }
      const p = payments.get(attempt.payment_id);
      const where = `${dialect} ref ${txn.refId} (${txn.state}, scenario ${txn.scenario})`;
      if (p === undefined)
        v.push({
          check: '1',
          paymentId: attempt.payment_id,
          message: `${where} is debited but its payment is gone`,
        });
      else if (p.status !== 'success')
        v.push({
          check: '1',
          paymentId: p.id,
          message: `${where} is debited upstream but Pintu says ${p.status}`,
        });
      else if (p.adapter !== dialect || p.ref_id !== txn.refId) {
        v.push({
          check: '1',
          paymentId: p.id,
          message: `${where} is debited but Pintu's success names ${p.adapter} ref ${p.ref_id}`,
        });
      } else if (Number(p.price) !== txn.price) {
        v.push({
          check: '1',
          paymentId: p.id,
          message: `${where}: Pintu posted price ${p.price}, the upstream took ${txn.price}`,
        });
      }
    }
  }
  for (const p of e.payments) {
    if (p.status !== 'success' && p.status !== 'refunded') continue;
    const txn = e.truth.get(p.adapter, p.ref_id);
    if (p.status === 'refunded') {
      if (txn?.debited === true)
        v.push({
          check: '1',
          paymentId: p.id,
          message: `refunded in Pintu but ${p.adapter} ref ${p.ref_id} is still debited`,
        });
      continue;
    }
    if (txn?.debited === true) continue;
    if (txn !== undefined && txn.state === 'refunded' && refundNotYetKnowable(txn, reconciledDay)) {
      const callbacks = txn.callbacks.map((c) => `${c.event}:${c.state}:${c.fate}`).join(',');
      notes.refundsAwaitingRecon.push({
        paymentId: p.id,
        ref: `${p.adapter}:${p.ref_id}`,
        price: txn.price,
        callbacks,
      });
      continue;
    }
    const history =
      txn === undefined
        ? ''
        : ` [finals ${txn.finals.map((f) => `${f.status}@${f.at}`).join(' ')}; callbacks ${txn.callbacks.map((c) => `${c.event}:${c.state}:${c.fate}`).join(' ')}]`;
    v.push({
      check: '1',
      paymentId: p.id,
      message: `success in Pintu but ${p.adapter} ref ${p.ref_id} is ${txn?.state ?? 'not recorded'} upstream (not debited)${history}`,
    });
  }
}

function checkDoubleDebits(e: Evidence, v: Violation[]): void {
  for (const ref of e.truth.truth.doubleDebits)
    v.push({ check: '2', message: `upstream ref ${ref} was debited more than once` });
  const debitedRefs = new Map<string, string[]>();
  for (const a of e.attempts) {
    const txn = e.truth.get(a.adapter, a.ref_id);
    if (txn !== undefined && txn.debits > 1)
      v.push({
        check: '2',
        paymentId: a.payment_id,
        message: `${a.adapter} ref ${a.ref_id} debited ${txn.debits} times`,
      });
    if (txn?.debited === true)
      debitedRefs.set(a.payment_id, [...(debitedRefs.get(a.payment_id) ?? []), `${a.adapter}:${a.ref_id}`]);
  }
  for (const [paymentId, refs] of debitedRefs) {
    if (refs.length > 1)
      v.push({ check: '2', paymentId, message: `debited at more than one upstream: ${refs.join(' ')}` });
  }
}

function checkBalances(e: Evidence, world: World, v: Violation[], awaiting: ReadonlySet<string>): void {
  const kept = (p: PaymentRow) =>
    awaiting.has(p.id) ||
    e.attempts.some((a) => a.payment_id === p.id && e.truth.get(a.adapter, a.ref_id)?.debited === true);
  const byMember = new Map<string, PaymentRow[]>();
  for (const p of e.payments) {
    if (p.member_no === null) continue; // cash at the counter: no member's savings involved
    byMember.set(memberKey(p.koperasi_code, p.member_no), [
      ...(byMember.get(memberKey(p.koperasi_code, p.member_no)) ?? []),
      p,
    ]);
  }
  const members: { code: string; member: MemberHandle }[] = world.koperasi.flatMap((k) =>
    k.members.map((member) => ({ code: k.code, member })),
  );
  for (const { code, member } of members) {
    const key = memberKey(code, member.memberNo);
    const own = byMember.get(key) ?? [];
    const settledKept = own
      .filter((p) => !OPEN.has(p.status) && kept(p))
      .reduce((s, p) => s + Number(p.total), 0);
    const held = own.filter((p) => OPEN.has(p.status)).reduce((s, p) => s + Number(p.total), 0);
    const balance = member.deposited - settledKept;
    const seen = e.balances.get(key);
    if (member.unconfirmed.length > 0)
      v.push({
        check: '3',
        message: `${key}: ${member.unconfirmed.length} deposit(s) never answered, even on replay`,
      });
    if (seen === undefined) v.push({ check: '3', message: `${key}: GET /v1/me did not answer` });
    else if (seen.balance !== balance || seen.available !== balance - held) {
      v.push({
        check: '3',
        message: `${key}: balance ${seen.balance} / available ${seen.available}, expected ${balance} / ${balance - held} (deposits ${member.deposited}, kept upstream ${settledKept}, held ${held})`,
      });
    }
  }
}

function checkAttended(e: Evidence, v: Violation[]): void {
  const fromVerify = e.verify?.checks.find((c) => c.name === 'open_payments_attended');
  if (fromVerify !== undefined) {
    for (const breach of fromVerify.breaches) {
      const id = breach.payment_id ?? breach.id;
      v.push({
        check: '4',
        ...(typeof id === 'string' ? { paymentId: id } : {}),
        message: `open with no scheduled step and no person: ${JSON.stringify(breach)}`,
      });
    }
    return;
  }
  for (const p of e.payments) {
    if (OPEN.has(p.status) && !p.has_outbox && p.review_reason === null) {
      v.push({ check: '4', paymentId: p.id, message: `${p.status} with no outbox row and no review reason` });
    }
  }
}

function checkIncome(e: Evidence, v: Violation[], awaiting: CheckNotes['refundsAwaitingRecon']): void {
  const expected = new Map<string, { fee: number; commission: number }>();
  for (const p of e.payments) {
    const sums = expected.get(p.koperasi_code) ?? { fee: 0, commission: 0 };
    if (p.status === 'success') {
      sums.fee += Number(p.koperasi_fee);
      sums.commission += Number(p.total) - Number(p.koperasi_fee) - Number(p.price);
    }
    expected.set(p.koperasi_code, sums);
  }
  for (const [code, sums] of expected) {
    const ledger = e.income.get(code) ?? {};
    const fee = ledger.fee_income ?? 0;
    const commission = ledger.commission_income ?? 0;
    if (fee !== sums.fee)
      v.push({
        check: '5',
        message: `${code}: fee_income ${fee}, successes' koperasi fees sum to ${sums.fee}`,
      });
    if (commission !== sums.commission)
      v.push({
        check: '5',
        message: `${code}: commission_income ${commission}, successes' commissions sum to ${sums.commission}`,
      });
  }
  for (const dialect of ['digiflazz', 'iak'] as const) {
    const refundsToCome = awaiting
      .filter((a) => a.ref.startsWith(`${dialect}:`))
      .reduce((sum, a) => sum + a.price, 0);
    const taken = INITIAL_DEPOSIT - e.truth.truth[dialect].balance + refundsToCome;
    const mirrored = -(e.depositMirror[dialect] ?? 0);
    if (taken !== mirrored)
      v.push({
        check: '5',
        message: `${dialect}: the upstream holds ${taken} of our deposit, Pintu's upstream_deposit mirror says ${mirrored}`,
      });
  }
  if (e.verify === undefined)
    v.push({ check: '5', message: e.verifyError ?? 'ledger verify gave no report' });
  for (const c of e.verify?.checks ?? []) {
    if (c.ok || c.name === 'open_payments_attended') continue;
    v.push({ check: '5', message: `ledger verify ${c.name}: ${JSON.stringify(c.breaches.slice(0, 3))}` });
  }
}

function checkCounter(e: Evidence, world: World, v: Violation[]): void {
  for (const kop of world.koperasi) {
    const cash = e.payments.filter((p) => p.koperasi_code === kop.code && p.funding === 'cash');
    const taken = cash.reduce((s, p) => s + Number(p.total), 0);
    const owed = cash
      .filter((p) => p.status === 'failed' || p.status === 'refunded')
      .reduce((s, p) => s + Number(p.total), 0);
    const ledger = e.income.get(kop.code) ?? {};
    const drawer = ledger.cash_drawer ?? 0;
    const funds = ledger.counter_customer_funds ?? 0;
    if (drawer !== kop.kasir.float + taken)
      v.push({
        check: '6',
        message: `${kop.code}: the drawer holds ${drawer}, expected the float ${kop.kasir.float} + ${cash.length} cash payments ${taken}`,
      });
    if (funds !== owed)
      v.push({
        check: '6',
        message: `${kop.code}: the koperasi owes cash customers ${funds}, their failed or refunded payments total ${owed}`,
      });
  }
}

export function runChecks(
  e: Evidence,
  world: World,
  reconciledDay: string,
): { violations: Violation[]; notes: CheckNotes } {
  const violations: Violation[] = [];
  const notes: CheckNotes = { refundsAwaitingRecon: [] };
  checkOutcomes(e, reconciledDay, violations, notes);
  checkDoubleDebits(e, violations);
  checkBalances(e, world, violations, new Set(notes.refundsAwaitingRecon.map((a) => a.paymentId)));
  checkAttended(e, violations);
  checkIncome(e, violations, notes.refundsAwaitingRecon);
  checkCounter(e, world, violations);
  return { violations, notes };
}
