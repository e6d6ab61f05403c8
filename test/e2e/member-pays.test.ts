/**
 * A member pays from the browser against the real stack (API, workers, sandbox upstream): the
 * quote, the PIN, the result arriving live over GET /v1/events, the PLN token, the struk, history.
 */
import { readFile } from 'node:fs/promises';
import { formatRupiah as rupiah } from '../../src/money.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GivenKoperasi,
  type GivenMember,
  balanceOf,
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
/** Authorization headers of every GET /v1/events the browser opened. */
const streams: string[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ pendingMs: 2_500 }), launchBrowser()]);
  kop = await givenKoperasi(stack.t);
  browser.context.on('request', (request) => {
    if (new URL(request.url()).pathname === '/v1/events') streams.push(request.headers().authorization ?? '');
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function memberPage(member: GivenMember) {
  return signIn(browser.context, stack.baseUrl, kop.code, member.memberNo, member.password);
}

describe('a member paying a bill', () => {
  it('buys a PLN token, watches it go from processing to success live, and gets the token and the struk', async () => {
    const member = await givenMember(stack.t, kop, { balance: 100_000n });
    const page = await memberPage(member);
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('Rp 100.000');

    await chooseProduct(page, /Token Listrik PLN/);
    await page.getByLabel('Nomor pelanggan').fill('14234561039'); // …1039: pending, then success ~2.5 s later
    await page.getByRole('radio', { name: 'Rp 20.000' }).check();
    await page.getByRole('button', { name: 'Cek tagihan' }).click();
    await expect.poll(() => page.getByTestId('quote-total').textContent()).toBe('Rp 23.500');
    await expect.poll(() => page.getByTestId('customer-name').textContent()).not.toBe('');
    // Before the PIN: what is left after paying, and how long the quote still holds.
    expect(await page.getByTestId('balance-after').textContent()).toBe('Sisa saldo setelah bayar: Rp 76.500');
    await expect
      .poll(() => page.getByTestId('quote-countdown').textContent())
      .toMatch(/^Tagihan berlaku \d+:\d{2} lagi\.$/);

    // The page must not reload to learn the outcome: the marker survives only without a reload.
    await page.evaluate('window.__stillTheSamePage = true');
    await page.getByLabel('PIN (6 angka)').fill(member.pin);
    await page.getByRole('button', { name: 'Bayar Rp 23.500' }).click();

    // The upstream answers "pending": the API reports processing, then suspect, until the upstream settles.
    const status = page.getByTestId('payment-status');
    await expect.poll(() => status.getAttribute('data-status')).toMatch(/^(processing|suspect)$/);
    await expect
      .poll(() => status.textContent())
      .toMatch(/Pembayaran sedang diproses|Menunggu kepastian dari penyedia tagihan/);
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 12_000 }).toBe('success');
    await expect.poll(() => status.textContent()).toContain('Pembayaran berhasil');

    const token = (await page.getByTestId('token').textContent())!.trim();
    expect(token).toMatch(/^\d{4}(-\d{4}){4}$/);
    expect(await page.evaluate('window.__stillTheSamePage')).toBe(true);
    // The live stream was opened with fetch and the bearer token (EventSource cannot send it).
    const sessionToken = await page.evaluate<string>(
      "JSON.parse(sessionStorage.getItem('pintu.session')).token",
    );
    expect(streams).toContain(`Bearer ${sessionToken}`);
    const paymentId = page.url().split('/').pop()!;
    expect(await apiGet(stack, member.token, `/v1/payments/${paymentId}`)).toMatchObject({
      status: 'success',
      token,
      total: 23_500,
    });
    await expect.poll(() => page.getByRole('button', { name: 'Salin token' }).isVisible()).toBe(true);
    // The struk shared by WhatsApp (no file sharing in this browser): the token in 4-digit groups, whose meter,
    // and what to do with it.
    const wa = await page.getByRole('link', { name: 'Bagikan struk' }).getAttribute('href');
    const shared = new URL(wa!).searchParams.get('text')!;
    expect(wa!.startsWith('https://wa.me/?text=')).toBe(true);
    expect(shared).toContain(token.replaceAll('-', ' '));
    expect(shared).toContain('Nomor meter: 14234561039');
    expect(shared).toContain('Masukkan 20 angka token ini ke meteran listrik.');
    expect(await status.textContent()).toContain('Masukkan 20 angka token ini ke meteran listrik Anda.');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Unduh struk' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`struk-${paymentId}.pdf`);
    const pdf = await readFile(await download.path());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(500);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Struk' }).textContent())
      .toContain('sudah diunduh');

    await page.getByRole('link', { name: 'Beranda' }).click();
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('Rp 76.500');
    expect(await balanceOf(stack.t, member)).toMatchObject({ balance: 76_500, available: 76_500 });
    await page.close();
  });

  it('pays a PLN postpaid bill of two months, seeing periods, denda, admin, koperasi fee and total, then finds it in history', async () => {
    const member = await givenMember(stack.t, kop, { balance: 1_000_000n });
    const page = await memberPage(member);
    await chooseProduct(page, /PLN Pascabayar/);
    await page.getByLabel('Nomor pelanggan').fill('530000000002'); // …0002: several periods
    await page.getByRole('button', { name: 'Cek tagihan' }).click();

    const quote = page.getByRole('region', { name: 'Rincian tagihan' });
    await quote.waitFor();
    const text = (await quote.textContent())!;
    for (const label of [
      'Nama pelanggan',
      'Periode',
      'Tagihan',
      'Denda',
      'Biaya admin',
      'Biaya koperasi',
      'Total',
      'Berlaku sampai',
    ]) {
      expect(text).toContain(label);
    }
    expect(text).toMatch(/Okt 2026|Nov 2026|\w{3} \d{4}, \w{3} \d{4}/);
    const total = (await page.getByTestId('quote-total').textContent())!;
    expect(total).toMatch(/^Rp \d{1,3}(\.\d{3})+$/);

    await page.getByLabel('PIN (6 angka)').fill(member.pin);
    await page.getByRole('button', { name: `Bayar ${total}` }).click();
    await expect
      .poll(() => page.getByTestId('payment-status').getAttribute('data-status'), { timeout: 12_000 })
      .toBe('success');

    await page.getByRole('link', { name: 'Riwayat', exact: true }).click();
    const history = page.getByRole('region', { name: 'Riwayat pembayaran' });
    await expect.poll(() => history.getByRole('listitem').count()).toBe(1);
    const row = (await history.getByRole('listitem').first().textContent())!;
    expect(row).toContain('PLN Pascabayar');
    expect(row).toContain('Berhasil');
    expect(row).toContain(total);
    await page.close();
  });

  it('fits a 360 px wide phone: home, quote, result with token and history never scroll sideways', async () => {
    const member = await givenMember(stack.t, kop, { balance: 300_000n });
    const page = await memberPage(member);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByTestId('balance').waitFor();
    expect(await sidewaysOverflow(page)).toBe(0);

    await chooseProduct(page, /Token Listrik PLN/);
    await page.getByLabel('Nomor pelanggan').fill('14234560000');
    await page.getByRole('radio', { name: 'Rp 1.000.000' }).check();
    await page.getByRole('button', { name: 'Cek tagihan' }).click();
    await waitForQuote(page);
    expect(await sidewaysOverflow(page)).toBe(0);

    await page.getByRole('radio', { name: 'Rp 1.000.000' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Ubah' }).click();
    await page.getByRole('radio', { name: 'Rp 50.000' }).check();
    await page.getByRole('button', { name: 'Cek tagihan' }).click();
    await page.getByLabel('PIN (6 angka)').fill(member.pin);
    await page.getByRole('button', { name: /^Bayar Rp/ }).click();
    await page.getByTestId('token').waitFor({ timeout: 10_000 });
    expect(await sidewaysOverflow(page)).toBe(0);

    await page.getByRole('link', { name: 'Riwayat', exact: true }).click();
    await page.getByRole('region', { name: 'Riwayat pembayaran' }).getByRole('listitem').first().waitFor();
    expect(await sidewaysOverflow(page)).toBe(0);
    await page.close();
  });

  it('works by keyboard alone: sign in, choose a product, check the bill and pay with Tab, typing and Enter', async () => {
    const member = await givenMember(stack.t, kop, { balance: 300_000n });
    const page = await browser.context.newPage();
    await page.goto(`${stack.baseUrl}/`);
    const focused = () =>
      page.evaluate<string>(
        "document.activeElement?.id || document.activeElement?.textContent?.trim() || ''",
      );
    const tabTo = async (wanted: RegExp) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        if (wanted.test(await focused())) return;
      }
      throw new Error(`Tab never reached ${String(wanted)}`);
    };

    await tabTo(/^f-koperasi$/);
    await page.keyboard.press('ControlOrMeta+A'); // the last koperasi code is remembered
    await page.keyboard.insertText(kop.code);
    await tabTo(/^f-username$/);
    await page.keyboard.insertText(member.memberNo);
    await tabTo(/^f-password$/);
    await page.keyboard.insertText(member.password);
    await page.keyboard.press('Enter');
    await page.getByTestId('balance').waitFor();

    await tabTo(/PDAM Tirta Benteng/);
    // The focused control shows a visible outline.
    expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).not.toBe(
      'none',
    );
    await page.keyboard.press('Enter');
    await tabTo(/^f-customerNo$/);
    await page.keyboard.insertText('12340000');
    await page.keyboard.press('Enter');
    await waitForQuote(page);
    await tabTo(/^f-pin$/);
    await page.keyboard.insertText(member.pin);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('payment-status').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('success');
    await page.close();
  });

  it('stays live when the event stream drops: it reconnects by itself and the result still arrives without a reload', async () => {
    const member = await givenMember(stack.t, kop, { balance: 300_000n });
    const page = await browser.context.newPage();
    let opened = 0;
    await page.route('**/v1/events', async (route) => {
      opened++;
      // The first stream says hello and then the connection ends, as a dropped mobile connection would.
      if (opened === 1) {
        return route.fulfill({
          status: 200,
          contentType: 'text/event-stream',
          body: 'event: ready\ndata: {"role":"member"}\n\n',
        });
      }
      return route.continue();
    });
    await signIn(browser.context, stack.baseUrl, kop.code, member.memberNo, member.password, page);
    await expect.poll(() => opened, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.locator('.live-open').count(), { timeout: 10_000 }).toBeGreaterThan(0);

    await page.evaluate('window.__stillTheSamePage = true');
    await chooseProduct(page, /PDAM Tirta Benteng/);
    await page.getByLabel('Nomor pelanggan').fill('12341039'); // pending upstream, settles ~2.5 s later
    await page.getByRole('button', { name: 'Cek tagihan' }).click();
    await page.getByLabel('PIN (6 angka)').fill(member.pin);
    await page.getByRole('button', { name: /^Bayar Rp/ }).click();
    const status = page.getByTestId('payment-status');
    await expect.poll(() => status.getAttribute('data-status')).toMatch(/^(processing|suspect)$/);
    // Well before the 15 s fallback poll: the outcome came over the reconnected stream.
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 10_000 }).toBe('success');
    expect(await page.evaluate('window.__stillTheSamePage')).toBe(true);
    await page.close();
  });

  it('pages through a long history with “Muat lagi”, newest first, with Indonesian status labels', async () => {
    const member = await givenMember(stack.t, kop, { balance: 5_000_000n });
    const ids: string[] = [];
    for (let i = 0; i < 23; i++)
      ids.push(
        (
          await quoteAndPay(stack.t, member, {
            product: 'PDAM_TIRTA_BENTENG',
            customerNo: i === 22 ? '12341037' : '12340000',
          })
        ).id,
      );
    const page = await memberPage(member);
    await page.getByRole('link', { name: 'Riwayat', exact: true }).click();
    const rows = page.getByRole('region', { name: 'Riwayat pembayaran' }).getByRole('listitem');
    await expect.poll(() => rows.count()).toBe(20);
    await expect.poll(() => rows.first().textContent()).toContain('Gagal'); // the newest: …1037 fails at once
    await page.getByRole('button', { name: 'Muat lagi' }).click();
    await expect.poll(() => rows.count()).toBe(23);
    expect(await page.getByRole('button', { name: 'Muat lagi' }).count()).toBe(0);
    expect(await rows.last().getAttribute('class')).toContain('payment-row');
    expect(await rows.last().getByRole('link').getAttribute('href')).toBe(`#/pembayaran/${ids[0]}`);
    await expect.poll(() => rows.last().textContent()).toContain('Berhasil');

    // Filter chips: only the failed one, then everything again.
    await page.getByRole('button', { name: 'Gagal', exact: true }).click();
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByRole('button', { name: 'Semua', exact: true }).click();
    await expect.poll(() => rows.count()).toBe(20);

    // The mutasi: this month's deposit, 23 payments out and the failed one's money back, with the month's sums.
    await page.getByRole('button', { name: 'Mutasi simpanan' }).click();
    const mutasi = page.getByRole('region', { name: 'Mutasi simpanan' });
    await expect.poll(() => mutasi.locator('li[data-kind="payment"]').count()).toBe(23);
    expect(await mutasi.locator('li[data-kind="refund"]').count()).toBe(1);
    expect(await mutasi.locator('li[data-kind="deposit"]').textContent()).toContain('+Rp 5.000.000');
    const api = await apiGet<{ items: { amount: number }[] }>(stack, member.token, '/v1/me/mutasi?limit=100');
    const out = -api.items.filter((m) => m.amount < 0).reduce((sum, m) => sum + m.amount, 0);
    const month = mutasi.locator('section.month').first();
    await expect.poll(() => month.textContent()).toContain(`Keluar ${rupiah(out)}`);

    // The failed payment says whom to ask, with a WhatsApp message that names it.
    await stack.t.app.inject({
      method: 'PUT',
      url: '/v1/me/phone',
      headers: { authorization: `Bearer ${kop.treasurerToken}` },
      payload: { phone: '081211112222' },
    });
    await page.goto(`${stack.baseUrl}/#/pembayaran/${ids[22]}`);
    const help = page.getByRole('complementary', { name: 'Bantuan' });
    await expect.poll(() => help.textContent()).toContain('081211112222');
    const wa = await help.getByRole('link', { name: 'Tanya lewat WhatsApp' }).getAttribute('href');
    expect(wa).toMatch(/^https:\/\/wa\.me\/6281211112222\?text=/);
    expect(new URL(wa!).searchParams.get('text')).toContain(`ID ${ids[22]}`);
    await page.close();
  });
});
