import { z } from 'zod';
import { fen, id, isoDateTime, listQuery, requiredText, shortText } from './common.js';

// Payments (回款), their allocations to invoices and installments, and receivables (应收).

export const paymentMethod = z.enum(['bank_transfer', 'cash', 'acceptance_bill', 'online']);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'format' });
const positiveFen = fen.refine((v) => v > 0, { message: 'tooSmall' });

export const allocationInput = z
  .object({
    invoiceId: id.optional(),
    installmentId: id.optional(),
    amount: positiveFen,
  })
  .strict()
  .refine((a) => !!a.invoiceId !== !!a.installmentId, { message: 'invalid', path: ['invoiceId'] });

export const paymentCreate = z
  .object({
    customerId: id,
    amount: positiveFen,
    currency: z.string().trim().toUpperCase().length(3).default('CNY'),
    method: paymentMethod,
    billNumber: shortText(60).optional(),
    billMaturityDate: day.optional(),
    receivedDate: day,
    payerName: shortText(100).optional(),
    payerAccount: shortText(60).optional(),
    reference: shortText(100).optional(),
    note: shortText(500).optional(),
    /** auto = oldest first (default); manual = exactly `allocations`, the rest unapplied. */
    allocation: z.enum(['auto', 'manual']).default('auto'),
    allocations: z.array(allocationInput).max(200).optional(),
  })
  .strict()
  .refine((p) => p.method !== 'acceptance_bill' || (!!p.billNumber && !!p.billMaturityDate), {
    message: 'required',
    path: ['billNumber'],
  });

export const paymentAllocate = z
  .object({
    allocation: z.enum(['auto', 'manual']).default('auto'),
    allocations: z.array(allocationInput).max(200).optional(),
  })
  .strict();

export const paymentReverse = z.object({ reason: requiredText(300) }).strict();

export const allocation = z.object({
  id,
  invoiceId: id.nullable(),
  invoiceNumber: z.string().nullable(),
  installmentId: id.nullable(),
  installmentLabel: z.string().nullable(),
  contractId: id.nullable(),
  amount: z.number().int(),
  createdAt: isoDateTime,
});

export const payment = z.object({
  id,
  number: z.string(),
  kind: z.enum(['receipt', 'reversal']),
  customerId: id,
  customerName: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  method: paymentMethod,
  billNumber: z.string().nullable(),
  billMaturityDate: z.string().nullable(),
  receivedDate: z.string(),
  payerName: z.string().nullable(),
  payerAccount: z.string().nullable(),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  reversesId: id.nullable(),
  reversedById: id.nullable(),
  allocated: z.number().int(),
  unapplied: z.number().int(),
  allocations: z.array(allocation),
  ownerId: id.nullable(),
  createdAt: isoDateTime,
  createdByName: z.string().nullable(),
});
export type Payment = z.infer<typeof payment>;

export const paymentListQuery = listQuery.extend({
  customerId: id.optional(),
  method: paymentMethod.optional(),
  from: day.optional(),
  to: day.optional(),
});

export const paymentListItem = payment.omit({ allocations: true });

/** An open item with the oldest-first suggestion for an amount. */
export const openItem = z.object({
  kind: z.enum(['invoice', 'installment']),
  id,
  label: z.string(),
  contractId: id.nullable(),
  dueDate: z.string().nullable(),
  amount: z.number().int(),
  paid: z.number().int(),
  credited: z.number().int(),
  open: z.number().int(),
  daysOverdue: z.number().int(),
  bucket: z.enum(['not_due', 'd1_30', 'd31_60', 'd61_90', 'over_90']),
  status: z.string(),
  suggested: z.number().int(),
});
export type OpenItem = z.infer<typeof openItem>;

export const openItemsQuery = z.object({ amount: z.coerce.number().int().min(0).optional() });
export const openItems = z.object({
  customerId: id,
  customerName: z.string(),
  items: z.array(openItem),
  unapplied: z.number().int(),
  balance: z.number().int(),
  suggestedUnapplied: z.number().int(),
});

