import { and, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  agingQuery,
  agingReport as agingReportSchema,
  collectionNoteCreate,
  dueReceivablesQuery,
} from '../../../../contracts/payments.js';
import { type Db, queryRows } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, invalidReference, notFound, versionConflict } from '../../../platform/errors.js';
import { containsPattern, encodeCursor, whereAll } from '../../../platform/http/pagination.js';
import { companyTimeZone, dayIn } from '../../../platform/settings/settings.service.js';
import { customers } from '../../customers/schema.js';
import { users } from '../../org/schema.js';
import { itemsCte, openItemsOfCustomer, toItem, visibleReceivables } from './items.js';
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

/**
 * A customer's open items with the oldest-first suggestion for `amount`, its unapplied cash and
 * balance. The customer (in scope, else 404), its unapplied cash and its balance come from one
 * statement (the same sums as `unappliedOf` and `balanceOf`), the items from a second: this is
 * what the payment form and the credit check read, so round trips count.
 */
export async function customerOpenItems(db: Db, ctx: Ctx, customerId: string, amount = 0) {
  const [c] = await queryRows<{
    id: string;
    name: string;
    paid_in: string | number;
    applied: string | number;
    billed: string | number;
  }>(
    db,
    sql`select customers.id, customers.name,
           coalesce((select sum(amount) from payments p where p.customer_id = customers.id), 0) as paid_in,
           coalesce((select sum(amount) from payment_allocations a where a.customer_id = customers.id), 0) as applied,
           coalesce((select sum(amount - credited) from (${itemsCte}) items where items.customer_id = customers.id), 0) as billed
         from customers where ${whereAll(eq(customers.id, customerId), visibleReceivables(ctx))}`,
  );
  if (!c) throw notFound();
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
    unapplied: Number(c.paid_in) - Number(c.applied),
    balance: Number(c.billed) - Number(c.paid_in),
    suggestedUnapplied: left,
  };
}

/**
 * The open part of `itemsCte` (amount − credited − paid ≠ 0) with days overdue, written so that
 * PostgreSQL reads only open invoices: the invoice branch repeats the predicate of the partial
 * index `invoices_open_idx` (invoicing/schema.ts), so at 1,000,000 invoices it scans the open
 * ones through that index instead of every invoice ever issued.
 */
const openItemsSql = (asOf: string) => sql`
  select i.customer_id, (i.total - i.credited_amount - i.paid_amount)::bigint as open,
         ${asOf}::date - i.due_date as days
    from invoices i
   where i.state in ('issued', 'partially_paid', 'paid') and i.total - i.credited_amount - i.paid_amount <> 0
  union all
  select c.customer_id, (ci.amount - ci.paid_amount)::bigint, ${asOf}::date - ci.due_date
    from contract_installments ci join contracts c on c.id = ci.contract_id
   where c.state in ('active', 'completed') and ci.amount - ci.paid_amount <> 0
     and not exists (
       select 1 from invoice_lines l join invoices v on v.id = l.invoice_id
        where l.source_type = 'contract' and l.source_id = ci.id and v.state in ('issued', 'partially_paid', 'paid'))`;

const bucketSums = sql`
  coalesce(sum(open) filter (where days <= 0 or days is null), 0)::bigint as not_due,
  coalesce(sum(open) filter (where days between 1 and 30), 0)::bigint as d1_30,
  coalesce(sum(open) filter (where days between 31 and 60), 0)::bigint as d31_60,
  coalesce(sum(open) filter (where days between 61 and 90), 0)::bigint as d61_90,
  coalesce(sum(open) filter (where days > 90), 0)::bigint as over_90`;

type AgingQuery = z.infer<typeof agingQuery>;

/** Sort keys of the aging report: the value's SQL over the grouped row, its direction and type. */
const AGING_SORTS = {
  '-overdue': { value: sql.raw('overdue'), descending: true, numeric: true },
  '-balance': { value: sql.raw('balance'), descending: true, numeric: true },
  name: { value: sql.raw('name'), descending: false, numeric: false },
} as const;

