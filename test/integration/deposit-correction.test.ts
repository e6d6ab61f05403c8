/**
 * A deposit after the fact: its receipt (bukti setoran) as a PDF and a WhatsApp text, and its correction — a new
 * reversing journal transaction with a reason, audited, once per deposit, never below zero — which the member's
 * mutasi shows as its own line and which `ledger verify` accepts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import { findDeposit } from '../../src/deposits/repository.js';
import { renderDepositReceipt } from '../../src/deposits/receipt.js';
import {
  type GivenKoperasi,
  type TestApp,
  bearer,
  deposit,
  givenApp,
  givenKoperasi,
  givenMember,
  givenPengawas,
  ledgerBreaches,
  quoteAndPay,
  snapshotCounts,
  waitForPayment,
} from '../helpers/app.js';
import { pdfTexts } from '../unit/reports/read-back.js';

let t: TestApp;
let kop: GivenKoperasi;
let other: GivenKoperasi;
let upstream: FakeAdapter;

beforeAll(async () => {
  upstream = createFakeAdapter({ name: 'digiflazz' });
  t = await givenApp({ adapters: [upstream], workers: true });
  kop = await givenKoperasi(t);
  other = await givenKoperasi(t);
});

afterAll(async () => {
  await t?.close();
});

/** Dewi Lestari with a phone, and one deposit of `amount`; returns the deposit's number. */
async function dewiDeposits(amount: number, memberNo = `D-${randomUUID().slice(0, 6)}`) {
  const created = await t.app.inject({
    method: 'POST',
    url: '/v1/members',
    headers: bearer(kop.treasurerToken),
    payload: {
      memberNo,
      name: 'Dewi Lestari',
      phone: '081234567890',
      password: 'sandi-dewi-1',
      pin: '192837',
    },
  });
  expect(created.statusCode).toBe(201);
  const response = await deposit(t, kop, memberNo, BigInt(amount));
  return { memberNo, id: response.json<{ transactionId: string }>().transactionId };
}

