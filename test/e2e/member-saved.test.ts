/**
 * The member's repeat payments in a real browser against the real stack: saving a number after paying, paying it
 * again with one tap on its chip, "Bayar lagi" from history, the PIN pad (taps and a physical keyboard), the
 * offline banner (the browser's offline emulation) with a payment that is not re-sent blindly, sharing the struk
 * (a PDF through the share sheet, or a WhatsApp text), the saved-number list on Akun and "Bantuan" in the header.
 * On a 360 px phone and a 1280 px desktop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GivenKoperasi,
  type GivenMember,
  givenKoperasi,
  givenMember,
  quoteAndPay,
} from '../helpers/app.js';
import {
  type Browser,
  chooseProduct,
  launchBrowser,
  sidewaysOverflow,
  signIn,
  waitForQuote,
} from './browser.js';
import { type Stack, apiGet, startStack } from './helpers.js';

let stack: Stack;
let browser: Browser;
let kop: GivenKoperasi;

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const OFFLINE = 'Tidak ada koneksi internet. Pembayaran belum dikirim.';

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser(PHONE)]);
  kop = await givenKoperasi(stack.t);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function memberPage(member: GivenMember, viewport = PHONE) {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  await signIn(browser.context, stack.baseUrl, kop.code, member.memberNo, member.password, page);
  await page.getByTestId('balance').waitFor();
  return page;
}

type Page = Awaited<ReturnType<typeof memberPage>>;

/** Type the PIN on the pad, key by key, as a thumb would. */
async function tapPin(page: Page, pin: string) {
  const pad = page.getByRole('group', { name: 'Tombol angka PIN' });
  for (const digit of pin) await pad.getByRole('button', { name: digit, exact: true }).click();
}

const payments = (member: GivenMember) =>
  apiGet<{ items: { id: string; status: string; customerNo: string }[] }>(
    stack,
    member.token,
    '/v1/payments?limit=100',
  );

