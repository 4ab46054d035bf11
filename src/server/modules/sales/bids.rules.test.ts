import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedBidActions,
  bidDateProblems,
  bondRefundDue,
  DAY_MS,
  dueReminder,
  isBondOverdue,
  isDeadlineSoon,
  issuerKey,
  nextBidState,
} from './bids.rules.js';
import { BID_STATES } from './bids.schema.js';

const shanghaiDay = (at: Date) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);

describe('the bid state machine', () => {
  it('goes preparing → submitted → won or lost, and can be cancelled before a result', () => {
    expect(nextBidState('preparing', 'submit')).toBe('submitted');
    expect(nextBidState('submitted', 'win')).toBe('won');
    expect(nextBidState('submitted', 'lose')).toBe('lost');
    expect(nextBidState('preparing', 'cancel')).toBe('cancelled');
    expect(nextBidState('submitted', 'cancel')).toBe('cancelled');
  });

  it('cannot win or lose a bid that was never submitted', () => {
    expect(nextBidState('preparing', 'win')).toBeNull();
    expect(nextBidState('preparing', 'lose')).toBeNull();
  });

  it('allows nothing once there is a result', () => {
    for (const s of ['won', 'lost', 'cancelled'] as const) expect(allowedBidActions(s)).toEqual([]);
  });

  it('never leaves a result state, whatever the action', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BID_STATES),
        fc.constantFrom('edit', 'submit', 'win', 'lose', 'cancel' as const),
        (s, a) => {
          const to = nextBidState(s, a);
          if (s === 'won' || s === 'lost' || s === 'cancelled') return to === null;
          return to === null || allowedBidActions(s).includes(a);
        },
      ),
    );
  });
});

describe('the dates of a tender', () => {
  const deadline = new Date('2026-12-10T01:30:00Z'); // 09:30 in Shanghai
  it('accepts documents bought on 20 November, questions until 1 December and the opening at the deadline', () => {
    expect(
      bidDateProblems(
        {
          documentsPurchasedOn: '2026-11-20',
          questionDeadline: new Date('2026-12-01T09:00:00Z'),
          submissionDeadline: deadline,
          openingAt: deadline,
        },
        shanghaiDay,
      ),
    ).toEqual([]);
  });

  it('refuses a deadline on the purchase day or before, in the company day', () => {
    expect(
      bidDateProblems({ documentsPurchasedOn: '2026-12-10', submissionDeadline: deadline }, shanghaiDay),
    ).toEqual([{ path: 'submissionDeadline', message: 'bidDeadlineAfterPurchase' }]);
    // 23:30 UTC on the 9th is already the 10th in Shanghai.
    const lateNight = new Date('2026-12-09T23:30:00Z');
    expect(
      bidDateProblems({ documentsPurchasedOn: '2026-12-10', submissionDeadline: lateNight }, shanghaiDay),
    ).toHaveLength(1);
    expect(
      bidDateProblems({ documentsPurchasedOn: '2026-12-09', submissionDeadline: lateNight }, shanghaiDay),
    ).toEqual([]);
  });

  it('refuses an opening before the deadline and questions after it', () => {
    const problems = bidDateProblems(
      {
        submissionDeadline: deadline,
        openingAt: new Date(deadline.getTime() - 60_000),
        questionDeadline: new Date(deadline.getTime() + 60_000),
      },
      shanghaiDay,
    );
    expect(problems.map((p) => p.path).sort()).toEqual(['openingAt', 'questionDeadline']);
  });
});

describe('deadline reminders', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const bid = (hoursLeft: number, sent: { three?: boolean; one?: boolean } = {}) => ({
    state: 'preparing' as const,
    submissionDeadline: new Date(now.getTime() + hoursLeft * 3_600_000),
    remindedThreeDaysAt: sent.three ? now : null,
    remindedOneDayAt: sent.one ? now : null,
  });

  it('sends the three-day reminder within 72 hours and the one-day reminder within 24, once each', () => {
    expect(dueReminder(bid(100), now)).toBeNull();
    expect(dueReminder(bid(72), now)).toBe('threeDays');
    expect(dueReminder(bid(50, { three: true }), now)).toBeNull();
    expect(dueReminder(bid(24, { three: true }), now)).toBe('oneDay');
    expect(dueReminder(bid(10, { three: true, one: true }), now)).toBeNull();
  });

  it('skips straight to the one-day reminder for a bid first seen within a day, and says nothing after the deadline', () => {
    expect(dueReminder(bid(5), now)).toBe('oneDay');
    expect(dueReminder(bid(-1), now)).toBeNull();
    expect(dueReminder({ ...bid(30), state: 'submitted' }, now)).toBeNull();
  });

  it('highlights preparing bids closing in the next three days', () => {
    expect(isDeadlineSoon('preparing', new Date(now.getTime() + 3 * DAY_MS), now)).toBe(true);
    expect(isDeadlineSoon('preparing', new Date(now.getTime() + 3 * DAY_MS + 1), now)).toBe(false);
    expect(isDeadlineSoon('submitted', new Date(now.getTime() + DAY_MS), now)).toBe(false);
  });
});

describe('the bid bond', () => {
  it('is due back 35 days after the result unless a date was agreed', () => {
    expect(bondRefundDue('2026-12-20', null)).toBe('2027-01-24');
    expect(bondRefundDue('2026-12-20', '2027-01-05')).toBe('2027-01-05');
  });

  it('is overdue when paid, not refunded and past its due date', () => {
    const bond = { bondPaidOn: '2026-11-01', bondRefundedOn: null, bondRefundDueOn: '2026-12-31' };
    expect(isBondOverdue(bond, '2026-12-31')).toBe(false);
    expect(isBondOverdue(bond, '2027-01-01')).toBe(true);
    expect(isBondOverdue({ ...bond, bondRefundedOn: '2026-12-28' }, '2027-01-01')).toBe(false);
    expect(isBondOverdue({ ...bond, bondPaidOn: null }, '2027-01-01')).toBe(false);
  });
});

describe('tender numbers', () => {
  it('are unique per issuer: a customer, or a name regardless of spacing and case', () => {
    expect(issuerKey('c1', '某医院')).toBe('customer:c1');
    expect(issuerKey(null, ' 杭州市 公共资源交易中心 ')).toBe(issuerKey(undefined, '杭州市公共资源交易中心'));
    expect(issuerKey(null, 'ABC Hospital')).toBe(issuerKey(null, 'abc hospital'));
  });
});
