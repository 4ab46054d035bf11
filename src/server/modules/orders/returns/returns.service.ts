import { Decimal } from 'decimal.js';
import { and, asc, count, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  ReturnCreate,
  ReturnDetail,
  returnDecision,
  returnListQuery,
  returnReceive,
} from '../../../../contracts/returns.js';
import { returnCreate } from '../../../../contracts/returns.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { scopeFilter } from '../../../platform/access/scope.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Ctx } from '../../../platform/context.js';
import {
  AppError,
  invalidField,
  invalidReference,
  notFound,
  versionConflict,
} from '../../../platform/errors.js';
import { keyset, whereAll } from '../../../platform/http/pagination.js';
import { defineNumbering, nextNumber } from '../../../platform/numbering/numbering.js';
import { customers } from '../../customers/schema.js';
import { users } from '../../org/schema.js';
import { products } from '../catalog/schema.js';
import { createCreditNote } from '../invoicing/invoices.service.js';
import { creditNoteLines, creditNotes, invoiceLines, invoices } from '../invoicing/schema.js';
import { returnForViewer, seesOrderPrices } from '../sales-orders/prices.js';
import { lockOrder } from '../sales-orders/sales-orders.service.js';
import { salesOrderLines, salesOrders } from '../sales-orders/schema.js';
import { formatQuantity, type MovementLine, postMovements } from '../stock/ledger.js';
import { warehouses } from '../stock/schema.js';
import { refundedAmountOf, refundsOf } from './refunds.service.js';
import {
  allowedReturnActions,
  type BilledLine,
  COUNTING_STATES,
  firstExcess,
  nextReturnState,
  REFUNDABLE_STATES,
  type ReturnEvent,
  type ReturnState,
  refundDue,
  returnableQuantity,
  returnedValue,
  spreadOverInvoices,
} from './rules.js';
import { salesReturnLines, salesReturns } from './schema.js';

// Returns and exchanges (退换货). A rep requests a return of what was shipped, a manager approves
// it, the warehouse receives the goods back into stock (return_in through the stock ledger) and
// — in the same transaction — what was invoiced for them is credited (a credit note per invoice)
// and the commission hooks run. See docs/returns.md.

defineNumbering('sales_return', 'RA');

const RESOURCE = 'returns';
const ENTITY = 'sales_return';
type ReturnRow = typeof salesReturns.$inferSelect;

export const visibleReturns = (ctx: Ctx): SQL | undefined =>
  scopeFilter(ctx.actor, RESOURCE, { ownerId: salesReturns.ownerId, orgUnitId: salesReturns.orgUnitId });

// ---------------------------------------------------------------------------------------------
// Commission hook: a later issue reverses commissions on returned goods.

export interface ReturnReceivedEvent {
  returnId: string;
  number: string;
  type: 'return' | 'exchange';
  orderId: string;
  customerId: string;
  ownerId: string;
  lines: { orderLineId: string; productId: string; quantity: string; amount: number }[];
}
export type ReturnReceivedHandler = (tx: Db, ctx: Ctx, event: ReturnReceivedEvent) => Promise<void>;
const receivedHandlers: ReturnReceivedHandler[] = [];

/** Registers a handler run inside the receiving transaction (a throw rolls the receipt back). Returns an unregister function. */
export function onReturnReceived(fn: ReturnReceivedHandler): () => void {
  receivedHandlers.push(fn);
  return () => {
    const i = receivedHandlers.indexOf(fn);
    if (i >= 0) receivedHandlers.splice(i, 1);
  };
}

// ---------------------------------------------------------------------------------------------
// What may be returned

/** Per order line: quantity returned or requested on returns that still count (not rejected/cancelled). */
export async function returnedByOrderLine(
  db: Db,
  orderLineIds: string[],
  states: ReturnState[] = COUNTING_STATES,
) {
  if (!orderLineIds.length) return new Map<string, { quantity: string; amount: number }>();
  const rows = await db
    .select({
      orderLineId: salesReturnLines.orderLineId,
      quantity: sql<string>`sum(${salesReturnLines.quantity})`,
      amount: sql<string>`sum(round(${salesReturnLines.quantity} * ${salesReturnLines.unitPrice}))`,
    })
    .from(salesReturnLines)
    .innerJoin(salesReturns, eq(salesReturns.id, salesReturnLines.returnId))
    .where(and(inArray(salesReturnLines.orderLineId, orderLineIds), inArray(salesReturns.state, states)))
    .groupBy(salesReturnLines.orderLineId);
  return new Map(
    rows.map((r) => [r.orderLineId, { quantity: formatQuantity(r.quantity), amount: Number(r.amount) }]),
  );
}

