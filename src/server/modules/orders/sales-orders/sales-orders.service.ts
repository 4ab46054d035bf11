import { createHash } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { and, asc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  SalesOrderCreate,
  SalesOrderUpdate,
  salesOrderLineInput,
} from '../../../../contracts/sales-orders.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { roles } from '../../../platform/access/schema.js';
import { submitForApproval, withdrawApproval } from '../../../platform/approvals/approvals.service.js';
import type { PolicyRule } from '../../../platform/approvals/policy.js';
import { defineApprovalType } from '../../../platform/approvals/registry.js';
import { approvalRequests } from '../../../platform/approvals/schema.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Ctx } from '../../../platform/context.js';
import {
  AppError,
  invalidField,
  invalidReference,
  notFound,
  versionConflict,
} from '../../../platform/errors.js';
import { whereAll } from '../../../platform/http/pagination.js';
import type { Locale } from '../../../platform/i18n/locale.js';
import { defineNotificationEvent, notify } from '../../../platform/notifications/notify.js';
import { defineNumbering, nextNumber } from '../../../platform/numbering/numbering.js';
import { companyTimeZone, dayIn } from '../../../platform/settings/settings.service.js';
import { visibleCustomers } from '../../customers/customers.service.js';
import { contacts, customers } from '../../customers/schema.js';
import { userRoles, users } from '../../org/schema.js';
import { defineContractFacts } from '../../sales/contract-ledger.js';
import { contracts } from '../../sales/contracts.schema.js';
import { getQuoteForOrder } from '../../sales/quotes.service.js';
import { assertCustomerContact } from '../../sales/references.js';
import { products } from '../catalog/schema.js';
import { resolvePriceFor } from '../pricing/pricing.service.js';
import { formatQuantity, releaseReservation, reserveStock } from '../stock/ledger.js';
import { stockLevels, warehouses } from '../stock/schema.js';
import { creditExposure, defineCreditExposure } from './credit.js';
import {
  computeOrder,
  isOverCreditLimit,
  nextOrderState,
  type OrderLineInput,
  type SalesOrderEvent,
  type SalesOrderState,
  splitReservation,
} from './rules.js';
import { isVisibleOrder, linesOf, visibleOrders } from './sales-orders.queries.js';
import { productionRequests, salesOrderLines, salesOrders, shipmentLines, shipments } from './schema.js';

// Sales orders: creation (priced by resolution, or copied from an accepted quote), the credit
// check and stock reservation on confirm, production requests for what is short, cancel.

const ENTITY = 'sales_order';
export type SalesOrderRow = typeof salesOrders.$inferSelect;
type LineRow = typeof salesOrderLines.$inferSelect;

defineNumbering('sales_order', 'SO');
defineNumbering('production_request', 'RQ');

export { isVisibleOrder, visibleOrders } from './sales-orders.queries.js';

/** Reservation key of an order line: one per line, so a retried confirm reserves once. */
export const reservationKeyOf = (lineId: string) => `SO-LINE:${lineId}`;

// ---------------------------------------------------------------------------------------------
// Credit: the open-orders part of the exposure, the approval type

/**
 * Orders count against credit from confirmation until invoiced; drafts and cancelled ones do not,
 * nor do orders under a contract, whose installments the receivables part already counts.
 */
const NOT_EXPOSED: SalesOrderState[] = ['draft', 'pending_credit', 'cancelled'];

defineCreditExposure('open_orders', async (db, customerId) => {
  const [row] = await db
    .select({
      open: sql<string>`coalesce(sum(greatest(${salesOrders.total} - ${salesOrders.invoicedAmount}, 0)), 0)`,
    })
    .from(salesOrders)
    .where(
      and(
        eq(salesOrders.customerId, customerId),
        notInArray(salesOrders.state, NOT_EXPOSED),
        isNull(salesOrders.contractId),
      ),
    );
  return Number(row?.open ?? 0);
});

