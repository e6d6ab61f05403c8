/**
 * Transparency as the cooperative office, a koperasi's pengawas and its members use it: region-scoped office
 * figures that agree with the ledger, read-only roles, the audit log viewer, the member's totals page without
 * personal data, and signed checkpoints that verify with the published key.
 */
import { randomUUID, verify as verifySignature, createPublicKey } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import type { Clock } from '../../src/clock.js';
import { SETTLEMENT_HEADER } from '../../src/recon/ingest.js';
import { buildDailyReport } from '../../src/reports/daily.js';
import { takeCheckpoints } from '../../src/transparency/checkpoints.js';
import { dailyLedgerJob } from '../../src/transparency/jobs.js';
import { runVerification } from '../../src/transparency/verification.js';
import {
  ADMIN,
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  bearer,
  givenApp,
  givenKoperasi,
  givenMember,
  givenOfficeUser,
  givenPengawas,
  quoteAndPay,
  waitForPayment,
} from '../helpers/app.js';

let t: TestApp;
let primary: FakeAdapter;
let bandung: GivenKoperasi;
let bandungTwo: GivenKoperasi;
let bogor: GivenKoperasi;
let member: GivenMember;
let supervisor: { token: string };
let pengawas: { token: string };
let now: Date | undefined;
const clock: Clock = { now: () => now ?? new Date() };

const PLN = { product: 'PLN_POSTPAID', customerNo: '530000001234' };
// Fake default bill: 100 000 + 2 500 admin; koperasi fee 1 000 → total 103 500.
const TOTAL = 103_500;