/**
 * For the invoicing ceiling of `sales_order_line`: what came back on *returns* (not exchanges,
 * which ship the goods again) that were received, per order line. The order line may be invoiced
 * for at most its quantity − this quantity and its amount − this amount.
 */
export const returnedForInvoicing = async (db: Db, orderLineIds: string[]) => {
  if (!orderLineIds.length) return new Map<string, { quantity: string; amount: number }>();
  const rows = await db
    .select({
      orderLineId: salesReturnLines.orderLineId,
      quantity: sql<string>`sum(${salesReturnLines.quantity})`,
      amount: sql<string>`sum(round(${salesReturnLines.quantity} * ${salesReturnLines.unitPrice}))`,
    })
    .from(salesReturnLines)
    .innerJoin(salesReturns, eq(salesReturns.id, salesReturnLines.returnId))
    .where(
      and(
        inArray(salesReturnLines.orderLineId, orderLineIds),
        eq(salesReturns.type, 'return'),
        inArray(salesReturns.state, ['received', 'closed']),
      ),
    )
    .groupBy(salesReturnLines.orderLineId);
  return new Map(
    rows.map((r) => [r.orderLineId, { quantity: formatQuantity(r.quantity), amount: Number(r.amount) }]),
  );
};

async function orderLinesOf(db: Db, orderId: string) {
  return db
    .select({
      line: salesOrderLines,
      sku: products.sku,
      name: products.name,
      trackingMode: products.trackingMode,
    })
    .from(salesOrderLines)
    .innerJoin(products, eq(products.id, salesOrderLines.productId))
    .where(eq(salesOrderLines.orderId, orderId))
    .orderBy(asc(salesOrderLines.seq));
}

/** The order's lines with shipped, already returned and still returnable quantities. */
export async function returnableLines(db: Db, ctx: Ctx, orderId: string) {
  const [order] = await db
    .select({ id: salesOrders.id, number: salesOrders.number })
    .from(salesOrders)
    .where(whereAll(eq(salesOrders.id, orderId), ordersVisibleTo(ctx)));
  if (!order) throw notFound();
  const lines = await orderLinesOf(db, orderId);
  const returned = await returnedByOrderLine(
    db,
    lines.map((l) => l.line.id),
  );
  const sees = seesOrderPrices(ctx);
  return {
    orderId: order.id,
    orderNumber: order.number,
    lines: lines.map((l) => {
      const back = returned.get(l.line.id)?.quantity ?? '0';
      return returnForViewer(
        {
          orderLineId: l.line.id,
          productId: l.line.productId,
          sku: l.sku,
          productName: l.name,
          trackingMode: l.trackingMode,
          shipped: formatQuantity(l.line.shippedQuantity),
          returned: back,
          returnable: returnableQuantity(l.line.shippedQuantity, back).toFixed(),
          unitPrice: l.line.unitPrice,
        },
        sees,
      );
    }),
  };
}

const ordersVisibleTo = (ctx: Ctx) =>
  scopeFilter(ctx.actor, 'sales-orders', { ownerId: salesOrders.ownerId, orgUnitId: salesOrders.orgUnitId });

// ---------------------------------------------------------------------------------------------
// Request

export interface CreateReturnOptions {
  createdAt?: Date;
}

