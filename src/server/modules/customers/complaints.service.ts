import { and, count, eq, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  complaintAssign,
  complaintClose,
  complaintCreate,
  complaintListQuery,
  complaintReopen,
  complaintResolve,
  complaintSettingsUpdate,
  complaintStart,
  complaintUpdate,
} from '../../../contracts/complaints.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { scopeFilter } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { recordHistory } from '../../platform/audit/audit.service.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, invalidField, notFound, versionConflict } from '../../platform/errors.js';
import { keyset, whereAll } from '../../platform/http/pagination.js';
import type { Locale } from '../../platform/i18n/locale.js';
import { defineNotificationEvent, notify } from '../../platform/notifications/notify.js';
import { defineNumbering, nextNumber } from '../../platform/numbering/numbering.js';
import { orgUnits, users } from '../org/schema.js';
import { isVisibleUser } from '../org/users.service.js';
import { visibleCustomers } from './activities.service.js';
import {
  allowedActions,
  type ComplaintAction,
  DEFAULT_SLA_HOURS,
  isOverdue,
  nextStatus,
  slaDueAt,
} from './complaint-rules.js';
import {
  COMPLAINT_SEVERITIES,
  type ComplaintSeverity,
  type ComplaintStatus,
  complaintSettings,
  complaints,
} from './complaints.schema.js';
import { customerHealth, LOW_SATISFACTION_DAYS, LOW_SATISFACTION_MAX } from './health.js';
import { customerColumnStep, defineCustomerMergeStep } from './merge-steps.js';
import { contacts, customers } from './schema.js';

const RESOURCE = 'complaints';
type ComplaintRow = typeof complaints.$inferSelect;

defineNumbering('complaint', 'CP');

defineNotificationEvent('customers.complaint-assigned', {
  title: { 'zh-CN': '投诉 {number} 交由你处理', en: 'Complaint {number} is yours to handle' },
  body: {
    'zh-CN': '客户「{customer}」的投诉「{subject}」已交由你处理，请在处理时限内解决。',
    en: 'The complaint "{subject}" of {customer} was handed to you. Resolve it within its time limit.',
  },
  label: { 'zh-CN': '有投诉交由我处理', en: 'A complaint is handed to me' },
});

// ---------------------------------------------------------------------------------------------
// Settings: categories (like the lead sources: lower-case codes, labels in the UI) and SLA hours.

export type ComplaintSettingsRow = typeof complaintSettings.$inferSelect;

export async function getComplaintSettings(db: Db): Promise<ComplaintSettingsRow> {
  const [row] = await db.select().from(complaintSettings).where(eq(complaintSettings.id, 1));
  if (row) return row;
  await db.insert(complaintSettings).values({ id: 1 }).onConflictDoNothing();
  const [created] = await db.select().from(complaintSettings).where(eq(complaintSettings.id, 1));
  return created!;
}

export function presentComplaintSettings(s: ComplaintSettingsRow) {
  return { categories: s.categories, slaHours: { ...DEFAULT_SLA_HOURS, ...s.slaHours }, version: s.version };
}

