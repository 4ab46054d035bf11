import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../../platform/audit/schema.js';
import { multipartFile, readWorkbook, workbook } from '../../../platform/import-export/testing.js';
import { runDueJobs } from '../../../platform/jobs/jobs.js';
import { notifications } from '../../../platform/notifications/schema.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { users } from '../../org/schema.js';
import { unitEvents, units } from './schema.js';
import { alertUnitSellThrough } from './units.jobs.js';

let t: TestApp;
let admin: Client;
let director: Client;
let manager: Client;
let rep: Client;
const db = () => t.database.db;

let projectId: string;
/** number → unit id */
const ids = new Map<string, string>();

const unitRow = async (number: string) =>
  (
    await db()
      .select()
      .from(units)
      .where(eq(units.id, ids.get(number)!))
  )[0]!;
const refs = async (...numbers: string[]) =>
  Promise.all(numbers.map(async (n) => ({ id: ids.get(n)!, version: (await unitRow(n)).version })));
const eventCount = async (number: string) =>
  (
    await db()
      .select({ n: count() })
      .from(unitEvents)
      .where(eq(unitEvents.unitId, ids.get(number)!))
  )[0]!.n;
const auditCount = async () => (await db().select({ n: count() }).from(auditLog))[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  director = await as(t.app, 'director');
  manager = await as(t.app, 'manager01');
  rep = await as(t.app, 'rep01');

  const res = await director.post('/unit-projects', {
    code: 'JWF',
    name: '销管·江湾府',
    kind: 'property',
    stages: [
      {
        code: 'S1',
        name: '首期开盘',
        startDate: '2026-03-01',
        endDate: '2026-03-10',
        targets: { A: 40, B: 50 },
      },
      {
        code: 'S2',
        name: '二期加推',
        startDate: '2026-06-01',
        endDate: '2026-08-31',
        targets: { A: 60, B: 60 },
      },
    ],
  });
  expect(res.statusCode).toBe(201);
  projectId = res.body.id;
  // One building, floors 10 and 11, four units a floor: corners (1, 4) are grade A.
  for (const floor of [10, 11]) {
    for (const position of [1, 2, 3, 4]) {
      const number = `1-${floor}${String(position).padStart(2, '0')}`;
      const corner = position === 1 || position === 4;
      const r = await director.post('/units', {
        projectId,
        building: '1号楼',
        floor,
        position,
        number,
        unitType: corner ? '三室两厅' : '两室两厅',
        grade: corner ? 'A' : 'B',
        area: corner ? '118.50' : '89.00',
        listPrice: corner ? 238_000_000 : 160_200_000,
        stage: 'S1',
      });
      expect(r.statusCode, r.payload).toBe(201);
      ids.set(number, r.body.id);
    }
  }
});
afterAll(() => t.close());

