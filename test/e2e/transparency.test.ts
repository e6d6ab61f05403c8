/**
 * Transparency in the browser: office staff of the Dinas Koperasi watch every koperasi of their region
 * (the table, a koperasi's detail with its chart and audit log), the pengawas reads the koperasi console
 * without a single write action, and a member sees the koperasi's totals on a phone.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRupiah as rupiah } from '../../src/money.js';
import { takeCheckpoints } from '../../src/transparency/checkpoints.js';
import { runVerification } from '../../src/transparency/verification.js';
import {
  type GivenKoperasi,
  type GivenMember,
  bearer,
  givenKoperasi,
  givenMember,
  givenOfficeUser,
  quoteAndPay,
  waitForPayment,
} from '../helpers/app.js';
import { type Browser, launchBrowser, sidewaysOverflow, signIn } from './browser.js';
import { type Stack, apiGet, startStack } from './helpers.js';

const SHOTS = join(import.meta.dirname, '../../docs/screenshots');
const REGION = 'Kabupaten Tangerang';
const DESKTOP = { width: 1280, height: 900 };

interface Figures {
  payments: number;
  total: number;
  feeIncome: number;
  deposits: number;
}
interface Row {
  id: string;
  code: string;
  name: string;
  today: Figures;
  month: Figures;
  activeMembers: number;
  suspects: { open: number; oldestMinutes: number | null };
  problems: string[];
}

let stack: Stack;
let browser: Browser;
/** Pays bills; healthy. */
let sejahtera: GivenKoperasi;
/** Has a payment stuck as suspect for hours. */
let makmur: GivenKoperasi;
/** Another region: the supervisor must not see it. */
let elsewhere: GivenKoperasi;
let member: GivenMember;
let supervisor: { username: string; password: string; token: string };
const pengawas = { username: 'pengawas-makmur', password: 'sandi-pengawas-1', name: 'Ibu Ratna' };