/** Credit overruns go to finance, then the director (the administrator may change the policy). */
export const DEFAULT_CREDIT_APPROVAL: PolicyRule[] = [
  {
    name: '超信用额度',
    conditions: [],
    steps: [
      {
        name: '财务审核',
        approver: { kind: 'role', role: 'finance', scope: 'company' },
        mode: 'any',
        skipIfNone: false,
      },
      {
        name: '总监审批',
        approver: { kind: 'role', role: 'director', scope: 'company' },
        mode: 'any',
        skipIfNone: false,
      },
    ],
  },
];

defineApprovalType({
  docType: 'sales_order.credit',
  label: { 'zh-CN': '订单超信用额度', en: 'Order over credit limit' },
  facts: [
    { key: 'amount', type: 'money', label: { 'zh-CN': '订单金额', en: 'Order amount' } },
    { key: 'overrun', type: 'money', label: { 'zh-CN': '超出额度', en: 'Over the limit by' } },
  ],
  defaultRules: DEFAULT_CREDIT_APPROVAL,
  async onDecision(tx, ctx, decision) {
    const [before] = await tx
      .select()
      .from(salesOrders)
      .where(eq(salesOrders.id, decision.docId))
      .for('update');
    if (before?.state !== 'pending_credit') return;
    if (decision.outcome === 'approved') {
      await reserveAndConfirm(tx, ctx, before, 'credit_approved');
      return;
    }
    await move(
      tx,
      ctx,
      before,
      'credit_rejected',
      {},
      decision.comment ? { creditComment: decision.comment } : {},
    );
  },
  canView: isVisibleOrder,
});

defineNotificationEvent('orders.production-request', {
  title: {
    'zh-CN': '生产/采购需求 {number}：{product} 缺 {quantity}',
    en: 'Production request {number}: {product} short by {quantity}',
  },
  body: {
    'zh-CN': '订单 {order} 在「{warehouse}」缺货 {quantity} {uom}（{product}），请安排生产或采购。',
    en: 'Order {order} is short of {quantity} {uom} of {product} at {warehouse}; arrange production or purchase.',
  },
  label: { 'zh-CN': '订单缺货，需生产或采购', en: 'An order is short of stock' },
});

// ---------------------------------------------------------------------------------------------
// Contract ledger figures

defineContractFacts('ordered', async (db, contractIds) => {
  const rows = await db
    .select({ id: salesOrders.contractId, amount: sql<string>`sum(${salesOrders.total})` })
    .from(salesOrders)
    .where(and(inArray(salesOrders.contractId, contractIds), notInArray(salesOrders.state, ['cancelled'])))
    .groupBy(salesOrders.contractId);
  return new Map(rows.map((r) => [r.id!, Number(r.amount)]));
});

defineContractFacts('shipped', async (db, contractIds) => {
  const rows = await db
    .select({ id: salesOrders.contractId, amount: sql<string>`sum(${shipmentLines.amount})` })
    .from(shipmentLines)
    .innerJoin(shipments, eq(shipments.id, shipmentLines.shipmentId))
    .innerJoin(salesOrders, eq(salesOrders.id, shipments.orderId))
    .where(
      and(inArray(salesOrders.contractId, contractIds), inArray(shipments.state, ['posted', 'delivered'])),
    )
    .groupBy(salesOrders.contractId);
  return new Map(rows.map((r) => [r.id!, Number(r.amount)]));
});

// ---------------------------------------------------------------------------------------------
// Writing

const STATE_LABELS: Record<SalesOrderState, Record<Locale, string>> = {
  draft: { 'zh-CN': '草稿', en: 'a draft' },
  pending_credit: { 'zh-CN': '信用审批中', en: 'awaiting credit approval' },
  confirmed: { 'zh-CN': '已确认', en: 'confirmed' },
  partially_shipped: { 'zh-CN': '部分发货', en: 'partially shipped' },
  shipped: { 'zh-CN': '已发货', en: 'shipped' },
  completed: { 'zh-CN': '已完成', en: 'completed' },
  cancelled: { 'zh-CN': '已取消', en: 'cancelled' },
};
const EVENT_LABELS: Record<SalesOrderEvent, Record<Locale, string>> = {
  edit: { 'zh-CN': '修改', en: 'changed' },
  confirm: { 'zh-CN': '确认', en: 'confirmed' },
  hold_credit: { 'zh-CN': '提交信用审批', en: 'sent for credit approval' },
  credit_approved: { 'zh-CN': '信用审批通过', en: 'credit-approved' },
  credit_rejected: { 'zh-CN': '信用审批驳回', en: 'credit-rejected' },
  cancel: { 'zh-CN': '取消', en: 'cancelled' },
  ship_part: { 'zh-CN': '发货', en: 'shipped' },
  ship_all: { 'zh-CN': '发货', en: 'shipped' },
  complete: { 'zh-CN': '完成', en: 'completed' },
};

