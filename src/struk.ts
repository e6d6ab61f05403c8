/**
 * The struk look, for any slip Pintu prints on a 58 mm roll: a narrow page, the koperasi's name centred in
 * bold, a title and a state line, dashed rules, "label ……… value" rows, and a small closing note.
 * The payment struk (src/payments/receipt.ts) and the deposit receipt (src/deposits/receipt.ts) both use it.
 */
import PDFDocument from 'pdfkit';

export interface Struk {
  doc: InstanceType<typeof PDFDocument>;
  /** "Label   value", the value bold and right-aligned. */
  row: (label: string, value: string) => void;
  /** A dashed line between sections. */
  rule: () => void;
  /** The closing note in small type, then the finished PDF. */
  finish: (note: string) => Promise<Buffer>;
}

export function openStruk(input: {
  title: string;
  koperasiName: string;
  heading: string;
  state: string;
  compress?: boolean | undefined;
}): Struk {
  const doc = new PDFDocument({
    size: [226, 600],
    margin: 14,
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
      .fontSize(7.5)
      .text(label, { continued: true })
      .font('Helvetica-Bold')
      .text(`  ${value}`, { align: 'right' });
  };
  const rule = () =>
    doc.moveDown(0.3).fontSize(7).font('Helvetica').text('-'.repeat(52), { align: 'center' }).moveDown(0.3);

  doc.font('Helvetica-Bold').fontSize(10).text(input.koperasiName, { align: 'center' });
  doc.font('Helvetica').fontSize(7.5).text(input.heading, { align: 'center' });
  doc.text(input.state, { align: 'center' });
  rule();
  return {
    doc,
    row,
    rule,
    finish: (note: string) => {
      rule();
      doc.font('Helvetica').fontSize(6.5).text(note, { align: 'center' });
      doc.end();
      return done;
    },
  };
}