describe('saved numbers and paying again', () => {
  it('saves the number after paying, then pays it again with one tap on its chip and the PIN pad (360 px)', async () => {
    const member = await givenMember(stack.t, kop, { balance: 500_000n });
    const page = await memberPage(member);
    await chooseProduct(page, /PDAM Tirta Benteng/);
    await page.getByLabel('Nomor pelanggan').fill('12340000');
    await page.getByRole('button', { name: 'Cek tagihan' }).click();
    await waitForQuote(page);
    // The member's own number in full on the quote.
    expect(await page.getByRole('region', { name: 'Rincian tagihan' }).textContent()).toContain('12340000');
    await page.getByLabel('PIN (6 angka)').fill(member.pin);
    await page.getByRole('button', { name: /^Bayar Rp/ }).click();
    const status = page.getByTestId('payment-status');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 12_000 }).toBe('success');

    // "Simpan nomor ini", the nickname starting as the customer's name.
    const nickname = page.getByLabel('Nama untuk nomor ini');
    const customerName = (
      await apiGet<{ customerName: string }>(
        stack,
        member.token,
        `/v1/payments/${page.url().split('/').pop()!}`,
      )
    ).customerName;
    expect(await nickname.inputValue()).toBe(customerName.slice(0, 40));
    await nickname.fill('Rumah Ibu');
    await page.getByRole('button', { name: 'Simpan nomor' }).click();
    await expect.poll(() => page.getByTestId('saved-note').textContent()).toContain('“Rumah Ibu”');
    expect(await sidewaysOverflow(page)).toBe(0);
    const saved = await apiGet<{ items: { nickname: string; customerNo: string }[] }>(
      stack,
      member.token,
      '/v1/me/saved-numbers',
    );
    expect(saved.items).toEqual([expect.objectContaining({ nickname: 'Rumah Ibu', customerNo: '12340000' })]);

    // Next month: one tap on the chip checks the bill.
    await page.getByRole('link', { name: 'Beranda' }).click();
    await chooseProduct(page, /PDAM Tirta Benteng/);
    const chip = page.getByRole('button', { name: /Rumah Ibu/ });
    expect(await chip.textContent()).toContain('12340000');
    expect(await sidewaysOverflow(page)).toBe(0);
    await chip.click();
    await waitForQuote(page);
    expect(await page.getByLabel('Nomor pelanggan').count()).toBe(0);

    // "Bayar" first confirms the amount; the 6th digit on the pad then pays by itself.
    await page.getByRole('button', { name: /^Bayar Rp/ }).click();
    await expect.poll(() => page.locator('#f-pin-error').textContent()).toBe('Masukkan 6 angka PIN.');
    const keys = page.getByRole('group', { name: 'Tombol angka PIN' }).getByRole('button');
    expect(await keys.count()).toBe(12);
    for (const box of await Promise.all((await keys.all()).map((k) => k.boundingBox())))
      expect(box!.height).toBeGreaterThanOrEqual(56);
    await tapPin(page, member.pin.slice(0, 5));
    await expect.poll(() => page.getByTestId('pin-dots').getAttribute('data-filled')).toBe('5');
    expect(await sidewaysOverflow(page)).toBe(0);
    await tapPin(page, member.pin.slice(5));
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 12_000 }).toBe('success');
    expect((await payments(member)).items.filter((p) => p.status === 'success')).toHaveLength(2);
    await page.close();
  });

  it('pays again from a history row with "Bayar lagi", the PIN typed on a physical keyboard (1280 px)', async () => {
    const member = await givenMember(stack.t, kop, { balance: 500_000n });
    await quoteAndPay(stack.t, member, { product: 'PLN_POSTPAID', customerNo: '530000000000' });
    const page = await memberPage(member, DESKTOP);
    await page.getByRole('link', { name: 'Riwayat', exact: true }).click();
    const row = page.getByRole('region', { name: 'Riwayat pembayaran' }).getByRole('listitem').first();
    await expect.poll(() => row.textContent()).toContain('530000000000');
    await row.getByRole('button', { name: /^Bayar lagi/ }).click();
    // The pay screen opens with the number and checks the bill by itself.
    await waitForQuote(page);
    expect(page.url()).toContain('#/bayar/PLN_POSTPAID');
    expect(await page.getByRole('region', { name: 'Rincian tagihan' }).textContent()).toContain(
      '530000000000',
    );

    // A physical keyboard on the pad: digits, Backspace, digits; the dots follow.
    await page.getByRole('button', { name: '1', exact: true }).focus();
    await page.keyboard.type(member.pin.slice(0, 4));
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.getByTestId('pin-dots').getAttribute('data-filled')).toBe('3');
    await page.keyboard.type(member.pin.slice(3));
    await expect.poll(() => page.getByTestId('pin-dots').getAttribute('data-filled')).toBe('6');
    expect(await page.getByLabel('PIN (6 angka)').inputValue()).toBe(member.pin);
    // Not confirmed yet: nothing was sent until "Bayar".
    expect((await payments(member)).items).toHaveLength(1);
    await page.getByRole('button', { name: /^Bayar Rp/ }).click();
    await expect
      .poll(() => page.getByTestId('payment-status').getAttribute('data-status'), { timeout: 12_000 })
      .toBe('success');
    // "Bayar lagi" on the payment itself.
    await page.getByRole('link', { name: 'Bayar lagi' }).click();
    await waitForQuote(page);
    expect(await sidewaysOverflow(page)).toBe(0);
    await page.close();
  });
});

