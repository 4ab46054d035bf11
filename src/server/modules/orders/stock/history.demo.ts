import type { Faker } from '@faker-js/faker';
import { Decimal } from 'decimal.js';
import { asc, inArray, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { bulkInsert } from '../../../db/bulk.js';
import type { Db } from '../../../db/client.js';
import type { Ctx } from '../../../platform/context.js';
import { dayIn } from '../../../platform/settings/settings.service.js';
import type { TrackingMode } from '../catalog/schema.js';
import { vinCheckDigit } from '../units/rules.js';
import { type MovementLine, postMovements, reserveStock, transferStock } from './ledger.js';
import { stockLots, stockMovements } from './schema.js';

// Demo stock history through the real ledger: opening stock eighteen months ago, then month by
// month sales issues, transfers from the central warehouse and the odd damage write-off, each
// dated in its month. Purchase receipts come from the receipts demo in between (opening →
// receipts → this history), and the simulation replays them so no month ever ships more than
// was there by then: the ledger's "never negative" holds at every date, not only today.

export interface DemoStockProduct {
  id: string;
  trackingMode: TrackingMode;
  /** Vehicles sell by the unit, parts by the dozen. */
  kind: 'vehicle' | 'part';
  costPrice: number | null;
}

interface Place {
  id: string;
  code: string;
  kind: 'warehouse' | 'store';
}

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

/** The first day of the month `back` months before `now`, as YYYY-MM-DD in the time zone. */
export function monthStart(now: Date, back: number, timeZone: string): string {
  const [y, m] = dayIn(timeZone, now).split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/** The last day of the month of `first` (YYYY-MM-01), capped at `today`. */
function monthEnd(first: string, today: string): string {
  const d = new Date(`${first}T00:00:00Z`);
  const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
  return end < today ? end : today;
}

/** Opening stock at the start of the history: vehicles by VIN, oils by batch, parts by count. */
export async function seedOpeningStockDemo(
  tx: Db,
  faker: Faker,
  ctx: Ctx,
  input: { places: Place[]; products: DemoStockProduct[]; date: string },
): Promise<number> {
  const lines: MovementLine[] = [];
  let vin = 0;
  for (const place of input.places) {
    for (const p of input.products) {
      // The store keeps display vehicles and fast-moving parts only.
      if (place.kind === 'store' && !faker.datatype.boolean(p.kind === 'vehicle' ? 0.3 : 0.4)) continue;
      if (p.kind === 'vehicle') {
        if (!faker.datatype.boolean(0.6)) continue;
        for (let i = faker.number.int({ min: 1, max: 4 }); i > 0; i--) {
          vin += 1;
          lines.push({ ...base(place, p), quantity: '1', serialNo: demoVin(faker, vin) });
        }
        continue;
      }
      const quantity = String(faker.number.int({ min: 20, max: place.code === 'WH-SH' ? 600 : 200 }));
      const batchNo =
        p.trackingMode === 'batch' ? `B${input.date.slice(2, 4)}${input.date.slice(5, 7)}01` : null;
      lines.push({ ...base(place, p), quantity, batchNo });
    }
  }
  if (lines.length === 0) return 0;
  const rows = await postMovements(tx, ctx, {
    sourceType: 'opening',
    reason: '期初库存',
    movementDate: input.date,
    movements: lines,
  });
  return rows.length;
}

const base = (place: Place, p: DemoStockProduct) => ({
  kind: 'receipt' as const,
  warehouseId: place.id,
  productId: p.id,
  unitCost: p.costPrice,
});

/** A 17-character VIN of the demo make (WMI "LXG") with its check digit, unique per counter. */
function demoVin(faker: Faker, n: number): string {
  const descriptor = Array.from({ length: 5 }, () => faker.helpers.arrayElement([...VIN_CHARS])).join('');
  const year = faker.helpers.arrayElement(['R', 'S', 'T']);
  const draft = `LXG${descriptor}0${year}A${String(n).padStart(6, '0')}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}

/** What is on hand in the simulation: per place and product, per lot (null = untracked). */
type Balances = Map<string, Map<string | null, Decimal>>;

/** Order lines the sales of the history are cut into at scale 1 (≈ 20,000 orders of 1–3 lines). */
export const DEMO_SHIPMENT_LINES = 32_000;

/** A sales shipment the history posted (issue movements with it as source); orders come later. */
export interface DemoShipment {
  id: string;
  warehouseId: string;
  /** Business date (YYYY-MM-DD). */
  date: string;
  lines: {
    productId: string;
    lotId: string | null;
    batchNo: string | null;
    serialNo: string | null;
    quantity: string;
  }[];
}

/**
 * Months of sales shipments, transfers and write-offs after the opening and the receipts already
 * in the ledger, then a few open reservations for this month. The sales are posted as the issue
 * movements of shipments (source `shipment`, posting key `shipment:<id>#n` as the shipments
 * service posts them) whose orders the order-to-cash demo writes around them once customers and
 * contracts exist; they are returned for it. Returns the movements posted.
 */
export async function seedStockHistoryDemo(
  tx: Db,
  faker: Faker,
  ctx: Ctx,
  input: {
    places: Place[];
    products: DemoStockProduct[];
    months: number;
    now: Date;
    timeZone: string;
    scale: number;
  },
): Promise<{ movements: number; reservations: number; shipments: DemoShipment[] }> {
  const today = dayIn(input.timeZone, input.now);
  const byId = new Map(input.products.map((p) => [p.id, p]));
  const central = input.places.find((p) => p.code === 'WH-SH') ?? input.places[0]!;
  // Everything posted so far (opening and receipts), replayed month by month.
  const posted = await tx
    .select({
      warehouseId: stockMovements.warehouseId,
      productId: stockMovements.productId,
      lotId: stockMovements.lotId,
      quantity: stockMovements.quantity,
      date: stockMovements.movementDate,
    })
    .from(stockMovements)
    .where(
      inArray(
        stockMovements.productId,
        input.products.map((p) => p.id),
      ),
    )
    .orderBy(asc(stockMovements.movementDate));
  const lotIds = [...new Set(posted.map((m) => m.lotId).filter((l): l is string => !!l))];
  const lots = new Map<string, string>();
  for (let i = 0; i < lotIds.length; i += 1000) {
    const rows = await tx
      .select({ id: stockLots.id, batchNo: stockLots.batchNo, serialNo: stockLots.serialNo })
      .from(stockLots)
      .where(inArray(stockLots.id, lotIds.slice(i, i + 1000)));
    for (const r of rows) lots.set(r.id, (r.batchNo ?? r.serialNo)!);
  }

  const balances: Balances = new Map();
  const add = (warehouseId: string, productId: string, lotId: string | null, q: Decimal) => {
    const key = `${warehouseId}|${productId}`;
    const perLot = balances.get(key) ?? new Map<string | null, Decimal>();
    perLot.set(lotId, (perLot.get(lotId) ?? new Decimal(0)).plus(q));
    balances.set(key, perLot);
  };
  let next = 0;
  let count = 0;
  const planned: DemoShipment[] = [];
  // Order lines per month the sales are cut into (the order-to-cash demo makes one order of each
  // shipment, or of two): about 20,000 orders × 1.5 lines over the history at scale 1.
  const linesPerMonth = Math.round((DEMO_SHIPMENT_LINES * input.scale) / input.months);
  for (let back = input.months - 1; back >= 0; back--) {
    const first = monthStart(input.now, back, input.timeZone);
    const last = monthEnd(first, today);
    // Sales during the month come out of what was there at its start (opening on the first day);
    // the month's receipts arrive after them, so no date ever ships more than was on hand.
    while (next < posted.length && posted[next]!.date <= first) {
      const m = posted[next++]!;
      add(m.warehouseId, m.productId, m.lotId, new Decimal(m.quantity));
    }
    const demand: { place: Place; product: DemoStockProduct; lotId: string | null; quantity: Decimal }[] = [];
    for (const place of input.places) {
      for (const [key, perLot] of balances) {
        const [warehouseId, productId] = key.split('|') as [string, string];
        if (warehouseId !== place.id) continue;
        const product = byId.get(productId)!;
        for (const [lotId, onHand] of perLot) {
          if (onHand.lessThanOrEqualTo(0) || !faker.datatype.boolean(product.kind === 'vehicle' ? 0.12 : 0.3))
            continue;
          const quantity =
            product.kind === 'vehicle'
              ? new Decimal(1)
              : Decimal.max(1, onHand.times(faker.number.float({ min: 0.1, max: 0.45 })).floor());
          if (quantity.greaterThan(onHand)) continue;
          demand.push({ place, product, lotId, quantity });
          add(warehouseId, productId, lotId, quantity.negated());
        }
      }
    }
    planned.push(...cutIntoShipments(faker, demand, { first, last, linesPerMonth, lots }));
    while (next < posted.length && posted[next]!.date <= last) {
      const m = posted[next++]!;
      add(m.warehouseId, m.productId, m.lotId, new Decimal(m.quantity));
    }
    count += await monthlyTransfersAndWriteOffs(tx, faker, ctx, {
      central,
      places: input.places,
      balances,
      byId,
      lots,
      date: last,
      add,
    });
  }
  count += await postShipmentIssues(tx, ctx, planned);
  const reservations = await openReservations(tx, faker, ctx, { balances, byId });
  return { movements: count, reservations, shipments: planned };
}

/**
 * A month's demand of one location cut into order-sized lines (vehicles one by one, parts in
 * chunks sized so that the month has about `linesPerMonth` lines), grouped into shipments of 1–3
 * lines from one location, each on a day of the month.
 */
function cutIntoShipments(
  faker: Faker,
  demand: { place: Place; product: DemoStockProduct; lotId: string | null; quantity: Decimal }[],
  s: { first: string; last: string; linesPerMonth: number; lots: Map<string, string> },
): DemoShipment[] {
  const vehicles = demand.filter((d) => d.product.kind === 'vehicle').length;
  const partUnits = demand
    .filter((d) => d.product.kind === 'part')
    .reduce((sum, d) => sum.plus(d.quantity), new Decimal(0));
  const partLines = Math.max(1, s.linesPerMonth - vehicles);
  const mean = Decimal.max(1, partUnits.dividedBy(partLines));
  const byPlace = new Map<string, { place: Place; lines: DemoShipment['lines'] }>();
  for (const d of demand) {
    const lot = d.lotId ? (s.lots.get(d.lotId) ?? null) : null;
    const chunks: Decimal[] = [];
    let left = d.quantity;
    while (left.greaterThan(0)) {
      const size = Decimal.min(
        left,
        Decimal.max(1, mean.times(faker.number.float({ min: 0.4, max: 1.6 })).round()),
      );
      chunks.push(size);
      left = left.minus(size);
    }
    const entry = byPlace.get(d.place.id) ?? { place: d.place, lines: [] };
    for (const q of chunks)
      entry.lines.push({
        productId: d.product.id,
        lotId: d.lotId,
        batchNo: d.product.trackingMode === 'batch' ? lot : null,
        serialNo: d.product.trackingMode === 'serial' ? lot : null,
        quantity: q.toFixed(),
      });
    byPlace.set(d.place.id, entry);
  }
  const days = Math.round((Date.parse(s.last) - Date.parse(s.first)) / 86_400_000);
  const shipments: DemoShipment[] = [];
  for (const { place, lines } of byPlace.values()) {
    const shuffled = faker.helpers.shuffle(lines);
    for (let i = 0; i < shuffled.length; ) {
      const n = faker.helpers.weightedArrayElement([
        { weight: 60, value: 1 },
        { weight: 28, value: 2 },
        { weight: 12, value: 3 },
      ]);
      const date = new Date(
        Date.parse(`${s.first}T00:00:00Z`) + faker.number.int({ min: 0, max: days }) * 86_400_000,
      )
        .toISOString()
        .slice(0, 10);
      shipments.push({ id: uuidv7(), warehouseId: place.id, date, lines: shuffled.slice(i, i + n) });
      i += n;
    }
  }
  return shipments.sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * The shipments' issue movements in multi-row inserts, with the levels and lot levels moved by the
 * same amounts in one statement per batch, as the ledger would (no reservation: these orders were
 * shipped before their time). The simulation kept every balance ≥ 0, so the checks hold.
 */
async function postShipmentIssues(tx: Db, ctx: Ctx, planned: DemoShipment[]): Promise<number> {
  const rows = planned.flatMap((sh) =>
    sh.lines.map((l, i) => ({
      kind: 'issue' as const,
      warehouseId: sh.warehouseId,
      productId: l.productId,
      lotId: l.lotId,
      quantity: new Decimal(l.quantity).negated().toFixed(),
      sourceType: 'shipment',
      sourceId: sh.id,
      reason: '销售出库',
      postingKey: `shipment:${sh.id}#${i}`,
      movementDate: sh.date,
      postedAt: new Date(`${sh.date}T10:00:00+08:00`),
      postedBy: ctx.actor?.userId ?? null,
    })),
  );
  await bulkInsert(tx, stockMovements, rows);
  const levels = new Map<string, Decimal>();
  const lotLevels = new Map<string, Decimal>();
  for (const r of rows) {
    const k = `${r.warehouseId}|${r.productId}`;
    levels.set(k, (levels.get(k) ?? new Decimal(0)).plus(r.quantity));
    if (r.lotId) {
      const l = `${r.warehouseId}|${r.lotId}`;
      lotLevels.set(l, (lotLevels.get(l) ?? new Decimal(0)).plus(r.quantity));
    }
  }
  const pairs = (m: Map<string, Decimal>) => [...m].map(([k, q]) => [...k.split('|'), q.toFixed()] as const);
  const levelPairs = pairs(levels);
  for (let i = 0; i < levelPairs.length; i += 1000) {
    const values = levelPairs
      .slice(i, i + 1000)
      .map(([w, p, q]) => sql`(${w}::uuid, ${p}::uuid, ${q}::numeric)`);
    await tx.execute(sql`update stock_levels l set on_hand = l.on_hand + v.q, updated_at = now()
      from (values ${sql.join(values, sql`, `)}) as v(w, p, q) where l.warehouse_id = v.w and l.product_id = v.p`);
  }
  const lotPairs = pairs(lotLevels);
  for (let i = 0; i < lotPairs.length; i += 1000) {
    const values = lotPairs
      .slice(i, i + 1000)
      .map(([w, l, q]) => sql`(${w}::uuid, ${l}::uuid, ${q}::numeric)`);
    await tx.execute(sql`update stock_lot_levels l set on_hand = l.on_hand + v.q
      from (values ${sql.join(values, sql`, `)}) as v(w, lot, q) where l.warehouse_id = v.w and l.lot_id = v.lot`);
  }
  return rows.length;
}

const lotField = (product: DemoStockProduct, lot: string | null | undefined) =>
  product.trackingMode === 'batch'
    ? { batchNo: lot }
    : product.trackingMode === 'serial'
      ? { serialNo: lot }
      : {};

/** Parts move from the central warehouse to a regional one; now and then a damaged part is written off. */
async function monthlyTransfersAndWriteOffs(
  tx: Db,
  faker: Faker,
  ctx: Ctx,
  s: {
    central: Place;
    places: Place[];
    balances: Balances;
    byId: Map<string, DemoStockProduct>;
    lots: Map<string, string>;
    date: string;
    add: (w: string, p: string, lot: string | null, q: Decimal) => void;
  },
): Promise<number> {
  let count = 0;
  const centralLines = [...s.balances].filter(([key]) => key.startsWith(`${s.central.id}|`));
  for (const [key, perLot] of faker.helpers.arrayElements(centralLines, Math.min(6, centralLines.length))) {
    const productId = key.split('|')[1]!;
    const product = s.byId.get(productId)!;
    if (product.kind === 'vehicle') continue;
    const [lotId, onHand] = [...perLot].find(([, q]) => q.greaterThanOrEqualTo(10)) ?? [];
    if (onHand === undefined) continue;
    const to = faker.helpers.arrayElement(s.places.filter((p) => p.id !== s.central.id));
    const quantity = onHand.dividedToIntegerBy(4);
    count += (
      await transferStock(tx, ctx, {
        fromWarehouseId: s.central.id,
        toWarehouseId: to.id,
        productId,
        quantity: quantity.toString(),
        reason: '区域补货',
        movementDate: s.date,
        ...lotField(product, lotId ? s.lots.get(lotId) : null),
      })
    ).length;
    s.add(s.central.id, productId, lotId ?? null, quantity.negated());
    s.add(to.id, productId, lotId ?? null, quantity);
  }
  if (faker.datatype.boolean(0.5)) {
    const partLines = [...s.balances].filter(([key, perLot]) => {
      const p = s.byId.get(key.split('|')[1]!)!;
      return (
        p.trackingMode === 'none' && p.kind === 'part' && (perLot.get(null)?.greaterThanOrEqualTo(2) ?? false)
      );
    });
    if (partLines.length) {
      const [key] = faker.helpers.arrayElement(partLines);
      const [warehouseId, productId] = key.split('|') as [string, string];
      count += (
        await postMovements(tx, ctx, {
          sourceType: 'manual_adjustment',
          movementDate: s.date,
          reason: 'damage: 搬运破损',
          movements: [{ kind: 'adjustment', warehouseId, productId, quantity: '-1' }],
        })
      ).length;
      s.add(warehouseId, productId, null, new Decimal(-1));
    }
  }
  return count;
}

/** A handful of open reservations, as orders being prepared this month would hold. */
async function openReservations(
  tx: Db,
  faker: Faker,
  ctx: Ctx,
  s: { balances: Balances; byId: Map<string, DemoStockProduct> },
): Promise<number> {
  const candidates = [...s.balances]
    .map(([key, perLot]) => {
      const total = [...perLot.values()].reduce((a, b) => a.plus(b), new Decimal(0));
      return { key, total };
    })
    .filter((c) => c.total.greaterThanOrEqualTo(4) && s.byId.get(c.key.split('|')[1]!)!.kind === 'part');
  const picked = faker.helpers.arrayElements(candidates, Math.min(20, candidates.length));
  for (const [i, c] of picked.entries()) {
    const [warehouseId, productId] = c.key.split('|') as [string, string];
    await reserveStock(tx, ctx, {
      key: `DEMO-${String(i + 1).padStart(3, '0')}`,
      warehouseId,
      productId,
      quantity: c.total.dividedToIntegerBy(4).toString(),
      sourceType: 'manual',
      note: '客户订单备货',
    });
  }
  return picked.length;
}
