import { Decimal } from 'decimal.js';
import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { ShipmentCreate } from '../../../../contracts/sales-orders.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
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
import { defineJob, enqueueJob } from '../../../platform/jobs/jobs.js';
import { isSmtpUsable } from '../../../platform/notifications/delivery.js';
import { sendMail } from '../../../platform/notifications/email.js';
import { notificationSettings } from '../../../platform/notifications/schema.js';
import { defineNumbering, nextNumber } from '../../../platform/numbering/numbering.js';
import { contacts, customers } from '../../customers/schema.js';
import { products } from '../catalog/schema.js';
import { formatQuantity, type MovementLine, postMovements, releaseReservation } from '../stock/ledger.js';
import { stockReservations, warehouses } from '../stock/schema.js';
import { seesOrderPrices, shipmentForViewer } from './prices.js';
import { shippedAmount, stateAfterShipping } from './rules.js';
import { shipmentsOf } from './sales-orders.queries.js';
import {
  lockOrder,
  move,
  orderWrongState,
  requestHash,
  reservationKeyOf,
  type SalesOrderRow,
  visibleOrders,
} from './sales-orders.service.js';
import { salesOrderLines, salesOrders, shipmentLines, shipments } from './schema.js';

// Shipments (发货): one or several per order, each from one warehouse. Posting issues the stock
// (consuming the order line's reservation where it ships from the reserved warehouse), moves the
// order to partially_shipped / shipped and queues the customer's e-mail with the tracking number.

defineNumbering('shipment', 'SH');

export const SHIPMENT_MAIL_JOB = 'orders.shipment-mail';
type ShipmentRow = typeof shipments.$inferSelect;

/** Text messages to the customer: a provider adapter plugs in here later; the default sends nothing. */
export interface SmsSender {
  send(mobile: string, text: string): Promise<void>;
}
const noSms: SmsSender = { send: async () => undefined };
let smsSender: SmsSender = noSms;
export function setSmsSender(sender: SmsSender | null): void {
  smsSender = sender ?? noSms;
}

async function openByLine(tx: Db, orderId: string) {
  const lines = await tx
    .select({ line: salesOrderLines, sku: products.sku, trackingMode: products.trackingMode })
    .from(salesOrderLines)
    .innerJoin(products, eq(products.id, salesOrderLines.productId))
    .where(eq(salesOrderLines.orderId, orderId))
    .orderBy(asc(salesOrderLines.seq));
  return new Map(lines.map((l) => [l.line.id, l]));
}

type OrderLines = Awaited<ReturnType<typeof openByLine>>;

/** Each shipped line within what is still open on the order (ordered − shipped); else 422, nothing written. */
function assertWithinOrder(lines: OrderLines, wanted: { orderLineId: string; quantity: string }[]) {
  const totals = new Map<string, Decimal>();
  wanted.forEach((w, i) => {
    if (!lines.has(w.orderLineId)) throw invalidReference(`lines.${i}.orderLineId`);
    totals.set(w.orderLineId, (totals.get(w.orderLineId) ?? new Decimal(0)).plus(w.quantity));
  });
  for (const [lineId, quantity] of totals) {
    const { line, sku } = lines.get(lineId)!;
    const open = new Decimal(line.quantity).minus(line.shippedQuantity);
    if (quantity.greaterThan(open)) {
      throw new AppError('shipment_exceeds_order', {
        sku,
        wanted: quantity.toFixed(),
        open: open.toFixed(),
      });
    }
  }
}

