/**
 * Everything the checks compare, read at the end: the sandbox's truth, Pintu's payments, attempts and ledger
 * (direct SQL on the private cluster), each member's balances as `GET /v1/me` shows them, and `pintu ledger
 * verify --json`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { call } from './http.js';
import type { World } from './onboarding.js';
import { deposit } from './onboarding.js';
import { ROOT } from './processes.js';
import type { Stack } from './stack.js';
import { readTruth, type TruthIndex } from './truth.js';

const exec = promisify(execFile);

export interface PaymentRow {
  id: string;
  koperasi_id: string;
  /** Null for cash at the counter by a non-member. */
  member_id: string | null;
  member_no: string | null;
  koperasi_code: string;
  funding: 'savings' | 'cash';
  status: string;
  adapter: string;
  ref_id: string;
  total: string;
  koperasi_fee: string;
  price: string;
  review_reason: string | null;
  has_outbox: boolean;
}

export interface AttemptRow {
  payment_id: string;
  attempt_no: number;
  adapter: string;
  ref_id: string;
  state: string;
}

export interface VerifyCheckResult {
  name: string;
  ok: boolean;
  breaches: Record<string, unknown>[];
}

export interface Evidence {
  truth: TruthIndex;
  payments: PaymentRow[];
  attempts: AttemptRow[];
  /** Koperasi code → account code → balance. */
  income: Map<string, Record<string, number>>;
  /** Adapter → the platform's upstream_deposit balance. */
  depositMirror: Record<string, number>;
  /** memberNo (with koperasi code) → /v1/me balance and available. */
  balances: Map<string, { balance: number; available: number }>;
  verify: { ok: boolean; checks: VerifyCheckResult[] } | undefined;
  verifyError?: string;
  reviewColumn: boolean;
}

export const memberKey = (koperasiCode: string, memberNo: string) => `${koperasiCode}/${memberNo}`;

async function ledgerVerify(stack: Stack): Promise<{ report?: Evidence['verify']; error?: string }> {
  // `npm run --silent pintu -- ledger verify --json`; exit 1 means a breach, and the JSON still says which.
  const result = await exec('npm', ['run', '--silent', 'pintu', '--', 'ledger', 'verify', '--json'], {
    cwd: ROOT,
    env: { ...process.env, ...stack.env },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => ({
    stdout: error.stdout ?? '',
    stderr: error.stderr ?? error.message,
  }));
  try {
    return { report: JSON.parse(result.stdout) as Evidence['verify'] };
  } catch {
    return { error: `ledger verify printed no JSON: ${result.stderr.slice(0, 500)}` };
  }
}

export async function gatherEvidence(stack: Stack, world: World): Promise<Evidence> {
  // A deposit whose answer never came is asked again with its key: the replay says whether it happened.
  for (const kop of world.koperasi) {
    for (const member of kop.members) {
      for (const pending of member.unconfirmed.splice(0))
        await deposit(world, member, pending.amount, pending.key, 120_000);
    }
  }
  const reviewColumn =
    (
      await stack.db.query(
        `SELECT 1 FROM information_schema.columns WHERE table_name = 'payments' AND column_name = 'review_reason'`,
      )
    ).rows.length > 0;
  const payments = await stack.db.query<PaymentRow>(`
    SELECT p.id, p.koperasi_id, p.member_id, u.username AS member_no, k.code AS koperasi_code, p.funding, p.status, p.adapter, p.ref_id,
           p.total::text, p.koperasi_fee::text, p.price::text, ${reviewColumn ? 'p.review_reason' : 'NULL::text AS review_reason'},
           EXISTS (SELECT 1 FROM outbox o WHERE o.payment_id = p.id) AS has_outbox
      FROM payments p LEFT JOIN users u ON u.id = p.member_id JOIN koperasi k ON k.id = p.koperasi_id ORDER BY p.created_at, p.id`);
  const attempts = await stack.db.query<AttemptRow>(
    `SELECT payment_id, attempt_no, adapter, ref_id, state FROM payment_attempts ORDER BY payment_id, attempt_no`,
  );
  const accounts = await stack.db.query<{ koperasi: string | null; code: string; balance: string }>(`
    SELECT k.code AS koperasi, a.code, sum(b.balance)::text AS balance
      FROM accounts a JOIN books bk ON bk.id = a.book_id LEFT JOIN koperasi k ON k.id = bk.koperasi_id
      JOIN account_balances b ON b.account_id = a.id
     WHERE a.code IN ('fee_income', 'commission_income', 'counter_customer_funds') OR a.code LIKE 'upstream_deposit:%'
     GROUP BY k.code, a.code
     UNION ALL
    SELECT k.code, 'cash_drawer', sum(b.balance)::text
      FROM accounts a JOIN books bk ON bk.id = a.book_id JOIN koperasi k ON k.id = bk.koperasi_id
      JOIN account_balances b ON b.account_id = a.id
     WHERE a.code LIKE 'cash_drawer:%'
     GROUP BY k.code`);
  const income = new Map<string, Record<string, number>>();
  const depositMirror: Record<string, number> = {};
  for (const row of accounts.rows) {
    if (row.code.startsWith('upstream_deposit:'))
      depositMirror[row.code.slice('upstream_deposit:'.length)] = Number(row.balance);
    else if (row.koperasi !== null)
      income.set(row.koperasi, { ...income.get(row.koperasi), [row.code]: Number(row.balance) });
  }
  const balances = new Map<string, { balance: number; available: number }>();
  for (const kop of world.koperasi) {
    for (const member of kop.members) {
      const me = await call(world.api, '/v1/me', { token: member.token, timeoutMs: 15_000 });
      const body = me.body as { balance?: number; available?: number };
      if (me.status === 200 && typeof body.balance === 'number' && typeof body.available === 'number') {
        balances.set(memberKey(kop.code, member.memberNo), {
          balance: body.balance,
          available: body.available,
        });
      }
    }
  }
  const verify = await ledgerVerify(stack);
  return {
    truth: await readTruth(stack.sandboxUrl),
    payments: payments.rows,
    attempts: attempts.rows,
    income,
    depositMirror,
    balances,
    verify: verify.report,
    ...(verify.error !== undefined ? { verifyError: verify.error } : {}),
    reviewColumn,
  };
}
