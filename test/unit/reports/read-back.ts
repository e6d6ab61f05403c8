/**
 * Reading rendered reports back for assertions: the text a PDF shows (from an uncompressed
 * rendering) and the rows of an XLSX sheet.
 */
import ExcelJS from 'exceljs';

/** The strings of every text-showing operator, in drawing order (kerning gaps joined). */
export function pdfTexts(pdf: Buffer): string[] {
  const texts: string[] = [];
  for (const op of pdf.toString('latin1').matchAll(/\[([^\]]*)\] TJ/g)) {
    const hex = [...(op[1] ?? '').matchAll(/<([0-9a-f]*)>/g)].map((h) => h[1]).join('');
    // Helvetica text is WinAnsi-encoded; 0x85 is the ellipsis, the rest we use is Latin-1.
    texts.push(Buffer.from(hex, 'hex').toString('latin1').replaceAll('\u0085', '…'));
  }
  return texts;
}

export function pdfPageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
}

export async function loadWorkbook(xlsx: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  return workbook;
}

export type CellValue = ExcelJS.CellValue;

/** A sheet's rows as arrays of cell values (column A first), skipping empty rows. */
export function sheetRows(workbook: ExcelJS.Workbook, name: string): CellValue[][] {
  const sheet = workbook.getWorksheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  const rows: CellValue[][] = [];
  sheet.eachRow((row) => {
    const values = row.values as CellValue[];
    rows.push(values.slice(1));
  });
  return rows;
}
