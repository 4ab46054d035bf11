import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { formatFen } from '../money/amount-in-words.js';
import { companyLetterhead, sendPdf } from './letterhead.js';
import { type PdfDoc, renderPdf } from './pdf.js';
import { pdfEmbeddedFonts, pdfPageCount, pdfPages, pdfText } from './testing.js';

/** A 4×4 PNG, as a company logo. */
const LOGO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGM4oKAARwzEcQCqQxABtaashgAAAABJRU5ErkJggg==',
  'base64',
);

/** What a quote module would hand over: labels in the reader's language, figures formatted. */
function quote(rows: number, locale: 'zh-CN' | 'en' = 'zh-CN'): PdfDoc {
  const zh = locale === 'zh-CN';
  const lines = Array.from({ length: rows }, (_, i) => ({
    no: i + 1,
    name: zh ? `工业路由器 XR-${i + 1} 型` : `Industrial router XR-${i + 1}`,
    quantity: '2',
    price: formatFen(250_000),
    amount: formatFen(500_000),
  }));
  return {
    letterhead: {
      companyName: '星辰汽车销售有限公司',
      address: '上海市浦东新区张江路 100 号',
      phone: '021-5555 0100',
    },
    title: zh ? '报价单' : 'Quotation',
    number: 'Q-2026-000123',
    date: '2026-05-20',
    parties: [
      {
        label: zh ? '客户' : 'Customer',
        lines: ['北京远航贸易有限公司', zh ? '联系人：王经理' : 'Contact: Mr Wang'],
      },
      { label: zh ? '供方' : 'Supplier', lines: ['星辰汽车销售有限公司'] },
    ],
    table: {
      columns: [
        { key: 'no', label: zh ? '序号' : 'No.', width: 0.5 },
        { key: 'name', label: zh ? '品名' : 'Item', width: 3 },
        { key: 'quantity', label: zh ? '数量' : 'Qty', align: 'right' },
        { key: 'price', label: zh ? '单价' : 'Unit price', align: 'right', width: 1.4 },
        { key: 'amount', label: zh ? '金额' : 'Amount', align: 'right', width: 1.4 },
      ],
      rows: lines,
    },
    totals: [
      { label: zh ? '含税总计' : 'Total incl. VAT', value: `¥${formatFen(rows * 500_000)}`, emphasis: true },
    ],
    amountInWords: rows * 500_000,
    notes: [zh ? '报价有效期 30 天。' : 'Valid for 30 days.'],
    footer: zh ? '星辰汽车销售有限公司 · 报价单' : 'Quotation',
  };
}

const flat = (text: string) => text.replace(/\s+/g, '');

describe('renderPdf: a quote in Chinese', () => {
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await renderPdf(quote(20), { locale: 'zh-CN' });
  });

  it('is a one-page PDF with the Noto Sans SC subsets embedded, and stays small', () => {
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfPageCount(pdf)).toBe(1);
    const fonts = pdfEmbeddedFonts(pdf);
    expect(fonts).toHaveLength(2);
    for (const font of fonts) expect(font).toMatch(/^[A-Z]{6}\+NotoSansSC-(Regular|Bold)$/);
    // Subsets, not the 10 MB fonts.
    expect(pdf.length).toBeLessThan(120_000);
  });

  it('carries the letterhead, number, parties, every line and the amount in capitals', () => {
    const text = pdfText(pdf);
    expect(text).toContain('星辰汽车销售有限公司');
    expect(text).toContain('上海市浦东新区张江路 100 号');
    expect(text).toContain('报价单');
    expect(text).toContain('编号：Q-2026-000123');
    expect(text).toContain('北京远航贸易有限公司');
    for (let i = 1; i <= 20; i++) expect(text).toContain(`工业路由器 XR-${i} 型`);
    expect(text).toContain('100,000.00');
    // 20 × ¥5,000.00 = ¥100,000.00
    expect(flat(text)).toContain('金额（大写）：人民币壹拾万元整');
    expect(text).toContain('1. 报价有效期 30 天。');
    expect(text).toContain('第 1 页 / 共 1 页');
  });

  it('reads the same without compression', async () => {
    const plain = await renderPdf(quote(20), { locale: 'zh-CN', compress: false });
    expect(plain.toString('latin1')).not.toContain('/FlateDecode');
    expect(pdfText(plain)).toBe(pdfText(pdf));
  });
});

