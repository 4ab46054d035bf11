import type { ComplaintSeverity, ComplaintStatus, SlaHours } from './complaints.schema.js';

// Complaint handling rules (issue 4 §11): the state machine and the SLA clock. Pure functions;
// the service feeds them rows and settings.

export const HOUR_MS = 3_600_000;

/** Default SLA in calendar hours per severity. */
export const DEFAULT_SLA_HOURS: SlaHours = { critical: 4, high: 24, medium: 72, low: 168 };
export const DEFAULT_COMPLAINT_CATEGORIES = ['product_quality', 'delivery', 'service', 'billing', 'other'];

export type ComplaintAction = 'start' | 'resolve' | 'reopen' | 'close';

/**
 * open → in_progress → resolved → closed; a resolved complaint the customer is not happy with
 * goes back to in_progress. Closed is final.
 */
export const TRANSITIONS: Record<ComplaintAction, { from: ComplaintStatus[]; to: ComplaintStatus }> = {
  start: { from: ['open'], to: 'in_progress' },
  resolve: { from: ['in_progress'], to: 'resolved' },
  reopen: { from: ['resolved'], to: 'in_progress' },
  close: { from: ['resolved'], to: 'closed' },
};

/** The state an action leads to from `status`, or null when the action is not allowed there. */
export function nextStatus(status: ComplaintStatus, action: ComplaintAction): ComplaintStatus | null {
  const rule = TRANSITIONS[action];
  return rule.from.includes(status) ? rule.to : null;
}

/** The actions offered in a state (the detail page's buttons). */
export function allowedActions(status: ComplaintStatus): ComplaintAction[] {
  return (Object.keys(TRANSITIONS) as ComplaintAction[]).filter((a) => nextStatus(status, a) !== null);
}

/** Unresolved complaints are the ones the SLA clock runs on. */
export const isUnresolved = (status: ComplaintStatus) => status === 'open' || status === 'in_progress';

/** Due = received + the severity's SLA hours (calendar hours, nights and holidays included). */
export function slaDueAt(receivedAt: Date, severity: ComplaintSeverity, hours: SlaHours): Date {
  return new Date(receivedAt.getTime() + hours[severity] * HOUR_MS);
}

export function isOverdue(c: { status: ComplaintStatus; slaDueAt: Date }, now: Date): boolean {
  return isUnresolved(c.status) && c.slaDueAt.getTime() < now.getTime();
}
