/**
 * The treasurer's console in the browser: registering a member and recording a deposit, unlocking a
 * PIN, watching payments arrive live, settling a suspect payment, and downloading the daily report.
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { formatRupiah as rupiah } from '../../src/money.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GivenKoperasi,
  balanceOf,
  givenKoperasi,
  givenMember,
  inquire,
  login,
  pay,
  quoteAndPay,
  waitForPayment,
} from '../helpers/app.js';
import { type Browser, launchBrowser, sidewaysOverflow, signIn } from './browser.js';
import { type Stack, apiGet, startStack } from './helpers.js';

let stack: Stack;
let browser: Browser;
let kop: GivenKoperasi;

beforeAll(async () => {
  // Pending upstream scenarios stay pending for a minute: long enough to settle one by hand.
  [stack, browser] = await Promise.all([startStack({ pendingMs: 60_000 }), launchBrowser()]);
  kop = await givenKoperasi(stack.t);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const treasurerPage = () =>
  signIn(browser.context, stack.baseUrl, kop.code, kop.treasurer.username, kop.treasurer.password);

describe('the treasurer', () => {
  it('registers a member, records a deposit, and the member list shows the new balance', async () => {
    const page = await treasurerPage();
    await page.getByRole('link', { name: 'Anggota' }).click();
    await page.getByRole('link', { name: 'Daftarkan anggota' }).click();
    await page.getByLabel('Nomor anggota').fill('B-100');
    await page.getByLabel('Nama lengkap').fill('Dewi Lestari');
    await page.getByLabel('Nomor HP (opsional)').fill('081234567890');
    await page.getByLabel('Kata sandi awal').fill('rahasia-dewi');
    await page.getByLabel('PIN pembayaran').fill('246810');
    await page.getByRole('button', { name: 'Daftarkan' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'terdaftar' }).textContent())
      .toBe('Anggota Dewi Lestari (B-100) terdaftar.');

    await page.getByRole('link', { name: 'Setor simpanan Dewi Lestari' }).click();
    await expect.poll(() => page.getByTestId('member-balance').textContent()).toBe('Rp 0');
    await page.getByLabel('Nominal setoran (Rp)').fill('300.000');
    await page.getByLabel('Keterangan').fill('setoran tunai 29/11');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/v1/members/B-100/deposits')),
      page.getByRole('button', { name: 'Catat setoran' }).click(),
    ]);
    expect(answer.status()).toBe(201);
    expect(answer.request().headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Setoran' }).textContent())
      .toBe('Setoran Rp 300.000 untuk Dewi Lestari tercatat. Saldo baru: Rp 300.000.');
    await expect.poll(() => page.getByTestId('member-balance').textContent()).toBe('Rp 300.000');
    const dewi = await login(stack.t, kop.code, 'B-100', 'rahasia-dewi');
    expect(await apiGet(stack, dewi, '/v1/me')).toMatchObject({ balance: 300_000, available: 300_000 });

    await page.getByRole('link', { name: '← Daftar anggota' }).click();
    const row = page.locator('tr[data-member="B-100"]');
    await expect.poll(() => row.textContent()).toContain('Rp 300.000');

    // The treasurer's help number for members.
    await page.getByLabel('Nomor HP/WhatsApp bendahara untuk bantuan anggota').fill('081233334444');
    await page.getByRole('button', { name: 'Simpan nomor bantuan' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'diarahkan ke 081233334444' }).count())
      .toBe(1);
    const contact = await stack.t.app.inject({ url: `/v1/koperasi/${kop.code}/contact` });
    expect(contact.json()).toMatchObject({ treasurerPhone: '081233334444' });

    // Found by any part of the name or phone, and the member's page shows the mutasi from the journal.
    await page.getByLabel('Cari anggota').fill('lestari');
    await expect.poll(() => page.locator('tr[data-member]').count()).toBe(1);
    await page.getByLabel('Cari anggota').fill('zzz-nobody');
    await expect.poll(() => page.getByText('Tidak ada anggota yang cocok').count()).toBe(1);
    await page.getByLabel('Cari anggota').fill('4567890');
    await page
      .locator('tr[data-member="B-100"]')
      .getByRole('link', { name: 'Dewi Lestari', exact: true })
      .click();
    await expect.poll(() => page.getByTestId('member-page-balance').textContent()).toBe('Rp 300.000');
    const deposit = page.locator('table.mutasi tr[data-kind="deposit"]');
    await expect.poll(() => deposit.textContent()).toContain('Setoran simpanan · setoran tunai 29/11');
    expect(await deposit.textContent()).toContain('+Rp 300.000');
    await page.close();
  });

  it('unlocks a PIN locked after five wrong tries', async () => {
    const member = await givenMember(stack.t, kop, { balance: 100_000n, memberNo: 'C-001' });
    const quote = await inquire(stack.t, member, { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000' });
    for (let i = 0; i < 5; i++) await pay(stack.t, member, quote.json().id, { pin: '999999' });
    expect(await apiGet(stack, kop.treasurerToken, '/v1/members/C-001')).toMatchObject({ pinLocked: true });

    const page = await treasurerPage();
    await page.getByRole('link', { name: 'Anggota' }).click();
    await page.getByRole('button', { name: `Buka PIN Anggota C-001` }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'PIN' }).textContent())
      .toBe('PIN Anggota C-001 sudah dibuka.');
    expect(await apiGet(stack, kop.treasurerToken, '/v1/members/C-001')).toMatchObject({ pinLocked: false });
    await page.close();
  });

  it('sees a member’s payment appear in the live feed without reloading', async () => {
    const member = await givenMember(stack.t, kop, { balance: 500_000n });
    const page = await treasurerPage();
    const feed = page.getByRole('region', { name: 'Transaksi terbaru' });
    await feed.waitFor();
    await expect.poll(() => page.locator('.live-open').count()).toBeGreaterThan(0);
    const before = await feed.getByRole('listitem').count();
    const strip = page.getByTestId('today-strip');
    await strip.waitFor();
    const paymentsBefore = (
      await apiGet<{ today: { payments: number } }>(stack, kop.treasurerToken, '/v1/today')
    ).today.payments;

    const paid = await quoteAndPay(stack.t, member, {
      product: 'BPJS_KESEHATAN',
      customerNo: '8888801234560000',
      months: 2,
    });
    await waitForPayment(stack.t, member.token, paid.id);
    await expect.poll(() => feed.getByRole('listitem').count()).toBe(before + 1);
    // The row appears with the first event (Diproses) and turns Berhasil when the success event lands.
    const row = feed.getByRole('listitem').first();
    await expect.poll(() => row.textContent()).toContain('Berhasil');
    // Filter chips: "Gagal" hides it, "Semua" brings it back.
    await page.getByRole('button', { name: 'Gagal', exact: true }).click();
    await expect.poll(() => feed.getByText('BPJS Kesehatan').count()).toBe(0);
    await page.getByRole('button', { name: 'Semua', exact: true }).click();
    await expect.poll(() => feed.getByRole('listitem').count()).toBe(before + 1);
    expect(await row.textContent()).toContain('BPJS Kesehatan');
    expect(await row.textContent()).toContain(`Anggota ${member.memberNo}`);
    // The "Hari ini" strip counts it too, without a reload, with the API's total.
    const today = await apiGet<{ today: { payments: number; total: number } }>(
      stack,
      kop.treasurerToken,
      '/v1/today',
    );
    expect(today.today.payments).toBe(paymentsBefore + 1);
    await expect.poll(() => strip.textContent()).toContain(`${today.today.payments} pembayaran`);
    expect(await strip.textContent()).toContain(rupiah(today.today.total));
    await page.close();
  });

  it('settles a suspect payment as failed with a reason, and the member gets the money back', async () => {
    const member = await givenMember(stack.t, kop, { balance: 500_000n });
    const paid = await quoteAndPay(stack.t, member, {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12341039',
    }); // pending upstream
    await waitForPayment(stack.t, member.token, paid.id, ['suspect']);

    const page = await treasurerPage();
    // The tab says how many wait, before anyone opens it.
    await expect.poll(() => page.getByRole('link', { name: /^Perlu konfirmasi \(\d+\)$/ }).count()).toBe(1);
    await page.getByRole('link', { name: 'Perlu konfirmasi' }).click();
    const item = page.locator('li.suspect').filter({ hasText: `Anggota ${member.memberNo}` });
    await item.waitFor();
    await item.getByLabel('Gagal — dana dikembalikan ke anggota').check();
    await item.getByLabel('Alasan').fill('dicek di portal biller: tidak terbayar');
    // What the treasurer needs at the aggregator's portal, in full and copyable, and how long it has waited.
    const card = await item.textContent();
    expect(card).toContain('12341039');
    expect(card).toMatch(/Menunggu (kurang dari 1 menit|\d+ menit)/);
    await item.getByRole('button', { name: 'Selesaikan' }).click();
    // The money effect in words, confirmed once more.
    await expect
      .poll(() => item.getByRole('alertdialog').textContent())
      .toContain(
        `Rp 5x kembali ke saldo Anggota ${member.memberNo} (${member.memberNo}).`.replace(
          'Rp 5x',
          rupiah(paid.total),
        ),
      );
    await item.getByRole('button', { name: 'Ya, selesaikan' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'diselesaikan' }).textContent())
      .toContain('gagal; dana dikembalikan');
    await expect.poll(() => item.count()).toBe(0);
    expect(await apiGet(stack, member.token, `/v1/payments/${paid.id}`)).toMatchObject({ status: 'failed' });
    expect(await balanceOf(stack.t, member)).toMatchObject({ balance: 500_000, available: 500_000 });
    await page.close();
  });

  it('downloads the daily report as CSV, XLSX and PDF', async () => {
    const member = await givenMember(stack.t, kop, { balance: 500_000n });
    const paid = await quoteAndPay(stack.t, member, {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12340000',
    });
    await waitForPayment(stack.t, member.token, paid.id);
    const page = await treasurerPage();
    await page.getByRole('link', { name: 'Laporan' }).click();
    const date = await page.getByLabel('Tanggal (WIB)').inputValue();
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const expected = {
      csv: { type: 'text/csv', check: (b: Buffer) => expect(b.toString('utf8')).toContain(member.memberNo) },
      xlsx: {
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        check: async (b: Buffer) => {
          const book = new ExcelJS.Workbook();
          await book.xlsx.load(b as unknown as ArrayBuffer);
          expect(book.worksheets.length).toBeGreaterThan(0);
        },
      },
      pdf: {
        type: 'application/pdf',
        check: (b: Buffer) => expect(b.subarray(0, 5).toString()).toBe('%PDF-'),
      },
    };
    for (const [format, label] of [
      ['csv', 'CSV'],
      ['xlsx', 'Excel (XLSX)'],
      ['pdf', 'PDF'],
    ] as const) {
      const [download, response] = await Promise.all([
        page.waitForEvent('download'),
        page.waitForResponse((r) => r.url().includes(`/v1/reports/daily?date=${date}&format=${format}`)),
        page.getByRole('button', { name: `Unduh ${label}` }).click(),
      ]);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain(expected[format].type);
      expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${format}$`));
      const body = await readFile(await download.path());
      expect(body.length).toBeGreaterThan(100);
      await expected[format].check(body);
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'sudah diunduh' }).textContent())
        .toContain(download.suggestedFilename());
    }

    // No settlement was reconciled for today: "not reconciled yet", never mistaken for "no differences".
    await page.getByRole('button', { name: 'Tampilkan hasil rekonsiliasi' }).click();
    await expect.poll(() => page.getByTestId('recon-state').textContent()).toContain('belum direkonsiliasi');
    await page.close();
  });

  it('fits a 360 px wide phone on every screen of the console', async () => {
    const page = await treasurerPage();
    await page.setViewportSize({ width: 360, height: 740 });
    for (const [link, ready] of [
      ['Transaksi', 'Transaksi koperasi'],
      ['Anggota', 'Anggota'],
      ['Perlu konfirmasi', 'Pembayaran menunggu konfirmasi'],
      ['Biaya', 'Biaya koperasi'],
      ['Laporan', 'Laporan harian'],
    ] as const) {
      await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: ready }).waitFor();
      await expect.poll(() => page.getByText('Memuat…').count()).toBe(0);
      expect(await sidewaysOverflow(page), link).toBe(0);
    }
    await page.close();
  });

  it('sets the koperasi fee of a product, and the next quote of a member carries it', async () => {
    const page = await treasurerPage();
    await page.getByRole('link', { name: 'Biaya', exact: true }).click();
    const field = page.getByLabel(/PDAM Tirta Benteng/);
    await expect.poll(() => field.inputValue()).toBe('1000');
    await field.fill('2.500');
    await page.locator('li', { has: field }).getByRole('button', { name: 'Simpan' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Disimpan' }).textContent())
      .toBe('Disimpan: Rp 2.500.');
    expect(await field.inputValue()).toBe('2500');

    const member = await givenMember(stack.t, kop, { balance: 100_000n });
    const quote = await inquire(stack.t, member, { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000' });
    expect(quote.json()).toMatchObject({ koperasiFee: 2_500 });
    await page.close();
  });
});
