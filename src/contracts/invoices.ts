import { z } from 'zod';
import { vatRate } from './catalog.js';
import { fen, id, isoDateTime, listQuery, quantity, requiredText, shortText, version } from './common.js';
import { creditCode } from './customers.js';

// Invoices (发票 / fapiao) and credit notes (红字发票). Money in fen, tax-inclusive; quantities
// decimal strings; tax rates fractions ("0.13").

export const invoiceState = z.enum(['draft', 'issued', 'partially_paid', 'paid', 'void']);
export type InvoiceStateValue = z.infer<typeof invoiceState>;
/** 普票 general, 专票 special. */
export const invoiceType = z.enum(['general', 'special']);
export type InvoiceTypeValue = z.infer<typeof invoiceType>;
export const invoiceSourceType = z.enum(['sales_order_line', 'contract', 'manual']);
export const invoiceAction = z.enum(['update', 'issue', 'void', 'credit']);
export type InvoiceActionValue = z.infer<typeof invoiceAction>;

const isoDate = z.iso.date();

export const invoiceLineInput = z
  .object({
    productId: id.optional(),
    description: requiredText(200),
    spec: shortText(200).optional(),
    unit: shortText(20).optional(),
    quantity,
    /** Tax-inclusive unit price in fen. */
    unitPrice: fen,
    /** Tax-inclusive line amount; default quantity × unit price rounded to the fen. */
    amount: fen.optional(),
    taxRate: vatRate,
    sourceType: invoiceSourceType.default('manual'),
    /** sales_order_line: the order line; contract: the installment id. */
    sourceId: id.optional(),
  })
  .strict();
export type InvoiceLineInputValue = z.infer<typeof invoiceLineInput>;

const buyerFields = {
  /** 抬头: default the customer's name. */
  buyerTitle: requiredText(200).optional(),
  /** 纳税人识别号 (统一社会信用代码). */
  buyerTaxId: creditCode.nullable().optional(),
  /** 地址、电话 */
  buyerAddressPhone: shortText(300).nullable().optional(),
  /** 开户行及账号 */
  buyerBankAccount: shortText(300).nullable().optional(),
};

export const invoiceCreate = z
  .object({
    customerId: id,
    contractId: id.optional(),
    orderId: id.optional(),
    type: invoiceType.default('general'),
    ...buyerFields,
    paymentTermsDays: z.number().int().min(0).max(365).optional(),
    note: shortText(1000).optional(),
    lines: z.array(invoiceLineInput).min(1).max(200),
  })
  .strict();
export type InvoiceCreate = z.input<typeof invoiceCreate>;

/** Draft only; `lines`, when given, replace all lines. */
export const invoiceUpdate = z
  .object({
    type: invoiceType.optional(),
    ...buyerFields,
    paymentTermsDays: z.number().int().min(0).max(365).optional(),
    note: shortText(1000).nullable().optional(),
    lines: z.array(invoiceLineInput).min(1).max(200).optional(),
    version,
  })
  .strict();

/** Invoice a contract installment: one line for what is left on it (or `amount`). */
export const invoiceFromInstallment = z
  .object({
    installmentId: id,
    type: invoiceType.default('general'),
    amount: fen.min(1).optional(),
    description: requiredText(200).optional(),
    ...buyerFields,
  })
  .strict();

export const invoiceIssue = z
  .object({ version, issueDate: isoDate.optional(), fapiaoNumber: shortText(30).optional() })
  .strict();
export const invoiceVoid = z.object({ reason: requiredText(500), version }).strict();
/** The tax office's number, entered once it is known (also after issue: it is not an edit). */
export const invoiceFapiaoNumber = z.object({ fapiaoNumber: requiredText(30), version }).strict();

export const creditNoteCreate = z
  .object({
    reason: requiredText(500),
    lines: z
      .array(
        z
          .object({
            invoiceLineId: id,
            quantity,
            /** Default the line's unit price × quantity, capped at what is left on the line. */
            amount: fen.min(1).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(200),
    version,
  })
  .strict();

export const invoiceLine = z.object({
  id,
  seq: z.number().int(),
  productId: id.nullable(),
  description: z.string(),
  spec: z.string().nullable(),
  unit: z.string().nullable(),
  quantity: z.string(),
  unitPrice: z.number().int(),
  amount: z.number().int(),
  taxRate: z.string(),
  taxAmount: z.number().int(),
  sourceType: invoiceSourceType,
  sourceId: id.nullable(),
  /** Already credited on this line. */
  creditedQuantity: z.string(),
  creditedAmount: z.number().int(),
});

export const rateTotal = z.object({
  taxRate: z.string(),
  amount: z.number().int(),
  taxAmount: z.number().int(),
  amountExclTax: z.number().int(),
});

export const creditNote = z.object({
  id,
  number: z.string(),
  invoiceId: id,
  reason: z.string(),
  total: z.number().int(),
  taxTotal: z.number().int(),
  issueDate: z.string(),
  createdAt: isoDateTime,
  lines: z.array(
    z.object({
      invoiceLineId: id,
      quantity: z.string(),
      amount: z.number().int(),
      taxAmount: z.number().int(),
    }),
  ),
});
export type CreditNote = z.infer<typeof creditNote>;

export const invoiceListItem = z.object({
  id,
  number: z.string(),
  fapiaoNumber: z.string().nullable(),
  type: invoiceType,
  state: invoiceState,
  customerId: id,
  customerName: z.string(),
  contractId: id.nullable(),
  contractNumber: z.string().nullable(),
  orderId: id.nullable(),
  buyerTitle: z.string(),
  total: z.number().int(),
  taxTotal: z.number().int(),
  creditedAmount: z.number().int(),
  paidAmount: z.number().int(),
  openAmount: z.number().int(),
  issueDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  overdue: z.boolean(),
  ownerId: id.nullable(),
  ownerName: z.string().nullable(),
  createdAt: isoDateTime,
  version: z.number().int(),
});

export const invoice = invoiceListItem.extend({
  buyerTaxId: z.string().nullable(),
  buyerAddressPhone: z.string().nullable(),
  buyerBankAccount: z.string().nullable(),
  sellerName: z.string().nullable(),
  sellerTaxId: z.string().nullable(),
  currency: z.string(),
  paymentTermsDays: z.number().int(),
  issuedAt: isoDateTime.nullable(),
  voidedAt: isoDateTime.nullable(),
  voidReason: z.string().nullable(),
  note: z.string().nullable(),
  lines: z.array(invoiceLine),
  totalsByRate: z.array(rateTotal),
  /** 价税合计大写 */
  totalInWords: z.string(),
  creditNotes: z.array(creditNote),
  actions: z.array(invoiceAction),
  updatedAt: isoDateTime,
});
export type Invoice = z.infer<typeof invoice>;

export const invoiceListQuery = listQuery
  .extend({
    state: invoiceState.optional(),
    type: invoiceType.optional(),
    customerId: id.optional(),
    contractId: id.optional(),
    /** Issued, not fully paid and past the due date. */
    overdue: z.stringbool().optional(),
    /** Issue date range (inclusive). */
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict();

/** What is left to invoice on each installment of a contract. */
export const installmentInvoiceable = z.object({
  installmentId: id,
  seq: z.number().int(),
  dueDate: z.string(),
  amount: z.number().int(),
  invoiced: z.number().int(),
  remaining: z.number().int(),
});
