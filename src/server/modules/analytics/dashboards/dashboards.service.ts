import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import {
  type Dashboard,
  type DashboardQuery,
  type Widget,
  type WidgetKey,
  type WidgetRow,
  widgetKeys,
} from '../../../../contracts/dashboards.js';
import { type Db, queryRows } from '../../../db/client.js';
import { scopeOf } from '../../../platform/access/scope.js';
import type { Actor, Ctx } from '../../../platform/context.js';
import { notFound } from '../../../platform/errors.js';
import { companyTimeZone, dayIn } from '../../../platform/settings/settings.service.js';
import { listDueFollowUps } from '../../customers/activities.service.js';
import { myDay } from '../../customers/visit-plans.service.js';
import { agingBuckets } from '../../orders/receivables/receivables.service.js';
import { divisionName } from '../../org/index.js';
import { opportunityForecast } from '../../sales/forecast.service.js';
import { getThresholds } from '../../strategy/attainment/attainment.service.js';
import { attainment } from '../../strategy/attainment/rules.js';
import { coveragePercent, remainingTarget } from '../../strategy/forecast/rules.js';
import { METRICS } from '../../strategy/targets/rules.js';
import { type FactFilter, type Metric, measure } from '../facts/index.js';
import { FACTS_RESOURCE } from '../facts/measure.js';
import { dashboardWindow, elapsedDays, monthsOf, percentOf, type Window } from './period.js';
import { monthlyTargets, targetsFor } from './targets.js';

// Role dashboards (issue 8, item 6): each widget composes the figures other modules own — the
// sales facts (measure), published targets, the forecast, receivables aging, due follow-ups —
// into one small table the web draws. Every source applies the caller's own data scope, so a rep
// sees own figures, a manager the team's, a director everything.

export const DASHBOARD_WIDGETS: Record<Dashboard['role'], WidgetKey[]> = {
  director: [
    'revenueTrend',
    'regionAttainment',
    'pipelineCoverage',
    'provinceSales',
    'funnel',
    'productMix',
    'leaderboard',
    'aging',
    'newCustomers',
  ],
  manager: [
    'revenueTrend',
    'regionAttainment',
    'pipelineCoverage',
    'funnel',
    'productMix',
    'leaderboard',
    'aging',
    'newCustomers',
    'visitsPerRep',
    'dueFollowUps',
    'stalledOpportunities',
  ],
  rep: ['myTargets', 'myPipeline', 'dueFollowUps', 'myDay'],
};

/** What a widget needs besides the dashboard permission; without it the widget is left out. */
const WIDGET_PERMISSION: Partial<Record<WidgetKey, string>> = {
  aging: 'receivables.read',
  funnel: 'opportunities.read',
  pipelineCoverage: 'opportunities.read',
  stalledOpportunities: 'opportunities.read',
  myPipeline: 'opportunities.read',
  dueFollowUps: 'customers.read',
  myDay: 'visit-plans.read',
};

/** Revenue on the dashboards is booked revenue (confirmed orders), as targets are usually set. */
const REVENUE: Metric = 'booked_revenue';
/** Actual against target and attainment: the columns of every widget that compares with targets. */
const VS_TARGET: Widget['columns'] = [
  { key: 'actual', unit: 'fen' },
  { key: 'target', unit: 'fen' },
  { key: 'attainment', unit: 'percent' },
];

export interface Scope {
  window: Window;
  /** The org unit filter (with its subtree), or null for everything the caller may see. */
  orgUnitId: string | null;
  /** The rep dashboard: the caller's own figures. */
  repId: string | null;
  filter: FactFilter;
}

function requireActorOf(ctx: Ctx): Actor {
  if (!ctx.actor) throw notFound();
  return ctx.actor;
}

/**
 * The window and the org unit of a request. An org unit outside the caller's data scope for the
 * sales facts is not found (404): a rep may name only their own unit, a manager one of their
 * subtree, a director any. Without one, a manager's dashboards show their own unit.
 */
