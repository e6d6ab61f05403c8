/** The bukti setoran (deposit receipt) as a PDF struk, and the same facts as a WhatsApp text. */
import { formatWib } from '../clock.js';
import { formatRupiah } from '../money.js';
import { formatTanggal } from '../reports/labels.js';
import { toWinAnsi } from '../reports/render-pdf-table.js';
import type { DepositRecord } from './repository.js';
import { openStruk } from '../struk.js';

/** "4 Desember 2026 09.15 WIB": the day in words, the time with the Indonesian dot. */
export function wibMoment(at: Date): string {
  const iso = formatWib(at);
  return `${formatTanggal(iso.slice(0, 10))} ${iso.slice(11, 13)}.${iso.slice(14, 16)} WIB`;
}

export function renderDepositReceipt(
  deposit: DepositRecord,
  options: { compress?: boolean } = {},
): Promise<Buffer> {
  const corrected = deposit.correction !== null;
  const struk = openStruk({
    title: `Bukti setoran ${deposit.txId}`,
    koperasiName: toWinAnsi(deposit.koperasiName),
    heading: 'BUKTI SETORAN SIMPANAN SUKARELA',
    state: corrected ? 'DIKOREKSI (DIBATALKAN)' : 'DITERIMA',
    compress: options.compress,
  });
  const { row, rule } = struk;
  row('Waktu', wibMoment(deposit.at));
  row('Anggota', toWinAnsi(`${deposit.memberName} (${deposit.memberNo})`));
  row('Keterangan', toWinAnsi(deposit.reference ?? '-'));
  rule();
  row('JUMLAH SETORAN', formatRupiah(deposit.amount));
  row('Saldo tersedia setelah setoran', formatRupiah(deposit.balanceAfter));
  rule();
  row('No. bukti', String(deposit.txId));
  row('Diterima oleh', toWinAnsi(deposit.treasurerName ?? 'Bendahara'));
  if (deposit.correction) {
    rule();
    row('Dikoreksi', wibMoment(deposit.correction.at));
    row('Alasan', toWinAnsi(deposit.correction.reason ?? '-'));
  }
  return struk.finish(
    'Simpan bukti ini. Setoran masuk ke simpanan sukarela Anda di koperasi dan tercatat di Pintu.',
  );
}

/** The text the treasurer sends to the member by WhatsApp: the same facts as the struk, in plain words. */
export function depositWhatsAppText(deposit: DepositRecord): string {
  const lines = [
    `*Bukti setoran — ${deposit.koperasiName}*`,
    `Anggota: ${deposit.memberName} (${deposit.memberNo})`,
    `Setoran: ${formatRupiah(deposit.amount)}`,
    `Saldo tersedia setelah setoran: ${formatRupiah(deposit.balanceAfter)}`,
    `Waktu: ${wibMoment(deposit.at)}`,
    `No. bukti: ${deposit.txId}`,
    `Diterima oleh: ${deposit.treasurerName ?? 'Bendahara'}`,
  ];
  if (deposit.correction)
    lines.push(`Setoran ini sudah dikoreksi: ${deposit.correction.reason ?? ''}`.trimEnd());
  lines.push('Terima kasih.');
  return lines.join('\n');
}

/** wa.me wants the number in international form without "+": 0812… → 62812…. */
export function waNumber(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.startsWith('0')) return `62${digits.slice(1)}`;
  return digits.length >= 8 ? digits : null;
}
