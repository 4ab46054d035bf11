import { z } from 'zod';
import { fen, id, isoDateTime, listQuery, requiredText, shortText, version } from './common.js';

// Bids (投标) on buyers' tenders: dates, bond (投标保证金), competitors and the result.

const isoDate = z.iso.date();
/** An instant with its offset, e.g. 2026-12-01T09:30:00+08:00. */
const instant = z.iso.datetime({ offset: true });

export const bidState = z.enum(['preparing', 'submitted', 'won', 'lost', 'cancelled']);
export type BidStateValue = z.infer<typeof bidState>;
export const bidAction = z.enum(['edit', 'submit', 'win', 'lose', 'cancel']);
export type BidActionValue = z.infer<typeof bidAction>;
export const bondMethod = z.enum(['bank_transfer', 'guarantee_letter', 'cash', 'other']);
export type BondMethodValue = z.infer<typeof bondMethod>;

export const bidCompetitor = z.object({
  name: z.string(),
  price: fen.nullable(),
  note: z.string().nullable(),
});

export const bidCompetitorInput = z
  .object({
    name: requiredText(200),
    price: fen.nullable().optional(),
    note: shortText(500).optional(),
  })
  .strict();

export const bid = z.object({
  id,
  tenderNumber: z.string(),
  projectName: z.string(),
  customerId: id.nullable(),
  customerName: z.string().nullable(),
  /** The customer's name, or the free-text issuer when the buyer is not a customer. */
  issuerName: z.string(),
  opportunityId: id.nullable(),
  opportunityName: z.string().nullable(),
  state: bidState,
  documentsPurchasedOn: isoDate.nullable(),
  questionDeadline: isoDateTime.nullable(),
  submissionDeadline: isoDateTime,
  openingAt: isoDateTime.nullable(),
  /** Preparing with the submission deadline in the next three days. */
  deadlineSoon: z.boolean(),
  bidPrice: fen.nullable(),
  currency: z.string(),
  bondAmount: fen.nullable(),
  bondMethod: bondMethod.nullable(),
  bondPaidOn: isoDate.nullable(),
  bondRefundDueOn: isoDate.nullable(),
  bondRefundedOn: isoDate.nullable(),
  /** Paid, not refunded, past its refund due date. */
  bondOverdue: z.boolean(),
  competitors: z.array(bidCompetitor),
  submittedAt: isoDateTime.nullable(),
  resultOn: isoDate.nullable(),
  lossReason: z.string().nullable(),
  winnerName: z.string().nullable(),
  winningPrice: fen.nullable(),
  cancelReason: z.string().nullable(),
  resultNote: z.string().nullable(),
  note: z.string().nullable(),
  ownerId: id,
  ownerName: z.string(),
  orgUnitId: id,
  orgUnitName: z.string(),
  actions: z.array(bidAction),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type Bid = z.infer<typeof bid>;

const bidFields = {
  tenderNumber: requiredText(100),
  projectName: requiredText(200),
  documentsPurchasedOn: isoDate.nullable().optional(),
  questionDeadline: instant.nullable().optional(),
  submissionDeadline: instant,
  openingAt: instant.nullable().optional(),
  /** Our price, fen, greater than zero; required to submit. */
  bidPrice: fen.min(1).nullable().optional(),
  /** The bond the tender asks for (fen); its payment is recorded with POST /bids/{id}/bond. */
  bondAmount: fen.nullable().optional(),
  competitors: z.array(bidCompetitorInput).max(50).optional(),
  note: shortText(2000).optional(),
};

export const bidCreate = z
  .object({
    ...bidFields,
    /** The issuer as a customer the actor can see… */
    customerId: id.optional(),
    /** …or by name while the buyer is not a customer yet. */
    issuerName: shortText(200).optional(),
    /** An opportunity of the same customer. */
    opportunityId: id.optional(),
  })
  .strict();
export type BidCreate = z.infer<typeof bidCreate>;

export const bidUpdate = z
  .object({
    tenderNumber: bidFields.tenderNumber.optional(),
    projectName: bidFields.projectName.optional(),
    documentsPurchasedOn: bidFields.documentsPurchasedOn,
    questionDeadline: bidFields.questionDeadline,
    submissionDeadline: instant.optional(),
    openingAt: bidFields.openingAt,
    bidPrice: bidFields.bidPrice,
    bondAmount: bidFields.bondAmount,
    competitors: bidFields.competitors,
    note: shortText(2000).nullable().optional(),
    opportunityId: id.nullable().optional(),
    version,
  })
  .strict();
export type BidUpdate = z.infer<typeof bidUpdate>;

export const bidSubmit = z.object({ version }).strict();

export const bidResult = z
  .object({
    outcome: z.enum(['won', 'lost', 'cancelled']),
    /** The day the result was announced (中标通知 / 结果公示). */
    resultOn: isoDate,
    /** Lost: a loss-reason code of the sales settings. */
    lossReason: z.string().trim().max(50).optional(),
    /** Lost: who won, and their price when known. */
    winnerName: shortText(200).optional(),
    winningPrice: fen.optional(),
    /** Cancelled (流标/废标): why. */
    cancelReason: shortText(500).optional(),
    note: shortText(2000).optional(),
    version,
  })
  .strict();
export type BidResult = z.infer<typeof bidResult>;

export const bidBondPayment = z
  .object({
    amount: fen.min(1),
    method: bondMethod,
    paidOn: isoDate,
    /** When the buyer promised it back; otherwise 35 days after the result. */
    refundDueOn: isoDate.nullable().optional(),
    version,
  })
  .strict();

export const bidBondRefund = z.object({ refundedOn: isoDate, version }).strict();

export const bidListQuery = listQuery
  .extend({
    state: bidState.optional(),
    /** Submission deadline from / to (inclusive instants or dates). */
    deadlineFrom: z.string().max(40).optional(),
    deadlineTo: z.string().max(40).optional(),
    customerId: id.optional(),
    opportunityId: id.optional(),
    ownerId: id.optional(),
    /** mine: I own it; team (default): every bid I can see. */
    who: z.enum(['mine', 'team']).optional(),
    bondOverdue: z.stringbool().optional(),
  })
  .strict();