export const orderWrongState = (ctx: Ctx, state: SalesOrderState, event: SalesOrderEvent) =>
  new AppError('sales_order_wrong_state', {
    state: STATE_LABELS[state][ctx.locale],
    action: EVENT_LABELS[event][ctx.locale],
  });

/** The order row locked for a change, if the actor can see it and (when given) at that version. */
export async function lockOrder(tx: Db, ctx: Ctx, id: string, version?: number): Promise<SalesOrderRow> {
  const [row] = await tx
    .select()
    .from(salesOrders)
    .where(whereAll(eq(salesOrders.id, id), visibleOrders(ctx)))
    .for('update');
  if (!row) throw notFound();
  if (version !== undefined && row.version !== version) throw versionConflict();
  return row;
}

/** Applies a state event with its audit row; refuses an event the state does not allow. */
export async function move(
  tx: Db,
  ctx: Ctx,
  before: SalesOrderRow,
  event: SalesOrderEvent,
  set: Partial<typeof salesOrders.$inferInsert> = {},
  auditExtra: Record<string, unknown> = {},
): Promise<SalesOrderRow> {
  const state = nextOrderState(before.state, event);
  if (!state) throw orderWrongState(ctx, before.state, event);
  const [after] = await tx
    .update(salesOrders)
    .set({ ...set, state, updatedAt: sql`now()`, version: sql`${salesOrders.version} + 1` })
    .where(eq(salesOrders.id, before.id))
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

type LineInput = z.infer<typeof salesOrderLineInput>;

interface PreparedLine {
  productId: string;
  quantity: string;
  warehouseId: string;
  taxRate: string;
  listPrice: number;
  floor: number | null;
  priceSource: 'resolved' | 'entered' | 'quote';
  input: OrderLineInput;
}

/** The first active warehouse by code: where a line ships from when nobody chose. */
async function defaultWarehouse(tx: Db): Promise<string> {
  const [w] = await tx
    .select({ id: warehouses.id })
    .from(warehouses)
    .where(and(eq(warehouses.status, 'active'), eq(warehouses.kind, 'warehouse')))
    .orderBy(asc(warehouses.code))
    .limit(1);
  const [any] = w
    ? [w]
    : await tx
        .select({ id: warehouses.id })
        .from(warehouses)
        .where(eq(warehouses.status, 'active'))
        .orderBy(asc(warehouses.code))
        .limit(1);
  if (!any) throw new AppError('sales_order_no_warehouse');
  return any.id;
}

async function assertWarehouses(tx: Db, ids: { path: string; id: string }[]) {
  const unique = [...new Set(ids.map((i) => i.id))];
  if (!unique.length) return;
  const rows = await tx
    .select({ id: warehouses.id })
    .from(warehouses)
    .where(and(inArray(warehouses.id, unique), eq(warehouses.status, 'active')));
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.find((i) => !found.has(i.id));
  if (missing) throw invalidReference(missing.path);
}

/** Prices the lines (resolution, an entered price above the floor) or copies an accepted quote's. */
async function prepareLines(
  tx: Db,
  ctx: Ctx,
  o: { customerId: string; channel: SalesOrderRow['channel']; quoteId: string | null; date: string },
  input: { lines?: LineInput[] | undefined; warehouseId?: string | undefined },
): Promise<PreparedLine[]> {
  const orderWarehouse = input.warehouseId ?? null;
  if (orderWarehouse) await assertWarehouses(tx, [{ path: 'warehouseId', id: orderWarehouse }]);
  const fallback = async () => orderWarehouse ?? (await defaultWarehouse(tx));
  if (o.quoteId) {
    if (input.lines?.length) throw invalidField('lines', 'invalid');
    let quote: Awaited<ReturnType<typeof getQuoteForOrder>>;
    try {
      quote = await getQuoteForOrder(tx, ctx, o.quoteId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') throw invalidReference('quoteId');
      throw err;
    }
    if (quote.customerId !== o.customerId) throw invalidReference('quoteId');
    const warehouseId = await fallback();
    return quote.current.lines.map((l) => ({
      productId: l.productId,
      quantity: l.quantity,
      warehouseId,
      taxRate: l.taxRate,
      listPrice: l.listPrice,
      floor: l.floorPrice,
      priceSource: 'quote',
      input: {
        quantity: l.quantity,
        listPrice: l.listPrice,
        taxRate: l.taxRate,
        // The accepted quote is what the customer agreed to, whole-quote discount included.
        fixed: {
          amount: l.netAmount,
          tax: l.tax,
          unitPrice: l.unitPrice,
          discountPercent: l.discountPercent,
        },
      },
    }));
  }
  const lines = input.lines ?? [];
  if (!lines.length) throw invalidField('lines', 'required');
  const productRows = await tx
    .select({ id: products.id, status: products.status, taxRate: products.taxRate, sku: products.sku })
    .from(products)
    .where(
      inArray(
        products.id,
        lines.map((l) => l.productId),
      ),
    );
  const byId = new Map(productRows.map((p) => [p.id, p]));
  lines.forEach((l, i) => {
    const p = byId.get(l.productId);
    if (p?.status !== 'active') throw invalidReference(`lines.${i}.productId`);
  });
  await assertWarehouses(
    tx,
    lines.flatMap((l, i) => (l.warehouseId ? [{ path: `lines.${i}.warehouseId`, id: l.warehouseId }] : [])),
  );
  const warehouseId = await fallback();
  const prepared: PreparedLine[] = [];
  for (const l of lines) {
    const product = byId.get(l.productId)!;
    const resolved = await resolvePriceFor(tx, {
      productId: l.productId,
      customerId: o.customerId,
      channel: o.channel,
      date: o.date,
      quantity: l.quantity,
    });
    const taxRate = l.taxRate ?? new Decimal(product.taxRate).toFixed();
    prepared.push({
      productId: l.productId,
      quantity: l.quantity,
      warehouseId: l.warehouseId ?? warehouseId,
      taxRate,
      listPrice: resolved.unitPrice,
      floor: resolved.floor,
      priceSource: l.unitPrice !== undefined ? 'entered' : 'resolved',
      input: {
        quantity: l.quantity,
        listPrice: resolved.unitPrice,
        discountPercent: l.discountPercent,
        unitPrice: l.unitPrice,
        taxRate,
        floor: resolved.floor,
      },
    });
  }
  return prepared;
}

/** Computes the money and refuses a price below the floor (quote lines were approved already). */
async function priceOrThrow(tx: Db, prepared: PreparedLine[]) {
  const money = computeOrder(prepared.map((p) => p.input));
  const below = money.lines.findIndex((l) => l.belowFloor);
  if (below >= 0) {
    const [p] = await tx
      .select({ sku: products.sku })
      .from(products)
      .where(eq(products.id, prepared[below]!.productId));
    throw new AppError('sales_order_below_floor', {
      sku: p?.sku ?? '',
      floor: ((prepared[below]!.floor ?? 0) / 100).toFixed(2),
    });
  }
  return money;
}

async function writeLines(
  tx: Db,
  orderId: string,
  prepared: PreparedLine[],
  money: ReturnType<typeof computeOrder>,
) {
  return tx
    .insert(salesOrderLines)
    .values(
      prepared.map((p, i) => ({
        orderId,
        seq: i + 1,
        productId: p.productId,
        quantity: p.quantity,
        listPrice: p.listPrice,
        discountPercent: money.lines[i]!.discountPercent,
        unitPrice: money.lines[i]!.unitPrice,
        priceSource: p.priceSource,
        floorPrice: p.floor,
        taxRate: p.taxRate,
        amount: money.lines[i]!.amount,
        tax: money.lines[i]!.tax,
        warehouseId: p.warehouseId,
      })),
    )
    .returning();
}

/** A stable fingerprint of a request body: the same body → the same hash, whatever the key order. */
export function requestHash(body: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .filter(([, x]) => x !== undefined)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex');
}

export interface CreateSalesOrderOptions {
  /** Idempotency-Key: a retry with the same body answers the first order. */
  idempotencyKey?: string | undefined;
  /** Another owner than the customer's (demo data). */
  owner?: { ownerId: string; orgUnitId: string };
  /** Backdating for a data generator: also the order and pricing date. */
  createdAt?: Date;
}

/** Creates a draft order; returns its id and whether an earlier request with the same key made it. */
export async function createSalesOrder(
  db: Db,
  ctx: Ctx,
  input: SalesOrderCreate,
  options: CreateSalesOrderOptions = {},
): Promise<{ id: string; replayed: boolean }> {
  const key = options.idempotencyKey;
  const hash = key ? requestHash(input) : null;
  const replay = async (tx: Db) => {
    if (!key) return null;
    const [prior] = await tx
      .select({ id: salesOrders.id, hash: salesOrders.requestHash })
      .from(salesOrders)
      .where(eq(salesOrders.idempotencyKey, key));
    if (!prior) return null;
    if (prior.hash !== hash) throw new AppError('idempotency_key_reused');
    if (!(await isVisibleOrder(tx, ctx, prior.id))) throw new AppError('idempotency_key_reused');
    return { id: prior.id, replayed: true };
  };
  return withTx(db, async (tx) => {
    const first = await replay(tx);
    if (first) return first;
    const [customer] = await tx
      .select({ id: customers.id, ownerId: customers.ownerId, orgUnitId: customers.orgUnitId })
      .from(customers)
      .where(
        whereAll(eq(customers.id, input.customerId), isNull(customers.mergedIntoId), visibleCustomers(ctx)),
      );
    if (!customer) throw invalidReference('customerId');
    if (input.contactId) await assertCustomerContact(tx, input.customerId, input.contactId);
    const contract = input.contractId
      ? await assertActiveContract(tx, input.customerId, input.contractId)
      : null;
    const contactId =
      input.contactId ?? (await defaultContact(tx, input.customerId, contract?.contactId ?? null));
    const at = options.createdAt ?? new Date();
    const date = dayIn(await companyTimeZone(tx), at);
    const prepared = await prepareLines(
      tx,
      ctx,
      { customerId: input.customerId, channel: input.channel, quoteId: input.quoteId ?? null, date },
      input,
    );
    const money = await priceOrThrow(tx, prepared);
    const owner =
      options.owner ??
      (customer.ownerId
        ? { ownerId: customer.ownerId, orgUnitId: customer.orgUnitId }
        : { ownerId: ctx.actor!.userId, orgUnitId: ctx.actor!.orgUnitId });
    const [order] = await tx
      .insert(salesOrders)
      .values({
        number: await nextNumber(tx, 'sales_order', at),
        customerId: input.customerId,
        contactId,
        channel: input.channel,
        contractId: input.contractId ?? null,
        quoteId: input.quoteId ?? null,
        orderDate: date,
        total: money.total,
        tax: money.tax,
        notes: input.notes ?? null,
        ...owner,
        idempotencyKey: key ?? null,
        requestHash: hash,
        createdBy: ctx.actor?.userId ?? null,
        createdAt: at,
        updatedAt: at,
      })
      .onConflictDoNothing()
      .returning();
    if (!order) {
      // Another request with the same key committed first.
      const again = await replay(tx);
      if (again) return again;
      throw new AppError('idempotency_key_reused');
    }
    const lines = await writeLines(tx, order.id, prepared, money);
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: ENTITY,
      entityId: order.id,
      after: { ...order, lines: lines.map(lineSummary) },
    });
    return { id: order.id, replayed: false };
  });
}

