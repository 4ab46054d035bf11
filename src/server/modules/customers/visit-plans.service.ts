import { type AnyColumn, and, asc, count, eq, inArray, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  CalendarItem,
  calendarQuery,
  stopCheckIn,
  stopCheckOut,
  visitPlanComplete,
  visitPlanCreate,
  visitPlanListQuery,
  visitPlanUpdate,
} from '../../../contracts/visit-plans.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { scopeFilter } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { daysBetween } from '../../platform/calendar.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { AppError, invalidField, notFound, versionConflict } from '../../platform/errors.js';
import { keyset, whereAll } from '../../platform/http/pagination.js';
import { companyTimeZone, dayIn } from '../../platform/settings/settings.service.js';
import { orgUnits, users } from '../org/schema.js';
import { createActivity, getActivity, updateActivity, visibleCustomers } from './activities.service.js';
import { customerColumnStep, defineCustomerMergeStep } from './merge-steps.js';
import { activities, customers, leads } from './schema.js';
import { type VisitPlanStatus, visitPlanStops, visitPlans } from './visit-plans.schema.js';

// Plan stops at a merged customer point to the survivor (and back on unmerge).
defineCustomerMergeStep('visitPlanStops', customerColumnStep(visitPlanStops, 'customerId', 'updatedAt'));

const RESOURCE = 'visit-plans';
/** A calendar page covers a month view with the neighbouring weeks; more is a report, not a calendar. */
const MAX_CALENDAR_DAYS = 62;
const MAX_CALENDAR_ITEMS = 2000;
const MAX_OPEN_TASKS = 30;

function requireActor(ctx: Ctx): Actor {
  if (!ctx.actor) throw new AppError('forbidden', { permission: RESOURCE });
  return ctx.actor;
}

/**
 * Plans the actor may read: their own (drafts too), and submitted or done plans of others within
 * their visit-plans scope — a draft is the rep's own until they submit it.
 */
function visiblePlans(ctx: Ctx): SQL | undefined {
  const actor = ctx.actor;
  if (!actor) return undefined;
  const scoped = scopeFilter(actor, RESOURCE, {
    ownerId: visitPlans.ownerId,
    orgUnitId: visitPlans.orgUnitId,
  });
  return or(eq(visitPlans.ownerId, actor.userId), and(scoped, ne(visitPlans.status, 'draft')));
}

/** Plan vs actual, computed in the query so lists stay one round trip. */
function actualsColumns(tz: string) {
  const s = visitPlanStops;
  const ofPlan = sql`${s.planId} = ${visitPlans.id}`;
  return {
    plannedStops: sql<number>`(select count(*) from ${s} where ${ofPlan})::int`,
    stopsVisited: sql<number>`(select count(*) from ${s} where ${ofPlan} and ${s.checkOutAt} is not null)::int`,
    deals: sql<number>`(select count(*) from ${s} where ${ofPlan} and ${s.orderTaken})::int`,
    volume: sql<number>`(select coalesce(sum(${s.orderVolume}), 0) from ${s} where ${ofPlan} and ${s.orderTaken})::bigint`,
    visits: sql<number>`(select count(*) from ${activities} where ${activities.ownerId} = ${visitPlans.ownerId} and ${activities.type} = 'visit' and ${activities.done} and ${activities.occurredAt} >= (${visitPlans.day})::timestamp at time zone ${tz} and ${activities.occurredAt} < (${visitPlans.day} + 1)::timestamp at time zone ${tz})::int`,
  };
}

function selectPlans(db: Db, tz: string) {
  return db
    .select({
      plan: visitPlans,
      ownerName: users.name,
      orgUnitName: orgUnits.name,
      ...actualsColumns(tz),
    })
    .from(visitPlans)
    .innerJoin(users, eq(users.id, visitPlans.ownerId))
    .innerJoin(orgUnits, eq(orgUnits.id, visitPlans.orgUnitId));
}