/** A draft shipment (and with `post`, posted at once). Idempotency-Key: a retry answers the first. */
export async function createShipment(
  db: Db,
  ctx: Ctx,
  orderId: string,
  input: ShipmentCreate,
  idempotencyKey?: string,
): Promise<{ id: string; replayed: boolean }> {
  const hash = idempotencyKey ? requestHash({ orderId, ...input }) : null;
  return withTx(db, async (tx) => {
    const order = await lockOrder(tx, ctx, orderId);
    if (idempotencyKey) {
      const [prior] = await tx
        .select({ id: shipments.id, hash: shipments.requestHash })
        .from(shipments)
        .where(eq(shipments.idempotencyKey, idempotencyKey));
      if (prior) {
        if (prior.hash !== hash) throw new AppError('idempotency_key_reused');
        return { id: prior.id, replayed: true };
      }
    }
    if (order.state !== 'confirmed' && order.state !== 'partially_shipped') {
      throw orderWrongState(ctx, order.state, 'ship_part');
    }
    const [warehouse] = await tx
      .select({ id: warehouses.id })
      .from(warehouses)
      .where(and(eq(warehouses.id, input.warehouseId), eq(warehouses.status, 'active')));
    if (!warehouse) throw invalidReference('warehouseId');
    const lines = await openByLine(tx, orderId);
    assertWithinOrder(lines, input.lines);
    input.lines.forEach((l, i) => {
      const mode = lines.get(l.orderLineId)!.trackingMode;
      if (mode === 'serial') {
        const q = new Decimal(l.quantity);
        const serials = l.serialNos ?? [];
        if (!q.isInteger() || serials.length !== q.toNumber() || new Set(serials).size !== serials.length) {
          throw invalidField(`lines.${i}.serialNos`, 'invalid');
        }
      } else if (l.serialNos?.length) throw invalidField(`lines.${i}.serialNos`, 'invalid');
      if (mode === 'batch' && !l.batchNo) throw invalidField(`lines.${i}.batchNo`, 'required');
      if (mode !== 'batch' && l.batchNo) throw invalidField(`lines.${i}.batchNo`, 'invalid');
    });
    const [shipment] = await tx
      .insert(shipments)
      .values({
        number: await nextNumber(tx, 'shipment'),
        orderId,
        warehouseId: input.warehouseId,
        carrier: input.carrier || null,
        trackingNo: input.trackingNo || null,
        idempotencyKey: idempotencyKey ?? null,
        requestHash: hash,
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    const written = await tx
      .insert(shipmentLines)
      .values(
        input.lines.map((l) => ({
          shipmentId: shipment!.id,
          orderLineId: l.orderLineId,
          productId: lines.get(l.orderLineId)!.line.productId,
          quantity: l.quantity,
          batchNo: l.batchNo ?? null,
          serialNos: l.serialNos ?? [],
        })),
      )
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'shipment',
      entityId: shipment!.id,
      after: { ...shipment, lines: written.map((l) => `${l.orderLineId} × ${formatQuantity(l.quantity)}`) },
    });
    if (input.post) await postLocked(tx, ctx, order, shipment!);
    return { id: shipment!.id, replayed: false };
  });
}

async function lockShipment(tx: Db, ctx: Ctx, id: string, version?: number) {
  const [row] = await tx
    .select({ shipment: shipments })
    .from(shipments)
    .innerJoin(salesOrders, eq(salesOrders.id, shipments.orderId))
    .where(whereAll(eq(shipments.id, id), visibleOrders(ctx)));
  if (!row) throw notFound();
  // The order first, then the shipment: every writer takes the locks in this order.
  const order = await lockOrder(tx, ctx, row.shipment.orderId);
  const [shipment] = await tx.select().from(shipments).where(eq(shipments.id, id)).for('update');
  if (version !== undefined && shipment!.version !== version) throw versionConflict();
  return { order, shipment: shipment! };
}

export async function postShipment(
  db: Db,
  ctx: Ctx,
  id: string,
  input: { version: number; carrier?: string | undefined; trackingNo?: string | undefined },
) {
  return withTx(db, async (tx) => {
    const { order, shipment } = await lockShipment(tx, ctx, id, input.version);
    const patched =
      input.carrier !== undefined || input.trackingNo !== undefined
        ? {
            ...shipment,
            carrier: input.carrier ?? shipment.carrier,
            trackingNo: input.trackingNo ?? shipment.trackingNo,
          }
        : shipment;
    await postLocked(tx, ctx, order, patched);
    return id;
  });
}

