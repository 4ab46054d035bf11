import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  agingQuery,
  collectionNoteCreate,
  dueReceivablesQuery,
} from '../../../../contracts/payments.js';
import { type Db, queryRows } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { invalidReference, notFound, versionConflict } from '../../../platform/errors.js';
import { whereAll } from '../../../platform/http/pagination.js';
import { companyTimeZone, dayIn } from '../../../platform/settings/settings.service.js';
import { customers } from '../../customers/schema.js';
import { users } from '../../org/schema.js';
import {
  balanceOf,
  itemsCte,
  openItemsOfCustomer,
  toItem,
  unappliedOf,
  visibleReceivables,
} from './items.js';
import { allocateOldestFirst, installmentStatus } from './rules.js';
import { collectionNotes, collectionTasks } from './schema.js';

const today = async (db: Db) => dayIn(await companyTimeZone(db));

async function visibleCustomer(db: Db, ctx: Ctx, customerId: string) {
  const [c] = await db
    .select({
      id: customers.id,
      name: customers.name,
      ownerId: customers.ownerId,
      orgUnitId: customers.orgUnitId,
    })
    .from(customers)
    .where(whereAll(eq(customers.id, customerId), visibleReceivables(ctx)));
  if (!c) throw notFound();
  return c;
}

/** A customer's open items with the oldest-first suggestion for `amount`, its unapplied cash and balance. */
export async function customerOpenItems(db: Db, ctx: Ctx, customerId: string, amount = 0) {
  const c = await visibleCustomer(db, ctx, customerId);
  const day = await today(db);
  const items = await openItemsOfCustomer(db, c.id, day);
  const { allocations, unapplied: left } = allocateOldestFirst(amount, items);
  const suggested = new Map(allocations.map((a) => [`${a.kind}:${a.id}`, a.amount]));
  return {
    customerId: c.id,
    customerName: c.name,
    items: items.map((i) => ({
      kind: i.kind,
      id: i.id,
      label: i.label,
      contractId: i.contractId,
      dueDate: i.dueDate,
      amount: i.amount,
      paid: i.paid,
      credited: i.credited,
      open: i.open,
      daysOverdue: i.daysOverdue,
      bucket: i.bucket,
      status:
        i.kind === 'installment'
          ? installmentStatus({ amount: i.amount, paidAmount: i.paid, dueDate: i.dueDate ?? day }, day)
          : i.daysOverdue > 0
            ? 'overdue'
            : i.paid > 0
              ? 'partially_paid'
              : 'issued',
      suggested: suggested.get(`${i.kind}:${i.id}`) ?? 0,
    })),
    unapplied: await unappliedOf(db, c.id),
    balance: await balanceOf(db, c.id),
    suggestedUnapplied: left,
  };
}

const bucketSums = sql`
  coalesce(sum(open) filter (where days <= 0), 0)::bigint as not_due,
  coalesce(sum(open) filter (where days between 1 and 30), 0)::bigint as d1_30,
  coalesce(sum(open) filter (where days between 31 and 60), 0)::bigint as d31_60,
  coalesce(sum(open) filter (where days between 61 and 90), 0)::bigint as d61_90,
  coalesce(sum(open) filter (where days > 90), 0)::bigint as over_90`;

/**
 * Aging of open items by days overdue in the company time zone, per customer, owner or team,
 * with unapplied cash and the balance (Σ buckets − unapplied) per row and in total.
 */
