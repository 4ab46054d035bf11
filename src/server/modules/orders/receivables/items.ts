import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/client.js';
import { scopeFilter } from '../../../platform/access/scope.js';
import type { Ctx } from '../../../platform/context.js';
import { customers } from '../../customers/schema.js';
import { defineCreditExposure } from '../sales-orders/credit.js';
import { agingBucket, daysOverdue } from './rules.js';
import type { AgingBucket } from './schema.js';

/**
 * Receivable items, one SQL for everything that reads them (open items, aging, the due report,
 * balances): issued invoices (not void), and installments of signed contracts (active or
 * completed) that no live invoice line bills — an invoiced installment is collected through its
 * invoice. Amount − credited − paid = open.
 */
export const itemsCte = sql`
  select 'invoice'::text as kind, i.id, i.customer_id, i.number as label, i.contract_id,
         i.due_date::text as due_date, i.issue_date::text as doc_date,
         i.total::bigint as amount, i.credited_amount::bigint as credited, i.paid_amount::bigint as paid
    from invoices i where i.state in ('issued', 'partially_paid', 'paid')
  union all
  select 'installment'::text, ci.id, c.customer_id, c.number || ' #' || ci.seq, c.id,
         ci.due_date::text, coalesce(c.signed_date, c.start_date)::text,
         ci.amount::bigint, 0::bigint, ci.paid_amount::bigint
    from contract_installments ci join contracts c on c.id = ci.contract_id
   where c.state in ('active', 'completed')
     and not exists (
       select 1 from invoice_lines l join invoices v on v.id = l.invoice_id
        where l.source_type = 'contract' and l.source_id = ci.id and v.state in ('issued', 'partially_paid', 'paid'))`;

/** Receivables are scoped by the customer's owner and unit. */
export const visibleReceivables = (ctx: Ctx): SQL | undefined =>
  scopeFilter(ctx.actor, 'receivables', { ownerId: customers.ownerId, orgUnitId: customers.orgUnitId });

export interface ItemRow {
  kind: 'invoice' | 'installment';
  id: string;
  customerId: string;
  label: string;
  contractId: string | null;
  dueDate: string | null;
  docDate: string | null;
  amount: number;
  credited: number;
  paid: number;
  open: number;
  daysOverdue: number;
  bucket: AgingBucket;
}

type Raw = Record<string, unknown>;

export function toItem(r: Raw, today: string): ItemRow {
  const amount = Number(r.amount);
  const credited = Number(r.credited);
  const paid = Number(r.paid);
  const dueDate = (r.due_date as string | null) ?? null;
  const days = dueDate ? daysOverdue(dueDate, today) : 0;
  return {
    kind: r.kind as ItemRow['kind'],
    id: String(r.id),
    customerId: String(r.customer_id),
    label: String(r.label),
    contractId: (r.contract_id as string | null) ?? null,
    dueDate,
    docDate: (r.doc_date as string | null) ?? null,
    amount,
    credited,
    paid,
    open: amount - credited - paid,
    daysOverdue: Math.max(days, 0),
    bucket: agingBucket(days),
  };
}

/** The open items (open > 0) of one customer, oldest due first. */
export async function openItemsOfCustomer(db: Db, customerId: string, today: string): Promise<ItemRow[]> {
  const rows = await queryRows<Raw>(
    db,
    sql`with items as (${itemsCte})
        select * from items where customer_id = ${customerId}::uuid and amount - credited - paid > 0
        order by due_date nulls last, kind, id`,
  );
  return rows.map((r) => toItem(r, today));
}

/** Σ payments − Σ allocations of one customer: cash received and not yet applied. */
export async function unappliedOf(db: Db, customerId: string): Promise<number> {
  const [row] = await queryRows<{ n: string | number | null }>(
    db,
    sql`select (coalesce((select sum(amount) from payments where customer_id = ${customerId}::uuid), 0)
             - coalesce((select sum(amount) from payment_allocations where customer_id = ${customerId}::uuid), 0))::bigint as n`,
  );
  return Number(row?.n ?? 0);
}

/**
 * The customer's balance: Σ billed (issued invoices and un-invoiced installments) − Σ credit notes
 * − Σ payments (allocated and unapplied alike). Positive: the customer owes us.
 */
export async function balanceOf(db: Db, customerId: string): Promise<number> {
  const [row] = await queryRows<{ n: string | number | null }>(
    db,
    sql`with items as (${itemsCte})
        select (coalesce((select sum(amount - credited) from items where customer_id = ${customerId}::uuid), 0)
             - coalesce((select sum(amount) from payments where customer_id = ${customerId}::uuid), 0))::bigint as n`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Open invoices of a customer (total − credited − paid), for the orders part's credit check:
 * what the customer owes on invoices, less unapplied cash.
 */
export async function openReceivables(db: Db, customerId: string): Promise<number> {
  return Math.max(0, await balanceOf(db, customerId));
}

// Open invoices count against the customer's credit limit alongside open orders.
defineCreditExposure('open_invoices', openReceivables);
