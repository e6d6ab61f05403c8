/**
 * What must never move money by mistake, seen from the browser: a wrong PIN, a lost answer retried,
 * and the PLN cut-off window.
 */
import { formatRupiah as rupiah } from '../../src/money.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GivenKoperasi,
  type GivenMember,
  balanceOf,
  givenKoperasi,
  givenMember,
  inquire,
  pay,
} from '../helpers/app.js';
import {
  type Browser,
  chooseProduct,
  cutOffAroundNow,
  launchBrowser,
  signIn,
  waitForQuote,
} from './browser.js';
import { type Stack, apiGet, startStack } from './helpers.js';

let stack: Stack;
let browser: Browser;
let kop: GivenKoperasi;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  kop = await givenKoperasi(stack.t);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const paymentsOf = async (member: GivenMember) =>
  (await apiGet<{ items: { id: string; status: string }[] }>(stack, member.token, '/v1/payments')).items;

async function quoteWater(member: GivenMember) {
  const page = await signIn(browser.context, stack.baseUrl, kop.code, member.memberNo, member.password);
  await chooseProduct(page, /PDAM Tirta Benteng/);
  await page.getByLabel('Nomor pelanggan').fill('12340000');
  await page.getByRole('button', { name: 'Cek tagihan' }).click();
  await waitForQuote(page);
  return page;
}

describe('confirming a payment', () => {
  it('with a wrong PIN shows “PIN salah” with the attempts left and changes nothing, on screen or in the API', async () => {
    const member = await givenMember(stack.t, kop, { balance: 100_000n, pin: '135790' });
    const page = await quoteWater(member);
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('Rp 100.000');
    const total = (await page.getByTestId('quote-total').textContent())!;

    await page.getByLabel('PIN (6 angka)').fill('000000');
    await page.getByRole('button', { name: `Bayar ${total}` }).click();

    const alert = page.getByRole('alert').filter({ hasText: 'PIN salah' });
    await expect.poll(() => alert.textContent()).toBe('PIN salah. Sisa percobaan: 4.');
    expect(page.url()).not.toContain('/pembayaran/');
    expect(await page.getByLabel('PIN (6 angka)').inputValue()).toBe('');
    expect(await page.getByTestId('balance').textContent()).toBe('Rp 100.000');
    expect(await page.getByTestId('available').textContent()).toBe('Rp 100.000');
    expect(await balanceOf(stack.t, member)).toMatchObject({ balance: 100_000, available: 100_000 });
    expect(await paymentsOf(member)).toEqual([]);

    // The same quote still pays with the right PIN (a fresh Idempotency-Key for the new confirmation).
    await page.getByLabel('PIN (6 angka)').fill(member.pin);
    await page.getByRole('button', { name: `Bayar ${total}` }).click();
    await expect
      .poll(() => page.getByTestId('payment-status').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('success');
    expect(await paymentsOf(member)).toHaveLength(1);
    await page.close();
  });

  it('retried after the answer was lost pays once: the retry reuses the Idempotency-Key and gets the same payment', async () => {
    const member = await givenMember(stack.t, kop, { balance: 200_000n });
    const page = await quoteWater(member);
    const total = (await page.getByTestId('quote-total').textContent())!;
    const keys: string[] = [];
    let dropped = false;
    await page.route('**/v1/payments', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (dropped) return route.continue();
      // The server receives and executes the payment, but its answer never reaches the phone.
      dropped = true;
      await route.fetch();
      await route.abort('connectionreset');
    });

    await page.getByLabel('PIN (6 angka)').fill(member.pin);
    await page.getByRole('button', { name: `Bayar ${total}` }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Koneksi terputus' }).count()).toBe(1);
    await page.getByRole('button', { name: `Bayar ${total}` }).click();
    await expect
      .poll(() => page.getByTestId('payment-status').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('success');

    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    const payments = await paymentsOf(member);
    expect(payments).toHaveLength(1);
    expect(page.url()).toContain(`/pembayaran/${payments[0]!.id}`);
    await page.close();
  });
});

describe('refusals', () => {
  it('say a locked PIN before the member starts, with whom to ask, and offer nothing to press', async () => {
    const member = await givenMember(stack.t, kop, { balance: 100_000n });
    const quote = await inquire(stack.t, member, { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000' });
    for (let i = 0; i < 5; i++)
      await pay(stack.t, member, quote.json<{ id: string }>().id, { pin: '999999' });
    const page = await signIn(browser.context, stack.baseUrl, kop.code, member.memberNo, member.password);
    await chooseProduct(page, /PDAM Tirta Benteng/);
    await expect
      .poll(() => page.getByText('PIN Anda terkunci karena terlalu sering salah, jadi').count())
      .toBe(1);
    expect(await page.getByRole('button', { name: 'Cek tagihan' }).isDisabled()).toBe(true);
    await expect.poll(() => page.getByRole('complementary', { name: 'Bantuan' }).count()).toBe(1);
    await page.close();
  });

  it('explain themselves in Indonesian: a wrong customer number, a malformed one, and savings that are not enough', async () => {
    const member = await givenMember(stack.t, kop, { balance: 50_000n });
    const page = await signIn(browser.context, stack.baseUrl, kop.code, member.memberNo, member.password);
    await chooseProduct(page, /PDAM Tirta Benteng/);

    await page.getByLabel('Nomor pelanggan').fill('12a4');
    await page.getByRole('button', { name: 'Cek tagihan' }).click();
    await expect.poll(() => page.locator('#f-customerNo-error').textContent()).toContain('angka saja');
    expect(await page.getByLabel('Nomor pelanggan').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Nomor pelanggan').fill('12340014'); // …0014: the biller does not know this number
    await page.getByRole('button', { name: 'Cek tagihan' }).click();
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'Nomor pelanggan' }).textContent())
      .toBe('Nomor pelanggan tidak ditemukan. Periksa kembali nomornya.');

    await page.getByLabel('Nomor pelanggan').fill('12340000');
    await page.getByRole('button', { name: 'Cek tagihan' }).click();
    const total = (await page.getByTestId('quote-total').textContent())!;
    // Savings short: said before the PIN, with how much is missing, and nothing to press that would pay.
    const missing = Number(total.replace(/\D/g, '')) - 50_000;
    const refused = page.getByRole('button', { name: `Kurang ${rupiah(missing)} — setor ke bendahara` });
    await expect.poll(() => refused.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: `Bayar ${total}` }).count()).toBe(0);
    expect(await page.getByText(`kurang ${rupiah(missing)} dari total tagihan`).count()).toBe(1);
    expect(await balanceOf(stack.t, member)).toMatchObject({ balance: 50_000, available: 50_000 });
    await page.close();
  });
});