export async function resolveScope(
  db: Db,
  ctx: Ctx,
  role: Dashboard['role'],
  q: DashboardQuery,
): Promise<Scope> {
  const actor = requireActorOf(ctx);
  const tz = await companyTimeZone(db);
  const window = dashboardWindow(q, dayIn(tz));
  const scope = scopeOf(actor, FACTS_RESOURCE);
  let orgUnitId = q.orgUnitId ?? null;
  if (orgUnitId) {
    const [unit] = await queryRows<{ path: string }>(
      db,
      sql`select path from org_units where id = ${orgUnitId}::uuid`,
    );
    const visible =
      unit &&
      (scope === 'all' ||
        (scope === 'team' ? unit.path.startsWith(actor.orgPath) : orgUnitId === actor.orgUnitId));
    if (!visible) throw notFound();
  } else if (role === 'manager' && scope === 'team') {
    orgUnitId = actor.orgUnitId;
  }
  const repId = role === 'rep' ? actor.userId : null;
  return {
    window,
    orgUnitId,
    repId,
    filter: { orgUnitId: orgUnitId ?? undefined, repId: repId ?? undefined },
  };
}

/** A role's dashboard: every widget the caller may see, each with its own "data as of". */
export async function getDashboard(
  db: Db,
  ctx: Ctx,
  role: Dashboard['role'],
  q: DashboardQuery,
): Promise<Dashboard> {
  const actor = requireActorOf(ctx);
  const s = await resolveScope(db, ctx, role, q);
  const keys = DASHBOARD_WIDGETS[role].filter((k) => {
    const p = WIDGET_PERMISSION[k];
    return !p || actor.permissions.has(p);
  });
  const widgets: Widget[] = [];
  for (const key of keys) widgets.push(await buildWidget(db, ctx, key, s));
  return {
    role,
    from: s.window.from,
    to: s.window.to,
    today: s.window.today,
    orgUnitId: s.orgUnitId,
    widgets,
  };
}

/** One widget, computed alone (the Excel export of a widget uses this). */
export async function getWidget(
  db: Db,
  ctx: Ctx,
  role: Dashboard['role'],
  key: WidgetKey,
  q: DashboardQuery,
): Promise<Widget> {
  if (!DASHBOARD_WIDGETS[role].includes(key)) throw notFound();
  const s = await resolveScope(db, ctx, role, q);
  return buildWidget(db, ctx, key, s);
}

const sum = (values: Iterable<bigint>) => [...values].reduce((a, b) => a + b, 0n);
const str = (v: bigint | number | null | undefined) => (v === null || v === undefined ? null : v.toString());

async function buildWidget(db: Db, ctx: Ctx, key: WidgetKey, s: Scope): Promise<Widget> {
  const w = BUILDERS[key];
  const built = await w(db, ctx, s);
  return { key, drillable: DRILLABLE.has(key), ...built };
}

type Built = Pick<Widget, 'columns' | 'rows' | 'dataAsOf'>;
type Builder = (db: Db, ctx: Ctx, s: Scope) => Promise<Built>;

/** Every widget has records behind its figures, except the rep's day (a list already). */
const DRILLABLE = new Set<WidgetKey>(widgetKeys.filter((k) => k !== 'myDay'));

/** The assignee the targets of a scope belong to: the rep, the org unit, or the company. */
function targetOwner(s: Scope) {
  if (s.repId) return { dimension: 'rep' as const, ids: [s.repId], key: s.repId };
  if (s.orgUnitId) return { dimension: 'org_unit' as const, ids: [s.orgUnitId], key: s.orgUnitId };
  return { dimension: 'company' as const, key: '' };
}

