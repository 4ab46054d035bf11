import PDFDocument from 'pdfkit';
import type { Locale } from '../i18n/locale.js';
import { amountInChineseCapitals, amountInEnglishWords } from '../money/amount-in-words.js';
import { cjkFont } from './fonts.js';

/**
 * Printable business documents (quotes, contracts, statements) as PDF, in Chinese or English,
 * with Noto Sans SC embedded as a subset so Chinese renders on any machine. A module builds a
 * `PdfDoc` from its record — labels already in the reader's language, figures already formatted
 * (see `formatFen`) — and calls `renderPdf`. See docs/pdf.md.
 */

export interface Letterhead {
  companyName: string;
  address?: string | null;
  phone?: string | null;
  /** PNG or JPEG bytes, drawn at most 48 pt high left of the name. */
  logo?: Uint8Array | null;
}

export interface PdfColumn {
  key: string;
  label: string;
  align?: 'left' | 'right' | 'center';
  /** Relative width: the table fills the page width in proportion. Default 1. */
  width?: number;
}

export type PdfCell = string | number | null | undefined;

export interface PdfDoc {
  letterhead: Letterhead;
  title: string;
  /** The document's number (Q-2026-000123) and date, printed under the title. */
  number?: string;
  date?: string;
  /** Side by side under the title, e.g. 买方 / 卖方 with name, address, contact lines. */
  parties?: { label: string; lines: string[] }[];
  table?: { columns: PdfColumn[]; rows: Record<string, PdfCell>[] };
  /** Right-aligned label/value pairs under the table; `emphasis` for the grand total. */
  totals?: { label: string; value: string; emphasis?: boolean }[];
  /** An amount in fen written out in words: 人民币大写 in zh-CN, cheque-style English in en. */
  amountInWords?: number | bigint;
  notes?: string[];
  /** Signature blocks side by side at the end, e.g. ['甲方（盖章）', '乙方（盖章）']. */
  signatures?: string[];
  /** Small print at the bottom of every page, next to the page number. */
  footer?: string;
}

export interface RenderOptions {
  locale: Locale;
  /** Off only in tests that read the raw content stream; `pdfText` reads either. */
  compress?: boolean;
  /**
   * `cjk` (default): Noto Sans SC, embedded as a subset — any Chinese, Latin and digits.
   * `standard`: the PDF's built-in Helvetica, nothing embedded, Latin-1 text only (the benchmark's
   * baseline; Chinese text would print as garbage).
   */
  fonts?: 'cjk' | 'standard';
}

const LABELS = {
  'zh-CN': {
    number: '编号',
    date: '日期',
    amountInWords: '金额（大写）',
    currencyPrefix: '人民币',
    notes: '备注',
    sign: '签字/盖章',
    page: (page: number, pages: number) => `第 ${page} 页 / 共 ${pages} 页`,
    colon: '：',
  },
  en: {
    number: 'No.',
    date: 'Date',
    amountInWords: 'Amount in words',
    currencyPrefix: '',
    notes: 'Notes',
    sign: 'Signature / seal',
    page: (page: number, pages: number) => `Page ${page} of ${pages}`,
    colon: ': ',
  },
} as const;

const PAGE = { margin: 48, bottom: 60 } as const;
const GREY = '#666666';
const RULE = '#bbbbbb';
const HEADER_FILL = '#f0f0f0';
const PAD = 3;
const TABLE_SIZE = 9;

type Pdf = PDFKit.PDFDocument;

/** The amount in words the way `renderPdf` prints it (for a document's page or e-mail as well). */
export function amountInWordsFor(fen: number | bigint, locale: Locale): string {
  return locale === 'en' ? amountInEnglishWords(fen) : amountInChineseCapitals(fen, { currencyPrefix: true });
}

export async function renderPdf(doc: PdfDoc, options: RenderOptions): Promise<Buffer> {
  const labels = LABELS[options.locale];
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE.margin, left: PAGE.margin, right: PAGE.margin, bottom: PAGE.bottom },
    compress: options.compress ?? true,
    bufferPages: true,
    info: { Title: doc.number ? `${doc.title} ${doc.number}` : doc.title, Creator: 'Xiaoguan' },
    lang: options.locale,
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  if (options.fonts === 'standard') {
    pdf.registerFont('regular', 'Helvetica');
    pdf.registerFont('bold', 'Helvetica-Bold');
  } else {
    // pdfkit takes a parsed fontkit font where its types only list paths and bytes.
    pdf.registerFont('regular', cjkFont('regular') as unknown as Buffer);
    pdf.registerFont('bold', cjkFont('bold') as unknown as Buffer);
  }
  const layout = new Layout(pdf);

  drawLetterhead(layout, doc.letterhead);
  drawTitle(layout, doc, labels);
  if (doc.parties?.length) drawParties(layout, doc.parties);
  if (doc.table) drawTable(layout, doc.table);
  if (doc.totals?.length) drawTotals(layout, doc.totals);
  if (doc.amountInWords !== undefined) {
    const words = amountInWordsFor(doc.amountInWords, options.locale);
    layout.paragraph(`${labels.amountInWords}${labels.colon}${words}`, { font: 'bold', size: 10.5 });
  }
  if (doc.notes?.length) {
    layout.gap(6);
    layout.paragraph(labels.notes, { font: 'bold', size: 10 });
    doc.notes.forEach((note, i) => {
      layout.paragraph(`${i + 1}. ${note}`, { size: 9.5 });
    });
  }
  if (doc.signatures?.length) drawSignatures(layout, doc.signatures, labels);
  drawFooters(pdf, doc.footer, labels);
  pdf.end();
  return done;
}

