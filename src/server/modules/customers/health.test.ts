import { describe, expect, it } from 'vitest';
import { allowedActions, nextStatus, slaDueAt } from './complaint-rules.js';
import { customerHealth, type HealthFacts } from './health.js';

const none = { critical: 0, high: 0, medium: 0, low: 0 };
const facts = (f: Partial<HealthFacts>): HealthFacts => ({
  openComplaints: none,
  overdueComplaints: 0,
  lowSatisfaction: 0,
  followUpOverdue: false,
  ...f,
});

describe('customer health (pure)', () => {
  it('a customer with nothing wrong is 100 and good, with no reasons', () => {
    expect(customerHealth(facts({}))).toEqual({ score: 100, level: 'good', reasons: [] });
  });

  it('one open critical complaint puts a customer on watch; overdue, it gets worse', () => {
    const open = customerHealth(facts({ openComplaints: { ...none, critical: 1 } }));
    expect(open).toMatchObject({ score: 70, level: 'watch' });
    expect(open.reasons).toEqual([{ rule: 'open_complaint:critical', count: 1, points: -30 }]);
    const overdue = customerHealth(facts({ openComplaints: { ...none, critical: 1 }, overdueComplaints: 1 }));
    expect(overdue).toMatchObject({ score: 60, level: 'watch' });
  });

  it('weighs each severity, low satisfaction and an overdue follow-up, listing every reason', () => {
    const h = customerHealth(
      facts({
        openComplaints: { critical: 0, high: 1, medium: 2, low: 1 },
        lowSatisfaction: 1,
        followUpOverdue: true,
      }),
    );
    // 100 − 15 − 16 − 3 − 15 − 10
    expect(h.score).toBe(41);
    expect(h.level).toBe('at_risk');
    expect(h.reasons.map((r) => r.rule)).toEqual([
      'open_complaint:high',
      'open_complaint:medium',
      'open_complaint:low',
      'low_satisfaction',
      'follow_up_overdue',
    ]);
    expect(h.reasons.reduce((s, r) => s + r.points, 0)).toBe(h.score - 100);
  });

  it('never goes below 0 however many complaints pile up', () => {
    const h = customerHealth(facts({ openComplaints: { ...none, critical: 5 }, overdueComplaints: 5 }));
    expect(h).toMatchObject({ score: 0, level: 'at_risk' });
  });

  it('is good from 80, on watch from 50, at risk below', () => {
    expect(customerHealth(facts({ overdueComplaints: 1, followUpOverdue: true }))).toMatchObject({
      score: 80,
      level: 'good',
    });
    expect(customerHealth(facts({ lowSatisfaction: 2, overdueComplaints: 2 }))).toMatchObject({
      score: 50,
      level: 'watch',
    });
    expect(customerHealth(facts({ lowSatisfaction: 3, followUpOverdue: true }))).toMatchObject({
      score: 45,
      level: 'at_risk',
    });
  });
});

describe('complaint rules (pure)', () => {
  it('moves open → in_progress → resolved → closed, and back from resolved to in_progress', () => {
    expect(nextStatus('open', 'start')).toBe('in_progress');
    expect(nextStatus('in_progress', 'resolve')).toBe('resolved');
    expect(nextStatus('resolved', 'reopen')).toBe('in_progress');
    expect(nextStatus('resolved', 'close')).toBe('closed');
    expect(allowedActions('resolved')).toEqual(['reopen', 'close']);
    expect(allowedActions('closed')).toEqual([]);
  });

  it('refuses skipping a step or touching a closed complaint', () => {
    expect(nextStatus('open', 'resolve')).toBeNull();
    expect(nextStatus('open', 'close')).toBeNull();
    expect(nextStatus('in_progress', 'close')).toBeNull();
    expect(nextStatus('closed', 'reopen')).toBeNull();
  });

  it('is due the severity’s calendar hours after it was received', () => {
    const at = new Date('2026-03-06T16:00:00Z'); // a Friday evening in Shanghai
    const hours = { critical: 4, high: 24, medium: 72, low: 168 };
    expect(slaDueAt(at, 'critical', hours)).toEqual(new Date('2026-03-06T20:00:00Z'));
    expect(slaDueAt(at, 'medium', hours)).toEqual(new Date('2026-03-09T16:00:00Z'));
    expect(slaDueAt(at, 'low', hours)).toEqual(new Date('2026-03-13T16:00:00Z'));
  });
});