const get = async <T = Record<string, unknown>>(token: string, url: string) => {
  const response = await t.app.inject({ url, headers: bearer(token) });
  if (response.statusCode !== 200) throw new Error(`GET ${url}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
};

interface OfficeRow {
  id: string;
  code: string;
  today: { payments: number; total: number; feeIncome: number; deposits: number };
  month: { payments: number; total: number; feeIncome: number; deposits: number };
  members: number;
  activeMembers: number;
  suspects: { open: number; oldestMinutes: number | null };
  problems: string[];
  ledger: { checkpointDay: string | null; verified: boolean | null; fingerprint: string | null };
}

beforeAll(async () => {
  primary = createFakeAdapter({ name: 'digiflazz' });
  t = await givenApp({ adapters: [primary], clock, workers: true });
  bandung = await givenKoperasi(t, undefined, { region: 'Kota Bandung' });
  bandungTwo = await givenKoperasi(t, undefined, { region: 'Kota Bandung' });
  bogor = await givenKoperasi(t, undefined, { region: 'Kabupaten Bogor' });
  member = await givenMember(t, bandung, { balance: 500_000n });
  supervisor = await givenOfficeUser(t, 'supervisor', 'Kota Bandung');
  pengawas = await givenPengawas(t, bandung);
  const paid = await quoteAndPay(t, member, PLN);
  await waitForPayment(t, member.token, paid.id, ['success']);
});

afterAll(async () => {
  await t?.close();
});

describe('the office console', () => {
  it("shows every koperasi of the supervisor's region, and only those, with figures that match the payment", async () => {
    const { koperasi } = await get<{ koperasi: OfficeRow[] }>(supervisor.token, '/v1/office/koperasi');
    expect(koperasi.map((k) => k.code).sort()).toEqual([bandung.code, bandungTwo.code].sort());
    const row = koperasi.find((k) => k.code === bandung.code)!;
    expect(row.today).toMatchObject({ payments: 1, total: TOTAL, feeIncome: 1_000, deposits: 500_000 });
    expect(row.month).toMatchObject({ payments: 1, total: TOTAL, feeIncome: 1_000 });
    expect(row).toMatchObject({ members: 1, activeMembers: 1, suspects: { open: 0, oldestMinutes: null } });
    const quiet = koperasi.find((k) => k.code === bandungTwo.code)!;
    expect(quiet.today).toMatchObject({ payments: 0, total: 0, feeIncome: 0, deposits: 0 });
  });

  it('answers 404 for a koperasi of another region, on every office route', async () => {
    for (const url of [
      `/v1/office/koperasi/${bogor.id}`,
      `/v1/office/koperasi/${bogor.id}/audit`,
      `/v1/transparency/checkpoints?koperasi=${bogor.id}`,
    ]) {
      const response = await t.app.inject({ url, headers: bearer(supervisor.token) });
      expect(response.statusCode, url).toBe(404);
    }
  });

  it('gives an operator account every koperasi, and audits what the operator does by name', async () => {
    const operator = await givenOfficeUser(t, 'operator');
    const { koperasi } = await get<{ koperasi: OfficeRow[] }>(operator.token, '/v1/office/koperasi');
    expect(koperasi.map((k) => k.code)).toEqual(expect.arrayContaining([bandung.code, bogor.code]));
    const code = `kop-op-${randomUUID().slice(0, 6)}`;
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/koperasi',
      headers: bearer(operator.token),
      payload: {
        code,
        name: 'Koperasi Baru',
        region: 'Kota Bandung',
        treasurer: { username: 'bendahara', password: 'rahasia-bendahara-1' },
      },
    });
    expect(created.statusCode).toBe(201);
    const audit = await get<{ items: { action: string; actorType: string; actorName: string | null }[] }>(
      operator.token,
      `/v1/office/koperasi/${created.json<{ id: string }>().id}/audit`,
    );
    expect(audit.items).toContainEqual(
      expect.objectContaining({
        action: 'koperasi.create',
        actorType: 'operator',
        actorName: `Petugas ${operator.username}`,
      }),
    );
    // A supervisor cannot create accounts or koperasi.
    for (const [url, payload] of [
      [
        '/v1/office/supervisors',
        { username: 'x-sup', name: 'X', password: 'rahasia-xx-1', region: 'Kota Bandung' },
      ],
      ['/v1/office/operators', { username: 'x-op', name: 'X', password: 'rahasia-xx-1' }],
      [
        '/v1/koperasi',
        { code: 'kop-x', name: 'X', treasurer: { username: 'bendahara', password: 'rahasia-bendahara-1' } },
      ],
    ] as const) {
      const response = await t.app.inject({
        method: 'POST',
        url,
        headers: bearer(supervisor.token),
        payload,
      });
      expect(response.statusCode, url).toBe(403);
    }
  });

  it('records which operator uploaded a settlement file', async () => {
    const operator = await givenOfficeUser(t, 'operator');
    const upload = await t.app.inject({
      method: 'POST',
      url: '/v1/reconciliations/digiflazz/2026-11-02',
      headers: { ...bearer(operator.token), 'content-type': 'text/csv' },
      payload: `${SETTLEMENT_HEADER}\nTOTAL,0,0,0\n`,
    });
    expect(upload.statusCode, upload.body).toBe(200);
    const audit = await t.deps.db.execute<{ actor_type: string; actor_id: string; subject_id: string }>(sql`
      SELECT actor_type, actor_id, subject_id FROM audit_log WHERE action = 'reconciliation.upload'`);
    expect(audit.rows).toEqual([
      {
        actor_type: 'operator',
        actor_id: operator.id,
        subject_id: upload.json<{ recon: { runId: string } }>().recon.runId,
      },
    ]);
  });

  it("shows a koperasi's detail: fee income per day, product mix, reconciliation and its latest payments", async () => {
    const detail = await get<{
      feeIncomeByDay: { day: string; amount: number }[];
      productMix: { product: string; payments: number; total: number }[];
      feed: { status: string; total: number }[];
    }>(supervisor.token, `/v1/office/koperasi/${bandung.id}`);
    expect(detail.feeIncomeByDay).toHaveLength(30);
    expect(detail.feeIncomeByDay.at(-1)!.amount).toBe(1_000);
    expect(detail.productMix).toEqual([
      expect.objectContaining({ product: 'PLN_POSTPAID', payments: 1, total: TOTAL }),
    ]);
    expect(detail.feed).toEqual([expect.objectContaining({ status: 'success', total: TOTAL })]);
  });

  it('marks a koperasi whose suspect payment has waited too long, and only that one', async () => {
    const other = await givenKoperasi(t, undefined, { region: 'Kota Bandung' });
    const waiting = await givenMember(t, other, { balance: 200_000n });
    primary.onPay('*', { kind: 'suspect', rc: '03', message: 'Pending' });
    primary.onStatus('*', { kind: 'suspect', rc: '03', message: 'Pending' });
    try {
      const paid = await quoteAndPay(t, waiting, { ...PLN, customerNo: '530000009999' });
      await waitForPayment(t, waiting.token, paid.id, ['suspect']);
      now = new Date(Date.now() + (t.config.SUSPECT_ALERT_MINUTES + 5) * 60_000);
      const { koperasi } = await get<{ koperasi: OfficeRow[] }>(supervisor.token, '/v1/office/koperasi');
      const flagged = koperasi.find((k) => k.code === other.code)!;
      expect(flagged.suspects.open).toBe(1);
      expect(flagged.suspects.oldestMinutes).toBeGreaterThanOrEqual(t.config.SUSPECT_ALERT_MINUTES);
      expect(flagged.problems).toContain('stale_suspects');
      expect(koperasi.find((k) => k.code === bandung.code)!.problems).not.toContain('stale_suspects');
    } finally {
      now = undefined;
      primary.reset();
    }
  });

  it('files a monthly region summary as XLSX whose totals agree with the console', async () => {
    const response = await t.app.inject({
      url: '/v1/office/summary?format=xlsx',
      headers: bearer(supervisor.token),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(
      /attachment; filename="ringkasan-kota-bandung-\d{4}-\d{2}\.xlsx"/,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    book.getWorksheet('Ringkasan')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const line = rows.find((r) => r[0] === bandung.code)!;
    expect(line.slice(2, 5)).toEqual([1, TOTAL, 1_000]);
    expect(rows.some((r) => r[0] === bogor.code)).toBe(false);
    const pdf = await t.app.inject({
      url: '/v1/office/summary?format=pdf',
      headers: bearer(supervisor.token),
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('the pengawas', () => {
  it('reads what the treasurer reads', async () => {
    const payments = await get<{ items: unknown[] }>(pengawas.token, '/v1/payments');
    expect(payments.items).toHaveLength(1);
    const members = await get<{ items: { memberNo: string }[] }>(pengawas.token, '/v1/members');
    expect(members.items.map((m) => m.memberNo)).toEqual([member.memberNo]);
    await get(pengawas.token, '/v1/fees');
    await get(pengawas.token, '/v1/reconciliations?date=2026-12-01');
    await get(pengawas.token, '/v1/audit');
    expect(await get(pengawas.token, '/v1/me')).toMatchObject({ role: 'pengawas' });
  });

  it("reads the treasurer's day at a glance, which a member may not", async () => {
    for (const token of [bandung.treasurerToken, pengawas.token]) {
      expect(await get(token, '/v1/today')).toMatchObject({
        today: { payments: 1, total: TOTAL, feeIncome: 1_000, deposits: 500_000 },
        suspects: { open: 0, oldestMinutes: null },
        reviewItems: 0,
      });
    }
    const asMember = await t.app.inject({ url: '/v1/today', headers: bearer(member.token) });
    expect(asMember.statusCode).toBe(403);
  });

  it('changes nothing: every write is refused with 403', async () => {
    const writes: [string, string, unknown][] = [
      ['POST', '/v1/members', { memberNo: 'Z-1', name: 'Z', password: 'rahasia-zz-1', pin: '123456' }],
      ['POST', `/v1/members/${member.memberNo}/deposits`, { amount: 1_000, reference: 'x' }],
      ['POST', `/v1/members/${member.memberNo}/unlock-pin`, {}],
      ['PUT', '/v1/fees/PLN_POSTPAID', { amount: 0 }],
      ['POST', `/v1/payments/${randomUUID()}/resolve`, { outcome: 'failed', reason: 'x' }],
      ['POST', '/v1/pengawas', { username: 'pengawas-2', name: 'P', password: 'rahasia-pp-1' }],
      ['POST', '/v1/inquiries', PLN],
    ];
    for (const [method, url, payload] of writes) {
      const response = await t.app.inject({
        method: method as 'POST',
        url,
        headers: { ...bearer(pengawas.token), 'idempotency-key': randomUUID() },
        payload: payload as Record<string, unknown>,
      });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
  });
});

describe('the audit log viewer', () => {
  it('lists who did what with names, filters by actor and action, and pages', async () => {
    const all = await get<{
      items: { action: string; actorType: string; actorName: string | null }[];
      nextCursor: string | null;
    }>(bandung.treasurerToken, '/v1/audit');
    expect(all.items.map((i) => i.action)).toEqual(
      expect.arrayContaining(['koperasi.create', 'member.create', 'savings.deposit', 'pengawas.create']),
    );
    expect(all.items.find((i) => i.action === 'member.create')).toMatchObject({
      actorType: 'treasurer',
      actorName: 'bendahara',
    });
    const onlyMembers = await get<{ items: { action: string }[] }>(
      bandung.treasurerToken,
      '/v1/audit?action=member.',
    );
    expect(onlyMembers.items.length).toBeGreaterThan(0);
    expect(onlyMembers.items.every((i) => i.action.startsWith('member.'))).toBe(true);
    const byAdmin = await get<{ items: { actorType: string }[] }>(
      bandung.treasurerToken,
      '/v1/audit?actor=admin',
    );
    expect(byAdmin.items.map((i) => i.actorType)).toEqual(['admin']);

    const first = await get<{ items: { id: string }[]; nextCursor: string | null }>(
      bandung.treasurerToken,
      '/v1/audit?limit=2',
    );
    expect(first.items).toHaveLength(2);
    const second = await get<{ items: { id: string }[] }>(
      bandung.treasurerToken,
      `/v1/audit?limit=2&cursor=${first.nextCursor!}`,
    );
    expect(
      second.items[0]!.id < first.items[1]!.id || BigInt(second.items[0]!.id) < BigInt(first.items[1]!.id),
    ).toBe(true);
    // Another koperasi's trail is not there.
    const other = await get<{ items: { subjectId: string }[] }>(bogor.treasurerToken, '/v1/audit');
    expect(other.items.some((i) => i.subjectId === bandung.id)).toBe(false);
  });

  it('refuses bad filters with 400 and members with 403', async () => {
    for (const query of [
      'from=2026-13-01',
      'actor=robot',
      'cursor=abc',
      'limit=0',
      'from=2026-12-05&to=2026-12-01',
    ]) {
      const response = await t.app.inject({
        url: `/v1/audit?${query}`,
        headers: bearer(bandung.treasurerToken),
      });
      expect(response.statusCode, query).toBe(400);
    }
    const asMember = await t.app.inject({ url: '/v1/audit', headers: bearer(member.token) });
    expect(asMember.statusCode).toBe(403);
  });
});

describe('the member transparency page', () => {
  it("shows the koperasi's totals of today and this month, and no one's personal data", async () => {
    const response = await t.app.inject({ url: '/v1/transparency/summary', headers: bearer(member.token) });
    expect(response.statusCode).toBe(200);
    const summary = response.json();
    expect(summary).toMatchObject({
      today: { payments: 1, total: TOTAL, feeIncome: 1_000 },
      month: {
        payments: 1,
        total: TOTAL,
        feeIncome: 1_000,
        byProduct: [{ product: 'PLN_POSTPAID', category: 'electricity', payments: 1 }],
      },
    });
    for (const personal of [
      member.memberNo,
      PLN.customerNo,
      PLN.customerNo.slice(-4),
      `Anggota ${member.memberNo}`,
      member.id,
    ])
      expect(response.body).not.toContain(personal);
  });
});

describe('signed checkpoints', () => {
  it('are taken once per book and day, list only the caller’s books, and verify with the published key', async () => {
    const day = '2026-12-01';
    const first = await takeCheckpoints(
      { db: t.deps.db, signer: t.deps.signer, now: new Date() },
      { day, kind: 'daily' },
    );
    const again = await takeCheckpoints(
      { db: t.deps.db, signer: t.deps.signer, now: new Date() },
      { day, kind: 'daily' },
    );
    expect(first.length).toBeGreaterThanOrEqual(4); // the platform's book and each koperasi's
    expect(again).toEqual([]);

    const key = await t.app.inject({ url: '/.well-known/pintu-ledger-key.json' });
    expect(key.statusCode).toBe(200);
    const publicKey = createPublicKey(key.json<{ publicKeyPem: string }>().publicKeyPem);

    const listed = await get<{
      checkpoints: { koperasiId: string; day: string; payload: string; signature: string; entries: number }[];
    }>(bandung.treasurerToken, '/v1/transparency/checkpoints');
    expect(listed.checkpoints.map((c) => c.koperasiId)).toEqual([bandung.id]);
    const cp = listed.checkpoints[0]!;
    expect(cp.day).toBe(day);
    expect(cp.entries).toBeGreaterThan(0);
    expect(
      verifySignature(null, Buffer.from(cp.payload), publicKey, Buffer.from(cp.signature, 'base64')),
    ).toBe(true);
    const forged = cp.payload.replace(/"entries":"\d+"/, '"entries":"1"');
    expect(verifySignature(null, Buffer.from(forged), publicKey, Buffer.from(cp.signature, 'base64'))).toBe(
      false,
    );

    // The daily report carries the checkpoint's fingerprint; the office sees the same one.
    const report = await buildDailyReport(t.deps, { id: bandung.id }, day);
    const { koperasi } = await get<{ koperasi: OfficeRow[] }>(supervisor.token, '/v1/office/koperasi');
    expect(report.checkpoint?.fingerprint).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
    expect(koperasi.find((k) => k.code === bandung.code)!.ledger.fingerprint).toBe(
      report.checkpoint!.fingerprint,
    );
  });

  it('the daily job checkpoints the day that ended and records a passing verification for the member to see', async () => {
    now = new Date('2026-12-03T17:10:00Z'); // 00:10 WIB on 4 December
    try {
      const result = await dailyLedgerJob(t.deps);
      expect(result).toMatchObject({ day: '2026-12-03', verified: true });
      expect(result.checkpoints).toBeGreaterThanOrEqual(4);
      expect((await dailyLedgerJob(t.deps)).checkpoints).toBe(0);
    } finally {
      now = undefined;
    }
    const summary = await get<{ checkpoint: { day: string } | null; verification: { ok: boolean } | null }>(
      member.token,
      '/v1/transparency/summary',
    );
    expect(summary.checkpoint?.day).toBe('2026-12-03');
    expect(summary.verification?.ok).toBe(true);
  });

  it('a failed verification marks the koperasi whose book broke, and not the others', async () => {
    const victim = await givenKoperasi(t, undefined, { region: 'Kota Bandung' });
    await givenMember(t, victim, { balance: 10_000n });
    await runVerification(t.deps, { source: 'worker' });
    const entry = await t.database.superuser<{ id: string }>(
      `SELECT e.id::text FROM entries e JOIN books b ON b.id = e.book_id WHERE b.koperasi_id = $1 ORDER BY e.id DESC LIMIT 1`,
      [victim.id],
    );
    await t.database.superuser(
      `BEGIN; SET LOCAL session_replication_role = replica; UPDATE entries SET amount = amount + 1 WHERE id = $1; COMMIT;`.replace(
        '$1',
        entry.rows[0]!.id,
      ),
    );
    try {
      const run = await runVerification(t.deps, { source: 'worker' });
      expect(run.ok).toBe(false);
      const { koperasi } = await get<{ koperasi: OfficeRow[] }>(supervisor.token, '/v1/office/koperasi');
      expect(koperasi.find((k) => k.code === victim.code)!.problems).toContain('verification_failed');
      expect(koperasi.find((k) => k.code === bandung.code)!.problems).not.toContain('verification_failed');
    } finally {
      await t.database.superuser(
        `BEGIN; SET LOCAL session_replication_role = replica; UPDATE entries SET amount = amount - 1 WHERE id = ${entry.rows[0]!.id}; COMMIT;`,
      );
      await runVerification(t.deps, { source: 'worker' });
    }
    const rows = await t.deps.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ledger_verifications WHERE NOT ok`,
    );
    expect(rows.rows[0]!.n).toBe(1);
  });
});