/** Position keeping: a cursor `y` that starts a new page when the next block would not fit. */
class Layout {
  y: number;
  constructor(readonly pdf: Pdf) {
    this.y = pdf.page.margins.top;
  }
  get left() {
    return this.pdf.page.margins.left;
  }
  get width() {
    return this.pdf.page.width - this.pdf.page.margins.left - this.pdf.page.margins.right;
  }
  get bottom() {
    return this.pdf.page.height - this.pdf.page.margins.bottom;
  }
  /** Make room for `height` points, starting a new page if needed; true when it did. */
  ensure(height: number): boolean {
    if (this.y + height <= this.bottom) return false;
    this.pdf.addPage();
    this.y = this.pdf.page.margins.top;
    return true;
  }
  gap(points: number) {
    this.y += points;
  }
  style(font: 'regular' | 'bold', size: number, color = '#000000') {
    this.pdf.font(font).fontSize(size).fillColor(color);
  }
  height(text: string, width: number) {
    return this.pdf.heightOfString(text || ' ', { width });
  }
  /** Text at (x, y) within `width`, no automatic page break. */
  put(text: string, x: number, y: number, width: number, align: 'left' | 'right' | 'center' = 'left') {
    this.pdf.text(text, x, y, { width, align, lineBreak: true });
  }
  paragraph(
    text: string,
    { font = 'regular', size = 10, color }: { font?: 'regular' | 'bold'; size?: number; color?: string } = {},
  ) {
    this.style(font, size, color);
    const h = this.height(text, this.width);
    this.ensure(h);
    this.put(text, this.left, this.y, this.width);
    this.y += h + 3;
  }
  rule(color = RULE, weight = 0.75) {
    this.pdf
      .moveTo(this.left, this.y)
      .lineTo(this.left + this.width, this.y)
      .lineWidth(weight)
      .strokeColor(color)
      .stroke();
  }
}

function drawLetterhead(layout: Layout, head: Letterhead) {
  const { pdf } = layout;
  let x = layout.left;
  let logoHeight = 0;
  if (head.logo?.length) {
    pdf.image(Buffer.from(head.logo), x, layout.y, { fit: [96, 48] });
    x += 106;
    logoHeight = 48;
  }
  const width = layout.left + layout.width - x;
  layout.style('bold', 15);
  const nameHeight = layout.height(head.companyName, width);
  layout.put(head.companyName, x, layout.y, width);
  let textHeight = nameHeight;
  const contact = [head.address, head.phone].filter(Boolean).join('    ');
  if (contact) {
    layout.style('regular', 9, GREY);
    layout.put(contact, x, layout.y + nameHeight + 1, width);
    textHeight += layout.height(contact, width) + 1;
  }
  layout.y += Math.max(logoHeight, textHeight) + 6;
  layout.rule('#333333', 1);
  layout.y += 10;
}

function drawTitle(layout: Layout, doc: PdfDoc, labels: (typeof LABELS)[Locale]) {
  layout.style('bold', 18);
  const h = layout.height(doc.title, layout.width);
  layout.put(doc.title, layout.left, layout.y, layout.width, 'center');
  layout.y += h + 4;
  const meta = [
    doc.number ? `${labels.number}${labels.colon}${doc.number}` : '',
    doc.date ? `${labels.date}${labels.colon}${doc.date}` : '',
  ]
    .filter(Boolean)
    .join('      ');
  if (meta) {
    layout.style('regular', 9.5, GREY);
    layout.put(meta, layout.left, layout.y, layout.width, 'right');
    layout.y += layout.height(meta, layout.width) + 6;
  }
  layout.y += 4;
}

