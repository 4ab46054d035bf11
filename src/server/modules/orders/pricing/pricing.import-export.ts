import { Decimal } from 'decimal.js';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.js';
import { AppError, type FieldError } from '../../../platform/errors.js';
import { fenToYuan, yuanToFen } from '../../../platform/import-export/cells.js';
import {
  defineExporter,
  defineImporter,
  type ImportRecord,
} from '../../../platform/import-export/definitions.js';
import { products } from '../catalog/schema.js';
import { createPriceRule, updatePriceRule } from './pricing.service.js';
import { priceListRules, priceLists } from './schema.js';

// Prices in and out of spreadsheets: one row per (price list code, SKU, minimum quantity) —
// a fixed price in yuan or a percentage of the list price, and a floor in yuan. Import upserts
// by that key through the rule services (same checks, same audit as the editor).

interface Key {
  listId: string;
  productId: string;
  minQuantity: string;
}

async function keyOf(db: Db, record: ImportRecord, errors: FieldError[]): Promise<Key | null> {
  let listId: string | undefined;
  let productId: string | undefined;
  if (record.priceList) {
    const [list] = await db
      .select({ id: priceLists.id })
      .from(priceLists)
      .where(sql`lower(${priceLists.code}) = ${record.priceList.toLowerCase()}`);
    if (list) listId = list.id;
    else errors.push({ path: 'priceList', message: 'notFoundValue', params: { value: record.priceList } });
  }
  if (record.sku) {
    const [product] = await db
      .select({ id: products.id })
      .from(products)
      .where(sql`lower(${products.sku}) = ${record.sku.toLowerCase()}`);
    if (product) productId = product.id;
    else errors.push({ path: 'sku', message: 'notFoundValue', params: { value: record.sku } });
  }
  const raw = record.minQuantity?.replace(/[,，\s]/g, '') || '0';
  if (!/^\d{1,12}(\.\d{1,3})?$/.test(raw)) errors.push({ path: 'minQuantity', message: 'format' });
  if (!listId || !productId || errors.length) return null;
  return { listId, productId, minQuantity: new Decimal(raw).toString() };
}

/** "95%" or "95 %" → percent '95'; "12,380.00" / "¥12380" → fen. */
function priceCells(record: ImportRecord, errors: FieldError[]) {
  const cell = record.price?.trim() ?? '';
  let price: number | undefined;
  let percent: string | undefined;
  if (/[%％]$/.test(cell)) {
    const p = cell.replace(/[%％\s]/g, '');
    if (/^\d{1,3}(\.\d{1,3})?$/.test(p) && Number(p) > 0 && Number(p) <= 500) percent = p;
    else errors.push({ path: 'price', message: 'invalid' });
  } else {
    price = yuanToFen(cell || null, 'price', errors);
  }
  const floorPrice = yuanToFen(record.floor ?? null, 'floor', errors);
  return { price, percent, floorPrice };
}

const fail = (errors: FieldError[]) => {
  if (errors.length) throw new AppError('validation_failed', {}, errors);
};

defineImporter<Key & { ruleId: string | null; version: number }>({
  entity: 'prices',
  label: { 'zh-CN': '价格', en: 'Prices' },
  permissions: { create: 'price-lists.manage', update: 'price-lists.manage' },
  // The key is (list, SKU, min quantity); the platform matches one field only, so no single field
  // is named here and in-file repeats simply upsert again (the later row wins).
  duplicateKey: 'priceList+sku+minQuantity',
  createDuplicates: false,
  fieldOfPath: { productId: 'sku', percent: 'price', floorPrice: 'floor' },
  fields: [
    {
      key: 'priceList',
      label: { 'zh-CN': '价目表编码', en: 'Price list code' },
      aliases: ['价目表', '价格表', 'price list', 'list code'],
      required: true,
      example: 'DEALER',
    },
    {
      key: 'sku',
      label: { 'zh-CN': '商品编码', en: 'SKU' },
      aliases: ['SKU', '货号', '物料编码', 'product code', 'item code'],
      required: true,
      example: 'LT-3100',
    },
    {
      key: 'minQuantity',
      label: { 'zh-CN': '起订量', en: 'Min quantity' },
      aliases: ['最小数量', '阶梯数量', '数量起', 'tier', 'from quantity', 'minimum quantity'],
      example: '10',
    },
    {
      key: 'price',
      label: { 'zh-CN': '价格(元)或折扣%', en: 'Price (yuan) or %' },
      aliases: ['价格', '单价', '售价', '折扣', 'price', 'unit price', 'percent'],
      required: true,
      example: '126800 或 95%',
    },
    {
      key: 'floor',
      label: { 'zh-CN': '底价(元)', en: 'Floor (yuan)' },
      aliases: ['底价', '最低价', '限价', 'floor', 'floor price', 'minimum price'],
      example: '118000',
    },
  ],
  async find(record, run) {
    const key = await keyOf(run.tx, record, []);
    if (!key) return null;
    const [rule] = await run.tx
      .select({ id: priceListRules.id, version: priceListRules.version })
      .from(priceListRules)
      .where(
        and(
          eq(priceListRules.priceListId, key.listId),
          eq(priceListRules.productId, key.productId),
          sql`${priceListRules.minQuantity} = ${key.minQuantity}::numeric`,
          isNull(priceListRules.archivedAt),
        ),
      );
    return rule ? { ...key, ruleId: rule.id, version: rule.version } : null;
  },
  async create(record, run) {
    const errors: FieldError[] = [];
    const key = await keyOf(run.tx, record, errors);
    const cells = priceCells(record, errors);
    fail(errors);
    await createPriceRule(run.tx, run.ctx, key!.listId, {
      productId: key!.productId,
      minQuantity: key!.minQuantity,
      ...(cells.price !== undefined ? { price: cells.price } : {}),
      ...(cells.percent !== undefined ? { percent: cells.percent } : {}),
      ...(cells.floorPrice !== undefined ? { floorPrice: cells.floorPrice } : {}),
    });
  },
  async update(existing, record, run) {
    const errors: FieldError[] = [];
    const cells = priceCells(record, errors);
    fail(errors);
    await updatePriceRule(run.tx, run.ctx, existing.listId, existing.ruleId!, {
      ...(cells.price !== undefined ? { price: cells.price } : {}),
      ...(cells.percent !== undefined ? { percent: cells.percent } : {}),
      ...(cells.floorPrice !== undefined ? { floorPrice: cells.floorPrice } : {}),
      version: existing.version,
    });
  },
});

