/**
 * Forged callbacks: the simulator posts, for refs Pintu really sent, bodies that say the payment failed, with a
 * wrong or missing signature. Pintu must refuse each one (4xx) and change nothing; that nothing changed is
 * proven by the checks (a member refunded while the upstream kept the money breaks check 1).
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { Dialect } from '../../adapters/sandbox/index.js';
import { sleep } from './net.js';
import type { Violation } from './report.js';
import type { Stack } from './stack.js';

interface SentRef {
  payment_id: string;
  ref_id: string;
  sku: string;
  customer_no: string;
  upstream_handle: string | null;
}

async function pickRef(stack: Stack, dialect: Dialect, pick: number): Promise<SentRef | undefined> {
  const rows = await stack.db.query<SentRef>(
    `SELECT a.payment_id, a.ref_id, a.sku, p.customer_no, a.upstream_handle
       FROM payment_attempts a JOIN payments p ON p.id = a.payment_id
      WHERE a.adapter = $1 ORDER BY a.ref_id`,
    [dialect],
  );
  return rows.rows.length === 0 ? undefined : rows.rows[pick % rows.rows.length];
}

function forgedRequest(
  dialect: Dialect,
  ref: SentRef,
  variant: number,
): { body: string; headers: Record<string, string> } {
  if (dialect === 'digiflazz') {
    const body = JSON.stringify({
      data: {
        trx_id: `DF${String(variant).padStart(9, '0')}`,
        ref_id: ref.ref_id,
        customer_no: ref.customer_no,
        buyer_sku_code: ref.sku,
        message: 'Transaksi Gagal',
        status: 'Gagal',
        rc: '02',
        sn: '',
        buyer_last_saldo: 0,
        price: 0,
        selling_price: 0,
      },
    });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-digiflazz-event': 'update',
      'x-digiflazz-delivery': randomUUID(),
      'user-agent': 'DigiFlazz-Hookshot/1.0',
    };
    // Half signed with a secret that is not ours, half not signed at all.
    if (variant % 2 === 0)
      headers['x-hub-signature'] =
        `sha1=${createHmac('sha1', 'not-the-webhook-secret').update(body).digest('hex')}`;
    return { body, headers };
  }
  const body = JSON.stringify({
    data: {
      ref_id: ref.ref_id,
      status: '2',
      code: ref.sku,
      hp: ref.customer_no,
      price: 0,
      message: 'FAILED',
      sn: '',
      balance: 0,
      tr_id: ref.upstream_handle ?? '0',
      rc: '37',
      sign: createHash('md5').update(`forged${ref.ref_id}${variant}`).digest('hex'),
    },
  });
  return { body, headers: { 'content-type': 'application/json' } };
}

/** Sends one forged callback; true when it was sent and refused. A 2xx is a violation. */
export async function forgeCallback(
  stack: Stack,
  dialect: Dialect,
  pick: number,
  violations: Violation[],
): Promise<boolean> {
  let ref: SentRef | undefined;
  for (let i = 0; i < 10 && ref === undefined; i++) {
    ref = await pickRef(stack, dialect, pick).catch(() => undefined);
    if (ref === undefined) await sleep(1_000);
  }
  if (ref === undefined) return false;
  const { body, headers } = forgedRequest(dialect, ref, pick);
  for (let i = 0; i < 20; i++) {
    const response = await fetch(`${stack.api}/v1/callbacks/${dialect}`, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
    if (response === undefined || response.status >= 500) {
      await sleep(500);
      continue;
    }
    await response.arrayBuffer();
    if (response.status < 400) {
      violations.push({
        check: 'forged_callback',
        paymentId: ref.payment_id,
        message: `a ${dialect} callback with a ${headers['x-hub-signature'] === undefined && dialect === 'digiflazz' ? 'missing' : 'wrong'} signature for ref ${ref.ref_id} was accepted (HTTP ${response.status})`,
      });
    }
    return true;
  }
  return false;
}
