/**
 * Test helpers for the sandbox: a running sandbox on a free port, signed request builders for both dialects, and a
 * little HTTP server that records callbacks.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../../adapters/sandbox/index.js';

export const USERNAME = 'pintu-sandbox';
export const API_KEY = 'sandbox-dev-key';
export const WEBHOOK_SECRET = 'sandbox-webhook-secret';

/** 10:00 WIB on a Saturday: far from the PLN cut-off, periods end in 2026-11. */
export const MORNING = new Date('2026-11-28T10:00:00+07:00');

export const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
export const sign = (suffix: string) => md5(USERNAME + API_KEY + suffix);

/** Parsed JSON as JSON.parse types it: tests read answers loosely and the assertions are the types. */
export type Loose = ReturnType<typeof JSON.parse>;

export interface Answer {
  status: number;
  text: string;
  data: Loose;
}

export interface Running {
  sandbox: Sandbox;
  base: string;
  post(path: string, body: unknown): Promise<Answer>;
  get(path: string): Promise<Answer>;
  dgf: ReturnType<typeof digiflazzClient>;
  iak: ReturnType<typeof iakClient>;
  close(): Promise<void>;
}

/** Fast defaults for tests: short pending/refund/hang, a frozen morning clock. */
export async function givenSandbox(
  options: SandboxOptions = {},
  clock: Date | null = MORNING,
): Promise<Running> {
  const sandbox = createSandbox({ pendingMs: 50, refundMs: 80, hangMs: 30, seed: 7, ...options });
  if (clock !== null) sandbox.setClock(clock);
  const base = await sandbox.listen(0);
  const read = async (response: Response): Promise<Answer> => {
    const text = await response.text();
    let json: Loose;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, data: json?.data };
  };
  const post = async (path: string, body: unknown) =>
    read(
      await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  const get = async (path: string) => read(await fetch(base + path));
  return {
    sandbox,
    base,
    post,
    get,
    dgf: digiflazzClient(post),
    iak: iakClient(post),
    close: () => sandbox.close(),
  };
}

type Post = (path: string, body: unknown) => Promise<Answer>;

export function digiflazzClient(post: Post) {
  const tx = (body: Record<string, unknown>) => post('/digiflazz/v1/transaction', body);
  const base = (sku: string, customerNo: string, refId: string) => ({
    username: USERNAME,
    buyer_sku_code: sku,
    customer_no: customerNo,
    ref_id: refId,
    sign: sign(refId),
  });
  return {
    raw: tx,
    inquiry: (sku: string, customerNo: string, refId: string, extra: Record<string, unknown> = {}) =>
      tx({ commands: 'inq-pasca', ...base(sku, customerNo, refId), ...extra }),
    pay: (sku: string, customerNo: string, refId: string) =>
      tx({ commands: 'pay-pasca', ...base(sku, customerNo, refId) }),
    status: (sku: string, customerNo: string, refId: string) =>
      tx({ commands: 'status-pasca', ...base(sku, customerNo, refId) }),
    topUp: (sku: string, customerNo: string, refId: string) => tx(base(sku, customerNo, refId)),
    meter: (customerNo: string, sku?: string) =>
      tx({
        commands: 'pln-subscribe',
        username: USERNAME,
        customer_no: customerNo,
        sign: sign(customerNo),
        ...(sku !== undefined ? { buyer_sku_code: sku } : {}),
      }),
  };
}

export function iakClient(post: Post) {
  const bill = (body: Record<string, unknown>) => post('/iak/api/v1/bill/check', body);
  return {
    inquiry: (code: string, hp: string, refId: string, extra: Record<string, unknown> = {}) =>
      bill({
        commands: 'inq-pasca',
        username: USERNAME,
        code,
        hp,
        ref_id: refId,
        sign: sign(refId),
        ...extra,
      }),
    pay: (trId: string) => bill({ commands: 'pay-pasca', username: USERNAME, tr_id: trId, sign: sign(trId) }),
    status: (refId: string) =>
      bill({ commands: 'checkstatus', username: USERNAME, ref_id: refId, sign: sign('cs') }),
    topUp: (code: string, customerId: string, refId: string) =>
      post('/iak/api/top-up', {
        username: USERNAME,
        ref_id: refId,
        customer_id: customerId,
        product_code: code,
        sign: sign(refId),
      }),
    prepaidStatus: (refId: string) =>
      post('/iak/api/check-status', { username: USERNAME, ref_id: refId, sign: sign(refId) }),
    meter: (customerId: string, productCode?: string) =>
      post('/iak/api/inquiry-pln', {
        username: USERNAME,
        customer_id: customerId,
        sign: sign(customerId),
        ...(productCode !== undefined ? { product_code: productCode } : {}),
      }),
    /** inq-pasca then pay-pasca with the returned tr_id. */
    async inquireAndPay(code: string, hp: string, refId: string) {
      const inquiry = await bill({
        commands: 'inq-pasca',
        username: USERNAME,
        code,
        hp,
        ref_id: refId,
        sign: sign(refId),
      });
      const trId = String(inquiry.data.tr_id);
      return {
        inquiry,
        trId,
        pay: await bill({ commands: 'pay-pasca', username: USERNAME, tr_id: trId, sign: sign(trId) }),
      };
    },
  };
}

export interface ReceivedCallback {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: Loose;
  at: number;
}

/** A local HTTP server recording every callback; `answer` decides the status per request (default 200). */
export async function givenCallbackReceiver(answer: (count: number) => number = () => 200) {
  const received: ReceivedCallback[] = [];
  let count = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      count += 1;
      received.push({
        headers: request.headers,
        raw,
        body: JSON.parse(raw.toString('utf8')),
        at: Date.now(),
      });
      response.statusCode = answer(count);
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns true or the deadline passes. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** The sandbox's settlement URL for a dialect and YYYYMMDD. */
export function settlementPath(
  dialect: 'digiflazz' | 'iak',
  compact: string,
  signature = sign(`settlement${compact}`),
) {
  const path = dialect === 'digiflazz' ? '/digiflazz/v1/settlement/' : '/iak/api/v1/settlement/';
  return `${path}${compact}?username=${USERNAME}&sign=${signature}`;
}