beforeAll(async () => {
  // Pending upstream scenarios stay pending for ten minutes: the suspect stays open through the file.
  [stack, browser] = await Promise.all([startStack({ pendingMs: 600_000 }), launchBrowser(DESKTOP)]);
  await mkdir(SHOTS, { recursive: true });
  sejahtera = await givenKoperasi(stack.t, `sejahtera-${Date.now() % 100_000}`, { region: REGION });
  makmur = await givenKoperasi(stack.t, `makmur-${Date.now() % 100_000}`, { region: REGION });
  elsewhere = await givenKoperasi(stack.t, `lain-${Date.now() % 100_000}`, { region: 'Kota Bogor' });
  supervisor = await givenOfficeUser(stack.t, 'supervisor', REGION);

  member = await givenMember(stack.t, sejahtera, { balance: 1_000_000n, memberNo: 'A-001' });
  for (const inquiry of [
    { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000' },
    { product: 'BPJS_KESEHATAN', customerNo: '8888801234560000', months: 1 },
  ]) {
    const paid = await quoteAndPay(stack.t, member, inquiry);
    await waitForPayment(stack.t, member.token, paid.id);
  }

  const other = await givenMember(stack.t, makmur, { balance: 500_000n, memberNo: 'M-007' });
  const stuck = await quoteAndPay(stack.t, other, { product: 'PDAM_TIRTA_BENTENG', customerNo: '12341039' });
  await waitForPayment(stack.t, other.token, stuck.id, ['suspect']);
  // Suspect for three hours: past SUSPECT_ALERT_MINUTES, so the office sees "Suspect lama".
  await stack.t.database.superuser(
    `UPDATE payments SET suspect_since = now() - interval '3 hours', created_at = now() - interval '3 hours'
     WHERE id = $1`,
    [stuck.id],
  );
  const created = await stack.t.app.inject({
    method: 'POST',
    url: '/v1/pengawas',
    headers: bearer(makmur.treasurerToken),
    payload: pengawas,
  });
  expect(created.statusCode, created.body).toBe(201);

  // The night's work, now: sign a checkpoint of every book and verify the ledger.
  const { db, signer } = stack.t.deps;
  await takeCheckpoints({ db, signer, now: new Date() }, { day: todayWib(), kind: 'on_demand' });
  await runVerification(stack.t.deps, { source: 'cli' });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

function todayWib(): string {
  return new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
}

async function officeRows(): Promise<Row[]> {
  return (await apiGet<{ koperasi: Row[] }>(stack, supervisor.token, '/v1/office/koperasi')).koperasi;
}

async function signInOffice(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${stack.baseUrl}/`);
  await page.getByRole('link', { name: 'Masuk sebagai petugas Dinas' }).click();
  await page.getByRole('heading', { level: 1, name: 'Masuk sebagai petugas Dinas' }).waitFor();
  expect(await page.getByLabel('Kode koperasi').count()).toBe(0);
  await page.getByLabel('Nama pengguna').fill(supervisor.username);
  await page.getByLabel('Kata sandi').fill(supervisor.password);
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/v1/auth/office-token')),
    page.getByRole('button', { name: 'Masuk', exact: true }).click(),
  ]);
  expect(answer.status()).toBe(200);
  await page.getByRole('button', { name: 'Keluar' }).waitFor();
  return page;
}

const cellText = async (page: Page, code: string, col: string) =>
  (await page.locator(`tr[data-koperasi="${code}"] [data-col="${col}"]`).textContent()) ?? '';

describe('office staff (supervisor of a region)', () => {
  it('sees every koperasi of the region with the API’s numbers, problems marked, sortable and filterable', async () => {
    const page = await signInOffice();
    await page.getByRole('heading', { level: 1, name: 'Semua koperasi' }).waitFor();
    await page.locator(`tr[data-koperasi="${sejahtera.code}"]`).waitFor();
    await expect.poll(() => page.locator('header').textContent()).toContain(`Wilayah ${REGION}`);

    const rows = await officeRows();
    const row = rows.find((r) => r.code === sejahtera.code)!;
    expect(row.today.payments).toBe(2);
    expect(await cellText(page, sejahtera.code, 'today')).toBe(
      `${rupiah(row.today.total)}${row.today.payments} pembayaran`,
    );
    expect(await cellText(page, sejahtera.code, 'month')).toBe(
      `${rupiah(row.month.total)}${row.month.payments} pembayaran`,
    );
    expect(await cellText(page, sejahtera.code, 'fees')).toBe(
      `${rupiah(row.month.feeIncome)}hari ini${rupiah(row.today.feeIncome)}`,
    );
    expect(row.month.feeIncome).toBeGreaterThan(0);
    expect(await cellText(page, sejahtera.code, 'members')).toBe(String(row.activeMembers));
    expect(await cellText(page, sejahtera.code, 'deposits')).toContain(rupiah(row.month.deposits));
    expect(await cellText(page, sejahtera.code, 'ledger')).toContain('Terverifikasi');

    // Only the region's koperasi; the one with a suspect for hours stands out, in words.
    expect(await page.locator(`tr[data-koperasi="${elsewhere.code}"]`).count()).toBe(0);
    const stuck = page.locator(`tr[data-koperasi="${makmur.code}"]`);
    expect(rows.find((r) => r.code === makmur.code)!.problems).toContain('stale_suspects');
    expect(await stuck.getAttribute('class')).toContain('row-problem');
    expect(await stuck.locator('th').textContent()).toContain('Suspect lama');
    expect(await cellText(page, makmur.code, 'suspects')).toMatch(/^1tertua (2 jam 5\d menit|3 jam)/);
    expect(await page.locator(`tr[data-koperasi="${sejahtera.code}"]`).getAttribute('class')).toBeNull();
    // At 1280 px the whole table fits: no sideways scrolling inside it either.
    expect(await page.locator('.office-wrap').evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'office-console-desktop.png'), fullPage: true });

    // Sorting by a column header: aria-sort says the order, the rows follow the API's numbers.
    const order = () =>
      page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-koperasi')));
    const header = page.getByRole('columnheader', { name: /Bulan ini/ });
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    const byMonth = [...rows].sort(
      (a, b) => b.month.total - a.month.total || a.name.localeCompare(b.name, 'id'),
    );
    expect(await order()).toEqual(byMonth.map((r) => r.code));
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    expect(await order()).toEqual([...byMonth].reverse().map((r) => r.code));

    await page.getByLabel(/Hanya yang bermasalah/).check();
    expect(await order()).toEqual([makmur.code]);
    await page.getByLabel(/Hanya yang bermasalah/).uncheck();
    await page.getByLabel('Cari koperasi').fill(sejahtera.code.toUpperCase());
    expect(await order()).toEqual([sejahtera.code]);
    await page.getByLabel('Cari koperasi').fill('');

    // Live: a new payment shows when the window gets the focus back (and every 15 s anyway).
    const paid = await quoteAndPay(stack.t, member, {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12340000',
    });
    await waitForPayment(stack.t, member.token, paid.id);
    await page.evaluate('window.dispatchEvent(new Event("focus"))');
    await expect.poll(() => cellText(page, sejahtera.code, 'today')).toContain('3 pembayaran');

    // A 360 px phone gets one card per koperasi and a sort menu instead of column headers.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await sidewaysOverflow(page)).toBe(0);
    await page.getByLabel('Urutkan').selectOption('suspects:desc');
    expect(await order()).toEqual([makmur.code, sejahtera.code]);
    await page.setViewportSize(DESKTOP);

    // The region's monthly summary as a file.
    const [download, response] = await Promise.all([
      page.waitForEvent('download'),
      page.waitForResponse((r) => r.url().includes('/v1/office/summary')),
      page.getByRole('button', { name: 'Unduh Excel (XLSX)' }).click(),
    ]);
    expect(response.status()).toBe(200);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    expect((await readFile(await download.path())).subarray(0, 2).toString()).toBe('PK');
    await page.close();
  });

  it('opens a koperasi: its figures, the fee chart, product mix, payments, checkpoints and audit log', async () => {
    const page = await signInOffice();
    await page.locator(`tr[data-koperasi="${sejahtera.code}"]`).getByRole('link').click();
    const detail = await apiGet<{
      koperasi: Row;
      feeIncomeByDay: { day: string; amount: number }[];
    }>(stack, supervisor.token, `/v1/office/koperasi/${sejahtera.id}`);
    await page.getByRole('heading', { level: 1, name: detail.koperasi.name }).waitFor();
    await expect
      .poll(() => page.getByTestId('koperasi-figures').textContent())
      .toContain(
        `${detail.koperasi.month.payments} pembayaranPendapatan biaya ${rupiah(detail.koperasi.month.feeIncome)}`,
      );

    // The chart is one image with words for a name, and the numbers are in a table too.
    const chart = page.getByRole('img', { name: /Pendapatan biaya per hari/ });
    expect(await chart.getAttribute('aria-label')).toContain(
      `jumlah ${rupiah(detail.feeIncomeByDay.reduce((n, d) => n + d.amount, 0))}`,
    );
    expect(await chart.locator('rect.bar').count()).toBe(30);
    const today = detail.feeIncomeByDay.at(-1)!;
    expect(today.amount).toBeGreaterThan(0);
    expect(await chart.locator(`rect[data-day="${today.day}"]`).getAttribute('data-amount')).toBe(
      String(today.amount),
    );
    expect(await page.getByRole('table', { name: /Pendapatan biaya per hari/ }).textContent()).toContain(
      rupiah(today.amount),
    );

    expect(await page.getByTestId('product-mix').textContent()).toContain('BPJS Kesehatan');
    expect(await page.getByTestId('office-feed').locator('tbody tr').count()).toBe(3);

    const checkpoints = await apiGet<{ checkpoints: { fingerprint: string }[] }>(
      stack,
      supervisor.token,
      `/v1/transparency/checkpoints?koperasi=${sejahtera.id}`,
    );
    expect(await page.getByRole('region', { name: /Titik periksa/ }).textContent()).toContain(
      checkpoints.checkpoints[0]!.fingerprint,
    );
    expect(await page.getByRole('link', { name: 'kunci publik Pintu' }).getAttribute('href')).toBe(
      '/.well-known/pintu-ledger-key.json',
    );

    const audit = page.getByRole('region', { name: 'Log audit' });
    await expect.poll(() => audit.locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
    const log = (await audit.textContent()) ?? '';
    expect(log).toContain('Mendaftarkan anggota');
    expect(log).toContain('Mencatat setoran simpanan');
    expect(log).toContain('Bendahara');
    await audit.getByLabel('Tindakan').selectOption('savings.deposit');
    await audit.getByRole('button', { name: 'Terapkan' }).click();
    await expect
      .poll(() =>
        audit.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action'))),
      )
      .toEqual(['savings.deposit']);
    expect(await audit.locator('tbody tr').first().textContent()).toContain(rupiah(1_000_000));
    await audit.getByRole('button', { name: 'Hapus saringan' }).click();
    await expect.poll(() => audit.locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: join(SHOTS, 'office-koperasi-desktop.png'), fullPage: true });
    await page.close();
  });

  it('is told “not found” for a koperasi of another region', async () => {
    const response = await stack.t.app.inject({
      url: `/v1/office/koperasi/${elsewhere.id}`,
      headers: bearer(supervisor.token),
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('the pengawas (supervisory board of a koperasi)', () => {
  it('reads the console and the audit log, and is offered no write action anywhere', async () => {
    const page = await signIn(
      browser.context,
      stack.baseUrl,
      makmur.code,
      pengawas.username,
      pengawas.password,
    );
    await expect.poll(() => page.locator('header').textContent()).toContain('Pengawas: Ibu Ratna');
    const feed = page.getByRole('region', { name: 'Transaksi terbaru' });
    await expect.poll(() => feed.getByRole('listitem').count()).toBe(1);
    expect(await feed.textContent()).toContain('Anggota M-007');

    const writes = page.getByRole('button', {
      name: /Simpan|Selesaikan|Daftarkan|Buka PIN|Catat setoran|Setor/,
    });
    for (const [link, ready] of [
      ['Anggota', 'Anggota'],
      ['Perlu konfirmasi', 'Pembayaran menunggu konfirmasi'],
      ['Biaya', 'Biaya koperasi'],
      ['Laporan', 'Laporan harian'],
      ['Audit', 'Log audit'],
    ] as const) {
      // "Perlu konfirmasi (1)": the tab carries how many payments wait.
      await page
        .getByRole('navigation')
        .getByRole('link', { name: new RegExp(`^${link}( \\(\\d+\\))?$`) })
        .click();
      await page.getByRole('heading', { level: 1, name: ready }).waitFor();
      await expect.poll(() => page.getByText('Memuat…').count()).toBe(0);
      expect(await writes.count(), link).toBe(0);
      expect(await page.getByRole('link', { name: /Daftarkan anggota|Setor/ }).count(), link).toBe(0);
      expect(await page.getByRole('textbox', { name: /PDAM|PLN|BPJS/ }).count(), link).toBe(0);
      if (link === 'Perlu konfirmasi') expect(await page.locator('li.suspect').count()).toBe(1);
      if (link === 'Anggota') expect(await page.locator('tr[data-member="M-007"]').count()).toBe(1);
    }

    const audit = page.getByRole('region', { name: 'Log audit' });
    await expect.poll(() => audit.locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
    const log = (await audit.textContent()) ?? '';
    expect(log).toContain('Membuat akun pengawas');
    expect(log).toContain(pengawas.name);
    await page.screenshot({ path: join(SHOTS, 'audit-log-desktop.png'), fullPage: true });

    // The routes of the write screens lead nowhere for a pengawas either.
    await page.goto(`${stack.baseUrl}/#/anggota/baru`);
    await page.getByRole('heading', { level: 1, name: 'Anggota' }).waitFor();
    expect(await page.getByLabel('PIN pembayaran').count()).toBe(0);
    await page.close();
  });
});

