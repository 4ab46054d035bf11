import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { forecastVsTargetQuery } from '../../../../contracts/index.js';
import { type Db, queryRows } from '../../../db/client.js';
import { scopeOf } from '../../../platform/access/scope.js';
import type { Ctx } from '../../../platform/context.js';
import { invalidField, notFound } from '../../../platform/errors.js';
import { monthlyTargets, type TargetDimension } from '../../analytics/dashboards/targets.js';
import { measure } from '../../analytics/facts/measure.js';
import { factsDataAsOf } from '../../analytics/facts/refresh.js';
import { MAX_FORECAST_MONTHS } from '../../sales/forecast.rules.js';
import { opportunityForecast } from '../../sales/forecast.service.js';
import { commitTotals, currentMonth, RESOURCE } from './commits.service.js';
import {
  addMonths,
  baseline,
  coveragePercent,
  monthEnd,
  monthRange,
  remainingTarget,
  smoothing,
  trimLeadingZeros,
} from './rules.js';

// Forecast against target (issue 8, item 5): per month of a window, for the company, an org unit
// (with its subtree) or a rep — the booked-revenue target, the actual, the weighted pipeline, the
// reps' commits, a statistical baseline and the pipeline coverage. Each figure comes through its
// own module's service and so within the reader's data scope there.

/** Booked revenue: what targets are usually set on and what orders confirm (docs/forecast.md). */
const METRIC = 'booked_revenue' as const;
/** Months of history the baseline looks at before the forecast origin. */
export const HISTORY_MONTHS = 36;

interface Subject {
  orgUnitId: string | null;
  repId: string | null;
}

/**
 * Who the figures are about: the requested unit or rep if within the reader's scope of forecast
 * commits (else 404); without a filter, a rep's own figures, a manager's unit, a director's company.
 */
async function subjectOf(
  db: Db,
  ctx: Ctx,
  q: { orgUnitId?: string | undefined; repId?: string | undefined },
) {
  const actor = ctx.actor;
  if (!actor) throw notFound();
  const scope = scopeOf(actor, RESOURCE);
  const inScope = (unitId: string, path: string, userId?: string) =>
    scope === 'all' ||
    (scope === 'team' && path.startsWith(actor.orgPath)) ||
    (scope === 'own' && (userId ? userId === actor.userId : unitId === actor.orgUnitId));
  if (q.repId) {
    const [rep] = await queryRows<{ org_unit_id: string; path: string }>(
      db,
      sql`select u.org_unit_id::text, o.path from users u join org_units o on o.id = u.org_unit_id
        where u.id = ${q.repId}::uuid`,
    );
    if (!rep || !inScope(rep.org_unit_id, rep.path, q.repId)) throw notFound();
    return { orgUnitId: null, repId: q.repId } satisfies Subject;
  }
  if (q.orgUnitId) {
    const [unit] = await queryRows<{ path: string }>(
      db,
      sql`select path from org_units where id = ${q.orgUnitId}::uuid`,
    );
    if (!unit || !inScope(q.orgUnitId, unit.path) || scope === 'own') throw notFound();
    return { orgUnitId: q.orgUnitId, repId: null } satisfies Subject;
  }
  if (scope === 'own') return { orgUnitId: null, repId: actor.userId } satisfies Subject;
  if (scope === 'team') return { orgUnitId: actor.orgUnitId, repId: null } satisfies Subject;
  return { orgUnitId: null, repId: null } satisfies Subject;
}

async function monthlyActuals(db: Db, ctx: Ctx, from: string, to: string, s: Subject, live: boolean) {
  const { rows, dataAsOf } = await measure(db, ctx, {
    metric: METRIC,
    from: `${from}-01`,
    to: monthEnd(to),
    groupBy: ['month'],
    filter: { orgUnitId: s.orgUnitId ?? undefined, repId: s.repId ?? undefined },
    live,
  });
  return { values: new Map(rows.map((r) => [r.keys.month!, BigInt(r.value)])), dataAsOf };
}

/** Weighted open pipeline per expected close month (won deals are already in the actual). */
async function weightedPipeline(db: Db, ctx: Ctx, from: string, to: string, s: Subject) {
  if (!ctx.actor?.permissions.has('opportunities.read')) return null;
  const f = await opportunityForecast(db, ctx, {
    from,
    to,
    groupBy: s.repId ? 'rep' : 'team',
    view: 'all',
  });
  let cells = f.cells;
  if (s.repId) cells = f.groups.find((g) => g.id === s.repId)?.cells ?? [];
  else if (s.orgUnitId) {
    const units = new Set(
      (
        await queryRows<{ id: string }>(
          db,
          sql`select sub.id::text from org_units sub, org_units top
            where top.id = ${s.orgUnitId}::uuid and sub.path like top.path || '%'`,
        )
      ).map((r) => r.id),
    );
    cells = f.groups.filter((g) => units.has(g.id)).flatMap((g) => g.cells);
  }
  const byMonth = new Map<string, bigint>();
  for (const c of cells) {
    if (c.category === 'closed') continue;
    byMonth.set(c.month, (byMonth.get(c.month) ?? 0n) + BigInt(c.weighted));
  }
  return byMonth;
}