describe('no connection', () => {
  it('shows the offline banner, sends nothing while offline, and retries a lost payment with the same key', async () => {
    const member = await givenMember(stack.t, kop, { balance: 500_000n });
    const page = await memberPage(member);
    const banner = page.getByTestId('offline-banner');
    expect(await banner.isVisible()).toBe(false);
    await chooseProduct(page, /PDAM Tirta Benteng/);
    await page.getByLabel('Nomor pelanggan').fill('12340000');

    await browser.context.setOffline(true);
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toBe(OFFLINE);
    expect(await sidewaysOverflow(page)).toBe(0);
    await page.getByRole('button', { name: 'Cek tagihan' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: OFFLINE }).count()).toBeGreaterThan(0);
    await browser.context.setOffline(false);
    await expect.poll(() => banner.isVisible()).toBe(false);

    await page.getByRole('button', { name: 'Cek tagihan' }).click();
    await waitForQuote(page);
    // The first confirmation is lost on the way (the connection drops): the member sees it, nothing is re-sent.
    const keys: string[] = [];
    let dropped = false;
    await page.route('**/v1/payments', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (!dropped) {
        dropped = true;
        return route.abort('internetdisconnected');
      }
      return route.continue();
    });
    await page.getByLabel('PIN (6 angka)').fill(member.pin);
    await page.getByRole('button', { name: /^Bayar Rp/ }).click();
    await expect.poll(() => banner.isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Koneksi terputus' }).count()).toBe(1);
    await page.waitForTimeout(500);
    expect(keys).toHaveLength(1);
    // The member presses "Bayar" again: the same Idempotency-Key, one payment.
    await page.getByRole('button', { name: /^Bayar Rp/ }).click();
    await expect
      .poll(() => page.getByTestId('payment-status').getAttribute('data-status'), { timeout: 12_000 })
      .toBe('success');
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    await expect.poll(() => banner.isVisible()).toBe(false);
    expect((await payments(member)).items).toHaveLength(1);
    await page.close();
  });
});

describe('sharing the struk and the token', () => {
  it('shares a PLN token as WhatsApp text where files cannot be shared: token in groups, kWh with a comma, name, date', async () => {
    const member = await givenMember(stack.t, kop, { balance: 500_000n });
    const paid = await quoteAndPay(stack.t, member, {
      product: 'PLN_PREPAID',
      customerNo: '14234560000',
      amount: 20_000,
    });
    const page = await memberPage(member);
    await page.goto(`${stack.baseUrl}/#/pembayaran/${paid.id}`);
    await page.getByTestId('token').waitFor({ timeout: 12_000 });
    const payment = await apiGet<{ token: string; customerName: string }>(
      stack,
      member.token,
      `/v1/payments/${paid.id}`,
    );
    expect(await page.getByTestId('payment-status').textContent()).toContain(
      'Masukkan 20 angka token ini ke meteran listrik Anda',
    );
    expect(await page.getByRole('button', { name: 'Salin token' }).getAttribute('class')).toContain(
      'primary',
    );
    const kwh = (await page.getByTestId('token-kwh').textContent())!;
    expect(kwh).toMatch(/^\d+,\d kWh$/);

    const share = page.getByRole('link', { name: 'Bagikan struk' });
    const url = new URL((await share.getAttribute('href'))!);
    expect(url.origin + url.pathname).toBe('https://wa.me/');
    const text = url.searchParams.get('text')!;
    const groups = payment.token.replace(/\D/g, '').match(/.{4}/g)!.join(' ');
    for (const part of [
      'Struk Token Listrik PLN',
      `Nama: ${payment.customerName}`,
      'Nomor meter: 14234560000',
      `Token: ${groups}`,
      `Jumlah listrik: ${kwh}`,
      'Total: Rp 23.500',
      'Masukkan 20 angka token ini ke meteran listrik.',
    ])
      expect(text).toContain(part);
    expect(text).toMatch(/Waktu: \d{1,2} \w{3} \d{4},? \d{2}\.\d{2} WIB/);
    expect(await sidewaysOverflow(page)).toBe(0);
    await page.close();
  });

  it('puts the struk PDF in the phone’s share sheet where the browser can share files', async () => {
    const member = await givenMember(stack.t, kop, { balance: 500_000n });
    const paid = await quoteAndPay(stack.t, member, {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12340000',
    });
    const page = await browser.context.newPage();
    // A phone's share sheet, as Chrome on Android offers it.
    await page.addInitScript(`
      window.__shared = [];
      navigator.canShare = (data) => Array.isArray(data.files);
      navigator.share = async (data) => {
        const file = data.files[0];
        const head = new TextDecoder().decode((await file.arrayBuffer()).slice(0, 5));
        window.__shared.push({ name: file.name, type: file.type, head, text: data.text });
      };
    `);
    await signIn(browser.context, stack.baseUrl, kop.code, member.memberNo, member.password, page);
    await page.goto(`${stack.baseUrl}/#/pembayaran/${paid.id}`);
    await expect
      .poll(() => page.getByTestId('payment-status').getAttribute('data-status'), { timeout: 12_000 })
      .toBe('success');
    await page.getByRole('button', { name: 'Bagikan struk' }).click();
    await expect.poll(() => page.evaluate('window.__shared.length')).toBe(1);
    expect(await page.evaluate('window.__shared[0]')).toMatchObject({
      name: `struk-${paid.id}.pdf`,
      type: 'application/pdf',
      head: '%PDF-',
      text: expect.stringContaining('Nomor pelanggan: 12340000'),
    });
    await page.close();
  });
});