describe('renderPdf: English', () => {
  it('labels in English, the amount in words cheque style, Chinese names still rendered', async () => {
    const pdf = await renderPdf(quote(3, 'en'), { locale: 'en' });
    const text = pdfText(pdf);
    expect(text).toContain('Quotation');
    expect(text).toContain('No.: Q-2026-000123');
    expect(text).toContain('Industrial router XR-3');
    expect(flat(text)).toContain(flat('Amount in words: CNY fifteen thousand and 00/100 only'));
    expect(text).toContain('北京远航贸易有限公司');
    expect(text).toContain('Page 1 of 1');
  });
});

describe('renderPdf: long documents', () => {
  it('breaks pages between rows, repeats the table header and numbers every page', async () => {
    const pdf = await renderPdf(quote(120), { locale: 'zh-CN' });
    const pages = pdfPages(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pdfPageCount(pdf)).toBe(pages.length);
    pages.forEach((page, i) => {
      expect(page).toContain('品名');
      expect(page).toContain(`第 ${i + 1} 页 / 共 ${pages.length} 页`);
      expect(page).toContain('星辰汽车销售有限公司 · 报价单');
    });
    const all = pdfText(pdf);
    for (let i = 1; i <= 120; i++) expect(all.split(`工业路由器 XR-${i} 型`)).toHaveLength(2);
    // 120 × ¥5,000.00 = ¥600,000.00, on the last page.
    expect(flat(pages.at(-1)!)).toContain('人民币陆拾万元整');
  });

  it('draws the logo, signature blocks and wraps long cells', async () => {
    const doc = quote(2);
    doc.letterhead.logo = LOGO;
    doc.signatures = ['甲方（盖章）', '乙方（盖章）'];
    doc.table!.rows[0]!.name = '定制工业路由器，含安装调试、三年质保与现场培训服务，'.repeat(4);
    const pdf = await renderPdf(doc, { locale: 'zh-CN', compress: false });
    expect(pdf.toString('latin1')).toMatch(/\/Subtype \/Image/);
    const text = pdfText(pdf);
    expect(text).toContain('甲方（盖章）');
    expect(text).toContain('签字/盖章：');
    // The long name wraps onto several lines, all of it kept.
    expect(flat(text)).toContain(flat(doc.table!.rows[0]!.name as string));
  });

  it('renders documents concurrently from the shared parsed font, each with its own subset', async () => {
    const [zh, en] = await Promise.all([
      renderPdf(quote(5), { locale: 'zh-CN' }),
      renderPdf(quote(5, 'en'), { locale: 'en' }),
    ]);
    expect(flat(pdfText(zh))).toContain('人民币贰万伍仟元整');
    expect(pdfText(zh)).not.toContain('Industrial router');
    expect(flat(pdfText(en))).toContain(flat('CNY twenty-five thousand and 00/100 only'));
    expect(pdfText(en)).not.toContain('工业路由器');
  });

  it('renders a bare document: title and letterhead only', async () => {
    const pdf = await renderPdf(
      { letterhead: { companyName: 'Acme' }, title: '对账单' },
      { locale: 'zh-CN' },
    );
    expect(pdfPageCount(pdf)).toBe(1);
    expect(pdfText(pdf)).toContain('对账单');
  });
});

describe('letterhead and download', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await setupCompany(t.app, 'empty');
  });
  afterAll(() => t.close());

  it("takes the company's name from settings", async () => {
    expect(await companyLetterhead(t.database.db)).toEqual({ companyName: '星辰汽车销售有限公司' });
  });

  it('downloads as application/pdf under its Chinese file name', async () => {
    const pdf = await renderPdf(quote(1), { locale: 'zh-CN' });
    const app = Fastify();
    app.get('/quote.pdf', (_request, reply) => sendPdf(reply, pdf, '报价单 Q-2026-000123.pdf'));
    const res = await app.inject({ method: 'GET', url: '/quote.pdf' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('报价单 Q-2026-000123.pdf')}`,
    );
    expect(flat(pdfText(res.rawPayload))).toContain('人民币伍仟元整');
    await app.close();
  });
});