const lineSummary = (l: LineRow) =>
  `${l.productId} × ${formatQuantity(l.quantity)} @ ${l.unitPrice} = ${l.amount} (${l.warehouseId})`;

/** The active contract of that customer (else 400 on `contractId`), with its contact. */
async function assertActiveContract(tx: Db, customerId: string, contractId: string) {
  const [contract] = await tx
    .select({ id: contracts.id, contactId: contracts.contactId })
    .from(contracts)
    .where(
      and(eq(contracts.id, contractId), eq(contracts.customerId, customerId), eq(contracts.state, 'active')),
    );
  if (!contract) throw invalidReference('contractId');
  return contract;
}

/** Who hears about the order when none is given: the contract's contact, else the customer's primary one. */
async function defaultContact(tx: Db, customerId: string, contractContactId: string | null) {
  if (contractContactId) return contractContactId;
  const [primary] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(
      and(eq(contacts.customerId, customerId), eq(contacts.isPrimary, true), isNull(contacts.archivedAt)),
    );
  return primary?.id ?? null;
}

/** Prices an order as the form is filled in, writing nothing (the floor is reported, not refused). */
export async function previewSalesOrder(db: Db, ctx: Ctx, input: SalesOrderCreate) {
  const [customer] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(whereAll(eq(customers.id, input.customerId), visibleCustomers(ctx)));
  if (!customer) throw invalidReference('customerId');
  const prepared = await prepareLines(
    db,
    ctx,
    {
      customerId: input.customerId,
      channel: input.channel,
      quoteId: input.quoteId ?? null,
      date: dayIn(await companyTimeZone(db)),
    },
    input,
  );
  const money = computeOrder(prepared.map((p) => p.input));
  return {
    lines: prepared.map((p, i) => ({
      productId: p.productId,
      listPrice: p.listPrice,
      floorPrice: p.floor,
      unitPrice: money.lines[i]!.unitPrice,
      discountPercent: money.lines[i]!.discountPercent,
      taxRate: p.taxRate,
      amount: money.lines[i]!.amount,
      tax: money.lines[i]!.tax,
      belowFloor: money.lines[i]!.belowFloor,
    })),
    total: money.total,
    tax: money.tax,
    totalExclTax: money.totalExclTax,
  };
}

