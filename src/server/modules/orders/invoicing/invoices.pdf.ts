import { Decimal } from 'decimal.js';
import type { Invoice } from '../../../../contracts/invoices.js';
import type { Db } from '../../../db/client.js';
import type { Ctx } from '../../../platform/context.js';
import type { Locale } from '../../../platform/i18n/locale.js';
import { formatFen, formatYuan } from '../../../platform/money/amount-in-words.js';
import { companyLetterhead, type PdfDoc, renderPdf } from '../../../platform/pdf/index.js';
import { getSettings } from '../../../platform/settings/settings.service.js';
import { getInvoice } from './invoices.service.js';

// The customer's copy of an invoice laid out like a fapiao (购买方 / 销售方, lines excluding tax,
// tax per rate, 价税合计 in 大写 and 小写). It is not the tax office's fapiao.

const LABELS = {
  'zh-CN': {
    title: { general: '增值税普通发票（客户联·副本）', special: '增值税专用发票（客户联·副本）' },
    credit: '红字',
    buyer: '购买方',
    seller: '销售方',
    name: '名称',
    taxId: '纳税人识别号',
    addressPhone: '地址、电话',
    bank: '开户行及账号',
    seq: '序号',
    item: '货物或应税劳务、服务名称',
    spec: '规格型号',
    unit: '单位',
    qty: '数量',
    unitPrice: '单价',
    amount: '金额',
    rate: '税率',
    tax: '税额',
    subtotal: '合计',
    totalLower: '价税合计（小写）',
    credited: '已开红字',
    paid: '已回款',
    open: '未收金额',
    fapiao: '发票号码',
    due: '到期日',
    void: '本发票已作废',
    notice:
      '本文件为发票信息的客户副本，供对账使用，不是税务机关监制的发票；请以税务机关系统开具的发票为准。',
    prices: '金额、单价不含税；价税合计为含税金额（人民币）。',
  },
  en: {
    title: {
      general: 'VAT invoice — general (customer copy)',
      special: 'VAT invoice — special (customer copy)',
    },
    credit: 'Credit',
    buyer: 'Buyer',
    seller: 'Seller',
    name: 'Name',
    taxId: 'Taxpayer id',
    addressPhone: 'Address, phone',
    bank: 'Bank, account',
    seq: 'No.',
    item: 'Goods or services',
    spec: 'Specification',
    unit: 'Unit',
    qty: 'Qty',
    unitPrice: 'Unit price',
    amount: 'Amount',
    rate: 'Rate',
    tax: 'VAT',
    subtotal: 'Subtotal',
    totalLower: 'Total incl. VAT',
    credited: 'Credited',
    paid: 'Paid',
    open: 'Open',
    fapiao: 'Fapiao number',
    due: 'Due date',
    void: 'This invoice is void',
    notice:
      'A copy of the invoice details for the customer’s records; it is not the fapiao issued through the tax office, which prevails.',
    prices: 'Amounts and unit prices exclude VAT; the total includes VAT (CNY).',
  },
} as const;

const percent = (rate: string) => `${new Decimal(rate).times(100).toString()}%`;

export function invoicePdfDoc(
  inv: Invoice,
  seller: { name: string; taxId: string | null; addressPhone: string; bank: string },
  letterhead: PdfDoc['letterhead'],
  locale: Locale,
): PdfDoc {
  const l = LABELS[locale];
  const line = (label: string, value: string | null) => `${label}: ${value ?? ''}`;
  return {
    letterhead,
    title: l.title[inv.type],
    number: inv.fapiaoNumber ? `${inv.number} · ${l.fapiao} ${inv.fapiaoNumber}` : inv.number,
    date: inv.issueDate ?? inv.createdAt.slice(0, 10),
    parties: [
      {
        label: l.buyer,
        lines: [
          line(l.name, inv.buyerTitle),
          line(l.taxId, inv.buyerTaxId),
          line(l.addressPhone, inv.buyerAddressPhone),
          line(l.bank, inv.buyerBankAccount),
        ],
      },
      {
        label: l.seller,
        lines: [
          line(l.name, inv.sellerName ?? seller.name),
          line(l.taxId, inv.sellerTaxId ?? seller.taxId),
          line(l.addressPhone, seller.addressPhone),
          line(l.bank, seller.bank),
        ],
      },
    ],
    table: {
      columns: [
        { key: 'seq', label: l.seq, width: 0.5, align: 'center' },
        { key: 'item', label: l.item, width: 3 },
        { key: 'spec', label: l.spec, width: 1.5 },
        { key: 'unit', label: l.unit, width: 0.7, align: 'center' },
        { key: 'qty', label: l.qty, width: 0.9, align: 'right' },
        { key: 'unitPrice', label: l.unitPrice, width: 1.4, align: 'right' },
        { key: 'amount', label: l.amount, width: 1.6, align: 'right' },
        { key: 'rate', label: l.rate, width: 0.7, align: 'right' },
        { key: 'tax', label: l.tax, width: 1.3, align: 'right' },
      ],
      rows: inv.lines.map((x) => {
        const excl = x.amount - x.taxAmount;
        return {
          seq: x.seq,
          item: x.description,
          spec: x.spec ?? '',
          unit: x.unit ?? '',
          qty: x.quantity,
          unitPrice: new Decimal(excl).dividedBy(x.quantity).dividedBy(100).toDecimalPlaces(2).toFixed(2),
          amount: formatFen(excl),
          rate: percent(x.taxRate),
          tax: formatFen(x.taxAmount),
        };
      }),
    },
    totals: [
      ...inv.totalsByRate.map((g) => ({
        label: `${l.subtotal} ${percent(g.taxRate)}`,
        value: `${l.amount} ${formatYuan(g.amountExclTax)} · ${l.tax} ${formatYuan(g.taxAmount)}`,
      })),
      { label: l.totalLower, value: formatYuan(inv.total), emphasis: true },
      ...(inv.creditedAmount > 0 ? [{ label: l.credited, value: `-${formatYuan(inv.creditedAmount)}` }] : []),
      ...(inv.state !== 'draft' && inv.state !== 'void'
        ? [
            { label: l.paid, value: formatYuan(inv.paidAmount) },
            { label: l.open, value: formatYuan(inv.openAmount) },
          ]
        : []),
    ],
    amountInWords: inv.total,
    notes: [
      ...(inv.state === 'void' ? [`${l.void}: ${inv.voidReason ?? ''}`] : []),
      ...(inv.dueDate ? [`${l.due}: ${inv.dueDate}`] : []),
      ...inv.creditNotes.map(
        (n) => `${l.credit} ${n.number} (${n.issueDate}): -${formatYuan(n.total)} ${n.reason}`,
      ),
      ...(inv.note ? [inv.note] : []),
      l.prices,
      l.notice,
    ],
    footer: `${inv.sellerName ?? seller.name} · ${inv.number}`,
  };
}

export async function renderInvoicePdf(db: Db, ctx: Ctx, id: string, locale: Locale) {
  const inv = await getInvoice(db, ctx, id);
  const s = await getSettings(db);
  const seller = {
    name: s.name,
    taxId: s.taxId,
    addressPhone: [s.address, s.phone].filter(Boolean).join(' '),
    bank: [s.bankName, s.bankAccount].filter(Boolean).join(' '),
  };
  const pdf = await renderPdf(invoicePdfDoc(inv, seller, await companyLetterhead(db), locale), { locale });
  const fileName = locale === 'en' ? `Invoice ${inv.number}.pdf` : `发票 ${inv.number}.pdf`;
  return { pdf, fileName };
}
