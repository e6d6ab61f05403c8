/**
 * One Indonesian message for every error code of the API (src/http/errors.ts ERROR_CODES) and for
 * the client's own failures (no connection, an answer we do not understand). The Record over
 * ErrorCode makes the typecheck fail when the API gains a code this map does not cover.
 */
import type { ErrorCode } from '../../src/http/errors';
import { ApiError, type Problem } from './api';
import { rupiah } from './format';

type ClientCode = 'NETWORK' | 'UNKNOWN';
type Message = string | ((problem: Problem) => string);

const FIELD_LABELS: Record<string, string> = {
  koperasi: 'Kode koperasi',
  username: 'Nama pengguna',
  password: 'Kata sandi',
  product: 'Produk',
  customerNo: 'Nomor pelanggan',
  amount: 'Nominal',
  months: 'Jumlah bulan',
  quoteId: 'Rincian tagihan',
  pin: 'PIN',
  currentPassword: 'Kata sandi sekarang',
  newPassword: 'Kata sandi baru',
  currentPin: 'PIN sekarang',
  newPin: 'PIN baru',
  memberNo: 'Nomor anggota',
  name: 'Nama',
  phone: 'Nomor HP',
  reference: 'Keterangan',
  reason: 'Alasan',
  outcome: 'Hasil',
  upstreamRef: 'Nomor referensi biller',
  date: 'Tanggal',
  format: 'Format',
  cursor: 'Halaman',
  limit: 'Jumlah data',
  status: 'Status',
  region: 'Wilayah',
  month: 'Bulan',
  from: 'Dari tanggal',
  to: 'Sampai tanggal',
  actor: 'Pelaku',
  action: 'Tindakan',
  q: 'Cari',
  'idempotency-key': 'Kunci transaksi',
  nickname: 'Nama untuk nomor ini',
  paymentId: 'Pembayaran',
  dayOfMonth: 'Tanggal bayar',
  maxAmount: 'Batas bayar otomatis',
  savedNumberId: 'Nomor tersimpan',
  openingFloat: 'Modal awal laci',
  counted: 'Uang dihitung',
  payerName: 'Nama pembayar',
  payerPhone: 'Nomor HP pembayar',
};

/** "body.customerNo" → "Nomor pelanggan". */
export function fieldLabel(path: string): string {
  const name =
    path
      .split('.')
      .filter((part) => part && !/^\d+$/.test(part))
      .pop() ?? path;
  return FIELD_LABELS[name] ?? name;
}

function validationMessage(problem: Problem): string {
  const errors = Array.isArray(problem.errors)
    ? (problem.errors as { path?: unknown; message?: unknown }[])
    : [];
  const first = errors[0];
  if (first && typeof first.path === 'string') {
    const hint = typeof first.message === 'string' ? ` (${first.message})` : '';
    return `Isian belum benar: ${fieldLabel(first.path)}${hint}.`;
  }
  if (typeof problem.detail === 'string' && /idempotency-key/i.test(problem.detail)) {
    return 'Kunci transaksi tidak valid. Muat ulang halaman lalu coba lagi.';
  }
  return `Isian belum benar${problem.detail ? ` (${problem.detail})` : ''}.`;
}

function cutOffMessage(problem: Problem): string {
  const window = problem.window as { start?: string; end?: string } | undefined;
  const start = (window?.start ?? '23:00').replace(':', '.');
  const end = (window?.end ?? '00:30').replace(':', '.');
  return `Pembayaran PLN sedang tutup (jam tutup harian PLN pukul ${start}–${end} WIB). Silakan coba lagi setelah pukul ${end} WIB.`;
}

