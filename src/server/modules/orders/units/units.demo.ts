import type { Faker } from '@faker-js/faker';
import { Decimal } from 'decimal.js';
import type { Db } from '../../../db/client.js';
import { vinCheckDigit } from './rules.js';
import { type UnitStage, type UnitStatus, unitEvents, unitProjects, units } from './schema.js';

// Demo units: one property project (销管·江湾府, 2 buildings × 20 floors × 6 units) with two
// release stages — the first sold through, cheaper grades first and good units held back (seed
// 000); the second running, its A units selling ahead — and a batch of new-energy vans by VIN
// for the dealer's case (seed 002 库存车辆管理).

const DAY_MS = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Position on the floor → layout: the corners are the big, bright four-bedroom units. */
const LAYOUTS = [
  { type: '四室两厅', area: '143.20', grade: 'A', orientation: '南北通透' },
  { type: '三室两厅', area: '118.50', grade: 'B', orientation: '南' },
  { type: '两室两厅', area: '89.30', grade: 'C', orientation: '南' },
  { type: '两室两厅', area: '89.30', grade: 'C', orientation: '南' },
  { type: '三室两厅', area: '118.50', grade: 'B', orientation: '南' },
  { type: '四室两厅', area: '143.20', grade: 'A', orientation: '南北通透' },
] as const;

const GRADES = ['A', 'B', 'C'] as const;
/** High floors (15+) are a grade better, the lowest three a grade worse. */
function gradeOf(base: (typeof GRADES)[number], floor: number) {
  const i = GRADES.indexOf(base) + (floor >= 15 ? -1 : floor <= 3 ? 1 : 0);
  return GRADES[Math.min(2, Math.max(0, i))]!;
}

/** Yuan per m²: base, grade premium, 150 per floor, river view for building 2. */
function pricePerSqm(grade: string, floor: number, building: number) {
  const premium = grade === 'A' ? 2_600 : grade === 'B' ? 1_200 : 0;
  return 18_800 + premium + floor * 150 + (building === 2 ? 600 : 0);
}

type Weights = Record<UnitStatus, number>;
/** Stage 1 (over): the cheaper grades sold through, A units partly held back. */
const STAGE1: Record<string, Weights> = {
  A: { sold: 48, reserved: 6, held: 22, available: 24 },
  B: { sold: 72, reserved: 6, held: 4, available: 18 },
  C: { sold: 86, reserved: 4, held: 0, available: 10 },
};
/** Stage 2 (a third through): A selling ahead of target, C behind. */
const STAGE2: Record<string, Weights> = {
  A: { sold: 22, reserved: 8, held: 10, available: 60 },
  B: { sold: 12, reserved: 6, held: 2, available: 80 },
  C: { sold: 4, reserved: 2, held: 0, available: 94 },
};

const HOLD_REASONS = ['景观楼层保留，待二期提价后推出', '开发商内部保留', '样板间', '大客户意向，暂缓销售'];

function pickStatus(faker: Faker, w: Weights): UnitStatus {
  return faker.helpers.weightedArrayElement(
    (Object.entries(w) as [UnitStatus, number][])
      .filter(([, weight]) => weight > 0)
      .map(([value, weight]) => ({ value, weight })),
  );
}