const correct = (id: string, reason: string, token = kop.treasurerToken, key = randomUUID()) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/deposits/${id}/correction`,
    headers: { ...bearer(token), 'idempotency-key': key },
    payload: { reason },
  });

const memberBalance = async (memberNo: string) =>
  (await t.app.inject({ url: `/v1/members/${memberNo}`, headers: bearer(kop.treasurerToken) })).json<{
    balance: number;
  }>().balance;

describe('the deposit receipt', () => {
  it('names the koperasi, the member, the amount, the balance after, the time and who took it', async () => {
    const { id, memberNo } = await dewiDeposits(50_000);
    await deposit(t, kop, memberNo, 25_000n);
    const view = await t.app.inject({ url: `/v1/deposits/${id}`, headers: bearer(kop.treasurerToken) });
    expect(view.statusCode).toBe(200);
    const body = view.json<Record<string, unknown> & { whatsapp: { text: string; url: string } }>();
    expect(body).toMatchObject({
      id,
      amount: 50_000,
      balanceAfter: 50_000,
      memberNo,
      memberName: 'Dewi Lestari',
      reference: 'setoran tunai',
      treasurerName: expect.any(String),
      correction: null,
    });
    expect(body.whatsapp.url.startsWith('https://wa.me/6281234567890?text=')).toBe(true);
    expect(body.whatsapp.text).toContain('Setoran: Rp 50.000');
    expect(body.whatsapp.text).toContain('Saldo tersedia setelah setoran: Rp 50.000');

    const pdf = await t.app.inject({
      url: `/v1/deposits/${id}/receipt.pdf`,
      headers: bearer(kop.treasurerToken),
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const record = await findDeposit(t.deps.db, kop.id, BigInt(id));
    const text = pdfTexts(await renderDepositReceipt(record!, { compress: false })).join(' ');
    for (const part of [
      'BUKTI SETORAN',
      'Dewi Lestari',
      memberNo,
      'Rp 50.000',
      'Saldo tersedia setelah setoran',
      'WIB',
      id,
    ])
      expect(text).toContain(part);
  });

  it('is read by the pengawas, is 404 for another koperasi and for a payment id, 403 for a member, 400 for junk', async () => {
    const { id } = await dewiDeposits(10_000);
    const pengawas = await givenPengawas(t, kop);
    expect(
      (await t.app.inject({ url: `/v1/deposits/${id}`, headers: bearer(pengawas.token) })).statusCode,
    ).toBe(200);
    const elsewhere = await t.app.inject({
      url: `/v1/deposits/${id}/receipt.pdf`,
      headers: bearer(other.treasurerToken),
    });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json()).toMatchObject({ code: 'NOT_FOUND' });
    const member = await givenMember(t, kop);
    expect(
      (await t.app.inject({ url: `/v1/deposits/${id}`, headers: bearer(member.token) })).statusCode,
    ).toBe(403);
    for (const junk of ['abc', '0', '99999999999999999999', '-1'])
      expect(
        (await t.app.inject({ url: `/v1/deposits/${junk}`, headers: bearer(kop.treasurerToken) })).json(),
      ).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(
      (await t.app.inject({ url: '/v1/deposits/9223372036854775807', headers: bearer(kop.treasurerToken) }))
        .statusCode,
    ).toBe(404);
  });
});

describe('correcting a deposit', () => {
  it('posts a reversing entry with the reason, shows it in the mutasi, audits it, and keeps the ledger verifiable', async () => {
    const { id, memberNo } = await dewiDeposits(50_000);
    const response = await correct(id, 'salah input nominal');
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      depositId: id,
      amount: 50_000,
      balance: 0,
      reason: 'salah input nominal',
    });
    expect(await memberBalance(memberNo)).toBe(0);

    const mutasi = (
      await t.app.inject({ url: `/v1/members/${memberNo}/mutasi`, headers: bearer(kop.treasurerToken) })
    ).json<{
      items: {
        kind: string;
        amount: number;
        note: string | null;
        reversesTxId: string | null;
        correctedBy: string | null;
      }[];
    }>();
    expect(
      mutasi.items.map(({ kind, amount, note, reversesTxId }) => ({ kind, amount, note, reversesTxId })),
    ).toEqual([
      { kind: 'other', amount: -50_000, note: 'salah input nominal', reversesTxId: id },
      { kind: 'deposit', amount: 50_000, note: 'setoran tunai', reversesTxId: null },
    ]);
    expect(mutasi.items[1]!.correctedBy).toBe(response.json<{ correctionId: string }>().correctionId);

    const tx = await t.database.superuser<{ kind: string; reverses_tx_id: string }>(
      `SELECT kind, reverses_tx_id::text FROM journal_transactions WHERE id = ${response.json<{ correctionId: string }>().correctionId}`,
    );
    expect(tx.rows[0]).toEqual({ kind: 'deposit_correction', reverses_tx_id: id });
    const audit = await t.database.superuser<{ reason: string }>(
      `SELECT reason FROM audit_log WHERE action = 'savings.deposit_correction' AND after->>'reversesTxId' = '${id}'`,
    );
    expect(audit.rows).toEqual([{ reason: 'salah input nominal' }]);

    const view = (
      await t.app.inject({ url: `/v1/deposits/${id}`, headers: bearer(kop.treasurerToken) })
    ).json<{
      correction: { reason: string } | null;
    }>();
    expect(view.correction?.reason).toBe('salah input nominal');
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('happens once: a second correction is 409, and of two at the same moment exactly one wins', async () => {
    const first = await dewiDeposits(20_000);
    expect((await correct(first.id, 'salah anggota')).statusCode).toBe(201);
    const again = await correct(first.id, 'salah anggota lagi');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'DEPOSIT_ALREADY_CORRECTED' });

    const { id, memberNo } = await dewiDeposits(30_000);
    await deposit(t, kop, memberNo, 100_000n);
    const answers = await Promise.all(Array.from({ length: 8 }, () => correct(id, 'dobel dicatat')));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(await memberBalance(memberNo)).toBe(100_000);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('replays the same Idempotency-Key with the same answer', async () => {
    const { id } = await dewiDeposits(15_000);
    const key = randomUUID();
    const one = await correct(id, 'salah input', kop.treasurerToken, key);
    const two = await correct(id, 'salah input', kop.treasurerToken, key);
    expect(one.statusCode).toBe(201);
    expect(two.statusCode).toBe(201);
    expect(two.headers['idempotent-replayed']).toBe('true');
    expect(two.json()).toEqual(one.json());
  });

  it('refuses when the savings were already spent, and changes nothing', async () => {
    // The fake's bill costs 103 500 in all: of a 150 000 deposit, 46 500 is left.
    const member = await givenMember(t, kop, { balance: 150_000n });
    const depositId = (
      await t.app.inject({
        url: `/v1/members/${member.memberNo}/mutasi`,
        headers: bearer(kop.treasurerToken),
      })
    ).json<{ items: { txId: string }[] }>().items[0]!.txId;
    const paid = await quoteAndPay(t, member, { product: 'PLN_POSTPAID', customerNo: '530000000321' });
    await waitForPayment(t, member.token, paid.id, ['success']);
    const before = await snapshotCounts(t);
    const refused = await correct(depositId, 'salah input nominal');
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'INSUFFICIENT_BALANCE',
      reason: 'SAVINGS_SPENT',
      required: 150_000,
    });
    expect(await snapshotCounts(t)).toEqual(before);
  });

  it('needs a reason of 5 to 200 characters and a key, is 404 for another koperasi and 403 for others', async () => {
    const { id } = await dewiDeposits(5_000);
    const before = await snapshotCounts(t);
    for (const reason of ['', 'abc', 'x'.repeat(201)])
      expect((await correct(id, reason)).json()).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    const keyless = await t.app.inject({
      method: 'POST',
      url: `/v1/deposits/${id}/correction`,
      headers: bearer(kop.treasurerToken),
      payload: { reason: 'salah input' },
    });
    expect(keyless.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED' });
    expect((await correct(id, 'salah input', other.treasurerToken)).statusCode).toBe(404);
    const pengawas = await givenPengawas(t, kop);
    expect((await correct(id, 'salah input', pengawas.token)).statusCode).toBe(403);
    const member = await givenMember(t, kop);
    expect((await correct(id, 'salah input', member.token)).statusCode).toBe(403);
    // A payment's hold is not a deposit.
    const notDeposit = await t.database.superuser<{ id: string }>(
      `SELECT id::text FROM journal_transactions WHERE kind <> 'deposit' ORDER BY id LIMIT 1`,
    );
    if (notDeposit.rows[0])
      expect((await correct(notDeposit.rows[0].id, 'salah input')).statusCode).toBe(404);
    const after = await snapshotCounts(t);
    expect({ ...after, users: 0, audit_log: 0 }).toEqual({ ...before, users: 0, audit_log: 0 });
  });
});
