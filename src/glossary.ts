/**
 * One word for one thing, on every screen, struk and report (issue 13's glossary). No imports: the web app
 * bundles this file as it is. Members never read "suspect", "biller", "settlement" or "gateway".
 *
 * | internal            | people read            |
 * |---------------------|------------------------|
 * | suspect             | menunggu kepastian     |
 * | refunded            | dana kembali           |
 * | biller / upstream   | penyedia tagihan       |
 * | settlement file     | laporan penyedia       |
 */
export const PAYMENT_STATUS_LABELS = {
  processing: 'Diproses',
  success: 'Berhasil',
  failed: 'Gagal',
  suspect: 'Menunggu kepastian',
  refunded: 'Dana kembali',
} as const;

export const PROVIDER = 'penyedia tagihan';