describe('Akun › Nomor tersimpan and Bantuan', () => {
  it('renames and deletes a saved number, and opens the koperasi’s contact from the header (1280 px and 360 px)', async () => {
    const member = await givenMember(stack.t, kop, { balance: 0n });
    for (const [customerNo, nickname] of [
      ['12345678', 'Kios Pasar'],
      ['87654321', 'Rumah Ibu'],
    ])
      await stack.t.app.inject({
        method: 'POST',
        url: '/v1/me/saved-numbers',
        headers: { authorization: `Bearer ${member.token}` },
        payload: { product: 'PDAM_TIRTA_BENTENG', customerNo, nickname },
      });
    await stack.t.app.inject({
      method: 'PUT',
      url: '/v1/me/phone',
      headers: { authorization: `Bearer ${kop.treasurerToken}` },
      payload: { phone: '081233334444' },
    });
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await memberPage(member, viewport);
      await page.getByRole('button', { name: 'Bantuan' }).click();
      const help = page.getByRole('complementary', { name: 'Bantuan' });
      await expect.poll(() => help.textContent()).toContain('081233334444');
      expect(await help.getByRole('link', { name: 'Tanya lewat WhatsApp' }).getAttribute('href')).toMatch(
        /^https:\/\/wa\.me\/6281233334444\?text=/,
      );
      expect(await sidewaysOverflow(page)).toBe(0);
      await page.getByRole('button', { name: 'Tutup' }).click();
      await page.close();
    }

    const page = await memberPage(member, PHONE);
    await page.getByRole('link', { name: 'Akun' }).click();
    await page.getByRole('link', { name: 'Atur nomor tersimpan' }).click();
    const list = page.getByRole('list', { name: 'Daftar nomor tersimpan' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
    expect(await list.textContent()).toContain('12345678');
    await page.getByRole('button', { name: 'Ganti nama Kios Pasar' }).click();
    await page.getByLabel('Nama baru').fill('Kios Pasar Baru');
    await page.getByRole('button', { name: 'Simpan nama' }).click();
    await expect.poll(() => list.textContent()).toContain('Kios Pasar Baru');
    await page.getByRole('button', { name: 'Hapus Rumah Ibu' }).click();
    await page.getByRole('button', { name: 'Ya, hapus' }).click();
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
    expect(await sidewaysOverflow(page)).toBe(0);
    const left = await apiGet<{ items: { nickname: string }[] }>(stack, member.token, '/v1/me/saved-numbers');
    expect(left.items.map((s) => s.nickname)).toEqual(['Kios Pasar Baru']);
    await page.close();
  });
});
