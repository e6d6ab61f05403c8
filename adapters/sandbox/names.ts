/**
 * Deterministic Indonesian customer names: the same customer number always gets the same name, whatever the
 * seed, so a bill, its struk and the settlement row agree. Upper case, as billers print them
 * (e.g. "HASMALINDA" in a PLN token SN, ppob.md §1.6).
 */
import { hash32 } from './prng.js';

const GIVEN = [
  'BUDI',
  'SITI',
  'AGUS',
  'DEWI',
  'SRI',
  'RINA',
  'ANDI',
  'HENDRA',
  'YULIANTI',
  'EKO',
  'JOKO',
  'NURHAYATI',
  'RUDI',
  'WATI',
  'TRI',
  'ADI',
  'IWAN',
  'LINA',
  'DIAN',
  'FITRI',
  'RIZKY',
  'PUTRI',
  'AHMAD',
  'MUHAMMAD',
  'SUSI',
  'BAMBANG',
  'ENDANG',
  'SUPARMAN',
  'HASAN',
  'KARTINI',
  'RATNA',
  'WAHYU',
  'YOHANES',
  'MARIA',
] as const;

const FAMILY = [
  'SANTOSO',
  'WIJAYA',
  'RAHAYU',
  'HIDAYAT',
  'SETIAWAN',
  'KURNIAWAN',
  'SAPUTRA',
  'LESTARI',
  'PRATAMA',
  'NUGROHO',
  'SUSANTO',
  'HARAHAP',
  'SIREGAR',
  'NASUTION',
  'SIMANJUNTAK',
  'GINTING',
  'HALIM',
  'WIBOWO',
  'PURNOMO',
  'HASIBUAN',
  'MANURUNG',
  'SAFITRI',
  'HANDAYANI',
  'MAULANA',
  'FIRMANSYAH',
  'TAMBUNAN',
] as const;

/** One in eight customers has a single name, common in Java. */
export function customerName(customerNo: string): string {
  const h = hash32('name', customerNo);
  const given = GIVEN[h % GIVEN.length] ?? 'BUDI';
  if ((h >>> 8) % 8 === 0) return given;
  return `${given} ${FAMILY[(h >>> 12) % FAMILY.length] ?? 'SANTOSO'}`;
}
