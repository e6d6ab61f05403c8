/**
 * What autodebet says to people, in Bahasa Indonesia: a run's outcome in words (the history) and the
 * notifications a run sends to the member and to the koperasi's staff.
 */
import type { ProductSpec } from '../../config/products.js';
import { BULAN } from '../bulan.js';
import { formatRupiah } from '../money.js';

/** What a run did last, as a stable code (subscription_runs.outcome). */
export type RunOutcome =
  | 'PAID'
  | 'PAYMENT_SUCCESS'
  | 'PAYMENT_FAILED'
  | 'PAYMENT_REFUNDED'
  | 'NOTHING_DUE'
  | 'OVER_LIMIT'
  | 'INSUFFICIENT_BALANCE'
  | 'PIN_LOCKED'
  | 'PRODUCT_CUT_OFF'
  | 'UPSTREAM_UNAVAILABLE'
  | 'PRODUCT_UNAVAILABLE'
  | 'CUSTOMER_NOT_FOUND'
  | 'INVALID'
  | 'CANCELLED';

const CATEGORY_LABELS: Record<ProductSpec['category'], string> = {
  electricity: 'Listrik',
  water: 'PDAM',
  health: 'BPJS',
};

/** "Listrik Rumah Ibu": the kind of bill and the member's name for the number. */
export function subscriptionLabel(product: ProductSpec | undefined, nickname: string): string {
  if (!product) return nickname;
  const kind = CATEGORY_LABELS[product.category];
  // "Listrik Rumah Ibu" stays as the member named it, not "Listrik Listrik Rumah Ibu".
  return nickname.toLowerCase().startsWith(kind.toLowerCase()) ? nickname : `${kind} ${nickname}`;
}

/** "Maret 2026" for 2026-03. */
export function periodLabel(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return `${BULAN[month - 1] ?? period} ${year}`;
}

const rp = (value: unknown) =>
  typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string'
    ? formatRupiah(BigInt(value))
    : '';

/** A run's outcome in words, for the history of a subscription. */
export function outcomeText(
  outcome: string | null,
  status: string,
  detail: Record<string, unknown> | null,
): string {
  switch (outcome) {
    case 'PAID':
      return 'Dibayar dari simpanan; menunggu jawaban biller';
    case 'PAYMENT_SUCCESS':
      return 'Berhasil dibayar otomatis';
    case 'PAYMENT_FAILED':
      return status === 'skipped'
        ? 'Gagal di biller berulang kali; dana sudah kembali ke simpanan'
        : 'Gagal di biller, dana kembali ke simpanan; dicoba lagi';
    case 'PAYMENT_REFUNDED':
      return 'Dana dikembalikan biller ke simpanan; tidak dibayar ulang otomatis';
    case 'NOTHING_DUE':
      return status === 'skipped'
        ? 'Tidak ada tagihan untuk dibayar bulan ini'
        : 'Belum ada tagihan (atau sudah dibayar); dicoba lagi besok';
    case 'OVER_LIMIT':
      return `Tagihan ${rp(detail?.total)} melebihi batas ${rp(detail?.maxAmount)}; tidak dibayar`;
    case 'INSUFFICIENT_BALANCE':
      return status === 'skipped'
        ? `Saldo simpanan tidak cukup (perlu ${rp(detail?.required)}); tidak dibayar`
        : `Saldo simpanan tidak cukup (perlu ${rp(detail?.required)}); dicoba lagi besok`;
    case 'PIN_LOCKED':
      return status === 'skipped'
        ? 'PIN terkunci; tidak dibayar'
        : 'PIN terkunci; minta bendahara membuka PIN. Dicoba lagi besok';
    case 'PRODUCT_CUT_OFF':
      return status === 'skipped' ? 'Jam tutup PLN; tidak dibayar' : 'Jam tutup PLN; dicoba lagi nanti';
    case 'UPSTREAM_UNAVAILABLE':
    case 'PRODUCT_UNAVAILABLE':
      return status === 'skipped'
        ? 'Biller terus gangguan; tidak dibayar'
        : 'Biller sedang gangguan; dicoba lagi nanti';
    case 'CUSTOMER_NOT_FOUND':
      return 'Nomor pelanggan tidak ditemukan di biller; tidak dibayar';
    case 'INVALID':
      return 'Data langganan tidak bisa diproses; tidak dibayar';
    case 'CANCELLED':
      return 'Autodebet dihentikan';
    default:
      return status === 'pending' ? 'Menunggu jadwal' : status;
  }
}

/** One notice: its kind, a short title and the sentence that says what happened. */
export interface Notice {
  kind: string;
  title: string;
  body: string;
}

export interface NoticeSubject {
  label: string;
  period: string;
  /** "A-001 Siti Rahayu": who it is about, for the staff's copy. */
  member: string;
}

/** The member's copy and, where a person at the koperasi should know, the staff's. */
export interface NoticePair {
  member?: Notice;
  staff?: Notice;
}

