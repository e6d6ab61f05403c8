/** The struk says a bill's period the way the app does ("Okt 2026"), not as the upstream's "202610". */
import { describe, expect, it } from 'vitest';
import { formatPeriode } from '../../../src/bulan.js';
import type { PaymentRow } from '../../../src/payments/repository.js';
import { renderReceipt } from '../../../src/payments/receipt.js';
import { pdfTexts } from '../reports/read-back.js';

const at = new Date('2026-11-03T02:15:00Z');
const payment = {
  id: '01a23f70-9b34-772b-9472-7009d7156f44',
  koperasiId: '6f1f0c4e-2b1a-4a1e-9a55-0d2b5d3b9a11',
  memberId: '6f1f0c4e-2b1a-4a1e-9a55-0d2b5d3b9a12',
  quoteId: '6f1f0c4e-2b1a-4a1e-9a55-0d2b5d3b9a13',
  product: 'PDAM_TIRTA_BENTENG',
  customerNo: '12340000',
  customerName: 'EKO RAHAYU',
  periods: ['202609', '202610'],
  months: null,
  denomination: null,
  billAmount: 100_000n,
  penalty: 5_000n,
  adminFee: 2_500n,
  koperasiFee: 1_000n,
  price: 102_000n,
  total: 108_500n,
  status: 'success',
  adapter: 'digiflazz',
  refId: 'PINTU-REF-1',
  upstreamRef: 'DF-20261103-000042',
  token: null,
  failureCode: null,
  failureMessage: null,
  suspectSince: null,
  reviewReason: null,
  reviewSince: null,
  createdAt: at,
  finishedAt: at,
  updatedAt: at,
  memberNo: 'A-001',
} as unknown as PaymentRow & { memberNo: string };

describe('the struk', () => {
  it('writes each billing period as "Okt 2026"', async () => {
    const pdf = await renderReceipt(
      {
        payment,
        koperasiName: 'Koperasi Demo',
        memberName: 'Siti Rahayu',
        productName: 'PDAM Tirta Benteng',
      },
      { compress: false },
    );
    const text = pdfTexts(pdf).join(' ');
    expect(text).toContain('Sep 2026, Okt 2026');
    expect(text).not.toContain('202610');
  });

  it('leaves a period it cannot read as it came', () => {
    expect(formatPeriode('202612')).toBe('Des 2026');
    expect(formatPeriode('2026-12')).toBe('2026-12');
    expect(formatPeriode('202613')).toBe('202613');
  });
});
