/**
 * Account self-service in the browser: a member registered by the treasurer signs in with the koperasi code
 * as a phone capitalises it, must replace the treasurer's password and PIN before seeing the app (on a
 * 360 px phone), then pays with the new PIN; and the Akun screen on a desktop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GivenKoperasi, givenKoperasi, givenMember, login } from '../helpers/app.js';
import {
  type Browser,
  chooseProduct,
  launchBrowser,
  sidewaysOverflow,
  signIn,
  waitForQuote,
} from './browser.js';
import { type Stack, startStack } from './helpers.js';

let stack: Stack;
let phone: Browser;
let desktop: Browser;
let kop: GivenKoperasi;

beforeAll(async () => {
  [stack, phone, desktop] = await Promise.all([
    startStack(),
    launchBrowser({ width: 360, height: 740 }),
    launchBrowser({ width: 1280, height: 800 }),
  ]);
  kop = await givenKoperasi(stack.t);
});

afterAll(async () => {
  await phone?.close();
  await desktop?.close();
  await stack?.close();
});

const capitalised = (code: string) => code.charAt(0).toUpperCase() + code.slice(1);

describe('a member’s own password and PIN', () => {
  it('at the first login (code typed “Kop…”) must set a new password and PIN before the app opens, then pays with the new PIN', async () => {
    const member = await givenMember(stack.t, kop, { balance: 100_000n, firstLogin: true });
    const page = await phone.context.newPage();
    await page.goto(`${stack.baseUrl}/`);
    await page.getByLabel('Kode koperasi').fill(capitalised(kop.code));
    await page.getByLabel('Nama pengguna atau nomor anggota').fill(member.memberNo);
    await page.getByLabel('Kata sandi').fill(member.password);
    await page.getByRole('button', { name: 'Masuk' }).click();

    await page.getByRole('heading', { name: 'Buat kata sandi dan PIN Anda sendiri' }).waitFor();
    // Nothing of the app behind it: no menu, no balance.
    expect(await page.getByRole('navigation', { name: 'Menu utama' }).count()).toBe(0);
    expect(await page.getByTestId('balance').count()).toBe(0);
    expect(await sidewaysOverflow(page)).toBe(0);

    await page.getByLabel('Kata sandi baru', { exact: true }).fill('sandi-saya-sendiri-1');
    await page.getByLabel('Ulangi kata sandi baru').fill('sandi-saya-sendiri-2');
    await page.getByRole('button', { name: 'Simpan kata sandi' }).click();
    await expect.poll(() => page.getByText('Kedua kata sandi baru belum sama.').count()).toBeGreaterThan(0);
    await page.getByLabel('Ulangi kata sandi baru').fill('sandi-saya-sendiri-1');
    await page.getByRole('button', { name: 'Simpan kata sandi' }).click();

    await page.getByLabel('PIN dari bendahara').fill(member.pin);
    await page.getByLabel('PIN baru (6 angka)').fill('123456');
    await page.getByLabel('Ulangi PIN baru').fill('123456');
    await page.getByRole('button', { name: 'Simpan PIN' }).click();
    await expect.poll(() => page.getByText(/PIN terlalu mudah ditebak/).count()).toBeGreaterThan(0);
    await page.getByLabel('PIN baru (6 angka)').fill('592046');
    await page.getByLabel('Ulangi PIN baru').fill('592046');
    await page.getByRole('button', { name: 'Simpan PIN' }).click();

    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('Rp 100.000');
    expect(await sidewaysOverflow(page)).toBe(0);
    await chooseProduct(page, /PDAM Tirta Benteng/);
    await page.getByLabel('Nomor pelanggan').fill('12340000');
    await page.getByRole('button', { name: 'Cek tagihan' }).click();
    await waitForQuote(page);
    await page.getByLabel('PIN (6 angka)').fill('592046');
    await page.getByRole('button', { name: /^Bayar Rp/ }).click();
    await expect
      .poll(() => page.getByTestId('payment-status').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('success');
    // The new password is the member's from now on.
    await login(stack.t, kop.code, member.memberNo, 'sandi-saya-sendiri-1');
    await page.close();
  });

  it('tells whom to ask about a forgotten PIN or password on the login screen', async () => {
    const page = await phone.context.newPage();
    await page.goto(`${stack.baseUrl}/`);
    await page.getByLabel('Kode koperasi').fill(capitalised(kop.code));
    await page.getByRole('button', { name: 'Lupa PIN/kata sandi?' }).click();
    await expect
      .poll(() => page.locator('#forgot-help').textContent())
      .toContain(`Hubungi bendahara Koperasi ${kop.code}: bendahara`);
    await page.getByLabel('Kode koperasi').fill('tidak-ada');
    await page.getByRole('button', { name: 'Lupa PIN/kata sandi?' }).click();
    await page.getByRole('button', { name: 'Lupa PIN/kata sandi?' }).click();
    await expect
      .poll(() => page.locator('#forgot-help').textContent())
      .toContain('Hubungi bendahara koperasi Anda.');
    await page.close();
  });

  it('changes the password and the PIN on the Akun screen of a desktop', async () => {
    const member = await givenMember(stack.t, kop, { balance: 50_000n });
    const page = await signIn(desktop.context, stack.baseUrl, kop.code, member.memberNo, member.password);
    await page.getByRole('link', { name: 'Akun' }).click();
    await page.getByRole('heading', { name: 'Akun', exact: true }).waitFor();
    expect(await sidewaysOverflow(page)).toBe(0);

    await page.getByLabel('Kata sandi sekarang').fill('bukan-sandi-saya');
    await page.getByLabel('Kata sandi baru', { exact: true }).fill('sandi-akun-baru-1');
    await page.getByLabel('Ulangi kata sandi baru').fill('sandi-akun-baru-1');
    await page.getByRole('button', { name: 'Simpan kata sandi' }).click();
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'Kata sandi sekarang salah' }).count())
      .toBe(1);
    await page.getByLabel('Kata sandi sekarang').fill(member.password);
    await page.getByRole('button', { name: 'Simpan kata sandi' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Kata sandi baru tersimpan' }).count())
      .toBe(1);

    await page.getByLabel('PIN sekarang').fill(member.pin);
    await page.getByLabel('PIN baru (6 angka)').fill('602847');
    await page.getByLabel('Ulangi PIN baru').fill('602847');
    await page.getByRole('button', { name: 'Simpan PIN' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'PIN baru tersimpan' }).count())
      .toBe(1);
    await login(stack.t, kop.code, member.memberNo, 'sandi-akun-baru-1');
    await page.close();
  });
});
