import type { Faker } from '@faker-js/faker';
import { inArray } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { bulkInsert } from '../../db/bulk.js';
import type { Db } from '../../db/client.js';
import type { DemoOrg } from '../../demo/org.js';
import { diffRows } from '../../platform/audit/audit.js';
import { auditLog } from '../../platform/audit/schema.js';
import { type Ctx, systemCtx } from '../../platform/context.js';
import { companyTimeZone, dayIn } from '../../platform/settings/settings.service.js';
import { measure } from '../analytics/facts/index.js';
import { users } from '../org/schema.js';
import { opportunityForecast } from '../sales/forecast.service.js';
import { addMonths, monthEnd, monthRange } from './forecast/rules.js';
import { forecastCommits } from './forecast/schema.js';

// Demo forecast commits (issue 8, item 5): every rep's monthly commit and best case for the months
// of this year so far and for this month and the next two, so that the forecast page has a story
// next to the targets and the pipeline. A rep commits what they have booked so far plus what they
// expect of the rest of the month: part of their weighted pipeline for it, weighed against their
// usual run-rate, coloured by their habit (some sandbag, some are optimistic) — so a past month's
// commit sits near what it then booked. Some reps revised a commit once or twice (the row's version
// and its audit history say so), and a few team leads overrode a commit with a reason.
//
// Rows and their history are bulk-inserted as the service would leave them: one row per rep and
// month, best case ≥ commit, the version counting every submission and adjustment, and one audit row
// per submission (`submit`) and adjustment (`adjust`) with the same before/after figures
// (commits.service), at the time it happened, by the rep or the lead, under the demo load's request id.

/** Actual ÷ commit a rep of each habit tends to end at; weights = how many reps have it. */
type Habit = 'sandbagger' | 'realistic' | 'optimist';
const HABITS: { weight: number; value: { habit: Habit; factor: number } }[] = [
  { weight: 3, value: { habit: 'sandbagger', factor: 0.88 } },
  { weight: 5, value: { habit: 'realistic', factor: 1 } },
  { weight: 2, value: { habit: 'optimist', factor: 1.15 } },
];
/** The share of the weighted pipeline a rep counts on for the rest of a month. */
const PIPELINE_SHARE = 0.4;

const REP_NOTES = [
  '按当前商机推进情况',
  '含两笔大客户订单',
  '保守估计，待客户付款确认',
  '重点客户本月签约',
  '经销商补货订单已确认',
  '新客户首单预计落地',
  '',
];
const REVISION_NOTES = [
  '客户推迟下单，下调',
  '新增一笔车队订单，上调',
  '招标结果已出，调整',
  '按最新商机更新',
];
/** A lead's override by the rep's habit: which way and why. */
const ADJUSTMENTS = {
  optimist: { factor: 0.9, notes: ['历史承诺达成偏低，按九成计入'] },
  realistic: { factor: 0.95, notes: ['大单付款条件未定，暂不计入'] },
  sandbagger: { factor: 1.1, notes: ['大客户订单已口头确认，上调', '历史达成一向高于承诺，按实计入'] },
};

export interface ForecastDemoCounts {
  commits: number;
  /** Commits revised at least once by the rep. */
  revised: number;
  /** Commits a team lead adjusted. */
  adjusted: number;
}

const DAY_MS = 86_400_000;
/** Whole thousands of yuan, in fen: reps commit round figures. */
const round = (fen: number) => Math.max(0, Math.round(fen / 100_000) * 100_000);