describe('dates that do not exist', () => {
  it('are refused with 400 by the checkpoint and audit filters, and a report of year 0 is no 500', async () => {
    for (const url of [
      '/v1/transparency/checkpoints?from=5331-23-94',
      '/v1/transparency/checkpoints?to=2026-02-30',
      '/v1/audit?from=0000-01-01',
    ]) {
      const response = await t.app.inject({ url, headers: bearer(bandung.treasurerToken) });
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    const report = await t.app.inject({
      url: '/v1/reports/daily?date=0000-01-01&format=csv',
      headers: bearer(bandung.treasurerToken),
    });
    expect(report.statusCode).toBeLessThan(500);
  });
});

describe('office sign-in', () => {
  it('refuses a wrong password, and office tokens on koperasi routes', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/office-token',
      payload: { username: 'nobody-here', password: 'wrong-password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    for (const url of ['/v1/me', '/v1/payments', '/v1/members', '/v1/audit', '/v1/transparency/summary']) {
      const response = await t.app.inject({ url, headers: bearer(supervisor.token) });
      expect(response.statusCode, url).toBe(403);
    }
    const adminOnOffice = await t.app.inject({ url: '/v1/office/koperasi', headers: ADMIN(t) });
    expect(adminOnOffice.statusCode).toBe(200);
  });
});