/** Changes a draft (versioned); new lines are priced again as of today. */
export async function updateSalesOrder(db: Db, ctx: Ctx, id: string, input: SalesOrderUpdate) {
  return withTx(db, async (tx) => {
    const before = await lockOrder(tx, ctx, id, input.version);
    if (before.state !== 'draft') throw orderWrongState(ctx, before.state, 'edit');
    if (input.contactId) await assertCustomerContact(tx, before.customerId, input.contactId);
    const channel = input.channel ?? before.channel;
    const set: Partial<typeof salesOrders.$inferInsert> = {
      channel,
      ...(input.contactId !== undefined ? { contactId: input.contactId } : {}),
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
    };
    let lineAudit: Record<string, unknown> = {};
    if (input.lines || input.warehouseId || input.channel) {
      if (before.quoteId && input.lines) throw invalidField('lines', 'invalid');
      const oldLines = await tx.select().from(salesOrderLines).where(eq(salesOrderLines.orderId, id));
      const lines =
        input.lines ??
        (before.quoteId
          ? undefined
          : oldLines
              .sort((a, b) => a.seq - b.seq)
              .map((l) => ({
                productId: l.productId,
                quantity: formatQuantity(l.quantity),
                ...(l.priceSource === 'entered'
                  ? { unitPrice: l.unitPrice }
                  : { discountPercent: l.discountPercent }),
                taxRate: new Decimal(l.taxRate).toFixed(),
                ...(input.warehouseId ? {} : { warehouseId: l.warehouseId }),
              })));
      const prepared = await prepareLines(
        tx,
        ctx,
        {
          customerId: before.customerId,
          channel,
          quoteId: before.quoteId,
          date: dayIn(await companyTimeZone(tx)),
        },
        { lines, warehouseId: input.warehouseId },
      );
      const money = await priceOrThrow(tx, prepared);
      await tx.delete(salesOrderLines).where(eq(salesOrderLines.orderId, id));
      const written = await writeLines(tx, id, prepared, money);
      Object.assign(set, { total: money.total, tax: money.tax });
      lineAudit = { lines: written.map(lineSummary) };
    }
    await move(tx, ctx, before, 'edit', set, lineAudit);
    return id;
  });
}