/** A return authorisation (requested). Each line ≤ shipped − already returned, else 422 and nothing written. */
export async function createReturn(db: Db, ctx: Ctx, raw: ReturnCreate, options: CreateReturnOptions = {}) {
  const input = returnCreate.parse(raw);
  const id = await withTx(db, async (tx) => {
    // Locking the order serialises returns of the same order (and its shipments).
    const order = await lockOrder(tx, ctx, input.orderId);
    const lines = await orderLinesOf(tx, order.id);
    const byId = new Map(lines.map((l) => [l.line.id, l]));
    input.lines.forEach((l, i) => {
      const found = byId.get(l.orderLineId);
      if (!found) throw invalidReference(`lines.${i}.orderLineId`);
      const serials = l.serialNos ?? [];
      if (found.trackingMode === 'serial') {
        if (!new Decimal(l.quantity).isInteger() || serials.length !== Number(l.quantity)) {
          throw invalidField(`lines.${i}.serialNos`, 'required');
        }
        if (new Set(serials).size !== serials.length) throw invalidField(`lines.${i}.serialNos`, 'invalid');
      } else if (serials.length) {
        throw invalidField(`lines.${i}.serialNos`, 'invalid');
      }
      if (found.trackingMode === 'batch' && !l.batchNo?.trim())
        throw invalidField(`lines.${i}.batchNo`, 'required');
      if (found.trackingMode !== 'batch' && l.batchNo?.trim())
        throw invalidField(`lines.${i}.batchNo`, 'invalid');
    });
    const returned = await returnedByOrderLine(
      tx,
      lines.map((l) => l.line.id),
    );
    const returnable = new Map(
      lines.map((l) => [
        l.line.id,
        returnableQuantity(l.line.shippedQuantity, returned.get(l.line.id)?.quantity ?? '0'),
      ]),
    );
    const excess = firstExcess(input.lines, returnable);
    if (excess) {
      const l = byId.get(excess.orderLineId)!;
      throw new AppError('return_exceeds_shipped', {
        sku: l.sku,
        wanted: excess.wanted.toFixed(),
        returnable: excess.returnable.toFixed(),
      });
    }
    const at = options.createdAt ?? new Date();
    const lineRows = input.lines.map((l) => {
      const found = byId.get(l.orderLineId)!;
      return {
        orderLineId: l.orderLineId,
        productId: found.line.productId,
        quantity: l.quantity,
        unitPrice: found.line.unitPrice,
        batchNo: l.batchNo?.trim() || null,
        serialNos: l.serialNos ?? [],
      };
    });
    const [row] = await tx
      .insert(salesReturns)
      .values({
        number: await nextNumber(tx, 'sales_return', at),
        orderId: order.id,
        customerId: order.customerId,
        type: input.type,
        reason: input.reason,
        note: input.note?.trim() || null,
        amount: lineRows.reduce((s, l) => s + returnedValue(l.quantity, l.unitPrice), 0),
        ownerId: order.ownerId,
        orgUnitId: order.orgUnitId,
        createdBy: ctx.actor?.userId ?? null,
        createdAt: at,
        updatedAt: at,
      })
      .returning();
    const inserted = await tx
      .insert(salesReturnLines)
      .values(lineRows.map((l) => ({ ...l, returnId: row!.id })))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: ENTITY,
      entityId: row!.id,
      after: { ...row!, orderNumber: order.number, lines: inserted },
    });
    return row!.id;
  });
  return getReturn(db, ctx, id);
}

// ---------------------------------------------------------------------------------------------
// Decisions

async function lockReturn(tx: Db, ctx: Ctx, id: string): Promise<ReturnRow> {
  const [row] = await tx
    .select()
    .from(salesReturns)
    .where(whereAll(eq(salesReturns.id, id), visibleReturns(ctx)))
    .for('update');
  if (!row) throw notFound();
  return row;
}

const STATE_LABELS: Record<ReturnState, { 'zh-CN': string; en: string }> = {
  requested: { 'zh-CN': '待审批', en: 'requested' },
  approved: { 'zh-CN': '已批准', en: 'approved' },
  received: { 'zh-CN': '已收货', en: 'received' },
  closed: { 'zh-CN': '已关闭', en: 'closed' },
  rejected: { 'zh-CN': '已驳回', en: 'rejected' },
  cancelled: { 'zh-CN': '已取消', en: 'cancelled' },
};
const EVENT_LABELS: Record<ReturnEvent, { 'zh-CN': string; en: string }> = {
  approve: { 'zh-CN': '批准', en: 'approved' },
  reject: { 'zh-CN': '驳回', en: 'rejected' },
  cancel: { 'zh-CN': '取消', en: 'cancelled' },
  receive: { 'zh-CN': '收货', en: 'received' },
  close: { 'zh-CN': '关闭', en: 'closed' },
};
const wrongState = (ctx: Ctx, state: ReturnState, event: ReturnEvent) =>
  new AppError('return_wrong_state', {
    state: STATE_LABELS[state][ctx.locale],
    action: EVENT_LABELS[event][ctx.locale],
  });

