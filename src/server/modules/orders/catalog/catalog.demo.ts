import type { Faker } from '@faker-js/faker';
import type { Db } from '../../../db/client.js';
import { recordAudits } from '../../../platform/audit/audit.js';
import { systemCtx } from '../../../platform/context.js';
import { normaliseSku, productPinyin } from './product-rules.js';
import { type ProductGrade, productCategories, products, type TrackingMode } from './schema.js';

// The demo company's catalog: vehicles (serial-tracked by VIN), parts and service packages, in a
// three-branch tree, about 300 products per scale unit. Deterministic from the seeded faker.

interface Leaf {
  code: string;
  name: string;
  nameEn: string;
  /** SKU prefix. */
  prefix: string;
  kind: 'vehicle' | 'part' | 'service';
  tracking: TrackingMode;
  uom: string;
  /** List price range in yuan. */
  price: [number, number];
  taxRate: string;
  models: string[];
  specs: string[];
  share: number;
}

const ROOTS = [
  { code: 'VEH', name: '整车', nameEn: 'Vehicles' },
  { code: 'PARTS', name: '配件', nameEn: 'Parts' },
  { code: 'SERVICE', name: '服务', nameEn: 'Services' },
] as const;

const LEAVES: (Leaf & { root: (typeof ROOTS)[number]['code'] })[] = [
  {
    root: 'VEH',
    code: 'VEH-LT',
    name: '轻卡',
    nameEn: 'Light trucks',
    prefix: 'LT',
    kind: 'vehicle',
    tracking: 'serial',
    uom: '辆',
    price: [80_000, 180_000],
    taxRate: '0.13',
    models: ['T3 栏板车', 'T5 厢式车', 'T5 仓栅车', 'T7 冷藏车', 'T7 自卸车'],
    specs: ['3.3米厢 / 汽油 / 国六', '4.2米厢 / 柴油 / 国六', '5.2米厢 / 柴油 / 国六'],
    share: 0.08,
  },
  {
    root: 'VEH',
    code: 'VEH-PK',
    name: '皮卡',
    nameEn: 'Pickups',
    prefix: 'PK',
    kind: 'vehicle',
    tracking: 'serial',
    uom: '辆',
    price: [90_000, 220_000],
    taxRate: '0.13',
    models: ['S1 两驱', 'S1 四驱', 'S3 长轴', 'S5 越野版'],
    specs: ['2.0T 柴油 / 手动', '2.4T 汽油 / 自动', '2.0T 柴油 / 自动'],
    share: 0.06,
  },
  {
    root: 'VEH',
    code: 'VEH-VAN',
    name: '轻客/VAN',
    nameEn: 'Vans',
    prefix: 'VN',
    kind: 'vehicle',
    tracking: 'serial',
    uom: '辆',
    price: [110_000, 260_000],
    taxRate: '0.13',
    models: ['V6 短轴', 'V6 长轴高顶', 'V8 客运版', 'V8 救护改装'],
    specs: ['2.5T 柴油 / 9座', '2.0T 汽油 / 15座', '2.5T 柴油 / 厢货'],
    share: 0.05,
  },
  {
    root: 'VEH',
    code: 'VEH-BUS',
    name: '客车',
    nameEn: 'Buses',
    prefix: 'BS',
    kind: 'vehicle',
    tracking: 'serial',
    uom: '辆',
    price: [300_000, 600_000],
    taxRate: '0.13',
    models: ['K7 城市公交', 'K8 旅游大巴', 'K6 校车', 'K9 通勤客车'],
    specs: ['8米 / 纯电动', '10.5米 / 柴油', '12米 / 混合动力'],
    share: 0.04,
  },
  {
    root: 'VEH',
    code: 'VEH-NEV',
    name: '新能源物流车',
    nameEn: 'New-energy vans',
    prefix: 'EV',
    kind: 'vehicle',
    tracking: 'serial',
    uom: '辆',
    price: [90_000, 200_000],
    taxRate: '0.13',
    models: ['E3 微面', 'E5 厢式', 'E7 冷链'],
    specs: ['磷酸铁锂 41度 / 续航260km', '磷酸铁锂 53度 / 续航320km', '三元锂 80度 / 续航400km'],
    share: 0.05,
  },
  {
    root: 'PARTS',
    code: 'PARTS-ENG',
    name: '发动机件',
    nameEn: 'Engine parts',
    prefix: 'EG',
    kind: 'part',
    tracking: 'none',
    uom: '件',
    price: [80, 8_000],
    taxRate: '0.13',
    models: ['活塞环', '气缸垫', '正时皮带', '水泵总成', '喷油嘴', '涡轮增压器', '节温器'],
    specs: ['适用 T5/T7', '适用 S1/S3', '适用 V6/V8'],
    share: 0.14,
  },
  {
    root: 'PARTS',
    code: 'PARTS-BRK',
    name: '制动系统',
    nameEn: 'Brakes',
    prefix: 'BK',
    kind: 'part',
    tracking: 'none',
    uom: '套',
    price: [120, 3_500],
    taxRate: '0.13',
    models: ['前刹车片', '后刹车片', '刹车盘', '制动总泵', 'ABS 传感器'],
    specs: ['适用 T 系列', '适用 S 系列', '适用 K 系列'],
    share: 0.1,
  },
  {
    root: 'PARTS',
    code: 'PARTS-ELE',
    name: '电气',
    nameEn: 'Electrical',
    prefix: 'EL',
    kind: 'part',
    tracking: 'none',
    uom: '件',
    price: [40, 6_000],
    taxRate: '0.13',
    models: ['蓄电池', '发电机', '起动机', 'LED 大灯总成', '倒车雷达', '行车记录仪'],
    specs: ['12V', '24V', '通用'],
    share: 0.12,
  },
  {
    root: 'PARTS',
    code: 'PARTS-TYR',
    name: '轮胎',
    nameEn: 'Tyres',
    prefix: 'TY',
    kind: 'part',
    tracking: 'none',
    uom: '条',
    price: [350, 2_600],
    taxRate: '0.13',
    models: ['全钢子午线轮胎', '半钢轮胎', '冬季胎', '备胎'],
    specs: ['185R14C', '7.00R16LT', '215/75R17.5', '295/80R22.5'],
    share: 0.08,
  },
  {
    root: 'PARTS',
    code: 'PARTS-FLT',
    name: '滤清器',
    nameEn: 'Filters',
    prefix: 'FT',
    kind: 'part',
    tracking: 'none',
    uom: '件',
    price: [20, 480],
    taxRate: '0.13',
    models: ['机油滤清器', '空气滤清器', '燃油滤清器', '空调滤清器'],
    specs: ['适用 T 系列', '适用 S 系列', '适用 V 系列', '适用 E 系列'],
    share: 0.1,
  },
  {
    root: 'PARTS',
    code: 'PARTS-OIL',
    name: '油品',
    nameEn: 'Oils & fluids',
    prefix: 'OL',
    kind: 'part',
    tracking: 'batch',
    uom: '桶',
    price: [60, 1_800],
    taxRate: '0.13',
    models: ['柴机油 CK-4', '汽机油 SP', '齿轮油', '防冻液', '制动液', '尿素溶液'],
    specs: ['4L', '18L', '200L'],
    share: 0.08,
  },
  {
    root: 'SERVICE',
    code: 'SVC-MNT',
    name: '保养套餐',
    nameEn: 'Maintenance plans',
    prefix: 'MT',
    kind: 'service',
    tracking: 'none',
    uom: '次',
    price: [300, 5_000],
    taxRate: '0.06',
    models: ['首保套餐', '常规保养', '深度保养', '车队年度保养'],
    specs: ['轻卡', '皮卡', '轻客', '客车'],
    share: 0.06,
  },
  {
    root: 'SERVICE',
    code: 'SVC-WTY',
    name: '延保',
    nameEn: 'Extended warranty',
    prefix: 'WT',
    kind: 'service',
    tracking: 'none',
    uom: '份',
    price: [1_500, 8_000],
    taxRate: '0.06',
    models: ['动力总成延保', '整车延保', '三电系统延保'],
    specs: ['1年/5万公里', '2年/10万公里', '3年/15万公里'],
    share: 0.04,
  },
];