export const MESSAGES: Record<ErrorCode | ClientCode, Message> = {
  VALIDATION_FAILED: validationMessage,
  MALFORMED_JSON: 'Permintaan tidak dapat dibaca server. Muat ulang halaman lalu coba lagi.',
  UNSUPPORTED_MEDIA_TYPE: 'Format permintaan tidak didukung server. Muat ulang halaman lalu coba lagi.',
  PAYLOAD_TOO_LARGE: 'Data yang dikirim terlalu besar.',
  UNAUTHENTICATED: 'Sesi Anda telah berakhir. Silakan masuk lagi.',
  INVALID_CREDENTIALS: 'Kode koperasi, nama pengguna, atau kata sandi salah.',
  CURRENT_PASSWORD_WRONG: 'Kata sandi sekarang salah. Periksa lagi lalu coba lagi.',
  PASSWORD_UNCHANGED: 'Kata sandi baru harus berbeda dari kata sandi sekarang.',
  PIN_UNCHANGED: 'PIN baru harus berbeda dari PIN sekarang.',
  PIN_TOO_SIMPLE:
    'PIN terlalu mudah ditebak. Jangan pakai angka yang sama semua (111111) atau berurutan (123456, 654321).',
  CREDENTIALS_CHANGE_REQUIRED: 'Silakan ganti kata sandi dan PIN Anda dulu sebelum melanjutkan.',
  FORBIDDEN: 'Anda tidak berhak melakukan tindakan ini.',
  NOT_FOUND: 'Data tidak ditemukan.',
  KOPERASI_EXISTS: 'Kode koperasi itu sudah dipakai.',
  MEMBER_EXISTS: 'Nomor anggota itu sudah terdaftar di koperasi ini.',
  USERNAME_TAKEN: 'Nama pengguna itu sudah dipakai. Pilih nama pengguna lain.',
  MEMBER_NOT_FOUND: 'Anggota tidak ditemukan di koperasi ini.',
  IDEMPOTENCY_KEY_REQUIRED: 'Kunci transaksi tidak terkirim. Muat ulang halaman lalu coba lagi.',
  IDEMPOTENCY_CONFLICT: 'Transaksi ini sudah pernah dikirim dengan data lain. Mulai transaksi baru.',
  AMOUNT_TOO_LARGE: 'Nominal terlalu besar untuk satu kali setoran.',
  INSUFFICIENT_BALANCE: (p) =>
    typeof p.required === 'number'
      ? `Saldo tidak cukup. Dibutuhkan ${rupiah(p.required)}.`
      : 'Saldo tidak cukup.',
  PIN_INVALID: (p) =>
    typeof p.remainingAttempts === 'number'
      ? `PIN salah. Sisa percobaan: ${p.remainingAttempts}.`
      : 'PIN salah.',
  PIN_LOCKED: 'PIN Anda terkunci karena terlalu sering salah. Hubungi bendahara koperasi untuk membukanya.',
  PRODUCT_UNKNOWN: 'Produk tidak dikenal.',
  PRODUCT_CUT_OFF: cutOffMessage,
  PRODUCT_UNAVAILABLE: 'Produk ini sedang tidak tersedia di penyedia tagihan. Coba lagi nanti.',
  CUSTOMER_NOT_FOUND: 'Nomor pelanggan tidak ditemukan. Periksa kembali nomornya.',
  BILL_ALREADY_PAID: 'Tagihan ini sudah lunas.',
  BILL_NOT_AVAILABLE: 'Belum ada tagihan untuk nomor pelanggan ini.',
  QUOTE_NOT_FOUND: 'Rincian tagihan tidak ditemukan. Silakan cek tagihan lagi.',
  QUOTE_EXPIRED: 'Rincian tagihan sudah kedaluwarsa. Silakan cek tagihan lagi.',
  QUOTE_ALREADY_USED: 'Rincian tagihan ini sudah dibayar. Lihat riwayat, atau cek tagihan lagi.',
  PAYMENT_NOT_FOUND: 'Pembayaran tidak ditemukan.',
  PAYMENT_NOT_SUSPECT: 'Pembayaran ini sudah tidak menunggu konfirmasi; statusnya sudah pasti.',
  RECEIPT_NOT_AVAILABLE: 'Struk hanya tersedia untuk pembayaran yang berhasil.',
  SAVED_NUMBER_EXISTS: 'Nomor ini sudah tersimpan untuk produk yang sama.',
  SAVED_NUMBERS_FULL: (p) =>
    `Nomor tersimpan sudah penuh (paling banyak ${typeof p.limit === 'number' ? p.limit : 20}). Hapus satu dulu di Akun › Nomor tersimpan.`,
  DEPOSIT_ALREADY_CORRECTED: 'Setoran ini sudah pernah dikoreksi. Satu setoran hanya bisa dikoreksi sekali.',
  SUBSCRIPTION_EXISTS: 'Nomor ini sudah punya autodebet untuk produk yang sama.',
  SUBSCRIPTION_NOT_ACTIVE: 'Autodebet ini sedang tidak aktif.',
  SUBSCRIPTION_NOT_PAUSED: 'Autodebet ini tidak sedang dijeda.',
  SUBSCRIPTION_CANCELLED: 'Autodebet ini sudah dihentikan dan tidak bisa diubah lagi.',
  KASIR_NOT_FOUND: 'Kasir tidak ditemukan.',
  SHIFT_NOT_FOUND: 'Shift kasir tidak ditemukan.',
  SHIFT_ALREADY_OPEN: 'Shift Anda sudah dibuka. Lanjutkan shift yang sedang berjalan.',
  SHIFT_NOT_OPEN: 'Buka shift dulu (modal awal laci) sebelum menerima pembayaran.',
  CASH_RETURN_PENDING:
    'Masih ada uang tunai pembayaran gagal yang belum dikembalikan ke pelanggan. Kembalikan dulu, lalu tutup shift. Jika pelanggan belum datang, minta bendahara menutup shift ini.',
  CASH_ALREADY_RETURNED: 'Uang tunai pembayaran ini sudah dikembalikan.',
  PAYMENT_NOT_RETURNABLE: 'Pembayaran ini tidak perlu dikembalikan (bukan pembayaran tunai yang gagal).',
  CASH_DRAWER_SHORT: 'Uang di laci menurut catatan tidak cukup untuk pengembalian ini. Hubungi bendahara.',
  ADAPTER_UNKNOWN: 'Penyedia tagihan tidak dikenal.',
  CALLBACK_REJECTED: 'Notifikasi dari penyedia tagihan ditolak.',
  CALLBACK_SIGNATURE_INVALID: 'Tanda tangan notifikasi biller tidak sah.',
  SETTLEMENT_INVALID: 'Berkas settlement dari biller tidak valid.',
  SETTLEMENT_NOT_AVAILABLE: 'Berkas settlement untuk tanggal itu belum tersedia.',
  REPORT_DATE_INVALID: 'Tanggal tidak valid. Pilih tanggal yang benar.',
  RATE_LIMITED: 'Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi.',
  UPSTREAM_UNAVAILABLE: 'Penyedia tagihan sedang tidak menjawab. Coba lagi beberapa saat lagi.',
  SERVICE_UNAVAILABLE: 'Layanan sedang sibuk atau dalam pemeliharaan. Coba lagi sebentar lagi.',
  INTERNAL: 'Terjadi kesalahan di sistem kami. Coba lagi; jika berulang, hubungi pengurus koperasi.',
  NETWORK: 'Tidak dapat terhubung ke server. Periksa koneksi internet Anda lalu coba lagi.',
  UNKNOWN: 'Server memberi jawaban yang tidak dikenal. Coba lagi sebentar lagi.',
};

export function messageForProblem(problem: Problem): string {
  const message = (MESSAGES as Record<string, Message | undefined>)[problem.code] ?? MESSAGES.UNKNOWN;
  return typeof message === 'function' ? message(problem) : message;
}

/** The Indonesian sentence to show for anything a request threw. */
export function messageFor(error: unknown): string {
  if (error instanceof ApiError) return messageForProblem(error.problem);
  return messageForProblem({ code: 'UNKNOWN' });
}