async function move(
  tx: Db,
  ctx: Ctx,
  before: ReturnRow,
  event: ReturnEvent,
  set: Partial<typeof salesReturns.$inferInsert> = {},
  auditExtra: Record<string, unknown> = {},
) {
  const state = nextReturnState(before.state, event);
  if (!state) throw wrongState(ctx, before.state, event);
  const [after] = await tx
    .update(salesReturns)
    .set({ ...set, state, updatedAt: sql`now()`, version: sql`${salesReturns.version} + 1` })
    .where(eq(salesReturns.id, before.id))
    .returning();
  await recordAudit(tx, ctx, {
    action: event,
    entity: ENTITY,
    entityId: before.id,
    before,
    after: { ...after, ...auditExtra },
  });
  return after!;
}

/** approve / reject / cancel / close with the row's version (stale → 409). */
export async function decideReturn(
  db: Db,
  ctx: Ctx,
  id: string,
  event: 'approve' | 'reject' | 'cancel' | 'close',
  input: z.infer<typeof returnDecision>,
) {
  await withTx(db, async (tx) => {
    const before = await lockReturn(tx, ctx, id);
    if (!nextReturnState(before.state, event)) throw wrongState(ctx, before.state, event);
    if (before.version !== input.version) throw versionConflict();
    const comment = input.comment?.trim() || null;
    await move(
      tx,
      ctx,
      before,
      event,
      event === 'approve'
        ? { approvedBy: ctx.actor?.userId ?? null, approvedAt: new Date(), decisionComment: comment }
        : comment
          ? { decisionComment: comment }
          : {},
    );
  });
  return getReturn(db, ctx, id);
}

// ---------------------------------------------------------------------------------------------
// Receiving

/**
 * The warehouse receives the goods back (one transaction): return_in movements through the stock
 * ledger (posting key `return:<id>`), credit notes for what was invoiced, an exchange's order line
 * reopened for the replacement shipment, the commission hooks. Receiving a received return again
 * changes nothing and answers it as it is.
 */
