import type { BenchContext, HttpEntry } from '../lib/entry.js';
import { ensureOpportunities } from './sales-data.js';

/** Months around today, as the forecast page opens: two back, five ahead. */
function forecastRange() {
  const at = (offset: number) => {
    const d = new Date();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + offset);
    return d.toISOString().slice(0, 7);
  };
  return { from: at(-2), to: at(5) };
}

const entry = (name: string, title: string, path: () => string, as: string): HttpEntry => ({
  kind: 'http',
  name,
  title,
  request: async (ctx: BenchContext) => {
    await ensureOpportunities(ctx);
    return { method: 'GET', path: path(), headers: await ctx.signIn(as) };
  },
});

/**
 * Issue 6: the board and the forecast at 100,000 opportunities, as the director sees them (every
 * opportunity in scope: the worst case). The runner measures, in the same run, a bare route
 * serving the same body and the endpoint's own SQL on the raw driver.
 */
export const salesEntries: HttpEntry[] = [
  entry(
    'opportunity-kanban',
    'GET /opportunities/kanban, 20 cards per stage (director, 100k)',
    () => '/api/v1/opportunities/kanban?perStage=20',
    'director',
  ),
  entry(
    'forecast',
    'GET /opportunities/forecast, 8 months by rep (director, 100k)',
    () => {
      const { from, to } = forecastRange();
      return `/api/v1/opportunities/forecast?from=${from}&to=${to}&groupBy=rep`;
    },
    'director',
  ),
];
