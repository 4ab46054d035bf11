import type { Faker } from '@faker-js/faker';
import { Decimal } from 'decimal.js';
import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { bulkInsert } from '../../db/bulk.js';
import type { Db } from '../../db/client.js';
import { addDays } from '../../platform/calendar.js';
import type { Ctx } from '../../platform/context.js';
import { nextNumbers } from '../../platform/numbering/numbering.js';
import { companyTimeZone, dayIn, getSettings } from '../../platform/settings/settings.service.js';
import { contacts, customers } from '../customers/schema.js';
import { contractInstallments, contracts } from '../sales/contracts.schema.js';
import { products } from './catalog/schema.js';
import { computeInvoice, taxOf } from './invoicing/rules.js';
import { creditNoteLines, creditNotes, invoiceLines, invoices } from './invoicing/schema.js';
import { syncInstallmentsPaid } from './receivables/invoice-port.js';
import { paymentAllocations, payments } from './receivables/schema.js';
import { computeOrder } from './sales-orders/rules.js';
import { reservationKeyOf } from './sales-orders/sales-orders.service.js';
import { salesOrderLines, salesOrders, shipmentLines, shipments } from './sales-orders/schema.js';
// Registers the numbering prefixes (SH, INV, CN, PAY) the bulk numbers below use.
import './sales-orders/shipments.service.js';
import './invoicing/invoices.service.js';
import './receivables/payments.service.js';
import type { DemoShipment } from './stock/history.demo.js';
import { reserveStock } from './stock/ledger.js';
import { stockLevels, warehouses } from './stock/schema.js';

// The order-to-cash part of the demo company (issue 7, item 9): about 20,000 sales orders over the
// eighteen months of stock history, built around the sales shipments that history posted (so every
// issue movement of source `shipment` belongs to a shipment of an order, and stock on hand stays
// the sum of the ledger), invoices (order lines for direct orders, installments for contracts),
// credit notes, voided invoices and payments allocated oldest first. Bulk multi-row inserts; money
// from the modules' rules (computeOrder, computeInvoice, taxOf); numbers from the numbering service.
// The few recent confirmed and partially shipped orders reserve their open quantity through the
// ledger's reserveStock, with the keys the sales-order service uses.

/** Volumes at scale 1 besides the orders of the history's shipments; `scale` multiplies them. */
export const ORDER_TO_CASH_DEMO_VOLUMES = { confirmed: 60, partiallyShipped: 30, drafts: 25, cancelled: 200 };

export interface OrderToCashDemoCounts {
  orders: number;
  contractOrders: number;
  shipments: number;
  invoices: number;
  voidedInvoices: number;
  creditNotes: number;
  payments: number;
  allocations: number;
  reservations: number;
}

const DAY_MS = 86_400_000;
const CARRIERS = ['顺丰速运', '德邦物流', '中通快运', '京东物流', '安能物流', '自有车队'];
const CHANNELS = [
  { weight: 55, value: 'direct' as const },
  { weight: 20, value: 'store' as const },
  { weight: 13, value: 'online' as const },
  { weight: 12, value: 'partner' as const },
];
const BANKS = ['中国工商银行', '中国建设银行', '招商银行', '中国银行', '交通银行', '兴业银行'];
const CANCEL_REASONS = ['客户取消采购', '重复下单', '车型配置变更，重新下单', '客户资金未到位'];

type Channel = (typeof CHANNELS)[number]['value'];
type OrderRow = typeof salesOrders.$inferInsert & { id: string; createdAt: Date; total: number };
type LineRow = typeof salesOrderLines.$inferInsert & { id: string; amount: number; unitPrice: number };

interface Customer {
  id: string;
  name: string;
  ownerId: string;
  orgUnitId: string;
  creditCode: string | null;
  address: string | null;
  phone: string | null;
  kind: string;
  weight: number;
  createdAt: number;
  contactId: string | null;
}

/**
 * Writes the order-to-cash demo in the caller's transaction around the shipments of the stock
 * history. Deterministic for a given faker seed and `now`.
 */