export async function receiveReturn(db: Db, ctx: Ctx, id: string, input: z.infer<typeof returnReceive>) {
  await withTx(db, async (tx) => {
    const before = await lockReturn(tx, ctx, id);
    if (before.state === 'received' || before.state === 'closed') return; // a retry: already done
    if (!nextReturnState(before.state, 'receive')) throw wrongState(ctx, before.state, 'receive');
    if (before.version !== input.version) throw versionConflict();
    const [order] = await tx
      .select()
      .from(salesOrders)
      .where(eq(salesOrders.id, before.orderId))
      .for('update');
    const lines = await tx.select().from(salesReturnLines).where(eq(salesReturnLines.returnId, id));
    const orderLines = await tx
      .select()
      .from(salesOrderLines)
      .where(
        inArray(
          salesOrderLines.id,
          lines.map((l) => l.orderLineId),
        ),
      );
    const orderLineById = new Map(orderLines.map((l) => [l.id, l]));
    if (input.warehouseId) {
      const [wh] = await tx
        .select({ id: warehouses.id, status: warehouses.status })
        .from(warehouses)
        .where(eq(warehouses.id, input.warehouseId));
      if (wh?.status !== 'active') throw invalidReference('warehouseId');
    }

    // 1. Stock back on hand (serial units one by one).
    const movements: MovementLine[] = [];
    for (const l of lines) {
      const warehouseId = input.warehouseId ?? orderLineById.get(l.orderLineId)!.warehouseId;
      const base = { kind: 'return_in' as const, warehouseId, productId: l.productId, reason: before.number };
      if (l.serialNos.length) {
        for (const serialNo of l.serialNos) movements.push({ ...base, quantity: '1', serialNo });
      } else {
        movements.push({
          ...base,
          quantity: formatQuantity(l.quantity),
          ...(l.batchNo ? { batchNo: l.batchNo } : {}),
        });
      }
    }
    await postMovements(tx, ctx, {
      sourceType: 'sales_return',
      sourceId: id,
      postingKey: `return:${id}`,
      reason: `${order!.number} ${before.number}`,
      movements,
    });

    // 2. Credit what was invoiced (returns only: an exchange ships the goods again).
    let uncredited = 0;
    if (before.type === 'return') uncredited = await creditInvoiced(tx, ctx, before, lines);

    // 3. Exchange: the order line is open again by the exchanged quantity; the warehouse ships
    //    the replacement through the ordinary shipment (valued at 0: the line's amount has shipped).
    if (before.type === 'exchange') await reopenForExchange(tx, ctx, order!, before, lines, orderLineById);

    const after = await move(tx, ctx, before, 'receive', {
      warehouseId: input.warehouseId ?? null,
      receivedBy: ctx.actor?.userId ?? null,
      receivedAt: new Date(),
      uncreditedAmount: uncredited,
    });

    // 4. Commission hooks, in this transaction.
    const event: ReturnReceivedEvent = {
      returnId: id,
      number: after.number,
      type: after.type,
      orderId: after.orderId,
      customerId: after.customerId,
      ownerId: after.ownerId,
      lines: lines.map((l) => ({
        orderLineId: l.orderLineId,
        productId: l.productId,
        quantity: formatQuantity(l.quantity),
        amount: returnedValue(l.quantity, l.unitPrice),
      })),
    };
    for (const fn of receivedHandlers) await fn(tx, ctx, event);
  });
  return getReturn(db, ctx, id);
}

type ReturnLineRow = typeof salesReturnLines.$inferSelect;

/** One credit note per invoice that billed the returned lines; returns what could not be credited (fen). */
async function creditInvoiced(tx: Db, ctx: Ctx, ret: ReturnRow, lines: ReturnLineRow[]): Promise<number> {
  const billedRows = await tx
    .select({
      invoiceId: invoices.id,
      invoiceLineId: invoiceLines.id,
      orderLineId: invoiceLines.sourceId,
      quantity: invoiceLines.quantity,
      unitPrice: invoiceLines.unitPrice,
      credited: sql<string>`coalesce((select sum(${creditNoteLines.quantity}) from ${creditNoteLines} where ${creditNoteLines.invoiceLineId} = ${invoiceLines.id}), 0)`,
    })
    .from(invoiceLines)
    .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
    .where(
      and(
        eq(invoiceLines.sourceType, 'sales_order_line'),
        inArray(
          invoiceLines.sourceId,
          lines.map((l) => l.orderLineId),
        ),
        inArray(invoices.state, ['issued', 'partially_paid', 'paid']),
      ),
    )
    .orderBy(asc(invoices.createdAt), asc(invoiceLines.seq));
  const perInvoice = new Map<
    string,
    { invoiceLineId: string; quantity: string; amount: number; returnLineId: string }[]
  >();
  let uncredited = 0;
  for (const l of lines) {
    const billed: BilledLine[] = billedRows
      .filter((b) => b.orderLineId === l.orderLineId)
      .map((b) => ({
        invoiceId: b.invoiceId,
        invoiceLineId: b.invoiceLineId,
        creditableQuantity: Decimal.max(new Decimal(b.quantity).minus(b.credited), 0).toFixed(),
        unitPrice: b.unitPrice,
      }));
    const { credits } = spreadOverInvoices(formatQuantity(l.quantity), billed);
    for (const c of credits) {
      const list = perInvoice.get(c.invoiceId) ?? [];
      list.push({
        invoiceLineId: c.invoiceLineId,
        quantity: c.quantity,
        amount: c.amount,
        returnLineId: l.id,
      });
      perInvoice.set(c.invoiceId, list);
    }
  }
  // The credit note is the return's consequence: whoever receives the goods need not see invoices.
  const asSystem: Ctx = ctx.actor
    ? { ...ctx, actor: { ...ctx.actor, scopes: { ...ctx.actor.scopes, invoices: 'all' } } }
    : ctx;
  const creditedByLine = new Map<string, number>();
  for (const [invoiceId, credits] of perInvoice) {
    const [inv] = await tx.select().from(invoices).where(eq(invoices.id, invoiceId)).for('update');
    let open = inv!.total - inv!.creditedAmount - inv!.paidAmount;
    // Credit at most what is open; the rest is a refund due (uncreditedAmount).
    const noteLines: { invoiceLineId: string; quantity: string; amount: number; returnLineId: string }[] = [];
    for (const c of credits) {
      const amount = Math.min(c.amount, Math.max(open, 0));
      uncredited += c.amount - amount;
      open -= amount;
      if (amount > 0) noteLines.push({ ...c, amount });
    }
    if (!noteLines.length) continue;
    await createCreditNote(
      tx,
      asSystem,
      invoiceId,
      {
        reason: `退货 ${ret.number}`,
        version: inv!.version,
        lines: mergeByInvoiceLine(noteLines),
      },
      { returnId: ret.id },
    );
    for (const n of noteLines)
      creditedByLine.set(n.returnLineId, (creditedByLine.get(n.returnLineId) ?? 0) + n.amount);
  }
  for (const [lineId, amount] of creditedByLine) {
    await tx.update(salesReturnLines).set({ creditedAmount: amount }).where(eq(salesReturnLines.id, lineId));
  }
  return uncredited;
}

