import { eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/client.js';
import type { Ctx } from '../../../platform/context.js';
import { invalidField, notFound } from '../../../platform/errors.js';
import { whereAll } from '../../../platform/http/pagination.js';
import type { Locale } from '../../../platform/i18n/locale.js';
import { formatYuan } from '../../../platform/money/amount-in-words.js';
import { companyLetterhead, renderPdf } from '../../../platform/pdf/index.js';
import { customers } from '../../customers/schema.js';
import { itemsCte, visibleReceivables } from './items.js';

// 对账单: what the customer was billed, credited and paid in a period, with the running balance.
// The same sums as `balanceOf`: billed items (issued invoices, un-invoiced installments) add,
// credit notes and payments (reversals are negative payments) subtract.

export type StatementEntryKind = 'invoice' | 'installment' | 'credit_note' | 'payment' | 'reversal';

export interface StatementEntry {
  date: string;
  kind: StatementEntryKind;
  document: string;
  /** Fen: + what the customer owes more, − what reduces it. */
  amount: number;
}

export interface StatementLine extends StatementEntry {
  balance: number;
}

const ORDER: Record<StatementEntryKind, number> = {
  invoice: 0,
  installment: 1,
  credit_note: 2,
  payment: 3,
  reversal: 4,
};

/**
 * Pure: the entries before `from` make the opening balance; those in [from, to] print in date
 * order (bills before credits and payments on the same day) with the running balance.
 */
export function buildStatement(entries: readonly StatementEntry[], from: string, to: string) {
  const sorted = [...entries].sort(
    (a, b) =>
      a.date.localeCompare(b.date) || ORDER[a.kind] - ORDER[b.kind] || a.document.localeCompare(b.document),
  );
  const opening = sorted.filter((e) => e.date < from).reduce((s, e) => s + e.amount, 0);
  let balance = opening;
  const lines: StatementLine[] = [];
  for (const e of sorted) {
    if (e.date < from || e.date > to) continue;
    balance += e.amount;
    lines.push({ ...e, balance });
  }
  return { opening, lines, closing: balance };
}

async function statementEntries(db: Db, customerId: string, to: string): Promise<StatementEntry[]> {
  const rows = await queryRows<{
    date: string;
    kind: StatementEntryKind;
    document: string;
    amount: string | number;
  }>(
    db,
    sql`with items as (${itemsCte})
        select coalesce(doc_date, due_date) as date, kind, label as document, amount
          from items where customer_id = ${customerId}::uuid and coalesce(doc_date, due_date) <= ${to}
        union all
        select cn.issue_date::text, 'credit_note', cn.number, -cn.total::bigint
          from credit_notes cn join invoices i on i.id = cn.invoice_id
         where cn.customer_id = ${customerId}::uuid and i.state in ('issued', 'partially_paid', 'paid')
           and cn.issue_date <= ${to}::date
        union all
        select p.received_date::text, case when p.kind = 'reversal' then 'reversal' else 'payment' end,
               p.number, -p.amount::bigint
          from payments p where p.customer_id = ${customerId}::uuid and p.received_date <= ${to}::date`,
  );
  return rows
    .filter((r) => r.date)
    .map((r) => ({ date: String(r.date), kind: r.kind, document: r.document, amount: Number(r.amount) }));
}

const WORDS = {
  'zh-CN': {
    title: '客户对账单',
    customer: '客户',
    period: '期间',
    date: '日期',
    document: '单据',
    type: '类型',
    debit: '应收',
    credit: '已收/冲减',
    balance: '余额',
    opening: '期初余额',
    closing: '期末余额',
    kinds: {
      invoice: '发票',
      installment: '合同分期',
      credit_note: '红字发票',
      payment: '回款',
      reversal: '回款冲销',
    },
    note: '如对账单有误，请于收到后 15 日内与我司联系；逾期视为确认无误。',
    signatures: ['客户确认（盖章）', '我方（盖章）'],
  },
  en: {
    title: 'Customer statement',
    customer: 'Customer',
    period: 'Period',
    date: 'Date',
    document: 'Document',
    type: 'Type',
    debit: 'Charges',
    credit: 'Credits',
    balance: 'Balance',
    opening: 'Opening balance',
    closing: 'Closing balance',
    kinds: {
      invoice: 'Invoice',
      installment: 'Contract installment',
      credit_note: 'Credit note',
      payment: 'Payment',
      reversal: 'Payment reversal',
    },
    note: 'Please tell us within 15 days of receipt if anything on this statement is wrong.',
    signatures: ['Customer (stamp)', 'Us (stamp)'],
  },
} as const;

/** The statement of one customer the caller may see (else 404), as a PDF. */
export async function renderStatementPdf(
  db: Db,
  ctx: Ctx,
  customerId: string,
  query: { from: string; to: string; locale?: Locale | undefined },
) {
  if (query.from > query.to) throw invalidField('to', 'tooSmall', { minimum: query.from });
  const [c] = await db
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .where(whereAll(eq(customers.id, customerId), visibleReceivables(ctx)));
  if (!c) throw notFound();
  const locale = query.locale ?? ctx.locale;
  const w = WORDS[locale];
  const { opening, lines, closing } = buildStatement(
    await statementEntries(db, c.id, query.to),
    query.from,
    query.to,
  );
  const pdf = await renderPdf(
    {
      letterhead: await companyLetterhead(db),
      title: w.title,
      date: query.to,
      parties: [
        { label: w.customer, lines: [c.name] },
        { label: w.period, lines: [`${query.from} – ${query.to}`] },
      ],
      table: {
        columns: [
          { key: 'date', label: w.date, width: 1.2 },
          { key: 'type', label: w.type, width: 1.3 },
          { key: 'document', label: w.document, width: 2 },
          { key: 'debit', label: w.debit, align: 'right', width: 1.4 },
          { key: 'credit', label: w.credit, align: 'right', width: 1.4 },
          { key: 'balance', label: w.balance, align: 'right', width: 1.5 },
        ],
        rows: [
          {
            date: query.from,
            type: w.opening,
            document: '',
            debit: '',
            credit: '',
            balance: formatYuan(opening),
          },
          ...lines.map((l) => ({
            date: l.date,
            type: w.kinds[l.kind],
            document: l.document,
            debit: l.amount > 0 ? formatYuan(l.amount) : '',
            credit: l.amount < 0 ? formatYuan(-l.amount) : '',
            balance: formatYuan(l.balance),
          })),
        ],
      },
      totals: [
        { label: w.opening, value: formatYuan(opening) },
        { label: w.closing, value: formatYuan(closing), emphasis: true },
      ],
      notes: [w.note],
      signatures: [...w.signatures],
      footer: `${w.title} · ${c.name}`,
    },
    { locale },
  );
  const fileName =
    locale === 'en' ? `Statement ${c.name} ${query.to}.pdf` : `对账单 ${c.name} ${query.to}.pdf`;
  return { pdf, fileName };
}
