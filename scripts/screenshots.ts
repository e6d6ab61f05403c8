/**
 * Screenshots of the web app's main screens, for the docs: starts the whole stack in-process (a
 * fresh database, a Redis prefix of its own, the sandbox upstream, the API and the workers), seeds a
 * koperasi with members and payments through the API, and drives headless Chromium at 390×844
 * (phone) and 1280×800 (desktop). PNGs go to docs/screenshots/<screen>-<phone|desktop>.png.
 *
 *   npm run build:web && node --import tsx scripts/screenshots.ts
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { type Sandbox, createSandbox } from '../adapters/sandbox/index.js';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { type Deps, buildDeps } from '../src/deps.js';
import { createLogger } from '../src/logger.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { ensurePlatformAccounts } from '../src/seed.js';
import { prepareDatabase } from '../src/startup.js';
import { type RunningWorkers, startWorkers } from '../src/worker.js';
import { ADMIN_URL, REDIS_URL, databaseUrl } from '../test/helpers/env.js';
import { chooseProduct, cutOffFarFromNow, launchBrowser, signIn } from '../test/e2e/browser.js';
import { counterShots } from './screenshots-counter.js';
import { autodebetShots } from './screenshots-autodebet.js';

const OUT = join(PROJECT_ROOT, 'docs', 'screenshots');
const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

interface Running {
  baseUrl: string;
  adminToken: string;
  close(): Promise<void>;
}

/** The stack `npm start` runs, on a throw-away database, torn down afterwards. */
async function startStack(): Promise<Running> {
  const dbName = `pintu_shots_${randomBytes(4).toString('hex')}`;
  const prefix = `pintu-shots-${randomBytes(4).toString('hex')}`;
  const cutOff = cutOffFarFromNow();
  const config = loadConfig({
    DATABASE_URL: databaseUrl(dbName),
    REDIS_URL,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE: '10000',
    INQUIRY_RATE_LIMIT_PER_MINUTE: '100000',
    PAYMENT_RATE_LIMIT_PER_MINUTE: '100000',
    POLL_INITIAL_MS: '200',
    UPSTREAM_TIMEOUT_MS: '5000',
    PLN_CUTOFF_START: cutOff.start,
    PLN_CUTOFF_END: cutOff.end,
  });
  await prepareDatabase(config);
  // Pending upstream scenarios stay pending (suspect) while the screenshots are taken.
  const sandbox: Sandbox = createSandbox({ seed: 7, pendingMs: 600_000, refundMs: 600_000, cutOff });
  const upstream = await sandbox.listen(0, '127.0.0.1');
  const deps: Deps = buildDeps(config, {
    upstreamUrls: { digiflazz: `${upstream}/digiflazz`, iak: `${upstream}/iak` },
    log: createLogger({ level: 'warn', name: 'screenshots' }),
    name: 'screenshots',
  });
  await ensurePlatformAccounts(deps);
  const app: FastifyInstance = await buildApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  sandbox.setCallbackUrl('digiflazz', `${baseUrl}/v1/callbacks/digiflazz`);
  sandbox.setCallbackUrl('iak', `${baseUrl}/v1/callbacks/iak`);
  const workers: RunningWorkers = startWorkers(deps, { sealIntervalMs: 500 });
  return {
    baseUrl,
    adminToken: config.ADMIN_TOKEN,
    async close() {
      await workers.close();
      await app.close();
      await deps.close();
      await sandbox.close();
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).finally(() => admin.end());
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}

/** A tiny API client for seeding. */
function client(baseUrl: string) {
  return async <T = Record<string, unknown>>(
    path: string,
    options: { token?: string; body?: unknown; key?: boolean; method?: string } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.key) headers['idempotency-key'] = randomUUID();
    const response = await fetch(`${baseUrl}${path}`, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
}

interface Seeded {
  koperasi: string;
  treasurer: { username: string; password: string };
  member: { memberNo: string; password: string; pin: string };
  tokenPaymentId: string;
}

async function seed(stack: Running): Promise<Seeded> {
  const call = client(stack.baseUrl);
  const koperasi = 'kopsejahtera';
  const treasurer = { username: 'bendahara', password: 'rahasia-bendahara-1' };
  await call('/v1/koperasi', {
    token: stack.adminToken,
    body: { code: koperasi, name: 'Koperasi Sejahtera Bersama', treasurer },
  });
  const login = async (username: string, password: string) =>
    (await call<{ accessToken: string }>('/v1/auth/token', { body: { koperasi, username, password } }))
      .accessToken;
  const boss = await login(treasurer.username, treasurer.password);

  const people = [
    { memberNo: 'A-001', name: 'Siti Rahayu', phone: '081234567801', balance: 1_500_000 },
    { memberNo: 'A-002', name: 'Budi Santoso', phone: '081234567802', balance: 750_000 },
    { memberNo: 'A-003', name: 'Dewi Lestari', phone: '081234567803', balance: 420_000 },
    { memberNo: 'A-004', name: 'Agus Wijaya', phone: '081234567804', balance: 95_000 },
    { memberNo: 'A-005', name: 'Rina Kusumawati', phone: '081234567805', balance: 2_250_000 },
    { memberNo: 'A-006', name: 'Joko Prasetyo', phone: '081234567806', balance: 50_000 },
  ];
  for (const p of people) {
    await call('/v1/members', {
      token: boss,
      body: {
        memberNo: p.memberNo,
        name: p.name,
        phone: p.phone,
        password: 'sandi-dari-bendahara-1',
        pin: '860731',
      },
    });
    // The first login replaces the treasurer's password and PIN with the member's own.
    const first = await login(p.memberNo, 'sandi-dari-bendahara-1');
    const changed = await call<{ accessToken: string }>('/v1/me/password', {
      token: first,
      body: { currentPassword: 'sandi-dari-bendahara-1', newPassword: 'sandi-anggota-1' },
    });
    await call('/v1/me/pin', {
      token: changed.accessToken,
      body: { currentPin: '860731', newPin: '246810' },
    });
    await call(`/v1/members/${p.memberNo}/deposits`, {
      token: boss,
      key: true,
      body: { amount: p.balance, reference: 'setoran tunai' },
    });
  }
  await call('/v1/fees/PLN_PREPAID', { token: boss, method: 'PUT', body: { amount: 1500 } });

  const pay = async (memberNo: string, inquiry: Record<string, unknown>) => {
    const token = await login(memberNo, 'sandi-anggota-1');
    const quote = await call<{ id: string }>('/v1/inquiries', { token, body: inquiry });
    return call<{ id: string; status: string }>('/v1/payments', {
      token,
      key: true,
      body: { quoteId: quote.id, pin: '246810' },
    });
  };
  await pay('A-001', { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000' });
  await pay('A-001', { product: 'BPJS_KESEHATAN', customerNo: '8888801234560000', months: 3 });
  await pay('A-001', { product: 'PLN_POSTPAID', customerNo: '530000001037' }); // fails, refunded at once
  await pay('A-002', { product: 'PLN_POSTPAID', customerNo: '530000001039' }); // pending → suspect
  await pay('A-003', { product: 'PDAM_TIRTA_BENTENG', customerNo: '12341099' }); // unknown code → suspect
  await pay('A-005', { product: 'PLN_POSTPAID', customerNo: '530000000000' });
  const token = await pay('A-001', { product: 'PLN_PREPAID', customerNo: '14234560000', amount: 50_000 });

  // Five wrong PINs lock A-004, so the members list shows an unlock action.
  const agus = await login('A-004', 'sandi-anggota-1');
  const quote = await call<{ id: string }>('/v1/inquiries', {
    token: agus,
    body: { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000' },
  });
  for (let i = 0; i < 5; i++) {
    await fetch(`${stack.baseUrl}/v1/payments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${agus}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ quoteId: quote.id, pin: '000000' }),
    });
  }
  // Let the workers finish the payments that settle at once.
  await new Promise((r) => setTimeout(r, 1_500));
  return {
    koperasi,
    treasurer,
    member: { memberNo: 'A-001', password: 'sandi-anggota-1', pin: '246810' },
    tokenPaymentId: token.id,
  };
}

async function shot(page: Page, name: string, viewport: string) {
  // Not 'networkidle': the live event stream keeps a request open for as long as the page lives.
  await page.getByText('Memuat…').first().waitFor({ state: 'detached' });
  await page.waitForTimeout(300);
  const file = join(OUT, `${name}-${viewport}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`  ${file.slice(PROJECT_ROOT.length + 1)}`);
}

/**
 * Member: saved-number chips, the PIN pad, the token with "Bagikan struk", the offline banner and Akun › Nomor
 * tersimpan, at 360 px (the narrowest phone the app supports) and 1280 px.
 */
async function memberRepeatShots(stack: Running, data: Seeded) {
  const call = client(stack.baseUrl);
  const { accessToken } = await call<{ accessToken: string }>('/v1/auth/token', {
    body: { koperasi: data.koperasi, username: data.member.memberNo, password: data.member.password },
  });
  for (const [product, customerNo, nickname] of [
    ['PDAM_TIRTA_BENTENG', '12340000', 'Rumah Ibu'],
    ['PDAM_TIRTA_BENTENG', '12345678', 'Kontrakan Bapak'],
    ['PLN_PREPAID', '14234560000', 'Meteran rumah'],
  ] as const)
    await call('/v1/me/saved-numbers', { token: accessToken, body: { product, customerNo, nickname } });
  for (const viewport of [
    { name: 'phone360', width: 360, height: 740 },
    { name: 'desktop', width: 1280, height: 800 },
  ]) {
    console.log(`member repeat payments, ${viewport.name} (${viewport.width}×${viewport.height})`);
    const browser = await launchBrowser({ width: viewport.width, height: viewport.height });
    try {
      const page = await signIn(
        browser.context,
        stack.baseUrl,
        data.koperasi,
        data.member.memberNo,
        data.member.password,
      );
      await page.getByTestId('balance').waitFor();
      await page.goto(`${stack.baseUrl}/#/bayar/PDAM_TIRTA_BENTENG`);
      await page.getByRole('button', { name: /Rumah Ibu/ }).waitFor();
      await shot(page, 'member-saved-chips', viewport.name);

      await page.getByRole('button', { name: /Rumah Ibu/ }).click();
      await page.getByTestId('quote-total').waitFor();
      for (const digit of '246') await page.getByRole('button', { name: digit, exact: true }).click();
      await page.getByRole('group', { name: 'Tombol angka PIN' }).scrollIntoViewIfNeeded();
      await shot(page, 'member-pin-pad', viewport.name);

      await page.goto(`${stack.baseUrl}/#/pembayaran/${data.tokenPaymentId}`);
      await page.getByTestId('token').waitFor();
      await shot(page, 'member-token-share', viewport.name);

      await page.goto(`${stack.baseUrl}/#/`);
      await page.getByTestId('balance').waitFor();
      await browser.context.setOffline(true);
      await page.getByTestId('offline-banner').waitFor({ state: 'visible' });
      await shot(page, 'member-offline', viewport.name);
      await browser.context.setOffline(false);
      await page.getByTestId('offline-banner').waitFor({ state: 'hidden' });

      await page.goto(`${stack.baseUrl}/#/akun/nomor`);
      await page.getByRole('list', { name: 'Daftar nomor tersimpan' }).waitFor();
      await shot(page, 'member-saved-numbers', viewport.name);
    } finally {
      await browser.close();
    }
  }
}

/**
 * The states a member meets besides success: the input step, a short balance, a payment waiting for certainty,
 * a failed one with its money back, a locked PIN, history filtered; and the treasurer's page of one member.
 */
async function stateShots(stack: Running, data: Seeded) {
  const call = client(stack.baseUrl);
  const tokenOf = async (username: string, password: string) =>
    (
      await call<{ accessToken: string }>('/v1/auth/token', {
        body: { koperasi: data.koperasi, username, password },
      })
    ).accessToken;
  const paymentsOf = async (memberNo: string) =>
    (
      await call<{ items: { id: string; status: string }[] }>('/v1/payments?limit=50', {
        token: await tokenOf(memberNo, data.member.password),
        method: 'GET',
      })
    ).items;
  const refunded = (await paymentsOf('A-001')).find((p) => p.status === 'refunded' || p.status === 'failed');
  const pending = (await paymentsOf('A-002')).find(
    (p) => p.status === 'suspect' || p.status === 'processing',
  );
  for (const viewport of [
    { name: 'phone360', width: 360, height: 740 },
    { name: 'desktop', width: 1280, height: 800 },
  ]) {
    console.log(`member and treasurer states, ${viewport.name} (${viewport.width}×${viewport.height})`);
    const browser = await launchBrowser({ width: viewport.width, height: viewport.height });
    try {
      const joko = await signIn(browser.context, stack.baseUrl, data.koperasi, 'A-006', data.member.password);
      await joko.getByTestId('balance').waitFor();
      await joko.goto(`${stack.baseUrl}/#/bayar/PLN_POSTPAID`);
      await joko.getByLabel('Nomor pelanggan').waitFor();
      await shot(joko, 'member-input-step', viewport.name);
      await joko.getByLabel('Nomor pelanggan').fill('530000000000');
      await joko.getByRole('button', { name: 'Cek tagihan' }).click();
      await joko.getByTestId('quote-total').waitFor();
      await joko
        .getByText(/Kurang Rp/)
        .first()
        .waitFor();
      await shot(joko, 'member-short-balance', viewport.name);
      await joko.close();

      const siti = await signIn(
        browser.context,
        stack.baseUrl,
        data.koperasi,
        data.member.memberNo,
        data.member.password,
      );
      await siti.getByTestId('balance').waitFor();
      if (refunded) {
        await siti.goto(`${stack.baseUrl}/#/pembayaran/${refunded.id}`);
        await siti
          .getByText(/Dana kembali|Gagal/)
          .first()
          .waitFor();
        await shot(siti, 'member-failed', viewport.name);
      }
      await siti.goto(`${stack.baseUrl}/#/riwayat`);
      await siti.getByRole('group', { name: 'Saring menurut status' }).waitFor();
      await siti
        .getByRole('group', { name: 'Saring menurut status' })
        .getByRole('button', { name: /Gagal|Dana kembali/ })
        .first()
        .click();
      await shot(siti, 'member-history-filtered', viewport.name);
      await siti.close();

      const budi = await signIn(browser.context, stack.baseUrl, data.koperasi, 'A-002', data.member.password);
      await budi.getByTestId('balance').waitFor();
      if (pending) {
        await budi.goto(`${stack.baseUrl}/#/pembayaran/${pending.id}`);
        await budi
          .getByText(/Menunggu kepastian|Diproses/)
          .first()
          .waitFor();
        await shot(budi, 'member-pending', viewport.name);
      }
      await budi.close();

      const agus = await signIn(browser.context, stack.baseUrl, data.koperasi, 'A-004', data.member.password);
      await agus.getByTestId('balance').waitFor();
      await agus.goto(`${stack.baseUrl}/#/bayar/PDAM_TIRTA_BENTENG`);
      await agus
        .getByText(/PIN.*terkunci/i)
        .first()
        .waitFor();
      await shot(agus, 'member-pin-locked', viewport.name);
      await agus.close();

      const boss = await signIn(
        browser.context,
        stack.baseUrl,
        data.koperasi,
        data.treasurer.username,
        data.treasurer.password,
      );
      await boss.goto(`${stack.baseUrl}/#/anggota/A-001`);
      await boss.getByText('Siti Rahayu').first().waitFor();
      await shot(boss, 'treasurer-member-page', viewport.name);
    } finally {
      await browser.close();
    }
  }
}

/**
 * Treasurer's day: a deposit with its receipt and WhatsApp text, a correction waiting for confirmation, the
 * day's closing, the month export chooser and the feed filters, at 360 px and 1280 px.
 */
async function treasurerDayShots(stack: Running, data: Seeded) {
  for (const viewport of [
    { name: 'phone360', width: 360, height: 740 },
    { name: 'desktop', width: 1280, height: 800 },
  ]) {
    console.log(`treasurer's day, ${viewport.name} (${viewport.width}×${viewport.height})`);
    const browser = await launchBrowser({ width: viewport.width, height: viewport.height });
    try {
      const page = await signIn(
        browser.context,
        stack.baseUrl,
        data.koperasi,
        data.treasurer.username,
        data.treasurer.password,
      );
      await page.goto(`${stack.baseUrl}/#/anggota/A-003/setor`);
      await page.getByTestId('member-balance').waitFor();
      await page.getByLabel('Nominal setoran (Rp)').fill('50.000');
      await page.getByRole('button', { name: 'Catat setoran' }).click();
      const receipt = page.getByRole('region', { name: /^Bukti setoran nomor/ });
      await receipt.getByRole('link', { name: /Kirim lewat WhatsApp/ }).waitFor();
      await receipt.getByText('Lihat pesan WhatsApp').click();
      await shot(page, 'treasurer-deposit-receipt', viewport.name);

      await page.goto(`${stack.baseUrl}/#/anggota/A-003`);
      const deposit = page.locator('table.mutasi tr[data-kind="deposit"]').first();
      await deposit.getByRole('button', { name: 'Koreksi' }).click();
      await page.getByLabel('Alasan koreksi').fill('salah input, setoran milik anggota lain');
      await page.getByRole('button', { name: 'Koreksi setoran' }).click();
      await page.getByRole('alertdialog').waitFor();
      await page.getByRole('alertdialog').scrollIntoViewIfNeeded();
      await shot(page, 'treasurer-correction-confirm', viewport.name);

      await page.goto(`${stack.baseUrl}/#/tutup-hari`);
      await page.getByTestId('closing').waitFor();
      await shot(page, 'treasurer-closing', viewport.name);

      await page.goto(`${stack.baseUrl}/#/laporan`);
      await page.getByRole('button', { name: 'Satu bulan' }).click();
      await page.getByLabel('Bulan').waitFor();
      await shot(page, 'treasurer-month-export', viewport.name);

      await page.goto(`${stack.baseUrl}/#/`);
      const feed = page.getByRole('region', { name: 'Transaksi terbaru' });
      await feed.getByRole('listitem').first().waitFor();
      await page.getByText('Saring menurut produk, anggota atau tanggal').click();
      await page.getByLabel('Produk').selectOption('PDAM_TIRTA_BENTENG');
      await page.getByLabel('Anggota (nomor atau nama)').fill('siti');
      await page.waitForTimeout(800);
      await feed.getByRole('listitem').first().waitFor();
      await shot(page, 'treasurer-feed-filters', viewport.name);
    } finally {
      await browser.close();
    }
  }
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const stack = await startStack();
  try {
    const data = await seed(stack);
    await memberRepeatShots(stack, data);
    await treasurerDayShots(stack, data);
    await stateShots(stack, data);
    await counterShots(stack, data);
    await autodebetShots(stack, data);
    for (const viewport of VIEWPORTS) {
      console.log(`${viewport.name} (${viewport.width}×${viewport.height})`);
      const browser = await launchBrowser({ width: viewport.width, height: viewport.height });
      try {
        const login = await browser.context.newPage();
        await login.goto(`${stack.baseUrl}/`);
        await login.getByLabel('Kode koperasi').fill(data.koperasi);
        await login.getByLabel('Nama pengguna atau nomor anggota').fill(data.member.memberNo);
        await shot(login, 'login', viewport.name);
        await login.close();

        const member = await signIn(
          browser.context,
          stack.baseUrl,
          data.koperasi,
          data.member.memberNo,
          data.member.password,
        );
        await member.getByTestId('balance').waitFor();
        await member.locator('.live-open').first().waitFor();
        await shot(member, 'member-home', viewport.name);

        await chooseProduct(member, /PLN Pascabayar/);
        await member.getByLabel('Nomor pelanggan').fill('530000000002');
        await member.getByRole('button', { name: 'Cek tagihan' }).click();
        await member.getByTestId('quote-total').waitFor();
        await member.getByLabel('PIN (6 angka)').fill('123');
        await shot(member, 'quote', viewport.name);

        await member.goto(`${stack.baseUrl}/#/pembayaran/${data.tokenPaymentId}`);
        await member.getByTestId('token').waitFor();
        await shot(member, 'payment-success-token', viewport.name);

        await member.getByRole('link', { name: 'Riwayat', exact: true }).click();
        await member
          .getByRole('region', { name: 'Riwayat pembayaran' })
          .getByRole('listitem')
          .first()
          .waitFor();
        await shot(member, 'history', viewport.name);
        await member.close();

        const treasurer = await signIn(
          browser.context,
          stack.baseUrl,
          data.koperasi,
          data.treasurer.username,
          data.treasurer.password,
        );
        await treasurer
          .getByRole('region', { name: 'Transaksi terbaru' })
          .getByRole('listitem')
          .first()
          .waitFor();
        await shot(treasurer, 'treasurer-feed', viewport.name);

        await treasurer.getByRole('link', { name: 'Anggota', exact: true }).click();
        await treasurer.locator('tr[data-member="A-001"]').waitFor();
        await shot(treasurer, 'treasurer-members', viewport.name);

        await treasurer.getByRole('link', { name: 'Perlu konfirmasi' }).click();
        await treasurer.locator('li.suspect').first().waitFor();
        await shot(treasurer, 'treasurer-suspects', viewport.name);

        await treasurer.getByRole('link', { name: 'Laporan' }).click();
        await Promise.all([
          treasurer.waitForEvent('download'),
          treasurer.getByRole('button', { name: 'Unduh CSV' }).click(),
        ]);
        await treasurer.getByRole('status').filter({ hasText: 'sudah diunduh' }).waitFor();
        await shot(treasurer, 'treasurer-report', viewport.name);
        await treasurer.close();
      } finally {
        await browser.close();
      }
    }
  } finally {
    await stack.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