/**
 * Confirms a draft: the credit check first (exposure = every registered part + this order, above
 * the customer's limit → pending_credit and an approval request), then the stock.
 */
export async function confirmSalesOrder(db: Db, ctx: Ctx, id: string, input: { version: number }) {
  return withTx(db, async (tx) => {
    const before = await lockOrder(tx, ctx, id, input.version);
    if (before.state !== 'draft') throw orderWrongState(ctx, before.state, 'confirm');
    const [customer] = await tx
      .select({ name: customers.name, creditLimit: customers.creditLimit })
      .from(customers)
      .where(eq(customers.id, before.customerId))
      .for('update');
    const limit =
      customer?.creditLimit === null || customer?.creditLimit === undefined
        ? null
        : Number(customer.creditLimit);
    const exposure = await creditExposure(tx, before.customerId);
    const total = exposure.total + before.total;
    if (isOverCreditLimit(total, limit)) {
      const held = await move(
        tx,
        ctx,
        before,
        'hold_credit',
        {},
        { exposure: exposure.parts, creditLimit: limit },
      );
      const approval = await submitForApproval(tx, ctx, {
        docType: 'sales_order.credit',
        docId: id,
        title: `订单 ${held.number} · ${customer!.name} · ¥${(before.total / 100).toFixed(2)} · 超额度 ¥${((total - limit!) / 100).toFixed(2)}`,
        link: `/orders/sales-orders/${id}`,
        facts: { amount: before.total, overrun: total - limit! },
      });
      if (approval.requestId) {
        await tx
          .update(salesOrders)
          .set({ approvalRequestId: approval.requestId })
          .where(eq(salesOrders.id, id));
      }
      return id;
    }
    await reserveAndConfirm(tx, ctx, before, 'confirm');
    return id;
  });
}