const forStaff = (notice: Notice, subject: NoticeSubject): Notice => ({
  ...notice,
  body: `${subject.member}: ${notice.body}`,
});

export function outcomeNotices(
  outcome: RunOutcome,
  status: 'pending' | 'paid' | 'skipped',
  subject: NoticeSubject,
  detail: Record<string, unknown>,
): NoticePair {
  const what = `Autodebet ${subject.label}`;
  const month = periodLabel(subject.period);
  switch (outcome) {
    case 'OVER_LIMIT': {
      const notice = {
        kind: 'autodebet_over_limit',
        title: `${what} tidak dibayar`,
        body: `${what} tidak dibayar: tagihan ${rp(detail.total)} melebihi batas ${rp(detail.maxAmount)}.`,
      };
      return { member: notice, staff: forStaff(notice, subject) };
    }
    case 'INSUFFICIENT_BALANCE': {
      const notice = {
        kind: 'autodebet_insufficient',
        title: `Saldo kurang untuk ${what}`,
        body:
          status === 'skipped'
            ? `Saldo simpanan tidak cukup untuk ${what} ${month} (perlu ${rp(detail.required)}). Tagihan bulan ini tidak dibayar otomatis.`
            : `Saldo simpanan tidak cukup untuk ${what} (perlu ${rp(detail.required)}). Kami coba lagi besok pagi; setor simpanan agar terbayar.`,
      };
      return status === 'skipped' ? { member: notice, staff: forStaff(notice, subject) } : { member: notice };
    }
    case 'PIN_LOCKED': {
      const notice = {
        kind: 'autodebet_pin_locked',
        title: `${what} tertahan: PIN terkunci`,
        body:
          status === 'skipped'
            ? `${what} ${month} tidak dibayar karena PIN terkunci.`
            : `${what} belum dibayar karena PIN terkunci. Minta bendahara membuka PIN; kami coba lagi besok pagi.`,
      };
      return { member: notice, staff: forStaff(notice, subject) };
    }
    case 'NOTHING_DUE':
      if (status !== 'skipped') return {};
      return {
        member: {
          kind: 'autodebet_nothing_due',
          title: `${what}: tidak ada tagihan`,
          body: `${what} ${month}: tidak ada tagihan untuk dibayar (mungkin sudah dibayar).`,
        },
      };
    case 'CUSTOMER_NOT_FOUND':
    case 'INVALID':
    case 'PRODUCT_CUT_OFF':
    case 'UPSTREAM_UNAVAILABLE':
    case 'PRODUCT_UNAVAILABLE':
    case 'PAYMENT_FAILED': {
      // Retried later the same day: nobody needs to hear about it unless it never worked out.
      if (status !== 'skipped') return {};
      const reason =
        outcome === 'CUSTOMER_NOT_FOUND'
          ? 'nomor pelanggan tidak ditemukan di biller'
          : outcome === 'INVALID'
            ? 'data langganan tidak bisa diproses'
            : outcome === 'PAYMENT_FAILED'
              ? 'pembayaran gagal di biller berulang kali (dana sudah kembali ke simpanan)'
              : 'biller sedang gangguan sampai batas hari percobaan';
      const notice = {
        kind: 'autodebet_skipped',
        title: `${what} tidak dibayar`,
        body: `${what} ${month} tidak dibayar: ${reason}. Silakan bayar sendiri di aplikasi.`,
      };
      return { member: notice, staff: forStaff(notice, subject) };
    }
    default:
      return {};
  }
}

/** What a payment made by autodebet ended as. */
export function paymentNotices(
  status: 'success' | 'failed' | 'refunded',
  subject: NoticeSubject,
  total: bigint,
  retrying: boolean,
): NoticePair {
  const what = `Autodebet ${subject.label}`;
  if (status === 'success') {
    return {
      member: {
        kind: 'autodebet_paid',
        title: `Tagihan ${subject.label} dibayar otomatis`,
        body: `Tagihan ${subject.label} ${periodLabel(subject.period)} dibayar otomatis dari simpanan: ${formatRupiah(total)}.`,
      },
    };
  }
  if (status === 'failed') {
    const body = retrying
      ? `${what} gagal di biller; ${formatRupiah(total)} sudah kembali ke simpanan. Kami coba lagi nanti.`
      : `${what} gagal di biller; ${formatRupiah(total)} sudah kembali ke simpanan.`;
    return { member: { kind: 'autodebet_failed', title: `${what} gagal`, body } };
  }
  const notice = {
    kind: 'autodebet_refunded',
    title: `${what}: dana dikembalikan`,
    body: `Biller mengembalikan pembayaran ${what} ${periodLabel(subject.period)} (${formatRupiah(total)}) ke simpanan. Tagihan ini tidak dibayar ulang otomatis; silakan periksa dan bayar sendiri bila perlu.`,
  };
  return { member: notice, staff: forStaff(notice, subject) };
}
