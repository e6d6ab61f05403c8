/**
 * What a treasurer (and the member) read about one member's savings: the mutasi — deposits, payments and money
 * back, newest first, each with the balance after it, straight from the journal — and finding a member by any
 * part of the number, name or phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import {
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  bearer,
  givenApp,
  givenKoperasi,
  givenMember,
  givenPengawas,
  quoteAndPay,
  waitForPayment,
} from '../helpers/app.js';

let t: TestApp;
let primary: FakeAdapter;
let kop: GivenKoperasi;
let other: GivenKoperasi;
let member: GivenMember;

// Fake default bill: 100 000 + 2 500 admin; koperasi fee 1 000 → total 103 500.
const TOTAL = 103_500;
const PAID = { product: 'PLN_POSTPAID', customerNo: '530000000001' };
const REFUSED = { product: 'PLN_POSTPAID', customerNo: '530000000009' };

interface Mutasi {
  items: {
    kind: string;
    amount: number;
    balanceAfter: number;
    product: string | null;
    note: string | null;
  }[];
  nextCursor: string | null;
}

beforeAll(async () => {
  primary = createFakeAdapter({ name: 'digiflazz' });
  primary.onPay(REFUSED.customerNo, { kind: 'failed', rc: '40', message: 'Gagal', transactionCreated: true });
  t = await givenApp({ adapters: [primary], workers: true });
  kop = await givenKoperasi(t);
  other = await givenKoperasi(t);
  member = await givenMember(t, kop, { balance: 300_000n, memberNo: 'M-314' });
  const ok = await quoteAndPay(t, member, PAID);
  await waitForPayment(t, member.token, ok.id, ['success']);
  const failed = await quoteAndPay(t, member, REFUSED);
  await waitForPayment(t, member.token, failed.id, ['failed']);
});

afterAll(async () => {
  await t?.close();
});

const read = async (token: string, url: string) => {
  const response = await t.app.inject({ url, headers: bearer(token) });
  return { status: response.statusCode, body: response.json<Mutasi>() };
};

describe('mutasi', () => {
  it('lists deposits, payments and money back, newest first, with the balance after each', async () => {
    const { status, body } = await read(kop.treasurerToken, `/v1/members/${member.memberNo}/mutasi`);
    expect(status).toBe(200);
    expect(
      body.items.map(({ kind, amount, balanceAfter, product }) => ({ kind, amount, balanceAfter, product })),
    ).toEqual([
      { kind: 'refund', amount: TOTAL, balanceAfter: 300_000 - TOTAL, product: 'PLN_POSTPAID' },
      { kind: 'payment', amount: -TOTAL, balanceAfter: 300_000 - 2 * TOTAL, product: 'PLN_POSTPAID' },
      { kind: 'payment', amount: -TOTAL, balanceAfter: 300_000 - TOTAL, product: 'PLN_POSTPAID' },
      { kind: 'deposit', amount: 300_000, balanceAfter: 300_000, product: null },
    ]);
    expect(body.items.at(-1)!.note).toBe('setoran tunai');
  });

  it('is the same for the member, the pengawas, and in pages', async () => {
    const all = await read(kop.treasurerToken, `/v1/members/${member.memberNo}/mutasi`);
    expect((await read(member.token, '/v1/me/mutasi')).body).toEqual(all.body);
    const pengawas = await givenPengawas(t, kop);
    expect((await read(pengawas.token, `/v1/members/${member.memberNo}/mutasi`)).body).toEqual(all.body);
    const first = await read(member.token, '/v1/me/mutasi?limit=3');
    expect(first.body.items).toEqual(all.body.items.slice(0, 3));
    const rest = await read(member.token, `/v1/me/mutasi?limit=3&cursor=${first.body.nextCursor!}`);
    expect(rest.body).toEqual({ items: all.body.items.slice(3), nextCursor: null });
  });

  it("is 404 for another koperasi's treasurer and 403 for a member asking about someone", async () => {
    expect((await read(other.treasurerToken, `/v1/members/${member.memberNo}/mutasi`)).status).toBe(404);
    expect((await read(member.token, `/v1/members/${member.memberNo}/mutasi`)).status).toBe(403);
  });
});

describe('finding a member', () => {
  it('matches any part of the number, the name or the phone, case-insensitively, and nothing of another koperasi', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/v1/members',
      headers: bearer(kop.treasurerToken),
      payload: {
        memberNo: 'B-777',
        name: 'Dewi Lestari',
        phone: '081234567890',
        password: 'sandi-dewi-1',
        pin: '192837',
      },
    });
    const find = async (token: string, q: string) =>
      (await t.app.inject({ url: `/v1/members?q=${encodeURIComponent(q)}`, headers: bearer(token) }))
        .json<{ items: { memberNo: string }[] }>()
        .items.map((m) => m.memberNo);
    expect(await find(kop.treasurerToken, 'lestari')).toEqual(['B-777']);
    expect(await find(kop.treasurerToken, '4567')).toEqual(['B-777']);
    expect(await find(kop.treasurerToken, 'm-31')).toEqual(['M-314']);
    expect(await find(kop.treasurerToken, '%')).toEqual([]);
    expect(await find(other.treasurerToken, 'lestari')).toEqual([]);
  });
});
