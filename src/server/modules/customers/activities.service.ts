import { type AnyColumn, and, count, eq, inArray, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  activityCreate,
  activityListQuery,
  activityUpdate,
  dueFollowUpQuery,
} from '../../../contracts/activities.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { scopeFilter } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, notFound, versionConflict } from '../../platform/errors.js';
import { keyset, whereAll } from '../../platform/http/pagination.js';
import { companyTimeZone } from '../../platform/settings/settings.service.js';
import { orgUnits, users } from '../org/schema.js';
import { type CadenceDays, followUpDueAt } from './cadence.js';
import { rescoreLead } from './leads.service.js';
import {
  activities,
  type CustomerGrade,
  contacts,
  customerCollaborators,
  customers,
  leads,
} from './schema.js';
import { getCustomerSettings } from './settings.service.js';

const RESOURCE = 'activities';
/** Logged "now" may run a little ahead of the server's clock on a phone. */
const CLOCK_SLACK_MS = 5 * 60_000;

/** Customers the actor may see: own, collaborator, or within their customers scope. */
export const visibleCustomers = (ctx: Ctx) =>
  scopeFilter(ctx.actor, 'customers', {
    ownerId: customers.ownerId,
    orgUnitId: customers.orgUnitId,
    collaborator: (userId) =>
      sql`exists (select 1 from ${customerCollaborators} where ${customerCollaborators.customerId} = ${customers.id} and ${customerCollaborators.userId} = ${userId})`,
  });

export const visibleLeads = (ctx: Ctx) =>
  scopeFilter(ctx.actor, 'leads', { ownerId: leads.ownerId, orgUnitId: leads.orgUnitId });

/**
 * Activities the actor may read: those in their activities scope, and every activity on a
 * customer or lead they can see (a rep reads the whole timeline of their customer, including a
 * collaborator's or their manager's notes).
 */
function visible(ctx: Ctx): SQL | undefined {
  const own = scopeFilter(ctx.actor, RESOURCE, {
    ownerId: activities.ownerId,
    orgUnitId: activities.orgUnitId,
  });
  const cust = visibleCustomers(ctx);
  const lead = visibleLeads(ctx);
  if (!own || !cust || !lead) return undefined;
  return or(
    own,
    sql`${activities.customerId} in (select ${customers.id} from ${customers} where ${cust})`,
    sql`${activities.leadId} in (select ${leads.id} from ${leads} where ${lead})`,
  );
}

/** Writes (edit, delete) stay within the activities scope itself. */
const writable = (ctx: Ctx) =>
  scopeFilter(ctx.actor, RESOURCE, { ownerId: activities.ownerId, orgUnitId: activities.orgUnitId });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const leadName = sql<string>`coalesce(${leads.companyName}, ${leads.personName}, ${leads.mobile}, ${leads.email})`;