function agingCursor(cursor: string, numeric: boolean): [number | string, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === (numeric ? 'number' : 'string') &&
      (!numeric || Number.isSafeInteger(parsed[0])) &&
      typeof parsed[1] === 'string' &&
      parsed[1].length <= 64
    )
      return [parsed[0] as number | string, parsed[1]];
  } catch {
    // any undecodable cursor is the same client error
  }
  throw new AppError('bad_cursor', {}, [{ path: 'cursor', message: 'invalid' }]);
}

const toAgingRow = (r: Record<string, string | number | null>) => ({
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
  balance: Number(r.balance),
  overdue: Number(r.overdue),
});

/**
 * Aging of open items by days overdue in the company time zone, per customer, owner or team,
 * with unapplied cash, the balance (Σ buckets − unapplied) and what is overdue per row.
 *
 * One statement: the open items are summed per customer, grouped by the chosen level and
 * filtered (scope, owner, unit, name, overdue only); window sums over that whole set give the
 * totals and the row count before the keyset cursor and LIMIT cut the page, so every page carries
 * the company (or team, or own) totals. Keyset over (sort value, row key): the grouped rows are
 * computed on every page anyway (an aggregate has no index to seek), but the cursor stays right
 * while collections change the figures under a user paging through, and no page is bigger than
 * `limit`. `limit: null` answers every row (the Excel export).
 */
export async function agingRows(
  db: Db,
  ctx: Ctx,
  query: AgingQuery,
  limit: number | null,
): Promise<z.infer<typeof agingReportSchema>> {
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
  const filter = whereAll(
    visibleReceivables(ctx),
    query.ownerId ? eq(customers.ownerId, query.ownerId) : undefined,
    query.orgUnitId ? eq(customers.orgUnitId, query.orgUnitId) : undefined,
    query.q ? sql`customers.name ilike ${containsPattern(query.q)}` : undefined,
  );
  const sort = AGING_SORTS[query.sort];
  let after = sql`true`;
  if (query.cursor) {
    const [value, key] = agingCursor(query.cursor, sort.numeric);
    after = sql`(${sort.value}, key) ${sql.raw(sort.descending ? '<' : '>')} (${value}::${sql.raw(sort.numeric ? 'bigint' : 'text')}, ${key}::text)`;
  }
  const direction = sql.raw(sort.descending ? 'desc' : 'asc');
  const rows = await queryRows<Record<string, string | number | null>>(
    db,
    sql`with per_customer as (
        select customer_id, ${bucketSums} from (${openItemsSql(asOf)}) o group by customer_id),
      paid_in as (select customer_id, sum(amount) as n from payments group by customer_id),
      applied as (select customer_id, sum(amount) as n from payment_allocations group by customer_id),
      grouped as (
        select ${group.key} as key, ${group.name} as name, ${group.owner} as owner_name,
               ${query.by === 'customer' ? sql`max(customers.id::text)` : sql`null`} as customer_id,
               sum(coalesce(pc.not_due, 0))::bigint as not_due, sum(coalesce(pc.d1_30, 0))::bigint as d1_30,
               sum(coalesce(pc.d31_60, 0))::bigint as d31_60, sum(coalesce(pc.d61_90, 0))::bigint as d61_90,
               sum(coalesce(pc.over_90, 0))::bigint as over_90,
               sum(coalesce(pi.n, 0) - coalesce(ap.n, 0))::bigint as unapplied
          from customers
          left join per_customer pc on pc.customer_id = customers.id
          left join paid_in pi on pi.customer_id = customers.id
          left join applied ap on ap.customer_id = customers.id
          left join users u on u.id = customers.owner_id
          left join org_units ou on ou.id = customers.org_unit_id
         where (pc.customer_id is not null or coalesce(pi.n, 0) <> coalesce(ap.n, 0)) and ${filter ?? sql`true`}
         group by 1),
      report as (
        select g.*, (d1_30 + d31_60 + d61_90 + over_90)::bigint as overdue,
               (not_due + d1_30 + d31_60 + d61_90 + over_90 - unapplied)::bigint as balance
          from grouped g
         where ${query.overdueOnly ? sql`d1_30 + d31_60 + d61_90 + over_90 > 0` : sql`true`}),
      counted as (
        select r.*, count(*) over () as total_rows,
               sum(not_due) over () as t_not_due, sum(d1_30) over () as t_d1_30,
               sum(d31_60) over () as t_d31_60, sum(d61_90) over () as t_d61_90,
               sum(over_90) over () as t_over_90, sum(unapplied) over () as t_unapplied
          from report r)
      select * from counted where ${after}
       order by ${sort.value} ${direction}, key ${direction}
       ${limit === null ? sql`` : sql`limit ${limit + 1}`}`,
  );
  const items = (limit === null ? rows : rows.slice(0, limit)).map(toAgingRow);
  const last = items.at(-1);
  const first = rows[0];
  const totalsOf = (r: Record<string, string | number | null> | undefined) => {
    const t = {
      notDue: Number(r?.t_not_due ?? 0),
      d1_30: Number(r?.t_d1_30 ?? 0),
      d31_60: Number(r?.t_d31_60 ?? 0),
      d61_90: Number(r?.t_d61_90 ?? 0),
      over90: Number(r?.t_over_90 ?? 0),
      unapplied: Number(r?.t_unapplied ?? 0),
    };
    const overdue = t.d1_30 + t.d31_60 + t.d61_90 + t.over90;
    return { ...t, overdue, balance: t.notDue + overdue - t.unapplied };
  };
  // A cursor past the last row leaves no row to carry the window sums: count and sum again.
  const summary =
    first || !query.cursor
      ? { total: Number(first?.total_rows ?? 0), totals: totalsOf(first) }
      : await agingRows(db, ctx, { ...query, cursor: undefined }, 1);
  const sortValue = (r: ReturnType<typeof toAgingRow>) =>
    query.sort === 'name' ? r.name : query.sort === '-balance' ? r.balance : r.overdue;
  return {
    asOf,
    items,
    nextCursor:
      limit !== null && rows.length > limit && last ? encodeCursor([sortValue(last), last.key]) : null,
    total: summary.total,
    totals: summary.totals,
  };
}