type PlanRow = Awaited<ReturnType<ReturnType<typeof selectPlans>['where']>>[number];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentSummary(r: PlanRow) {
  const p = r.plan;
  return {
    id: p.id,
    day: p.day,
    status: p.status,
    route: p.route,
    goalVisits: p.goalVisits,
    goalDeals: p.goalDeals,
    goalVolume: p.goalVolume,
    focusProducts: p.focusProducts,
    summary: p.summary,
    submittedAt: iso(p.submittedAt),
    doneAt: iso(p.doneAt),
    ownerId: p.ownerId,
    ownerName: r.ownerName,
    orgUnitId: p.orgUnitId,
    orgUnitName: r.orgUnitName,
    actuals: {
      plannedStops: Number(r.plannedStops),
      stopsVisited: Number(r.stopsVisited),
      visits: Number(r.visits),
      deals: Number(r.deals),
      volume: Number(r.volume),
    },
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    version: p.version,
  };
}

async function stopsOf(db: Db, planId: string) {
  const rows = await db
    .select({ stop: visitPlanStops, customerName: customers.name })
    .from(visitPlanStops)
    .innerJoin(customers, eq(customers.id, visitPlanStops.customerId))
    .where(eq(visitPlanStops.planId, planId))
    .orderBy(asc(visitPlanStops.position));
  return rows.map(({ stop: s, customerName }) => ({
    id: s.id,
    position: s.position,
    customerId: s.customerId,
    customerName,
    purpose: s.purpose,
    plannedTime: s.plannedTime,
    checkInAt: iso(s.checkInAt),
    latitude: s.latitude,
    longitude: s.longitude,
    accuracy: s.accuracy,
    checkOutAt: iso(s.checkOutAt),
    checklist: s.checklist ?? null,
    orderTaken: s.orderTaken,
    orderVolume: s.orderVolume,
    activityId: s.activityId,
    version: s.version,
  }));
}

export async function listVisitPlans(db: Db, ctx: Ctx, query: z.infer<typeof visitPlanListQuery>) {
  const tz = await companyTimeZone(db);
  const page = keyset(query, { day: visitPlans.day, updatedAt: visitPlans.updatedAt }, visitPlans.id, '-day');
  const filter = whereAll(
    visiblePlans(ctx),
    query.who !== 'team' && ctx.actor ? eq(visitPlans.ownerId, ctx.actor.userId) : undefined,
    query.ownerId ? eq(visitPlans.ownerId, query.ownerId) : undefined,
    query.status ? eq(visitPlans.status, query.status) : undefined,
    query.from ? sql`${visitPlans.day} >= ${query.from}` : undefined,
    query.to ? sql`${visitPlans.day} <= ${query.to}` : undefined,
  );
  const rows = await selectPlans(db, tz)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(visitPlans).where(filter);
  const key = query.sort?.replace(/^-/, '') ?? 'day';
  const result = page.page(rows, n, (r) => [key === 'updatedAt' ? r.plan.updatedAt : r.plan.day, r.plan.id]);
  return { ...result, items: result.items.map(presentSummary) };
}

export async function getVisitPlan(db: Db, ctx: Ctx, id: string) {
  const tz = await companyTimeZone(db);
  const [row] = await selectPlans(db, tz).where(whereAll(eq(visitPlans.id, id), visiblePlans(ctx)));
  if (!row) throw notFound();
  return { ...presentSummary(row), stops: await stopsOf(db, id) };
}

type StopInput = NonNullable<z.infer<typeof visitPlanUpdate>['stops']>[number];

/** Every stop's customer must be one the planner can see (and not merged away). */
async function checkStopCustomers(tx: Db, ctx: Ctx, stops: StopInput[]) {
  const ids = [...new Set(stops.map((s) => s.customerId))];
  if (!ids.length) return;
  const found = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(whereAll(inArray(customers.id, ids), isNull(customers.mergedIntoId), visibleCustomers(ctx)));
  const ok = new Set(found.map((c) => c.id));
  const bad = stops.findIndex((s) => !ok.has(s.customerId));
  if (bad >= 0) {
    const field = `stops.${bad}.customerId`;
    throw new AppError('invalid_reference', { field }, [{ path: field, message: 'invalid' }]);
  }
}