/** Posts a draft shipment of a locked order: stock issued, quantities and amounts, order state, mail. */
async function postLocked(tx: Db, ctx: Ctx, order: SalesOrderRow, shipment: ShipmentRow) {
  if (shipment.state !== 'draft') throw new AppError('shipment_wrong_state');
  if (order.state !== 'confirmed' && order.state !== 'partially_shipped') {
    throw orderWrongState(ctx, order.state, 'ship_part');
  }
  const lines = await openByLine(tx, order.id);
  const toShip = await tx.select().from(shipmentLines).where(eq(shipmentLines.shipmentId, shipment.id));
  assertWithinOrder(
    lines,
    toShip.map((l) => ({ orderLineId: l.orderLineId, quantity: l.quantity })),
  );

  // What each line still has reserved (at its own warehouse) is consumed first.
  const keys = [...new Set(toShip.map((l) => reservationKeyOf(l.orderLineId)))];
  const reservations = await tx.select().from(stockReservations).where(inArray(stockReservations.key, keys));
  const reservable = new Map(
    reservations
      .filter((r) => r.status === 'active' && r.warehouseId === shipment.warehouseId)
      .map((r) => [r.key, new Decimal(r.quantity).minus(r.consumed).minus(r.released)]),
  );
  const movements: MovementLine[] = [];
  for (const l of toShip) {
    const key = reservationKeyOf(l.orderLineId);
    const base = { kind: 'issue' as const, warehouseId: shipment.warehouseId, productId: l.productId };
    const units = l.serialNos.length
      ? l.serialNos.map((serialNo) => ({ quantity: new Decimal(1), serialNo }))
      : [{ quantity: new Decimal(l.quantity), serialNo: undefined }];
    for (const unit of units) {
      const left = reservable.get(key) ?? new Decimal(0);
      const fromReservation = Decimal.min(left, unit.quantity);
      const rest = unit.quantity.minus(fromReservation);
      const lot = {
        ...(l.batchNo ? { batchNo: l.batchNo } : {}),
        ...(unit.serialNo ? { serialNo: unit.serialNo } : {}),
      };
      if (fromReservation.greaterThan(0)) {
        movements.push({ ...base, ...lot, quantity: fromReservation.toFixed(), reservationKey: key });
        reservable.set(key, left.minus(fromReservation));
      }
      if (rest.greaterThan(0)) movements.push({ ...base, ...lot, quantity: rest.toFixed() });
    }
  }
  await postMovements(tx, ctx, {
    sourceType: 'shipment',
    sourceId: shipment.id,
    postingKey: `shipment:${shipment.id}`,
    reason: `${order.number} ${shipment.number}`,
    movements,
  });

  // Amounts: each line's share of its order line, the completing shipment taking the rest.
  const shippedSoFar = await tx
    .select({ orderLineId: shipmentLines.orderLineId, amount: sql<string>`sum(${shipmentLines.amount})` })
    .from(shipmentLines)
    .innerJoin(shipments, eq(shipments.id, shipmentLines.shipmentId))
    .where(and(eq(shipments.orderId, order.id), inArray(shipments.state, ['posted', 'delivered'])))
    .groupBy(shipmentLines.orderLineId);
  const amountSoFar = new Map(shippedSoFar.map((r) => [r.orderLineId, Number(r.amount)]));
  const shippedQty = new Map([...lines].map(([id, l]) => [id, formatQuantity(l.line.shippedQuantity)]));
  let total = 0;
  for (const l of toShip) {
    const { line } = lines.get(l.orderLineId)!;
    const amount = shippedAmount(
      {
        quantity: line.quantity,
        amount: line.amount,
        shippedQuantity: shippedQty.get(line.id)!,
        shippedAmount: amountSoFar.get(line.id) ?? 0,
      },
      l.quantity,
    );
    total += amount;
    amountSoFar.set(line.id, (amountSoFar.get(line.id) ?? 0) + amount);
    shippedQty.set(line.id, new Decimal(shippedQty.get(line.id)!).plus(l.quantity).toFixed());
    await tx.update(shipmentLines).set({ amount }).where(eq(shipmentLines.id, l.id));
  }
  for (const [lineId, shipped] of shippedQty) {
    const { line } = lines.get(lineId)!;
    if (shipped === formatQuantity(line.shippedQuantity)) continue;
    await tx.update(salesOrderLines).set({ shippedQuantity: shipped }).where(eq(salesOrderLines.id, lineId));
    // A line shipped in full (perhaps from another warehouse) frees what is left of its reservation.
    if (
      new Decimal(shipped).greaterThanOrEqualTo(line.quantity) &&
      new Decimal(line.reservedQuantity).greaterThan(0)
    ) {
      await releaseReservation(tx, ctx, { key: reservationKeyOf(lineId) });
    }
  }
  const [after] = await tx
    .update(shipments)
    .set({
      state: 'posted',
      carrier: shipment.carrier,
      trackingNo: shipment.trackingNo,
      amount: total,
      postedAt: new Date(),
      postedBy: ctx.actor?.userId ?? null,
      updatedAt: sql`now()`,
      version: sql`${shipments.version} + 1`,
    })
    .where(eq(shipments.id, shipment.id))
    .returning();
  await recordAudit(tx, ctx, {
    action: 'post',
    entity: 'shipment',
    entityId: shipment.id,
    before: shipment,
    after,
  });
  const state = stateAfterShipping(
    [...lines.values()].map((l) => ({
      quantity: l.line.quantity,
      shippedQuantity: shippedQty.get(l.line.id)!,
    })),
  );
  await move(
    tx,
    ctx,
    order,
    state === 'shipped' ? 'ship_all' : 'ship_part',
    {},
    { shipment: shipment.number },
  );
  // The customer's mail goes out after commit, by the job worker: a mail failure never undoes a shipment.
  await enqueueJob(
    tx,
    SHIPMENT_MAIL_JOB,
    { shipmentId: shipment.id },
    { dedupeKey: `shipment:${shipment.id}` },
  );
}

