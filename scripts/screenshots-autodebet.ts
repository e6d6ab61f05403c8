/**
 * Screenshots of autodebet on a phone (390 px): the member's subscription list, the form (a saved number, the day,
 * "Bayar otomatis sampai Rp …", the PIN pad) and the notification list; and the treasurer's Autodebet page at a desk
 * (1280 px). The notifications come from the stack's own workers: a subscription due today whose bill is above its
 * limit, and one that is paid (the scheduler ticks every AUTODEBET_INTERVAL_MS, a minute by default). Called from
 * scripts/screenshots.ts with its running stack.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { wibDate } from '../src/clock.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { launchBrowser, signIn } from '../test/e2e/browser.js';

const OUT = join(PROJECT_ROOT, 'docs', 'screenshots');

async function shot(page: Page, name: string) {
  await page.getByText('Memuat…').first().waitFor({ state: 'detached' });
  await page.waitForTimeout(300);
  const file = join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`  ${file.slice(PROJECT_ROOT.length + 1)}`);
}

async function api<T>(baseUrl: string, path: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

export async function autodebetShots(
  stack: { baseUrl: string },
  data: {
    koperasi: string;
    treasurer: { username: string; password: string };
    member: { memberNo: string; password: string; pin: string };
  },
): Promise<void> {
  const { baseUrl } = stack;
  const login = await fetch(`${baseUrl}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      koperasi: data.koperasi,
      username: data.member.memberNo,
      password: data.member.password,
    }),
  });
  const { accessToken: token } = (await login.json()) as { accessToken: string };
  const saved = await api<{ items: { id: string; product: string; nickname: string }[] }>(
    baseUrl,
    '/v1/me/saved-numbers',
    token,
  );
  const water = saved.items.find((s) => s.product === 'PDAM_TIRTA_BENTENG');
  const today = Number(wibDate(new Date()).slice(8, 10));
  const pin = data.member.pin;
  const subscribe = (body: Record<string, unknown>) =>
    api<{ id: string }>(baseUrl, '/v1/me/subscriptions', token, { pin, ...body });
  if (water) await subscribe({ savedNumberId: water.id, dayOfMonth: 10, maxAmount: 300_000 });
  const bpjs = await subscribe({
    product: 'BPJS_KESEHATAN',
    customerNo: '8888801234560000',
    nickname: 'BPJS keluarga',
    months: 1,
    dayOfMonth: 5,
    maxAmount: 200_000,
  });
  await api(baseUrl, `/v1/me/subscriptions/${bpjs.id}/pause`, token, {});
  // Due today: one over its limit (not paid, the member and the treasurer are told), one paid.
  await subscribe({
    product: 'PLN_POSTPAID',
    customerNo: '530000000002',
    nickname: 'Listrik Rumah Ibu',
    dayOfMonth: today,
    maxAmount: 50_000,
  });
  await subscribe({
    product: 'PDAM_TIRTA_BENTENG',
    customerNo: '12340002',
    nickname: 'Air Toko',
    dayOfMonth: today,
    maxAmount: 500_000,
  });
  console.log('autodebet: waiting for the workers to tick the scheduler (up to 2 minutes)');
  const deadline = Date.now() + 150_000;
  for (;;) {
    const page = await api<{ items: { kind: string }[] }>(baseUrl, '/v1/me/notifications', token);
    const kinds = new Set(page.items.map((n) => n.kind));
    if (kinds.has('autodebet_over_limit') && kinds.has('autodebet_paid')) break;
    if (Date.now() > deadline) throw new Error(`no autodebet notifications yet: ${[...kinds].join(', ')}`);
    await new Promise((r) => setTimeout(r, 2_000));
  }

  console.log('autodebet, phone (390×844)');
  const phone = await launchBrowser({ width: 390, height: 844 });
  try {
    const page = await signIn(
      phone.context,
      baseUrl,
      data.koperasi,
      data.member.memberNo,
      data.member.password,
    );
    await page.goto(`${baseUrl}/#/autodebet`);
    await page.getByRole('list', { name: 'Autodebet aktif dan dijeda' }).waitFor();
    await shot(page, 'member-autodebet-list-phone');
    await page.getByRole('link', { name: 'Tambah autodebet' }).click();
    await page.getByLabel('Bayar otomatis sampai Rp …').fill('250.000');
    await page.getByLabel('Tanggal bayar').selectOption('20');
    for (const digit of '246')
      await page
        .getByRole('group', { name: 'Tombol angka PIN' })
        .getByRole('button', { name: digit, exact: true })
        .click();
    await shot(page, 'member-autodebet-form-phone');
    await page.getByTestId('bell').click();
    await page.locator('.notification').first().waitFor();
    await shot(page, 'member-notifications-phone');
  } finally {
    await phone.close();
  }

  console.log('autodebet, desktop (1280×800)');
  const desk = await launchBrowser({ width: 1280, height: 800 });
  try {
    const page = await signIn(
      desk.context,
      baseUrl,
      data.koperasi,
      data.treasurer.username,
      data.treasurer.password,
    );
    await page.goto(`${baseUrl}/#/autodebet`);
    await page.getByRole('table', { name: 'Autodebet yang tidak terbayar bulan ini' }).waitFor();
    await shot(page, 'treasurer-autodebet-desktop');
  } finally {
    await desk.close();
  }
}
