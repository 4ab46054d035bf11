import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../../platform/audit/schema.js';
import { systemCtx } from '../../../platform/context.js';
import { multipartFile, workbook } from '../../../platform/import-export/testing.js';
import { runDueJobs } from '../../../platform/jobs/jobs.js';
import { notifications } from '../../../platform/notifications/schema.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { products } from '../catalog/schema.js';
import { formatQuantity, postMovements } from './ledger.js';
import { purchaseReceipts } from './receipts.schema.js';
import { alertLowStock } from './reorder.jobs.js';
import { stockLevels, stockMovements, warehouses } from './schema.js';
import { makeProduct, makeWarehouse, receive, userId } from './stock.fixtures.js';

let t: TestApp;
let admin: Client;
let keeper: Client;
let rep: Client;
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  keeper = await as(t.app, 'warehouse01');
  rep = await as(t.app, 'rep01');
});
afterAll(() => t.close());

async function level(warehouseId: string, productId: string) {
  const [row] = await db()
    .select()
    .from(stockLevels)
    .where(and(eq(stockLevels.warehouseId, warehouseId), eq(stockLevels.productId, productId)));
  return row ? { onHand: formatQuantity(row.onHand), reserved: formatQuantity(row.reserved) } : null;
}

const written = async () => ({
  receipts: (await db().select({ n: count() }).from(purchaseReceipts))[0]!.n,
  movements: (await db().select({ n: count() }).from(stockMovements))[0]!.n,
});