function drawParties(layout: Layout, parties: NonNullable<PdfDoc['parties']>) {
  const gutter = 16;
  const width = (layout.width - gutter * (parties.length - 1)) / parties.length;
  const heights = parties.map((party) => {
    layout.style('bold', 10);
    let h = layout.height(party.label, width) + 2;
    layout.style('regular', 9.5);
    for (const line of party.lines) h += layout.height(line, width);
    return h;
  });
  layout.ensure(Math.max(...heights));
  parties.forEach((party, i) => {
    const x = layout.left + i * (width + gutter);
    let y = layout.y;
    layout.style('bold', 10);
    layout.put(party.label, x, y, width);
    y += layout.height(party.label, width) + 2;
    layout.style('regular', 9.5);
    for (const line of party.lines) {
      layout.put(line, x, y, width);
      y += layout.height(line, width);
    }
  });
  layout.y += Math.max(...heights) + 12;
}

function drawTable(layout: Layout, table: NonNullable<PdfDoc['table']>) {
  const { pdf } = layout;
  const weights = table.columns.map((c) => (c.width && c.width > 0 ? c.width : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (layout.width * w) / total);
  const xs = widths.map((_, i) => layout.left + widths.slice(0, i).reduce((a, b) => a + b, 0));

  const rowHeight = (cells: string[], font: 'regular' | 'bold') => {
    layout.style(font, TABLE_SIZE);
    return Math.max(...cells.map((text, i) => layout.height(text, widths[i]! - 2 * PAD))) + 2 * PAD;
  };
  const drawRow = (cells: string[], font: 'regular' | 'bold', fill?: string) => {
    const h = rowHeight(cells, font);
    if (fill) pdf.rect(layout.left, layout.y, layout.width, h).fill(fill);
    layout.style(font, TABLE_SIZE);
    cells.forEach((text, i) => {
      layout.put(text, xs[i]! + PAD, layout.y + PAD, widths[i]! - 2 * PAD, table.columns[i]!.align ?? 'left');
    });
    layout.y += h;
    layout.rule();
  };
  const header = table.columns.map((c) => c.label);
  const drawHeader = () => {
    layout.rule();
    drawRow(header, 'bold', HEADER_FILL);
  };

  layout.ensure(rowHeight(header, 'bold') * 2);
  drawHeader();
  for (const row of table.rows) {
    const cells = table.columns.map((c) => cellText(row[c.key]));
    // A row never splits across pages; the header is repeated on the next one.
    if (layout.ensure(rowHeight(cells, 'regular'))) drawHeader();
    drawRow(cells, 'regular');
  }
  layout.y += 8;
}

function cellText(value: PdfCell): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

function drawTotals(layout: Layout, totals: NonNullable<PdfDoc['totals']>) {
  const width = Math.min(260, layout.width);
  const x = layout.left + layout.width - width;
  for (const line of totals) {
    const font = line.emphasis ? 'bold' : 'regular';
    const size = line.emphasis ? 11 : 10;
    layout.style(font, size);
    const h = Math.max(layout.height(line.label, width * 0.55), layout.height(line.value, width * 0.45));
    layout.ensure(h);
    layout.put(line.label, x, layout.y, width * 0.55);
    layout.put(line.value, x + width * 0.55, layout.y, width * 0.45, 'right');
    layout.y += h + 2;
  }
  layout.y += 6;
}

function drawSignatures(layout: Layout, signatures: string[], labels: (typeof LABELS)[Locale]) {
  const gutter = 24;
  const width = (layout.width - gutter * (signatures.length - 1)) / signatures.length;
  const height = 64;
  layout.gap(10);
  layout.ensure(height);
  signatures.forEach((label, i) => {
    const x = layout.left + i * (width + gutter);
    layout.style('bold', 10);
    layout.put(label, x, layout.y, width);
    layout.style('regular', 9.5);
    layout.put(`${labels.sign}${labels.colon}`, x, layout.y + 22, width);
    layout.put(`${labels.date}${labels.colon}`, x, layout.y + 42, width);
  });
  layout.y += height;
}

function drawFooters(pdf: Pdf, footer: string | undefined, labels: (typeof LABELS)[Locale]) {
  const { start, count } = pdf.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    pdf.switchToPage(i);
    const { margins } = pdf.page;
    const y = pdf.page.height - PAGE.bottom + 18;
    const width = pdf.page.width - margins.left - margins.right;
    // Writing inside the bottom margin must not start a new page.
    const bottom = margins.bottom;
    margins.bottom = 0;
    pdf.font('regular').fontSize(8).fillColor(GREY);
    const page = labels.page(i - start + 1, count);
    if (footer) pdf.text(footer, margins.left, y, { width: width - 110, lineBreak: false, ellipsis: true });
    pdf.text(page, margins.left + width - 110, y, { width: 110, align: 'right', lineBreak: false });
    margins.bottom = bottom;
  }
}
