import { and, eq, or } from 'drizzle-orm';
import { unitCreate, unitListQuery, unitUpdate } from '../../../../contracts/units.js';
import type { FieldError } from '../../../platform/errors.js';
import { fenToYuan, yuanToFen } from '../../../platform/import-export/cells.js';
import {
  defineExporter,
  defineImporter,
  everyPage,
  type ImportRecord,
  type ImportRun,
  type Label,
  validateInput,
} from '../../../platform/import-export/definitions.js';
import { unitProjects, units } from './schema.js';
import { createUnit, listUnits, type PresentedUnit, updateUnit } from './units.service.js';

// Units from a sheet (a developer's 房源表, a dealer's vehicle list): each row goes through
// createUnit, so a number or VIN used twice is refused exactly as on the page.

const STATUS_LABELS: Record<PresentedUnit['status'], Label> = {
  available: { 'zh-CN': '可售', en: 'Available' },
  held: { 'zh-CN': '保留', en: 'Held' },
  reserved: { 'zh-CN': '已认购', en: 'Reserved' },
  sold: { 'zh-CN': '已售', en: 'Sold' },
};

const fields = [
  {
    key: 'project',
    label: { 'zh-CN': '项目编号', en: 'Project code' },
    aliases: ['项目', '批次', 'project'],
    required: true,
    example: 'JWF',
  },
  { key: 'building', label: { 'zh-CN': '楼栋', en: 'Building' }, aliases: ['楼号', '栋'], example: '1号楼' },
  { key: 'floor', label: { 'zh-CN': '楼层', en: 'Floor' }, aliases: ['层'], example: '12' },
  { key: 'position', label: { 'zh-CN': '户位', en: 'Position' }, aliases: ['位置', '单元户'], example: '3' },
  {
    key: 'number',
    label: { 'zh-CN': '房号', en: 'Number' },
    aliases: ['编号', '库存编号', 'unit number', 'unit'],
    example: '1-1203',
  },
  { key: 'vin', label: { 'zh-CN': '车架号', en: 'VIN' }, aliases: ['VIN码', '车辆识别代号'] },
  {
    key: 'unitType',
    label: { 'zh-CN': '户型', en: 'Type' },
    aliases: ['房型', '车型配置', 'type', 'trim'],
    example: '三室两厅',
  },
  {
    key: 'area',
    label: { 'zh-CN': '面积（㎡）', en: 'Area (m²)' },
    aliases: ['面积', '建筑面积', 'area'],
    example: '118.50',
  },
  {
    key: 'grade',
    label: { 'zh-CN': '等级', en: 'Grade' },
    aliases: ['房源等级', '级别'],
    required: true,
    example: 'A',
  },
  {
    key: 'listPrice',
    label: { 'zh-CN': '总价（元）', en: 'List price (yuan)' },
    aliases: ['总价', '价格', '标价', 'price'],
    required: true,
    example: '2380000',
  },
  { key: 'stage', label: { 'zh-CN': '推盘阶段', en: 'Stage' }, aliases: ['阶段', '批次阶段'], example: 'S1' },
  { key: 'orientation', label: { 'zh-CN': '朝向', en: 'Orientation' }, aliases: ['朝向'], example: '南北' },
];

const intCell = (value: string | null | undefined, path: string, errors: FieldError[]) => {
  if (!value) return undefined;
  if (!/^-?\d+$/.test(value)) {
    errors.push({ path, message: 'type', params: { expected: 'integer' } });
    return undefined;
  }
  return Number(value);
};

async function projectByCode(run: ImportRun, code: string | null, errors: FieldError[]) {
  if (!code) return undefined;
  const cacheKey = `unit-project:${code}`;
  if (!run.cache.has(cacheKey)) {
    const [p] = await run.tx
      .select({ id: unitProjects.id })
      .from(unitProjects)
      .where(or(eq(unitProjects.code, code), eq(unitProjects.name, code)))
      .limit(1);
    run.cache.set(cacheKey, p?.id ?? null);
  }
  const id = run.cache.get(cacheKey) as string | null;
  if (!id) errors.push({ path: 'projectId', message: 'notFoundValue', params: { value: code } });
  return id ?? undefined;
}

const withoutBlanks = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && v !== ''));

/** Position from the number when not given: the last two digits of 1-1203 → 3. */
const positionOf = (number: string | null | undefined) => {
  const m = number ? /(\d{2})$/.exec(number) : null;
  return m ? Number(m[1]) || undefined : undefined;
};

