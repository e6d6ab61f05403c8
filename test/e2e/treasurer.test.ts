/**
 * The treasurer's console in the browser: registering a member and recording a deposit (with its receipt and
 * WhatsApp text), correcting a deposit, unlocking a PIN, watching payments arrive live and filtering them,
 * settling a suspect payment, closing the day, and downloading the daily and monthly reports.
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
    await item.getByLabel('Alasan').fill('dicek di portal penyedia: tidak terbayar');
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
    // The screen fills in today's WIB date once it has rendered: wait for it rather than read it at once.
    const dateField = page.getByLabel('Tanggal (WIB)');
    await expect.poll(() => dateField.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const date = await dateField.inputValue();

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
      ['Tutup hari', 'Tutup hari'],
      ['Laporan', 'Laporan'],
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

describe('deposits, the day and the filters', () => {
  it('gives a deposit its receipt (PDF) and a WhatsApp text to the member', async () => {
    await stack.t.app.inject({
      method: 'POST',
      url: '/v1/members',
      headers: { authorization: `Bearer ${kop.treasurerToken}` },
      payload: {
        memberNo: 'R-500',
        name: 'Rina Wati',
        phone: '081298765432',
        password: 'sandi-rina-1',
        pin: '192837',
      },
    });
    const page = await treasurerPage();
    await page.goto(`${stack.baseUrl}/#/anggota/R-500/setor`);
    await page.getByLabel('Nominal setoran (Rp)').fill('75.000');
    await page.getByRole('button', { name: 'Catat setoran' }).click();
    const receipt = page.getByRole('region', { name: /^Bukti setoran nomor \d+$/ });
    await receipt.waitFor();
    const wa = receipt.getByRole('link', { name: 'Kirim lewat WhatsApp' });
    const link = new URL((await wa.getAttribute('href'))!);
    expect(link.origin + link.pathname).toBe('https://wa.me/6281298765432');
    const text = link.searchParams.get('text')!;
    expect(text).toContain('Rina Wati (R-500)');
    expect(text).toContain('Setoran: Rp 75.000');
    expect(text).toContain('Saldo tersedia setelah setoran: Rp 75.000');
    await receipt.getByText('Lihat pesan WhatsApp').click();
    expect(await receipt.getByTestId('wa-text').textContent()).toBe(text);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      receipt.getByRole('button', { name: 'Unduh bukti (PDF)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^bukti-setoran-\d+\.pdf$/);
    const pdf = await readFile(await download.path());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  for (const width of [360, 1280]) {
    it(`corrects a wrong deposit after saying the money effect in words, with a reason (${width} px)`, async () => {
      const memberNo = `K-${width}`;
      await stack.t.app.inject({
        method: 'POST',
        url: '/v1/members',
        headers: { authorization: `Bearer ${kop.treasurerToken}` },
        payload: { memberNo, name: 'Dewi Lestari', password: 'sandi-dewi-1', pin: '192837' },
      });
      await stack.t.app.inject({
        method: 'POST',
        url: `/v1/members/${memberNo}/deposits`,
        headers: { authorization: `Bearer ${kop.treasurerToken}`, 'idempotency-key': crypto.randomUUID() },
        payload: { amount: 50_000, reference: 'setoran tunai' },
      });
      const page = await treasurerPage();
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${stack.baseUrl}/#/anggota/${memberNo}`);
      const deposit = page.locator('table.mutasi tr[data-kind="deposit"]');
      await deposit.getByRole('button', { name: 'Koreksi' }).click();
      const form = page.getByRole('form', { name: 'Koreksi setoran' });
      await form.getByRole('button', { name: 'Koreksi setoran' }).click();
      await expect.poll(() => form.getByRole('alert').textContent()).toContain('paling sedikit 5 huruf');
      await form.getByLabel('Alasan koreksi').fill('salah input, setoran milik anggota lain');
      await form.getByRole('button', { name: 'Koreksi setoran' }).click();
      await expect
        .poll(() => form.getByRole('alertdialog').textContent())
        .toContain('Rp 50.000 ditarik dari simpanan Dewi Lestari');
      expect(await sidewaysOverflow(page)).toBe(0);
      await form.getByRole('button', { name: 'Ya, koreksi' }).click();
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'dikoreksi' }).textContent())
        .toContain('Saldo sekarang Rp 0');
      const correction = page.locator('table.mutasi tr[data-kind="other"]');
      await expect
        .poll(() => correction.textContent())
        .toContain('Koreksi setoran · salah input, setoran milik anggota lain');
      expect(await correction.textContent()).toContain('-Rp 50.000');
      await expect.poll(() => deposit.textContent()).toContain('Sudah dikoreksi');
      expect(await deposit.getByRole('button', { name: 'Koreksi' }).count()).toBe(0);
      expect(await apiGet(stack, kop.treasurerToken, `/v1/members/${memberNo}`)).toMatchObject({
        balance: 0,
      });
      await page.close();
    });
  }

  it('closes the day: payments, income, deposits, owed upstream and what is still open, printable', async () => {
    const member = await givenMember(stack.t, kop, { balance: 300_000n });
    const paid = await quoteAndPay(stack.t, member, {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12340000',
    });
    await waitForPayment(stack.t, member.token, paid.id);
    const closing = await apiGet<{
      feeIncome: number;
      owedUpstream: number;
      deposits: { net: number };
      payments: { byStatus: { status: string; total: number }[] };
    }>(stack, kop.treasurerToken, '/v1/closing');
    const page = await treasurerPage();
    await page.getByRole('navigation').getByRole('link', { name: 'Tutup hari', exact: true }).click();
    const sheet = page.getByTestId('closing');
    await sheet.waitFor();
    const text = (await sheet.textContent())!;
    expect(text).toContain(rupiah(closing.feeIncome));
    expect(text).toContain(rupiah(closing.owedUpstream));
    expect(text).toContain(rupiah(closing.deposits.net));
    expect(text).toContain(rupiah(closing.payments.byStatus.find((s) => s.status === 'success')!.total));
    expect(await page.getByTestId('closing-recon').textContent()).toContain('Belum direkonsiliasi');
    // The date reads in Indonesian next to the browser's own date input.
    const words = await page.locator('#closing-date-words').textContent();
    expect(words).toMatch(
      /^\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4}$/,
    );
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    expect(await sheet.isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await page.close();
  });

  it('downloads the report of a whole month', async () => {
    const page = await treasurerPage();
    await page.getByRole('navigation').getByRole('link', { name: 'Laporan', exact: true }).click();
    await page.getByRole('button', { name: 'Satu bulan' }).click();
    const monthField = page.getByLabel('Bulan');
    await expect.poll(() => monthField.inputValue()).toMatch(/^\d{4}-\d{2}$/);
    const month = await monthField.inputValue();
    expect(await page.locator('#report-month-words').textContent()).toMatch(/^[A-Z][a-z]+ \d{4}$/);
    const [download, response] = await Promise.all([
      page.waitForEvent('download'),
      page.waitForResponse((r) => r.url().includes(`/v1/reports/range?month=${month}&format=csv`)),
      page.getByRole('button', { name: 'Unduh CSV' }).click(),
    ]);
    expect(response.status()).toBe(200);
    expect(download.suggestedFilename()).toBe(`laporan-bulanan-${kop.code}-${month}.csv`);
    const csv = (await readFile(await download.path())).toString('utf8');
    expect(csv).toContain('date,payment_count,success_count');
    // A range longer than a year is said before anything is asked of the server.
    await page.getByRole('button', { name: 'Rentang tanggal' }).click();
    await page.getByLabel('Dari tanggal').fill('2024-01-01');
    await page.getByRole('button', { name: 'Unduh CSV' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '366 hari' }).count()).toBe(1);
    await page.close();
  });

  for (const width of [360, 1280]) {
    it(`filters the feed by product and by member (${width} px)`, async () => {
      const siti = await givenMember(stack.t, kop, { balance: 1_000_000n, memberNo: `F-${width}` });
      const water = await quoteAndPay(stack.t, siti, {
        product: 'PDAM_TIRTA_BENTENG',
        customerNo: '12340000',
      });
      const bpjs = await quoteAndPay(stack.t, siti, {
        product: 'BPJS_KESEHATAN',
        customerNo: '8888801234560000',
        months: 1,
      });
      await waitForPayment(stack.t, siti.token, water.id);
      await waitForPayment(stack.t, siti.token, bpjs.id);
      const page = await treasurerPage();
      await page.setViewportSize({ width, height: 800 });
      const feed = page.getByRole('region', { name: 'Transaksi terbaru' });
      await feed.waitFor();
      await page.getByText('Saring menurut produk, anggota atau tanggal').click();
      await page.getByLabel('Anggota (nomor atau nama)').fill(siti.memberNo.toLowerCase());
      await expect.poll(() => feed.getByRole('listitem').count()).toBe(2);
      await page.getByLabel('Produk').selectOption('BPJS_KESEHATAN');
      await expect.poll(() => feed.getByRole('listitem').count()).toBe(1);
      expect(await feed.getByRole('listitem').textContent()).toContain('BPJS Kesehatan');
      await page.getByLabel('Produk').selectOption('PLN_PREPAID');
      await expect.poll(() => feed.getByText('Tidak ada transaksi yang cocok').count()).toBe(1);
      expect(await sidewaysOverflow(page)).toBe(0);
      await page.getByRole('button', { name: 'Hapus saringan' }).click();
      await expect.poll(() => feed.getByRole('listitem').count()).toBeGreaterThan(2);
      await page.close();
    });
  }
});