/** New SLA hours apply to complaints received from then on; existing due times stay. */
export async function updateComplaintSettings(
  db: Db,
  ctx: Ctx,
  input: z.infer<typeof complaintSettingsUpdate>,
) {
  const { version, ...changes } = input;
  if (changes.categories) changes.categories = [...new Set(changes.categories)];
  return withTx(db, async (tx) => {
    const before = await getComplaintSettings(tx);
    if (before.version !== version) throw versionConflict();
    const [after] = await tx
      .update(complaintSettings)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${complaintSettings.version} + 1` })
      .where(and(eq(complaintSettings.id, 1), eq(complaintSettings.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'complaint_settings',
      entityId: '1',
      before,
      after,
    });
    return presentComplaintSettings(after);
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * Complaints the actor may see: those in their complaints scope (they handle it, or it is handled
 * in their part of the organisation), and every complaint of a customer they can see — like the
 * customer's activities.
 */
export function visibleComplaints(ctx: Ctx): SQL | undefined {
  const own = scopeFilter(ctx.actor, RESOURCE, {
    ownerId: complaints.ownerId,
    orgUnitId: complaints.orgUnitId,
  });
  const cust = visibleCustomers(ctx);
  if (!own || !cust) return undefined;
  return or(own, sql`${complaints.customerId} in (select ${customers.id} from ${customers} where ${cust})`);
}

function selectComplaints(db: Db) {
  return db
    .select({
      complaint: complaints,
      customerName: customers.name,
      contactName: contacts.name,
      ownerName: users.name,
      orgUnitName: orgUnits.name,
    })
    .from(complaints)
    .innerJoin(customers, eq(customers.id, complaints.customerId))
    .leftJoin(contacts, eq(contacts.id, complaints.contactId))
    .innerJoin(users, eq(users.id, complaints.ownerId))
    .innerJoin(orgUnits, eq(orgUnits.id, complaints.orgUnitId));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectComplaints>['where']>>[number];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function present(r: Row, now = new Date()) {
  const c = r.complaint;
  return {
    id: c.id,
    number: c.number,
    customerId: c.customerId,
    customerName: r.customerName,
    contactId: c.contactId,
    contactName: c.contactId ? r.contactName : null,
    subject: c.subject,
    description: c.description,
    category: c.category,
    severity: c.severity,
    channel: c.channel,
    ownerId: c.ownerId,
    ownerName: r.ownerName,
    orgUnitId: c.orgUnitId,
    orgUnitName: r.orgUnitName,
    status: c.status,
    slaDueAt: c.slaDueAt.toISOString(),
    overdue: isOverdue(c, now),
    startedAt: iso(c.startedAt),
    resolvedAt: iso(c.resolvedAt),
    resolution: c.resolution,
    satisfaction: c.satisfaction,
    closedAt: iso(c.closedAt),
    overdueNotifiedAt: iso(c.overdueNotifiedAt),
    actions: allowedActions(c.status),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    version: c.version,
  };
}

const unresolved = sql`${complaints.status} in ('open', 'in_progress')`;

export async function listComplaints(db: Db, ctx: Ctx, query: z.infer<typeof complaintListQuery>) {
  const page = keyset(
    query,
    { createdAt: complaints.createdAt, slaDueAt: complaints.slaDueAt },
    complaints.id,
    '-createdAt',
  );
  const q = query.q?.trim();
  const filter = whereAll(
    visibleComplaints(ctx),
    query.status ? eq(complaints.status, query.status) : undefined,
    query.severity ? eq(complaints.severity, query.severity) : undefined,
    query.category ? eq(complaints.category, query.category) : undefined,
    query.customerId ? eq(complaints.customerId, query.customerId) : undefined,
    query.who === 'mine' && ctx.actor ? eq(complaints.ownerId, ctx.actor.userId) : undefined,
    query.overdue ? and(unresolved, sql`${complaints.slaDueAt} < now()`) : undefined,
    q
      ? or(
          eq(complaints.number, q.toUpperCase()),
          sql`${complaints.subject} ilike ${`%${q.replace(/[\\%_]/g, '\\$&')}%`}`,
        )
      : undefined,
  );
  const rows = await selectComplaints(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(complaints).where(filter);
  const key = query.sort?.replace(/^-/, '') ?? 'createdAt';
  const result = page.page(rows, n, (r) => [
    key === 'slaDueAt' ? r.complaint.slaDueAt : r.complaint.createdAt,
    r.complaint.id,
  ]);
  const now = new Date();
  return { ...result, items: result.items.map((r) => present(r, now)) };
}

export async function getComplaint(db: Db, ctx: Ctx, id: string) {
  const [row] = await selectComplaints(db).where(whereAll(eq(complaints.id, id), visibleComplaints(ctx)));
  if (!row) throw notFound();
  return present(row);
}

export async function complaintHistory(db: Db, ctx: Ctx, id: string) {
  await getComplaint(db, ctx, id);
  return recordHistory(db, 'complaint', id);
}

// ---------------------------------------------------------------------------------------------
// Writing

const badReference = (field: string) =>
  new AppError('invalid_reference', { field }, [{ path: field, message: 'invalid' }]);

const STATE_LABELS: Record<ComplaintStatus, Record<Locale, string>> = {
  open: { 'zh-CN': '待处理', en: 'open' },
  in_progress: { 'zh-CN': '处理中', en: 'in progress' },
  resolved: { 'zh-CN': '已解决', en: 'resolved' },
  closed: { 'zh-CN': '已关闭', en: 'closed' },
};
const ACTION_LABELS: Record<ComplaintAction | 'update' | 'assign', Record<Locale, string>> = {
  start: { 'zh-CN': '开始处理', en: 'started' },
  resolve: { 'zh-CN': '标记为已解决', en: 'resolved' },
  reopen: { 'zh-CN': '重新打开', en: 'reopened' },
  close: { 'zh-CN': '关闭', en: 'closed' },
  update: { 'zh-CN': '修改', en: 'changed' },
  assign: { 'zh-CN': '转派', en: 'handed to someone else' },
};

/** 409 naming the current state and the refused action in the caller's language. */
const wrongState = (ctx: Ctx, state: ComplaintStatus, action: keyof typeof ACTION_LABELS) =>
  new AppError('complaint_wrong_state', {
    state: STATE_LABELS[state][ctx.locale],
    action: ACTION_LABELS[action][ctx.locale],
  });

async function lockVisible(tx: Db, ctx: Ctx, id: string): Promise<ComplaintRow> {
  const [row] = await tx
    .select()
    .from(complaints)
    .where(whereAll(eq(complaints.id, id), visibleComplaints(ctx)))
    .for('update');
  if (!row) throw notFound();
  return row;
}

async function assertCategory(tx: Db, category: string) {
  const settings = await getComplaintSettings(tx);
  if (!settings.categories.includes(category)) {
    throw invalidField('category', 'oneOf', { values: settings.categories.join(', ') });
  }
  return settings;
}

async function assertContact(tx: Db, customerId: string, contactId: string) {
  const [contact] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.id, contactId), eq(contacts.customerId, customerId), isNull(contacts.archivedAt)));
  if (!contact) throw badReference('contactId');
}

/** An active user the actor may hand work to (within their users scope). */
async function assertHandler(tx: Db, ctx: Ctx, userId: string) {
  const [user] = await tx
    .select({ id: users.id, orgUnitId: users.orgUnitId })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.status, 'active')));
  if (!user || !(await isVisibleUser(tx, ctx, user.id))) throw badReference('ownerId');
  return user;
}

async function tellHandler(tx: Db, ctx: Ctx, c: ComplaintRow) {
  if (c.ownerId === ctx.actor?.userId) return;
  const [customer] = await tx
    .select({ name: customers.name })
    .from(customers)
    .where(eq(customers.id, c.customerId));
  await notify(tx, {
    userIds: [c.ownerId],
    event: 'customers.complaint-assigned',
    params: { number: c.number, customer: customer?.name ?? '', subject: c.subject },
    link: `/complaints/${c.id}`,
    entity: 'complaint',
    entityId: c.id,
  });
}

/**
 * Records a complaint on a customer the actor can see. The handler defaults to the customer's
 * owner (the creator for a pool customer); SLA due = now + the severity's hours.
 */
export async function createComplaint(db: Db, ctx: Ctx, input: z.infer<typeof complaintCreate>) {
  const actor = ctx.actor;
  if (!actor) throw new AppError('forbidden');
  return withTx(db, async (tx) => {
    const [customer] = await tx
      .select({
        id: customers.id,
        ownerId: customers.ownerId,
        ownerStatus: users.status,
        ownerUnitId: users.orgUnitId,
      })
      .from(customers)
      .leftJoin(users, eq(users.id, customers.ownerId))
      .where(
        whereAll(eq(customers.id, input.customerId), isNull(customers.mergedIntoId), visibleCustomers(ctx)),
      );
    if (!customer) throw badReference('customerId');
    if (input.contactId) await assertContact(tx, customer.id, input.contactId);
    const settings = await assertCategory(tx, input.category);

    const ownerActive = !!customer.ownerId && customer.ownerStatus === 'active';
    const defaultHandler = ownerActive ? customer.ownerId! : actor.userId;
    const handlerId = input.ownerId ?? defaultHandler;
    if (
      handlerId !== defaultHandler &&
      handlerId !== actor.userId &&
      !actor.permissions.has('complaints.assign')
    ) {
      throw new AppError('forbidden', { permission: 'complaints.assign' });
    }
    // The customer's owner is always a valid handler, even for reception staff who cannot pick them.
    const handler =
      handlerId === actor.userId
        ? { id: actor.userId, orgUnitId: actor.orgUnitId }
        : ownerActive && handlerId === customer.ownerId
          ? { id: handlerId, orgUnitId: customer.ownerUnitId! }
          : await assertHandler(tx, ctx, handlerId);

    const receivedAt = new Date();
    const [created] = await tx
      .insert(complaints)
      .values({
        number: await nextNumber(tx, 'complaint', receivedAt),
        customerId: customer.id,
        contactId: input.contactId ?? null,
        subject: input.subject,
        description: input.description || null,
        category: input.category,
        severity: input.severity,
        channel: input.channel,
        ownerId: handler.id,
        orgUnitId: handler.orgUnitId,
        status: 'open',
        slaDueAt: slaDueAt(receivedAt, input.severity, { ...DEFAULT_SLA_HOURS, ...settings.slaHours }),
        createdAt: receivedAt,
        updatedAt: receivedAt,
        createdBy: actor.userId,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'complaint',
      entityId: created!.id,
      after: created,
    });
    await tellHandler(tx, ctx, created!);
    return created!.id;
  });
}

/**
 * Corrects the facts of an unclosed complaint. A new severity re-times the SLA from when the
 * complaint was received (an escalation to critical tightens it); a complaint no longer overdue
 * may be alerted again.
 */
export async function updateComplaint(db: Db, ctx: Ctx, id: string, input: z.infer<typeof complaintUpdate>) {
  const { version, ...changes } = input;
  return withTx(db, async (tx) => {
    const before = await lockVisible(tx, ctx, id);
    if (before.status === 'closed') throw wrongState(ctx, before.status, 'update');
    if (before.version !== version) throw versionConflict();
    if (changes.contactId) await assertContact(tx, before.customerId, changes.contactId);
    if (changes.category !== undefined && changes.category !== before.category) {
      await assertCategory(tx, changes.category);
    }
    const set: Partial<typeof complaints.$inferInsert> = {};
    if (changes.contactId !== undefined) set.contactId = changes.contactId;
    if (changes.subject !== undefined) set.subject = changes.subject;
    if (changes.description !== undefined) set.description = changes.description || null;
    if (changes.category !== undefined) set.category = changes.category;
    if (changes.channel !== undefined) set.channel = changes.channel;
    if (changes.severity !== undefined && changes.severity !== before.severity) {
      const settings = await getComplaintSettings(tx);
      set.severity = changes.severity;
      set.slaDueAt = slaDueAt(before.createdAt, changes.severity, {
        ...DEFAULT_SLA_HOURS,
        ...settings.slaHours,
      });
      if (set.slaDueAt.getTime() > Date.now()) set.overdueNotifiedAt = null;
    }
    const [after] = await tx
      .update(complaints)
      .set({ ...set, updatedAt: sql`now()`, version: sql`${complaints.version} + 1` })
      .where(and(eq(complaints.id, id), eq(complaints.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'update', entity: 'complaint', entityId: id, before, after });
    return id;
  });
}

/** Hands an unclosed complaint to another handler (an active user the actor can see); they are told. */
export async function assignComplaint(db: Db, ctx: Ctx, id: string, input: z.infer<typeof complaintAssign>) {
  return withTx(db, async (tx) => {
    const before = await lockVisible(tx, ctx, id);
    if (before.status === 'closed') throw wrongState(ctx, before.status, 'assign');
    if (before.version !== input.version) throw versionConflict();
    const handler = await assertHandler(tx, ctx, input.ownerId);
    if (handler.id === before.ownerId) return id;
    const [after] = await tx
      .update(complaints)
      .set({
        ownerId: handler.id,
        orgUnitId: handler.orgUnitId,
        updatedAt: sql`now()`,
        version: sql`${complaints.version} + 1`,
      })
      .where(eq(complaints.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'assign',
      entity: 'complaint',
      entityId: id,
      before,
      after: after!,
    });
    await tellHandler(tx, ctx, after!);
    return id;
  });
}

type TransitionInput =
  | { action: 'start'; body: z.infer<typeof complaintStart> }
  | { action: 'resolve'; body: z.infer<typeof complaintResolve> }
  | { action: 'reopen'; body: z.infer<typeof complaintReopen> }
  | { action: 'close'; body: z.infer<typeof complaintClose> };

/**
 * Moves a complaint along open → in_progress → resolved → closed (or resolved → in_progress).
 * A refused move changes nothing and answers 409 naming the current state.
 */
export async function transitionComplaint(db: Db, ctx: Ctx, id: string, input: TransitionInput) {
  return withTx(db, async (tx) => {
    const before = await lockVisible(tx, ctx, id);
    const to = nextStatus(before.status, input.action);
    if (!to) throw wrongState(ctx, before.status, input.action);
    if (before.version !== input.body.version) throw versionConflict();
    const now = sql`now()`;
    const set: Record<string, unknown> = { status: to };
    switch (input.action) {
      case 'start':
        set.startedAt = now;
        break;
      case 'resolve':
        set.resolution = input.body.resolution;
        set.resolvedAt = now;
        break;
      case 'reopen':
        set.resolvedAt = null;
        break;
      case 'close':
        set.satisfaction = input.body.satisfaction;
        set.closedAt = now;
        break;
    }
    const [after] = await tx
      .update(complaints)
      .set({ ...set, updatedAt: now, version: sql`${complaints.version} + 1` })
      .where(and(eq(complaints.id, id), eq(complaints.version, input.body.version)))
      .returning();
    if (!after) throw versionConflict();
    const reason = input.action === 'reopen' ? input.body.reason : undefined;
    await recordAudit(tx, ctx, {
      action: input.action,
      entity: 'complaint',
      entityId: id,
      before,
      after: reason ? { ...after, reopenReason: reason } : after,
    });
    return id;
  });
}

// A merged customer's complaints move to the survivor (and back on unmerge).
defineCustomerMergeStep('complaints', customerColumnStep(complaints, 'customerId', 'updatedAt'));

// ---------------------------------------------------------------------------------------------
// Health

/** The facts of a customer's health, whatever the caller's complaints scope (it is the customer's). */
export async function customerHealthFacts(db: Db, customerId: string) {
  const [counts] = await db
    .select({
      ...Object.fromEntries(
        COMPLAINT_SEVERITIES.map((s) => [
          s,
          sql<number>`(count(*) filter (where ${unresolved} and ${complaints.severity} = ${s}))::int`,
        ]),
      ),
      overdue: sql<number>`(count(*) filter (where ${unresolved} and ${complaints.slaDueAt} < now()))::int`,
      lowSatisfaction: sql<number>`(count(*) filter (where ${complaints.status} = 'closed'
        and ${complaints.satisfaction} <= ${LOW_SATISFACTION_MAX}
        and ${complaints.closedAt} >= now() - make_interval(days => ${LOW_SATISFACTION_DAYS}::int)))::int`,
    })
    .from(complaints)
    .where(eq(complaints.customerId, customerId));
  const [customer] = await db
    .select({ due: customers.followUpDueAt })
    .from(customers)
    .where(eq(customers.id, customerId));
  const row = (counts ?? {}) as Record<string, number>;
  return {
    openComplaints: Object.fromEntries(COMPLAINT_SEVERITIES.map((s) => [s, Number(row[s] ?? 0)])) as Record<
      ComplaintSeverity,
      number
    >,
    overdueComplaints: Number(row.overdue ?? 0),
    lowSatisfaction: Number(row.lowSatisfaction ?? 0),
    followUpOverdue: !!customer?.due && customer.due.getTime() < Date.now(),
  };
}

export async function getCustomerHealth(db: Db, ctx: Ctx, customerId: string) {
  const [visible] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(whereAll(eq(customers.id, customerId), visibleCustomers(ctx)));
  if (!visible) throw notFound();
  const health = customerHealth(await customerHealthFacts(db, customerId));
  return { customerId, ...health };
}

// ---------------------------------------------------------------------------------------------
// Overdue alerts (the job in complaints.jobs.ts)

/**
 * Who hears about a handler's overdue complaint: the handler, their direct manager and the head
 * of the nearest unit above them that someone else heads.
 */
export async function managersOf(db: Db, userId: string): Promise<string[]> {
  const [user] = await db
    .select({ managerId: users.managerId, path: orgUnits.path })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(eq(users.id, userId));
  if (!user) return [];
  const ids = user.path.split('/').filter(Boolean);
  const units = await db
    .select({ id: orgUnits.id, head: orgUnits.headUserId })
    .from(orgUnits)
    .where(inArray(orgUnits.id, ids));
  const heads = new Map(units.map((u) => [u.id, u.head]));
  const head = ids
    .reverse()
    .map((id) => heads.get(id))
    .find((h) => h && h !== userId);
  return [...new Set([user.managerId, head].filter((id): id is string => !!id && id !== userId))];
}

/** Unresolved complaints past their SLA not alerted yet, locked so two workers never both alert. */
export async function overdueUnalerted(tx: Db, now: SQL = sql`now()`) {
  return tx
    .select({
      id: complaints.id,
      number: complaints.number,
      subject: complaints.subject,
      ownerId: complaints.ownerId,
      customerName: customers.name,
      handlerName: users.name,
      slaDueAt: complaints.slaDueAt,
    })
    .from(complaints)
    .innerJoin(customers, eq(customers.id, complaints.customerId))
    .innerJoin(users, eq(users.id, complaints.ownerId))
    .where(and(unresolved, lte(complaints.slaDueAt, now), isNull(complaints.overdueNotifiedAt)))
    .orderBy(complaints.slaDueAt)
    .limit(1000)
    .for('update', { of: complaints, skipLocked: true });
}