describe('the sales office holds and releases units (销控)', () => {
  it('a unit shows its price per m² and starts available', async () => {
    const res = await rep.get(`/units/${ids.get('1-1001')}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      status: 'available',
      unitPrice: 2_008_439,
      actions: ['hold', 'reserve'],
    });
  });

  it('a manager holds five units with a reason and the grid shows them held', async () => {
    const before = await auditCount();
    const res = await manager.post('/units/hold', {
      units: await refs('1-1101', '1-1102', '1-1103', '1-1104', '1-1001'),
      reason: '景观楼层，二期提价后再推',
    });
    expect(res.statusCode, res.payload).toBe(200);
    expect(res.body.count).toBe(5);
    expect(await auditCount()).toBe(before + 5);

    const grid = await rep.get(`/unit-projects/${projectId}/grid`);
    expect(grid.statusCode).toBe(200);
    const [building] = grid.body.buildings;
    expect(building.building).toBe('1号楼');
    expect(building.positions).toEqual([1, 2, 3, 4]);
    // top floor first
    expect(building.floors.map((f: { floor: number }) => f.floor)).toEqual([11, 10]);
    expect(building.floors[0].cells.map((c: { status: string }) => c.status)).toEqual([
      'held',
      'held',
      'held',
      'held',
    ]);
    expect(building.floors[1].cells[0]).toMatchObject({
      number: '1-1001',
      status: 'held',
      holdReason: '景观楼层，二期提价后再推',
    });
    expect(building.counts).toEqual({ available: 3, held: 5, reserved: 0, sold: 0 });

    const events = await rep.get(`/units/${ids.get('1-1101')}/events`);
    expect(events.body[0]).toMatchObject({
      action: 'hold',
      fromStatus: 'available',
      toStatus: 'held',
      reason: '景观楼层，二期提价后再推',
      actorName: expect.any(String),
    });
  });

  it('a rep cannot hold units', async () => {
    const res = await rep.post('/units/hold', { units: await refs('1-1002'), reason: '客户要求' });
    expect(res.statusCode).toBe(403);
    expect((await unitRow('1-1002')).status).toBe('available');
  });

  it('a held unit cannot be reserved until released', async () => {
    const res = await manager.post(`/units/${ids.get('1-1101')}/reserve`, { key: 'RG-held' });
    expect(res.statusCode).toBe(409);
    expect(res.body.code).toBe('unit_wrong_state');
    expect(res.body.detail).toContain('保留');
  });

  it('a bulk hold is all or nothing: one unit already held → nothing changes and the error names it', async () => {
    const before = await Promise.all(['1-1002', '1-1003', '1-1101'].map(unitRow));
    const res = await manager.post('/units/hold', {
      units: await refs('1-1002', '1-1003', '1-1101'),
      reason: '内部预留',
    });
    expect(res.statusCode).toBe(409);
    expect(res.body.code).toBe('units_not_in_state');
    expect(res.body.detail).toContain('1-1101');
    expect(res.body.errors).toEqual([{ path: 'units.2', message: expect.stringContaining('1-1101') }]);
    const after = await Promise.all(['1-1002', '1-1003', '1-1101'].map(unitRow));
    expect(after.map((u) => [u.status, u.version])).toEqual(before.map((u) => [u.status, u.version]));
  });

  it('a stale version is a 409 and changes nothing', async () => {
    const res = await manager.post('/units/hold', {
      units: [{ id: ids.get('1-1002'), version: 99 }],
      reason: '内部预留',
    });
    expect(res.statusCode).toBe(409);
    expect(res.body.code).toBe('version_conflict');
  });

  it('a hold needs a reason', async () => {
    const res = await manager.post('/units/hold', { units: await refs('1-1002'), reason: ' ' });
    expect(res.statusCode).toBe(400);
    expect(res.body.errors[0].path).toBe('reason');
  });

  it('releasing puts the units back on sale and records why', async () => {
    const res = await manager.post('/units/release', {
      units: await refs('1-1101', '1-1102', '1-1103', '1-1104'),
      reason: '二期开盘，释放景观房源',
    });
    expect(res.statusCode, res.payload).toBe(200);
    const u = await unitRow('1-1101');
    expect(u).toMatchObject({ status: 'available', holdReason: null, heldBy: null });
    const events = (await rep.get(`/units/${ids.get('1-1101')}/events`)).body;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['release', 'hold', 'create']);
  });
});

describe('reservations and sales', () => {
  it('reserving twice with the same key makes one reservation', async () => {
    const first = await manager.post(`/units/${ids.get('1-1002')}/reserve`, {
      key: 'RG-2026-0001',
      sourceType: 'subscription',
      sourceId: '认购书 0001',
    });
    expect(first.statusCode, first.payload).toBe(200);
    expect(first.body).toMatchObject({ status: 'reserved', reservationKey: 'RG-2026-0001' });
    const again = await manager.post(`/units/${ids.get('1-1002')}/reserve`, { key: 'RG-2026-0001' });
    expect(again.statusCode).toBe(200);
    expect(again.body.version).toBe(first.body.version);
    expect(await eventCount('1-1002')).toBe(2); // create + one reserve
  });

  it('the same key cannot reserve a second unit', async () => {
    const res = await manager.post(`/units/${ids.get('1-1003')}/reserve`, { key: 'RG-2026-0001' });
    expect(res.statusCode).toBe(409);
    expect(res.body.code).toBe('unit_reservation_key_used');
    expect((await unitRow('1-1003')).status).toBe('available');
  });

  it('a unit is sold once; selling it twice is a 409 and changes nothing', async () => {
    expect((await manager.post(`/units/${ids.get('1-1002')}/sell`, {})).statusCode).toBe(403);
    const sold = await director.post(`/units/${ids.get('1-1002')}/sell`, {});
    expect(sold.statusCode, sold.payload).toBe(200);
    expect(sold.body.status).toBe('sold');
    const before = await unitRow('1-1002');
    const twice = await director.post(`/units/${ids.get('1-1002')}/sell`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.body.code).toBe('unit_already_sold');
    const other = await director.post(`/units/${ids.get('1-1002')}/sell`, { key: 'SO-other' });
    expect(other.body.code).toBe('unit_already_sold');
    expect((await unitRow('1-1002')).version).toBe(before.version);
    // the same key again (an order's retry) is not a second sale
    expect(
      (await director.post(`/units/${ids.get('1-1002')}/sell`, { key: 'RG-2026-0001' })).statusCode,
    ).toBe(200);
    expect((await unitRow('1-1002')).version).toBe(before.version);
  });

  it('a cancelled subscription makes the unit available again', async () => {
    await manager.post(`/units/${ids.get('1-1003')}/reserve`, { key: 'RG-2026-0002' });
    const res = await manager.post(`/units/${ids.get('1-1003')}/cancel-reservation`, { reason: '客户放弃' });
    expect(res.statusCode, res.payload).toBe(200);
    expect(res.body).toMatchObject({ status: 'available', reservationKey: null });
  });

  it('only units.manage reverses a sale, with a reason, audited', async () => {
    const u = await unitRow('1-1002');
    expect(
      (await manager.post(`/units/${ids.get('1-1002')}/reverse-sale`, { reason: '退房', version: u.version }))
        .statusCode,
    ).toBe(403);
    const res = await director.post(`/units/${ids.get('1-1002')}/reverse-sale`, {
      reason: '客户退房，合同解除',
      version: u.version,
    });
    expect(res.statusCode, res.payload).toBe(200);
    expect(res.body.status).toBe('available');
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, u.id), eq(auditLog.action, 'reverse_sale')));
    expect(audit?.changes).toMatchObject({ status: { from: 'sold', to: 'available' } });
  });

  it('two people reserving the same unit at once: exactly one wins', async () => {
    const unitId = ids.get('1-1004')!;
    const results = await Promise.all([
      manager.post(`/units/${unitId}/reserve`, { key: 'RACE-1' }),
      director.post(`/units/${unitId}/reserve`, { key: 'RACE-2' }),
      admin.post(`/units/${unitId}/reserve`, { key: 'RACE-3' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const u = await unitRow('1-1004');
    expect(u.status).toBe('reserved');
    expect(await eventCount('1-1004')).toBe(2);
  });

  it('two people holding the same units at once: exactly one wins', async () => {
    const r = await refs('1-1101', '1-1102');
    const results = await Promise.all([
      manager.post('/units/hold', { units: r, reason: '甲' }),
      director.post('/units/hold', { units: [...r].reverse(), reason: '乙' }),
    ]);
    expect(results.map((x) => x.statusCode).sort()).toEqual([200, 409]);
    const [a, b] = await Promise.all([unitRow('1-1101'), unitRow('1-1102')]);
    expect(a.holdReason).toBe(b.holdReason);
  });
});

describe('serial numbers are unique', () => {
  it('a number used twice in a building is a 409', async () => {
    const res = await director.post('/units', {
      projectId,
      building: '1号楼',
      floor: 10,
      position: 1,
      number: '1-1001',
      grade: 'A',
      area: '118.50',
      listPrice: 1,
    });
    expect(res.statusCode).toBe(409);
    expect(res.body.code).toBe('duplicate_unit_number');
  });

  it('a VIN is validated and used once only', async () => {
    const batch = await director.post('/unit-projects', {
      code: 'VAN-2026-01',
      name: '新能源物流车 2026 第一批',
      kind: 'vehicle',
    });
    expect(batch.statusCode).toBe(201);
    const vehicle = { projectId: batch.body.id, vin: 'lgxcd4c46r0123456', grade: 'A', listPrice: 15_980_000 };
    const first = await director.post('/units', vehicle);
    expect(first.statusCode, first.payload).toBe(201);
    expect(first.body).toMatchObject({
      vin: 'LGXCD4C46R0123456',
      number: 'LGXCD4C46R0123456',
      kind: 'vehicle',
    });
    const twice = await director.post('/units', { ...vehicle, number: 'STK-2' });
    expect(twice.statusCode).toBe(409);
    expect(twice.body.code).toBe('duplicate_vin');
    const bad = await director.post('/units', { ...vehicle, vin: 'LGXCD4C46R012345O' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors[0].path).toBe('vin');
  });
});

describe('prices and sell-through', () => {
  it('a grade is repriced by a percentage; sold and reserved units keep their price', async () => {
    const before = await unitRow('1-1101');
    const res = await director.post('/units/reprice', {
      projectId,
      grade: 'A',
      percent: 3,
      reason: '首期热销，A 类提价 3%',
    });
    expect(res.statusCode, res.payload).toBe(200);
    expect((await unitRow('1-1101')).listPrice).toBe(Math.round(before.listPrice * 1.03));
    expect((await unitRow('1-1004')).listPrice).toBe(238_000_000); // reserved
    expect(
      (await manager.post('/units/reprice', { projectId, grade: 'A', percent: 3, reason: 'x' })).statusCode,
    ).toBe(403);
  });

  it('the 8/9 rule lifts the price per m² to …80 or …90', async () => {
    const res = await director.post('/units/reprice', {
      projectId,
      unitIds: [ids.get('1-1003')],
      listPrice: 160_000_000, // 89 m² → ¥17,977.53/m² → ¥17,980/m²
      eightNine: true,
      reason: '八九原则',
    });
    expect(res.statusCode, res.payload).toBe(200);
    expect((await unitRow('1-1003')).listPrice).toBe(160_022_000);
  });

  it('sell-through by grade compares with the stage target and suggests', async () => {
    // S1 ended. A: 4 units, 1 reserved (1-1004) → 25 % vs 40 %, but 1.6 units expected is less
    // than one whole unit away → on track. B: 4 units, none taken → 0 % vs 50 % → review.
    const res = await rep.get(`/unit-projects/${projectId}/sell-through?stage=S1&date=2026-03-20`);
    expect(res.statusCode, res.payload).toBe(200);
    expect(res.body.elapsed).toBe('1.0000');
    const grade = (g: string) => res.body.grades.find((x: { grade: string }) => x.grade === g);
    expect(grade('A')).toMatchObject({
      total: 4,
      reserved: 1,
      sellThroughPct: '25.00',
      targetPct: 40,
      suggestion: 'on_track',
    });
    expect(grade('B')).toMatchObject({
      total: 4,
      sellThroughPct: '0.00',
      expectedPct: '50.00',
      suggestion: 'alert_review',
    });
  });

  it('the daily job tells the managers once per stage and grade', async () => {
    expect(await alertUnitSellThrough(db(), '2026-03-10')).toBe(1);
    expect(await alertUnitSellThrough(db(), '2026-03-10')).toBe(0);
    const [m] = await db().select({ id: users.id }).from(users).where(eq(users.username, 'manager01'));
    const inbox = await db()
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.userId, m!.id), eq(notifications.event, 'orders.unit-sell-through-behind')),
      );
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.params).toMatchObject({ project: '销管·江湾府', grade: 'B', actual: '0.00' });
    const [r] = await db().select({ id: users.id }).from(users).where(eq(users.username, 'rep01'));
    const repInbox = await db().select().from(notifications).where(eq(notifications.userId, r!.id));
    expect(repInbox.filter((n) => n.event.startsWith('orders.unit-sell-through'))).toHaveLength(0);
  });

  it('the units list filters by project, status and grade', async () => {
    const res = await rep.get(`/units?projectId=${projectId}&grade=b&limit=3`);
    expect(res.statusCode).toBe(200);
    expect(res.body.total).toBe(4);
    expect(res.body.items.map((u: { number: string }) => u.number)).toEqual(['1-1002', '1-1003', '1-1102']);
    const next = await rep.get(`/units?projectId=${projectId}&grade=b&limit=3&cursor=${res.body.nextCursor}`);
    expect(next.body.items.map((u: { number: string }) => u.number)).toEqual(['1-1103']);
    expect(next.body.nextCursor).toBeNull();
    const held = await rep.get(`/units?projectId=${projectId}&status=held`);
    expect(held.body.items.every((u: { status: string }) => u.status === 'held')).toBe(true);
  });
});

describe('a sales office loads its 房源表 from a sheet and exports it', () => {
  it('imports new units through the same checks; a number already registered is skipped', async () => {
    const header = ['项目编号', '楼栋', '楼层', '房号', '户型', '面积', '等级', '总价（元）', '推盘阶段'];
    const rows = [
      ['JWF', '2号楼', '5', '2-501', '三室两厅', '118.50', 'B', '2,150,000', 'S2'],
      ['JWF', '2号楼', '5', '2-502', '两室两厅', '89.30㎡', 'c', '1480000.50', 'S2'],
      ['JWF', '1号楼', '10', '1-1001', '四室两厅', '143.20', 'A', '3000000', 'S1'],
      ['JWF', '2号楼', '5', '2-503', '两室两厅', '89.30', 'C', '148万', 'S2'],
      ['JWF', '2号楼', '5', '2-504', '两室两厅', '89.30', 'C', '1480000', 'S9'],
    ];
    const { payload, headers } = multipartFile('units.xlsx', await workbook([header, ...rows]));
    const up = await director.request('POST', '/imports?entity=units', payload, headers);
    expect(up.statusCode, up.payload).toBe(201);
    const current = (await director.get(`/imports/${up.body.id}`)).body;
    const run = await director.post(`/imports/${up.body.id}/run`, {
      mode: 'batches',
      duplicates: 'skip',
      version: current.version,
    });
    expect(run.statusCode, run.payload).toBe(200);
    await runDueJobs(db(), { kinds: ['import.process'] });
    const errors = (await director.get(`/imports/${up.body.id}/errors?phase=run&limit=50`)).body.items;
    expect(errors.map((e: { row: number; column: string | null }) => [e.row, e.column])).toEqual([
      [5, '总价（元）'],
      [6, '推盘阶段'],
    ]);
    const imported = (await rep.get(`/units?projectId=${projectId}&building=2号楼`)).body.items;
    expect(
      imported.map((u: { number: string; position: number; grade: string; listPrice: number }) => [
        u.number,
        u.position,
        u.grade,
        u.listPrice,
      ]),
    ).toEqual([
      ['2-501', 1, 'B', 215_000_000],
      ['2-502', 2, 'C', 148_000_050],
    ]);
  });

  it("exports the filtered units with the import's columns", async () => {
    const res = await rep.get(`/units/export?format=xlsx&projectId=${projectId}&building=2号楼`);
    expect(res.statusCode, res.payload.slice(0, 200)).toBe(200);
    const sheet = await readWorkbook(res.rawPayload);
    expect(sheet[0]!.slice(0, 4)).toEqual(['项目编号', '楼栋', '楼层', '户位']);
    expect(sheet.slice(1).map((r) => r[4])).toEqual(['2-501', '2-502']);
  });
});
