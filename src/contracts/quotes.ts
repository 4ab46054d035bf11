import { z } from 'zod';
import {
  email,
  fen,
  id,
  isoDateTime,
  listQuery,
  quantity,
  requiredText,
  shortText,
  version,
} from './common.js';
import { installmentInput } from './contracts.js';

// Quotes (报价单): revisions, lines priced by resolution with line and whole-quote discounts,
// discount approval, PDF, e-mail, accept / reject and conversion to a contract.

const isoDate = z.iso.date();

export const quoteState = z.enum([
  'draft',
  'pending_approval',
  'approved',
  'sent',
  'accepted',
  'rejected',
  'superseded',
]);
export type QuoteStateValue = z.infer<typeof quoteState>;
export const quoteAction = z.enum([
  'edit',
  'submit',
  'withdraw',
  'revise',
  'send',
  'accept',
  'reject',
  'contract',
]);
export type QuoteActionValue = z.infer<typeof quoteAction>;

/** A percentage 0–100 with at most two decimals, as a string ("12.5"). */
export const quoteDiscountPercent = z
  .string()
  .trim()
  .regex(/^\d{1,3}(\.\d{1,2})?$/, { message: 'format' })
  .refine((v) => Number(v) <= 100, { message: 'format' });

export const quoteLineInput = z
  .object({
    productId: id,
    quantity,
    /** Line discount off the resolved price; or give `unitPrice` instead. */
    discountPercent: quoteDiscountPercent.optional(),
    /** Your own unit price in fen (tax-inclusive); the discount is derived from it. */
    unitPrice: fen.optional(),
  })
  .strict();
export type QuoteLineInputValue = z.infer<typeof quoteLineInput>;

const terms = shortText(2000);

const quoteBody = {
  contactId: id.nullable().optional(),
  /** Default: today + 30 days in the company's time zone. */
  validUntil: isoDate.optional(),
  paymentTerms: terms.nullable().optional(),
  deliveryTerms: terms.nullable().optional(),
  notes: terms.nullable().optional(),
  /** Whole-quote discount on top of the line discounts. */
  discountPercent: quoteDiscountPercent.optional(),
  lines: z.array(quoteLineInput).min(1).max(200),
  /** The total (fen) the client computed: a different server total → 422 quote_total_mismatch. */
  expectedTotal: fen.optional(),
};

export const quoteCreate = z
  .object({
    customerId: id,
    opportunityId: id.optional(),
    ...quoteBody,
  })
  .strict();
export type QuoteCreate = z.infer<typeof quoteCreate>;

/** The latest revision while it is a draft; `lines` replaces all lines. */
export const quoteUpdate = z
  .object({
    ...quoteBody,
    lines: quoteBody.lines.optional(),
    version,
  })
  .strict();
export type QuoteUpdate = z.infer<typeof quoteUpdate>;

/** Live totals for the editor: the same computation as saving, nothing written. */
export const quotePreview = z
  .object({
    customerId: id,
    discountPercent: quoteDiscountPercent.optional(),
    lines: z.array(quoteLineInput).max(200),
  })
  .strict();

export const quoteLine = z.object({
  id,
  seq: z.number().int(),
  productId: id,
  productName: z.string(),
  sku: z.string(),
  specification: z.string().nullable(),
  uom: z.string(),
  quantity: z.string(),
  listPrice: fen,
  floorPrice: fen.nullable(),
  priceListName: z.string().nullable().optional(),
  discountPercent: z.string(),
  unitPrice: fen,
  priceEntered: z.boolean(),
  amount: fen,
  allocatedDiscount: fen,
  netAmount: fen,
  taxRate: z.string(),
  tax: fen,
  belowFloor: z.boolean(),
  /** Only for holders of products.cost. */
  cost: fen.optional(),
  margin: z.number().int().optional(),
});
export type QuoteLine = z.infer<typeof quoteLine>;

const totals = {
  listTotal: fen,
  subtotal: fen,
  discountAmount: fen,
  total: fen,
  tax: fen,
  totalExclTax: fen,
  /** 1 − total / list total, percent ("20.00"): the approval policy's discountPercent. */
  effectiveDiscount: z.string(),
  belowFloor: z.boolean(),
  /** Who the default policy would ask: none, the manager, the manager and the director. */
  approvalLevel: z.enum(['none', 'manager', 'director']),
};