export async function seedForecastDemo(
  tx: Db,
  faker: Faker,
  ctx: Ctx,
  org: DemoOrg,
  opts: { now?: Date } = {},
): Promise<ForecastDemoCounts> {
  const now = (opts.now ?? new Date()).getTime();
  const tz = await companyTimeZone(tx);
  const today = dayIn(tz, new Date(now));
  const current = today.slice(0, 7);
  const firstMonth = `${today.slice(0, 4)}-01`;
  const lastMonth = addMonths(current, 2);
  const reader = systemCtx(ctx.requestId);

  // What each rep booked per month (the sales facts roll-up, built just before) and their weighted
  // open pipeline per expected close month (as the forecast counts it), through those modules' services.
  const booked = await measure(tx, reader, {
    metric: 'booked_revenue',
    from: `${addMonths(firstMonth, -3)}-01`,
    to: today,
    groupBy: ['rep', 'month'],
  });
  const actual = new Map(booked.rows.map((r) => [`${r.keys.rep}|${r.keys.month}`, Number(r.value)]));
  const pipeline = await opportunityForecast(tx, reader, {
    from: current,
    to: lastMonth,
    groupBy: 'rep',
    view: 'all',
  });
  const weighted = new Map<string, number>();
  for (const g of pipeline.groups)
    for (const c of g.cells)
      if (c.category !== 'closed') {
        const key = `${g.id}|${c.month}`;
        weighted.set(key, (weighted.get(key) ?? 0) + Number(c.weighted));
      }

  const reps = org.regions.flatMap((r) => r.teams.flatMap((t) => t.repIds.map((id) => ({ id, team: t }))));
  const names = new Map(
    (
      await tx
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(inArray(users.id, [...reps.map((r) => r.id), ...reps.map((r) => r.team.leadId)]))
    ).map((u) => [u.id, u.name]),
  );

  const monthStart = (m: string) => Date.parse(`${m}-01T00:00:00+08:00`);
  const daysIn = (m: string) => Number(monthEnd(m).slice(8));
  const elapsedShare =
    (Date.parse(`${today}T00:00:00+08:00`) - monthStart(current)) / (daysIn(current) * DAY_MS);
  const at = (from: number, to: number) =>
    Math.min(
      now - 60_000,
      Math.round(from + faker.number.float({ min: 0, max: 1 }) * Math.max(0, to - from)),
    );

  const rows: (typeof forecastCommits.$inferInsert)[] = [];
  const audits: (typeof auditLog.$inferInsert)[] = [];
  const counts: ForecastDemoCounts = { commits: 0, revised: 0, adjusted: 0 };
  const months = monthRange(firstMonth, lastMonth);

  // A few overrides: the first team of each region has its lead adjust one rep's commit this month.
  const adjustedReps = new Set(org.regions.map((r) => r.teams[0]?.repIds[0]).filter((x): x is string => !!x));

  for (const rep of reps) {
    const habit = faker.helpers.weightedArrayElement(HABITS);
    const runRate =
      [1, 2, 3].reduce((a, k) => a + (actual.get(`${rep.id}|${addMonths(current, -k)}`) ?? 0), 0) / 3;
    for (const month of months) {
      const past = month < current;
      const booked = actual.get(`${rep.id}|${month}`) ?? 0;
      // Past: near what the month then booked; open months: booked so far + the expected rest.
      let commit: number;
      let upside: number;
      if (past) {
        const expected = booked > 0 ? booked : runRate;
        commit = round((expected / habit.factor) * faker.number.float({ min: 0.92, max: 1.08 }));
        upside = faker.number.float({ min: 1.08, max: 1.3 });
      } else {
        const restShare = month === current ? 1 - elapsedShare : 1;
        const fromPipeline = (weighted.get(`${rep.id}|${month}`) ?? 0) * PIPELINE_SHARE;
        const rest = (fromPipeline + runRate * restShare) / 2;
        commit = round(
          (month === current ? booked : 0) +
            (rest / habit.factor) * faker.number.float({ min: 0.92, max: 1.08 }),
        );
        upside = faker.number.float({ min: 1.15, max: 1.45 });
      }
      const bestCase = Math.max(commit, round(commit * upside));

      // Submissions: the first near the month's start (a future month's in the last days), then
      // 0–2 revisions before the month ended (or before now).
      const start = past || month === current ? monthStart(month) - 3 * DAY_MS : now - 10 * DAY_MS;
      const end = past ? monthStart(addMonths(month, 1)) - DAY_MS : now - 60_000;
      const revisions = faker.helpers.weightedArrayElement([
        { weight: 60, value: 0 },
        { weight: 30, value: 1 },
        { weight: 10, value: 2 },
      ]);
      const firstAt = at(start, Math.min(end, start + 6 * DAY_MS));
      const times = [firstAt];
      for (let k = 0; k < revisions && times.at(-1)! < end - DAY_MS; k++)
        times.push(at(times.at(-1)! + DAY_MS, end));
      const id = uuidv7();
      const figures: { commitAmount: number; bestCaseAmount: number; note: string }[] = times.map((_, k) => {
        if (k === times.length - 1) return { commitAmount: commit, bestCaseAmount: bestCase, note: '' };
        const c = round(commit * faker.number.float({ min: 0.85, max: 1.15 }));
        return { commitAmount: c, bestCaseAmount: Math.max(c, round(c * upside)), note: '' };
      });
      figures.forEach((f, k) => {
        f.note = k === 0 ? faker.helpers.arrayElement(REP_NOTES) : faker.helpers.arrayElement(REVISION_NOTES);
      });
      const repName = names.get(rep.id) ?? '';
      const state = (f: (typeof figures)[number]) => ({
        ...f,
        adjustedCommitAmount: null as number | null,
        adjustedBestCaseAmount: null as number | null,
        adjustmentNote: null as string | null,
      });
      for (const [k, f] of figures.entries())
        audits.push({
          at: new Date(times[k]!),
          actorId: rep.id,
          actorName: repName,
          action: 'submit',
          entity: 'forecast_commit',
          entityId: id,
          changes: diffRows(k ? state(figures[k - 1]!) : null, state(f)),
          requestId: ctx.requestId,
        });
      const last = figures.at(-1)!;
      const lastAt = times.at(-1)!;
      let adjustment: Partial<typeof forecastCommits.$inferInsert> = {};
      let updatedAt = lastAt;
      if (month === current && adjustedReps.has(rep.id) && lastAt < now - 2 * 3_600_000) {
        const rule = ADJUSTMENTS[habit.habit];
        const adjustedCommit = round(last.commitAmount * rule.factor);
        const note = faker.helpers.arrayElement(rule.notes);
        const adjustedAt = at(lastAt + 3_600_000, now);
        adjustment = {
          adjustedCommitAmount: adjustedCommit,
          adjustedBestCaseAmount: Math.max(adjustedCommit, last.bestCaseAmount),
          adjustmentNote: note,
          adjustedBy: rep.team.leadId,
          adjustedAt: new Date(adjustedAt),
        };
        audits.push({
          at: new Date(adjustedAt),
          actorId: rep.team.leadId,
          actorName: names.get(rep.team.leadId) ?? '',
          action: 'adjust',
          entity: 'forecast_commit',
          entityId: id,
          changes: diffRows(state(last), {
            ...last,
            adjustedCommitAmount: adjustment.adjustedCommitAmount!,
            adjustedBestCaseAmount: adjustment.adjustedBestCaseAmount!,
            adjustmentNote: note,
          }),
          requestId: ctx.requestId,
        });
        updatedAt = adjustedAt;
        counts.adjusted++;
      }
      rows.push({
        id,
        month,
        ownerId: rep.id,
        orgUnitId: rep.team.id,
        ...last,
        submittedAt: new Date(lastAt),
        ...adjustment,
        createdBy: rep.id,
        createdAt: new Date(firstAt),
        updatedAt: new Date(updatedAt),
        version: times.length + (adjustment.adjustedBy ? 1 : 0),
      });
      if (times.length > 1) counts.revised++;
    }
  }
  await bulkInsert(tx, forecastCommits, rows);
  await bulkInsert(tx, auditLog, audits);
  counts.commits = rows.length;
  return counts;
}
