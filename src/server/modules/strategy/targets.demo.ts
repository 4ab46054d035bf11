import type { Faker } from '@faker-js/faker';
import { eq, inArray, sql } from 'drizzle-orm';
import { bulkInsert } from '../../db/bulk.js';
import { type Db, queryRows } from '../../db/client.js';
import type { DemoOrg } from '../../demo/org.js';
import { loadActor } from '../../platform/access/actor.js';
import type { Ctx } from '../../platform/context.js';
import { nextNumbers } from '../../platform/numbering/numbering.js';
import { companyTimeZone, dayIn } from '../../platform/settings/settings.service.js';
import { orgUnits, users } from '../org/schema.js';
// The module's registrations (the agreements' numbering), for loaders that start without the app (CLI).
import './index.js';
import { sendAgreement } from './targets/agreements.service.js';
import { allocate, type Period, subPeriods, yearPeriod } from './targets/rules.js';
import {
  type TargetAgreementRow,
  type TargetNodeRow,
  type TargetPlanRow,
  targetAgreements,
  targetNodes,
  targetPlans,
} from './targets/schema.js';

// Demo targets (issue 8, item 8): booked-revenue plans for last year and this year, allocated
// company → regions → teams → reps and each rep to months, set from the demo orders so that the
// dashboards and attainment tell a story. Nodes and signed agreements are bulk-inserted with the
// invariants the services keep (every level sums exactly to its parent through the same
// largest-remainder `allocate`, one kind of split per node, published levels, one agreement per
// assignee of a dimension split, the sender being the head of the level above); the agreements
// still waiting for a signature go through `sendAgreement` and the approvals engine, so they sit
// in their assignees' inboxes.

/**
 * This year's pace per region: actual to date ÷ the time-elapsed share of the region's annual
 * target. 华东 runs ahead, 西南 behind; regions not named stay close to plan.
 */
export const TARGETS_DEMO_PACE: Record<string, number> = { 华东: 1.15, 华南: 1.03, 华北: 0.95, 西南: 0.8 };
/** Last year's annual target per region ÷ its actual (within ±10 %). */
const LAST_YEAR_FACTOR: Record<string, number> = { 华东: 0.95, 华南: 1.05, 华北: 1.08, 西南: 0.93 };

export interface TargetsDemoCounts {
  plans: number;
  nodes: number;
  agreementsSigned: number;
  agreementsWaiting: number;
}

const BOOKED = ['confirmed', 'partially_shipped', 'shipped', 'completed'];

interface Monthly {
  /** month key YYYY-MM → fen */
  byMonth: Map<string, bigint>;
  total: (from: string, to: string) => bigint;
}

function monthly(): Monthly {
  const byMonth = new Map<string, bigint>();
  return {
    byMonth,
    total: (from, to) => {
      let s = 0n;
      for (const [m, v] of byMonth) if (m >= from && m <= to) s += v;
      return s;
    },
  };
}

const add = (map: Map<string, Monthly>, key: string, month: string, v: bigint) => {
  let m = map.get(key);
  if (!m) {
    m = monthly();
    map.set(key, m);
  }
  m.byMonth.set(month, (m.byMonth.get(month) ?? 0n) + v);
};

const sumMonths = (m: Monthly | undefined, year: number) => m?.total(`${year}-01`, `${year}-12`) ?? 0n;

/** round(a × num ÷ den) for positive numbers, in bigint. */
const scale = (a: bigint, factor: number) => (a * BigInt(Math.round(factor * 10_000)) + 5_000n) / 10_000n;