function mergeByInvoiceLine(lines: { invoiceLineId: string; quantity: string; amount: number }[]) {
  const merged = new Map<string, { invoiceLineId: string; quantity: string; amount: number }>();
  for (const l of lines) {
    const m = merged.get(l.invoiceLineId);
    if (m) {
      m.quantity = new Decimal(m.quantity).plus(l.quantity).toFixed();
      m.amount += l.amount;
    } else merged.set(l.invoiceLineId, { ...l });
  }
  return [...merged.values()];
}

async function reopenForExchange(
  tx: Db,
  ctx: Ctx,
  order: typeof salesOrders.$inferSelect,
  ret: ReturnRow,
  lines: ReturnLineRow[],
  orderLineById: Map<string, typeof salesOrderLines.$inferSelect>,
) {
  for (const l of lines) {
    const ol = orderLineById.get(l.orderLineId)!;
    const shipped = Decimal.max(new Decimal(ol.shippedQuantity).minus(l.quantity), 0).toFixed();
    await tx.update(salesOrderLines).set({ shippedQuantity: shipped }).where(eq(salesOrderLines.id, ol.id));
    ol.shippedQuantity = shipped;
  }
  if (order.state === 'shipped' || order.state === 'completed') {
    const [after] = await tx
      .update(salesOrders)
      .set({ state: 'partially_shipped', updatedAt: sql`now()`, version: sql`${salesOrders.version} + 1` })
      .where(eq(salesOrders.id, order.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'reopen_for_exchange',
      entity: 'sales_order',
      entityId: order.id,
      before: { state: order.state },
      after: { state: after!.state, return: ret.number },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

function selectReturns(db: Db) {
  return db
    .select({
      ret: salesReturns,
      orderNumber: salesOrders.number,
      customerName: customers.name,
      ownerName: users.name,
    })
    .from(salesReturns)
    .innerJoin(salesOrders, eq(salesOrders.id, salesReturns.orderId))
    .innerJoin(customers, eq(customers.id, salesReturns.customerId))
    .leftJoin(users, eq(users.id, salesReturns.ownerId));
}
type Selected = Awaited<ReturnType<ReturnType<typeof selectReturns>['where']>>[number];

const summary = (r: Selected) => ({
  id: r.ret.id,
  number: r.ret.number,
  orderId: r.ret.orderId,
  orderNumber: r.orderNumber,
  customerId: r.ret.customerId,
  customerName: r.customerName,
  type: r.ret.type,
  reason: r.ret.reason,
  state: r.ret.state,
  amount: r.ret.amount,
  ownerId: r.ret.ownerId,
  ownerName: r.ownerName,
  createdAt: r.ret.createdAt.toISOString(),
});

export async function listReturns(db: Db, ctx: Ctx, query: z.infer<typeof returnListQuery>) {
  const page = keyset(query, { createdAt: salesReturns.createdAt }, salesReturns.id, '-createdAt');
  const q = query.q?.trim();
  const filter = whereAll(
    visibleReturns(ctx),
    query.state ? eq(salesReturns.state, query.state) : undefined,
    query.type ? eq(salesReturns.type, query.type) : undefined,
    query.orderId ? eq(salesReturns.orderId, query.orderId) : undefined,
    query.customerId ? eq(salesReturns.customerId, query.customerId) : undefined,
    q
      ? or(
          eq(salesReturns.number, q.toUpperCase()),
          eq(salesOrders.number, q.toUpperCase()),
          sql`${customers.name} ilike ${`%${q.replace(/[\\%_]/g, '\\$&')}%`}`,
        )
      : undefined,
  );
  const rows = await selectReturns(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(salesReturns)
    .innerJoin(salesOrders, eq(salesOrders.id, salesReturns.orderId))
    .innerJoin(customers, eq(customers.id, salesReturns.customerId))
    .where(filter);
  const result = page.page(rows, n, (r) => [r.ret.createdAt, r.ret.id]);
  const sees = seesOrderPrices(ctx);
  return { ...result, items: result.items.map((r) => returnForViewer(summary(r), sees)) };
}

export async function getReturn(db: Db, ctx: Ctx, id: string): Promise<ReturnDetail> {
  const [row] = await selectReturns(db).where(whereAll(eq(salesReturns.id, id), visibleReturns(ctx)));
  if (!row) throw notFound();
  const lines = await db
    .select({ line: salesReturnLines, sku: products.sku, name: products.name })
    .from(salesReturnLines)
    .innerJoin(products, eq(products.id, salesReturnLines.productId))
    .innerJoin(salesOrderLines, eq(salesOrderLines.id, salesReturnLines.orderLineId))
    .where(eq(salesReturnLines.returnId, id))
    .orderBy(asc(salesOrderLines.seq));
  const notes = await db
    .select({
      id: creditNotes.id,
      number: creditNotes.number,
      invoiceId: creditNotes.invoiceId,
      total: creditNotes.total,
    })
    .from(creditNotes)
    .where(eq(creditNotes.returnId, id))
    .orderBy(asc(creditNotes.createdAt));
  const perms = ctx.actor?.permissions;
  const can = {
    create: !perms || perms.has('returns.create'),
    approve: !perms || perms.has('returns.approve'),
    receive: !perms || perms.has('returns.receive'),
    refund: !perms || perms.has('returns.refund'),
  };
  // Refunds (refunds.service.ts): what was paid back of the uncredited value and what is still due.
  const refundedAmount = await refundedAmountOf(db, id);
  const due = refundDue(row.ret.uncreditedAmount, refundedAmount);
  const refundable = can.refund && due > 0 && REFUNDABLE_STATES.includes(row.ret.state);
  const detail = {
    ...summary(row),
    note: row.ret.note,
    warehouseId: row.ret.warehouseId,
    decisionComment: row.ret.decisionComment,
    approvedAt: row.ret.approvedAt?.toISOString() ?? null,
    receivedAt: row.ret.receivedAt?.toISOString() ?? null,
    uncreditedAmount: row.ret.uncreditedAmount,
    refundedAmount,
    refundDue: due,
    refunds: await refundsOf(db, id),
    lines: lines.map((l) => ({
      id: l.line.id,
      orderLineId: l.line.orderLineId,
      productId: l.line.productId,
      sku: l.sku,
      productName: l.name,
      quantity: formatQuantity(l.line.quantity),
      unitPrice: l.line.unitPrice,
      batchNo: l.line.batchNo,
      serialNos: l.line.serialNos,
      creditedAmount: l.line.creditedAmount,
    })),
    creditNotes: notes,
    actions: [...allowedReturnActions(row.ret.state, can), ...(refundable ? (['refund'] as const) : [])],
    version: row.ret.version,
  };
  return returnForViewer(detail, seesOrderPrices(ctx));
}