async function targets(db: Db, ctx: Ctx, from: string, to: string, s: Subject) {
  const dimension: TargetDimension = s.repId ? 'rep' : s.orgUnitId ? 'org_unit' : 'company';
  const ids = s.repId ? [s.repId] : s.orgUnitId ? [s.orgUnitId] : undefined;
  return monthlyTargets(db, ctx, { metric: METRIC, from: `${from}-01`, to: monthEnd(to), dimension, ids });
}

const num = (v: bigint | null) => (v === null ? null : Number(v));
const sumOrNull = (vs: (bigint | null)[]) =>
  vs.every((v) => v === null) ? null : vs.reduce<bigint>((a, v) => a + (v ?? 0n), 0n);

export async function forecastVsTarget(db: Db, ctx: Ctx, q: z.infer<typeof forecastVsTargetQuery>) {
  const months = monthRange(q.from, q.to);
  if (!months.length || months.length > MAX_FORECAST_MONTHS) throw invalidField('to', 'invalid');
  const s = await subjectOf(db, ctx, q);
  const current = await currentMonth(db);
  // Before the first refresh (a new company, a test) the roll-up is empty: read the sources.
  const live = (await factsDataAsOf(db)) === null;

  // The baseline forecasts from the months before the window (or before this month, if the
  // window starts later), so past months of the window show what history alone predicted.
  const origin = [q.from, current].sort()[0]!;
  const historyFrom = addMonths(origin, -HISTORY_MONTHS);
  const past = await monthlyActuals(db, ctx, historyFrom, addMonths(origin, -1), s, live);
  const history = monthRange(historyFrom, addMonths(origin, -1)).map((m) => past.values.get(m) ?? 0n);
  const horizon = monthRange(origin, q.to);
  const base = baseline(history, horizon.length);
  const smooth = smoothing(history, horizon.length);
  const at = (values: bigint[] | null, month: string) => {
    const i = horizon.indexOf(month);
    return values && i >= 0 ? (values[i] ?? null) : null;
  };

  const [actuals, pipeline, target, commits] = await Promise.all([
    monthlyActuals(db, ctx, q.from, q.to, s, live),
    weightedPipeline(db, ctx, q.from, q.to, s),
    targets(db, ctx, q.from, q.to, s),
    commitTotals(db, ctx, { from: q.from, to: q.to, ...s }),
  ]);

  const rows = months.map((month) => {
    const t = target.get(month) ?? null;
    const actual = actuals.values.get(month) ?? 0n;
    const weighted = pipeline ? (pipeline.get(month) ?? 0n) : null;
    // A month that has ended can no longer be covered: nothing remains of it.
    const remaining = month < current ? null : remainingTarget(t, actual);
    return {
      month,
      target: t,
      actual,
      weighted,
      commit: commits.get(month)?.commit ?? 0n,
      bestCase: commits.get(month)?.bestCase ?? 0n,
      baseline: at(base.values, month),
      smoothing: at(smooth.values, month),
      remaining,
      status: (month < current ? 'past' : month === current ? 'current' : 'future') as
        | 'past'
        | 'current'
        | 'future',
    };
  });
  const totalTarget = sumOrNull(rows.map((r) => r.target));
  const totalActual = rows.reduce((a, r) => a + r.actual, 0n);
  const totalWeighted = pipeline ? rows.reduce((a, r) => a + (r.weighted ?? 0n), 0n) : null;
  // The window's coverage: what remains of the targets of this month and the months ahead,
  // against the pipeline expected to close in those months (not in months without a target).
  const open = rows.filter((r) => r.remaining !== null);
  const totalRemaining = sumOrNull(open.map((r) => r.remaining));
  const coveringWeighted = pipeline ? open.reduce((a, r) => a + (r.weighted ?? 0n), 0n) : null;
  return {
    from: q.from,
    to: q.to,
    orgUnitId: s.orgUnitId,
    repId: s.repId,
    baselineMethod: base.method,
    smoothingMethod: smooth.method,
    historyMonths: trimLeadingZeros(history).length,
    months: rows.map((r) => ({
      month: r.month,
      target: num(r.target),
      actual: Number(r.actual),
      weightedPipeline: num(r.weighted),
      commit: Number(r.commit),
      bestCase: Number(r.bestCase),
      baseline: num(r.baseline),
      smoothing: num(r.smoothing),
      remaining: num(r.remaining),
      coveragePercent: r.weighted === null ? null : coveragePercent(r.weighted, r.remaining),
      status: r.status,
    })),
    total: {
      target: num(totalTarget),
      actual: Number(totalActual),
      weightedPipeline: num(totalWeighted),
      commit: Number(rows.reduce((a, r) => a + r.commit, 0n)),
      bestCase: Number(rows.reduce((a, r) => a + r.bestCase, 0n)),
      baseline: num(sumOrNull(rows.map((r) => r.baseline))),
      smoothing: num(sumOrNull(rows.map((r) => r.smoothing))),
      remaining: num(totalRemaining),
      coveragePercent: coveringWeighted === null ? null : coveragePercent(coveringWeighted, totalRemaining),
    },
    dataAsOf: live ? new Date().toISOString() : actuals.dataAsOf,
  };
}
