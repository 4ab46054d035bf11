import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../../platform/audit/schema.js';
import { uploadFile } from '../../../platform/files/testing.js';
import { multipartFile, readWorkbook, workbook } from '../../../platform/import-export/testing.js';
import { runDueJobs } from '../../../platform/jobs/jobs.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { marginPercent, productPinyin } from './product-rules.js';
import { products } from './schema.js';

let t: TestApp;
let director: Client;
let warehouse: Client;
let rep: Client;
let finance: Client;

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  director = await as(t.app, 'director');
  warehouse = await as(t.app, 'warehouse01');
  rep = await as(t.app, 'rep01');
  finance = await as(t.app, 'finance01');
});
afterAll(() => t.close());

describe('catalog rules', () => {
  it('margin is (list − cost) ÷ list, half-up to two decimals, none without a cost', () => {
    expect(marginPercent(10_000, 7_650)).toBe('23.50');
    expect(marginPercent(30_000, 20_000)).toBe('33.33');
    expect(marginPercent(10_000, null)).toBeNull();
    expect(marginPercent(0, 0)).toBeNull();
  });
  it('a product name gets its pinyin and initials', () => {
    expect(productPinyin('轻卡 T5 厢式车')).toEqual({
      namePinyin: 'qingkat5xiangshiche',
      nameInitials: 'qkt5xsc',
    });
  });
});

