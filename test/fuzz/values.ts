/**
 * Hostile values for the fuzz: strings, numbers and JSON that attack parsers, validators, SQL, HTML and
 * the router, written as JSON text verbatim where JSON.stringify would not write them.
 */
import fc from 'fast-check';
import { SETTLEMENT_HEADER } from '../../src/recon/ingest.js';

// ─── JSON text, including what JSON.stringify cannot write ───────────────────────────────────────

/** A fragment written verbatim: 1e309, -0, 10 000 levels of nesting, broken syntax. */
export class Raw {
  constructor(readonly text: string) {}
}
/** An object as ordered entries, so __proto__ and duplicate keys survive until the wire. */
export class Obj {
  constructor(readonly entries: [string, unknown][]) {}
}

export function toJsonText(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Obj)
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  return JSON.stringify(value) ?? 'null';
}

// ─── hostile values ─────────────────────────────────────────────────────────────────────────────

export const HOSTILE_TEXT = [
  "' OR 1=1 --",
  "'; DROP TABLE payments; --",
  '" OR ""="',
  "1'; SELECT pg_sleep(5); --",
  "admin'/*",
  '$(reboot)',
  '`id`',
  '{{7*7}}',
  '${7*7}',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(document.cookie)>',
  '"><svg/onload=alert(1)>',
  'javascript:alert(1)',
  '\u202eRTL override\u202c',
  'مرحبا بالعالم',
  'שלום עולם',
  '🙂💸🏦',
  '👨‍👩‍👧‍👦',
  'e\u0301',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u0007\u0008\u001b[31m',
  '\r\n',
  '\t',
  '\u2028\u2029',
  '\ufeff',
  '\u200b',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '%2e%2e%2f',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x1F',
  '00000001',
  '9'.repeat(40),
  '1.5',
  '-1',
  '0',
  '',
  ' ',
  'null',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'A'.repeat(10_000),
];

/** Numbers as JSON text, including those JSON.stringify would turn into null. */
export const HOSTILE_NUMBERS = [
  '-0',
  '0',
  '-1',
  '1e309',
  '-1e309',
  '9007199254740993',
  '123456789012345678901234567890',
  '1e21',
  '0.1',
  '1.0',
  '1e2',
  '1e-7',
  '4.9e-324',
  '-9007199254740993',
  '100000.5',
];

export const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

export const deepArray = (levels: number) => new Raw('['.repeat(levels) + ']'.repeat(levels));
export const deepObject = (levels: number) => new Raw('{"a":'.repeat(levels) + '1' + '}'.repeat(levels));

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS).map((n) => new Raw(n)) },
  { weight: 1, arbitrary: fc.double().map((d) => new Raw(Number.isFinite(d) ? String(d) : 'NaN')) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], new Obj([]), [1, 2], ['x']) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      new Obj([['__proto__', new Obj([['admin', true]])]]),
      new Obj([['constructor', new Obj([['prototype', new Obj([])]])]]),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(deepArray(10_000), deepObject(10_000)) },
);

/** Printable ASCII: what a real client can put in a header. */
export const headerText = (maxLength = 60) => fc.string({ unit: 'grapheme-ascii', maxLength });

/** URL segments that attack the router rather than the handler; written raw, not encoded. */
export const RAW_SEGMENTS = [
  '..',
  '../..',
  '%2e%2e',
  '%2e%2e%2f%2e%2e',
  '%00',
  'a%00b',
  '%252e%252e',
  '..%2f..%2fetc%2fpasswd',
  ';',
  '..;',
  '~',
  '.',
  '%20',
  '%E0%A4%A',
  '%',
  '%zz',
  'A'.repeat(300),
];

export const segment = fc.oneof(
  {
    weight: 3,
    arbitrary: hostileText.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?')) || 'x'),
  },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
);

export const CSV_GARBAGE = fc.oneof(
  fc.constantFrom(
    'garbage',
    'a,b,c\n1,2,3\n',
    `${SETTLEMENT_HEADER}\n`,
    `${SETTLEMENT_HEADER}\nnot,enough,cells\nTOTAL,1,0,0\n`,
    `${SETTLEMENT_HEADER}\n${'x,'.repeat(18)}x\nTOTAL,1,1,1\n`,
    `\u0000\u0001\u0002`,
    `${SETTLEMENT_HEADER}\n2026-03-16T10:00:00+07:00,2026-03-16T10:00:00+07:00,'; DROP TABLE payments; --,X,pln,1,B,202601,,1,0,0,1e309,1,0,SUCCESS,00,SN,\nTOTAL,1,1,1\n`,
  ),
  hostileText,
);