interface PriceRow {
  id: string;
  listCode: string;
  listName: string;
  sku: string;
  productName: string;
  minQuantity: string;
  price: number | null;
  percent: string | null;
  floorPrice: number | null;
}

const exportQuery = z.object({ priceListId: z.uuid().optional() }).strict();

/** Every live product rule (category rules are not SKU rows and stay in the editor), by id. */
async function* priceRows(
  db: Db,
  _ctx: unknown,
  query: z.infer<typeof exportQuery>,
): AsyncIterable<PriceRow[]> {
  let after: string | null = null;
  for (;;) {
    const rows: PriceRow[] = await db
      .select({
        id: priceListRules.id,
        listCode: priceLists.code,
        listName: priceLists.name,
        sku: products.sku,
        productName: products.name,
        minQuantity: priceListRules.minQuantity,
        price: priceListRules.price,
        percent: priceListRules.percent,
        floorPrice: priceListRules.floorPrice,
      })
      .from(priceListRules)
      .innerJoin(priceLists, eq(priceLists.id, priceListRules.priceListId))
      .innerJoin(products, eq(products.id, priceListRules.productId))
      .where(
        and(
          isNull(priceListRules.archivedAt),
          query.priceListId ? eq(priceListRules.priceListId, query.priceListId) : undefined,
          after ? gt(priceListRules.id, after) : undefined,
        ),
      )
      .orderBy(asc(priceListRules.id))
      .limit(500);
    if (!rows.length) return;
    yield rows;
    after = rows.at(-1)!.id;
    if (rows.length < 500) return;
  }
}

defineExporter({
  entity: 'prices',
  label: { 'zh-CN': '价格', en: 'Prices' },
  path: '/price-lists/prices',
  permission: 'price-lists.read',
  query: exportQuery,
  columns: [
    {
      key: 'priceList',
      label: { 'zh-CN': '价目表编码', en: 'Price list code' },
      value: (r: PriceRow) => r.listCode,
    },
    {
      key: 'listName',
      label: { 'zh-CN': '价目表名称', en: 'Price list' },
      value: (r: PriceRow) => r.listName,
    },
    { key: 'sku', label: { 'zh-CN': '商品编码', en: 'SKU' }, value: (r: PriceRow) => r.sku },
    {
      key: 'productName',
      label: { 'zh-CN': '商品名称', en: 'Product' },
      value: (r: PriceRow) => r.productName,
    },
    {
      key: 'minQuantity',
      label: { 'zh-CN': '起订量', en: 'Min quantity' },
      value: (r: PriceRow) => new Decimal(r.minQuantity).toString(),
    },
    {
      key: 'price',
      label: { 'zh-CN': '价格(元)或折扣%', en: 'Price (yuan) or %' },
      value: (r: PriceRow) =>
        r.percent !== null ? `${new Decimal(r.percent).toString()}%` : fenToYuan(r.price),
    },
    {
      key: 'floor',
      label: { 'zh-CN': '底价(元)', en: 'Floor (yuan)' },
      value: (r: PriceRow) => fenToYuan(r.floorPrice),
    },
  ],
  rows: priceRows,
});
