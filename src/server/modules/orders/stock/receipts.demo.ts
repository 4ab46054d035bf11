import type { Faker } from '@faker-js/faker';
import { Decimal } from 'decimal.js';
import { and, count, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import type { Ctx } from '../../../platform/context.js';
import { cycleCountLines, cycleCounts } from './cycle-counts.schema.js';
import { createCount, enterCounts, postCount } from './cycle-counts.service.js';
import { purchaseReceipts } from './receipts.schema.js';
import { createReceipt, postReceipt, RECEIPT_SOURCE } from './receipts.service.js';
import { stockLevels, stockMovements } from './schema.js';
import { setReorderPoint } from './warehouses.service.js';

// Demo purchase receipts: about four a month over the last `months` months from the suppliers of
// a commercial-vehicle dealer (chassis plants, battery makers, parts and oil distributors), each
// posted through the service on its own date; two drafts waiting for goods; one completed cycle
// count; and reorder points on a share of the levels so that a handful show as low stock.

export interface DemoReceiptProduct {
  id: string;
  trackingMode: 'none' | 'batch' | 'serial';
  listPrice: number;
  costPrice: number | null;
}

const SUPPLIERS = {
  vehicle: [
    '江铃汽车股份有限公司',
    '福田汽车北京销售分公司',
    '上汽大通南京工厂',
    '宇通客车销售部',
    '比亚迪商用车销售',
  ],
  parts: [
    '博世汽车配件（华东）',
    '长城润滑油华东经销处',
    '玲珑轮胎苏州仓',
    '宁德时代动力电池服务站',
    '万向钱潮配件中心',
  ],
};

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export async function seedReceiptsDemo(
  tx: Db,
  faker: Faker,
  ctx: Ctx,
  input: {
    warehouses: { id: string }[];
    products: DemoReceiptProduct[];
    months: number;
    now?: Date;
  },
): Promise<{ receipts: number; movements: number }> {
  const now = input.now ?? new Date();
  if (!input.warehouses.length || !input.products.length) return { receipts: 0, movements: 0 };
  const vehicles = input.products.filter((p) => p.trackingMode === 'serial');
  const parts = input.products.filter((p) => p.trackingMode !== 'serial');
  const unitCost = (p: DemoReceiptProduct) => p.costPrice ?? Math.round(p.listPrice * 0.78);
  let serialSeq = 0;
  let receipts = 0;

  const receiptFor = (at: Date) => {
    const vehicleReceipt = vehicles.length > 0 && faker.number.int({ min: 0, max: 3 }) === 0;
    const pool = vehicleReceipt ? vehicles : parts.length ? parts : vehicles;
    const picked = faker.helpers.arrayElements(pool, { min: 1, max: Math.min(4, pool.length) });
    const yyyymm = isoDay(at).slice(0, 7).replace('-', '');
    return {
      supplierName: faker.helpers.arrayElement(vehicleReceipt ? SUPPLIERS.vehicle : SUPPLIERS.parts),
      supplierNoteNo: `DN${yyyymm}${faker.string.numeric(4)}`,
      warehouseId: faker.helpers.arrayElement(input.warehouses).id,
      receiptDate: isoDay(at),
      lines: picked.map((p) => {
        if (p.trackingMode === 'serial') {
          const n = faker.number.int({ min: 1, max: 3 });
          return {
            productId: p.id,
            unitCost: unitCost(p),
            serialNos: Array.from({ length: n }, () => `LPR${yyyymm}${String(++serialSeq).padStart(8, '0')}`),
          };
        }
        return {
          productId: p.id,
          quantity: String(faker.number.int({ min: 2, max: 12 }) * 10),
          unitCost: unitCost(p),
          ...(p.trackingMode === 'batch'
            ? {
                batchNo: `B${yyyymm}-${faker.string.numeric(3)}`,
                producedOn: isoDay(new Date(at.getTime() - 30 * DAY_MS)),
                expiresOn: isoDay(new Date(at.getTime() + 3 * 365 * DAY_MS)),
              }
            : {}),
        };
      }),
    };
  };

  for (let m = input.months - 1; m >= 0; m--) {
    const perMonth = faker.number.int({ min: 3, max: 5 });
    for (let k = 0; k < perMonth; k++) {
      const daysAgo = m * 30 + faker.number.int({ min: 1, max: 29 });
      const at = new Date(now.getTime() - daysAgo * DAY_MS);
      const id = await createReceipt(tx, ctx, receiptFor(at));
      await postReceipt(tx, ctx, id, 1);
      receipts++;
    }
  }
  for (let k = 0; k < 2; k++) {
    await createReceipt(tx, ctx, { ...receiptFor(now), note: '等待供应商到货' });
    receipts++;
  }

  // One completed count of the first location: everything as on the books but two small losses.
  const warehouseId = input.warehouses[0]!.id;
  const countId = await createCount(tx, ctx, {
    warehouseId,
    productIds: parts.slice(0, 12).map((p) => p.id),
    blind: false,
    note: '季度抽盘',
  });
  const lines = await tx.select().from(cycleCountLines).where(eq(cycleCountLines.countId, countId));
  let losses = 0;
  const entries = lines.map((l) => {
    const expected = new Decimal(l.expected);
    const lose = losses < 2 && !l.serialNo && expected.greaterThanOrEqualTo(5);
    if (lose) losses++;
    return { lineId: l.id, counted: (lose ? expected.minus(1) : expected).toString() };
  });
  await enterCounts(tx, ctx, countId, { lines: entries, added: [], version: 1 });
  const [opened] = await tx
    .select({ version: cycleCounts.version })
    .from(cycleCounts)
    .where(eq(cycleCounts.id, countId));
  await postCount(tx, ctx, countId, opened!.version);

  // Reorder points on about a fifth of the levels: most comfortably below stock, a few above it.
  const levels = await tx
    .select()
    .from(stockLevels)
    .where(gt(stockLevels.onHand, '0'))
    .orderBy(stockLevels.warehouseId, stockLevels.productId);
  const chosen = levels.filter((_, i) => i % 5 === 0);
  let low = 0;
  for (const l of chosen) {
    const onHand = new Decimal(l.onHand);
    const makeLow = low < 6 && onHand.greaterThan(1);
    if (makeLow) low++;
    const point = makeLow ? onHand.plus(2) : Decimal.max(1, onHand.times(0.3).floor());
    await setReorderPoint(
      tx,
      ctx,
      { warehouseId: l.warehouseId, productId: l.productId },
      { reorderPoint: point.toString(), reorderQuantity: point.times(2).toString() },
    );
  }

  const [{ n } = { n: 0 }] = await tx
    .select({ n: count() })
    .from(stockMovements)
    .where(
      and(
        eq(stockMovements.sourceType, RECEIPT_SOURCE),
        inArray(stockMovements.sourceId, tx.select({ id: purchaseReceipts.id }).from(purchaseReceipts)),
      ),
    );
  return { receipts, movements: n };
}
