import { Decimal } from 'decimal.js';
import { asc, count, desc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { salesOrderListQuery } from '../../../../contracts/sales-orders.js';
import type { Db } from '../../../db/client.js';
import { scopeFilter } from '../../../platform/access/scope.js';
import { recordHistory } from '../../../platform/audit/audit.service.js';
import type { Ctx } from '../../../platform/context.js';
import { notFound } from '../../../platform/errors.js';
import { keyset, whereAll } from '../../../platform/http/pagination.js';
import { contacts, customers } from '../../customers/schema.js';
import { orgUnits, users } from '../../org/schema.js';
import { contracts } from '../../sales/contracts.schema.js';
import { quotes } from '../../sales/quotes.schema.js';
import { products } from '../catalog/schema.js';
import { formatQuantity } from '../stock/ledger.js';
import { warehouses } from '../stock/schema.js';
import { historyForViewer, orderForViewer, seesOrderPrices, summaryForViewer } from './prices.js';
import { allowedOrderActions } from './rules.js';
import { productionRequests, salesOrderLines, salesOrders, shipmentLines, shipments } from './schema.js';

// Reading sales orders: the scope, the list, the detail with lines, shipments and production
// requests. Writes are in sales-orders.service.ts.

const RESOURCE = 'sales-orders';
const ENTITY = 'sales_order';

/** Orders the actor may see: the sales-orders scope (own, team subtree, all). */
export const visibleOrders = (ctx: Ctx): SQL | undefined =>
  scopeFilter(ctx.actor, RESOURCE, { ownerId: salesOrders.ownerId, orgUnitId: salesOrders.orgUnitId });

export async function isVisibleOrder(db: Db, ctx: Ctx, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: salesOrders.id })
    .from(salesOrders)
    .where(whereAll(eq(salesOrders.id, id), visibleOrders(ctx)));
  return !!row;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function selectOrders(db: Db) {
  return db
    .select({
      order: salesOrders,
      customerName: customers.name,
      ownerName: users.name,
      orgUnitName: orgUnits.name,
    })
    .from(salesOrders)
    .innerJoin(customers, eq(customers.id, salesOrders.customerId))
    .innerJoin(users, eq(users.id, salesOrders.ownerId))
    .innerJoin(orgUnits, eq(orgUnits.id, salesOrders.orgUnitId));
}
type OrderJoin = Awaited<ReturnType<ReturnType<typeof selectOrders>['where']>>[number];

function presentSummary(r: OrderJoin) {
  const o = r.order;
  return {
    id: o.id,
    number: o.number,
    customerId: o.customerId,
    customerName: r.customerName,
    channel: o.channel,
    state: o.state,
    shortage: o.shortage,
    total: o.total,
    currency: o.currency,
    ownerId: o.ownerId,
    ownerName: r.ownerName,
    orgUnitName: r.orgUnitName,
    orderDate: o.orderDate,
    createdAt: o.createdAt.toISOString(),
  };
}

const escapeLike = (q: string) => `%${q.replace(/[\\%_]/g, '\\$&')}%`;

