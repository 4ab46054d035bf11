import dayjs from 'dayjs';
import quarterOfYear from 'dayjs/plugin/quarterOfYear.js';
import type { DashboardQuery } from '../../../../contracts/dashboards.js';
import { invalidField } from '../../../platform/errors.js';

dayjs.extend(quarterOfYear);

export interface Window {
  from: string;
  to: string;
  /** Today in the company time zone. */
  today: string;
}

const D = 'YYYY-MM-DD';

/**
 * The dashboard's window: `from` + `to` when both are given, else the month, quarter or year
 * (company time zone) containing `date`, default today. Over ten years is refused.
 */
export function dashboardWindow(
  q: Pick<DashboardQuery, 'period' | 'date' | 'from' | 'to'>,
  today: string,
): Window {
  if (q.from || q.to) {
    if (!q.from) throw invalidField('from', 'required');
    if (!q.to) throw invalidField('to', 'required');
    if (q.from > q.to || dayjs(q.to).diff(dayjs(q.from), 'day') > 3660)
      throw invalidField('to', 'factsWindow');
    return { from: q.from, to: q.to, today };
  }
  const anchor = dayjs(q.date ?? today);
  const unit = q.period;
  return { from: anchor.startOf(unit).format(D), to: anchor.endOf(unit).format(D), today };
}

/** Every month of the window as 'YYYY-MM', in order. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let m = dayjs(from).startOf('month');
  const end = dayjs(to).startOf('month');
  while (!m.isAfter(end)) {
    out.push(m.format('YYYY-MM'));
    m = m.add(1, 'month');
  }
  return out;
}

/** Every day of the window that has begun by today (for per-day rates). */
export function elapsedDays(from: string, to: string, today: string): number {
  const last = to < today ? to : today;
  if (last < from) return 0;
  return dayjs(last).diff(dayjs(from), 'day') + 1;
}

/** actual / target as a percentage with one decimal ('87.5'); null without a positive target. */
export function percentOf(actual: bigint | string, target: bigint | string | null): string | null {
  if (target === null) return null;
  const t = BigInt(target);
  if (t <= 0n) return null;
  const tenths = (BigInt(actual) * 1000n * 2n + t) / (2n * t);
  return `${tenths / 10n}.${tenths % 10n}`.replace(/\.0$/, '');
}
