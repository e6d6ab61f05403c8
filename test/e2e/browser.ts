/**
 * Headless Debian Chromium for the end-to-end tests and the screenshot script (no vitest imports
 * here, so scripts/screenshots.ts can use it too), and the few UI steps every test repeats.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { WEB_DIST } from '../../src/paths.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile (user-data-dir) per launch; each page of it has its own sessionStorage, so one page per user. */
export async function launchBrowser(viewport = { width: 390, height: 844 }): Promise<Browser> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(
      `the web app is not built (${WEB_DIST}/index.html is missing): run \`npm run build:web\` first`,
    );
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'pintu-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(15_000);
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Open the app and sign in through the login form. */
export async function signIn(
  context: BrowserContext,
  baseUrl: string,
  koperasi: string,
  username: string,
  password: string,
  page?: Page,
): Promise<Page> {
  page ??= await context.newPage();
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Kode koperasi').fill(koperasi);
  await page.getByLabel('Nama pengguna atau nomor anggota').fill(username);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByRole('button', { name: 'Keluar' }).waitFor();
  return page;
}

export { cutOffAroundNow, cutOffFarFromNow } from '../helpers/cut-off.js';

/**
 * Wait for the quote after "Cek tagihan"; if the screen shows an error instead, fail with its text
 * (a bare timeout says nothing about why the quote never came).
 */
export async function waitForQuote(page: Page): Promise<void> {
  try {
    await page.getByTestId('quote-total').waitFor();
  } catch (error) {
    const alerts = await page.getByRole('alert').allTextContents();
    throw new Error(`no quote; the screen says: ${alerts.join(' | ') || 'no error'}`, { cause: error });
  }
}

/** Member home: open a product's payment screen from the product list. */
export async function chooseProduct(page: Page, name: RegExp): Promise<void> {
  await page.getByRole('list', { name: 'Pilih produk' }).getByRole('link', { name }).click();
}

/** How many CSS pixels the page is wider than the viewport (0 = no sideways scrolling). */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}