describe('purchase receipts (采购入库)', () => {
  it('warehouse01 receives batch oil and two serial vans: stock rises exactly, posting twice posts once', async () => {
    const wh = await makeWarehouse(db(), { name: '上海中心仓' });
    const oil = await makeProduct(db(), { name: '发动机机油 5L', trackingMode: 'batch', uom: '桶' });
    const van = await makeProduct(db(), { name: '新能源厢式货车', trackingMode: 'serial' });

    const created = await keeper.post('/purchase-receipts', {
      supplierName: '长城润滑油华东经销处',
      supplierNoteNo: 'SH-DN-0912',
      warehouseId: wh.id,
      receiptDate: '2026-11-20',
      lines: [
        {
          productId: oil.id,
          quantity: '120',
          batchNo: 'B2026-11',
          producedOn: '2026-10-01',
          expiresOn: '2029-09-30',
        },
        { productId: van.id, serialNos: ['LGWEF4A5XNB100001', 'LGWEF4A5XNB100002'] },
      ],
    });
    expect(created.statusCode, created.payload).toBe(201);
    const r = created.body;
    expect(r.number).toMatch(/^PR-\d{4}-\d{6}$/);
    expect(r.status).toBe('draft');
    expect(r.totalQuantity).toBe('122');
    expect(r.lines[1].quantity).toBe('2');
    // The warehouse keeps stock but does not see costs.
    expect('totalCost' in r).toBe(false);
    expect(await level(wh.id, oil.id)).toBeNull();

    const before = await written();
    const posted = await keeper.post(`/purchase-receipts/${r.id}/post`, { version: r.version });
    expect(posted.statusCode, posted.payload).toBe(200);
    expect(posted.body.status).toBe('posted');
    expect(await level(wh.id, oil.id)).toEqual({ onHand: '120', reserved: '0' });
    expect(await level(wh.id, van.id)).toEqual({ onHand: '2', reserved: '0' });
    const after = await written();
    // One movement for the batch line, one per serial.
    expect(after.movements - before.movements).toBe(3);

    const again = await keeper.post(`/purchase-receipts/${r.id}/post`, { version: r.version });
    expect(again.statusCode).toBe(200);
    expect(await written()).toEqual(after);
    expect(await level(wh.id, oil.id)).toEqual({ onHand: '120', reserved: '0' });

    const moves = await db().select().from(stockMovements).where(eq(stockMovements.sourceId, r.id));
    expect(moves.every((m) => m.sourceType === 'purchase_receipt' && m.movementDate === '2026-11-20')).toBe(
      true,
    );

    // A posted receipt is read-only.
    const edit = await keeper.patch(`/purchase-receipts/${r.id}`, {
      note: '补充',
      version: posted.body.version,
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.body.code).toBe('receipt_wrong_state');

    const hist = await keeper.get(`/purchase-receipts/${r.id}/history`);
    expect(hist.body.items.map((h: { action: string }) => h.action)).toEqual(['post', 'create']);
  });

  it('two clicks on post at the same moment receive the goods once', async () => {
    const wh = await makeWarehouse(db());
    const tyres = await makeProduct(db(), { name: '轮胎' });
    const r = (
      await keeper.post('/purchase-receipts', {
        supplierName: '玲珑轮胎苏州仓',
        warehouseId: wh.id,
        lines: [{ productId: tyres.id, quantity: '40' }],
      })
    ).body;
    const both = await Promise.all([
      keeper.post(`/purchase-receipts/${r.id}/post`, { version: r.version }),
      keeper.post(`/purchase-receipts/${r.id}/post`, { version: r.version }),
    ]);
    expect(both.map((b) => b.statusCode)).toEqual([200, 200]);
    expect(await level(wh.id, tyres.id)).toEqual({ onHand: '40', reserved: '0' });
  });

  it('a rep cannot receive; a serial already in stock is refused and nothing is written', async () => {
    const wh = await makeWarehouse(db());
    const van = await makeProduct(db(), { trackingMode: 'serial' });
    await receive(db(), wh.id, van.id, '1', { serialNo: 'VIN-IN-STOCK-01' });

    const denied = await rep.post('/purchase-receipts', {
      supplierName: '某供应商',
      warehouseId: wh.id,
      lines: [{ productId: van.id, serialNos: ['VIN-NEW-01'] }],
    });
    expect(denied.statusCode).toBe(403);

    const before = await written();
    const twice = await keeper.post('/purchase-receipts', {
      supplierName: '某供应商',
      warehouseId: wh.id,
      lines: [{ productId: van.id, serialNos: ['VIN-IN-STOCK-01', 'VIN-NEW-02'] }],
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.body.code).toBe('serial_in_stock');
    expect(twice.body.detail).toContain('VIN-IN-STOCK-01');
    expect(await written()).toEqual(before);

    // A draft made before the serial arrived is refused at posting, and stays a draft.
    const draft = (
      await keeper.post('/purchase-receipts', {
        supplierName: '某供应商',
        warehouseId: wh.id,
        lines: [{ productId: van.id, serialNos: ['VIN-LATE-01'] }],
      })
    ).body;
    await receive(db(), wh.id, van.id, '1', { serialNo: 'VIN-LATE-01' });
    const mid = await written();
    const refused = await keeper.post(`/purchase-receipts/${draft.id}/post`, { version: draft.version });
    expect(refused.statusCode).toBe(409);
    expect(refused.body.code).toBe('serial_in_stock');
    expect(await written()).toEqual(mid);
    expect((await keeper.get(`/purchase-receipts/${draft.id}`)).body.status).toBe('draft');
  });

  it('bad lines are refused with every problem named, in the caller language, and nothing written', async () => {
    const wh = await makeWarehouse(db());
    const oil = await makeProduct(db(), { trackingMode: 'batch' });
    const van = await makeProduct(db(), { trackingMode: 'serial' });
    const bolt = await makeProduct(db());
    const old = await makeProduct(db());
    await db().update(products).set({ status: 'archived' }).where(eq(products.id, old.id));
    const before = await written();

    const zero = await keeper.post('/purchase-receipts', {
      supplierName: 'S',
      warehouseId: wh.id,
      lines: [{ productId: bolt.id, quantity: '0' }],
    });
    expect(zero.statusCode).toBe(400);

    const serialTwice = await keeper.post('/purchase-receipts', {
      supplierName: 'S',
      warehouseId: wh.id,
      lines: [
        { productId: van.id, serialNos: ['VIN-A', 'VIN-B'] },
        { productId: van.id, serialNos: ['VIN-A'] },
        { productId: bolt.id, quantity: '5', batchNo: 'X1' },
      ],
    });
    expect(serialTwice.statusCode).toBe(400);
    expect(serialTwice.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'lines.1.serialNos.0',
      'lines.2.batchNo',
    ]);

    keeper.locale = 'en';
    const archived = await keeper.post('/purchase-receipts', {
      supplierName: 'S',
      warehouseId: wh.id,
      lines: [{ productId: old.id, quantity: '1' }],
    });
    keeper.locale = 'zh-CN';
    expect(archived.statusCode).toBe(409);
    expect(archived.body.code).toBe('stock_product_archived');
    expect(archived.body.title).toMatch(/[A-Za-z]/);

    const cost = await keeper.post('/purchase-receipts', {
      supplierName: 'S',
      warehouseId: wh.id,
      lines: [{ productId: bolt.id, quantity: '1', unitCost: 1200 }],
    });
    expect(cost.statusCode).toBe(400);
    expect(cost.body.errors[0].path).toBe('lines.0.unitCost');
    expect(await written()).toEqual(before);

    // A draft may wait for its batch; posting without it is refused.
    const draft = (
      await keeper.post('/purchase-receipts', {
        supplierName: 'S',
        warehouseId: wh.id,
        lines: [{ productId: oil.id, quantity: '10' }],
      })
    ).body;
    const noBatch = await keeper.post(`/purchase-receipts/${draft.id}/post`, { version: draft.version });
    expect(noBatch.statusCode).toBe(400);
    expect(noBatch.body.errors[0].path).toBe('lines.0.batchNo');
    const stale = await keeper.patch(`/purchase-receipts/${draft.id}`, {
      note: 'x',
      version: draft.version + 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
    const fixed = await keeper.patch(`/purchase-receipts/${draft.id}`, {
      lines: [{ productId: oil.id, quantity: '10', batchNo: 'B-OK' }],
      version: draft.version,
    });
    expect(fixed.statusCode, fixed.payload).toBe(200);
    expect(
      (await keeper.post(`/purchase-receipts/${draft.id}/post`, { version: fixed.body.version })).statusCode,
    ).toBe(200);
    expect(await level(wh.id, oil.id)).toEqual({ onHand: '10', reserved: '0' });
  });

  it('costs are entered and seen by holders of products.cost; a reversal takes the stock back out', async () => {
    const wh = await makeWarehouse(db());
    const part = await makeProduct(db(), { name: '刹车片' });
    const r = (
      await admin.post('/purchase-receipts', {
        supplierName: '博世汽配',
        warehouseId: wh.id,
        lines: [{ productId: part.id, quantity: '3', unitCost: 33_333 }],
      })
    ).body;
    expect(r.totalCost).toBe(99_999);
    expect(r.lines[0].lineCost).toBe(99_999);
    const posted = (await admin.post(`/purchase-receipts/${r.id}/post`, { version: r.version })).body;
    const seen = (await keeper.get(`/purchase-receipts/${r.id}`)).body;
    expect('unitCost' in seen.lines[0]).toBe(false);

    const reversed = await keeper.post(`/purchase-receipts/${r.id}/reverse`, {
      version: posted.version,
      reason: '供应商发错货，整单退回',
    });
    expect(reversed.statusCode, reversed.payload).toBe(200);
    expect(reversed.body.status).toBe('reversed');
    expect(await level(wh.id, part.id)).toEqual({ onHand: '0', reserved: '0' });
    const again = await keeper.post(`/purchase-receipts/${r.id}/reverse`, {
      version: reversed.body.version,
      reason: '再来一次',
    });
    expect(again.statusCode).toBe(409);

    const list = await keeper.get(`/purchase-receipts?q=${encodeURIComponent('博世')}&status=reversed`);
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([r.id]);
  });
});

describe('cycle counts (盘点)', () => {
  it('a count finds 2 missing and 1 extra: the adjustments and levels are exactly right', async () => {
    const wh = await makeWarehouse(db());
    const tyres = await makeProduct(db(), { name: '轮胎', uom: '条' });
    const filters = await makeProduct(db(), { name: '机滤', uom: '个' });
    const van = await makeProduct(db(), { trackingMode: 'serial' });
    await receive(db(), wh.id, tyres.id, '10');
    await receive(db(), wh.id, filters.id, '5');
    await receive(db(), wh.id, van.id, '1', { serialNo: 'CC-VIN-1' });

    const created = await keeper.post('/cycle-counts', { warehouseId: wh.id, blind: true });
    expect(created.statusCode, created.payload).toBe(201);
    const c = created.body;
    expect(c.number).toMatch(/^CC-\d{4}-\d{6}$/);
    expect(c.lines).toHaveLength(3);
    // Blind: the counters do not see what the books say.
    expect(c.lines.every((l: { expected: string | null }) => l.expected === null)).toBe(true);
    const line = (productId: string) =>
      c.lines.find((l: { productId: string }) => l.productId === productId).id;

    const partial = await keeper.post(`/cycle-counts/${c.id}/counts`, {
      lines: [{ lineId: line(tyres.id), counted: '8' }],
      version: c.version,
    });
    expect(partial.body.status).toBe('counting');
    const early = await keeper.post(`/cycle-counts/${c.id}/post`, { version: partial.body.version });
    expect(early.statusCode).toBe(409);
    expect(early.body.code).toBe('count_incomplete');

    const full = await keeper.post(`/cycle-counts/${c.id}/counts`, {
      lines: [
        { lineId: line(filters.id), counted: '6' },
        { lineId: line(van.id), counted: '1' },
      ],
      version: partial.body.version,
    });
    const posted = await keeper.post(`/cycle-counts/${c.id}/post`, { version: full.body.version });
    expect(posted.statusCode, posted.payload).toBe(200);
    expect(posted.body.status).toBe('posted');
    expect(posted.body.differingLines).toBe(2);
    expect(await level(wh.id, tyres.id)).toEqual({ onHand: '8', reserved: '0' });
    expect(await level(wh.id, filters.id)).toEqual({ onHand: '6', reserved: '0' });
    expect(await level(wh.id, van.id)).toEqual({ onHand: '1', reserved: '0' });
    const adjustments = await db().select().from(stockMovements).where(eq(stockMovements.sourceId, c.id));
    expect(
      adjustments
        .map((m) => [m.kind, m.productId, formatQuantity(m.quantity), m.reason?.split(':')[0]])
        .sort(),
    ).toEqual(
      [
        ['adjustment', tyres.id, '-2', 'count_loss'],
        ['adjustment', filters.id, '1', 'count_gain'],
      ].sort(),
    );
    // Posting again changes nothing.
    await keeper.post(`/cycle-counts/${c.id}/post`, { version: full.body.version });
    expect(await db().select().from(stockMovements).where(eq(stockMovements.sourceId, c.id))).toHaveLength(2);
    const shown = (await keeper.get(`/cycle-counts/${c.id}`)).body;
    expect(shown.lines.find((l: { productId: string }) => l.productId === tyres.id)).toMatchObject({
      expected: '10',
      counted: '8',
      onHandAtPosting: '10',
      difference: '-2',
    });
  });

  it('stock that moved after the snapshot: the count is the truth at posting, both figures are shown', async () => {
    const wh = await makeWarehouse(db());
    const oil = await makeProduct(db(), { trackingMode: 'batch' });
    await receive(db(), wh.id, oil.id, '4', { batchNo: 'B1' });
    const c = (await keeper.post('/cycle-counts', { warehouseId: wh.id })).body;
    expect(c.lines[0]).toMatchObject({ batchNo: 'B1', expected: '4' });
    await receive(db(), wh.id, oil.id, '2', { batchNo: 'B1' });
    const counted = (
      await keeper.post(`/cycle-counts/${c.id}/counts`, {
        lines: [{ lineId: c.lines[0].id, counted: '5' }],
        added: [{ productId: oil.id, batchNo: 'B2', counted: '3' }],
        version: c.version,
      })
    ).body;
    expect(counted.lines).toHaveLength(2);
    const posted = (await keeper.post(`/cycle-counts/${c.id}/post`, { version: counted.version })).body;
    expect(posted.lines[0]).toMatchObject({
      expected: '4',
      counted: '5',
      onHandAtPosting: '6',
      difference: '-1',
    });
    expect(posted.lines[1]).toMatchObject({ batchNo: 'B2', added: true, difference: '3' });
    expect(await level(wh.id, oil.id)).toEqual({ onHand: '8', reserved: '0' });
  });

  it('only stock.count holders count; a cancelled count posts nothing', async () => {
    const wh = await makeWarehouse(db());
    const p = await makeProduct(db());
    await receive(db(), wh.id, p.id, '3');
    expect((await rep.post('/cycle-counts', { warehouseId: wh.id })).statusCode).toBe(403);
    const c = (await keeper.post('/cycle-counts', { warehouseId: wh.id })).body;
    const cancelled = await keeper.post(`/cycle-counts/${c.id}/cancel`, {
      version: c.version,
      reason: '盘点日期改期',
    });
    expect(cancelled.body.status).toBe('cancelled');
    const post = await keeper.post(`/cycle-counts/${c.id}/post`, { version: cancelled.body.version });
    expect(post.statusCode).toBe(409);
    expect(post.body.code).toBe('count_wrong_state');
  });
});

describe('low-stock alerts (补货提醒)', () => {
  it('fires once per dip: not again until stock recovers above the point and dips again', async () => {
    const wh = await makeWarehouse(db(), { name: '广州配件库' });
    const keeperId = await userId(db(), 'warehouse01');
    await db().update(warehouses).set({ managerId: keeperId }).where(eq(warehouses.id, wh.id));
    const pads = await makeProduct(db(), { name: '刹车片套装' });
    await receive(db(), wh.id, pads.id, '10');
    const set = await keeper.put(`/stock/levels/${wh.id}/${pads.id}/reorder`, {
      reorderPoint: '5',
      reorderQuantity: null,
    });
    expect(set.statusCode, set.payload).toBe(200);
    const ctx = systemCtx('test');
    const issue = (quantity: string) =>
      postMovements(db(), ctx, {
        sourceType: 'test',
        movements: [{ kind: 'issue', warehouseId: wh.id, productId: pads.id, quantity }],
      });
    const alerts = async () =>
      (
        await db()
          .select({ n: count() })
          .from(notifications)
          .where(and(eq(notifications.userId, keeperId), eq(notifications.event, 'stock.low')))
      )[0]!.n;

    await alertLowStock(db());
    expect(await alerts()).toBe(0);
    await issue('6');
    expect(await alertLowStock(db())).toMatchObject({ notified: 1 });
    expect(await alerts()).toBe(1);

    const low = await keeper.get(`/stock/low-stock?warehouseId=${wh.id}`);
    expect(low.body.items).toHaveLength(1);
    // No reorder quantity: 2 × point − available = 10 − 4.
    expect(low.body.items[0]).toMatchObject({ available: '4', reorderPoint: '5', suggestedQuantity: '6' });

    await issue('1');
    await alertLowStock(db());
    expect(await alerts()).toBe(1);

    // A receipt from the low-stock list brings it back above the point (the job runs after posting).
    const draft = await keeper.post('/purchase-receipts/from-low-stock', {
      warehouseId: wh.id,
      productIds: [pads.id],
      supplierName: '博世汽配',
    });
    expect(draft.statusCode, draft.payload).toBe(201);
    expect(draft.body.lines[0].quantity).toBe('7');
    await keeper.post(`/purchase-receipts/${draft.body.id}/post`, { version: draft.body.version });
    await runDueJobs(db(), { kinds: ['stock.reorder-check'] });
    const [rearmed] = await db()
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.warehouseId, wh.id), eq(stockLevels.productId, pads.id)));
    expect(rearmed!.lowStockNotifiedAt).toBeNull();
    expect(await alerts()).toBe(1);

    await issue('6');
    await alertLowStock(db());
    expect(await alerts()).toBe(2);
    const audit = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'stock_level'), eq(auditLog.entityId, `${wh.id}:${pads.id}`)));
    expect(audit.map((a) => a.action).filter((a) => a.startsWith('low_stock'))).toEqual([
      'low_stock_alert',
      'low_stock_recovered',
      'low_stock_alert',
    ]);
  });
});

