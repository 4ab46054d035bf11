import { eq } from 'drizzle-orm';
import { productCreate, productListQuery, productUpdate } from '../../../../contracts/catalog.js';
import { AppError, type FieldError } from '../../../platform/errors.js';
import { fenToYuan, yuanToFen } from '../../../platform/import-export/cells.js';
import {
  defineExporter,
  defineImporter,
  type ExportColumn,
  everyPage,
  type ImportRecord,
  type ImportRun,
  type Label,
  validateInput,
} from '../../../platform/import-export/definitions.js';
import { normaliseHeader } from '../../../platform/import-export/mapping.js';
import { activeCategoriesByCode } from './categories.service.js';
import { normaliseSku } from './product-rules.js';
import {
  createProduct,
  createProducts,
  listProducts,
  type ProductInput,
  type ProductView,
  setProductStatus,
  updateProduct,
} from './products.service.js';
import { products } from './schema.js';

// Import and export of the catalog. Rows go through the products' own services, so an imported
// product is checked and audited like one entered on its page. The cost price and margin
// columns carry the products.cost permission: colleagues without it neither get them in an
// export nor can map a cost column in an import (the platform leaves such fields out).

const TRACKING_LABELS: Record<'none' | 'batch' | 'serial', Label> = {
  none: { 'zh-CN': '不跟踪', en: 'None' },
  batch: { 'zh-CN': '批次', en: 'Batch' },
  serial: { 'zh-CN': '序列号', en: 'Serial' },
};
const STATUS_LABELS: Record<'active' | 'archived', Label> = {
  active: { 'zh-CN': '在售', en: 'Active' },
  archived: { 'zh-CN': '已归档', en: 'Archived' },
};

function fromLabel<K extends string>(
  labels: Record<K, Label>,
  value: string | null | undefined,
  path: string,
  errors: FieldError[],
): K | undefined {
  if (!value) return undefined;
  const wanted = normaliseHeader(value);
  for (const [key, label] of Object.entries(labels) as [K, Label][]) {
    if ([key, label['zh-CN'], label.en].some((v) => normaliseHeader(v) === wanted)) return key;
  }
  errors.push({
    path,
    message: 'oneOf',
    params: {
      values: Object.values<Label>(labels)
        .map((l) => l['zh-CN'])
        .join('/'),
    },
  });
  return undefined;
}

const L = (zh: string, en: string): Label => ({ 'zh-CN': zh, en });

export const productImportFields = [
  {
    key: 'sku',
    label: L('SKU编码', 'SKU'),
    aliases: ['SKU', '编码', '商品编码', '货号', 'code'],
    required: true,
    example: 'LT-T5-2024',
  },
  {
    key: 'name',
    label: L('商品名称', 'Name'),
    aliases: ['名称', '品名', 'product name'],
    required: true,
    example: '轻卡 T5 厢式货车',
  },
  {
    key: 'nameEn',
    label: L('英文名称', 'English name'),
    aliases: ['name_en', '英文名'],
    example: 'Light truck T5 box',
  },
  {
    key: 'specification',
    label: L('规格型号', 'Specification'),
    aliases: ['规格', '型号', 'spec'],
    example: '4.2米厢 / 柴油 / 国六',
  },
  {
    key: 'uom',
    label: L('单位', 'Unit'),
    aliases: ['计量单位', 'uom', 'unit of measure'],
    required: true,
    example: '辆',
  },
  {
    key: 'barcode',
    label: L('条码', 'Barcode'),
    aliases: ['条形码', 'ean', 'upc'],
    example: '6901234567892',
  },
  { key: 'brand', label: L('品牌', 'Brand'), aliases: ['brand name'], example: '星辰' },
  {
    key: 'category',
    label: L('分类编码', 'Category code'),
    aliases: ['分类', '类别', 'category'],
    example: 'VEH-LT',
  },
  { key: 'taxRate', label: L('税率', 'Tax rate'), aliases: ['增值税率', 'vat', 'vat rate'], example: '13%' },
  {
    key: 'listPrice',
    label: L('标准售价（元）', 'List price (yuan)'),
    aliases: ['售价', '标准价', '指导价', 'list price', 'price'],
    required: true,
    example: '128000',
  },
  {
    key: 'costPrice',
    label: L('成本价（元）', 'Cost price (yuan)'),
    aliases: ['成本', '成本价', 'cost', 'cost price'],
    example: '98000',
    permission: 'products.cost',
  },
  { key: 'grade', label: L('商品等级', 'Grade'), aliases: ['等级', 'ABC'], example: 'A' },
  {
    key: 'trackingMode',
    label: L('跟踪方式', 'Tracking'),
    aliases: ['批次/序列号', 'tracking mode'],
    example: '序列号',
  },
  { key: 'status', label: L('状态', 'Status'), aliases: ['商品状态'], example: '在售' },
];

async function categoryIdOf(run: ImportRun, code: string | null | undefined, errors: FieldError[]) {
  if (!code) return undefined;
  let byCode = run.cache.get('categories') as Map<string, string> | undefined;
  if (!byCode) {
    byCode = await activeCategoriesByCode(run.tx);
    run.cache.set('categories', byCode);
  }
  const id = byCode.get(code.toLowerCase());
  if (!id) errors.push({ path: 'categoryId', message: 'notFoundValue', params: { value: code } });
  return id;
}

