import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { quantity as quantityContract } from '../../../../contracts/common.js';
import { stockLevelQuery } from '../../../../contracts/stock.js';
import { AppError, type FieldError } from '../../../platform/errors.js';
import { yuanToFen } from '../../../platform/import-export/cells.js';
import {
  defineExporter,
  defineImporter,
  everyPage,
  type ImportRecord,
  type ImportRun,
  type Label,
} from '../../../platform/import-export/definitions.js';
import { products } from '../catalog/schema.js';
import { postMovements } from './ledger.js';
import { warehouses } from './schema.js';
import { listStockLevels } from './stock.queries.js';

// Opening stock (期初库存) from a sheet: one row per location, SKU and — for tracked products —
// batch or serial, with an optional unit cost in yuan. Each row is a receipt of source 'opening'
// through the ledger; every row of one import shares one source id, so the import reads as one
// posting in the movement history. Choose "all or nothing" (the default advice in the docs): a
// bad row then leaves the books untouched, and the dry run shows every problem first.
// A serial appears once in a file (the duplicate key); one already in stock is refused on its row.

const L = (zh: string, en: string): Label => ({ 'zh-CN': zh, en });
export const OPENING_SOURCE = 'opening';
const SOURCE_KEY = 'opening-stock:sourceId';

const fields = [
  {
    key: 'warehouse',
    label: L('仓库编码', 'Location code'),
    aliases: ['仓库', '库位', '门店', 'warehouse', 'location'],
    required: true,
    example: 'WH-SH',
  },
  {
    key: 'sku',
    label: L('SKU编码', 'SKU'),
    aliases: ['SKU', '商品编码', '货号'],
    required: true,
    example: 'PT-OIL-5L',
  },
  {
    key: 'quantity',
    label: L('数量', 'Quantity'),
    aliases: ['期初数量', '库存数量', 'qty'],
    required: true,
    example: '120',
  },
  { key: 'batchNo', label: L('批次号', 'Batch no.'), aliases: ['批次', 'batch'], example: 'B2026-01' },
  { key: 'serialNo', label: L('序列号', 'Serial no.'), aliases: ['车架号', 'VIN', 'serial'], example: '' },
  {
    key: 'unitCost',
    label: L('单位成本（元）', 'Unit cost (yuan)'),
    aliases: ['成本', '单位成本', '单价', 'cost'],
    example: '85.50',
  },
];

async function warehouseByCode(run: ImportRun, code: string) {
  const key = `wh:${code.toUpperCase()}`;
  if (!run.cache.has(key)) {
    const [w] = await run.tx.select({ id: warehouses.id }).from(warehouses).where(eq(warehouses.code, code));
    run.cache.set(key, w?.id ?? null);
  }
  return run.cache.get(key) as string | null;
}

async function productBySku(run: ImportRun, sku: string) {
  const key = `sku:${sku}`;
  if (!run.cache.has(key)) {
    const [p] = await run.tx.select({ id: products.id }).from(products).where(eq(products.sku, sku));
    run.cache.set(key, p?.id ?? null);
  }
  return run.cache.get(key) as string | null;
}

/** One row → one receipt movement of the import's opening posting. */
async function postOpeningRow(record: ImportRecord, run: ImportRun) {
  const errors: FieldError[] = [];
  const warehouseId = record.warehouse ? await warehouseByCode(run, record.warehouse) : null;
  if (!warehouseId)
    errors.push({ path: 'warehouse', message: 'notFoundValue', params: { value: record.warehouse } });
  const productId = record.sku ? await productBySku(run, record.sku) : null;
  if (!productId) errors.push({ path: 'sku', message: 'notFoundValue', params: { value: record.sku } });
  const quantity = quantityContract.safeParse(record.quantity ?? '');
  if (!quantity.success) errors.push({ path: 'quantity', message: 'quantity' });
  const unitCost = yuanToFen(record.unitCost ?? null, 'unitCost', errors);
  if (unitCost !== undefined && !run.ctx.actor?.permissions.has('products.cost') && run.ctx.actor) {
    errors.push({ path: 'unitCost', message: 'costNotAllowed' });
  }
  if (errors.length) throw new AppError('validation_failed', {}, errors);
  await postMovements(run.tx, run.ctx, {
    sourceType: OPENING_SOURCE,
    sourceId: run.cache.get(SOURCE_KEY) as string,
    reason: '期初库存',
    movements: [
      {
        kind: 'receipt',
        warehouseId: warehouseId!,
        productId: productId!,
        quantity: quantity.data!,
        batchNo: record.batchNo,
        serialNo: record.serialNo,
        unitCost: unitCost ?? null,
      },
    ],
  });
}

defineImporter<{ id: string }>({
  entity: 'opening-stock',
  label: L('期初库存', 'Opening stock'),
  permissions: { create: 'stock.receive', update: 'stock.receive' },
  fields,
  duplicateKey: 'serialNo',
  createDuplicates: false,
  async prepare(run) {
    run.cache.set(SOURCE_KEY, uuidv7());
  },
  // Stock is added, never matched: every row is a new receipt.
  find: async () => null,
  create: postOpeningRow,
  update: async () => {
    throw new AppError('bad_request');
  },
});

const levelsQuery = stockLevelQuery.omit({ limit: true, cursor: true });

type LevelRow = Awaited<ReturnType<typeof listStockLevels>>['items'][number];

defineExporter<LevelRow, typeof levelsQuery>({
  entity: 'stock-levels',
  label: L('库存余额', 'Stock levels'),
  path: '/stock/levels',
  permission: 'stock.read',
  query: levelsQuery,
  columns: [
    { key: 'warehouse', label: L('仓库编码', 'Location code'), value: (r) => r.warehouseCode },
    { key: 'warehouseName', label: L('仓库', 'Location'), value: (r) => r.warehouseName },
    { key: 'sku', label: L('SKU编码', 'SKU'), value: (r) => r.sku },
    { key: 'name', label: L('商品名称', 'Name'), value: (r) => r.productName },
    { key: 'uom', label: L('单位', 'Unit'), value: (r) => r.uom },
    { key: 'onHand', label: L('在库', 'On hand'), value: (r) => Number(r.onHand) },
    { key: 'reserved', label: L('已预留', 'Reserved'), value: (r) => Number(r.reserved) },
    { key: 'available', label: L('可用', 'Available'), value: (r) => Number(r.available) },
    {
      key: 'reorderPoint',
      label: L('补货点', 'Reorder point'),
      value: (r) => (r.reorderPoint === null ? null : Number(r.reorderPoint)),
    },
  ],
  rows: everyPage((db, _ctx, q) => listStockLevels(db, q)),
});