const BRANDS: Record<Leaf['kind'], string[]> = {
  vehicle: ['星辰', '星辰商用', '星辰新能源'],
  part: ['星辰原厂', '博世', '曼牌', '米其林', '玲珑', '壳牌', '长城润滑油', '瓦尔塔'],
  service: ['星辰服务'],
};

export interface DemoCatalogProduct {
  id: string;
  sku: string;
  trackingMode: TrackingMode;
  listPrice: number;
  grade: ProductGrade | null;
  categoryCode: string;
}

/** EAN-13 with its check digit, from a 12-digit body. */
function ean13(body: string): string {
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** A price rounded as dealers print them: vehicles to ¥100, parts to ¥1 (or ¥0.5 under ¥100). */
function roundYuan(yuan: number, kind: Leaf['kind']) {
  if (kind === 'vehicle') return Math.round(yuan / 100) * 100;
  if (yuan < 100) return Math.round(yuan * 2) / 2;
  return Math.round(yuan);
}

/**
 * Writes the demo catalog: the category tree and about 300 products per scale unit, at least
 * one per leaf category. Cost prices are 60–85% of list; parts carry barcodes; vehicles
 * are graded A/B/C by how hard they sell.
 */
export async function seedCatalogDemo(
  tx: Db,
  faker: Faker,
  opts: { scale: number },
): Promise<{ categories: number; products: DemoCatalogProduct[] }> {
  const rootIds = new Map<string, string>();
  for (const [i, root] of ROOTS.entries()) {
    const [row] = await tx
      .insert(productCategories)
      .values({ code: root.code, name: root.name, nameEn: root.nameEn, sortOrder: i + 1 })
      .returning({ id: productCategories.id });
    rootIds.set(root.code, row!.id);
  }
  const leafIds = new Map<string, string>();
  for (const [i, leaf] of LEAVES.entries()) {
    const [row] = await tx
      .insert(productCategories)
      .values({
        code: leaf.code,
        name: leaf.name,
        nameEn: leaf.nameEn,
        parentId: rootIds.get(leaf.root)!,
        sortOrder: i + 1,
      })
      .returning({ id: productCategories.id });
    leafIds.set(leaf.code, row!.id);
  }

  const total = Math.max(LEAVES.length, Math.round(opts.scale * 300));
  const values: (typeof products.$inferInsert)[] = [];
  const meta: { categoryCode: string }[] = [];
  const usedSkus = new Set<string>();
  let barcodeSeq = 100_000;
  for (const leaf of LEAVES) {
    const count = Math.max(1, Math.round(total * leaf.share));
    for (let k = 1; k <= count; k++) {
      const model = leaf.models[(k - 1) % leaf.models.length]!;
      const spec = faker.helpers.arrayElement(leaf.specs);
      let sku = normaliseSku(`${leaf.prefix}-${String(k).padStart(4, '0')}`);
      while (usedSkus.has(sku)) sku = `${sku}X`;
      usedSkus.add(sku);
      const series = Math.ceil(k / leaf.models.length);
      const name = series > 1 ? `${model} ${series}代` : model;
      const listYuan = roundYuan(faker.number.float({ min: leaf.price[0], max: leaf.price[1] }), leaf.kind);
      const listPrice = Math.round(listYuan * 100);
      const costPrice = Math.round(listPrice * faker.number.float({ min: 0.6, max: 0.85 }));
      const grade: ProductGrade | null =
        leaf.kind === 'vehicle'
          ? faker.helpers.weightedArrayElement([
              { weight: 3, value: 'A' as const },
              { weight: 5, value: 'B' as const },
              { weight: 2, value: 'C' as const },
            ])
          : leaf.kind === 'part'
            ? faker.helpers.arrayElement(['A', 'B', 'C', null] as const)
            : null;
      values.push({
        sku,
        name: leaf.kind === 'vehicle' ? `${leaf.name} ${name}` : name,
        nameEn: null,
        ...productPinyin(leaf.kind === 'vehicle' ? `${leaf.name} ${name}` : name),
        specification: spec,
        uom: leaf.uom,
        barcode: leaf.kind === 'part' ? ean13(`690${String(barcodeSeq++).padStart(9, '0')}`) : null,
        brand: faker.helpers.arrayElement(BRANDS[leaf.kind]),
        categoryId: leafIds.get(leaf.code)!,
        taxRate: leaf.taxRate,
        listPrice,
        costPrice,
        grade,
        trackingMode: leaf.tracking,
        // A few superseded parts are archived, as in a real catalog.
        status: leaf.kind === 'part' && faker.number.int({ min: 1, max: 40 }) === 1 ? 'archived' : 'active',
      });
      meta.push({ categoryCode: leaf.code });
    }
  }

  const out: DemoCatalogProduct[] = [];
  const ctx = systemCtx('demo');
  for (let i = 0; i < values.length; i += 500) {
    const rows = await tx
      .insert(products)
      .values(values.slice(i, i + 500))
      .returning();
    await recordAudits(
      tx,
      ctx,
      rows.map((row) => ({ action: 'create', entity: 'product', entityId: row.id, after: row })),
    );
    rows.forEach((row, k) => {
      out.push({
        id: row.id,
        sku: row.sku,
        trackingMode: row.trackingMode,
        listPrice: row.listPrice,
        grade: row.grade,
        categoryCode: meta[i + k]!.categoryCode,
      });
    });
  }
  return { categories: ROOTS.length + LEAVES.length, products: out };
}
