import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { formatRupiah } from '../../../src/money.js';
import { statusLabel } from '../../../src/reports/labels.js';
import { renderCsv } from '../../../src/reports/render-csv.js';
import { renderPdf } from '../../../src/reports/render-pdf.js';
import { summaryLines } from '../../../src/reports/render-summary.js';
import { renderXlsx } from '../../../src/reports/render-xlsx.js';
import { rendered, ROWS, totalsOf } from './fixture.js';
import { loadWorkbook, pdfTexts, sheetRows } from './read-back.js';

describe('the three formats of one report', () => {
  it('show the same totals and the same payment amounts', async () => {
    const [csv, xlsx, pdf] = await Promise.all([
      rendered(renderCsv),
      rendered(renderXlsx),
      rendered((report, out) => renderPdf(report, out, { compress: false })),
    ]);

    // CSV: the totals table after the blank line, by its first column.
    const [paymentsCsv = '', totalsCsv = ''] = csv.toString('utf8').split('\r\n\r\n');
    const csvTotals: Record<string, string>[] = parse(totalsCsv, { columns: true });
    const csvPayments: Record<string, string>[] = parse(paymentsCsv, { columns: true });
    const groups = csvTotals.filter((t) => t.section === 'by_product_status');
    const lines = new Map(
      csvTotals.filter((t) => t.section !== 'by_product_status').map((t) => [t.section, t]),
    );
    const expected = totalsOf(ROWS);
    expect(groups.map((g) => [g.product, g.status, Number(g.count), BigInt(g.amount!)])).toEqual(
      expected.byProductStatus.map((g) => [g.product, g.status, g.count, g.total]),
    );

    // XLSX: the same groups and lines on "Ringkasan", as numbers.
    const workbook = await loadWorkbook(xlsx);
    const summaryRows = sheetRows(workbook, 'Ringkasan');
    const byLabel = new Map(summaryRows.map((r) => [r[0], r]));
    const pdfText = pdfTexts(pdf).join('|');

    for (const g of groups) {
      const label = statusLabel(g.status!);
      expect(summaryRows).toContainEqual([g.product, label, Number(g.count), Number(g.amount)]);
      expect(pdfText).toContain(`${g.product}|${label}|${g.count}|${formatRupiah(BigInt(g.amount!))}`);
    }
    for (const line of summaryLines(expected)) {
      const fromCsv = lines.get(line.key)!;
      const count = fromCsv.count === '' ? undefined : Number(fromCsv.count);
      const amount = fromCsv.amount === '' ? undefined : BigInt(fromCsv.amount!);
      expect([count, amount]).toEqual([line.count, line.amount]);
      const cells = byLabel.get(line.label)!;
      expect([cells[2], cells[3]]).toEqual([count, amount === undefined ? undefined : Number(amount)]);
      const shown = [line.label, count?.toString(), amount === undefined ? undefined : formatRupiah(amount)];
      expect(pdfText).toContain(shown.filter((s) => s !== undefined).join('|'));
    }

    // Payments: every amount of every row, CSV integer = XLSX number = PDF rupiah text.
    const xlsxPayments = sheetRows(workbook, 'Transaksi').slice(1);
    const texts = pdfTexts(pdf);
    expect(xlsxPayments).toHaveLength(csvPayments.length);
    csvPayments.forEach((p, i) => {
      const amounts = [p.bill_amount, p.penalty, p.admin_fee, p.koperasi_fee, p.total].map((a) => BigInt(a!));
      expect(xlsxPayments[i]?.slice(6, 11)).toEqual(amounts.map(Number));
      const at = texts.indexOf(p.payment_id!);
      expect(texts.slice(at + 6, at + 11)).toEqual(amounts.map(formatRupiah));
    });
  });
});