/** Users holding the warehouse role: they receive production requests. */
async function warehouseUsers(tx: Db): Promise<string[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(and(eq(roles.key, 'warehouse'), eq(users.status, 'active')));
  return [...new Set(rows.map((r) => r.id))];
}

/**
 * Reserves each line at its warehouse as far as stock allows (the level row locked, so the
 * figure read is the figure reserved against); what is short becomes an open production request
 * and the order is confirmed with `shortage`.
 */
async function reserveAndConfirm(
  tx: Db,
  ctx: Ctx,
  before: SalesOrderRow,
  event: 'confirm' | 'credit_approved',
) {
  const lines = await linesOf(tx, before.id);
  let shortage = false;
  const notices: {
    number: string;
    id: string;
    sku: string;
    product: string;
    uom: string;
    warehouse: string;
    quantity: string;
  }[] = [];
  for (const { line, ...info } of lines) {
    const [level] = await tx
      .select({ onHand: stockLevels.onHand, reserved: stockLevels.reserved })
      .from(stockLevels)
      .where(and(eq(stockLevels.warehouseId, line.warehouseId), eq(stockLevels.productId, line.productId)))
      .for('update');
    const available = level ? new Decimal(level.onHand).minus(level.reserved).toFixed() : '0';
    const { reserve, short } = splitReservation(formatQuantity(line.quantity), available);
    if (new Decimal(reserve).greaterThan(0)) {
      await reserveStock(tx, ctx, {
        key: reservationKeyOf(line.id),
        warehouseId: line.warehouseId,
        productId: line.productId,
        quantity: reserve,
        sourceType: 'sales_order',
        sourceId: before.id,
        note: before.number,
      });
      await tx
        .update(salesOrderLines)
        .set({ reservedQuantity: reserve })
        .where(eq(salesOrderLines.id, line.id));
    }
    if (new Decimal(short).greaterThan(0)) {
      shortage = true;
      const [request] = await tx
        .insert(productionRequests)
        .values({
          number: await nextNumber(tx, 'production_request'),
          orderId: before.id,
          orderLineId: line.id,
          productId: line.productId,
          warehouseId: line.warehouseId,
          quantity: short,
          createdBy: ctx.actor?.userId ?? null,
        })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'create',
        entity: 'production_request',
        entityId: request!.id,
        after: request,
      });
      notices.push({
        number: request!.number,
        id: request!.id,
        sku: info.sku,
        product: info.productName,
        uom: info.uom,
        warehouse: info.warehouseName,
        quantity: short,
      });
    }
  }
  await move(tx, ctx, before, event, { shortage, confirmedAt: new Date() });
  if (notices.length) {
    const recipients = await warehouseUsers(tx);
    for (const n of notices) {
      await notify(tx, {
        userIds: recipients,
        event: 'orders.production-request',
        params: {
          number: n.number,
          product: `${n.sku} ${n.product}`,
          quantity: n.quantity,
          uom: n.uom,
          warehouse: n.warehouse,
          order: before.number,
        },
        link: '/orders/production-requests',
        entity: 'production_request',
        entityId: n.id,
      });
    }
  }
}