export async function listSalesOrders(db: Db, ctx: Ctx, query: z.infer<typeof salesOrderListQuery>) {
  const page = keyset(
    query,
    { createdAt: salesOrders.createdAt, total: salesOrders.total, number: salesOrders.number },
    salesOrders.id,
    '-createdAt',
  );
  const q = query.q?.trim();
  const filter = whereAll(
    visibleOrders(ctx),
    query.state ? eq(salesOrders.state, query.state) : undefined,
    query.customerId ? eq(salesOrders.customerId, query.customerId) : undefined,
    query.channel ? eq(salesOrders.channel, query.channel) : undefined,
    query.ownerId ? eq(salesOrders.ownerId, query.ownerId) : undefined,
    query.contractId ? eq(salesOrders.contractId, query.contractId) : undefined,
    query.who === 'mine' && ctx.actor ? eq(salesOrders.ownerId, ctx.actor.userId) : undefined,
    query.from ? gte(salesOrders.orderDate, query.from) : undefined,
    query.to ? lte(salesOrders.orderDate, query.to) : undefined,
    q
      ? sql`(${salesOrders.number} = ${q.toUpperCase()} or ${customers.name} ilike ${escapeLike(q)} or ${customers.namePinyin} ilike ${escapeLike(q.toLowerCase())})`
      : undefined,
  );
  const rows = await selectOrders(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(salesOrders)
    .innerJoin(customers, eq(customers.id, salesOrders.customerId))
    .where(filter);
  const key = query.sort?.replace(/^-/, '') ?? 'createdAt';
  const result = page.page(rows, n, (r) => [
    key === 'total' ? r.order.total : key === 'number' ? r.order.number : r.order.createdAt,
    r.order.id,
  ]);
  const sees = seesOrderPrices(ctx);
  return { ...result, items: result.items.map((r) => summaryForViewer(presentSummary(r), sees)) };
}

export async function linesOf(db: Db, orderId: string) {
  return db
    .select({
      line: salesOrderLines,
      sku: products.sku,
      productName: products.name,
      uom: products.uom,
      trackingMode: products.trackingMode,
      warehouseName: warehouses.name,
    })
    .from(salesOrderLines)
    .innerJoin(products, eq(products.id, salesOrderLines.productId))
    .innerJoin(warehouses, eq(warehouses.id, salesOrderLines.warehouseId))
    .where(eq(salesOrderLines.orderId, orderId))
    .orderBy(asc(salesOrderLines.seq));
}

export async function shipmentsOf(db: Db, orderIds: string[]) {
  if (!orderIds.length) return [];
  const heads = await db
    .select({
      shipment: shipments,
      orderNumber: salesOrders.number,
      customerName: customers.name,
      warehouseName: warehouses.name,
    })
    .from(shipments)
    .innerJoin(salesOrders, eq(salesOrders.id, shipments.orderId))
    .innerJoin(customers, eq(customers.id, salesOrders.customerId))
    .innerJoin(warehouses, eq(warehouses.id, shipments.warehouseId))
    .where(inArray(shipments.orderId, orderIds))
    .orderBy(asc(shipments.createdAt), asc(shipments.id));
  const lines = heads.length
    ? await db
        .select({ line: shipmentLines, sku: products.sku, productName: products.name })
        .from(shipmentLines)
        .innerJoin(products, eq(products.id, shipmentLines.productId))
        .where(
          inArray(
            shipmentLines.shipmentId,
            heads.map((h) => h.shipment.id),
          ),
        )
        .orderBy(asc(shipmentLines.id))
    : [];
  return heads.map((h) => {
    const s = h.shipment;
    return {
      id: s.id,
      number: s.number,
      orderId: s.orderId,
      orderNumber: h.orderNumber,
      customerName: h.customerName,
      warehouseId: s.warehouseId,
      warehouseName: h.warehouseName,
      state: s.state,
      carrier: s.carrier,
      trackingNo: s.trackingNo,
      postedAt: iso(s.postedAt),
      deliveredAt: iso(s.deliveredAt),
      signedBy: s.signedBy,
      amount: s.amount,
      lines: lines
        .filter((l) => l.line.shipmentId === s.id)
        .map((l) => ({
          id: l.line.id,
          orderLineId: l.line.orderLineId,
          productId: l.line.productId,
          sku: l.sku,
          productName: l.productName,
          quantity: formatQuantity(l.line.quantity),
          amount: l.line.amount,
          batchNo: l.line.batchNo,
          serialNos: l.line.serialNos,
        })),
      createdAt: s.createdAt.toISOString(),
      version: s.version,
    };
  });
}

export function selectProductionRequests(db: Db) {
  return db
    .select({
      request: productionRequests,
      orderNumber: salesOrders.number,
      sku: products.sku,
      productName: products.name,
      warehouseName: warehouses.name,
    })
    .from(productionRequests)
    .innerJoin(salesOrders, eq(salesOrders.id, productionRequests.orderId))
    .innerJoin(products, eq(products.id, productionRequests.productId))
    .innerJoin(warehouses, eq(warehouses.id, productionRequests.warehouseId));
}

export function presentProductionRequest(
  r: Awaited<ReturnType<ReturnType<typeof selectProductionRequests>['where']>>[number],
) {
  const p = r.request;
  return {
    id: p.id,
    number: p.number,
    orderId: p.orderId,
    orderNumber: r.orderNumber,
    productId: p.productId,
    sku: r.sku,
    productName: r.productName,
    warehouseId: p.warehouseId,
    warehouseName: r.warehouseName,
    quantity: formatQuantity(p.quantity),
    status: p.status,
    note: p.note,
    createdAt: p.createdAt.toISOString(),
    closedAt: iso(p.closedAt),
    version: p.version,
  };
}

export async function getSalesOrder(db: Db, ctx: Ctx, id: string) {
  const [row] = await selectOrders(db).where(whereAll(eq(salesOrders.id, id), visibleOrders(ctx)));
  if (!row) throw notFound();
  const o = row.order;
  const [contact] = o.contactId
    ? await db.select({ name: contacts.name }).from(contacts).where(eq(contacts.id, o.contactId))
    : [];
  const [contract] = o.contractId
    ? await db.select({ number: contracts.number }).from(contracts).where(eq(contracts.id, o.contractId))
    : [];
  const [quote] = o.quoteId
    ? await db.select({ number: quotes.number }).from(quotes).where(eq(quotes.id, o.quoteId))
    : [];
  const lines = await linesOf(db, id);
  const requests = await selectProductionRequests(db)
    .where(eq(productionRequests.orderId, id))
    .orderBy(asc(productionRequests.createdAt));
  const order = {
    ...presentSummary(row),
    contactId: o.contactId,
    contactName: contact?.name ?? null,
    contractId: o.contractId,
    contractNumber: contract?.number ?? null,
    quoteId: o.quoteId,
    quoteNumber: quote?.number ?? null,
    notes: o.notes,
    tax: o.tax,
    totalExclTax: o.total - o.tax,
    invoicedAmount: o.invoicedAmount,
    orgUnitId: o.orgUnitId,
    approvalRequestId: o.approvalRequestId,
    confirmedAt: iso(o.confirmedAt),
    cancelledAt: iso(o.cancelledAt),
    cancelReason: o.cancelReason,
    lines: lines.map(({ line: l, ...r }) => {
      const open = new Decimal(l.quantity).minus(l.shippedQuantity);
      return {
        id: l.id,
        seq: l.seq,
        productId: l.productId,
        sku: r.sku,
        productName: r.productName,
        uom: r.uom,
        trackingMode: r.trackingMode,
        quantity: formatQuantity(l.quantity),
        listPrice: l.listPrice,
        discountPercent: l.discountPercent,
        unitPrice: l.unitPrice,
        priceSource: l.priceSource,
        floorPrice: l.floorPrice,
        taxRate: new Decimal(l.taxRate).toFixed(),
        amount: l.amount,
        tax: l.tax,
        warehouseId: l.warehouseId,
        warehouseName: r.warehouseName,
        reservedQuantity: formatQuantity(l.reservedQuantity),
        shippedQuantity: formatQuantity(l.shippedQuantity),
        openQuantity: open.toFixed(),
        shortQuantity:
          o.state === 'draft' || o.state === 'pending_credit' || o.state === 'cancelled'
            ? '0'
            : Decimal.max(0, new Decimal(l.quantity).minus(l.reservedQuantity)).toFixed(),
      };
    }),
    shipments: await shipmentsOf(db, [id]),
    productionRequests: requests.map(presentProductionRequest),
    actions: allowedOrderActions(o.state),
    updatedAt: o.updatedAt.toISOString(),
    version: o.version,
  };
  return orderForViewer(order, seesOrderPrices(ctx));
}

export async function salesOrderHistory(db: Db, ctx: Ctx, id: string) {
  if (!(await isVisibleOrder(db, ctx, id))) throw notFound();
  const history = await recordHistory(db, ENTITY, id);
  return { items: historyForViewer(history.items, seesOrderPrices(ctx)) };
}

/** Orders of a customer, newest first (for other modules' pages). */
export async function ordersOfCustomer(db: Db, ctx: Ctx, customerId: string, limit = 20) {
  const rows = await selectOrders(db)
    .where(whereAll(eq(salesOrders.customerId, customerId), visibleOrders(ctx)))
    .orderBy(desc(salesOrders.createdAt))
    .limit(limit);
  const sees = seesOrderPrices(ctx);
  return rows.map((r) => summaryForViewer(presentSummary(r), sees));
}
