import type { Faker } from '@faker-js/faker';
import type { Db } from '../../../db/client.js';
import { type LocationKind, warehouses } from './schema.js';

// Demo stock locations of the vehicle company: the central warehouse in Shanghai (it also serves
// 华东), regional warehouses for 华南, 华北 and 西南, and one showroom store in Hangzhou. Managers
// are left empty for the administrator to fill in.

interface DemoLocation {
  code: string;
  name: string;
  kind: LocationKind;
  /** The sales region it serves; null = company-wide. */
  region: string | null;
  provinceCode: string;
  cityCode: string;
  street: string;
}

const LOCATIONS: DemoLocation[] = [
  {
    code: 'WH-SH',
    name: '上海总仓',
    kind: 'warehouse',
    region: null,
    provinceCode: '31',
    cityCode: '310114',
    street: '嘉定区安亭镇墨玉南路',
  },
  {
    code: 'WH-GZ',
    name: '华南区域仓',
    kind: 'warehouse',
    region: '华南',
    provinceCode: '44',
    cityCode: '4401',
    street: '花都区汽车城风神大道',
  },
  {
    code: 'WH-BJ',
    name: '华北区域仓',
    kind: 'warehouse',
    region: '华北',
    provinceCode: '11',
    cityCode: '110115',
    street: '大兴区亦庄经济开发区科创街',
  },
  {
    code: 'WH-CD',
    name: '西南区域仓',
    kind: 'warehouse',
    region: '西南',
    provinceCode: '51',
    cityCode: '5101',
    street: '龙泉驿区经开区车城大道',
  },
  {
    code: 'ST-HZ',
    name: '杭州展厅门店',
    kind: 'store',
    region: '华东',
    provinceCode: '33',
    cityCode: '3301',
    street: '萧山区通惠南路',
  },
];

/** Writes the five demo locations; returns them in the order above (the central warehouse first). */
export async function seedWarehousesDemo(
  tx: Db,
  faker: Faker,
  input: { regions: { id: string; name: string }[] },
): Promise<{ id: string; code: string }[]> {
  const regionId = new Map(input.regions.map((r) => [r.name, r.id]));
  const rows = LOCATIONS.map((l) => ({
    code: l.code,
    name: l.name,
    kind: l.kind,
    orgUnitId: l.region ? (regionId.get(l.region) ?? null) : null,
    provinceCode: l.provinceCode,
    cityCode: l.cityCode,
    address: `${l.street} ${faker.number.int({ min: 1, max: 999 })} 号`,
    managerId: null,
  }));
  const created = await tx
    .insert(warehouses)
    .values(rows)
    .returning({ id: warehouses.id, code: warehouses.code });
  const byCode = new Map(created.map((c) => [c.code, c]));
  return LOCATIONS.map((l) => byCode.get(l.code)!);
}