/** Records delivery (签收): when every shipment of a fully shipped order is delivered, it is completed. */
export async function deliverShipment(
  db: Db,
  ctx: Ctx,
  id: string,
  input: { version: number; signedBy: string; deliveredAt?: string | undefined },
) {
  return withTx(db, async (tx) => {
    const { order, shipment } = await lockShipment(tx, ctx, id, input.version);
    if (shipment.state !== 'posted') throw new AppError('shipment_wrong_state');
    const deliveredAt = input.deliveredAt ? new Date(input.deliveredAt) : new Date();
    if (Number.isNaN(deliveredAt.getTime()) || deliveredAt.getTime() > Date.now() + 60_000) {
      throw invalidField('deliveredAt', 'invalid');
    }
    const [after] = await tx
      .update(shipments)
      .set({
        state: 'delivered',
        deliveredAt,
        signedBy: input.signedBy,
        updatedAt: sql`now()`,
        version: sql`${shipments.version} + 1`,
      })
      .where(eq(shipments.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'deliver',
      entity: 'shipment',
      entityId: id,
      before: shipment,
      after,
    });
    if (order.state === 'shipped') {
      const [undelivered] = await tx
        .select({ id: shipments.id })
        .from(shipments)
        .where(and(eq(shipments.orderId, order.id), eq(shipments.state, 'posted')))
        .limit(1);
      if (!undelivered) await move(tx, ctx, order, 'complete');
    }
    return id;
  });
}

export async function getShipment(db: Db, ctx: Ctx, id: string) {
  const [row] = await db
    .select({ orderId: shipments.orderId })
    .from(shipments)
    .innerJoin(salesOrders, eq(salesOrders.id, shipments.orderId))
    .where(whereAll(eq(shipments.id, id), visibleOrders(ctx)));
  if (!row) throw notFound();
  const all = await shipmentsOf(db, [row.orderId]);
  return shipmentForViewer(all.find((s) => s.id === id)!, seesOrderPrices(ctx));
}