function unitFields(record: ImportRecord, errors: FieldError[]) {
  const floor = intCell(record.floor, 'floor', errors);
  return {
    building: record.building,
    floor,
    position:
      intCell(record.position, 'position', errors) ??
      (floor !== undefined ? positionOf(record.number) : undefined),
    number: record.number,
    vin: record.vin,
    unitType: record.unitType,
    area: record.area?.replace(/[㎡m²\s]/g, ''),
    grade: record.grade,
    listPrice: yuanToFen(record.listPrice ?? null, 'listPrice', errors),
    stage: record.stage,
    orientation: record.orientation,
  };
}

type Found = { id: string; version: number };

export const unitsImporter = defineImporter<Found>({
  entity: 'units',
  label: { 'zh-CN': '房源与车辆', en: 'Units' },
  permissions: { create: 'units.manage', update: 'units.manage' },
  duplicateKey: 'number',
  createDuplicates: false,
  fieldOfPath: { projectId: 'project' },
  fields,
  async find(record, run) {
    const projectId = await projectByCode(run, record.project ?? null, []);
    if (!projectId) return null;
    const byVin = record.vin ? eq(units.vin, record.vin.toUpperCase()) : undefined;
    const byNumber = record.number
      ? and(
          eq(units.projectId, projectId),
          eq(units.building, record.building ?? ''),
          eq(units.number, record.number),
        )
      : undefined;
    if (!byVin && !byNumber) return null;
    const [found] = await run.tx
      .select({ id: units.id, version: units.version })
      .from(units)
      .where(or(byVin, byNumber))
      .limit(1);
    return found ?? null;
  },
  async create(record, run) {
    const errors: FieldError[] = [];
    const projectId = await projectByCode(run, record.project ?? null, errors);
    const input = validateInput(
      unitCreate,
      { ...withoutBlanks(unitFields(record, errors)), projectId },
      errors,
    );
    await createUnit(run.tx, run.ctx, input);
  },
  async update(existing, record, run) {
    const errors: FieldError[] = [];
    const f = unitFields(record, errors);
    const input = validateInput(
      unitUpdate,
      {
        ...withoutBlanks({
          unitType: f.unitType,
          grade: f.grade,
          area: f.area,
          stage: f.stage,
          orientation: f.orientation,
        }),
        version: existing.version,
      },
      errors,
    );
    await updateUnit(run.tx, run.ctx, existing.id, input);
  },
});

defineExporter({
  entity: 'units',
  label: { 'zh-CN': '房源与车辆', en: 'Units' },
  path: '/units',
  permission: 'units.read',
  query: unitListQuery.omit({ limit: true, cursor: true }),
  // The import's column names, so an exported sheet can be edited and imported back.
  columns: [
    { key: 'project', label: fields[0]!.label, value: (u: PresentedUnit) => u.projectCode },
    { key: 'building', label: fields[1]!.label, value: (u) => u.building },
    { key: 'floor', label: fields[2]!.label, value: (u) => u.floor },
    { key: 'position', label: fields[3]!.label, value: (u) => u.position },
    { key: 'number', label: fields[4]!.label, value: (u) => u.number },
    { key: 'vin', label: fields[5]!.label, value: (u) => u.vin },
    { key: 'unitType', label: fields[6]!.label, value: (u) => u.unitType },
    { key: 'area', label: fields[7]!.label, value: (u) => u.area },
    { key: 'grade', label: fields[8]!.label, value: (u) => u.grade },
    { key: 'listPrice', label: fields[9]!.label, value: (u) => fenToYuan(u.listPrice) },
    {
      key: 'unitPrice',
      label: { 'zh-CN': '单价（元/㎡）', en: 'Price per m² (yuan)' },
      value: (u) => fenToYuan(u.unitPrice),
    },
    { key: 'stage', label: fields[10]!.label, value: (u) => u.stage },
    { key: 'orientation', label: fields[11]!.label, value: (u) => u.orientation },
    { key: 'status', label: { 'zh-CN': '状态', en: 'Status' }, value: (u, l) => STATUS_LABELS[u.status][l] },
    { key: 'holdReason', label: { 'zh-CN': '保留原因', en: 'Hold reason' }, value: (u) => u.holdReason },
  ],
  rows: everyPage((db, _ctx, query) => listUnits(db, query)),
});
