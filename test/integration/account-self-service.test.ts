/**
 * Account self-service (issue 13): the koperasi code in any case, changing one's own password and PIN,
 * the forced change of credentials the treasurer chose, the treasurer's password reset, and whom to ask
 * about a forgotten PIN — against the real app, PostgreSQL and Redis.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoCredentials } from '../../src/seed.js';
import {
  ADMIN,
  type GivenKoperasi,
  INITIAL_PASSWORD,
  type TestApp,
  bearer,
  changeOwn,
  givenApp,
  givenKoperasi,
  givenMember,
  givenPengawas,
  inquire,
  pay,
} from '../helpers/app.js';
import { instantFakes, middayClock } from '../security/support.js';

let t: TestApp;
let kop: GivenKoperasi;
let demo: DemoCredentials;

const WATER = { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000' };

beforeAll(async () => {
  const fakes = instantFakes();
  t = await givenApp({ adapters: [fakes.digiflazz, fakes.iak], clock: middayClock() });
  // The demo seed needs an empty database: first.
  demo = (await seedDemo(t.deps))!;
  kop = await givenKoperasi(t);
});

afterAll(async () => {
  await t?.close();
});

const tokenRequest = (koperasi: string, username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/v1/auth/token', payload: { koperasi, username, password } });

const post = (token: string, url: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url, headers: bearer(token), payload });

const auditOf = async (action: string, subjectId: string) =>
  (
    await t.deps.db.execute<{ actor_type: string; actor_id: string; before: unknown; after: unknown }>(
      sql`SELECT actor_type, actor_id, before, after FROM audit_log WHERE action = ${action} AND subject_id = ${subjectId} ORDER BY id`,
    )
  ).rows;

describe('the koperasi code', () => {
  it('logs in whatever the case of the code, as a phone capitalises it', async () => {
    const capitalised = kop.code.charAt(0).toUpperCase() + kop.code.slice(1);
    for (const code of [capitalised, kop.code.toUpperCase(), kop.code]) {
      const response = await tokenRequest(code, kop.treasurer.username, kop.treasurer.password);
      expect(response.statusCode, code).toBe(200);
    }
    expect((await tokenRequest('KopDemo', demo.treasurer.username, demo.treasurer.password)).statusCode).toBe(
      200,
    );
  });

  it('stores a new koperasi code in lower case, and the same code in another case is taken', async () => {
    const code = `KOP-${randomBytes(3).toString('hex').toUpperCase()}`;
    const payload = (c: string) => ({
      code: c,
      name: `Koperasi ${c}`,
      treasurer: { username: 'bendahara', password: 'rahasia-bendahara-1' },
    });
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/koperasi',
      headers: ADMIN(t),
      payload: payload(code),
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().code).toBe(code.toLowerCase());
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/koperasi',
      headers: ADMIN(t),
      payload: payload(code.toLowerCase()),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('KOPERASI_EXISTS');
    expect((await tokenRequest(code.toLowerCase(), 'bendahara', 'rahasia-bendahara-1')).statusCode).toBe(200);
  });

  it('still refuses a code that is not letters, digits and -', async () => {
    const response = await tokenRequest('Kop Demo!', 'bendahara', 'x');
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
  });
});

describe('changing one’s own password', () => {
  it('refuses a wrong current password and a new password equal to the old one, and changes nothing then', async () => {
    const member = await givenMember(t, kop);
    const wrong = await post(member.token, '/v1/me/password', {
      currentPassword: 'bukan-sandi-saya',
      newPassword: 'sandi-baru-anggota-1',
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('CURRENT_PASSWORD_WRONG');
    const same = await post(member.token, '/v1/me/password', {
      currentPassword: member.password,
      newPassword: member.password,
    });
    expect(same.statusCode).toBe(400);
    expect(same.json().code).toBe('PASSWORD_UNCHANGED');
    const short = await post(member.token, '/v1/me/password', {
      currentPassword: member.password,
      newPassword: 'pendek',
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().code).toBe('VALIDATION_FAILED');
    expect((await tokenRequest(kop.code, member.memberNo, member.password)).statusCode).toBe(200);
  });

  it('lets a member, a treasurer and a pengawas change it: the old one no longer logs in, the new one does, and it is audited without secrets', async () => {
    const member = await givenMember(t, kop);
    const other = await givenKoperasi(t);
    const pengawas = await givenPengawas(t, other);
    const accounts = [
      { token: member.token, username: member.memberNo, password: member.password, code: kop.code },
      {
        token: other.treasurerToken,
        username: other.treasurer.username,
        password: other.treasurer.password,
        code: other.code,
      },
    ];
    for (const account of accounts) {
      const newPassword = `sandi-baru-${randomBytes(4).toString('hex')}`;
      const changed = await post(account.token, '/v1/me/password', {
        currentPassword: account.password,
        newPassword,
      });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({ tokenType: 'Bearer', mustChange: false });
      expect((await tokenRequest(account.code, account.username, account.password)).statusCode).toBe(401);
      expect((await tokenRequest(account.code, account.username, newPassword)).statusCode).toBe(200);
      // The new token works.
      const me = await t.app.inject({ url: '/v1/me', headers: bearer(changed.json().accessToken) });
      expect(me.statusCode).toBe(200);
      const userId = me.json().id as string;
      // A member has one more: the change the first login asked for.
      const audit = await auditOf('user.password_change', userId);
      expect(audit.length).toBeGreaterThanOrEqual(1);
      expect(audit.at(-1)!.actor_id).toBe(userId);
      expect(JSON.stringify(audit)).not.toContain(newPassword);
      expect(JSON.stringify(audit)).not.toContain(account.password);
    }
    expect(
      (
        await post(pengawas.token, '/v1/me/password', {
          currentPassword: 'sandi-pengawas-1',
          newPassword: 'sandi-pengawas-baru-1',
        })
      ).statusCode,
    ).toBe(200);
  });
});

describe('changing one’s own PIN', () => {
  it('changes the PIN with the current one; the new PIN pays, the old one no longer does', async () => {
    const member = await givenMember(t, kop, { balance: 500_000n });
    const changed = await post(member.token, '/v1/me/pin', { currentPin: member.pin, newPin: '592046' });
    expect(changed.statusCode, changed.body).toBe(200);
    const token = changed.json().accessToken as string;
    const quote = (await inquire(t, { ...member, token }, WATER)).json<{ id: string }>().id;
    const old = await pay(t, { ...member, token }, quote, { pin: member.pin });
    expect(old.json().code).toBe('PIN_INVALID');
    const paid = await pay(t, { ...member, token }, quote, { pin: '592046' });
    expect(paid.statusCode, paid.body).toBe(202);
    const audit = await auditOf('member.pin_change', member.id);
    expect(audit).toHaveLength(2); // the first login's change and this one
    expect(audit[1]!).toMatchObject({ actor_type: 'member', actor_id: member.id });
    expect(JSON.stringify(audit)).not.toContain('592046');
  });

  it('refuses a PIN anyone would guess, or the same PIN, with a code of its own and without spending a guess', async () => {
    const member = await givenMember(t, kop);
    for (const newPin of ['111111', '123456', '987654', '012345']) {
      const response = await post(member.token, '/v1/me/pin', { currentPin: member.pin, newPin });
      expect(response.statusCode, newPin).toBe(400);
      expect(response.json().code).toBe('PIN_TOO_SIMPLE');
    }
    const same = await post(member.token, '/v1/me/pin', { currentPin: member.pin, newPin: member.pin });
    expect(same.json().code).toBe('PIN_UNCHANGED');
    const notDigits = await post(member.token, '/v1/me/pin', { currentPin: member.pin, newPin: '12a456' });
    expect(notDigits.json().code).toBe('VALIDATION_FAILED');
    const me = await t.app.inject({ url: '/v1/me', headers: bearer(member.token) });
    expect(me.json().pinLocked).toBe(false);
    const [row] = (
      await t.deps.db.execute<{ pin_failures: number }>(
        sql`SELECT pin_failures FROM users WHERE id = ${member.id}`,
      )
    ).rows;
    expect(row!.pin_failures).toBe(0);
  });

  it('counts a wrong current PIN like a payment’s: locked after 5, then PIN_LOCKED for the change and for payments', async () => {
    const member = await givenMember(t, kop, { balance: 500_000n });
    const codes: string[] = [];
    const remaining: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await post(member.token, '/v1/me/pin', { currentPin: '000999', newPin: '592046' });
      codes.push(response.json().code as string);
      remaining.push(response.json().remainingAttempts);
    }
    expect(codes).toEqual(['PIN_INVALID', 'PIN_INVALID', 'PIN_INVALID', 'PIN_INVALID', 'PIN_LOCKED']);
    expect(remaining.slice(0, 4)).toEqual([4, 3, 2, 1]);
    const right = await post(member.token, '/v1/me/pin', { currentPin: member.pin, newPin: '592046' });
    expect(right.statusCode).toBe(423);
    expect(right.json().code).toBe('PIN_LOCKED');
    const quote = (await inquire(t, member, WATER)).json<{ id: string }>().id;
    expect((await pay(t, member, quote)).json().code).toBe('PIN_LOCKED');
    expect((await t.app.inject({ url: '/v1/me', headers: bearer(member.token) })).json().pinLocked).toBe(
      true,
    );
  });

  it('mixes wrong PINs at payments and at the change into one count', async () => {
    const member = await givenMember(t, kop, { balance: 500_000n });
    const quote = (await inquire(t, member, WATER)).json<{ id: string }>().id;
    for (let i = 0; i < 3; i++) await pay(t, member, quote, { pin: '000999' });
    const fourth = await post(member.token, '/v1/me/pin', { currentPin: '000999', newPin: '592046' });
    expect(fourth.json()).toMatchObject({ code: 'PIN_INVALID', remainingAttempts: 1 });
  });

  it('is for members only', async () => {
    const response = await post(kop.treasurerToken, '/v1/me/pin', { currentPin: '592046', newPin: '602847' });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('FORBIDDEN');
  });
});

describe('the first login', () => {
  it('forces a member registered by the treasurer to set a new password and PIN before anything else', async () => {
    const member = await givenMember(t, kop, { balance: 500_000n, firstLogin: true });
    const first = await tokenRequest(kop.code.toUpperCase(), member.memberNo, INITIAL_PASSWORD);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ role: 'member', mustChange: true });
    let token = first.json().accessToken as string;

    const blocked = async (label: string) => {
      const products = await t.app.inject({ url: '/v1/products', headers: bearer(token) });
      expect(products.statusCode, label).toBe(403);
      expect(products.json().code, label).toBe('CREDENTIALS_CHANGE_REQUIRED');
      const inquiry = await post(token, '/v1/inquiries', WATER);
      expect(inquiry.statusCode, label).toBe(403);
      expect(inquiry.json().code, label).toBe('CREDENTIALS_CHANGE_REQUIRED');
      const payments = await t.app.inject({ url: '/v1/payments', headers: bearer(token) });
      expect(payments.json().code, label).toBe('CREDENTIALS_CHANGE_REQUIRED');
    };
    await blocked('before any change');
    const me = await t.app.inject({ url: '/v1/me', headers: bearer(token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ mustChange: true, mustChangePassword: true, mustChangePin: true });

    const password = await post(token, '/v1/me/password', {
      currentPassword: INITIAL_PASSWORD,
      newPassword: 'sandi-pilihan-saya-1',
    });
    expect(password.statusCode, password.body).toBe(200);
    expect(password.json()).toMatchObject({
      mustChange: true,
      mustChangePassword: false,
      mustChangePin: true,
    });
    token = password.json().accessToken as string;
    await blocked('with the PIN still to change');
    // Logging in again does not skip the PIN.
    const again = await tokenRequest(kop.code, member.memberNo, 'sandi-pilihan-saya-1');
    expect(again.json().mustChange).toBe(true);

    const pin = await post(token, '/v1/me/pin', { currentPin: member.pin, newPin: '592046' });
    expect(pin.statusCode, pin.body).toBe(200);
    expect(pin.json()).toMatchObject({ mustChange: false, mustChangePassword: false, mustChangePin: false });
    token = pin.json().accessToken as string;

    expect((await t.app.inject({ url: '/v1/products', headers: bearer(token) })).statusCode).toBe(200);
    const inquiry = await post(token, '/v1/inquiries', WATER);
    expect(inquiry.statusCode, inquiry.body).toBe(201);
    const paid = await pay(t, { ...member, token }, inquiry.json().id as string, { pin: '592046' });
    expect(paid.statusCode, paid.body).toBe(202);
    expect((await tokenRequest(kop.code, member.memberNo, 'sandi-pilihan-saya-1')).json().mustChange).toBe(
      false,
    );
  });

  it('does not force the treasurer of a new koperasi, a pengawas, or the demo seed’s accounts', async () => {
    expect((await tokenRequest(kop.code, 'bendahara', kop.treasurer.password)).json().mustChange).toBe(false);
    const pengawas = await givenPengawas(t, kop);
    const me = await t.app.inject({ url: '/v1/me', headers: bearer(pengawas.token) });
    expect(me.json().mustChange).toBe(false);
    expect(
      (await tokenRequest(demo.koperasi, demo.treasurer.username, demo.treasurer.password)).json().mustChange,
    ).toBe(false);
    for (const m of demo.members) {
      const response = await tokenRequest(demo.koperasi, m.memberNo, m.password);
      expect(response.json().mustChange).toBe(false);
      const products = await t.app.inject({
        url: '/v1/products',
        headers: bearer(response.json().accessToken as string),
      });
      expect(products.statusCode).toBe(200);
    }
  });
});

describe('the treasurer’s password reset', () => {
  it('sets a password the member must replace, with the PIN, at the next login; audited without the password', async () => {
    const member = await givenMember(t, kop);
    const reset = await post(kop.treasurerToken, `/v1/members/${member.memberNo}/reset-password`, {
      newPassword: 'sandi-sementara-1',
    });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ memberNo: member.memberNo, pinLocked: false });
    expect((await tokenRequest(kop.code, member.memberNo, member.password)).statusCode).toBe(401);
    const login = await tokenRequest(kop.code, member.memberNo, 'sandi-sementara-1');
    expect(login.json().mustChange).toBe(true);
    const token = login.json().accessToken as string;
    expect((await t.app.inject({ url: '/v1/products', headers: bearer(token) })).json().code).toBe(
      'CREDENTIALS_CHANGE_REQUIRED',
    );
    const audit = await auditOf('member.password_reset', member.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_type).toBe('treasurer');
    expect(JSON.stringify(audit)).not.toContain('sandi-sementara-1');
    const changed = await changeOwn(t, token, 'password', {
      currentPassword: 'sandi-sementara-1',
      newPassword: 'sandi-saya-lagi-1',
    });
    const done = await changeOwn(t, changed, 'pin', { currentPin: member.pin, newPin: '592046' });
    expect((await t.app.inject({ url: '/v1/products', headers: bearer(done) })).statusCode).toBe(200);
  });

  it('leaves a locked PIN locked, and is for the treasurer of the member’s own koperasi only', async () => {
    const member = await givenMember(t, kop);
    for (let i = 0; i < 5; i++)
      await post(member.token, '/v1/me/pin', { currentPin: '000999', newPin: '592046' });
    const reset = await post(kop.treasurerToken, `/v1/members/${member.memberNo}/reset-password`, {
      newPassword: 'sandi-sementara-1',
    });
    expect(reset.json().pinLocked).toBe(true);
    const asMember = await post(member.token, `/v1/members/${member.memberNo}/reset-password`, {
      newPassword: 'sandi-sementara-1',
    });
    expect(asMember.statusCode).toBe(403);
    const other = await givenKoperasi(t);
    const elsewhere = await post(other.treasurerToken, `/v1/members/${member.memberNo}/reset-password`, {
      newPassword: 'sandi-sementara-1',
    });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().code).toBe('MEMBER_NOT_FOUND');
  });
});

describe('whom to ask about a forgotten PIN or password', () => {
  it('names the koperasi and its treasurer, with the phone when known, and nothing else', async () => {
    const response = await t.app.inject({ url: '/v1/koperasi/KopDemo/contact' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      name: 'Koperasi Demo Sejahtera',
      treasurerName: 'Bendahara Demo',
      treasurerPhone: '081200000001',
    });
    const noPhone = await t.app.inject({ url: `/v1/koperasi/${kop.code}/contact` });
    expect(noPhone.json()).toEqual({
      name: `Koperasi ${kop.code}`,
      treasurerName: 'bendahara',
      treasurerPhone: null,
    });
    const unknown = await t.app.inject({ url: '/v1/koperasi/tidak-ada/contact' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('NOT_FOUND');
  });
});

describe('the help contact the treasurer sets', () => {
  it('is the treasurer’s own phone: set, shown to members, cleared; audited; a bad number changes nothing', async () => {
    const own = await givenKoperasi(t);
    const put = (phone: string | null) =>
      t.app.inject({
        method: 'PUT',
        url: '/v1/me/phone',
        headers: bearer(own.treasurerToken),
        payload: { phone },
      });
    const bad = await put('12-34');
    expect(bad.statusCode).toBe(400);
    expect((await put('081299998888')).json()).toEqual({ phone: '081299998888' });
    const contact = await t.app.inject({ url: `/v1/koperasi/${own.code}/contact` });
    expect(contact.json()).toMatchObject({ treasurerPhone: '081299998888' });
    expect((await put(null)).json()).toEqual({ phone: null });
    expect((await t.app.inject({ url: `/v1/koperasi/${own.code}/contact` })).json()).toMatchObject({
      treasurerPhone: null,
    });
    const audit = await t.deps.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE koperasi_id = ${own.id} AND action = 'user.phone_set'`,
    );
    expect(audit.rows[0]!.n).toBe(2);
  });
});
