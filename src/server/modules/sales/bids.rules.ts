import { addDays } from '../../platform/calendar.js';
import type { BidState } from './bids.schema.js';

// Pure rules of bids (投标): the state machine, the date sequence of a tender, the deadline
// reminders and the bid bond's refund.

export type BidAction = 'edit' | 'submit' | 'win' | 'lose' | 'cancel';

const TRANSITIONS: Record<BidState, Partial<Record<BidAction, BidState>>> = {
  preparing: { edit: 'preparing', submit: 'submitted', cancel: 'cancelled' },
  submitted: { edit: 'submitted', win: 'won', lose: 'lost', cancel: 'cancelled' },
  won: {},
  lost: {},
  cancelled: {},
};

/**
 * preparing → submitted → won | lost; a tender can be cancelled (流标/废标) before or after we
 * submit. Once there is a result nothing changes. Null when the action is not allowed.
 */
export function nextBidState(state: BidState, action: BidAction): BidState | null {
  return TRANSITIONS[state][action] ?? null;
}

export function allowedBidActions(state: BidState): BidAction[] {
  return Object.keys(TRANSITIONS[state]) as BidAction[];
}

export const hasResult = (state: BidState) => state === 'won' || state === 'lost' || state === 'cancelled';

export interface BidDates {
  /** YYYY-MM-DD, company time zone. */
  documentsPurchasedOn?: string | null;
  questionDeadline?: Date | null;
  submissionDeadline: Date;
  openingAt?: Date | null;
}

export type DateProblem = {
  path: keyof BidDates;
  message: 'bidDeadlineAfterPurchase' | 'bidQuestionWindow' | 'bidOpeningBeforeDeadline';
};

/**
 * The order of a tender's dates: the documents are bought before the submission deadline's day,
 * questions close between the two, and the bids are opened at or after the deadline (招标投标法
 * §34: the opening is at the deadline, in public). `dayOf` gives an instant's business day.
 */
export function bidDateProblems(d: BidDates, dayOf: (at: Date) => string): DateProblem[] {
  const problems: DateProblem[] = [];
  const deadlineDay = dayOf(d.submissionDeadline);
  if (d.documentsPurchasedOn && deadlineDay <= d.documentsPurchasedOn) {
    problems.push({ path: 'submissionDeadline', message: 'bidDeadlineAfterPurchase' });
  }
  if (d.questionDeadline) {
    const tooLate = d.questionDeadline.getTime() > d.submissionDeadline.getTime();
    const tooEarly = !!d.documentsPurchasedOn && dayOf(d.questionDeadline) < d.documentsPurchasedOn;
    if (tooLate || tooEarly) problems.push({ path: 'questionDeadline', message: 'bidQuestionWindow' });
  }
  if (d.openingAt && d.openingAt.getTime() < d.submissionDeadline.getTime()) {
    problems.push({ path: 'openingAt', message: 'bidOpeningBeforeDeadline' });
  }
  return problems;
}

export const DAY_MS = 86_400_000;

export type DeadlineReminder = 'threeDays' | 'oneDay';

/**
 * Which deadline reminder a preparing bid is due at `now`, if any: the one-day reminder within 24
 * hours of the deadline, the three-day one within 72 hours; each is sent once. A bid first seen
 * inside 24 hours gets only the one-day reminder. Nothing once the deadline has passed.
 */
export function dueReminder(
  bid: {
    state: BidState;
    submissionDeadline: Date;
    remindedThreeDaysAt: Date | null;
    remindedOneDayAt: Date | null;
  },
  now: Date,
): DeadlineReminder | null {
  if (bid.state !== 'preparing') return null;
  const left = bid.submissionDeadline.getTime() - now.getTime();
  if (left <= 0) return null;
  if (left <= DAY_MS) return bid.remindedOneDayAt ? null : 'oneDay';
  if (left <= 3 * DAY_MS) return bid.remindedThreeDaysAt ? null : 'threeDays';
  return null;
}

/** A preparing bid whose deadline falls within the next three days: the list highlights it. */
export const isDeadlineSoon = (state: BidState, submissionDeadline: Date, now: Date) =>
  state === 'preparing' &&
  submissionDeadline.getTime() > now.getTime() &&
  submissionDeadline.getTime() - now.getTime() <= 3 * DAY_MS;

/**
 * Days after the result within which the bond should be back: the buyer signs with the winner
 * within 30 days of the award notice (招标投标法 §46) and returns every bond within 5 days of
 * signing (招标投标法实施条例 §57).
 */
export const BOND_REFUND_DAYS = 35;

/** The refund due date once the result is known, unless one was agreed already. */
export const bondRefundDue = (resultOn: string, agreed: string | null) =>
  agreed ?? addDays(resultOn, BOND_REFUND_DAYS);

/** Paid, not refunded, and past its refund due date (`today` in the company time zone). */
export function isBondOverdue(
  bond: { bondPaidOn: string | null; bondRefundedOn: string | null; bondRefundDueOn: string | null },
  today: string,
): boolean {
  return !!bond.bondPaidOn && !bond.bondRefundedOn && !!bond.bondRefundDueOn && bond.bondRefundDueOn < today;
}

/** Issuer key of the uniqueness of tender numbers: the customer, or the name without spacing or case. */
export const issuerKey = (customerId: string | null | undefined, issuerName: string | null | undefined) =>
  customerId ? `customer:${customerId}` : `name:${(issuerName ?? '').replace(/\s+/g, '').toLowerCase()}`;