/** GET /receivables/aging: one page of the aging report with the totals of the whole filter. */
export function agingReport(db: Db, ctx: Ctx, query: AgingQuery) {
  return agingRows(db, ctx, query, query.limit);
}

/**
 * The aging buckets' totals over the open items the reader may see, for one owner or a set of
 * org units: the figure of the dashboards' aging widget, without the report's per-customer rows
 * and unapplied cash (which sum every receipt and allocation).
 */
export async function agingBuckets(
  db: Db,
  ctx: Ctx,
  filter: { ownerId?: string; orgUnitIds?: string[] },
): Promise<Record<'notDue' | 'd1_30' | 'd31_60' | 'd61_90' | 'over90', bigint>> {
  const asOf = await today(db);
  const where = whereAll(
    visibleReceivables(ctx),
    filter.ownerId ? eq(customers.ownerId, filter.ownerId) : undefined,
    filter.orgUnitIds ? inArray(customers.orgUnitId, filter.orgUnitIds) : undefined,
  );
  const [row] = await queryRows<Record<string, string>>(
    db,
    sql`select ${bucketSums} from (${openItemsSql(asOf)}) o
      join customers on customers.id = o.customer_id where ${where ?? sql`true`}`,
  );
  return {
    notDue: BigInt(row?.not_due ?? 0),
    d1_30: BigInt(row?.d1_30 ?? 0),
    d31_60: BigInt(row?.d31_60 ?? 0),
    d61_90: BigInt(row?.d61_90 ?? 0),
    over90: BigInt(row?.over_90 ?? 0),
  };
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