export async function agingReport(db: Db, ctx: Ctx, query: z.infer<typeof agingQuery>) {
  const asOf = await today(db);
  const group =
    query.by === 'owner'
      ? {
          key: sql`coalesce(customers.owner_id::text, '-')`,
          name: sql`coalesce(max(u.name), '-')`,
          owner: sql`max(u.name)`,
        }
      : query.by === 'team'
        ? { key: sql`customers.org_unit_id::text`, name: sql`max(ou.name)`, owner: sql`null::text` }
        : { key: sql`customers.id::text`, name: sql`max(customers.name)`, owner: sql`max(u.name)` };
  const q = query.q?.trim();
  const filter = whereAll(
    visibleReceivables(ctx),
    query.ownerId ? eq(customers.ownerId, query.ownerId) : undefined,
    q ? sql`customers.name ilike ${`%${q.replace(/[\\%_]/g, '\\$&')}%`}` : undefined,
  );
  const rows = await queryRows<Record<string, string | number | null>>(
    db,
    sql`with items as (${itemsCte}),
      open_items as (
        select customer_id, amount - credited - paid as open,
               case when due_date is null then 0 else ${asOf}::date - due_date::date end as days
          from items where amount - credited - paid <> 0),
      unapplied as (
        select customer_id, sum(amount) as n from (
          select customer_id, amount from payments
          union all select customer_id, -amount from payment_allocations) x group by customer_id),
      per_customer as (
        select customer_id, ${bucketSums} from open_items group by customer_id)
      select ${group.key} as key, ${group.name} as name, ${group.owner} as owner_name,
             ${query.by === 'customer' ? sql`max(customers.id::text)` : sql`null`} as customer_id,
             sum(coalesce(pc.not_due, 0))::bigint as not_due, sum(coalesce(pc.d1_30, 0))::bigint as d1_30,
             sum(coalesce(pc.d31_60, 0))::bigint as d31_60, sum(coalesce(pc.d61_90, 0))::bigint as d61_90,
             sum(coalesce(pc.over_90, 0))::bigint as over_90, sum(coalesce(un.n, 0))::bigint as unapplied
        from customers
        left join per_customer pc on pc.customer_id = customers.id
        left join unapplied un on un.customer_id = customers.id
        left join users u on u.id = customers.owner_id
        left join org_units ou on ou.id = customers.org_unit_id
       where (pc.customer_id is not null or coalesce(un.n, 0) <> 0) and ${filter ?? sql`true`}
       group by 1
       order by 2`,
  );
  const totals = { notDue: 0, d1_30: 0, d31_60: 0, d61_90: 0, over90: 0, unapplied: 0, balance: 0 };
  const out = rows.map((r) => {
    const row = {
      key: String(r.key),
      customerId: r.customer_id ? String(r.customer_id) : null,
      name: String(r.name ?? '-'),
      ownerName: r.owner_name ? String(r.owner_name) : null,
      notDue: Number(r.not_due),
      d1_30: Number(r.d1_30),
      d31_60: Number(r.d31_60),
      d61_90: Number(r.d61_90),
      over90: Number(r.over_90),
      unapplied: Number(r.unapplied),
      balance: 0,
    };
    row.balance = row.notDue + row.d1_30 + row.d31_60 + row.d61_90 + row.over90 - row.unapplied;
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += row[k];
    return row;
  });
  return { asOf, rows: out, totals };
}