export const quotePreviewResult = z.object({
  ...totals,
  lines: z.array(
    quoteLine.pick({
      productId: true,
      productName: true,
      sku: true,
      specification: true,
      uom: true,
      quantity: true,
      listPrice: true,
      floorPrice: true,
      discountPercent: true,
      unitPrice: true,
      amount: true,
      allocatedDiscount: true,
      netAmount: true,
      taxRate: true,
      tax: true,
      belowFloor: true,
    }),
  ),
});

export const quoteRevision = z.object({
  id,
  revision: z.number().int(),
  state: quoteState,
  contactId: id.nullable(),
  contactName: z.string().nullable(),
  /** Where the send dialog proposes to e-mail the quote. */
  contactEmail: z.string().nullable(),
  validUntil: isoDate,
  currency: z.string(),
  paymentTerms: z.string().nullable(),
  deliveryTerms: z.string().nullable(),
  notes: z.string().nullable(),
  discountPercent: z.string(),
  ...totals,
  approvalRequestId: id.nullable(),
  reviewComment: z.string().nullable(),
  submittedAt: isoDateTime.nullable(),
  approvedAt: isoDateTime.nullable(),
  sentAt: isoDateTime.nullable(),
  acceptedAt: isoDateTime.nullable(),
  rejectedAt: isoDateTime.nullable(),
  rejectionReason: z.string().nullable(),
  createdAt: isoDateTime,
  lines: z.array(quoteLine),
  /** Totals of all lines' margins, for products.cost holders only. */
  cost: fen.optional(),
  margin: z.number().int().optional(),
});
export type QuoteRevision = z.infer<typeof quoteRevision>;

export const quoteSend = z.object({
  id,
  revision: z.number().int(),
  to: z.string(),
  cc: z.string().nullable(),
  subject: z.string(),
  locale: z.string(),
  sentAt: isoDateTime,
  sentByName: z.string(),
});

export const quoteListItem = z.object({
  id,
  number: z.string(),
  revision: z.number().int(),
  /** The latest revision's state. */
  state: quoteState,
  /** Approved or sent but past its validity date. */
  expired: z.boolean(),
  customerId: id,
  customerName: z.string(),
  opportunityId: id.nullable(),
  opportunityName: z.string().nullable(),
  validUntil: isoDate,
  total: fen,
  contractId: id.nullable(),
  ownerId: id,
  ownerName: z.string(),
  orgUnitId: id,
  orgUnitName: z.string(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type QuoteListItem = z.infer<typeof quoteListItem>;

export const quote = quoteListItem.extend({
  contractNumber: z.string().nullable(),
  /** The revision shown (the latest unless ?revision= asks for an earlier one). */
  current: quoteRevision,
  revisions: z.array(
    z.object({ id, revision: z.number().int(), state: quoteState, total: fen, createdAt: isoDateTime }),
  ),
  sends: z.array(quoteSend),
  /** What the latest revision allows now (the detail page's buttons). */
  actions: z.array(quoteAction),
  /** Whether the actor sees costs and margins. */
  seesCost: z.boolean(),
});
export type Quote = z.infer<typeof quote>;

export const quoteDetailQuery = z.object({ revision: z.coerce.number().int().min(1).optional() }).strict();

export const quoteListQuery = listQuery
  .extend({
    state: quoteState.optional(),
    customerId: id.optional(),
    opportunityId: id.optional(),
    ownerId: id.optional(),
    /** mine: I own it; team (default): every quote I can see. */
    who: z.enum(['mine', 'team']).optional(),
    /** Approved or sent, valid until within the next N days (not yet expired). */
    expiringWithinDays: z.coerce.number().int().min(0).max(365).optional(),
  })
  .strict();

export const quoteVersion = z.object({ version }).strict();
export const quoteSubmitResult = z.object({
  quote,
  /** pending: waiting for approvers; approved: no rule applied, approved at once. */
  approval: z.object({ status: z.enum(['pending', 'approved']), requestId: id.nullable() }),
});

export const quoteSendRequest = z
  .object({
    to: email,
    cc: z.array(email).max(10).optional(),
    subject: shortText(200).optional(),
    message: shortText(2000).optional(),
    locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
    version,
  })
  .strict();

export const quoteReject = z.object({ reason: requiredText(500), version }).strict();

export const quoteToContract = z
  .object({
    title: requiredText(200).optional(),
    startDate: isoDate,
    endDate: isoDate,
    taxRate: z
      .string()
      .trim()
      .regex(/^\d{1,2}(\.\d{1,2})?$/, { message: 'format' })
      .optional(),
    warranty: terms.optional(),
    installments: z.array(installmentInput).min(1).max(60),
    version,
  })
  .strict();

export const quotePdfQuery = z.object({
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  revision: z.coerce.number().int().min(1).optional(),
});