describe('opening stock import (期初库存)', () => {
  it('imports all rows in one go, or nothing when a row is bad', async () => {
    const wh = await makeWarehouse(db(), { code: 'WH-OPEN' });
    const bolt = await makeProduct(db(), { sku: 'OPEN-BOLT' });
    const van = await makeProduct(db(), { sku: 'OPEN-VAN', trackingMode: 'serial' });
    const header = ['仓库编码', 'SKU编码', '数量', '批次号', '序列号', '单位成本（元）'];

    async function importSheet(rows: string[][]) {
      const { payload, headers } = multipartFile('opening.xlsx', await workbook([header, ...rows]));
      const up = await admin.request('POST', '/imports?entity=opening-stock', payload, headers);
      expect(up.statusCode, up.payload).toBe(201);
      const current = (await admin.get(`/imports/${up.body.id}`)).body;
      const run = await admin.post(`/imports/${up.body.id}/run`, {
        mode: 'all_or_nothing',
        duplicates: 'skip',
        version: current.version,
      });
      expect(run.statusCode, run.payload).toBe(200);
      await runDueJobs(db(), { kinds: ['import.process'] });
      return (await admin.get(`/imports/${up.body.id}`)).body;
    }

    const bad = await importSheet([
      ['WH-OPEN', 'OPEN-BOLT', '100', '', '', '1.50'],
      ['WH-OPEN', 'OPEN-VAN', '1', '', 'OPEN-VIN-1', '98000'],
      ['WH-OPEN', 'OPEN-VAN', '1', '', 'OPEN-VIN-1', '98000'],
      ['WH-NONE', 'OPEN-BOLT', '1', '', '', ''],
    ]);
    expect(bad.status).toBe('failed');
    expect(await level(wh.id, bolt.id)).toBeNull();

    const good = await importSheet([
      ['WH-OPEN', 'OPEN-BOLT', '100', '', '', '1.50'],
      ['WH-OPEN', 'OPEN-VAN', '1', '', 'OPEN-VIN-1', '98,000'],
      ['WH-OPEN', 'OPEN-VAN', '1', '', 'OPEN-VIN-2', '98000'],
    ]);
    expect(good.status, JSON.stringify(good)).toBe('done');
    expect(await level(wh.id, bolt.id)).toEqual({ onHand: '100', reserved: '0' });
    expect(await level(wh.id, van.id)).toEqual({ onHand: '2', reserved: '0' });
    const moves = await db().select().from(stockMovements).where(eq(stockMovements.warehouseId, wh.id));
    expect(new Set(moves.map((m) => m.sourceId)).size).toBe(1);
    expect(moves.map((m) => m.unitCost).sort()).toEqual([150, 9_800_000, 9_800_000]);

    const exported = await keeper.get(`/stock/levels/export?format=csv&warehouseId=${wh.id}`);
    expect(exported.statusCode).toBe(200);
    expect(exported.payload).toContain('OPEN-BOLT');
  });
});