const revenueTrend: Builder = async (db, ctx, s) => {
  const { from, to } = s.window;
  const { rows, dataAsOf } = await measure(db, ctx, {
    metric: REVENUE,
    from,
    to,
    groupBy: ['month'],
    filter: s.filter,
  });
  const actual = new Map(rows.map((r) => [r.keys.month!, BigInt(r.value)]));
  const owner = targetOwner(s);
  const targets = await monthlyTargets(db, ctx, { metric: REVENUE, from, to, ...owner });
  return {
    dataAsOf,
    columns: VS_TARGET,
    rows: monthsOf(from, to).map((m) => {
      const a = actual.get(m) ?? 0n;
      const t = targets.get(m) ?? null;
      return {
        key: m,
        label: m,
        values: { actual: a.toString(), target: str(t), attainment: percentOf(a, t) },
      };
    }),
  };
};

/** The sales units (regions, teams) under a unit or the company; head-office departments sell nothing. */
async function childUnits(db: Db, parentId: string | null) {
  return queryRows<{ id: string; name: string }>(
    db,
    parentId
      ? sql`select id::text, name from org_units where parent_id = ${parentId}::uuid and archived_at is null
          and kind <> 'department' order by sort_order, name`
      : sql`select c.id::text, c.name from org_units c join org_units r on c.parent_id = r.id
          where r.parent_id is null and c.archived_at is null and c.kind <> 'department'
          order by c.sort_order, c.name`,
  );
}

/** The org units of each unit's subtree (the unit itself included), per unit id. */
async function unitsUnder(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  if (!ids.length) return new Map();
  const rows = await queryRows<{ top: string; id: string }>(
    db,
    sql`select top.id::text as top, sub.id::text as id from org_units top join org_units sub
      on sub.path like top.path || '%'
      where top.id in (${sql.join(
        ids.map((i) => sql`${i}::uuid`),
        sql`, `,
      )})`,
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.top, [...(out.get(r.top) ?? []), r.id]);
  return out;
}

const regionAttainment: Builder = async (db, ctx, s) => {
  const { from, to } = s.window;
  let units = await childUnits(db, s.orgUnitId);
  if (!units.length && s.orgUnitId) {
    units = await queryRows(db, sql`select id::text, name from org_units where id = ${s.orgUnitId}::uuid`);
  }
  const targets = await targetsFor(db, ctx, {
    metric: REVENUE,
    from,
    to,
    dimension: 'org_unit',
    ids: units.map((u) => u.id),
  });
  // One figure per org unit of the scope, then each listed unit's subtree summed: one query, not
  // one per unit.
  const m = units.length
    ? await measure(db, ctx, { metric: REVENUE, from, to, groupBy: ['orgUnit'], filter: s.filter })
    : null;
  const byUnit = new Map(m?.rows.map((r) => [r.keys.orgUnit!, BigInt(r.value)]));
  const under = await unitsUnder(
    db,
    units.map((u) => u.id),
  );
  const rows: WidgetRow[] = units.map((u) => {
    const a = sum((under.get(u.id) ?? []).map((id) => byUnit.get(id) ?? 0n));
    const t = targets.get(u.id) ?? null;
    return {
      key: u.id,
      label: u.name,
      values: { actual: a.toString(), target: str(t), attainment: percentOf(a, t) },
    };
  });
  return {
    dataAsOf: m?.dataAsOf ?? null,
    columns: VS_TARGET,
    rows,
  };
};

const provinceSales: Builder = async (db, ctx, s) => {
  const { from, to } = s.window;
  const m = await measure(db, ctx, { metric: REVENUE, from, to, groupBy: ['province'], filter: s.filter });
  return {
    dataAsOf: m.dataAsOf,
    columns: [{ key: 'actual', unit: 'fen' }],
    rows: m.rows
      .map((r) => ({
        key: r.keys.province ?? '',
        label: r.keys.province ? (divisionName(r.keys.province) ?? r.keys.province) : '',
        values: { actual: r.value },
      }))
      .sort((a, b) => Number(BigInt(b.values.actual) - BigInt(a.values.actual))),
  };
};