export async function seedOrderToCashDemo(
  tx: Db,
  faker: Faker,
  ctx: Ctx,
  input: { shipments: DemoShipment[]; scale: number; now?: Date },
): Promise<OrderToCashDemoCounts> {
  const now = input.now ?? new Date();
  const timeZone = await companyTimeZone(tx);
  const today = dayIn(timeZone, now);
  const scale = input.scale;
  const rand = () => faker.number.float({ min: 0, max: 1 });
  const chance = (p: number) => rand() < p;
  const pick = <T>(list: readonly T[]) => faker.helpers.arrayElement(list);
  const int = (min: number, max: number) => faker.number.int({ min, max });
  const at = (day: string, hour: number) =>
    new Date(
      Math.min(now.getTime() - 60_000, Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`)),
    );
  const minDay = (a: string, b: string) => (a < b ? a : b);
  const maxDay = (a: string, b: string) => (a > b ? a : b);
  const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY_MS);
  const counts: OrderToCashDemoCounts = {
    orders: 0,
    contractOrders: 0,
    shipments: 0,
    invoices: 0,
    voidedInvoices: 0,
    creditNotes: 0,
    payments: 0,
    allocations: 0,
    reservations: 0,
  };

  // Master data ------------------------------------------------------------------------------------
  const contactRows = await tx
    .select({ id: contacts.id, customerId: contacts.customerId, name: contacts.name })
    .from(contacts)
    .where(isNull(contacts.archivedAt))
    .orderBy(sql`${contacts.isPrimary} desc`, asc(contacts.name), asc(contacts.id));
  const contactOf = new Map<string, { id: string; name: string }>();
  for (const c of contactRows)
    if (c.customerId && !contactOf.has(c.customerId)) contactOf.set(c.customerId, c);
  const pool: Customer[] = (
    await tx
      .select({
        id: customers.id,
        name: customers.name,
        ownerId: customers.ownerId,
        orgUnitId: customers.orgUnitId,
        creditCode: customers.creditCode,
        address: customers.address,
        phone: customers.phone,
        kind: customers.kind,
        grade: customers.grade,
        createdAt: customers.createdAt,
      })
      .from(customers)
      .where(and(isNotNull(customers.ownerId), isNull(customers.mergedIntoId)))
      .orderBy(asc(customers.createdAt), asc(customers.id))
  ).map((c) => ({
    ...c,
    ownerId: c.ownerId!,
    weight: { A: 1, B: 0.5, C: 0.25 }[c.grade ?? 'C'] ?? 0.25,
    createdAt: c.createdAt.getTime(),
    contactId: contactOf.get(c.id)?.id ?? null,
  }));
  if (!pool.length || !input.shipments.length) return counts;
  const customerById = new Map(pool.map((c) => [c.id, c]));
  const productRows = await tx
    .select({
      id: products.id,
      name: products.name,
      uom: products.uom,
      spec: products.specification,
      listPrice: products.listPrice,
      taxRate: products.taxRate,
      trackingMode: products.trackingMode,
      status: products.status,
    })
    .from(products);
  const productById = new Map(productRows.map((p) => [p.id, p]));
  const contractRows = await tx
    .select({
      id: contracts.id,
      number: contracts.number,
      customerId: contracts.customerId,
      contactId: contracts.contactId,
      state: contracts.state,
      amount: contracts.amount,
      taxRate: contracts.taxRate,
      signedDate: contracts.signedDate,
      endDate: contracts.endDate,
      terminatedAt: contracts.terminatedAt,
      ownerId: contracts.ownerId,
      orgUnitId: contracts.orgUnitId,
    })
    .from(contracts)
    .where(
      and(inArray(contracts.state, ['active', 'completed', 'terminated']), isNotNull(contracts.signedDate)),
    )
    .orderBy(asc(contracts.number));
  const signed = contractRows.map((c) => {
    const until = c.terminatedAt ? dayIn(timeZone, c.terminatedAt) : c.endDate;
    const term = Math.max(1, daysBetween(c.signedDate!, c.endDate));
    const elapsed = Math.min(1, Math.max(0, daysBetween(c.signedDate!, today) / term));
    const share =
      c.state === 'completed' ? 0.9 + rand() * 0.1 : c.state === 'terminated' ? 0.3 : 0.95 * elapsed;
    return { ...c, until, target: Math.floor(c.amount * share), ordered: 0 };
  });

  // Orders around the history's shipments -------------------------------------------------------
  const historyStart = input.shipments.reduce((m, s) => minDay(m, s.date), today);
  const groups: DemoShipment[][] = [];
  const single = new Map<string, DemoShipment[]>();
  for (const s of [...input.shipments].sort(
    (a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id),
  )) {
    const open = single.get(s.warehouseId);
    if (open && chance(0.1) && daysBetween(open[0]!.date, s.date) <= 12) {
      open.push(s);
      single.delete(s.warehouseId);
      continue;
    }
    const group = [s];
    groups.push(group);
    single.set(s.warehouseId, group);
  }

  const orders: OrderRow[] = [];
  const lines: LineRow[] = [];
  const shipmentRows: (typeof shipments.$inferInsert & { id: string; postedAt: Date })[] = [];
  const shipmentLineRows: (typeof shipmentLines.$inferInsert)[] = [];
  const linesOf = new Map<string, LineRow[]>();

  const price = (channel: Channel, contract: boolean, items: { productId: string; quantity: string }[]) => {
    const inputs = items.map((i) => {
      const p = productById.get(i.productId)!;
      const discount = contract
        ? pick(['0', '2', '3', '5'])
        : channel === 'partner'
          ? pick(['5', '8', '10'])
          : chance(0.7)
            ? '0'
            : pick(['1', '2', '3', '5']);
      return {
        quantity: i.quantity,
        listPrice: p.listPrice,
        discountPercent: discount,
        taxRate: new Decimal(p.taxRate).toFixed(),
      };
    });
    return { inputs, money: computeOrder(inputs) };
  };

  const directCustomer = (day: string) => {
    const limit = Date.parse(`${day}T00:00:00+08:00`);
    let k = pool.length;
    while (k > 0 && pool[k - 1]!.createdAt > limit) k--;
    const from = k > 0 ? pool.slice(0, k) : pool;
    for (let tries = 0; tries < 20; tries++) {
      const c = pick(from);
      if (chance(c.weight)) return c;
    }
    return pick(from);
  };

  const addOrder = (o: {
    customer: Customer;
    contract: (typeof signed)[number] | null;
    channel: Channel;
    day: string;
    state: OrderRow['state'];
    items: { productId: string; quantity: string; warehouseId: string }[];
    updatedAt?: Date;
    cancelled?: boolean;
    priced?: ReturnType<typeof price>;
  }) => {
    const { inputs, money } = o.priced ?? price(o.channel, !!o.contract, o.items);
    const id = uuidv7();
    const createdAt = at(o.day, int(8, 17));
    const orderLines = o.items.map(
      (item, k): LineRow => ({
        id: uuidv7(),
        orderId: id,
        seq: k + 1,
        productId: item.productId,
        quantity: item.quantity,
        listPrice: inputs[k]!.listPrice,
        discountPercent: money.lines[k]!.discountPercent,
        unitPrice: money.lines[k]!.unitPrice,
        priceSource: 'resolved',
        floorPrice: null,
        taxRate: inputs[k]!.taxRate,
        amount: money.lines[k]!.amount,
        tax: money.lines[k]!.tax,
        warehouseId: item.warehouseId,
      }),
    );
    const confirmed = o.state !== 'draft';
    const order: OrderRow = {
      id,
      number: '',
      customerId: o.customer.id,
      contactId: o.contract?.contactId ?? o.customer.contactId,
      channel: o.channel,
      contractId: o.contract?.id ?? null,
      orderDate: o.day,
      state: o.state,
      total: money.total,
      tax: money.tax,
      ownerId: o.contract?.ownerId ?? o.customer.ownerId,
      orgUnitId: o.contract?.orgUnitId ?? o.customer.orgUnitId,
      confirmedAt: confirmed ? new Date(createdAt.getTime() + 3_600_000) : null,
      cancelledAt: o.cancelled ? new Date(createdAt.getTime() + int(1, 5) * DAY_MS) : null,
      cancelReason: o.cancelled ? pick(CANCEL_REASONS) : null,
      createdBy: o.customer.ownerId,
      createdAt,
      updatedAt: o.updatedAt ?? createdAt,
      version: o.state === 'draft' ? 1 : 3,
    };
    orders.push(order);
    lines.push(...orderLines);
    linesOf.set(id, orderLines);
    return { order, orderLines };
  };

  for (const group of groups) {
    const day = maxDay(historyStart, addDays(group[0]!.date, -int(0, 6)));
    const items = group.flatMap((s) =>
      s.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, warehouseId: s.warehouseId })),
    );
    let contract: (typeof signed)[number] | null = null;
    // Priced once: the order is written with the same lines the contract's cap was checked with.
    let priced: ReturnType<typeof price> | undefined;
    if (chance(0.3)) {
      priced = price('direct', true, items);
      const { money } = priced;
      const candidates = faker.helpers.arrayElements(signed, Math.min(8, signed.length));
      contract =
        candidates.find(
          (c) =>
            c.signedDate! <= day &&
            group[group.length - 1]!.date <= c.until &&
            c.ordered + money.total <= c.target,
        ) ?? null;
    }
    const customer = contract ? customerById.get(contract.customerId) : directCustomer(day);
    if (!customer) continue;
    const channel = contract ? 'direct' : faker.helpers.weightedArrayElement(CHANNELS);
    const lastDate = group[group.length - 1]!.date;
    const delivered = group.map((s) => daysBetween(s.date, today) > 5 || chance(0.3));
    const { order, orderLines } = addOrder({
      customer,
      contract,
      channel,
      day,
      state: delivered.every(Boolean) ? 'completed' : 'shipped',
      items,
      ...(contract ? { priced } : {}),
    });
    if (contract) {
      contract.ordered += order.total;
      counts.contractOrders++;
    }
    let k = 0;
    group.forEach((s, g) => {
      const postedAt = at(s.date, int(9, 18));
      const deliveredAt = delivered[g]
        ? new Date(Math.min(now.getTime() - 60_000, postedAt.getTime() + int(1, 4) * DAY_MS))
        : null;
      const carrier = pick(CARRIERS);
      let amount = 0;
      for (const l of s.lines) {
        const line = orderLines[k++]!;
        line.shippedQuantity = l.quantity;
        amount += line.amount;
        shipmentLineRows.push({
          shipmentId: s.id,
          orderLineId: line.id,
          productId: l.productId,
          quantity: l.quantity,
          amount: line.amount,
          batchNo: l.batchNo,
          serialNos: l.serialNo ? [l.serialNo] : [],
        });
      }
      shipmentRows.push({
        id: s.id,
        number: '',
        orderId: order.id,
        warehouseId: s.warehouseId,
        state: deliveredAt ? 'delivered' : 'posted',
        carrier,
        trackingNo: carrier === '自有车队' ? null : String(faker.number.int({ min: 1e11, max: 1e12 - 1 })),
        amount,
        postedAt,
        postedBy: order.ownerId,
        deliveredAt,
        signedBy: deliveredAt ? (contactOf.get(customer.id)?.name ?? customer.name) : null,
        createdBy: order.ownerId,
        createdAt: postedAt,
        updatedAt: deliveredAt ?? postedAt,
        version: deliveredAt ? 3 : 2,
      });
    });
    order.updatedAt = new Date(
      Math.max(...shipmentRows.slice(-group.length).map((s) => (s.deliveredAt ?? s.postedAt).getTime())),
    );
    if (lastDate > today) throw new Error('demo shipment after today');
  }

  // Recent open orders from what is available now: confirmed (reserved), partially shipped (the
  // rest reserved), drafts; cancelled ones over the whole history.
  const available = new Map<string, Decimal>();
  const stockRows = await tx
    .select({
      warehouseId: stockLevels.warehouseId,
      productId: stockLevels.productId,
      onHand: stockLevels.onHand,
      reserved: stockLevels.reserved,
    })
    .from(stockLevels)
    .innerJoin(warehouses, eq(warehouses.id, stockLevels.warehouseId))
    .innerJoin(products, eq(products.id, stockLevels.productId))
    .where(
      and(eq(warehouses.status, 'active'), eq(products.status, 'active'), eq(products.trackingMode, 'none')),
    )
    .orderBy(asc(stockLevels.warehouseId), asc(stockLevels.productId));
  for (const r of stockRows) {
    const a = new Decimal(r.onHand).minus(r.reserved);
    if (a.greaterThanOrEqualTo(2)) available.set(`${r.warehouseId}|${r.productId}`, a);
  }
  const takeStock = (warehouseId?: string) => {
    const keys = [...available.keys()].filter((k) => !warehouseId || k.startsWith(`${warehouseId}|`));
    if (!keys.length) return null;
    const key = pick(keys);
    const a = available.get(key)!;
    const q = Decimal.max(1, a.times(faker.number.float({ min: 0.05, max: 0.3 })).floor());
    const left = a.minus(q);
    if (left.lessThan(2)) available.delete(key);
    else available.set(key, left);
    const [w, p] = key.split('|') as [string, string];
    return { warehouseId: w, productId: p, quantity: q.toFixed() };
  };
  const toReserve: { orderId: string; line: LineRow }[] = [];

  // Partially shipped: a recent direct order gets one more line, not shipped yet and reserved.
  const recent = orders.filter(
    (o) => !o.contractId && o.state === 'shipped' && daysBetween(o.orderDate, today) <= 20,
  );
  for (const o of faker.helpers.arrayElements(
    recent,
    Math.min(recent.length, ORDER_TO_CASH_DEMO_VOLUMES.partiallyShipped * scale),
  )) {
    const own = linesOf.get(o.id)!;
    const extra = takeStock(own[0]!.warehouseId);
    if (!extra) continue;
    const inputs = [
      ...own.map((l) => ({
        quantity: String(l.quantity),
        listPrice: l.listPrice!,
        discountPercent: String(l.discountPercent),
        taxRate: l.taxRate,
      })),
      {
        quantity: extra.quantity,
        listPrice: productById.get(extra.productId)!.listPrice,
        discountPercent: '0',
        taxRate: new Decimal(productById.get(extra.productId)!.taxRate).toFixed(),
      },
    ];
    const money = computeOrder(inputs);
    const m = money.lines[money.lines.length - 1]!;
    const line: LineRow = {
      id: uuidv7(),
      orderId: o.id,
      seq: own.length + 1,
      productId: extra.productId,
      quantity: extra.quantity,
      listPrice: inputs[inputs.length - 1]!.listPrice,
      discountPercent: m.discountPercent,
      unitPrice: m.unitPrice,
      priceSource: 'resolved',
      taxRate: inputs[inputs.length - 1]!.taxRate,
      amount: m.amount,
      tax: m.tax,
      warehouseId: extra.warehouseId,
      reservedQuantity: extra.quantity,
    };
    own.push(line);
    lines.push(line);
    o.total += m.amount;
    o.tax = (o.tax ?? 0) + m.tax;
    o.state = 'partially_shipped';
    toReserve.push({ orderId: o.id, line });
  }
  const lastDays = (n: number) => addDays(today, -int(0, n));
  for (let i = 0; i < ORDER_TO_CASH_DEMO_VOLUMES.confirmed * scale; i++) {
    const first = takeStock();
    if (!first) break;
    const items = [first];
    for (let n = int(0, 2); n > 0; n--) {
      const more = takeStock(first.warehouseId);
      if (more && !items.some((x) => x.productId === more.productId)) items.push(more);
    }
    const day = lastDays(10);
    const { order, orderLines } = addOrder({
      customer: directCustomer(day),
      contract: null,
      channel: faker.helpers.weightedArrayElement(CHANNELS),
      day,
      state: 'confirmed',
      items,
    });
    for (const line of orderLines) {
      line.reservedQuantity = line.quantity;
      toReserve.push({ orderId: order.id, line });
    }
  }
  const anyProducts = productRows.filter((p) => p.status === 'active' && p.listPrice > 0);
  const anyWarehouse = (
    await tx.select({ id: warehouses.id }).from(warehouses).orderBy(asc(warehouses.code))
  )[0]!.id;
  const looseItems = () =>
    Array.from({ length: int(1, 3) }, () => ({
      productId: pick(anyProducts).id,
      quantity: String(int(1, 10)),
      warehouseId: anyWarehouse,
    })).filter((x, k, all) => all.findIndex((y) => y.productId === x.productId) === k);
  for (let i = 0; i < ORDER_TO_CASH_DEMO_VOLUMES.drafts * scale; i++) {
    const day = lastDays(7);
    addOrder({
      customer: directCustomer(day),
      contract: null,
      channel: faker.helpers.weightedArrayElement(CHANNELS),
      day,
      state: 'draft',
      items: looseItems(),
    });
  }
  const span = daysBetween(historyStart, today);
  for (let i = 0; i < ORDER_TO_CASH_DEMO_VOLUMES.cancelled * scale; i++) {
    const day = addDays(historyStart, int(0, Math.max(0, span - 6)));
    addOrder({
      customer: directCustomer(day),
      contract: null,
      channel: faker.helpers.weightedArrayElement(CHANNELS),
      day,
      state: 'cancelled',
      items: looseItems(),
      cancelled: true,
    });
  }

  // Numbers in creation order, then the rows --------------------------------------------------
  orders.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  const orderNumbers = await nextNumbers(
    tx,
    'sales_order',
    orders.map((o) => o.createdAt),
  );
  orders.forEach((o, k) => {
    o.number = orderNumbers[k]!;
    o.updatedAt = new Date(Math.max(o.updatedAt!.getTime(), o.createdAt.getTime()));
  });
  shipmentRows.sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime() || a.id.localeCompare(b.id));
  const shipmentNumbers = await nextNumbers(
    tx,
    'shipment',
    shipmentRows.map((s) => s.postedAt),
  );
  shipmentRows.forEach((s, k) => {
    s.number = shipmentNumbers[k]!;
  });
  await bulkInsert(tx, salesOrders, orders);
  await bulkInsert(tx, salesOrderLines, lines);
  await bulkInsert(tx, shipments, shipmentRows);
  await bulkInsert(tx, shipmentLines, shipmentLineRows);
  for (const r of toReserve) {
    await reserveStock(tx, ctx, {
      key: reservationKeyOf(r.line.id),
      warehouseId: r.line.warehouseId,
      productId: r.line.productId,
      quantity: String(r.line.quantity),
      sourceType: 'sales_order',
      sourceId: r.orderId,
    });
    counts.reservations++;
  }
  counts.orders = orders.length;
  counts.shipments = shipmentRows.length;

  // Invoices -----------------------------------------------------------------------------------
  const company = await getSettings(tx);
  interface InvoicePlan {
    row: typeof invoices.$inferInsert & {
      id: string;
      createdAt: Date;
      total: number;
      issueDate: string | null;
    };
    lines: (typeof invoiceLines.$inferInsert & { id: string; amount: number; unitPrice: number })[];
  }
  const invoicePlans: InvoicePlan[] = [];
  const buyer = (c: Customer) => {
    const special = c.kind !== 'individual' && !!c.creditCode && !!c.address && !!c.phone && chance(0.6);
    return {
      type: special ? ('special' as const) : ('general' as const),
      buyerTitle: c.name,
      buyerTaxId: c.creditCode,
      buyerAddressPhone: [c.address, c.phone].filter(Boolean).join(' ') || null,
      buyerBankAccount: special ? `${pick(BANKS)} ${faker.string.numeric(19)}` : null,
    };
  };
  const invoice = (
    c: Customer,
    o: { orderId: string | null; contractId: string | null; ownerId: string; orgUnitId: string },
    issueDate: string,
    terms: number,
    lineInputs: {
      productId: string | null;
      description: string;
      spec: string | null;
      unit: string | null;
      quantity: string;
      unitPrice: number;
      amount?: number;
      taxRate: string;
      sourceType: 'sales_order_line' | 'contract';
      sourceId: string;
    }[],
    state: 'issued' | 'void',
  ): InvoicePlan => {
    const computed = computeInvoice(lineInputs);
    const id = uuidv7();
    const createdAt = at(addDays(issueDate, -int(0, 2)), int(9, 17));
    const plan: InvoicePlan = {
      row: {
        id,
        number: '',
        ...buyer(c),
        customerId: c.id,
        contractId: o.contractId,
        orderId: o.orderId,
        sellerName: company.name,
        sellerTaxId: company.taxId,
        total: computed.total,
        taxTotal: computed.taxTotal,
        paymentTermsDays: terms,
        issueDate: state === 'void' ? null : issueDate,
        dueDate: state === 'void' ? null : addDays(issueDate, terms),
        state,
        issuedAt: state === 'void' ? null : at(issueDate, 16),
        issuedBy: state === 'void' ? null : o.ownerId,
        voidedAt: state === 'void' ? at(issueDate, 11) : null,
        voidReason: state === 'void' ? '开票信息有误，作废重开' : null,
        ownerId: o.ownerId,
        orgUnitId: o.orgUnitId,
        createdBy: o.ownerId,
        createdAt,
        updatedAt: at(issueDate, 16),
        version: 2,
      },
      lines: lineInputs.map((l, k) => ({
        id: uuidv7(),
        invoiceId: id,
        seq: k + 1,
        productId: l.productId,
        description: l.description,
        spec: l.spec,
        unit: l.unit,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        amount: computed.lines[k]!.amount,
        taxRate: computed.lines[k]!.taxRate,
        taxAmount: computed.lines[k]!.taxAmount,
        sourceType: l.sourceType,
        sourceId: l.sourceId,
        createdAt,
        updatedAt: createdAt,
      })),
    };
    invoicePlans.push(plan);
    return plan;
  };
  const terms = () =>
    faker.helpers.weightedArrayElement([
      { weight: 55, value: 30 },
      { weight: 15, value: 15 },
      { weight: 15, value: 45 },
      { weight: 15, value: 60 },
    ]);
  const invoiced = new Map<string, number>();
  const lastShipped = new Map<string, string>();
  for (const s of shipmentRows) {
    const d = dayIn(timeZone, s.postedAt);
    if ((lastShipped.get(s.orderId) ?? '') < d) lastShipped.set(s.orderId, d);
  }
  for (const o of orders) {
    if (o.contractId || (o.state !== 'shipped' && o.state !== 'completed') || o.total <= 0) continue;
    const shippedOn = lastShipped.get(o.id)!;
    if (daysBetween(shippedOn, today) < 3 && chance(0.5)) continue;
    const c = customerById.get(o.customerId)!;
    const issueDate = minDay(today, addDays(shippedOn, int(0, 6)));
    const lineInputs = linesOf
      .get(o.id)!
      .filter((l) => l.amount > 0)
      .map((l) => {
        const p = productById.get(l.productId)!;
        return {
          productId: l.productId,
          description: p.name,
          spec: p.spec,
          unit: p.uom,
          quantity: String(l.quantity),
          unitPrice: l.unitPrice,
          amount: l.amount,
          taxRate: l.taxRate,
          sourceType: 'sales_order_line' as const,
          sourceId: l.id,
        };
      });
    const meta = { orderId: o.id, contractId: null, ownerId: o.ownerId, orgUnitId: o.orgUnitId };
    if (chance(0.006)) {
      invoice(c, meta, issueDate, 30, lineInputs, 'void');
      counts.voidedInvoices++;
    }
    const plan = invoice(c, meta, issueDate, terms(), lineInputs, 'issued');
    invoiced.set(o.id, plan.row.total);
  }
  // Contract installments due by two weeks from now, invoiced about a month before they fall due.
  const installments = signed.length
    ? await tx
        .select({
          id: contractInstallments.id,
          contractId: contractInstallments.contractId,
          seq: contractInstallments.seq,
          dueDate: contractInstallments.dueDate,
          amount: contractInstallments.amount,
        })
        .from(contractInstallments)
        .where(
          inArray(
            contractInstallments.contractId,
            signed.filter((c) => c.state !== 'terminated').map((c) => c.id),
          ),
        )
        .orderBy(asc(contractInstallments.contractId), asc(contractInstallments.seq))
    : [];
  const contractById = new Map(signed.map((c) => [c.id, c]));
  for (const i of installments) {
    const contract = contractById.get(i.contractId)!;
    if (i.dueDate > addDays(today, 14) || contract.signedDate! > today) continue;
    const issueDate = minDay(today, maxDay(contract.signedDate!, addDays(i.dueDate, -30)));
    const c = customerById.get(contract.customerId);
    if (!c) continue;
    invoice(
      c,
      { orderId: null, contractId: contract.id, ownerId: contract.ownerId, orgUnitId: contract.orgUnitId },
      issueDate,
      Math.max(0, daysBetween(issueDate, i.dueDate)),
      [
        {
          productId: null,
          description: `合同 ${contract.number} 第 ${i.seq} 期款`,
          spec: null,
          unit: null,
          quantity: '1',
          unitPrice: i.amount,
          amount: i.amount,
          taxRate: new Decimal(contract.taxRate).dividedBy(100).toString(),
          sourceType: 'contract',
          sourceId: i.id,
        },
      ],
      'issued',
    );
  }

  // Credit notes (质量折让) on about 1 % of the order invoices: one unit of the first line.
  const noteRows: (typeof creditNotes.$inferInsert & { createdAt: Date })[] = [];
  const noteLineRows: (typeof creditNoteLines.$inferInsert)[] = [];
  for (const p of invoicePlans) {
    if (p.row.state !== 'issued' || !p.row.orderId || !chance(0.012)) continue;
    const line = p.lines[0]!;
    const amount = Math.min(
      line.amount,
      new Decimal(line.amount).dividedBy(line.quantity).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber(),
    );
    if (amount <= 0 || new Decimal(line.quantity).lessThan(1)) continue;
    const issueDate = minDay(today, addDays(p.row.issueDate!, int(3, 20)));
    const id = uuidv7();
    const taxAmount = taxOf(amount, line.taxRate);
    noteRows.push({
      id,
      number: '',
      invoiceId: p.row.id,
      customerId: p.row.customerId,
      reason: pick(['质量折让', '运输破损折让', '价格调整']),
      total: amount,
      taxTotal: taxAmount,
      issueDate,
      ownerId: p.row.ownerId,
      orgUnitId: p.row.orgUnitId,
      createdBy: p.row.ownerId,
      createdAt: at(issueDate, 15),
      updatedAt: at(issueDate, 15),
    });
    noteLineRows.push({ creditNoteId: id, invoiceLineId: line.id, quantity: '1', amount, taxAmount });
    p.row.creditedAmount = amount;
    invoiced.set(p.row.orderId, (invoiced.get(p.row.orderId) ?? 0) - amount);
  }
  for (const o of orders) if (invoiced.has(o.id)) o.invoicedAmount = invoiced.get(o.id)!;

  // Payments, oldest first per customer ----------------------------------------------------------
  const paymentRows: (typeof payments.$inferInsert & { id: string; createdAt: Date })[] = [];
  const allocationRows: (typeof paymentAllocations.$inferInsert)[] = [];
  const byCustomer = new Map<string, InvoicePlan[]>();
  for (const p of invoicePlans) {
    if (p.row.state !== 'issued') continue;
    byCustomer.set(p.row.customerId, [...(byCustomer.get(p.row.customerId) ?? []), p]);
  }
  const pay = (
    c: Customer,
    day: string,
    amount: number,
    extra: number,
    items: { plan: InvoicePlan; amount: number }[],
  ) => {
    const id = uuidv7();
    const method = faker.helpers.weightedArrayElement([
      { weight: 70, value: 'bank_transfer' as const },
      { weight: 12, value: 'acceptance_bill' as const },
      { weight: 10, value: 'online' as const },
      { weight: 8, value: 'cash' as const },
    ]);
    const createdAt = at(day, int(9, 17));
    paymentRows.push({
      id,
      number: '',
      kind: 'receipt',
      customerId: c.id,
      amount: amount + extra,
      method,
      billNumber: method === 'acceptance_bill' ? faker.string.numeric(30) : null,
      billMaturityDate: method === 'acceptance_bill' ? addDays(day, 180) : null,
      receivedDate: day,
      payerName: c.name,
      payerAccount: method === 'bank_transfer' ? faker.string.numeric(19) : null,
      reference: method === 'cash' ? null : faker.string.numeric(12),
      note: extra > 0 ? '预付款，待核销' : null,
      ownerId: c.ownerId,
      orgUnitId: c.orgUnitId,
      createdBy: null,
      createdAt,
      updatedAt: createdAt,
    });
    for (const item of items) {
      allocationRows.push({
        paymentId: id,
        customerId: c.id,
        invoiceId: item.plan.row.id,
        contractId: item.plan.row.contractId ?? null,
        amount: item.amount,
        createdAt,
      });
      item.plan.row.paidAmount = (item.plan.row.paidAmount ?? 0) + item.amount;
    }
  };
  for (const [customerId, plans] of byCustomer) {
    const c = customerById.get(customerId)!;
    plans.sort((a, b) => a.row.dueDate!.localeCompare(b.row.dueDate!) || a.row.id.localeCompare(b.row.id));
    // A few customers stop paying at some point: their oldest open invoices age past 90 days.
    const stopsOn = chance(0.07) ? addDays(today, -int(20, 200)) : today;
    let cursor = '0000-01-01';
    for (const p of plans) {
      const open = p.row.total - (p.row.creditedAmount ?? 0);
      if (open <= 0) continue;
      const delay = faker.helpers.weightedArrayElement([
        { weight: 30, value: -int(0, 15) },
        { weight: 45, value: int(1, 20) },
        { weight: 20, value: int(21, 60) },
        { weight: 5, value: int(61, 120) },
      ]);
      const day = maxDay(maxDay(addDays(p.row.dueDate!, delay), p.row.issueDate!), cursor);
      if (day > stopsOn) {
        // The first one left open is sometimes partly paid; everything after it stays open.
        const partDay = maxDay(p.row.issueDate!, cursor);
        if (partDay <= stopsOn && chance(0.35)) {
          const part = Math.max(1, Math.floor((open * (0.2 + rand() * 0.6)) / 100) * 100);
          if (part < open) pay(c, partDay, part, 0, [{ plan: p, amount: part }]);
        }
        break;
      }
      const extra = chance(0.015) ? int(5, 500) * 1000 : 0;
      pay(c, day, open, extra, [{ plan: p, amount: open }]);
      cursor = day;
    }
  }
  for (const p of invoicePlans) {
    if (p.row.state !== 'issued') continue;
    const open = p.row.total - (p.row.creditedAmount ?? 0) - (p.row.paidAmount ?? 0);
    p.row.state = (p.row.paidAmount ?? 0) <= 0 ? 'issued' : open <= 0 ? 'paid' : 'partially_paid';
  }

  invoicePlans.sort(
    (a, b) => a.row.createdAt.getTime() - b.row.createdAt.getTime() || a.row.id.localeCompare(b.row.id),
  );
  const invoiceNumbers = await nextNumbers(
    tx,
    'invoice',
    invoicePlans.map((p) => p.row.createdAt),
  );
  invoicePlans.forEach((p, k) => {
    p.row.number = invoiceNumbers[k]!;
  });
  noteRows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const noteNumbers = await nextNumbers(
    tx,
    'credit_note',
    noteRows.map((n) => n.createdAt),
  );
  noteRows.forEach((n, k) => {
    n.number = noteNumbers[k]!;
  });
  paymentRows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  const paymentNumbers = await nextNumbers(
    tx,
    'payment',
    paymentRows.map((p) => p.createdAt),
  );
  paymentRows.forEach((p, k) => {
    p.number = paymentNumbers[k]!;
  });
  await bulkInsert(
    tx,
    invoices,
    invoicePlans.map((p) => p.row),
  );
  await bulkInsert(
    tx,
    invoiceLines,
    invoicePlans.flatMap((p) => p.lines),
  );
  await bulkInsert(tx, creditNotes, noteRows);
  await bulkInsert(tx, creditNoteLines, noteLineRows);
  await bulkInsert(tx, payments, paymentRows);
  await bulkInsert(tx, paymentAllocations, allocationRows);
  // The orders' invoiced amounts (what recordOrderInvoiced keeps) in one statement.
  await tx.execute(sql`update sales_orders o set invoiced_amount = x.n from (
      select order_id, sum(total - credited_amount)::bigint as n from invoices
      where order_id is not null and state <> 'void' group by order_id) x where x.order_id = o.id`);
  // Installments are paid through the invoices that bill them: paid_amount as the payments part keeps it.
  await syncInstallmentsPaid(tx, 'all');

  counts.invoices = invoicePlans.length;
  counts.creditNotes = noteRows.length;
  counts.payments = paymentRows.length;
  counts.allocations = allocationRows.length;
  return counts;
}
