/**
 * Saved customer numbers ("Nomor tersimpan"): a member keeps the numbers paid every month under a nickname —
 * typed by hand (checked exactly as the inquiry checks them) or taken from one of their own payments — renames and
 * forgets them; a treasurer does the same for a member without a phone, audited. The member reads their own
 * numbers (and their own payments and quotes) in full; staff read them masked.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeAdapter } from '../../adapters/fake/index.js';
import {
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  bearer,
  givenApp,
  givenKoperasi,
  givenMember,
  givenPengawas,
  inquire,
  quoteAndPay,
  snapshotCounts,
  waitForPayment,
} from '../helpers/app.js';

let t: TestApp;
let kop: GivenKoperasi;
let other: GivenKoperasi;
let member: GivenMember;
let neighbour: GivenMember;
let stranger: GivenMember;
let paidId: string;

const PLN = { product: 'PLN_POSTPAID', customerNo: '530000000001' };

beforeAll(async () => {
  t = await givenApp({ adapters: [createFakeAdapter({ name: 'digiflazz' })], workers: true });
  kop = await givenKoperasi(t);
  other = await givenKoperasi(t);
  member = await givenMember(t, kop, { balance: 500_000n, memberNo: 'S-001' });
  neighbour = await givenMember(t, kop, { balance: 0n, memberNo: 'S-002' });
  stranger = await givenMember(t, other, { balance: 0n, memberNo: 'S-001' });
  paidId = (await quoteAndPay(t, member, PLN)).id;
  const done = await waitForPayment(t, member.token, paidId);
  if (done.status !== 'success') throw new Error(JSON.stringify(done));
});

afterAll(async () => {
  await t?.close();
});

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const call = (token: string, method: Method, url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

interface Saved {
  id: string;
  product: string;
  customerNo: string;
  nickname: string;
  months: number | null;
  lastPaidAt: string | null;
}

const listOf = async (token: string, url = '/v1/me/saved-numbers') => {
  const response = await call(token, 'GET', url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ items: Saved[]; limit: number }>();
};

const savedCount = async (memberId: string) =>
  (
    await t.deps.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM saved_numbers WHERE member_id = ${memberId}`,
    )
  ).rows[0]!.n;

describe('a member saving their own numbers', () => {
  it('saves the number of a payment of theirs, shows it in full with when it was last paid, and names it', async () => {
    const saved = await call(member.token, 'POST', '/v1/me/saved-numbers', {
      paymentId: paidId,
      nickname: '  Rumah Ibu  ',
    });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json()).toMatchObject({
      product: 'PLN_POSTPAID',
      customerNo: '530000000001',
      nickname: 'Rumah Ibu',
      months: null,
      lastPaidAt: expect.any(String),
    });
    const { items, limit } = await listOf(member.token);
    expect(limit).toBe(20);
    expect(items).toEqual([expect.objectContaining({ id: saved.json().id, customerNo: '530000000001' })]);

    const renamed = await call(member.token, 'PATCH', `/v1/me/saved-numbers/${saved.json().id}`, {
      nickname: 'Rumah Bapak',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ nickname: 'Rumah Bapak', customerNo: '530000000001' });
  });

  it('saves a BPJS number by hand with its months, changes the months, and forgets it', async () => {
    const saved = await call(member.token, 'POST', '/v1/me/saved-numbers', {
      product: 'BPJS_KESEHATAN',
      customerNo: '8888801234560000',
      nickname: 'BPJS keluarga',
      months: 3,
    });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json()).toMatchObject({ months: 3, lastPaidAt: null, customerNo: '8888801234560000' });
    const id = saved.json<Saved>().id;
    const changed = await call(member.token, 'PATCH', `/v1/me/saved-numbers/${id}`, { months: 6 });
    expect(changed.json()).toMatchObject({ months: 6, nickname: 'BPJS keluarga' });
    // The usual bill (paid) comes first; the new one after it.
    expect((await listOf(member.token)).items.map((s) => s.product)).toEqual([
      'PLN_POSTPAID',
      'BPJS_KESEHATAN',
    ]);
    const gone = await call(member.token, 'DELETE', `/v1/me/saved-numbers/${id}`);
    expect(gone.statusCode).toBe(204);
    expect((await listOf(member.token)).items.map((s) => s.product)).toEqual(['PLN_POSTPAID']);
    expect((await call(member.token, 'DELETE', `/v1/me/saved-numbers/${id}`)).json()).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses the same number for the same product twice with 409 SAVED_NUMBER_EXISTS, changing nothing', async () => {
    const before = await savedCount(member.id);
    const again = await call(member.token, 'POST', '/v1/me/saved-numbers', {
      ...PLN,
      nickname: 'Lagi',
    });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json()).toMatchObject({ code: 'SAVED_NUMBER_EXISTS', savedNumberId: expect.any(String) });
    expect(await savedCount(member.id)).toBe(before);
  });

  it('refuses bad input with 4xx problems and stable codes, exactly as the inquiry would, and saves nothing', async () => {
    const counts = await snapshotCounts(t);
    const before = await savedCount(member.id);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ product: 'PLN_POSTPAID', customerNo: '12AB', nickname: 'x' }, 400, 'VALIDATION_FAILED'],
      [{ product: 'PLN_POSTPAID', customerNo: '5300000000', nickname: 'x' }, 400, 'VALIDATION_FAILED'], // 10 digits, IDPEL has 12
      [
        { product: 'BPJS_KESEHATAN', customerNo: '1234567890123456', nickname: 'x' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        { product: 'PLN_POSTPAID', customerNo: '530000000777', nickname: 'x', months: 2 },
        400,
        'VALIDATION_FAILED',
      ],
      [
        { product: 'BPJS_KESEHATAN', customerNo: '8888801234560001', nickname: 'x', months: 13 },
        400,
        'VALIDATION_FAILED',
      ],
      [{ product: 'PLN_POSTPAID', customerNo: '530000000777', nickname: '   ' }, 400, 'VALIDATION_FAILED'],
      [
        { product: 'PLN_POSTPAID', customerNo: '530000000777', nickname: 'x'.repeat(41) },
        400,
        'VALIDATION_FAILED',
      ],
      [
        { product: 'PLN_POSTPAID', customerNo: '530000000777', nickname: 'a\u0007b' },
        400,
        'VALIDATION_FAILED',
      ],
      [{ product: 'GAS_NEGARA', customerNo: '530000000777', nickname: 'x' }, 404, 'PRODUCT_UNKNOWN'],
      [{ paymentId: 'not-a-uuid', nickname: 'x' }, 400, 'VALIDATION_FAILED'],
      [{ paymentId: '00000000-0000-4000-8000-000000000001', nickname: 'x' }, 404, 'PAYMENT_NOT_FOUND'],
      [
        { product: 'PLN_POSTPAID', customerNo: '530000000777', nickname: 'x', extra: 1 },
        400,
        'VALIDATION_FAILED',
      ],
    ];
    for (const [payload, status, code] of cases) {
      const response = await call(member.token, 'POST', '/v1/me/saved-numbers', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(status);
      expect(response.json(), JSON.stringify(payload)).toMatchObject({ code });
    }
    const id = (await listOf(member.token)).items[0]!.id;
    for (const [payload, code] of [
      [{}, 'VALIDATION_FAILED'],
      [{ months: 2 }, 'VALIDATION_FAILED'], // PLN has no months
      [{ nickname: '' }, 'VALIDATION_FAILED'],
    ] as const) {
      const response = await call(member.token, 'PATCH', `/v1/me/saved-numbers/${id}`, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json()).toMatchObject({ code });
    }
    expect(
      (await call(member.token, 'PATCH', '/v1/me/saved-numbers/123', { nickname: 'x' })).statusCode,
    ).toBe(400);
    expect(await savedCount(member.id)).toBe(before);
    expect(await snapshotCounts(t)).toEqual(counts);
  });

  it('keeps at most 20 numbers per member: the 21st is 409 SAVED_NUMBERS_FULL, even when sent all at once', async () => {
    const extra = await givenMember(t, kop, { balance: 0n });
    const attempts = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        call(extra.token, 'POST', '/v1/me/saved-numbers', {
          product: 'PDAM_TIRTA_BENTENG',
          customerNo: `1234${String(i).padStart(4, '0')}`,
          nickname: `Kios ${i + 1}`,
        }),
      ),
    );
    expect(attempts.filter((r) => r.statusCode === 201)).toHaveLength(20);
    const refused = attempts.filter((r) => r.statusCode !== 201);
    expect(refused).toHaveLength(4);
    for (const r of refused)
      expect(r.json()).toMatchObject({ status: 409, code: 'SAVED_NUMBERS_FULL', limit: 20 });
    expect(await savedCount(extra.id)).toBe(20);
  });
});

describe('whose numbers', () => {
  it("answers 404 for another member's number and another koperasi's, and changes neither", async () => {
    const mine = (await listOf(member.token)).items[0]!;
    for (const token of [neighbour.token, stranger.token]) {
      expect(
        (await call(token, 'PATCH', `/v1/me/saved-numbers/${mine.id}`, { nickname: 'Punya saya' })).json(),
      ).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      expect((await call(token, 'DELETE', `/v1/me/saved-numbers/${mine.id}`)).statusCode).toBe(404);
      expect((await listOf(token)).items).toEqual([]);
      // Someone else's payment cannot be saved either.
      expect(
        (await call(token, 'POST', '/v1/me/saved-numbers', { paymentId: paidId, nickname: 'x' })).json(),
      ).toMatchObject({ code: 'PAYMENT_NOT_FOUND' });
    }
    const treasurerB = bearer(other.treasurerToken);
    const elsewhere = await t.app.inject({
      method: 'DELETE',
      url: `/v1/members/S-001/saved-numbers/${mine.id}`, // B has an S-001 too
      headers: treasurerB,
    });
    expect(elsewhere.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await listOf(member.token)).items[0]).toEqual(mine);
  });

  it('lets only members use /v1/me/saved-numbers and only the treasurer change a member’s', async () => {
    expect((await call(kop.treasurerToken, 'GET', '/v1/me/saved-numbers')).statusCode).toBe(403);
    const pengawas = await givenPengawas(t, kop);
    expect((await call(pengawas.token, 'GET', '/v1/members/S-001/saved-numbers')).statusCode).toBe(200);
    const refused = await call(pengawas.token, 'POST', '/v1/members/S-001/saved-numbers', {
      ...PLN,
      nickname: 'x',
    });
    expect(refused.json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await call(member.token, 'GET', '/v1/members/S-001/saved-numbers')).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/me/saved-numbers' })).statusCode).toBe(401);
  });
});

describe('a treasurer, for a member without a phone', () => {
  it('adds and removes numbers for the member, sees them masked, and every change is in the audit log', async () => {
    const treasurer = bearer(kop.treasurerToken);
    const added = await t.app.inject({
      method: 'POST',
      url: '/v1/members/S-002/saved-numbers',
      headers: treasurer,
      payload: { product: 'PDAM_TIRTA_BENTENG', customerNo: '12345678', nickname: 'Rumah' },
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ customerNo: '****5678', nickname: 'Rumah' });
    const id = added.json<Saved>().id;
    // The member sees it in full on their own phone later.
    expect((await listOf(neighbour.token)).items).toEqual([
      expect.objectContaining({ id, customerNo: '12345678' }),
    ]);
    expect((await listOf(kop.treasurerToken, '/v1/members/S-002/saved-numbers')).items).toEqual([
      expect.objectContaining({ id, customerNo: '****5678' }),
    ]);
    const missing = await t.app.inject({ url: '/v1/members/NOPE-1/saved-numbers', headers: treasurer });
    expect(missing.json()).toMatchObject({ status: 404, code: 'MEMBER_NOT_FOUND' });
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/v1/members/S-002/saved-numbers/${id}`,
      headers: treasurer,
    });
    expect(removed.statusCode).toBe(204);

    const audit = await t.deps.db.execute<{ action: string; actor_type: string; text: string }>(sql`
      SELECT action, actor_type, coalesce(after, before)::text AS text FROM audit_log
      WHERE subject_id = ${neighbour.id} AND action LIKE 'saved_number.%' ORDER BY id`);
    expect(audit.rows.map((r) => [r.action, r.actor_type])).toEqual([
      ['saved_number.create', 'treasurer'],
      ['saved_number.delete', 'treasurer'],
    ]);
    for (const row of audit.rows) {
      expect(row.text).toContain('****5678');
      expect(row.text).not.toContain('12345678');
    }
    // The member's own saves are not staff actions: no audit rows.
    const own = await t.deps.db.execute(
      sql`SELECT 1 FROM audit_log WHERE subject_id = ${member.id} AND action LIKE 'saved_number.%'`,
    );
    expect(own.rows).toHaveLength(0);
  });
});

describe('the member’s own customer number on payments and quotes', () => {
  it('is in full for the member (quote, payment, list) and masked for the treasurer', async () => {
    const quote = await inquire(t, member, PLN);
    expect(quote.json()).toMatchObject({ customerNo: '530000000001' });
    const own = await call(member.token, 'GET', `/v1/payments/${paidId}`);
    expect(own.json()).toMatchObject({ customerNo: '530000000001' });
    const ownList = (await call(member.token, 'GET', '/v1/payments?limit=5')).json<{ items: Saved[] }>();
    expect(ownList.items[0]).toMatchObject({ customerNo: '530000000001' });

    const staff = await call(kop.treasurerToken, 'GET', `/v1/payments/${paidId}`);
    expect(staff.json()).toMatchObject({ customerNo: '********0001', customerNoFull: null });
    const staffList = (await call(kop.treasurerToken, 'GET', '/v1/payments?limit=50')).json<{
      items: { id: string; customerNo: string }[];
    }>();
    expect(staffList.items.find((p) => p.id === paidId)).toMatchObject({ customerNo: '********0001' });
  });
});