describe('the PLN cut-off window', () => {
  let night: Stack;
  beforeAll(async () => {
    night = await startStack({ cutOff: cutOffAroundNow() });
  });
  afterAll(async () => {
    await night?.close();
  });

  it('refuses PLN with a clear message naming the window, before any debit', async () => {
    const nightKop = await givenKoperasi(night.t);
    const member = await givenMember(night.t, nightKop, { balance: 100_000n });
    const page = await signIn(
      browser.context,
      night.baseUrl,
      nightKop.code,
      member.memberNo,
      member.password,
    );
    await chooseProduct(page, /PLN Pascabayar/);
    const banner = page.getByText(/Pembayaran PLN tutup setiap hari pukul/);
    await banner.waitFor();
    await page.getByLabel('Nomor pelanggan').fill('530000000000');
    await page.getByRole('button', { name: 'Cek tagihan' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Pembayaran PLN sedang tutup' });
    await expect
      .poll(() => alert.textContent())
      .toMatch(
        /^Pembayaran PLN sedang tutup \(jam tutup harian PLN pukul \d\d\.\d\d–\d\d\.\d\d WIB\)\. Silakan coba lagi setelah pukul \d\d\.\d\d WIB\.$/,
      );
    expect(
      (
        await night.t.app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${member.token}` } })
      ).json(),
    ).toMatchObject({ balance: 100_000, available: 100_000 });
    await page.close();
  });
});
