import type { Faker } from '@faker-js/faker';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { DemoOrg } from '../../demo/org.js';
import type { Ctx } from '../../platform/context.js';
import { companyTimeZone } from '../../platform/settings/settings.service.js';
import { seedCatalogDemo } from './catalog/catalog.demo.js';
import { products } from './catalog/schema.js';
import { seedPricingDemo } from './pricing/pricing.demo.js';
import {
  type DemoShipment,
  type DemoStockProduct,
  monthStart,
  seedOpeningStockDemo,
  seedStockHistoryDemo,
} from './stock/history.demo.js';
import { seedReceiptsDemo } from './stock/receipts.demo.js';
import { stockLotLevels, stockLots } from './stock/schema.js';
import { seedWarehousesDemo } from './stock/stock.demo.js';
import { seedUnitsDemo } from './units/units.demo.js';

/** Months of stock history the demo company has (issue 5: eighteen). */
const HISTORY_MONTHS = 18;

export interface OrdersDemoCounts {
  categories: number;
  products: number;
  warehouses: number;
  priceLists: number;
  priceRules: number;
  receipts: number;
  movements: number;
  reservations: number;
  unitProjects: number;
  units: number;
}

/** What the order-to-cash demo builds on: the sales shipments the stock history posted. */
export interface OrdersDemoContext {
  shipments: DemoShipment[];
}

/**
 * The catalog, price lists, stock and units of the demo company, written in the caller's
 * transaction: products and categories, five locations, eight price lists, opening stock
 * eighteen months ago, purchase receipts and a month-by-month history of sales shipments, transfers
 * and write-offs through the stock ledger, and a property project for the unit grid.
 */
export async function seedOrdersDemo(
  tx: Db,
  faker: Faker,
  ctx: Ctx,
  org: DemoOrg,
  opts: { scale: number; now?: Date },
): Promise<{ counts: OrdersDemoCounts; context: OrdersDemoContext }> {
  const now = opts.now ?? new Date();
  const timeZone = await companyTimeZone(tx);
  const catalog = await seedCatalogDemo(tx, faker, { scale: opts.scale });
  const places = await seedWarehousesDemo(tx, faker, { regions: org.regions });
  const rows = await tx
    .select({
      id: products.id,
      categoryId: products.categoryId,
      listPrice: products.listPrice,
      costPrice: products.costPrice,
      status: products.status,
    })
    .from(products)
    .where(
      inArray(
        products.id,
        catalog.products.map((p) => p.id),
      ),
    );
  const details = new Map(rows.map((r) => [r.id, r]));
  // Services (maintenance packages, warranties) are sold, never stocked; archived items are gone.
  const stocked: DemoStockProduct[] = catalog.products
    .filter((p) => !p.categoryCode.startsWith('SVC') && details.get(p.id)?.status === 'active')
    .map((p) => ({
      id: p.id,
      trackingMode: p.trackingMode,
      kind: p.categoryCode.startsWith('VEH') ? 'vehicle' : 'part',
      costPrice: details.get(p.id)?.costPrice ?? null,
    }));

  const placeRows = places.map((p) => ({
    ...p,
    kind: p.code.startsWith('ST-') ? ('store' as const) : ('warehouse' as const),
  }));
  const opening = await seedOpeningStockDemo(tx, faker, ctx, {
    places: placeRows,
    products: stocked,
    date: monthStart(now, HISTORY_MONTHS - 1, timeZone),
  });
  const receipts = await seedReceiptsDemo(tx, faker, ctx, {
    warehouses: places,
    products: stocked.map((p) => ({
      id: p.id,
      trackingMode: p.trackingMode,
      listPrice: details.get(p.id)?.listPrice ?? 0,
      costPrice: p.costPrice,
    })),
    months: HISTORY_MONTHS,
    now,
  });
  const history = await seedStockHistoryDemo(tx, faker, ctx, {
    places: placeRows,
    products: stocked,
    months: HISTORY_MONTHS,
    now,
    timeZone,
    scale: opts.scale,
  });
  const pricing = await seedPricingDemo(tx, faker, {
    products: rows
      .filter((r) => r.status === 'active')
      .map((r) => ({ id: r.id, listPrice: r.listPrice, categoryId: r.categoryId ?? undefined })),
    regions: org.regions,
    now,
  });
  const vehicles = await vehiclesInStock(
    tx,
    catalog.products.filter((p) => p.categoryCode.startsWith('VEH')).map((p) => p.id),
  );
  const units = await seedUnitsDemo(tx, faker, { now, vehicles });
  const counts: OrdersDemoCounts = {
    categories: catalog.categories,
    products: catalog.products.length,
    warehouses: places.length,
    priceLists: pricing.priceLists,
    priceRules: pricing.rules,
    receipts: receipts.receipts,
    movements: opening + receipts.movements + history.movements,
    reservations: history.reservations,
    unitProjects: units.projects,
    units: units.units,
  };
  return { counts, context: { shipments: history.shipments } };
}

/** Vehicles on hand by VIN, with where they stand, model and list price: the vehicle units. */
async function vehiclesInStock(tx: Db, productIds: string[]) {
  if (productIds.length === 0) return [];
  return tx
    .select({
      productId: stockLots.productId,
      warehouseId: stockLotLevels.warehouseId,
      vin: sql<string>`${stockLots.serialNo}`,
      listPrice: products.listPrice,
      name: products.name,
      grade: products.grade,
      spec: products.specification,
    })
    .from(stockLotLevels)
    .innerJoin(stockLots, eq(stockLots.id, stockLotLevels.lotId))
    .innerJoin(products, eq(products.id, stockLots.productId))
    .where(and(inArray(stockLots.productId, productIds), sql`${stockLotLevels.onHand} > 0`))
    .orderBy(stockLots.serialNo)
    .limit(30);
}