/** Cancels an order before anything shipped: reservations released, open production requests cancelled. */
export async function cancelSalesOrder(
  db: Db,
  ctx: Ctx,
  id: string,
  input: { version: number; reason?: string | undefined },
) {
  return withTx(db, async (tx) => {
    let before = await lockOrder(tx, ctx, id, input.version);
    if (before.state === 'pending_credit' && before.approvalRequestId) {
      // The submitter's own cancel withdraws the credit approval (the order passes through draft);
      // anyone else's leaves it in the inbox, where its decision no longer changes the order.
      const [request] = await tx
        .select({ submitterId: approvalRequests.submitterId, status: approvalRequests.status })
        .from(approvalRequests)
        .where(eq(approvalRequests.id, before.approvalRequestId));
      if (request?.status === 'pending' && request.submitterId === ctx.actor?.userId) {
        await withdrawApproval(tx, ctx, before.approvalRequestId, input.reason);
        before = await lockOrder(tx, ctx, id);
      }
    }
    const [posted] = await tx
      .select({ id: shipments.id })
      .from(shipments)
      .where(and(eq(shipments.orderId, id), inArray(shipments.state, ['posted', 'delivered'])))
      .limit(1);
    if (posted || !nextOrderState(before.state, 'cancel')) throw orderWrongState(ctx, before.state, 'cancel');
    const lines = await tx.select().from(salesOrderLines).where(eq(salesOrderLines.orderId, id));
    for (const line of lines) {
      if (new Decimal(line.reservedQuantity).greaterThan(0)) {
        await releaseReservation(tx, ctx, { key: reservationKeyOf(line.id) });
      }
    }
    const cancelled = await tx
      .update(productionRequests)
      .set({
        status: 'cancelled',
        closedAt: new Date(),
        closedBy: ctx.actor?.userId ?? null,
        note: input.reason ?? null,
        updatedAt: sql`now()`,
        version: sql`${productionRequests.version} + 1`,
      })
      .where(and(eq(productionRequests.orderId, id), eq(productionRequests.status, 'open')))
      .returning();
    for (const r of cancelled) {
      await recordAudit(tx, ctx, {
        action: 'cancel',
        entity: 'production_request',
        entityId: r.id,
        after: r,
      });
    }
    await move(tx, ctx, before, 'cancel', {
      cancelledAt: new Date(),
      cancelReason: input.reason ?? null,
    });
    return id;
  });
}

/**
 * For the invoicing service: adds `amount` fen (negative for a credit note) to what invoices
 * cover on the order. The open-orders credit exposure counts total − invoiced.
 */
export async function recordOrderInvoiced(tx: Db, ctx: Ctx, orderId: string, amount: number): Promise<void> {
  const [before] = await tx.select().from(salesOrders).where(eq(salesOrders.id, orderId)).for('update');
  if (!before) throw notFound();
  const [after] = await tx
    .update(salesOrders)
    .set({
      invoicedAmount: sql`greatest(${salesOrders.invoicedAmount} + ${amount}, 0)`,
      updatedAt: sql`now()`,
      version: sql`${salesOrders.version} + 1`,
    })
    .where(eq(salesOrders.id, orderId))
    .returning();
  await recordAudit(tx, ctx, { action: 'invoiced', entity: ENTITY, entityId: orderId, before, after });
}
