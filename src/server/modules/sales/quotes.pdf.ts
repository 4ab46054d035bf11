import type { Quote } from '../../../contracts/quotes.js';
import type { Locale } from '../../platform/i18n/locale.js';
import { formatFen, formatYuan } from '../../platform/money/amount-in-words.js';
import type { Letterhead, PdfDoc } from '../../platform/pdf/index.js';

// The printed quote (报价单 / Quotation): labels in the reader's language, figures formatted here;
// the PDF service lays it out and writes the amount in words (大写 in Chinese). Costs and margins
// are never printed.

const LABELS = {
  'zh-CN': {
    title: '报价单',
    customer: '客户',
    supplier: '报价方',
    contact: '联系人',
    validUntil: '有效期至',
    revision: '版本',
    seq: '序号',
    product: '产品',
    spec: '规格',
    qty: '数量',
    unit: '单位',
    unitPrice: '单价',
    discount: '折扣',
    amount: '金额',
    subtotal: '小计',
    wholeDiscount: '整单折扣',
    total: '含税总计',
    tax: '其中税额',
    exclTax: '不含税金额',
    paymentTerms: '付款条件',
    deliveryTerms: '交货条件',
    prices: '以上价格均为含税价（人民币）。',
    buyer: '客户确认（签字盖章）',
    seller: '报价方（签字盖章）',
    owner: '销售代表',
  },
  en: {
    title: 'Quotation',
    customer: 'Customer',
    supplier: 'From',
    contact: 'Attn.',
    validUntil: 'Valid until',
    revision: 'Revision',
    seq: 'No.',
    product: 'Product',
    spec: 'Specification',
    qty: 'Qty',
    unit: 'Unit',
    unitPrice: 'Unit price',
    discount: 'Discount',
    amount: 'Amount',
    subtotal: 'Subtotal',
    wholeDiscount: 'Quote discount',
    total: 'Total (incl. VAT)',
    tax: 'of which VAT',
    exclTax: 'Total excl. VAT',
    paymentTerms: 'Payment terms',
    deliveryTerms: 'Delivery terms',
    prices: 'All prices in CNY, VAT included.',
    buyer: 'Accepted by the customer (signature and seal)',
    seller: 'For the supplier (signature and seal)',
    owner: 'Sales representative',
  },
} as const;

const percent = (p: string) => (Number(p) === 0 ? '' : `${p.replace(/\.?0+$/, '')}%`);

export function quotePdfDoc(view: Quote, letterhead: Letterhead, locale: Locale): PdfDoc {
  const l = LABELS[locale];
  const r = view.current;
  const notes = [
    `${l.validUntil}: ${r.validUntil}`,
    ...(r.paymentTerms ? [`${l.paymentTerms}: ${r.paymentTerms}`] : []),
    ...(r.deliveryTerms ? [`${l.deliveryTerms}: ${r.deliveryTerms}`] : []),
    ...(r.notes ? [r.notes] : []),
    l.prices,
  ];
  return {
    letterhead,
    title: l.title,
    number: `${view.number} · ${l.revision} v${r.revision}`,
    date: r.createdAt.slice(0, 10),
    parties: [
      {
        label: l.customer,
        lines: [view.customerName, ...(r.contactName ? [`${l.contact}: ${r.contactName}`] : [])],
      },
      {
        label: l.supplier,
        lines: [letterhead.companyName, `${l.owner}: ${view.ownerName}`, `${l.validUntil}: ${r.validUntil}`],
      },
    ],
    table: {
      columns: [
        { key: 'seq', label: l.seq, width: 0.5, align: 'center' },
        { key: 'product', label: l.product, width: 3 },
        { key: 'spec', label: l.spec, width: 2 },
        { key: 'qty', label: l.qty, width: 1, align: 'right' },
        { key: 'unit', label: l.unit, width: 0.7, align: 'center' },
        { key: 'unitPrice', label: l.unitPrice, width: 1.6, align: 'right' },
        { key: 'discount', label: l.discount, width: 1, align: 'right' },
        { key: 'amount', label: l.amount, width: 1.8, align: 'right' },
      ],
      rows: r.lines.map((line) => ({
        seq: line.seq,
        product: line.productName,
        spec: line.specification ?? '',
        qty: line.quantity,
        unit: line.uom,
        unitPrice: formatFen(line.unitPrice),
        discount: percent(line.discountPercent),
        amount: formatFen(line.amount),
      })),
    },
    totals: [
      ...(r.discountAmount > 0
        ? [
            { label: l.subtotal, value: formatYuan(r.subtotal) },
            {
              label: `${l.wholeDiscount} ${percent(r.discountPercent)}`,
              value: `-${formatYuan(r.discountAmount)}`,
            },
          ]
        : []),
      { label: l.total, value: formatYuan(r.total), emphasis: true },
      { label: l.tax, value: formatYuan(r.tax) },
      { label: l.exclTax, value: formatYuan(r.totalExclTax) },
    ],
    amountInWords: r.total,
    notes,
    signatures: [l.buyer, l.seller],
    footer: `${letterhead.companyName} · ${l.title} ${view.number} v${r.revision}`,
  };
}
