/**
 * Autodebet in a real browser against the real stack (phone, 390 px): a member sets up autodebet from a saved
 * number with the PIN pad, finds it in the list, pauses it; a bill over the limit of another subscription makes
 * the scheduler tell the member, and the bell in the header counts it live (SSE) before the list shows it.
 */
import { wibDate } from '../../src/clock.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autodebetTick } from '../../src/autodebet/scheduler.js';
import { type GivenKoperasi, bearer, givenKoperasi, givenMember } from '../helpers/app.js';
import { type Browser, launchBrowser, sidewaysOverflow, signIn } from './browser.js';
import { type Stack, startStack } from './helpers.js';

let stack: Stack;
let browser: Browser;
let kop: GivenKoperasi;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser({ width: 390, height: 844 })]);
  kop = await givenKoperasi(stack.t);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('autodebet in the member app', () => {
  it('sets up autodebet from a saved number, lists it, pauses it, and hears about a skipped bill live', async () => {
    const member = await givenMember(stack.t, kop, { balance: 500_000n });
    const saved = await stack.t.app.inject({
      method: 'POST',
      url: '/v1/me/saved-numbers',
      headers: bearer(member.token),
      payload: { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000', nickname: 'Air Rumah' },
    });
    expect(saved.statusCode, saved.body).toBe(201);

    const page = await browser.context.newPage();
    await signIn(browser.context, stack.baseUrl, kop.code, member.memberNo, member.password, page);
    await page.getByRole('link', { name: 'Akun' }).click();
    await page.getByRole('link', { name: 'Atur autodebet' }).click();
    await page.getByRole('link', { name: 'Tambah autodebet' }).click();
    await page.getByRole('radio', { name: /Air Rumah/ }).check();
    await page.getByLabel('Tanggal bayar').selectOption('15');
    await page.getByLabel('Bayar otomatis sampai Rp …').fill('300.000');
    const pad = page.getByRole('group', { name: 'Tombol angka PIN' });
    for (const digit of member.pin) await pad.getByRole('button', { name: digit, exact: true }).click();
    await page.getByRole('button', { name: 'Aktifkan autodebet' }).click();
    await page.getByRole('heading', { name: 'Autodebet Air Rumah' }).waitFor();
    const summary = page.getByRole('region', { name: 'Ringkasan autodebet' });
    expect(await summary.textContent()).toContain('Rp 300.000');
    expect(await summary.textContent()).toContain('Tanggal 15 setiap bulan');

    await page.getByRole('link', { name: '← Autodebet' }).click();
    const card = page.getByRole('list', { name: 'Autodebet aktif dan dijeda' }).getByRole('listitem');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.textContent()).toMatch(/Air Rumah.*Aktif/);
    expect(await sidewaysOverflow(page)).toBe(0);

    await card.getByRole('link', { name: 'Air Rumah' }).click();
    await page.getByRole('button', { name: 'Jeda' }).click();
    await page.getByRole('button', { name: 'Lanjutkan' }).waitFor();
    expect(await summary.textContent()).toContain('Jeda');

    // Another subscription, due today, whose bill is above its limit: the scheduler skips it and says so.
    const today = Number(wibDate(new Date()).slice(8, 10));
    const other = await stack.t.app.inject({
      method: 'POST',
      url: '/v1/me/subscriptions',
      headers: bearer(member.token),
      payload: {
        product: 'PDAM_TIRTA_BENTENG',
        customerNo: '12345555',
        nickname: 'Toko',
        dayOfMonth: today,
        maxAmount: 1_000,
        pin: member.pin,
      },
    });
    expect(other.statusCode, other.body).toBe(201);
    expect(await page.getByTestId('bell-count').count()).toBe(0);
    await autodebetTick(stack.t.deps);
    await expect.poll(() => page.getByTestId('bell-count').textContent(), { timeout: 10_000 }).toBe('1');
    await page.getByTestId('bell').click();
    const notice = page.locator('.notification').first();
    expect(await notice.textContent()).toContain('Autodebet PDAM Toko tidak dibayar');
    expect(await notice.textContent()).toContain('melebihi batas Rp 1.000');
    // Seen: the bell clears.
    await expect.poll(() => page.getByTestId('bell-count').count()).toBe(0);
    expect(await sidewaysOverflow(page)).toBe(0);
  });
});
