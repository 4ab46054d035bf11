import { formatFen } from '../../src/server/platform/money/amount-in-words.js';
import { type PdfDoc, renderPdf } from '../../src/server/platform/pdf/pdf.js';
import type { TaskEntry } from '../lib/entry.js';
import { withPeakRss } from '../lib/load.js';

const ROWS = 20;
const N = 200;

/** A one-page quote with 20 lines, in Chinese, or the same document all in English. */
export function benchQuote(locale: 'zh-CN' | 'en'): PdfDoc {
  const zh = locale === 'zh-CN';
  return {
    letterhead: {
      companyName: zh ? '星辰汽车销售有限公司' : 'Xingchen Auto Sales Co., Ltd.',
      address: zh ? '上海市浦东新区张江路 100 号' : '100 Zhangjiang Road, Pudong, Shanghai',
      phone: '021-5555 0100',
    },
    title: zh ? '报价单' : 'Quotation',
    number: 'Q-2026-000123',
    date: '2026-05-20',
    parties: [
      {
        label: zh ? '客户' : 'Customer',
        lines: [
          zh ? '北京远航贸易有限公司' : 'Beijing Yuanhang Trading',
          zh ? '联系人：王经理' : 'Contact: Mr Wang',
        ],
      },
      {
        label: zh ? '供方' : 'Supplier',
        lines: [zh ? '星辰汽车销售有限公司' : 'Xingchen Auto Sales', zh ? '销售：李明' : 'Sales: Li Ming'],
      },
    ],
    table: {
      columns: [
        { key: 'no', label: zh ? '序号' : 'No.', width: 0.5 },
        { key: 'name', label: zh ? '品名' : 'Item', width: 3 },
        { key: 'quantity', label: zh ? '数量' : 'Qty', align: 'right' },
        { key: 'price', label: zh ? '单价' : 'Unit price', align: 'right', width: 1.4 },
        { key: 'amount', label: zh ? '金额' : 'Amount', align: 'right', width: 1.4 },
      ],
      rows: Array.from({ length: ROWS }, (_, i) => ({
        no: i + 1,
        name: zh ? `工业路由器 XR-${i + 1} 型（含安装）` : `Industrial router XR-${i + 1} (installed)`,
        quantity: String(1 + (i % 5)),
        price: formatFen(123_400 + i * 100),
        amount: formatFen((123_400 + i * 100) * (1 + (i % 5))),
      })),
    },
    totals: [
      { label: zh ? '合计' : 'Subtotal', value: '¥7,654,321.00' },
      { label: zh ? '含税总计' : 'Total incl. VAT', value: '¥8,649,382.73', emphasis: true },
    ],
    amountInWords: 864_938_273,
    notes: [
      zh ? '报价有效期 30 天。' : 'Valid for 30 days.',
      zh ? '交货期：合同签订后 15 个工作日。' : 'Delivery: 15 working days after signing.',
    ],
    footer: zh
      ? '星辰汽车销售有限公司 · 报价单 Q-2026-000123'
      : 'Xingchen Auto Sales · Quotation Q-2026-000123',
  };
}

/** Renders `doc` `n` times after a warm-up: ms per PDF (p50, p99), PDFs/s, bytes. */
export async function measureRender(n: number, render: () => Promise<Buffer>) {
  for (let i = 0; i < 5; i++) await render();
  const times: number[] = [];
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    bytes = (await render()).length;
    times.push(performance.now() - s);
  }
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p99: at(0.99), rate: n / seconds, seconds, bytes };
}

/**
 * Issue 6 item 11: quote PDF generation, one A4 page with 20 lines, rendered in-process one after
 * another (one core). The Chinese quote embeds Noto Sans SC subsets; the baseline is the same
 * document in English with the PDF's built-in Helvetica (nothing to subset or embed). The first
 * render of the process also parses the fonts: reported apart.
 */
export const pdfRenderEntry: TaskEntry = {
  kind: 'task',
  name: 'pdf-render',
  title: 'quote PDF, 20 lines (per PDF)',
  async run() {
    const zh = benchQuote('zh-CN');
    const en = benchQuote('en');
    const coldStart = performance.now();
    await renderPdf(zh, { locale: 'zh-CN' });
    const cold = performance.now() - coldStart;
    const { result, peakRss } = await withPeakRss(async () => ({
      cjk: await measureRender(N, () => renderPdf(zh, { locale: 'zh-CN' })),
      cjkEn: await measureRender(N, () => renderPdf(en, { locale: 'en' })),
      standard: await measureRender(N, () => renderPdf(en, { locale: 'en', fonts: 'standard' })),
    }));
    const { cjk, cjkEn, standard } = result;
    const ms = (v: number) => v.toFixed(1);
    return {
      rate: cjk.rate,
      unit: 'PDFs/s',
      total: N,
      seconds: cjk.seconds,
      peakRss,
      baseline: { label: 'same document, English, built-in Helvetica', rate: standard.rate },
      notes: [
        `Chinese (Noto Sans SC subset): p50 ${ms(cjk.p50)} ms, p99 ${ms(cjk.p99)} ms, ${Math.round(cjk.bytes / 1024)} KB`,
        `English with the CJK font: p50 ${ms(cjkEn.p50)} ms, ${cjkEn.rate.toFixed(1)} PDFs/s, ${Math.round(cjkEn.bytes / 1024)} KB`,
        `baseline Helvetica: p50 ${ms(standard.p50)} ms, p99 ${ms(standard.p99)} ms, ${Math.round(standard.bytes / 1024)} KB`,
        `first render of the process (reads and parses the two 10 MB fonts): ${ms(cold)} ms`,
      ],
    };
  },
};
