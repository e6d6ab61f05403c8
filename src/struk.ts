/**
 * The struk look, for any slip Pintu prints on a 58 mm roll: a narrow page, the koperasi's name centred in
 * bold, a title and a state line, dashed rules, "label ……… value" rows, and a small closing note.
 * The payment struk (src/payments/receipt.ts) and the deposit receipt (src/deposits/receipt.ts) both use it.
 * The same slip also comes on A4 (`layout: 'a4'`): a customer at the counter may want it for their files, and an
 * office printer is what many koperasi have.
 */
import PDFDocument from 'pdfkit';

export interface Struk {
  doc: InstanceType<typeof PDFDocument>;
  /** "Label   value", the value bold and right-aligned. */
  row: (label: string, value: string) => void;
  /** A dashed line between sections. */
  rule: () => void;
  /** A type size of the 58 mm slip in this layout (an extra line such as a PLN token keeps its proportion). */
  pt: (size: number) => number;
  /** The closing note in small type, then the finished PDF. */
  finish: (note: string) => Promise<Buffer>;
}

export type StrukLayout = '58mm' | 'a4';

/** 58 mm paper is 164 pt wide (226 with the printer's margins); A4 keeps the slip's look in a readable column. */
const LAYOUTS = {
  '58mm': { size: [226, 600] as [number, number], margin: 14, scale: 1, dashes: 52 },
  a4: { size: 'A4' as const, margin: 150, scale: 1.45, dashes: 72 },
};

export function openStruk(input: {
  title: string;
  koperasiName: string;
  heading: string;
  state: string;
  compress?: boolean | undefined;
  layout?: StrukLayout | undefined;
}): Struk {
  const layout = LAYOUTS[input.layout ?? '58mm'];
  const pt = (size: number) => size * layout.scale;
  const doc = new PDFDocument({
    size: layout.size,
    margin: layout.margin,
    compress: input.compress ?? true,
    info: { Title: input.title, Author: 'Pintu' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const row = (label: string, value: string) => {
    doc
      .font('Helvetica')
      .fontSize(pt(7.5))
      .text(label, { continued: true })
      .font('Helvetica-Bold')
      .text(`  ${value}`, { align: 'right' });
  };
  const rule = () =>
    doc
      .moveDown(0.3)
      .fontSize(pt(7))
      .font('Helvetica')
      .text('-'.repeat(layout.dashes), { align: 'center' })
      .moveDown(0.3);

  doc.font('Helvetica-Bold').fontSize(pt(10)).text(input.koperasiName, { align: 'center' });
  doc.font('Helvetica').fontSize(pt(7.5)).text(input.heading, { align: 'center' });
  doc.text(input.state, { align: 'center' });
  rule();
  return {
    doc,
    row,
    rule,
    pt,
    finish: (note: string) => {
      rule();
      doc.font('Helvetica').fontSize(pt(6.5)).text(note, { align: 'center' });
      doc.end();
      return done;
    },
  };
}
