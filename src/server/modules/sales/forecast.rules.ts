import type { ForecastCategory } from './opportunities.schema.js';
import { FORECAST_CATEGORIES } from './opportunities.schema.js';

// Pure rules of the forecast view: the month range, the weighting rule and the shape of the
// answer built from the aggregate query's rows (GROUP BY CUBE: every subtotal in one query).

export const MAX_FORECAST_MONTHS = 36;

/** 'YYYY-MM' months from `from` to `to`, both included; null when `to` is before `from` or too far. */
export function forecastMonths(from: string, to: string): string[] | null {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  const span = (ty - fy) * 12 + (tm - fm) + 1;
  if (span < 1 || span > MAX_FORECAST_MONTHS) return null;
  return Array.from({ length: span }, (_, i) => {
    const m = fm - 1 + i;
    return `${fy + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
  });
}

/** First day of `from` and first day of the month after `to` (the range is [start, end)). */
export function monthBounds(from: string, to: string): { start: string; end: string } {
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  const end = tm === 12 ? `${ty + 1}-01-01` : `${ty}-${String(tm + 1).padStart(2, '0')}-01`;
  return { start: `${from}-01`, end };
}

/**
 * The weighted amount of one opportunity, in fen: round_half_up(amount × probability / 100) for
 * an open one (integer arithmetic: ⌊(amount × probability + 50) / 100⌋, amounts are ≥ 0), the
 * whole amount for a won one. The SQL of the forecast computes exactly this per opportunity and
 * then sums, so the weighted total is the sum of the rounded per-opportunity figures.
 */
export function weightedAmount(amount: number, probability: number, status: 'open' | 'won'): number {
  if (status === 'won') return amount;
  return Number((BigInt(amount) * BigInt(probability) + 50n) / 100n);
}

export interface CubeRow {
  month: string | null;
  category: string | null;
  grp: string | null;
  name: string | null;
  /** grouping(month, category, grp): bit 4 = month rolled up, 2 = category, 1 = group. */
  g: number;
  n: number;
  amount: string;
  weighted: string;
}

interface Figures {
  count: number;
  amount: number;
  weighted: number;
}
const zero = (): Figures => ({ count: 0, amount: 0, weighted: 0 });
const figures = (r: CubeRow): Figures => ({
  count: Number(r.n),
  amount: Number(r.amount),
  weighted: Number(r.weighted),
});

export interface ForecastBlock {
  cells: (Figures & { month: string; category: ForecastCategory })[];
  byMonth: (Figures & { month: string })[];
  byCategory: (Figures & { category: ForecastCategory })[];
  total: Figures;
}

function emptyBlock(months: string[]): ForecastBlock {
  return {
    cells: [],
    byMonth: months.map((month) => ({ month, ...zero() })),
    byCategory: FORECAST_CATEGORIES.map((category) => ({ category, ...zero() })),
    total: zero(),
  };
}

const CATEGORY_ORDER = new Map(FORECAST_CATEGORIES.map((c, i) => [c as string, i]));

/** Turns the cube's rows into the overall block and one block per group (largest weighted first). */
export function pivotForecast(rows: CubeRow[], months: string[]) {
  const overall = emptyBlock(months);
  const groups = new Map<string, ForecastBlock & { id: string; name: string }>();
  const blockOf = (r: CubeRow) => {
    if (r.g & 1) return overall;
    let b = groups.get(r.grp!);
    if (!b) {
      b = { id: r.grp!, name: r.name ?? '', ...emptyBlock(months) };
      groups.set(r.grp!, b);
    }
    return b;
  };
  for (const r of rows) {
    const b = blockOf(r);
    const level = r.g & 6;
    if (level === 0) {
      b.cells.push({ month: r.month!, category: r.category as ForecastCategory, ...figures(r) });
    } else if (level === 2) {
      const m = b.byMonth.find((x) => x.month === r.month);
      if (m) Object.assign(m, figures(r));
    } else if (level === 4) {
      const c = b.byCategory.find((x) => x.category === r.category);
      if (c) Object.assign(c, figures(r));
    } else {
      b.total = figures(r);
    }
  }
  const sortCells = (b: ForecastBlock) =>
    b.cells.sort(
      (x, y) =>
        x.month.localeCompare(y.month) ||
        (CATEGORY_ORDER.get(x.category) ?? 0) - (CATEGORY_ORDER.get(y.category) ?? 0),
    );
  sortCells(overall);
  const list = [...groups.values()];
  for (const g of list) sortCells(g);
  list.sort((a, b) => b.total.weighted - a.total.weighted || a.name.localeCompare(b.name, 'zh-CN'));
  return { ...overall, groups: list };
}