/** A row's cells as the products' input, every problem of the row collected. */
async function productFields(record: ImportRecord, run: ImportRun, errors: FieldError[]) {
  const fields = {
    sku: record.sku ?? undefined,
    name: record.name ?? undefined,
    nameEn: record.nameEn,
    specification: record.specification,
    uom: record.uom ?? undefined,
    barcode: record.barcode,
    brand: record.brand,
    categoryId: await categoryIdOf(run, record.category, errors),
    taxRate: record.taxRate,
    listPrice: yuanToFen(record.listPrice ?? null, 'listPrice', errors),
    costPrice: yuanToFen(record.costPrice ?? null, 'costPrice', errors),
    grade: record.grade ? record.grade.toUpperCase() : undefined,
    trackingMode: fromLabel(TRACKING_LABELS, record.trackingMode, 'trackingMode', errors),
  };
  const status = fromLabel(STATUS_LABELS, record.status, 'status', errors);
  return { fields: withoutBlanks(fields), status };
}

const withoutBlanks = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

function assertMayArchive(run: ImportRun) {
  if (run.ctx.actor && !run.ctx.actor.permissions.has('products.archive')) {
    throw new AppError('forbidden', { permission: 'products.archive' }, [
      { path: 'status', message: 'invalid' },
    ]);
  }
}

type Found = { id: string; version: number; status: 'active' | 'archived' };

export const productsImporter = defineImporter<Found>({
  entity: 'products',
  label: L('商品', 'Products'),
  permissions: { create: 'products.create', update: 'products.update' },
  duplicateKey: 'sku',
  createDuplicates: false,
  fieldOfPath: { categoryId: 'category' },
  fields: productImportFields,
  async find(record, run) {
    if (!record.sku) return null;
    const [found] = await run.tx
      .select({ id: products.id, version: products.version, status: products.status })
      .from(products)
      .where(eq(products.sku, normaliseSku(record.sku)))
      .limit(1);
    return found ?? null;
  },
  async create(record, run) {
    const errors: FieldError[] = [];
    const { fields, status } = await productFields(record, run, errors);
    if (status === 'archived') assertMayArchive(run);
    const input = validateInput(productCreate, fields, errors);
    const row = await createProduct(run.tx, run.ctx, input);
    if (status === 'archived') await setProductStatus(run.tx, run.ctx, row.id, 'archived', row.version);
  },
  async createMany(records, run) {
    const picked: { index: number; input: ProductInput }[] = [];
    for (const [index, record] of records.entries()) {
      const errors: FieldError[] = [];
      try {
        const { fields, status } = await productFields(record, run, errors);
        if (status === 'archived') continue;
        picked.push({ index, input: validateInput(productCreate, fields, errors) });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
      }
    }
    const rows = await createProducts(
      run.tx,
      run.ctx,
      picked.map((p) => p.input),
    );
    const created = records.map(() => false);
    rows.forEach((row, k) => {
      if (row) created[picked[k]!.index] = true;
    });
    return created;
  },
  async update(existing, record, run) {
    const errors: FieldError[] = [];
    const { fields, status } = await productFields(record, run, errors);
    if (status && status !== existing.status) assertMayArchive(run);
    const { sku: _sameSku, ...changes } = fields;
    let version = existing.version;
    // An archived product is restored before it is changed, and archived after.
    if (existing.status === 'archived' && status === 'active') {
      await setProductStatus(run.tx, run.ctx, existing.id, 'active', version++);
    }
    const input = validateInput(productUpdate, { ...changes, version }, errors);
    if (Object.keys(changes).length) {
      await updateProduct(run.tx, run.ctx, existing.id, input);
      version++;
    }
    if (existing.status === 'active' && status === 'archived') {
      await setProductStatus(run.tx, run.ctx, existing.id, 'archived', version);
    }
  },
});

const columns: ExportColumn<ProductView>[] = [
  { key: 'sku', label: productImportFields[0]!.label, value: (p) => p.sku },
  { key: 'name', label: productImportFields[1]!.label, value: (p) => p.name },
  { key: 'nameEn', label: productImportFields[2]!.label, value: (p) => p.nameEn },
  { key: 'specification', label: productImportFields[3]!.label, value: (p) => p.specification },
  { key: 'uom', label: productImportFields[4]!.label, value: (p) => p.uom },
  { key: 'barcode', label: productImportFields[5]!.label, value: (p) => p.barcode },
  { key: 'brand', label: productImportFields[6]!.label, value: (p) => p.brand },
  { key: 'category', label: productImportFields[7]!.label, value: (p) => p.categoryCode },
  { key: 'categoryName', label: L('分类名称', 'Category'), value: (p) => p.categoryName },
  { key: 'taxRate', label: productImportFields[8]!.label, value: (p) => p.taxRate },
  { key: 'listPrice', label: productImportFields[9]!.label, value: (p) => fenToYuan(p.listPrice) },
  {
    key: 'costPrice',
    label: productImportFields[10]!.label,
    value: (p) => fenToYuan(p.costPrice ?? null),
    permission: 'products.cost',
  },
  {
    key: 'margin',
    label: L('毛利率（%）', 'Margin (%)'),
    value: (p) => (p.margin ? Number(p.margin) : null),
    permission: 'products.cost',
  },
  { key: 'grade', label: productImportFields[11]!.label, value: (p) => p.grade },
  {
    key: 'trackingMode',
    label: productImportFields[12]!.label,
    value: (p, l) => TRACKING_LABELS[p.trackingMode][l],
  },
  { key: 'status', label: productImportFields[13]!.label, value: (p, l) => STATUS_LABELS[p.status][l] },
];

const exportQuery = productListQuery.omit({ limit: true, cursor: true });

defineExporter({
  entity: 'products',
  label: L('商品', 'Products'),
  path: '/products',
  permission: 'products.read',
  query: exportQuery,
  columns,
  rows: everyPage(listProducts),
});