function selectActivities(db: Db) {
  return db
    .select({
      activity: activities,
      customerName: customers.name,
      contactName: contacts.name,
      leadName,
      ownerName: users.name,
    })
    .from(activities)
    .leftJoin(customers, eq(customers.id, activities.customerId))
    .leftJoin(contacts, eq(contacts.id, activities.contactId))
    .leftJoin(leads, eq(leads.id, activities.leadId))
    .leftJoin(users, eq(users.id, activities.ownerId));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectActivities>['where']>>[number];

function present(r: Row) {
  const a = r.activity;
  return {
    id: a.id,
    type: a.type,
    subject: a.subject,
    notes: a.notes,
    outcome: a.outcome,
    occurredAt: a.occurredAt.toISOString(),
    nextStep: a.nextStep,
    nextStepAt: iso(a.nextStepAt),
    customerId: a.customerId,
    customerName: r.customerName,
    contactId: a.contactId,
    contactName: r.contactName,
    leadId: a.leadId,
    leadName: a.leadId ? r.leadName : null,
    done: a.done,
    ownerId: a.ownerId,
    ownerName: r.ownerName,
    orgUnitId: a.orgUnitId,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    version: a.version,
  };
}

export async function listActivities(db: Db, ctx: Ctx, query: z.infer<typeof activityListQuery>) {
  const page = keyset(
    query,
    { occurredAt: activities.occurredAt, createdAt: activities.createdAt },
    activities.id,
    '-occurredAt',
  );
  const filter = whereAll(
    visible(ctx),
    query.customerId ? eq(activities.customerId, query.customerId) : undefined,
    query.leadId ? eq(activities.leadId, query.leadId) : undefined,
    query.ownerId ? eq(activities.ownerId, query.ownerId) : undefined,
    query.type ? eq(activities.type, query.type) : undefined,
  );
  const rows = await selectActivities(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(activities).where(filter);
  const key = query.sort?.replace(/^-/, '') ?? 'occurredAt';
  const result = page.page(rows, n, (r) => [
    key === 'createdAt' ? r.activity.createdAt : r.activity.occurredAt,
    r.activity.id,
  ]);
  return { ...result, items: result.items.map(present) };
}

export async function getActivity(db: Db, ctx: Ctx, id: string) {
  const [row] = await selectActivities(db).where(whereAll(eq(activities.id, id), visible(ctx)));
  if (!row) throw notFound();
  return present(row);
}

const badReference = (field: string) =>
  new AppError('invalid_reference', { field }, [{ path: field, message: 'invalid' }]);

/** Whether an activity counts as a follow-up: done, and not in the future. */
const countsAsFollowUp = (a: { done: boolean; occurredAt: Date }) =>
  a.done && a.occurredAt.getTime() <= Date.now() + CLOCK_SLACK_MS;

/**
 * Sets a customer's follow-up due date from its grade, owner and last follow-up. Call it in the
 * transaction of any write that changes those (grading, assignment, claim): `since` is when the
 * cadence started otherwise (the grading or the claim), counted when later than the last follow-up.
 */
export async function refreshCustomerDue(tx: Db, customerId: string, since?: Date): Promise<Date | null> {
  const [c] = await tx
    .select({
      grade: customers.grade,
      ownerId: customers.ownerId,
      last: customers.lastFollowUpAt,
      createdAt: customers.createdAt,
    })
    .from(customers)
    .where(eq(customers.id, customerId));
  if (!c) return null;
  const settings = await getCustomerSettings(tx);
  const due = dueOf(c, settings.cadenceDays, since);
  await tx.update(customers).set({ followUpDueAt: due }).where(eq(customers.id, customerId));
  return due;
}

type DueBasis = { grade: CustomerGrade | null; ownerId: string | null; last: Date | null; createdAt: Date };

/** A customer's due date from its row: the cadence counts from the last follow-up, else from `since` or creation. */
function dueOf(c: DueBasis, cadence: CadenceDays, since?: Date) {
  return followUpDueAt(
    {
      grade: c.grade,
      owned: !!c.ownerId,
      lastFollowUpAt: c.last,
      since: since ?? (c.last ? null : c.createdAt),
    },
    cadence,
  );
}

/**
 * refreshCustomerDue for many customers at once (an import batch), from their rows as just
 * written: one update per distinct due date (a batch created in one transaction has one per grade).
 */
export async function refreshCustomersDue(
  tx: Db,
  rows: {
    id: string;
    grade: CustomerGrade | null;
    ownerId: string | null;
    lastFollowUpAt: Date | null;
    createdAt: Date;
  }[],
): Promise<Map<string, Date | null>> {
  const dues = new Map<string, Date | null>();
  if (!rows.length) return dues;
  const settings = await getCustomerSettings(tx);
  const byDue = new Map<number | null, { due: Date | null; ids: string[] }>();
  for (const r of rows) {
    const due = dueOf({ ...r, last: r.lastFollowUpAt }, settings.cadenceDays);
    dues.set(r.id, due);
    const key = due ? due.getTime() : null;
    const group = byDue.get(key) ?? byDue.set(key, { due, ids: [] }).get(key)!;
    group.ids.push(r.id);
  }
  for (const { due, ids } of byDue.values()) {
    await tx.update(customers).set({ followUpDueAt: due }).where(inArray(customers.id, ids));
  }
  return dues;
}

/**
 * After an activity is logged, changed or removed: the customer's (or lead's) last follow-up is
 * the latest counting activity, the due date follows, and a new lead starts being worked.
 */
async function touchTarget(
  tx: Db,
  target: { customerId: string | null; leadId: string | null },
  /** A new follow-up never moves an earlier-recorded (imported) last follow-up back. */
  combine: 'greatest' | 'coalesce' = 'coalesce',
) {
  const fn = sql.raw(combine);
  const latest = (col: AnyColumn, id: string) =>
    sql`(select max(${activities.occurredAt}) from ${activities} where ${col} = ${id} and ${activities.done} and ${activities.occurredAt} <= now() + interval '5 minutes')`;
  if (target.customerId) {
    await tx
      .update(customers)
      .set({
        lastFollowUpAt: sql`${fn}(${latest(activities.customerId, target.customerId)}, ${customers.lastFollowUpAt})`,
      })
      .where(eq(customers.id, target.customerId));
    await refreshCustomerDue(tx, target.customerId);
  }
  if (target.leadId) {
    await tx
      .update(leads)
      .set({
        lastFollowUpAt: sql`${fn}(${latest(activities.leadId, target.leadId)}, ${leads.lastFollowUpAt})`,
        status: sql`case when ${leads.status} = 'new' and ${latest(activities.leadId, target.leadId)} is not null then 'working' else ${leads.status} end`,
      })
      .where(eq(leads.id, target.leadId));
    await rescoreLead(tx, target.leadId);
  }
}

export async function createActivity(db: Db, ctx: Ctx, input: z.infer<typeof activityCreate>) {
  const actor = ctx.actor;
  if (!actor) throw new AppError('forbidden');
  return withTx(db, async (tx) => {
    let customerId = input.customerId ?? null;
    const leadId = input.leadId ?? null;
    if (input.opportunityId) {
      // The sales module's table, read for its customer only (the visibility check follows below).
      const rows = await tx.execute<{ customer_id: string }>(
        sql`select customer_id from opportunities where id = ${input.opportunityId}`,
      );
      const list = (Array.isArray(rows) ? rows : (rows as { rows: { customer_id: string }[] }).rows) as {
        customer_id: string;
      }[];
      const of = list[0]?.customer_id;
      if (!of || (customerId && of !== customerId)) throw badReference('opportunityId');
      customerId = of;
    }
    if (input.contactId) {
      const [contact] = await tx
        .select({ customerId: contacts.customerId })
        .from(contacts)
        .where(and(eq(contacts.id, input.contactId), isNull(contacts.archivedAt)));
      if (!contact || (customerId && contact.customerId !== customerId)) throw badReference('contactId');
      customerId = contact.customerId;
    }
    if (!customerId && !leadId)
      throw new AppError('validation_failed', {}, [{ path: 'customerId', message: 'required' }]);
    if (customerId) {
      const [c] = await tx
        .select({ id: customers.id })
        .from(customers)
        .where(whereAll(eq(customers.id, customerId), isNull(customers.mergedIntoId), visibleCustomers(ctx)));
      if (!c) throw badReference(input.contactId && !input.customerId ? 'contactId' : 'customerId');
    }
    if (leadId) {
      const [l] = await tx
        .select({ id: leads.id })
        .from(leads)
        .where(whereAll(eq(leads.id, leadId), visibleLeads(ctx)));
      if (!l) throw badReference('leadId');
    }
    const isTask = input.type === 'task';
    const [created] = await tx
      .insert(activities)
      .values({
        type: input.type,
        subject: input.subject,
        notes: input.notes || null,
        outcome: input.outcome || null,
        occurredAt: input.occurredAt ? new Date(input.occurredAt) : new Date(),
        nextStep: input.nextStep || null,
        nextStepAt: input.nextStepAt ? new Date(input.nextStepAt) : null,
        customerId,
        contactId: input.contactId ?? null,
        leadId,
        opportunityId: input.opportunityId ?? null,
        done: isTask ? (input.done ?? false) : true,
        ownerId: actor.userId,
        orgUnitId: actor.orgUnitId,
        createdBy: actor.userId,
      })
      .returning();
    if (countsAsFollowUp(created!)) await touchTarget(tx, { customerId, leadId }, 'greatest');
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'activity',
      entityId: created!.id,
      after: created,
    });
    return created!.id;
  });
}

