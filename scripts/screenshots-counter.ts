/**
 * Screenshots of the counter (loket) at a desk screen (1280 px): the kasir's desk with a bill, the result of a cash
 * payment with its struk step (print 58 mm, A4, WhatsApp), the 58 mm struk PDF itself rendered to PNG (with
 * Debian's poppler-utils `pdftoppm`, when installed), a failed cash payment asking for the cash back, and the shift
 * closing with expected vs counted and the difference. Called from scripts/screenshots.ts with its running stack.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '../src/paths.js';
import { launchBrowser, signIn } from '../test/e2e/browser.js';

const OUT = join(PROJECT_ROOT, 'docs', 'screenshots');

async function shot(page: Page, name: string) {
  await page.waitForTimeout(300);
  const file = join(OUT, `${name}-desktop.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`  ${file.slice(PROJECT_ROOT.length + 1)}`);
}

async function call(
  baseUrl: string,
  path: string,
  token: string | undefined,
  body: unknown,
): Promise<{ accessToken?: string }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
  return JSON.parse(text) as { accessToken?: string };
}

/** The signed-in kasir's token, as the web app keeps it (web/src/session.ts); the struk PDF is fetched with it. */
async function kasirTokenOf(page: Page): Promise<string> {
  const raw = await page.evaluate<string | null>("sessionStorage.getItem('pintu.session')");
  const token = raw ? (JSON.parse(raw) as { token?: string }).token : undefined;
  if (!token) throw new Error('no session token in the browser');
  return token;
}

/** The newest successful counter payment's 58 mm struk as the API gives it (PDF), rendered to PNG (200 dpi). */
async function strukPng(baseUrl: string, token: Promise<string>): Promise<void> {
  const auth = { authorization: `Bearer ${await token}` };
  const list = (await (await fetch(`${baseUrl}/v1/counter/payments`, { headers: auth })).json()) as {
    items: { id: string; status: string }[];
  };
  const paid = list.items.find((p) => p.status === 'success');
  if (!paid) throw new Error('no successful counter payment for the struk');
  const pdf = await fetch(`${baseUrl}/v1/payments/${paid.id}/receipt?format=58mm`, { headers: auth });
  if (pdf.status !== 200) throw new Error(`struk: ${pdf.status}`);
  const file = join(OUT, 'struk-58mm');
  const source = join(tmpdir(), `pintu-struk-${randomUUID()}.pdf`);
  await writeFile(source, Buffer.from(await pdf.arrayBuffer()));
  try {
    await promisify(execFile)('pdftoppm', ['-png', '-r', '200', '-singlefile', source, file]);
    console.log(`  ${file.slice(PROJECT_ROOT.length + 1)}.png`);
  } catch {
    console.log('  struk-58mm.png skipped: pdftoppm (apt-get install poppler-utils) is not installed');
  }
}

export async function counterShots(
  stack: { baseUrl: string },
  data: { koperasi: string; treasurer: { username: string; password: string } },
): Promise<void> {
  console.log('counter (loket), desktop (1280×800)');
  const { baseUrl } = stack;
  const treasurer = await call(baseUrl, '/v1/auth/token', undefined, {
    koperasi: data.koperasi,
    ...data.treasurer,
  });
  const kasir = { username: 'kasir-ani', password: 'sandi-kasir-ani-1' };
  await call(baseUrl, '/v1/kasir', treasurer.accessToken, {
    username: kasir.username,
    name: 'Ani Lestari',
    password: 'sandi-dari-bendahara-1',
  });
  const first = await call(baseUrl, '/v1/auth/token', undefined, {
    koperasi: data.koperasi,
    username: kasir.username,
    password: 'sandi-dari-bendahara-1',
  });
  await call(baseUrl, '/v1/me/password', first.accessToken, {
    currentPassword: 'sandi-dari-bendahara-1',
    newPassword: kasir.password,
  });

  const browser = await launchBrowser({ width: 1280, height: 800 });
  try {
    const page = await signIn(browser.context, baseUrl, data.koperasi, kasir.username, kasir.password);
    await page.getByLabel('Modal awal laci (Rp)').fill('200.000');
    await page.getByRole('button', { name: /^Buka shift/ }).click();
    await page.getByTestId('drawer').waitFor();

    await page.getByLabel('Produk').selectOption('PDAM_TIRTA_BENTENG');
    await page.getByLabel('Nomor pelanggan').fill('55510000');
    await page.getByLabel('Nama pembayar (boleh kosong)').fill('Pak Joko');
    await page.getByLabel('Nomor HP pembayar (untuk struk WhatsApp)').fill('081234567890');
    await page.getByRole('button', { name: 'Cek tagihan' }).click();
    await page.getByTestId('quote-total').waitFor();
    await shot(page, 'kasir-desk');

    await page.getByRole('button', { name: /^Terima tunai/ }).click();
    await page.locator('[data-testid="desk-result"][data-status="success"]').waitFor();
    await shot(page, 'kasir-struk-58mm');
    await strukPng(baseUrl, kasirTokenOf(page));
    await page.getByRole('button', { name: 'Pelanggan berikutnya' }).click();

    await page.getByLabel('Nomor pelanggan').fill('55511037');
    await page.getByRole('button', { name: 'Cek tagihan' }).click();
    await page.getByTestId('quote-total').waitFor();
    await page.getByRole('button', { name: /^Terima tunai/ }).click();
    await page.locator('[data-testid="desk-result"][data-status="failed"]').waitFor();
    await shot(page, 'kasir-cash-return');
    await page.getByRole('button', { name: 'Uang sudah dikembalikan' }).click();
    await page.getByText('Uang tunai sudah dikembalikan ke pelanggan.').waitFor();

    await page.getByRole('link', { name: 'Tutup shift' }).click();
    const expected = Number(
      ((await page.getByTestId('shift-expected').textContent()) ?? '').replace(/\D/g, ''),
    );
    await page.getByLabel('Uang dihitung (Rp)').fill(String(expected - 5_000));
    await page.getByRole('button', { name: 'Periksa selisih' }).click();
    await page.getByTestId('close-difference').waitFor();
    await shot(page, 'kasir-shift-closing');
  } finally {
    await browser.close();
  }
}
