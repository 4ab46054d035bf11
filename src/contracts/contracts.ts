import { z } from 'zod';
import { fen, id, isoDateTime, listQuery, requiredText, shortText, version } from './common.js';

// Sales contracts (合同) with their payment plan (分期) and review, and the contract ledger (合同管理台账).

const isoDate = z.iso.date();

export const contractState = z.enum(['draft', 'in_review', 'approved', 'active', 'completed', 'terminated']);
export type ContractStateValue = z.infer<typeof contractState>;
export const contractAction = z.enum(['edit', 'submit', 'sign', 'complete', 'terminate']);
export type ContractActionValue = z.infer<typeof contractAction>;

/** A tax rate in percent, at most two decimals (13, 9, 6, 0…). */
export const taxRate = z
  .string()
  .trim()
  .regex(/^\d{1,2}(\.\d{1,2})?$/, { message: 'format' });

export const installment = z.object({
  id,
  seq: z.number().int(),
  dueDate: isoDate,
  amount: fen,
  paidAmount: fen,
  note: z.string().nullable(),
});
export type Installment = z.infer<typeof installment>;

export const installmentInput = z
  .object({
    dueDate: isoDate,
    amount: fen.min(1),
    note: shortText(200).optional(),
  })
  .strict();

export const contract = z.object({
  id,
  number: z.string(),
  title: z.string(),
  customerId: id,
  customerName: z.string(),
  contactId: id.nullable(),
  contactName: z.string().nullable(),
  ourParty: z.string(),
  amount: fen,
  taxRate: z.string(),
  currency: z.string(),
  paymentTerms: z.string().nullable(),
  deliveryTerms: z.string().nullable(),
  warranty: z.string().nullable(),
  nonStandard: z.boolean(),
  nonStandardNote: z.string().nullable(),
  startDate: isoDate,
  endDate: isoDate,
  signedDate: isoDate.nullable(),
  opportunityId: id.nullable(),
  quoteId: id.nullable(),
  ownerId: id,
  ownerName: z.string(),
  orgUnitId: id,
  orgUnitName: z.string(),
  state: contractState,
  submittedAt: isoDateTime.nullable(),
  approvedAt: isoDateTime.nullable(),
  completedAt: isoDateTime.nullable(),
  terminatedAt: isoDateTime.nullable(),
  terminationReason: z.string().nullable(),
  installments: z.array(installment),
  /** What the state allows next (the buttons of the detail page). */
  actions: z.array(contractAction),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type Contract = z.infer<typeof contract>;

export const contractListItem = contract.omit({ installments: true });
export type ContractListItem = z.infer<typeof contractListItem>;

const terms = shortText(2000);

export const contractCreate = z
  .object({
    title: requiredText(200),
    customerId: id,
    contactId: id.optional(),
    amount: fen.min(1),
    taxRate: taxRate.default('13'),
    paymentTerms: terms.optional(),
    deliveryTerms: terms.optional(),
    warranty: terms.optional(),
    nonStandard: z.boolean().default(false),
    nonStandardNote: terms.optional(),
    startDate: isoDate,
    endDate: isoDate,
    signedDate: isoDate.optional(),
    opportunityId: id.optional(),
    quoteId: id.optional(),
    installments: z.array(installmentInput).min(1).max(60),
  })
  .strict();
export type ContractCreate = z.infer<typeof contractCreate>;

/** Draft only. `installments`, when given, replaces the whole plan. */
export const contractUpdate = z
  .object({
    title: requiredText(200).optional(),
    contactId: id.nullable().optional(),
    amount: fen.min(1).optional(),
    taxRate: taxRate.optional(),
    paymentTerms: terms.nullable().optional(),
    deliveryTerms: terms.nullable().optional(),
    warranty: terms.nullable().optional(),
    nonStandard: z.boolean().optional(),
    nonStandardNote: terms.nullable().optional(),
    startDate: isoDate.optional(),
    endDate: isoDate.optional(),
    signedDate: isoDate.nullable().optional(),
    installments: z.array(installmentInput).min(1).max(60).optional(),
    version,
  })
  .strict();
export type ContractUpdate = z.infer<typeof contractUpdate>;

export const contractSubmit = z.object({ version }).strict();
export const contractSign = z.object({ signedDate: isoDate, version }).strict();
export const contractComplete = z.object({ version }).strict();
export const contractTerminate = z.object({ reason: requiredText(500), version }).strict();

export const contractSubmitResult = z.object({
  contract,
  /** pending: waiting for approvers; approved: no rule matched, the contract is approved. */
  approval: z.object({ status: z.enum(['pending', 'approved']), requestId: id.nullable() }),
});

export const contractListQuery = listQuery
  .extend({
    state: contractState.optional(),
    customerId: id.optional(),
    ownerId: id.optional(),
    /** mine: I own it; team (default): every contract I can see. */
    who: z.enum(['mine', 'team']).optional(),
  })
  .strict();

/** Split evenly helper's answer (the form's "split into N" button asks the server). */
export const splitQuery = z
  .object({
    amount: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    n: z.coerce.number().int().min(1).max(60),
  })
  .strict();
export const splitResult = z.object({ amounts: z.array(fen) });

// ---------------------------------------------------------------------------------------------
// Contract ledger (合同管理台账)

export const ledgerFigure = z.object({
  amount: fen,
  /** Of the contract amount, in percent with one decimal ("37.5"). */
  percent: z.string(),
});

export const contractLedgerRow = z.object({
  id,
  number: z.string(),
  title: z.string(),
  customerId: id,
  customerName: z.string(),
  ownerId: id,
  ownerName: z.string(),
  orgUnitName: z.string(),
  state: contractState,
  amount: fen,
  signedDate: isoDate.nullable(),
  endDate: isoDate,
  ordered: ledgerFigure,
  shipped: ledgerFigure,
  invoiced: ledgerFigure,
  collected: ledgerFigure,
  /** The first installment not fully paid. */
  nextDue: z.object({ seq: z.number().int(), dueDate: isoDate, amount: fen }).nullable(),
  overdue: z.boolean(),
});
export type ContractLedgerRow = z.infer<typeof contractLedgerRow>;

export const contractLedgerQuery = listQuery
  .extend({
    state: contractState.optional(),
    customerId: id.optional(),
    ownerId: id.optional(),
    orgUnitId: id.optional(),
    /** The next installment falls due within N days (overdue ones included). */
    dueWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
    overdue: z.stringbool().optional(),
  })
  .strict();