export async function createVisitPlan(db: Db, ctx: Ctx, input: z.infer<typeof visitPlanCreate>) {
  const actor = requireActor(ctx);
  return withTx(db, async (tx) => {
    await checkStopCustomers(tx, ctx, input.stops);
    // One plan per rep per day (the unique index settles a race between two devices).
    const [plan] = await tx
      .insert(visitPlans)
      .values({
        day: input.day,
        route: input.route || null,
        goalVisits: input.goalVisits ?? input.stops.length,
        goalDeals: input.goalDeals ?? 0,
        goalVolume: input.goalVolume ?? 0,
        focusProducts: input.focusProducts ?? [],
        ownerId: actor.userId,
        orgUnitId: actor.orgUnitId,
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!plan)
      throw new AppError('visit_plan_exists', { day: input.day }, [{ path: 'day', message: 'exists' }]);
    const stops = input.stops.length
      ? await tx
          .insert(visitPlanStops)
          .values(
            input.stops.map((s, i) => ({
              planId: plan.id,
              position: i + 1,
              customerId: s.customerId,
              purpose: s.purpose,
              plannedTime: s.plannedTime ?? null,
              createdBy: actor.userId,
            })),
          )
          .returning()
      : [];
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'visit_plan',
      entityId: plan.id,
      after: { ...plan, stops: stops.map((s) => s.customerId) },
    });
    return plan.id;
  });
}

/**
 * The plan for a write by its owner: out of sight → 404; someone else's (a manager looking at a
 * rep's plan) → 403; done → 409; a stale version → 409.
 */
async function planForOwner(tx: Db, ctx: Ctx, id: string, version?: number) {
  const actor = requireActor(ctx);
  const [plan] = await tx
    .select()
    .from(visitPlans)
    .where(whereAll(eq(visitPlans.id, id), visiblePlans(ctx)))
    .for('update');
  if (!plan) throw notFound();
  if (plan.ownerId !== actor.userId) throw new AppError('visit_plan_not_owner');
  if (plan.status === 'done') throw new AppError('visit_plan_done', { day: plan.day });
  if (version !== undefined && plan.version !== version) throw versionConflict();
  return plan;
}

const bumpPlan = (tx: Db, id: string, set: Partial<typeof visitPlans.$inferInsert> = {}) =>
  tx
    .update(visitPlans)
    .set({ ...set, updatedAt: sql`now()`, version: sql`${visitPlans.version} + 1` })
    .where(eq(visitPlans.id, id))
    .returning();

export async function updateVisitPlan(db: Db, ctx: Ctx, id: string, input: z.infer<typeof visitPlanUpdate>) {
  const { version, stops, ...changes } = input;
  return withTx(db, async (tx) => {
    const before = await planForOwner(tx, ctx, id, version);
    if (stops) await replaceStops(tx, ctx, before.id, stops);
    const [after] = await bumpPlan(tx, id, {
      ...(changes.route !== undefined ? { route: changes.route || null } : {}),
      ...(changes.goalVisits !== undefined ? { goalVisits: changes.goalVisits } : {}),
      ...(changes.goalDeals !== undefined ? { goalDeals: changes.goalDeals } : {}),
      ...(changes.goalVolume !== undefined ? { goalVolume: changes.goalVolume } : {}),
      ...(changes.focusProducts !== undefined ? { focusProducts: changes.focusProducts } : {}),
    });
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'visit_plan',
      entityId: id,
      before,
      after: stops ? { ...after, stops: stops.map((s) => s.customerId) } : after,
    });
    return id;
  });
}

/**
 * The new list of stops in its order: listed stops keep their id and check-in, new ones are
 * added, unlisted ones removed. A stop already checked in can be moved but not removed or given
 * another customer — the visit happened.
 */
async function replaceStops(tx: Db, ctx: Ctx, planId: string, input: StopInput[]) {
  const current = await tx.select().from(visitPlanStops).where(eq(visitPlanStops.planId, planId));
  const byId = new Map(current.map((s) => [s.id, s]));
  for (const [i, s] of input.entries()) {
    if (s.id && !byId.has(s.id)) {
      const field = `stops.${i}.id`;
      throw new AppError('invalid_reference', { field }, [{ path: field, message: 'invalid' }]);
    }
    const existing = s.id ? byId.get(s.id) : undefined;
    if (existing?.checkInAt && existing.customerId !== s.customerId)
      throw new AppError('visit_stop_checked_in', {}, [
        { path: `stops.${i}.customerId`, message: 'invalid' },
      ]);
  }
  const kept = new Set(input.flatMap((s) => (s.id ? [s.id] : [])));
  const removed = current.filter((s) => !kept.has(s.id));
  if (removed.some((s) => s.checkInAt)) throw new AppError('visit_stop_checked_in');
  await checkStopCustomers(tx, ctx, input);
  if (removed.length)
    await tx.delete(visitPlanStops).where(
      inArray(
        visitPlanStops.id,
        removed.map((s) => s.id),
      ),
    );
  for (const [i, s] of input.entries()) {
    const values = {
      position: i + 1,
      customerId: s.customerId,
      purpose: s.purpose,
      plannedTime: s.plannedTime ?? null,
    };
    if (s.id) {
      await tx
        .update(visitPlanStops)
        .set({ ...values, updatedAt: sql`now()`, version: sql`${visitPlanStops.version} + 1` })
        .where(eq(visitPlanStops.id, s.id));
    } else {
      await tx.insert(visitPlanStops).values({ ...values, planId, createdBy: ctx.actor?.userId ?? null });
    }
  }
}