describe('a warehouse keeper builds the catalog and the sales floor uses it', () => {
  const ids: Record<string, string> = {};

  it('builds a category tree and refuses a duplicate code', async () => {
    const root = await warehouse.post('/product-categories', {
      code: 'VEH',
      name: '整车',
      nameEn: 'Vehicles',
    });
    expect(root.statusCode, root.payload).toBe(201);
    ids.veh = root.body.id;
    const lt = await warehouse.post('/product-categories', {
      code: 'VEH-LT',
      name: '轻卡',
      parentId: ids.veh,
    });
    expect(lt.statusCode).toBe(201);
    ids.lt = lt.body.id;
    const parts = await warehouse.post('/product-categories', { code: 'PARTS', name: '配件', sortOrder: 2 });
    ids.parts = parts.body.id;
    const again = await warehouse.post('/product-categories', { code: 'veh', name: '又一个整车' });
    expect(again.statusCode).toBe(409);
    expect(again.body.code).toBe('duplicate');

    const tree = (await rep.get('/product-categories')).body.items;
    expect(tree.map((c: { code: string; depth: number }) => [c.code, c.depth])).toEqual([
      ['VEH', 0],
      ['VEH-LT', 1],
      ['PARTS', 0],
    ]);
  });

  it('moves a category but never below itself, and refuses a product in an archived one', async () => {
    const tree = (await rep.get('/product-categories')).body.items;
    const veh = tree.find((c: { code: string }) => c.code === 'VEH');
    const below = await warehouse.patch(`/product-categories/${ids.veh}`, {
      parentId: ids.lt,
      version: veh.version,
    });
    expect(below.statusCode).toBe(400);
    expect(below.body.errors[0].path).toBe('parentId');
    const spare = await warehouse.post('/product-categories', {
      code: 'SPARE',
      name: '备用',
      parentId: ids.parts,
    });
    const archived = await warehouse.post(`/product-categories/${spare.body.id}/archive`, {
      version: spare.body.version,
    });
    expect(archived.body.archived).toBe(true);
    const into = await warehouse.post('/products', {
      sku: 'SP-1',
      name: '备用件',
      uom: '件',
      listPrice: 100,
      categoryId: spare.body.id,
    });
    expect(into.statusCode).toBe(409);
    expect(into.body.code).toBe('category_archived');
    const restored = await warehouse.post(`/product-categories/${spare.body.id}/restore`, {
      version: archived.body.version,
    });
    expect(restored.body.archived).toBe(false);
    const gone = await warehouse.post(`/product-categories/${spare.body.id}/archive`, {
      version: restored.body.version,
    });
    expect(gone.statusCode).toBe(200);
  });

  it('adds products with a cost price only the director may set, and a rep cannot see it', async () => {
    const truck = await director.post('/products', {
      sku: 'lt-t5-001',
      name: '轻卡 T5 厢式车',
      specification: '4.2米厢 / 柴油 / 国六',
      uom: '辆',
      brand: '星辰',
      categoryId: ids.lt,
      taxRate: '13%',
      listPrice: 12_800_000,
      costPrice: 9_800_000,
      grade: 'A',
      trackingMode: 'serial',
    });
    expect(truck.statusCode, truck.payload).toBe(201);
    expect(truck.body).toMatchObject({
      sku: 'LT-T5-001',
      taxRate: '0.13',
      costPrice: 9_800_000,
      margin: '23.44',
    });
    ids.truck = truck.body.id;

    // The warehouse keeper may add products but not cost prices: 403 and nothing written.
    const withCost = await warehouse.post('/products', {
      sku: 'FLT-001',
      name: '机油滤清器',
      uom: '件',
      listPrice: 4_500,
      costPrice: 2_000,
    });
    expect(withCost.statusCode).toBe(403);
    expect((await director.get('/products?q=FLT-001')).body.total).toBe(0);

    const filter = await warehouse.post('/products', {
      sku: 'FLT-001',
      name: '机油滤清器',
      uom: '件',
      barcode: '6901234567892',
      categoryId: ids.parts,
      taxRate: '0.13',
      listPrice: 4_500,
    });
    expect(filter.statusCode, filter.payload).toBe(201);
    ids.filter = filter.body.id;
    expect(filter.body).not.toHaveProperty('costPrice');

    const dupBarcode = await warehouse.post('/products', {
      sku: 'FLT-002',
      name: '空气滤清器',
      uom: '件',
      barcode: '6901234567892',
      listPrice: 6_000,
    });
    expect(dupBarcode.statusCode).toBe(409);
    expect(dupBarcode.body).toMatchObject({ code: 'duplicate', title: '数据重复' });
    const badRate = await warehouse.post('/products', {
      sku: 'X1',
      name: '某物',
      uom: '件',
      listPrice: 1,
      taxRate: '0.15',
    });
    expect(badRate.statusCode).toBe(400);
    expect(badRate.body.errors[0]).toMatchObject({ path: 'taxRate' });

    const seenByRep = (await rep.get(`/products/${ids.truck}`)).body;
    expect(seenByRep).not.toHaveProperty('costPrice');
    expect(seenByRep).not.toHaveProperty('margin');
    const listed = (await rep.get('/products')).body.items;
    expect(listed.every((p: object) => !('costPrice' in p))).toBe(true);
    expect((await finance.get(`/products/${ids.truck}`)).body).toMatchObject({
      costPrice: 9_800_000,
      margin: '23.44',
    });

    // Nor does the history give the cost away.
    const history = (await rep.get(`/products/${ids.truck}/history`)).body.items;
    expect(history.length).toBe(1);
    expect(history[0].changes).not.toHaveProperty('costPrice');
    expect((await finance.get(`/products/${ids.truck}/history`)).body.items[0].changes).toHaveProperty(
      'costPrice',
    );
  });

  it('shows the pictures uploaded on the product, the chosen cover first', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const record = { entity: 'product', entityId: ids.truck! };
    const front = await uploadFile(warehouse, record, '正面.png', png, 'image/png');
    expect(front.statusCode, front.payload).toBe(201);
    const side = await uploadFile(warehouse, record, '侧面.png', png, 'image/png');
    const sheet = await uploadFile(
      warehouse,
      record,
      '参数表.pdf',
      Buffer.from('%PDF-1.4\n%%EOF\n'),
      'application/pdf',
    );
    expect(sheet.statusCode).toBe(201);
    // The rep cannot upload: product pictures belong to those who keep the catalog.
    expect((await uploadFile(rep, record, 'x.png', png, 'image/png')).statusCode).toBe(403);

    let truck = (await rep.get(`/products/${ids.truck}`)).body;
    expect(truck.coverImageId).toBe(front.body.id);
    const cover = await rep.get(`/products/${ids.truck}/images/${front.body.id}`);
    expect(cover.statusCode).toBe(200);
    expect(cover.headers['content-type']).toBe('image/png');
    // A spec sheet is an attachment, not a picture.
    expect((await rep.get(`/products/${ids.truck}/images/${sheet.body.id}`)).statusCode).toBe(404);

    const notAPicture = await warehouse.patch(`/products/${ids.truck}`, {
      images: [sheet.body.id],
      version: truck.version,
    });
    expect(notAPicture.statusCode).toBe(400);
    expect(notAPicture.body.errors[0].path).toBe('images.0');
    const chosen = await warehouse.patch(`/products/${ids.truck}`, {
      images: [side.body.id, front.body.id],
      version: truck.version,
    });
    expect(chosen.statusCode, chosen.payload).toBe(200);
    truck = chosen.body;
    expect(truck.coverImageId).toBe(side.body.id);
  });

  it('finds products by pinyin initials, SKU, barcode and the category subtree', async () => {
    const skus = async (query: string) =>
      (await rep.get(`/products?${query}`)).body.items.map((p: { sku: string }) => p.sku);
    expect(await skus('q=qkt5')).toEqual(['LT-T5-001']);
    expect(await skus('q=jiyou')).toEqual(['FLT-001']);
    expect(await skus('q=lt-t5')).toEqual(['LT-T5-001']);
    expect(await skus('q=6901234567892')).toEqual(['FLT-001']);
    expect(await skus(`categoryId=${ids.veh}`)).toEqual(['LT-T5-001']);
    expect(await skus('trackingMode=serial&grade=A')).toEqual(['LT-T5-001']);
  });

  it('changes a product with its version, and refuses a stale one', async () => {
    const current = (await warehouse.get(`/products/${ids.filter}`)).body;
    const ok = await warehouse.patch(`/products/${ids.filter}`, {
      listPrice: 4_800,
      version: current.version,
    });
    expect(ok.statusCode, ok.payload).toBe(200);
    const stale = await warehouse.patch(`/products/${ids.filter}`, {
      listPrice: 5_000,
      version: current.version,
    });
    expect(stale.statusCode).toBe(409);
    expect((await warehouse.get(`/products/${ids.filter}`)).body.listPrice).toBe(4_800);
  });

  it('keeps a category with active products, archives a product, then the category', async () => {
    const parts = (await rep.get('/product-categories')).body.items.find(
      (c: { code: string }) => c.code === 'PARTS',
    );
    const refused = await warehouse.post(`/product-categories/${ids.parts}/archive`, {
      version: parts.version,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.body.code).toBe('category_in_use');
    expect(refused.body.detail).toContain('1 个在售商品');

    const filter = (await director.get(`/products/${ids.filter}`)).body;
    expect(
      (await warehouse.post(`/products/${ids.filter}/archive`, { version: filter.version })).statusCode,
    ).toBe(403);
    const archived = await director.post(`/products/${ids.filter}/archive`, { version: filter.version });
    expect(archived.body.status).toBe('archived');
    const change = await director.patch(`/products/${ids.filter}`, {
      name: '机油滤清器（旧）',
      version: archived.body.version,
    });
    expect(change.statusCode).toBe(409);
    expect(change.body.code).toBe('product_archived');

    expect(
      (await warehouse.post(`/product-categories/${ids.parts}/archive`, { version: parts.version }))
        .statusCode,
    ).toBe(200);
    expect(
      (await rep.get('/product-categories')).body.items.map((c: { code: string }) => c.code),
    ).not.toContain('PARTS');

    const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.entityId, ids.filter!));
    expect(audits.map((a) => a.action).sort()).toEqual(['archive', 'create', 'update']);
  });

  it('imports products by SKU (upsert), all or nothing: a bad row writes nothing', async () => {
    const header = ['SKU编码', '商品名称', '单位', '分类编码', '税率', '标准售价（元）', '跟踪方式'];
    const rows = [
      header,
      ['LT-T5-001', '轻卡 T5 厢式车', '辆', 'VEH-LT', '13%', '129,800', '序列号'],
      ['PK-S1-001', '皮卡 S1 两驱', '辆', 'VEH-LT', '0.13', '98000', '序列号'],
      ['PK-S1-002', '皮卡 S1 四驱', '辆', 'NOPE', '15%', '108000', ''],
    ];
    const run = async (client: Client, sheet: unknown[][], mode: 'all_or_nothing' | 'batches') => {
      const { payload, headers } = multipartFile('products.xlsx', await workbook(sheet));
      const up = await client.request('POST', '/imports?entity=products', payload, headers);
      expect(up.statusCode, up.payload).toBe(201);
      const current = (await client.get(`/imports/${up.body.id}`)).body;
      const started = await client.post(`/imports/${up.body.id}/run`, {
        mode,
        duplicates: 'update',
        version: current.version,
      });
      expect(started.statusCode, started.payload).toBe(200);
      await runDueJobs(t.database.db, { kinds: ['import.process'] });
      const done = (await client.get(`/imports/${up.body.id}`)).body;
      const errors = (await client.get(`/imports/${up.body.id}/errors?phase=run&limit=500`)).body.items;
      return { done, errors };
    };

    const failed = await run(director, rows, 'all_or_nothing');
    expect(failed.errors.map((e: { row: number; column: string }) => [e.row, e.column]).sort()).toEqual([
      [4, '分类编码'],
      [4, '税率'],
    ]);
    expect(failed.errors.find((e: { column: string }) => e.column === '税率').message).toContain('13%');
    expect((await director.get(`/products/${ids.truck}`)).body.listPrice).toBe(12_800_000);
    expect((await director.get('/products?q=PK-S1')).body.total).toBe(0);

    const fixed = await run(director, rows.slice(0, 3), 'all_or_nothing');
    expect(fixed.errors).toEqual([]);
    expect(fixed.done.result).toMatchObject({ created: 1, updated: 1 });
    expect((await director.get(`/products/${ids.truck}`)).body.listPrice).toBe(12_980_000);

    // Someone without products.cost cannot map a cost column: it is left out and never written.
    const costly = await run(
      warehouse,
      [
        [...header, '成本价（元）'],
        ['PK-S1-003', '皮卡 S1 长轴', '辆', 'VEH-LT', '13%', '99000', '', '80000'],
      ],
      'all_or_nothing',
    );
    expect(costly.errors).toEqual([]);
    const [created] = await t.database.db.select().from(products).where(eq(products.sku, 'PK-S1-003'));
    expect(created).toMatchObject({ listPrice: 9_900_000, costPrice: null });
  });

  it('exports the list, with costs only for those who may see them', async () => {
    const plain = await rep.get('/products/export?format=xlsx&status=active');
    expect(plain.statusCode).toBe(200);
    const rows = await readWorkbook(plain.rawPayload);
    expect(rows[0]).toContain('SKU编码');
    expect(rows[0]).not.toContain('成本价（元）');
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['LT-T5-001', 'PK-S1-001', 'PK-S1-003']);
    const costed = await finance.get('/products/export?format=xlsx&q=LT-T5');
    const costRows = await readWorkbook(costed.rawPayload);
    const col = costRows[0]!.indexOf('成本价（元）');
    expect(costRows[1]![col]).toBe('98000');
  });

  it('fixes the tracking mode once stock has moved', async () => {
    // The ledger is the stock part's; one receipt row is enough to lock the mode.
    const truck = (await director.get(`/products/${ids.truck}`)).body;
    expect(truck.trackingLocked).toBe(false);
    const db = t.database.db;
    const { warehouses, stockMovements } = await import('../stock/schema.js');
    const [wh] = await db
      .insert(warehouses)
      .values({ code: 'WH-T', name: '测试仓', kind: 'warehouse' } as typeof warehouses.$inferInsert)
      .returning();
    await db.insert(stockMovements).values({
      kind: 'receipt',
      warehouseId: wh!.id,
      productId: ids.truck!,
      quantity: '1',
      sourceType: 'manual',
      movementDate: '2026-11-01',
    } as typeof stockMovements.$inferInsert);
    const locked = await director.patch(`/products/${ids.truck}`, {
      trackingMode: 'none',
      version: truck.version,
    });
    expect(locked.statusCode).toBe(409);
    expect(locked.body.code).toBe('tracking_mode_locked');
    expect((await director.get(`/products/${ids.truck}`)).body).toMatchObject({
      trackingMode: 'serial',
      trackingLocked: true,
    });
  });
});
