/**
 * A plain table for pdfkit that never lets pdfkit decide a page break: every cell is placed at an
 * explicit position with `lineBreak: false` (pdfkit's own wrapping would open pages behind our
 * back and is slow over 100k rows). A row that does not fit opens a new page and repeats the header.
 * Text that is too wide ends in an ellipsis; amounts are never cut (a cut number is a wrong number),
 * they shrink instead.
 */
import type PDFDocument from 'pdfkit';

type Doc = InstanceType<typeof PDFDocument>;

export const FONT = 'Helvetica';
export const FONT_BOLD = 'Helvetica-Bold';
export const MARGIN = 28;
const PAD = 2;
const MIN_AMOUNT_SIZE = 4;
const ZEBRA = '#f0f2f5';
const RULE = '#8a94a6';

export interface PdfColumn {
  label: string;
  width: number;
  align: 'left' | 'right';
  /** Amounts: shrink the font to fit rather than cut. */
  shrink?: boolean;
}

export interface TableStyle {
  fontSize: number;
  rowHeight: number;
  headerHeight: number;
}

// Helvetica (a PDF standard font) draws WinAnsi only: Latin-1 plus these. Anything else would come
// out as the wrong glyphs with the wrong width, so it is reduced to its base letter (ễ → e) or `?`.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const PLAIN = /^[\x20-\x7e]*$/;

function drawable(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch);
}

/** `text` as Helvetica can draw it on one line: controls become spaces, other scripts `?`. */
export function toWinAnsi(text: string): string {
  if (PLAIN.test(text)) return text;
  let result = '';
  for (const ch of text.normalize('NFC')) {
    if (drawable(ch)) result += ch;
    else if (/\p{Cc}/u.test(ch)) result += ' ';
    else {
      const base = ch.normalize('NFKD').replace(/\p{M}/gu, '');
      result += base && [...base].every(drawable) ? base : '?';
    }
  }
  return result;
}

/** The longest prefix of `text` that fits `width`, followed by `…`. */
export function ellipsize(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(`${text.slice(0, mid).trimEnd()}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo).trimEnd()}…`;
}

export class PdfTable {
  private y = 0;
  private rowIndex = 0;

  /** `startPage` opens a page and returns the y where the table may begin on it. */
  constructor(
    private readonly doc: Doc,
    private readonly columns: readonly PdfColumn[],
    private readonly style: TableStyle,
    private readonly startPage: () => number,
  ) {}

  get bottom(): number {
    return this.y;
  }

  /** Starts the table at `y` on the current page, or on a new one if not even a row fits. */
  begin(y: number): void {
    const fits = y + this.style.headerHeight + this.style.rowHeight <= this.doc.page.height - MARGIN;
    this.y = fits ? y : this.startPage();
    this.header();
  }

  /** Draws one row, first opening a new page (with the header again) if it would not fit. */
  row(cells: readonly string[]): void {
    if (this.y + this.style.rowHeight > this.doc.page.height - MARGIN) {
      this.y = this.startPage();
      this.header();
    }
    const { doc, style } = this;
    if (this.rowIndex++ % 2 === 1) {
      doc.rect(MARGIN, this.y, this.totalWidth(), style.rowHeight).fill(ZEBRA).fillColor('black');
    }
    doc.font(FONT);
    let x = MARGIN;
    this.columns.forEach((column, i) => {
      this.cell(toWinAnsi(cells[i] ?? ''), column, x, style.fontSize);
      x += column.width;
    });
    this.y += style.rowHeight;
  }

  private totalWidth(): number {
    return this.columns.reduce((sum, c) => sum + c.width, 0);
  }

  private header(): void {
    const { doc, style } = this;
    doc.font(FONT_BOLD).fontSize(style.fontSize);
    let x = MARGIN;
    for (const column of this.columns) {
      // Labels may take two lines; pdfkit wraps them within the header band at the top of a page.
      doc.text(column.label, x + PAD, this.y + PAD, {
        width: column.width - 2 * PAD,
        height: style.headerHeight - PAD,
        align: column.align,
        ellipsis: true,
      });
      x += column.width;
    }
    this.y += style.headerHeight;
    doc
      .moveTo(MARGIN, this.y - 1)
      .lineTo(MARGIN + this.totalWidth(), this.y - 1)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    this.rowIndex = 0;
  }

  private cell(text: string, column: PdfColumn, x: number, fontSize: number): void {
    const { doc } = this;
    const room = column.width - 2 * PAD;
    let size = fontSize;
    doc.fontSize(size);
    const shown = column.shrink ? text : ellipsize(doc, text, room);
    let left = x + PAD;
    if (column.shrink || column.align === 'right') {
      let width = doc.widthOfString(shown);
      while (column.shrink && width > room && size > MIN_AMOUNT_SIZE) {
        doc.fontSize((size -= 0.5));
        width = doc.widthOfString(shown);
      }
      if (column.align === 'right') left = x + column.width - PAD - width;
    }
    // Baseline shared by the row whatever the cell's size, so shrunk amounts stay on the line.
    const top = this.y + (this.style.rowHeight - fontSize) / 2 + (fontSize - size) * 0.75;
    doc.text(shown, left, top, { lineBreak: false });
    if (size !== fontSize) doc.fontSize(fontSize);
  }
}