/** 客户到期应收账款明细表 (seed 002): every open item with what was collected, days overdue and the last collection note. */
export async function dueReceivablesReport(db: Db, ctx: Ctx, query: z.infer<typeof dueReceivablesQuery>) {
  const asOf = await today(db);
  const filter = whereAll(
    visibleReceivables(ctx),
    query.customerId ? eq(customers.id, query.customerId) : undefined,
    query.ownerId ? eq(customers.ownerId, query.ownerId) : undefined,
    query.overdueOnly ? sql`items.due_date::date < ${asOf}::date` : undefined,
  );
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with items as (${itemsCte})
      select items.*, customers.name as customer_name, u.name as owner_name, ou.name as org_unit_name,
             ct.number as contract_number, n.note as last_note, n.promised_date::text as promised_date
        from items
        join customers on customers.id = items.customer_id
        left join users u on u.id = customers.owner_id
        join org_units ou on ou.id = customers.org_unit_id
        left join contracts ct on ct.id = items.contract_id
        left join lateral (
          select cn.note, cn.promised_date from collection_notes cn
           where cn.customer_id = items.customer_id
             and (cn.invoice_id = items.id or cn.installment_id = items.id or (cn.invoice_id is null and cn.installment_id is null))
           order by cn.created_at desc limit 1) n on true
       where items.amount - items.credited - items.paid > 0 and ${filter ?? sql`true`}
       order by items.due_date nulls last, customers.name, items.id
       limit 20000`,
  );
  return {
    asOf,
    items: rows.map((r) => {
      const i = toItem(r, asOf);
      return {
        customerId: i.customerId,
        customerName: String(r.customer_name),
        ownerName: (r.owner_name as string | null) ?? null,
        orgUnitName: String(r.org_unit_name),
        kind: i.kind,
        itemId: i.id,
        label: i.label,
        contractNumber: (r.contract_number as string | null) ?? null,
        dueDate: i.dueDate,
        amount: i.amount - i.credited,
        collected: i.paid,
        open: i.open,
        daysOverdue: i.daysOverdue,
        bucket: i.bucket,
        lastNote: (r.last_note as string | null) ?? null,
        promisedDate: (r.promised_date as string | null) ?? null,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Collection notes and tasks

export async function addCollectionNote(db: Db, ctx: Ctx, input: z.infer<typeof collectionNoteCreate>) {
  return withTx(db, async (tx) => {
    const [c] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(whereAll(eq(customers.id, input.customerId), visibleReceivables(ctx)));
    if (!c) throw invalidReference('customerId');
    if (input.taskId) {
      const [t] = await tx
        .select({ id: collectionTasks.id })
        .from(collectionTasks)
        .where(and(eq(collectionTasks.id, input.taskId), eq(collectionTasks.customerId, c.id)));
      if (!t) throw invalidReference('taskId');
    }
    const [note] = await tx
      .insert(collectionNotes)
      .values({
        customerId: c.id,
        taskId: input.taskId ?? null,
        invoiceId: input.invoiceId ?? null,
        installmentId: input.installmentId ?? null,
        note: input.note,
        promisedDate: input.promisedDate ?? null,
        promisedAmount: input.promisedAmount ?? null,
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'collection_note',
      entityId: note!.id,
      after: note,
    });
    return note!.id;
  });
}

export async function listCollectionNotes(db: Db, ctx: Ctx, customerId: string) {
  await visibleCustomer(db, ctx, customerId);
  const rows = await db
    .select({ n: collectionNotes, createdByName: users.name })
    .from(collectionNotes)
    .leftJoin(users, eq(users.id, collectionNotes.createdBy))
    .where(eq(collectionNotes.customerId, customerId))
    .orderBy(sql`${collectionNotes.createdAt} desc`)
    .limit(200);
  return rows.map(({ n, createdByName }) => ({
    id: n.id,
    customerId: n.customerId,
    taskId: n.taskId,
    invoiceId: n.invoiceId,
    installmentId: n.installmentId,
    note: n.note,
    promisedDate: n.promisedDate,
    promisedAmount: n.promisedAmount,
    createdAt: n.createdAt.toISOString(),
    createdByName: createdByName ?? null,
  }));
}

export async function listCollectionTasks(
  db: Db,
  ctx: Ctx,
  query: {
    customerId?: string | undefined;
    status?: 'open' | 'done' | undefined;
    mine?: boolean | undefined;
  },
) {
  const rows = await db
    .select({ t: collectionTasks, customerName: customers.name, assigneeName: users.name })
    .from(collectionTasks)
    .innerJoin(customers, eq(customers.id, collectionTasks.customerId))
    .leftJoin(users, eq(users.id, collectionTasks.assigneeId))
    .where(
      whereAll(
        visibleReceivables(ctx),
        query.customerId ? eq(collectionTasks.customerId, query.customerId) : undefined,
        query.status ? eq(collectionTasks.status, query.status) : undefined,
        query.mine && ctx.actor ? eq(collectionTasks.assigneeId, ctx.actor.userId) : undefined,
      ),
    )
    .orderBy(collectionTasks.dueDate, collectionTasks.id)
    .limit(500);
  return rows.map(({ t, customerName, assigneeName }) => ({
    id: t.id,
    customerId: t.customerId,
    customerName,
    invoiceId: t.invoiceId,
    installmentId: t.installmentId,
    bucket: t.bucket,
    dueDate: t.dueDate,
    amountDue: t.amountDue,
    assigneeId: t.assigneeId,
    assigneeName: assigneeName ?? null,
    status: t.status,
    createdAt: t.createdAt.toISOString(),
    version: t.version,
  }));
}

export async function completeCollectionTask(db: Db, ctx: Ctx, id: string, version: number) {
  return withTx(db, async (tx) => {
    const [before] = await tx
      .select({ t: collectionTasks })
      .from(collectionTasks)
      .innerJoin(customers, eq(customers.id, collectionTasks.customerId))
      .where(whereAll(eq(collectionTasks.id, id), visibleReceivables(ctx)));
    if (!before) throw notFound();
    if (before.t.version !== version) throw versionConflict();
    const [after] = await tx
      .update(collectionTasks)
      .set({
        status: 'done',
        doneAt: sql`now()`,
        updatedAt: sql`now()`,
        version: sql`${collectionTasks.version} + 1`,
      })
      .where(and(eq(collectionTasks.id, id), eq(collectionTasks.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: 'done',
      entity: 'collection_task',
      entityId: id,
      before: before.t,
      after,
    });
  });
}