export async function seedTargetsDemo(
  tx: Db,
  faker: Faker,
  ctx: Ctx,
  org: DemoOrg,
  opts: { now?: Date } = {},
): Promise<TargetsDemoCounts> {
  const now = opts.now ?? new Date();
  const tz = await companyTimeZone(tx);
  const today = dayIn(tz, now);
  const thisYear = Number(today.slice(0, 4));
  const lastYear = thisYear - 1;

  // Booked revenue per (owner, unit, month) of the two years, as the facts count it.
  const rows = await queryRows<{
    owner_id: string | null;
    org_unit_id: string;
    month: string;
    total: string;
  }>(
    tx,
    sql`select owner_id, org_unit_id, to_char((confirmed_at at time zone ${tz})::date, 'YYYY-MM') as month,
        sum(total)::text as total
      from sales_orders
      where state in (${sql.join(
        BOOKED.map((s) => sql`${s}`),
        sql`, `,
      )}) and confirmed_at is not null
        and (confirmed_at at time zone ${tz})::date between ${`${lastYear}-01-01`}::date and ${today}::date
      group by 1, 2, 3`,
  );
  const byRep = new Map<string, Monthly>();
  const byUnit = new Map<string, Monthly>();
  const company = monthly();
  let firstMonth = `${thisYear}-12`;
  for (const r of rows) {
    const v = BigInt(r.total);
    if (r.owner_id) add(byRep, r.owner_id, r.month, v);
    add(byUnit, r.org_unit_id, r.month, v);
    company.byMonth.set(r.month, (company.byMonth.get(r.month) ?? 0n) + v);
    if (r.month < firstMonth) firstMonth = r.month;
  }
  /** An org unit's subtree (a region and its teams, or a team). */
  const unitActual = (ids: string[], year: number) =>
    ids.reduce((a, id) => a + sumMonths(byUnit.get(id), year), 0n);

  // Seasonality index for this year's months: last year's month where the history covers it (its
  // first month is partial), else this year's month once complete, else the mean of those known.
  const currentMonth = today.slice(0, 7);
  const index: bigint[] = [];
  for (let m = 1; m <= 12; m++) {
    const mm = String(m).padStart(2, '0');
    const ly = `${lastYear}-${mm}`;
    const ty = `${thisYear}-${mm}`;
    if (ly > firstMonth) index.push(company.byMonth.get(ly) ?? 0n);
    else if (ty < currentMonth && ty > firstMonth) index.push(company.byMonth.get(ty) ?? 0n);
    else index.push(-1n);
  }
  const known = index.filter((v) => v >= 0n);
  const mean = known.length ? known.reduce((a, b) => a + b, 0n) / BigInt(known.length) : 1n;
  const thisYearWeights = index.map((v) => (v >= 0n ? v : mean));
  const lastYearWeights = Array.from(
    { length: 12 },
    (_, i) => company.byMonth.get(`${lastYear}-${String(i + 1).padStart(2, '0')}`) ?? 0n,
  );

  const [companyUnit] = await tx.select().from(orgUnits).where(eq(orgUnits.id, org.companyId));
  if (!companyUnit) throw new Error('company unit missing');
  const directorId = org.userIds.director!;
  const repIds = org.regions.flatMap((r) => r.teams.flatMap((t) => t.repIds));
  const names = new Map(
    (await tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, repIds))).map(
      (u) => [u.id, u.name],
    ),
  );

  const elapsed = (year: number) => {
    const p = yearPeriod(year);
    const n = (Date.parse(p.end) - Date.parse(p.start)) / 86_400_000 + 1;
    const e = Math.min(n, (Date.parse(today) - Date.parse(p.start)) / 86_400_000 + 1);
    return e / n;
  };

  const counts: TargetsDemoCounts = { plans: 0, nodes: 0, agreementsSigned: 0, agreementsWaiting: 0 };
  const waiting: { node: TargetNodeRow; senderId: string; plan: TargetPlanRow }[] = [];
  // A couple of reps of this year's plan have not signed yet (the last rep of 华南's first team
  // and of 西南's second team): their managers see the agreement waiting.
  const unsigned = new Set(
    [org.regions[1]?.teams[0]?.repIds.at(-1), org.regions[3]?.teams[1]?.repIds.at(-1)].filter(
      (x): x is string => !!x,
    ),
  );

  for (const year of [lastYear, thisYear]) {
    const current = year === thisYear;
    const sentOn = `${year}-01-${String(faker.number.int({ min: 6, max: 12 })).padStart(2, '0')}`;
    const sentAt = new Date(Math.min(now.getTime() - 3_600_000, Date.parse(`${sentOn}T10:00:00+08:00`)));
    const [plan] = await tx
      .insert(targetPlans)
      .values({
        name: `${year} 年度销售目标`,
        fiscalYear: year,
        metric: 'booked_revenue',
        createdBy: directorId,
        createdAt: sentAt,
        updatedAt: sentAt,
      })
      .returning();
    if (!plan) throw new Error('plan not created');
    counts.plans++;

    // Region targets: last year close to the actual, this year from the pace each region runs at.
    const regionAmounts = org.regions.map((r) => {
      const units = [r.id, ...r.teams.map((t) => t.id)];
      if (!current) {
        const actual = unitActual(units, year);
        return actual > 0n ? scale(actual, LAST_YEAR_FACTOR[r.name] ?? 1) : 100_000_000n;
      }
      const toDate = unitActual(units, year);
      const pace = TARGETS_DEMO_PACE[r.name] ?? 1;
      if (toDate > 0n) return scale(toDate, 1 / (pace * elapsed(year)));
      // Nothing booked yet this year: last year's actual with 10 % growth.
      const ly = unitActual(units, year - 1);
      return ly > 0n ? scale(ly, 1.1) : 100_000_000n;
    });
    const companyAmount = regionAmounts.reduce((a, b) => a + b, 0n);

    const nodes: (typeof targetNodes.$inferInsert)[] = [];
    const agreements: (typeof targetAgreements.$inferInsert)[] = [];
    const yearP = yearPeriod(year);
    const months = subPeriods(yearP, 'month');
    const stamp = { createdBy: directorId, createdAt: sentAt, updatedAt: sentAt };
    const node = (
      parentId: string | null,
      v: {
        dimension: TargetNodeRow['dimension'];
        dimensionId: string | null;
        label: string;
        period: Period;
        amount: bigint;
        ownerId: string;
        orgUnitId: string;
        childSplit: TargetNodeRow['childSplit'];
        sortOrder: number;
      },
    ) => {
      const id = crypto.randomUUID();
      nodes.push({
        id,
        planId: plan.id,
        parentId,
        childSplit: v.childSplit,
        dimension: v.dimension,
        dimensionId: v.dimensionId,
        label: v.label,
        periodKind: v.period.kind,
        periodStart: v.period.start,
        periodEnd: v.period.end,
        periodKey: v.period.key,
        amount: Number(v.amount),
        state: 'published',
        ownerId: v.ownerId,
        orgUnitId: v.orgUnitId,
        sortOrder: v.sortOrder,
        ...stamp,
      });
      return id;
    };
    const agreement = (
      nodeId: string,
      amount: bigint,
      ownerId: string,
      orgUnitId: string,
      senderId: string,
    ) => {
      const decided = new Date(
        Math.min(
          now.getTime() - 60_000,
          sentAt.getTime() + faker.number.int({ min: 1, max: 6 }) * 86_400_000,
        ),
      );
      agreements.push({
        number: '',
        planId: plan.id,
        nodeId,
        amount: Number(amount),
        state: 'signed',
        ownerId,
        orgUnitId,
        sentBy: senderId,
        sentAt,
        decidedAt: decided,
        createdBy: senderId,
        createdAt: sentAt,
        updatedAt: decided,
      });
    };

    const rootId = node(null, {
      dimension: 'company',
      dimensionId: null,
      label: companyUnit.name,
      period: yearP,
      amount: companyAmount,
      ownerId: companyUnit.headUserId ?? directorId,
      orgUnitId: companyUnit.id,
      childSplit: 'dimension',
      sortOrder: 0,
    });
    const monthWeights = current ? thisYearWeights : lastYearWeights;
    for (const [ri, region] of org.regions.entries()) {
      const regionAmount = regionAmounts[ri]!;
      const regionId = node(rootId, {
        dimension: 'org_unit',
        dimensionId: region.id,
        label: region.name,
        period: yearP,
        amount: regionAmount,
        ownerId: region.managerId,
        orgUnitId: region.id,
        childSplit: 'dimension',
        sortOrder: ri,
      });
      agreement(regionId, regionAmount, region.managerId, region.id, directorId);
      // Teams and reps by last year's actuals (this year: and a little judgement of the manager).
      const jitter = () => faker.number.float({ min: 0.9, max: 1.1, fractionDigits: 3 });
      const teamAmounts = allocate(
        regionAmount,
        region.teams.map((t) => scale(unitActual([t.id], lastYear) + 1n, current ? jitter() : 1)),
      );
      for (const [ti, team] of region.teams.entries()) {
        const teamAmount = teamAmounts[ti]!;
        const teamId = node(regionId, {
          dimension: 'org_unit',
          dimensionId: team.id,
          label: team.name,
          period: yearP,
          amount: teamAmount,
          ownerId: team.leadId,
          orgUnitId: team.id,
          childSplit: 'dimension',
          sortOrder: ti,
        });
        agreement(teamId, teamAmount, team.leadId, team.id, region.managerId);
        const repAmounts = allocate(
          teamAmount,
          team.repIds.map((id) => scale(sumMonths(byRep.get(id), lastYear) + 1n, jitter())),
        );
        for (const [pi, repId] of team.repIds.entries()) {
          const repAmount = repAmounts[pi]!;
          const repNodeId = node(teamId, {
            dimension: 'rep',
            dimensionId: repId,
            label: names.get(repId) ?? repId,
            period: yearP,
            amount: repAmount,
            ownerId: repId,
            orgUnitId: team.id,
            childSplit: 'period',
            sortOrder: pi,
          });
          if (current && unsigned.has(repId))
            waiting.push({ node: { id: repNodeId } as TargetNodeRow, senderId: team.leadId, plan });
          else agreement(repNodeId, repAmount, repId, team.id, team.leadId);
          for (const [mi, amount] of allocate(repAmount, monthWeights).entries())
            node(repNodeId, {
              dimension: 'rep',
              dimensionId: repId,
              label: names.get(repId) ?? repId,
              period: months[mi]!,
              amount,
              ownerId: repId,
              orgUnitId: team.id,
              childSplit: null,
              sortOrder: mi,
            });
        }
      }
    }
    await bulkInsert(tx, targetNodes, nodes);
    const numbers = await nextNumbers(
      tx,
      'target_agreement',
      agreements.map(() => sentAt),
    );
    await bulkInsert(
      tx,
      targetAgreements,
      agreements.map((a, i) => ({ ...a, number: numbers[i]! })),
    );
    counts.nodes += nodes.length;
    counts.agreementsSigned += agreements.length;
  }

  // The agreements still to sign: sent by the team lead through the service and the engine.
  for (const w of waiting) {
    const actor = await loadActor(tx, w.senderId, { via: 'session' });
    if (!actor) continue;
    const [row] = await tx.select().from(targetNodes).where(eq(targetNodes.id, w.node.id));
    const tree = {
      plan: w.plan,
      nodes: new Map<string, TargetNodeRow>(),
      children: new Map<string | null, TargetNodeRow[]>(),
      agreements: new Map<string, TargetAgreementRow>(),
    };
    await sendAgreement(tx, { ...ctx, actor }, tree, row!);
    counts.agreementsWaiting++;
  }
  return counts;
}