/** A VIN with a correct check digit: WMI + descriptor, check digit, year (R = 2024, S = 2025), plant, serial. */
function demoVin(serial: number, year: 'R' | 'S') {
  const draft = `LGXCE4C10${year}A${String(100_000 + serial).slice(-6)}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}

export async function seedUnitsDemo(
  tx: Db,
  faker: Faker,
  input: {
    now?: Date;
    actorId?: string | null;
    /**
     * Vans in stock (by serial) to list as units, so a unit's VIN is a serial the stock ledger
     * holds; without them the batch gets made-up VINs.
     */
    vehicles?: {
      productId: string;
      warehouseId: string;
      vin: string;
      listPrice: number;
      name: string;
      grade: 'A' | 'B' | 'C' | null;
      spec: string | null;
    }[];
  },
): Promise<{ projects: number; units: number }> {
  const now = input.now ?? new Date();
  const actorId = input.actorId ?? null;
  const stages: UnitStage[] = [
    {
      code: 'S1',
      name: '首期开盘',
      startDate: day(new Date(now.getTime() - 150 * DAY_MS)),
      endDate: day(new Date(now.getTime() - 31 * DAY_MS)),
      targets: { A: 60, B: 75, C: 85 },
    },
    {
      code: 'S2',
      name: '二期加推',
      startDate: day(new Date(now.getTime() - 30 * DAY_MS)),
      endDate: day(new Date(now.getTime() + 60 * DAY_MS)),
      targets: { A: 50, B: 55, C: 60 },
    },
  ];
  const [project] = await tx
    .insert(unitProjects)
    .values({
      code: 'JWF',
      name: '销管·江湾府',
      kind: 'property',
      address: '上海市杨浦区江湾镇 18 号',
      stages,
      createdBy: actorId,
      createdAt: new Date(now.getTime() - 160 * DAY_MS),
    })
    .returning();

  type UnitInsert = typeof units.$inferInsert;
  const rows: UnitInsert[] = [];
  let reservation = 0;
  for (const building of [1, 2]) {
    const stage = building === 1 ? 'S1' : 'S2';
    const started = Date.parse(stages[building - 1]!.startDate);
    for (let floor = 1; floor <= 20; floor++) {
      LAYOUTS.forEach((layout, i) => {
        const grade = gradeOf(layout.grade, floor);
        const status = pickStatus(faker, (stage === 'S1' ? STAGE1 : STAGE2)[grade]!);
        const perSqm = pricePerSqm(grade, floor, building);
        const listPrice = new Decimal(perSqm).mul(layout.area).toDecimalPlaces(0).mul(100).toNumber();
        const at = new Date(
          Math.min(now.getTime(), started + faker.number.int({ min: 1, max: 110 }) * DAY_MS),
        );
        const taken = status === 'reserved' || status === 'sold';
        const key = taken ? `RG-JWF-${String(++reservation).padStart(4, '0')}` : null;
        rows.push({
          projectId: project!.id,
          kind: 'property',
          building: `${building}号楼`,
          floor,
          position: i + 1,
          number: `${building}-${floor}${String(i + 1).padStart(2, '0')}`,
          unitType: layout.type,
          grade,
          area: layout.area,
          orientation: layout.orientation,
          listPrice,
          status,
          stage,
          holdReason: status === 'held' ? faker.helpers.arrayElement(HOLD_REASONS) : null,
          heldBy: status === 'held' ? actorId : null,
          heldAt: status === 'held' ? at : null,
          reservationKey: key,
          reservationSourceType: taken ? 'subscription' : null,
          reservationSourceId: taken ? `认购书 ${key!.slice(-4)}` : null,
          reservedBy: taken ? actorId : null,
          reservedAt: taken ? at : null,
          soldAt: status === 'sold' ? new Date(Math.min(now.getTime(), at.getTime() + 7 * DAY_MS)) : null,
          createdBy: actorId,
          createdAt: new Date(started - DAY_MS),
        });
      });
    }
  }

  // A batch of new-energy vans at the dealer, tracked by VIN.
  const [batch] = await tx
    .insert(unitProjects)
    .values({
      code: input.vehicles?.length ? 'VIN-STOCK' : 'NEV-2025-01',
      name: input.vehicles?.length ? '在库整车（一车一 VIN）' : '新能源物流车 2025 第一批',
      kind: 'vehicle',
      stages: [
        {
          code: 'Q1',
          name: '一季度销售',
          startDate: day(new Date(now.getTime() - 45 * DAY_MS)),
          endDate: day(new Date(now.getTime() + 45 * DAY_MS)),
          targets: { A: 60, B: 50 },
        },
      ],
      createdBy: actorId,
    })
    .returning();
  const trims = [
    { type: '标准续航版 4.5 吨', grade: 'B', price: 15_980_000, spec: '磷酸铁锂 81 kWh，续航 260 km' },
    { type: '长续航版 4.5 吨', grade: 'A', price: 18_680_000, spec: '磷酸铁锂 106 kWh，续航 350 km' },
    { type: '冷链版 4.5 吨', grade: 'A', price: 21_500_000, spec: '冷藏厢体，续航 300 km' },
  ];
  const stocked = input.vehicles?.slice(0, 30) ?? [];
  for (let i = 1; i <= (stocked.length || 30); i++) {
    const trim = trims[i % 3]!;
    const inStock = stocked[i - 1];
    const vin = inStock?.vin ?? demoVin(i, i <= 18 ? 'R' : 'S');
    // A van still in stock has not been sold.
    const status = pickStatus(
      faker,
      inStock
        ? { sold: 0, reserved: 15, held: 10, available: 75 }
        : { sold: 30, reserved: 10, held: 5, available: 55 },
    );
    const taken = status === 'reserved' || status === 'sold';
    const key = taken ? `SO-NEV-${String(i).padStart(4, '0')}` : null;
    const at = new Date(now.getTime() - faker.number.int({ min: 1, max: 40 }) * DAY_MS);
    rows.push({
      projectId: batch!.id,
      kind: 'vehicle',
      building: '',
      number: vin,
      vin,
      productId: inStock?.productId ?? null,
      warehouseId: inStock?.warehouseId ?? null,
      position: i,
      unitType: inStock?.name ?? trim.type,
      grade: inStock?.grade ?? trim.grade,
      spec: inStock?.spec ?? trim.spec,
      listPrice: inStock?.listPrice ?? trim.price,
      status,
      stage: 'Q1',
      holdReason: status === 'held' ? '展车，暂不销售' : null,
      heldBy: status === 'held' ? actorId : null,
      heldAt: status === 'held' ? at : null,
      reservationKey: key,
      reservationSourceType: taken ? 'sales_order' : null,
      reservationSourceId: key,
      reservedBy: taken ? actorId : null,
      reservedAt: taken ? at : null,
      soldAt: status === 'sold' ? at : null,
      createdBy: actorId,
    });
  }

  const inserted = [];
  for (let i = 0; i < rows.length; i += 200) {
    inserted.push(
      ...(await tx
        .insert(units)
        .values(rows.slice(i, i + 200))
        .returning()),
    );
  }
  const events = inserted.flatMap((u) => {
    const created = {
      unitId: u.id,
      projectId: u.projectId,
      action: 'create',
      fromStatus: null,
      toStatus: 'available' as const,
      actorId,
      actorName: '系统',
      at: u.createdAt,
    };
    const at = u.heldAt ?? u.reservedAt ?? u.createdAt;
    const moves: (typeof unitEvents.$inferInsert)[] = [created];
    if (u.status === 'held') {
      moves.push({
        ...created,
        action: 'hold',
        fromStatus: 'available',
        toStatus: 'held',
        reason: u.holdReason,
        at,
      });
    }
    if (u.status === 'reserved' || u.status === 'sold') {
      moves.push({
        ...created,
        action: 'reserve',
        fromStatus: 'available',
        toStatus: 'reserved',
        details: {
          key: u.reservationKey,
          sourceType: u.reservationSourceType,
          sourceId: u.reservationSourceId,
        },
        at,
      });
    }
    if (u.status === 'sold') {
      moves.push({
        ...created,
        action: 'sell',
        fromStatus: 'reserved',
        toStatus: 'sold',
        details: { key: u.reservationKey },
        at: u.soldAt ?? at,
      });
    }
    return moves;
  });
  for (let i = 0; i < events.length; i += 500) await tx.insert(unitEvents).values(events.slice(i, i + 500));
  return { projects: 2, units: inserted.length };
}