/** Draft → submitted: the rep's managers now see the plan. It needs at least one stop. */
export async function submitVisitPlan(db: Db, ctx: Ctx, id: string, version: number) {
  return withTx(db, async (tx) => {
    const before = await planForOwner(tx, ctx, id, version);
    if (before.status !== 'draft') throw new AppError('invalid_state', { state: before.status });
    const [{ n } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(visitPlanStops)
      .where(eq(visitPlanStops.planId, id));
    if (!n) throw invalidField('stops', 'tooFew', { n: 1 });
    const [after] = await bumpPlan(tx, id, { status: 'submitted', submittedAt: new Date() });
    await recordAudit(tx, ctx, { action: 'submit', entity: 'visit_plan', entityId: id, before, after });
    return id;
  });
}

/** The day's summary (当天拜访工作总结) closes the plan: done, nothing changes afterwards. */
export async function completeVisitPlan(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof visitPlanComplete>,
) {
  return withTx(db, async (tx) => {
    const before = await planForOwner(tx, ctx, id, input.version);
    const now = new Date();
    const [after] = await bumpPlan(tx, id, {
      status: 'done' satisfies VisitPlanStatus,
      summary: input.summary,
      doneAt: now,
      submittedAt: before.submittedAt ?? now,
    });
    await recordAudit(tx, ctx, { action: 'complete', entity: 'visit_plan', entityId: id, before, after });
    return id;
  });
}

async function stopOf(tx: Db, planId: string, stopId: string) {
  const [stop] = await tx
    .select()
    .from(visitPlanStops)
    .where(and(eq(visitPlanStops.id, stopId), eq(visitPlanStops.planId, planId)))
    .for('update');
  if (!stop) throw notFound();
  return stop;
}

/** Writes a check-in or check-out on a locked stop, versioned and audited. */
async function recordAtStop(
  tx: Db,
  ctx: Ctx,
  stop: typeof visitPlanStops.$inferSelect,
  action: 'check_in' | 'check_out',
  set: { [K in keyof typeof visitPlanStops.$inferInsert]?: (typeof visitPlanStops.$inferInsert)[K] | SQL },
) {
  const [after] = await tx
    .update(visitPlanStops)
    .set({ ...set, updatedAt: sql`now()`, version: sql`${visitPlanStops.version} + 1` })
    .where(eq(visitPlanStops.id, stop.id))
    .returning();
  await recordAudit(tx, ctx, { action, entity: 'visit_plan_stop', entityId: stop.id, before: stop, after });
}

/**
 * Check-in at a stop: by the plan's owner only, on the plan's day (company time), once. The time
 * is the server's; the position is the browser's when it gave one.
 */
export async function checkIn(
  db: Db,
  ctx: Ctx,
  planId: string,
  stopId: string,
  input: z.infer<typeof stopCheckIn>,
) {
  return withTx(db, async (tx) => {
    const plan = await planForOwner(tx, ctx, planId);
    const stop = await stopOf(tx, planId, stopId);
    const today = dayIn(await companyTimeZone(tx));
    if (plan.day !== today) throw new AppError('visit_plan_not_today', { day: plan.day });
    if (stop.checkInAt) throw new AppError('visit_stop_checked_in');
    await recordAtStop(tx, ctx, stop, 'check_in', {
      checkInAt: sql`now()`,
      latitude: input.latitude ?? null,
      longitude: input.longitude ?? null,
      accuracy: input.accuracy ?? null,
    });
    return planId;
  });
}

/**
 * Check-out: stores the checklist and the order taken, and logs the visit through the activities
 * service (at the check-in time), so it counts as the customer's follow-up like any visit. A
 * second check-out corrects the checklist and the same activity.
 */
export async function checkOut(
  db: Db,
  ctx: Ctx,
  planId: string,
  stopId: string,
  input: z.infer<typeof stopCheckOut>,
) {
  return withTx(db, async (tx) => {
    await planForOwner(tx, ctx, planId);
    const stop = await stopOf(tx, planId, stopId);
    if (!stop.checkInAt) throw new AppError('visit_stop_not_checked_in');
    const notes = input.checklist?.notes || undefined;
    let activityId = stop.activityId;
    if (activityId) {
      const current = await getActivity(tx, ctx, activityId);
      await updateActivity(tx, ctx, activityId, {
        notes: notes ?? null,
        outcome: input.outcome || null,
        ...(input.nextStep !== undefined ? { nextStep: input.nextStep || null } : {}),
        ...(input.nextStepAt !== undefined ? { nextStepAt: input.nextStepAt } : {}),
        version: current.version,
      });
    } else {
      activityId = await createActivity(tx, ctx, {
        type: 'visit',
        subject: stop.purpose,
        customerId: stop.customerId,
        occurredAt: stop.checkInAt.toISOString(),
        ...(notes ? { notes } : {}),
        ...(input.outcome ? { outcome: input.outcome } : {}),
        ...(input.nextStep ? { nextStep: input.nextStep } : {}),
        ...(input.nextStepAt ? { nextStepAt: input.nextStepAt } : {}),
      });
    }
    const orderTaken = input.orderTaken ?? false;
    await recordAtStop(tx, ctx, stop, 'check_out', {
      checkOutAt: stop.checkOutAt ?? new Date(),
      checklist: input.checklist ?? null,
      orderTaken,
      orderVolume: orderTaken ? (input.orderVolume ?? 0) : 0,
      activityId,
    });
    return planId;
  });
}

/**
 * The calendar: activities (at their time), their next steps, and plan stops, between two dates
 * of the company's calendar — mine, or everyone's in my scope (the activities scope for
 * activities, the visit-plans scope for stops; others' drafts stay hidden).
 */
export async function calendarItems(db: Db, ctx: Ctx, query: z.infer<typeof calendarQuery>) {
  const actor = requireActor(ctx);
  const span = daysBetween(query.from, query.to);
  if (span < 0) throw invalidField('to', 'invalid');
  if (span >= MAX_CALENDAR_DAYS) throw new AppError('calendar_range_too_long', { days: MAX_CALENDAR_DAYS });
  const tz = await companyTimeZone(db);
  const start = sql`(${query.from}::date)::timestamp at time zone ${tz}`;
  const end = sql`(${query.to}::date + 1)::timestamp at time zone ${tz}`;
  const team = query.who === 'team';
  const whose = (ownerCol: AnyColumn) =>
    whereAll(
      team ? undefined : eq(ownerCol, actor.userId),
      query.ownerId ? eq(ownerCol, query.ownerId) : undefined,
    );

  const activityScope = scopeFilter(actor, 'activities', {
    ownerId: activities.ownerId,
    orgUnitId: activities.orgUnitId,
  });
  const localDay = (col: SQL | typeof activities.occurredAt) =>
    sql<string>`to_char(${col} at time zone ${tz}, 'YYYY-MM-DD')`;
  const localTime = (col: SQL | typeof activities.occurredAt) =>
    sql<string>`to_char(${col} at time zone ${tz}, 'HH24:MI')`;
  const common = {
    id: activities.id,
    type: activities.type,
    subject: activities.subject,
    nextStep: activities.nextStep,
    done: activities.done,
    customerId: activities.customerId,
    customerName: customers.name,
    leadId: activities.leadId,
    leadName: sql<string | null>`coalesce(${leads.companyName}, ${leads.personName})`,
    ownerId: activities.ownerId,
    ownerName: users.name,
  };
  const activityQuery = (at: typeof activities.occurredAt | typeof activities.nextStepAt) =>
    db
      .select({ ...common, date: localDay(sql`${at}`), time: localTime(sql`${at}`) })
      .from(activities)
      .leftJoin(customers, eq(customers.id, activities.customerId))
      .leftJoin(leads, eq(leads.id, activities.leadId))
      .innerJoin(users, eq(users.id, activities.ownerId))
      .where(whereAll(activityScope, whose(activities.ownerId), sql`${at} >= ${start}`, sql`${at} < ${end}`))
      .orderBy(asc(at))
      .limit(MAX_CALENDAR_ITEMS);
  const happened = await activityQuery(activities.occurredAt);
  const nextSteps = await activityQuery(activities.nextStepAt);

  const items: CalendarItem[] = [
    ...happened.map((a) => ({
      kind: 'activity' as const,
      id: a.id,
      date: a.date,
      time: a.time,
      title: a.subject,
      activityType: a.type,
      done: a.done,
      customerId: a.customerId,
      customerName: a.customerName ?? a.leadName,
      leadId: a.leadId,
      planId: null,
      ownerId: a.ownerId!,
      ownerName: a.ownerName,
    })),
    ...nextSteps.map((a) => ({
      kind: 'next_step' as const,
      id: a.id,
      date: a.date,
      // A next step picked as a date only (midnight) is an all-day item.
      time: a.time === '00:00' ? null : a.time,
      title: a.nextStep ?? a.subject,
      activityType: a.type,
      done: false,
      customerId: a.customerId,
      customerName: a.customerName ?? a.leadName,
      leadId: a.leadId,
      planId: null,
      ownerId: a.ownerId!,
      ownerName: a.ownerName,
    })),
  ];

  if (actor.permissions.has(`${RESOURCE}.read`)) {
    const stops = await db
      .select({
        id: visitPlanStops.id,
        planId: visitPlans.id,
        day: visitPlans.day,
        plannedTime: visitPlanStops.plannedTime,
        checkInTime: localTime(sql`${visitPlanStops.checkInAt}`),
        purpose: visitPlanStops.purpose,
        done: sql<boolean>`${visitPlanStops.checkOutAt} is not null`,
        customerId: visitPlanStops.customerId,
        customerName: customers.name,
        ownerId: visitPlans.ownerId,
        ownerName: users.name,
      })
      .from(visitPlanStops)
      .innerJoin(visitPlans, eq(visitPlans.id, visitPlanStops.planId))
      .innerJoin(customers, eq(customers.id, visitPlanStops.customerId))
      .innerJoin(users, eq(users.id, visitPlans.ownerId))
      .where(
        whereAll(
          visiblePlans(ctx),
          whose(visitPlans.ownerId),
          sql`${visitPlans.day} >= ${query.from}`,
          sql`${visitPlans.day} <= ${query.to}`,
        ),
      )
      .orderBy(asc(visitPlans.day), asc(visitPlanStops.position))
      .limit(MAX_CALENDAR_ITEMS);
    for (const s of stops) {
      items.push({
        kind: 'stop',
        id: s.id,
        date: s.day,
        time: s.plannedTime ?? s.checkInTime ?? null,
        title: s.purpose,
        activityType: 'visit',
        done: !!s.done,
        customerId: s.customerId,
        customerName: s.customerName,
        leadId: null,
        planId: s.planId,
        ownerId: s.ownerId,
        ownerName: s.ownerName,
      });
    }
  }
  items.sort((a, b) => `${a.date} ${a.time ?? ''}`.localeCompare(`${b.date} ${b.time ?? ''}`));
  return { from: query.from, to: query.to, timeZone: tz, items };
}

/** "My day": today's plan (company time) and my open tasks due by the end of today. */
export async function myDay(db: Db, ctx: Ctx) {
  const actor = requireActor(ctx);
  const tz = await companyTimeZone(db);
  const date = dayIn(tz);
  const [planRow] = await db
    .select({ id: visitPlans.id })
    .from(visitPlans)
    .where(and(eq(visitPlans.ownerId, actor.userId), eq(visitPlans.day, date)));
  const tasks = await db
    .select({ id: activities.id })
    .from(activities)
    .where(
      and(
        eq(activities.ownerId, actor.userId),
        eq(activities.type, 'task'),
        eq(activities.done, false),
        sql`${activities.occurredAt} < (${date}::date + 1)::timestamp at time zone ${tz}`,
      ),
    )
    .orderBy(asc(activities.occurredAt))
    .limit(MAX_OPEN_TASKS);
  const openTasks = [];
  for (const t of tasks) openTasks.push(await getActivity(db, ctx, t.id));
  return {
    date,
    timeZone: tz,
    plan: planRow ? await getVisitPlan(db, ctx, planRow.id) : null,
    openTasks,
  };
}