describe('a member', () => {
  it('opens Transparansi on a 360 px phone and sees the month’s totals of the koperasi', async () => {
    const page = await signIn(
      browser.context,
      stack.baseUrl,
      sejahtera.code,
      member.memberNo,
      member.password,
    );
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByRole('navigation').getByRole('link', { name: 'Transparansi' }).click();
    await page.getByRole('heading', { level: 1, name: 'Transparansi koperasi' }).waitFor();

    const summary = await apiGet<{
      month: {
        payments: number;
        total: number;
        feeIncome: number;
        byProduct: { category: string; total: number }[];
      };
      checkpoint: { fingerprint: string } | null;
      verification: { ok: boolean } | null;
    }>(stack, member.token, '/v1/transparency/summary');
    expect(summary.month.payments).toBe(3);
    await expect.poll(() => page.getByTestId('month-payments').textContent()).toBe('3');
    expect(await page.getByTestId('month-total').textContent()).toBe(rupiah(summary.month.total));
    expect(await page.getByTestId('month-fees').textContent()).toBe(rupiah(summary.month.feeIncome));
    const water = summary.month.byProduct
      .filter((p) => p.category === 'water')
      .reduce((n, p) => n + p.total, 0);
    expect(await page.getByTestId('month').locator('[data-category="water"]').textContent()).toContain(
      `Air (PDAM)2 pembayaran${rupiah(water)}`,
    );
    expect(await page.getByTestId('fingerprint').textContent()).toBe(summary.checkpoint!.fingerprint);
    expect(summary.verification?.ok).toBe(true);
    expect(await page.getByTestId('verification').textContent()).toContain('Cocok, tidak ada selisih');
    expect(await page.getByText('Sidik jari buku besar').count()).toBe(1);
    // Totals only: neither the member number nor a customer number is on the page.
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toContain(member.memberNo);
    expect(text).not.toContain('12340000');
    expect(await sidewaysOverflow(page)).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'member-transparency-phone.png'), fullPage: true });
    await page.close();
  });
});