// ---------------------------------------------------------------------------------------------
// The customer's shipping notice

/** The order's contact, else the customer's primary contact, else any contact with an address. */
async function recipientOf(db: Db, order: SalesOrderRow) {
  const rows = await db
    .select({
      id: contacts.id,
      name: contacts.name,
      email: contacts.email,
      mobile: contacts.mobile,
      isPrimary: contacts.isPrimary,
    })
    .from(contacts)
    .where(and(eq(contacts.customerId, order.customerId), sql`${contacts.archivedAt} is null`));
  const rank = (c: (typeof rows)[number]) => (c.id === order.contactId ? 0 : c.isPrimary ? 1 : 2);
  const ranked = rows.sort((a, b) => rank(a) - rank(b));
  return {
    email: ranked.find((c) => c.email)?.email ?? null,
    mobile: ranked.find((c) => c.mobile)?.mobile ?? null,
    name: ranked[0]?.name ?? null,
  };
}

export function shippingNotice(input: {
  customer: string;
  contact: string | null;
  order: string;
  shipment: string;
  carrier: string | null;
  trackingNo: string | null;
  lines: string[];
}) {
  const subject = `发货通知：订单 ${input.order} 已发货（${input.shipment}）`;
  const text = [
    `${input.contact ?? input.customer}，您好：`,
    '',
    `您的订单 ${input.order} 已发货，发货单号 ${input.shipment}。`,
    `承运商：${input.carrier ?? '—'}`,
    `运单号：${input.trackingNo ?? '—'}`,
    '',
    '本次发货：',
    ...input.lines.map((l) => `  ${l}`),
  ].join('\n');
  return {
    subject,
    text,
    sms: `【发货通知】订单${input.order}已发货，${input.carrier ?? ''}运单号${input.trackingNo ?? '—'}。`,
  };
}

/** Sends the notice; without a recipient or SMTP settings there is nothing to do (not an error). */
export async function sendShippingNotice(
  db: Db,
  shipmentId: string,
  log?: { info(m: string, d?: object): void },
) {
  const [row] = await db
    .select({ shipment: shipments, order: salesOrders, customerName: customers.name })
    .from(shipments)
    .innerJoin(salesOrders, eq(salesOrders.id, shipments.orderId))
    .innerJoin(customers, eq(customers.id, salesOrders.customerId))
    .where(and(eq(shipments.id, shipmentId), isNotNull(shipments.postedAt)));
  if (!row) return;
  const to = await recipientOf(db, row.order);
  const lines = await db
    .select({ sku: products.sku, name: products.name, uom: products.uom, quantity: shipmentLines.quantity })
    .from(shipmentLines)
    .innerJoin(products, eq(products.id, shipmentLines.productId))
    .where(eq(shipmentLines.shipmentId, shipmentId));
  const notice = shippingNotice({
    customer: row.customerName,
    contact: to.name,
    order: row.order.number,
    shipment: row.shipment.number,
    carrier: row.shipment.carrier,
    trackingNo: row.shipment.trackingNo,
    lines: lines.map((l) => `${l.sku} ${l.name} × ${formatQuantity(l.quantity)} ${l.uom}`),
  });
  if (to.mobile) await smsSender.send(to.mobile, notice.sms);
  const [settings] = await db.select().from(notificationSettings).where(eq(notificationSettings.id, 1));
  if (!to.email || !settings || !isSmtpUsable(settings)) {
    log?.info('shipment notice not e-mailed', { shipmentId, reason: to.email ? 'smtp' : 'no address' });
    return;
  }
  await sendMail(settings, { to: to.email, subject: notice.subject, text: notice.text }, '');
}

defineJob<{ shipmentId: string }>(SHIPMENT_MAIL_JOB, async (payload, job) => {
  await sendShippingNotice(job.db, payload.shipmentId, job.log);
});