const productMix: Builder = async (db, ctx, s) => {
  const { from, to } = s.window;
  const m = await measure(db, ctx, { metric: REVENUE, from, to, groupBy: ['category'], filter: s.filter });
  const names = new Map(
    (
      await queryRows<{ id: string; name: string }>(db, sql`select id::text, name from product_categories`)
    ).map((r) => [r.id, r.name]),
  );
  const total = sum(m.rows.map((r) => BigInt(r.value)));
  return {
    dataAsOf: m.dataAsOf,
    columns: [
      { key: 'actual', unit: 'fen' },
      { key: 'share', unit: 'percent' },
    ],
    rows: m.rows
      .map((r) => ({
        key: r.keys.category ?? '',
        label: names.get(r.keys.category ?? '') ?? '',
        values: { actual: r.value, share: percentOf(r.value, total) },
      }))
      .sort((a, b) => Number(BigInt(b.values.actual) - BigInt(a.values.actual))),
  };
};

async function userNames(db: Db, ids: string[]) {
  if (!ids.length) return new Map<string, string>();
  const rows = await queryRows<{ id: string; name: string }>(
    db,
    sql`select id::text, name from users where id in (${sql.join(
      ids.map((i) => sql`${i}::uuid`),
      sql`, `,
    )})`,
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

const leaderboard: Builder = async (db, ctx, s) => {
  const { from, to } = s.window;
  const m = await measure(db, ctx, { metric: REVENUE, from, to, groupBy: ['rep'], filter: s.filter });
  const actual = new Map(m.rows.filter((r) => r.keys.rep).map((r) => [r.keys.rep!, BigInt(r.value)]));
  const targets = await targetsFor(db, ctx, { metric: REVENUE, from, to, dimension: 'rep' });
  // Reps with a target in the filter's unit count even before their first sale.
  if (s.orgUnitId) {
    const inUnit = await queryRows<{ id: string }>(
      db,
      sql`select u.id::text from users u join org_units ou on ou.id = u.org_unit_id, org_units top
        where top.id = ${s.orgUnitId}::uuid and ou.path like top.path || '%'`,
    );
    const ok = new Set(inUnit.map((r) => r.id));
    for (const id of [...targets.keys()]) if (!ok.has(id)) targets.delete(id);
  }
  const ids = [...new Set([...actual.keys(), ...targets.keys()])];
  const names = await userNames(db, ids);
  const rows = ids.map((id) => {
    const a = actual.get(id) ?? 0n;
    const t = targets.get(id) ?? null;
    return {
      key: id,
      label: names.get(id) ?? '',
      values: { actual: a.toString(), target: str(t), attainment: percentOf(a, t) },
    };
  });
  rows.sort(
    (x, y) =>
      Number(y.values.attainment ?? -1) - Number(x.values.attainment ?? -1) ||
      Number(BigInt(y.values.actual) - BigInt(x.values.actual)) ||
      x.label.localeCompare(y.label),
  );
  return {
    dataAsOf: m.dataAsOf,
    columns: VS_TARGET,
    rows,
  };
};

const newCustomers: Builder = async (db, ctx, s) => {
  const { from, to } = s.window;
  const m = await measure(db, ctx, {
    metric: 'new_customers',
    from,
    to,
    groupBy: ['month'],
    filter: s.filter,
  });
  const byMonth = new Map(m.rows.map((r) => [r.keys.month!, r.value]));
  return {
    dataAsOf: m.dataAsOf,
    columns: [{ key: 'count', unit: 'count' }],
    rows: monthsOf(from, to).map((k) => ({ key: k, label: k, values: { count: byMonth.get(k) ?? '0' } })),
  };
};

/** Org units of a subtree (the unit itself included), for filtering per-unit rows of other reports. */
export async function subtreeIds(db: Db, orgUnitId: string): Promise<Set<string>> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select sub.id::text from org_units sub, org_units top
      where top.id = ${orgUnitId}::uuid and sub.path like top.path || '%'`,
  );
  return new Set(rows.map((r) => r.id));
}

export const AGING_KEYS = ['notDue', 'd1_30', 'd31_60', 'd61_90', 'over90'] as const;

const aging: Builder = async (db, ctx, s) => {
  const totals = await agingBuckets(db, ctx, {
    ...(s.repId ? { ownerId: s.repId } : {}),
    ...(s.orgUnitId ? { orgUnitIds: [...(await subtreeIds(db, s.orgUnitId))] } : {}),
  });
  return {
    dataAsOf: new Date().toISOString(),
    columns: [{ key: 'amount', unit: 'fen' }],
    rows: AGING_KEYS.map((k) => ({ key: k, label: k, values: { amount: totals[k].toString() } })),
  };
};

async function defaultPipelineStages(db: Db) {
  return queryRows<{ id: string; name_zh: string; name_en: string; kind: string; position: number }>(
    db,
    sql`select s.id::text, s.name_zh, s.name_en, s.kind, s.position from pipeline_stages s
      join pipelines p on p.id = s.pipeline_id
      where p.is_default and p.archived_at is null order by s.position`,
  );
}

/**
 * The funnel of the default pipeline: open opportunities per stage now (count and amount) and
 * the won ones of the window; "reached" counts those at the stage or beyond (won included), and
 * conversion is reached(stage) / reached(previous stage).
 */
const funnel: Builder = async (db, ctx, s) => {
  const stages = await defaultPipelineStages(db);
  const tz = await companyTimeZone(db);
  const { visibleOpportunities } = await import('../../sales/opportunities.service.js');
  const visible = visibleOpportunities(ctx);
  const conds = [
    visible ?? sql`true`,
    s.repId ? sql`opportunities.owner_id = ${s.repId}::uuid` : sql`true`,
    s.orgUnitId
      ? sql`opportunities.org_unit_id in (select sub.id from org_units sub, org_units top
          where top.id = ${s.orgUnitId}::uuid and sub.path like top.path || '%')`
      : sql`true`,
    sql`(opportunities.status = 'open' or (opportunities.status = 'won'
        and (opportunities.closed_at at time zone ${tz})::date between ${s.window.from}::date and ${s.window.to}::date))`,
  ];
  const counts = await queryRows<{ stage_id: string; status: string; n: number; amount: string }>(
    db,
    sql`select opportunities.stage_id::text, opportunities.status, count(*)::int as n, sum(opportunities.amount)::text as amount
      from opportunities where ${sql.join(conds, sql` and `)} group by 1, 2`,
  );
  const open = stages.filter((st) => st.kind === 'open');
  const won = counts.filter((c) => c.status === 'won');
  const wonCount = won.reduce((a, c) => a + Number(c.n), 0);
  const wonAmount = sum(won.map((c) => BigInt(c.amount)));
  const at = (id: string) => counts.find((c) => c.stage_id === id && c.status === 'open');
  const reached = open.map(
    (_, i) => open.slice(i).reduce((a, st) => a + Number(at(st.id)?.n ?? 0), 0) + wonCount,
  );
  const rows: WidgetRow[] = open.map((st, i) => ({
    key: st.id,
    label: ctx.locale === 'en' ? st.name_en : st.name_zh,
    values: {
      count: String(at(st.id)?.n ?? 0),
      amount: at(st.id)?.amount ?? '0',
      reached: String(reached[i]),
      conversion: i === 0 ? null : percentOf(BigInt(reached[i]!), BigInt(reached[i - 1]!)),
    },
  }));
  rows.push({
    key: 'won',
    label: ctx.locale === 'en' ? 'Won' : '赢单',
    values: {
      count: String(wonCount),
      amount: wonAmount.toString(),
      reached: String(wonCount),
      conversion: open.length ? percentOf(BigInt(wonCount), BigInt(reached.at(-1) ?? 0)) : null,
    },
  });
  return {
    dataAsOf: new Date().toISOString(),
    columns: [
      { key: 'count', unit: 'count' },
      { key: 'amount', unit: 'fen' },
      { key: 'reached', unit: 'count' },
      { key: 'conversion', unit: 'percent' },
    ],
    rows,
  };
};

/** Forecast months of the window still ahead (this month on), as the forecast service takes them. */
function remainingMonths(w: Window): { from: string; to: string } | null {
  const first = w.today > w.from ? w.today.slice(0, 7) : w.from.slice(0, 7);
  const last = w.to.slice(0, 7);
  return first > last ? null : { from: first, to: last };
}

async function weightedPipeline(db: Db, ctx: Ctx, s: Scope, months: { from: string; to: string }) {
  const f = await opportunityForecast(db, ctx, {
    ...months,
    groupBy: s.repId ? 'rep' : 'team',
    view: s.repId ? 'mine' : 'all',
  });
  const units = s.orgUnitId ? await subtreeIds(db, s.orgUnitId) : null;
  const groups = units ? f.groups.filter((g) => units.has(g.id)) : f.groups;
  return { forecast: f, groups };
}

/** Pipeline coverage = weighted open pipeline closing in the rest of the window / remaining target. */
const pipelineCoverage: Builder = async (db, ctx, s) => {
  const { from, to } = s.window;
  const m = await measure(db, ctx, { metric: REVENUE, from, to, filter: s.filter });
  const actual = BigInt(m.rows[0]?.value ?? '0');
  const owner = targetOwner(s);
  const targets = await targetsFor(db, ctx, { metric: REVENUE, from, to, ...owner });
  const target = targets.get(owner.key) ?? null;
  const months = remainingMonths(s.window);
  let weighted = 0n;
  if (months) {
    const { groups } = await weightedPipeline(db, ctx, s, months);
    for (const g of groups) {
      for (const c of g.cells) if (c.category !== 'closed') weighted += BigInt(c.weighted);
    }
  }
  const remaining = remainingTarget(target, actual);
  return {
    dataAsOf: m.dataAsOf,
    columns: [
      { key: 'weighted', unit: 'fen' },
      { key: 'target', unit: 'fen' },
      { key: 'actual', unit: 'fen' },
      { key: 'remaining', unit: 'fen' },
      { key: 'coverage', unit: 'percent' },
    ],
    rows: [
      {
        key: 'coverage',
        label: 'coverage',
        values: {
          weighted: weighted.toString(),
          target: str(target),
          actual: actual.toString(),
          remaining: str(remaining),
          coverage: str(coveragePercent(weighted, remaining)),
        },
      },
    ],
  };
};

/** Visits per rep: the window's total and the average per elapsed day. */
const visitsPerRep: Builder = async (db, ctx, s) => {
  const { from, to, today } = s.window;
  const m = await measure(db, ctx, { metric: 'visits', from, to, groupBy: ['rep'], filter: s.filter });
  const days = elapsedDays(from, to, today);
  const rows = m.rows.filter((r) => r.keys.rep);
  const names = await userNames(
    db,
    rows.map((r) => r.keys.rep!),
  );
  return {
    dataAsOf: m.dataAsOf,
    columns: [
      { key: 'visits', unit: 'count' },
      { key: 'perDay', unit: 'ratio' },
    ],
    rows: rows
      .map((r) => ({
        key: r.keys.rep!,
        label: names.get(r.keys.rep!) ?? '',
        values: { visits: r.value, perDay: days ? (Number(r.value) / days).toFixed(2) : null },
      }))
      .sort((a, b) => Number(b.values.visits) - Number(a.values.visits)),
  };
};

/**
 * A live widget of records summed per owner (due follow-ups, stalled opportunities): one row per
 * owner with each column's total, the largest first column first (ties in the records' order).
 */
function perOwner<T>(
  items: readonly T[],
  owner: (item: T) => [id: string, name: string],
  columns: { key: string; unit: Widget['columns'][number]['unit']; of: (item: T) => bigint }[],
): Built {
  const per = new Map<string, { label: string; totals: bigint[] }>();
  for (const item of items) {
    const [id, name] = owner(item);
    let e = per.get(id);
    if (!e) {
      e = { label: name, totals: columns.map(() => 0n) };
      per.set(id, e);
    }
    for (const [i, c] of columns.entries()) e.totals[i]! += c.of(item);
  }
  return {
    dataAsOf: new Date().toISOString(),
    columns: columns.map(({ key, unit }) => ({ key, unit })),
    rows: [...per]
      .sort(([, a], [, b]) => Number(b.totals[0]! - a.totals[0]!))
      .map(([key, e]) => ({
        key,
        label: e.label,
        values: Object.fromEntries(columns.map((c, i) => [c.key, e.totals[i]!.toString()])),
      })),
  };
}

/** Every due follow-up of the scope (customers due by the end of today), in pages of 500. */
export async function allDueFollowUps(db: Db, ctx: Ctx, s: Scope) {
  const items: Awaited<ReturnType<typeof listDueFollowUps>>['items'] = [];
  let cursor: string | undefined;
  do {
    const page = await listDueFollowUps(db, ctx, {
      who: s.repId ? 'mine' : 'team',
      limit: 500,
      cursor,
    } as never);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < 20_000);
  const units = s.orgUnitId ? await subtreeIds(db, s.orgUnitId) : null;
  return units ? items.filter((i) => units.has(i.orgUnitId)) : items;
}

/** Due follow-ups per owner (the manager's team) or, for a rep, the customers themselves. */
const dueFollowUps: Builder = async (db, ctx, s) => {
  const items = await allDueFollowUps(db, ctx, s);
  if (s.repId) {
    return {
      dataAsOf: new Date().toISOString(),
      columns: [{ key: 'overdueDays', unit: 'days' }],
      rows: items.map((i) => ({
        key: i.customerId,
        label: i.name,
        values: { overdueDays: String(i.overdueDays) },
      })),
    };
  }
  return perOwner(items, (i) => [i.ownerId, i.ownerName], [
    { key: 'due', unit: 'count', of: () => 1n },
    { key: 'overdue', unit: 'count', of: (i) => (i.overdueDays > 0 ? 1n : 0n) },
  ]);
};

/**
 * Stalled opportunities: open ones without any activity (on the opportunity or its customer) or
 * stage change for the sales settings' stall days, per owner.
 */
export async function stalledOpportunityRows(db: Db, ctx: Ctx, s: Scope) {
  const { visibleOpportunities } = await import('../../sales/opportunities.service.js');
  const { getSalesSettings } = await import('../../sales/pipelines.service.js');
  const { stallDays } = await getSalesSettings(db);
  const visible = visibleOpportunities(ctx);
  return queryRows<{
    id: string;
    name: string;
    owner_id: string;
    owner_name: string;
    customer_name: string;
    amount: string;
    last_at: string;
  }>(
    db,
    sql`select * from (
        select o.id::text, o.name, o.owner_id::text, u.name as owner_name, c.name as customer_name, o.amount::text,
          greatest(o.created_at, o.stage_entered_at,
            (select max(a.occurred_at) from activities a where a.opportunity_id = o.id),
            (select max(a.occurred_at) from activities a where a.customer_id = o.customer_id)) as last_at
        from opportunities o join users u on u.id = o.owner_id join customers c on c.id = o.customer_id
        where o.status = 'open'
          and o.id in (select opportunities.id from opportunities where ${visible ?? sql`true`})
          ${s.orgUnitId ? sql`and o.org_unit_id in (select sub.id from org_units sub, org_units top where top.id = ${s.orgUnitId}::uuid and sub.path like top.path || '%')` : sql``}
      ) x where x.last_at <= now() - make_interval(days => ${stallDays})
      order by x.last_at, x.id`,
  );
}

const stalledOpportunities: Builder = async (db, ctx, s) => {
  const rows = await stalledOpportunityRows(db, ctx, s);
  return perOwner(rows, (r) => [r.owner_id, r.owner_name], [
    { key: 'count', unit: 'count', of: () => 1n },
    { key: 'amount', unit: 'fen', of: (r) => BigInt(r.amount) },
  ]);
};

/** My targets and attainment: every metric I have a published target for in the window. */
const myTargets: Builder = async (db, ctx, s) => {
  const { from, to, today } = s.window;
  const thresholds = await getThresholds(db);
  const rows: WidgetRow[] = [];
  let dataAsOf: string | null = null;
  // Every metric, in the targets' own order.
  for (const metric of METRICS) {
    const targets = await targetsFor(db, ctx, { metric, from, to, dimension: 'rep', ids: [s.repId!] });
    const target = targets.get(s.repId!);
    if (target === undefined) continue;
    const m = await measure(db, ctx, { metric, from, to, filter: s.filter });
    dataAsOf = m.dataAsOf;
    // Targets in units are kept in thousandths; the facts answer units with up to 3 decimals.
    const thousandths = metric === 'units';
    const value = m.rows[0]?.value ?? '0';
    const actual = thousandths ? BigInt(new Decimal(value).times(1000).toFixed(0)) : BigInt(value);
    const a = attainment({ target, actual, start: from, end: to, asOf: today, thresholds });
    const show = (v: bigint | null) =>
      v === null ? null : thousandths ? new Decimal(v.toString()).div(1000).toString() : v.toString();
    rows.push({
      key: metric,
      label: metric,
      values: {
        actual: show(actual),
        target: show(target),
        attainment: a.attainmentPercent,
        gap: show(a.gap),
        projection: show(a.projection),
        requiredDailyRate: show(a.requiredDailyRate),
        status: a.status,
      },
    });
  }
  return {
    dataAsOf: dataAsOf ?? new Date().toISOString(),
    columns: [
      { key: 'actual', unit: 'text' },
      { key: 'target', unit: 'text' },
      { key: 'attainment', unit: 'percent' },
      { key: 'gap', unit: 'text' },
      { key: 'projection', unit: 'text' },
      { key: 'requiredDailyRate', unit: 'text' },
      { key: 'status', unit: 'text' },
    ],
    rows,
  };
};

/** My pipeline by expected close month of the window: amount and weighted amount. */
const myPipeline: Builder = async (db, ctx, s) => {
  const { forecast } = await weightedPipeline(db, ctx, s, {
    from: s.window.from.slice(0, 7),
    to: s.window.to.slice(0, 7),
  });
  const byMonth = new Map(forecast.byMonth.map((m) => [m.month, m]));
  return {
    dataAsOf: new Date().toISOString(),
    columns: [
      { key: 'count', unit: 'count' },
      { key: 'amount', unit: 'fen' },
      { key: 'weighted', unit: 'fen' },
    ],
    rows: forecast.months.map((m) => ({
      key: m,
      label: m,
      values: {
        count: String(byMonth.get(m)?.count ?? 0),
        amount: String(byMonth.get(m)?.amount ?? 0),
        weighted: String(byMonth.get(m)?.weighted ?? 0),
      },
    })),
  };
};

/** My day: today's planned visits and my open tasks due by tonight. */
const myDayWidget: Builder = async (db, ctx) => {
  const day = await myDay(db, ctx);
  const rows: WidgetRow[] = [];
  for (const stop of day.plan?.stops ?? []) {
    const status = stop.checkOutAt ? 'done' : stop.checkInAt ? 'inProgress' : 'planned';
    rows.push({
      key: stop.id,
      label: stop.customerName,
      values: { kind: 'visit', time: stop.plannedTime, status },
    });
  }
  for (const task of day.openTasks) {
    rows.push({
      key: task.id,
      label: task.subject,
      values: { kind: 'task', time: task.occurredAt, status: 'open' },
    });
  }
  return {
    dataAsOf: new Date().toISOString(),
    columns: [
      { key: 'kind', unit: 'text' },
      { key: 'time', unit: 'text' },
      { key: 'status', unit: 'text' },
    ],
    rows,
  };
};

const BUILDERS: Record<WidgetKey, Builder> = {
  revenueTrend,
  regionAttainment,
  provinceSales,
  funnel,
  productMix,
  leaderboard,
  aging,
  pipelineCoverage,
  newCustomers,
  visitsPerRep,
  dueFollowUps,
  stalledOpportunities,
  myTargets,
  myPipeline,
  myDay: myDayWidget,
};