async function findWritable(tx: Db, ctx: Ctx, id: string) {
  const [row] = await tx
    .select()
    .from(activities)
    .where(whereAll(eq(activities.id, id), writable(ctx)))
    .for('update');
  if (!row) throw notFound();
  return row;
}

export async function updateActivity(db: Db, ctx: Ctx, id: string, input: z.infer<typeof activityUpdate>) {
  const { version, ...changes } = input;
  return withTx(db, async (tx) => {
    const before = await findWritable(tx, ctx, id);
    if (before.version !== version) throw versionConflict();
    const type = changes.type ?? before.type;
    const [after] = await tx
      .update(activities)
      .set({
        ...(changes.type !== undefined ? { type } : {}),
        ...(changes.subject !== undefined ? { subject: changes.subject } : {}),
        ...(changes.notes !== undefined ? { notes: changes.notes || null } : {}),
        ...(changes.outcome !== undefined ? { outcome: changes.outcome || null } : {}),
        ...(changes.occurredAt !== undefined ? { occurredAt: new Date(changes.occurredAt) } : {}),
        ...(changes.nextStep !== undefined ? { nextStep: changes.nextStep || null } : {}),
        ...(changes.nextStepAt !== undefined
          ? { nextStepAt: changes.nextStepAt ? new Date(changes.nextStepAt) : null }
          : {}),
        done: type === 'task' ? (changes.done ?? before.done) : true,
        updatedAt: sql`now()`,
        version: sql`${activities.version} + 1`,
      })
      .where(and(eq(activities.id, id), eq(activities.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await touchTarget(tx, after);
    await recordAudit(tx, ctx, { action: 'update', entity: 'activity', entityId: id, before, after });
    return id;
  });
}

export async function deleteActivity(db: Db, ctx: Ctx, id: string) {
  return withTx(db, async (tx) => {
    const before = await findWritable(tx, ctx, id);
    await tx.delete(activities).where(eq(activities.id, id));
    if (before.customerId) {
      // Recount from what is left: the deleted visit no longer counts.
      await tx
        .update(customers)
        .set({
          lastFollowUpAt: sql`(select max(${activities.occurredAt}) from ${activities} where ${activities.customerId} = ${before.customerId} and ${activities.done} and ${activities.occurredAt} <= now() + interval '5 minutes')`,
        })
        .where(eq(customers.id, before.customerId));
      await refreshCustomerDue(tx, before.customerId);
    }
    if (before.leadId) {
      await tx
        .update(leads)
        .set({
          lastFollowUpAt: sql`(select max(${activities.occurredAt}) from ${activities} where ${activities.leadId} = ${before.leadId} and ${activities.done} and ${activities.occurredAt} <= now() + interval '5 minutes')`,
        })
        .where(eq(leads.id, before.leadId));
    }
    await recordAudit(tx, ctx, { action: 'delete', entity: 'activity', entityId: id, before });
  });
}

/** Activities of many customers moved to a survivor (the merge tool of the customers module). */
export async function moveCustomerActivities(tx: Db, fromIds: string[], toId: string) {
  if (!fromIds.length) return;
  await tx.update(activities).set({ customerId: toId }).where(inArray(activities.customerId, fromIds));
}

/**
 * Customers whose follow-up is due by the end of today (company time) or, with `overdue`, was
 * due before today: mine, or everyone's in my customers scope (a manager's team), most overdue first.
 */
export async function listDueFollowUps(db: Db, ctx: Ctx, query: z.infer<typeof dueFollowUpQuery>) {
  const actor = ctx.actor;
  const tz = await companyTimeZone(db);
  const today = sql`((now() at time zone ${tz})::date)`;
  const limitAt =
    query.when === 'overdue'
      ? sql`(${today})::timestamp at time zone ${tz}`
      : sql`(${today} + 1)::timestamp at time zone ${tz}`;
  const page = keyset(query, { followUpDueAt: customers.followUpDueAt }, customers.id, 'followUpDueAt');
  const filter = whereAll(
    isNotNull(customers.ownerId),
    isNull(customers.mergedIntoId),
    isNotNull(customers.followUpDueAt),
    sql`${customers.followUpDueAt} < ${limitAt}`,
    query.who === 'team' || !actor ? visibleCustomers(ctx) : eq(customers.ownerId, actor.userId),
  );
  const rows = await db
    .select({
      customer: customers,
      ownerName: users.name,
      orgUnitName: orgUnits.name,
      overdueDays: sql<number>`(${today} - (${customers.followUpDueAt} at time zone ${tz})::date)::int`,
    })
    .from(customers)
    .innerJoin(users, eq(users.id, customers.ownerId))
    .innerJoin(orgUnits, eq(orgUnits.id, customers.orgUnitId))
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(customers).where(filter);
  const result = page.page(rows, n, (r) => [r.customer.followUpDueAt, r.customer.id]);
  return {
    ...result,
    items: result.items.map((r) => ({
      customerId: r.customer.id,
      name: r.customer.name,
      grade: r.customer.grade,
      ownerId: r.customer.ownerId!,
      ownerName: r.ownerName,
      orgUnitId: r.customer.orgUnitId,
      orgUnitName: r.orgUnitName,
      lastFollowUpAt: iso(r.customer.lastFollowUpAt),
      followUpDueAt: r.customer.followUpDueAt!.toISOString(),
      overdueDays: Math.max(0, Number(r.overdueDays)),
    })),
  };
}
