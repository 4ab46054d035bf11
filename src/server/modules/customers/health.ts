import type { ComplaintSeverity } from './complaints.schema.js';

// Customer health (issue 4 §11: "a complaint counts against the customer's health"). Pure: the
// service counts the facts, this function weighs them. 100 is a customer with nothing wrong.

export type HealthLevel = 'good' | 'watch' | 'at_risk';

export interface HealthFacts {
  /** Unresolved (open or in progress) complaints by severity. */
  openComplaints: Record<ComplaintSeverity, number>;
  /** Unresolved complaints past their SLA. */
  overdueComplaints: number;
  /** Complaints closed in the last 90 days with a satisfaction of 1 or 2. */
  lowSatisfaction: number;
  /** The customer's follow-up by its grade's cadence is overdue. */
  followUpOverdue: boolean;
}

export interface HealthReason {
  /** `open_complaint:<severity>`, `overdue_complaint`, `low_satisfaction`, `follow_up_overdue`. */
  rule: string;
  count: number;
  /** Negative: what it took off the score. */
  points: number;
}

export interface Health {
  score: number;
  level: HealthLevel;
  reasons: HealthReason[];
}

/** Points off per item. A critical complaint alone puts a customer on watch. */
export const HEALTH_PENALTIES = {
  openComplaint: { critical: 30, high: 15, medium: 8, low: 3 } as Record<ComplaintSeverity, number>,
  overdueComplaint: 10,
  lowSatisfaction: 15,
  followUpOverdue: 10,
};

/** Score at or above which a customer is good, resp. on watch; below `watch` it is at risk. */
export const HEALTH_LEVELS = { good: 80, watch: 50 };

export const LOW_SATISFACTION_MAX = 2;
export const LOW_SATISFACTION_DAYS = 90;

const SEVERITY_ORDER: ComplaintSeverity[] = ['critical', 'high', 'medium', 'low'];

export function customerHealth(facts: HealthFacts): Health {
  const reasons: HealthReason[] = [];
  const add = (rule: string, count: number, each: number) => {
    if (count > 0) reasons.push({ rule, count, points: -count * each });
  };
  for (const severity of SEVERITY_ORDER) {
    add(
      `open_complaint:${severity}`,
      facts.openComplaints[severity] ?? 0,
      HEALTH_PENALTIES.openComplaint[severity],
    );
  }
  add('overdue_complaint', facts.overdueComplaints, HEALTH_PENALTIES.overdueComplaint);
  add('low_satisfaction', facts.lowSatisfaction, HEALTH_PENALTIES.lowSatisfaction);
  add('follow_up_overdue', facts.followUpOverdue ? 1 : 0, HEALTH_PENALTIES.followUpOverdue);
  const score = Math.max(0, Math.min(100, 100 + reasons.reduce((sum, r) => sum + r.points, 0)));
  return { score, level: healthLevel(score), reasons };
}

export function healthLevel(score: number): HealthLevel {
  if (score >= HEALTH_LEVELS.good) return 'good';
  if (score >= HEALTH_LEVELS.watch) return 'watch';
  return 'at_risk';
}
