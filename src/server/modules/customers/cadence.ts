import type { CustomerGrade } from './schema.js';

// Follow-up cadence (seed 002 §客户分级): a graded customer is due for a follow-up a fixed number
// of days after the last one. Pure functions; the services feed them rows and settings.

export const DAY_MS = 86_400_000;

export type CadenceDays = Record<CustomerGrade, number>;
export const DEFAULT_CADENCE: CadenceDays = { A: 7, B: 14, C: 30 };

export interface CadenceInput {
  grade: CustomerGrade | null;
  /** Whether someone holds the customer: pool records are nobody's to follow up. */
  owned: boolean;
  lastFollowUpAt: Date | null;
  /**
   * When the cadence started otherwise: a claim or an assignment (a new owner starts fresh), or
   * the creation of a customer never followed up. The later of this and the last follow-up
   * counts. Grading does not restart it: an A customer last contacted eight days ago is overdue.
   */
  since?: Date | null;
}

/** When the next follow-up is due, or null (no grade, no owner or nothing to count from). */
export function followUpDueAt(input: CadenceInput, cadence: CadenceDays): Date | null {
  if (!input.grade || !input.owned) return null;
  const days = cadence[input.grade];
  if (!days) return null;
  const bases = [input.lastFollowUpAt, input.since].filter((d): d is Date => !!d);
  if (!bases.length) return null;
  const base = Math.max(...bases.map((d) => d.getTime()));
  return new Date(base + days * DAY_MS);
}

/** The shift of a due date when an administrator changes a grade's cadence. */
export function cadenceShiftDays(
  before: CadenceDays,
  after: CadenceDays,
): Partial<Record<CustomerGrade, number>> {
  const shift: Partial<Record<CustomerGrade, number>> = {};
  for (const g of Object.keys(after) as CustomerGrade[]) {
    if (after[g] !== before[g]) shift[g] = after[g] - before[g];
  }
  return shift;
}

/** The pool period that applies to a record: its grade's, 'none' for ungraded customers, 'lead' for leads. */
export function poolDaysFor(
  poolDays: Record<CustomerGrade | 'none' | 'lead', number>,
  entity: 'lead' | 'customer',
  grade: CustomerGrade | null,
): number {
  if (entity === 'lead') return poolDays.lead;
  return poolDays[grade ?? 'none'];
}

/**
 * Whether an owned record is due to return to the pool at `now`: no follow-up (nor claim or
 * assignment) within the pool period.
 */
export function isPoolDue(lastTouch: Date, days: number, now: Date): boolean {
  return now.getTime() - lastTouch.getTime() >= days * DAY_MS;
}