export const agingBuckets = z.object({
  notDue: z.number().int(),
  d1_30: z.number().int(),
  d31_60: z.number().int(),
  d61_90: z.number().int(),
  over90: z.number().int(),
});
export const agingRow = agingBuckets.extend({
  key: z.string(),
  customerId: id.nullable(),
  name: z.string(),
  ownerName: z.string().nullable(),
  unapplied: z.number().int(),
  balance: z.number().int(),
  /** 1–30 + 31–60 + 61–90 + over 90: what is past due (the default sort, largest first). */
  overdue: z.number().int(),
});
export type AgingRow = z.infer<typeof agingRow>;
export const agingSorts = ['-overdue', '-balance', 'name'] as const;
/**
 * Keyset-paged: `cursor` is the previous page's `nextCursor` (same `by`, filters and sort);
 * `totals` and `total` always cover every row of the filter, whatever the page.
 */
export const agingQuery = z.object({
  by: z.enum(['customer', 'owner', 'team']).default('customer'),
  ownerId: id.optional(),
  orgUnitId: id.optional(),
  q: z.string().trim().max(100).optional(),
  /** Only rows with something past due ('true' | 'false'). */
  overdueOnly: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  sort: z.enum(agingSorts).default('-overdue'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export const agingTotals = agingBuckets.extend({
  unapplied: z.number().int(),
  balance: z.number().int(),
  overdue: z.number().int(),
});
export const agingReport = z.object({
  asOf: z.string(),
  items: z.array(agingRow),
  nextCursor: z.string().nullable(),
  /** Rows in the whole report (every page). */
  total: z.number().int(),
  /** Σ of every row of the filter, computed in SQL (not just this page). */
  totals: agingTotals,
});

/** 客户到期应收账款明细表: one row per open item, overdue first. */
export const dueReceivablesQuery = z.object({
  customerId: id.optional(),
  ownerId: id.optional(),
  overdueOnly: z.coerce.boolean().optional(),
});
export const dueReceivableRow = z.object({
  customerId: id,
  customerName: z.string(),
  ownerName: z.string().nullable(),
  orgUnitName: z.string(),
  kind: z.enum(['invoice', 'installment']),
  itemId: id,
  label: z.string(),
  contractNumber: z.string().nullable(),
  dueDate: z.string().nullable(),
  amount: z.number().int(),
  collected: z.number().int(),
  open: z.number().int(),
  daysOverdue: z.number().int(),
  bucket: z.enum(['not_due', 'd1_30', 'd31_60', 'd61_90', 'over_90']),
  lastNote: z.string().nullable(),
  promisedDate: z.string().nullable(),
});
export const dueReceivables = z.object({ asOf: z.string(), items: z.array(dueReceivableRow) });

export const statementQuery = z.object({ from: day, to: day, locale: z.enum(['zh-CN', 'en']).optional() });

export const collectionNoteCreate = z
  .object({
    customerId: id,
    taskId: id.optional(),
    invoiceId: id.optional(),
    installmentId: id.optional(),
    note: requiredText(1000),
    promisedDate: day.optional(),
    promisedAmount: fen.optional(),
  })
  .strict();
export const collectionNote = z.object({
  id,
  customerId: id,
  taskId: id.nullable(),
  invoiceId: id.nullable(),
  installmentId: id.nullable(),
  note: z.string(),
  promisedDate: z.string().nullable(),
  promisedAmount: z.number().int().nullable(),
  createdAt: isoDateTime,
  createdByName: z.string().nullable(),
});
export const collectionTask = z.object({
  id,
  customerId: id,
  customerName: z.string(),
  invoiceId: id.nullable(),
  installmentId: id.nullable(),
  bucket: z.string(),
  dueDate: z.string(),
  amountDue: z.number().int(),
  assigneeId: id.nullable(),
  assigneeName: z.string().nullable(),
  status: z.enum(['open', 'done']),
  createdAt: isoDateTime,
  version: z.number().int(),
});
export const collectionTaskQuery = z.object({
  customerId: id.optional(),
  status: z.enum(['open', 'done']).optional(),
  mine: z.coerce.boolean().optional(),
});
export const collectionTaskDone = z.object({ version: z.number().int().min(1) }).strict();
