import type { Faker } from '@faker-js/faker';
import { Decimal } from 'decimal.js';
import { asc, inArray } from 'drizzle-orm';
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

/**
 * Months of sales issues, transfers and write-offs after the opening and the receipts already in
 * the ledger, then a few open reservations for this month. Returns the movements posted.
 */
export async function seedStockHistoryDemo(
  tx: Db,
  faker: Faker,
  ctx: Ctx,
  input: { places: Place[]; products: DemoStockProduct[]; months: number; now: Date; timeZone: string },
): Promise<{ movements: number; reservations: number }> {
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
  for (let back = input.months - 1; back >= 0; back--) {
    const first = monthStart(input.now, back, input.timeZone);
    const last = monthEnd(first, today);
    while (next < posted.length && posted[next]!.date <= last) {
      const m = posted[next++]!;
      add(m.warehouseId, m.productId, m.lotId, new Decimal(m.quantity));
    }
    for (const place of input.places) {
      const lines: MovementLine[] = [];
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
          lines.push({
            kind: 'issue',
            warehouseId,
            productId,
            quantity: quantity.toString(),
            ...lotField(product, lotId ? lots.get(lotId) : null),
          });
          add(warehouseId, productId, lotId, quantity.negated());
        }
      }
      if (lines.length) {
        count += (
          await postMovements(tx, ctx, {
            sourceType: 'sales_issue',
            reason: '销售出库',
            movementDate: last,
            movements: lines,
          })
        ).length;
      }
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
  const reservations = await openReservations(tx, faker, ctx, { balances, byId });
  return { movements: count, reservations };
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
