import { Decimal } from 'decimal.js';
import { and, asc, count, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  sellThroughQuery,
  unitCreate,
  unitHold,
  unitListQuery,
  unitProjectCreate,
  unitProjectListQuery,
  unitProjectUpdate,
  unitRelease,
  unitReprice,
  unitReverseSale,
  unitUpdate,
} from '../../../../contracts/units.js';
import type { Db } from '../../../db/client.js';
import { pgConstraint, pgErrorCode, withTx } from '../../../db/tx.js';
import { recordAudit, recordAudits } from '../../../platform/audit/audit.js';
import { actorName, type Ctx } from '../../../platform/context.js';
import { AppError, invalidField, notFound, versionConflict } from '../../../platform/errors.js';
import { containsPattern, keyset, whereAll } from '../../../platform/http/pagination.js';
import type { Locale } from '../../../platform/i18n/locale.js';
import { companyTimeZone, dayIn } from '../../../platform/settings/settings.service.js';
import { users } from '../../org/schema.js';
import { products } from '../catalog/schema.js';
import {
  EIGHT_NINE_DEFAULT_MAX_RAISE,
  EIGHT_NINE_DEFAULT_PERCENT,
  eightNine,
} from '../pricing/price-resolution.js';
import { warehouses } from '../stock/schema.js';
import {
  allowedUnitActions,
  gradeSellThrough,
  hasValidVinCheckDigit,
  nextUnitStatus,
  repriceByPercent,
  stageElapsed,
  type UnitAction,
  unitPricePerSqm,
} from './rules.js';
import { UNIT_STATUSES, type UnitStage, type UnitStatus, unitEvents, unitProjects, units } from './schema.js';

type UnitRow = typeof units.$inferSelect;
type ProjectRow = typeof unitProjects.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

// ---------------------------------------------------------------------------------------------
// Labels for the messages of refused moves

const STATUS_LABELS: Record<UnitStatus, Record<Locale, string>> = {
  available: { 'zh-CN': '可售', en: 'available' },
  held: { 'zh-CN': '保留', en: 'held' },
  reserved: { 'zh-CN': '已认购', en: 'reserved' },
  sold: { 'zh-CN': '已售', en: 'sold' },
};
const ACTION_LABELS: Record<UnitAction, Record<Locale, string>> = {
  hold: { 'zh-CN': '保留', en: 'held' },
  release: { 'zh-CN': '解除保留', en: 'released' },
  reserve: { 'zh-CN': '认购', en: 'reserved' },
  cancel: { 'zh-CN': '取消认购', en: 'cancelled' },
  sell: { 'zh-CN': '标记售出', en: 'sold' },
  reverse_sale: { 'zh-CN': '撤销销售', en: 'un-sold' },
};

const label = (u: Pick<UnitRow, 'building' | 'number'>) =>
  u.building && !u.number.startsWith(u.building) ? `${u.building} ${u.number}` : u.number;

/** "1-1203（已售）" / "1-1203 (sold)" for the lists of refused units. */
const withState = (ctx: Ctx, u: UnitRow) =>
  ctx.locale === 'zh-CN'
    ? `${label(u)}（${STATUS_LABELS[u.status][ctx.locale]}）`
    : `${label(u)} (${STATUS_LABELS[u.status][ctx.locale]})`;

const wrongState = (ctx: Ctx, u: UnitRow, action: UnitAction) =>
  u.status === 'sold' && action === 'sell'
    ? new AppError('unit_already_sold', { number: label(u) })
    : new AppError('unit_wrong_state', {
        number: label(u),
        state: STATUS_LABELS[u.status][ctx.locale],
        action: ACTION_LABELS[action][ctx.locale],
      });

// ---------------------------------------------------------------------------------------------
// Projects

async function projectCounts(db: Db, projectIds: string[]) {
  const counts = new Map<string, Record<UnitStatus | 'total', number>>();
  if (!projectIds.length) return counts;
  const rows = await db
    .select({ projectId: units.projectId, status: units.status, n: count() })
    .from(units)
    .where(inArray(units.projectId, projectIds))
    .groupBy(units.projectId, units.status);
  for (const id of projectIds) counts.set(id, { total: 0, available: 0, held: 0, reserved: 0, sold: 0 });
  for (const r of rows) {
    const c = counts.get(r.projectId)!;
    c[r.status] += Number(r.n);
    c.total += Number(r.n);
  }
  return counts;
}

function presentProject(p: ProjectRow, counts: Record<UnitStatus | 'total', number>) {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    kind: p.kind,
    address: p.address,
    stages: p.stages,
    status: p.status,
    counts,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    version: p.version,
  };
}

export async function listUnitProjects(db: Db, query: z.infer<typeof unitProjectListQuery>) {
  const page = keyset(
    query,
    { code: unitProjects.code, createdAt: unitProjects.createdAt },
    unitProjects.id,
    'code',
  );
  const pattern = containsPattern(query.q);
  const filter = whereAll(
    query.includeArchived ? undefined : eq(unitProjects.status, 'active'),
    query.kind ? eq(unitProjects.kind, query.kind) : undefined,
    pattern
      ? or(sql`${unitProjects.name} ilike ${pattern}`, sql`${unitProjects.code} ilike ${pattern}`)
      : undefined,
  );
  const rows = await db
    .select()
    .from(unitProjects)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(unitProjects).where(filter);
  const key = query.sort?.replace(/^-/, '') ?? 'code';
  const result = page.page(rows, n, (r) => [key === 'createdAt' ? r.createdAt : r.code, r.id]);
  const counts = await projectCounts(
    db,
    result.items.map((p) => p.id),
  );
  return { ...result, items: result.items.map((p) => presentProject(p, counts.get(p.id)!)) };
}

async function findProject(db: Db, id: string) {
  const [p] = await db.select().from(unitProjects).where(eq(unitProjects.id, id));
  if (!p) throw notFound();
  return p;
}

export async function getUnitProject(db: Db, id: string) {
  const p = await findProject(db, id);
  return presentProject(p, (await projectCounts(db, [id])).get(id)!);
}

function translateUniqueViolation(err: unknown, facts: Record<string, string>): never {
  if (pgErrorCode(err) === '23505') {
    const constraint = pgConstraint(err);
    if (constraint === 'unit_projects_code_idx')
      throw new AppError('duplicate_unit_project', { code: facts.code });
    if (constraint === 'units_vin_idx') throw new AppError('duplicate_vin', { vin: facts.vin });
    if (constraint === 'units_number_idx') {
      throw new AppError('duplicate_unit_number', { building: facts.building, number: facts.number });
    }
  }
  throw err;
}

export async function createUnitProject(db: Db, ctx: Ctx, input: z.infer<typeof unitProjectCreate>) {
  try {
    return await withTx(db, async (tx) => {
      const [created] = await tx
        .insert(unitProjects)
        .values({
          code: input.code,
          name: input.name,
          kind: input.kind,
          address: input.address || null,
          stages: input.stages,
          createdBy: ctx.actor?.userId ?? null,
        })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'create',
        entity: 'unit_project',
        entityId: created!.id,
        after: created,
      });
      return created!.id;
    });
  } catch (err) {
    translateUniqueViolation(err, { code: input.code });
  }
}

export async function updateUnitProject(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof unitProjectUpdate>,
) {
  const { version, ...changes } = input;
  return withTx(db, async (tx) => {
    const [before] = await tx.select().from(unitProjects).where(eq(unitProjects.id, id)).for('update');
    if (!before) throw notFound();
    if (before.version !== version) throw versionConflict();
    if (changes.stages) {
      // A stage still named by units keeps its code.
      const used = await tx
        .selectDistinct({ stage: units.stage })
        .from(units)
        .where(and(eq(units.projectId, id), sql`${units.stage} is not null`));
      const codes = new Set(changes.stages.map((s) => s.code));
      const missing = used.map((u) => u.stage!).filter((s) => !codes.has(s));
      if (missing.length) throw invalidField('stages', 'notFoundValue', { value: missing.join(', ') });
    }
    const [after] = await tx
      .update(unitProjects)
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.address !== undefined ? { address: changes.address || null } : {}),
        ...(changes.stages !== undefined ? { stages: changes.stages } : {}),
        ...(changes.status !== undefined ? { status: changes.status } : {}),
        updatedAt: sql`now()`,
        version: sql`${unitProjects.version} + 1`,
      })
      .where(and(eq(unitProjects.id, id), eq(unitProjects.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'update', entity: 'unit_project', entityId: id, before, after });
    return id;
  });
}

// ---------------------------------------------------------------------------------------------
// Units: reading

function selectUnits(db: Db) {
  return db
    .select({
      unit: units,
      projectCode: unitProjects.code,
      projectName: unitProjects.name,
      productName: products.name,
      warehouseName: warehouses.name,
      heldByName: users.name,
    })
    .from(units)
    .innerJoin(unitProjects, eq(unitProjects.id, units.projectId))
    .leftJoin(products, eq(products.id, units.productId))
    .leftJoin(warehouses, eq(warehouses.id, units.warehouseId))
    .leftJoin(users, eq(users.id, units.heldBy));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectUnits>['where']>>[number];

function presentUnit(r: Row) {
  const u = r.unit;
  return {
    id: u.id,
    projectId: u.projectId,
    projectCode: r.projectCode,
    projectName: r.projectName,
    kind: u.kind,
    building: u.building,
    floor: u.floor,
    position: u.position,
    number: u.number,
    vin: u.vin,
    vinCheckDigitOk: u.vin ? hasValidVinCheckDigit(u.vin) : null,
    productId: u.productId,
    productName: r.productName,
    warehouseId: u.warehouseId,
    warehouseName: r.warehouseName,
    unitType: u.unitType,
    grade: u.grade,
    area: u.area,
    spec: u.spec,
    orientation: u.orientation,
    listPrice: u.listPrice,
    unitPrice: u.kind === 'property' ? unitPricePerSqm(u.listPrice, u.area) : null,
    status: u.status,
    stage: u.stage,
    holdReason: u.holdReason,
    heldBy: u.heldBy,
    heldByName: u.heldBy ? r.heldByName : null,
    heldAt: iso(u.heldAt),
    holdUntil: iso(u.holdUntil),
    reservationKey: u.reservationKey,
    reservationSourceType: u.reservationSourceType,
    reservationSourceId: u.reservationSourceId,
    reservedAt: iso(u.reservedAt),
    soldAt: iso(u.soldAt),
    actions: allowedUnitActions(u.status),
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
    version: u.version,
  };
}
export type PresentedUnit = ReturnType<typeof presentUnit>;

export async function listUnits(db: Db, query: z.infer<typeof unitListQuery>) {
  const page = keyset(
    query,
    {
      number: units.number,
      listPrice: units.listPrice,
      createdAt: units.createdAt,
      updatedAt: units.updatedAt,
    },
    units.id,
    'number',
  );
  const pattern = containsPattern(query.q);
  const filter = whereAll(
    query.projectId ? eq(units.projectId, query.projectId) : undefined,
    query.building !== undefined ? eq(units.building, query.building) : undefined,
    query.floor !== undefined ? eq(units.floor, query.floor) : undefined,
    query.status ? eq(units.status, query.status) : undefined,
    query.grade ? eq(units.grade, query.grade.toUpperCase()) : undefined,
    query.stage ? eq(units.stage, query.stage) : undefined,
    query.unitType ? eq(units.unitType, query.unitType) : undefined,
    pattern
      ? or(
          sql`${units.number} ilike ${pattern}`,
          sql`${units.vin} ilike ${pattern}`,
          sql`${units.reservationSourceId} = ${query.q}`,
        )
      : undefined,
  );
  const rows = await selectUnits(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(units).where(filter);
  const key = query.sort?.replace(/^-/, '') ?? 'number';
  const result = page.page(rows, n, (r) => [
    key === 'listPrice'
      ? r.unit.listPrice
      : key === 'createdAt'
        ? r.unit.createdAt
        : key === 'updatedAt'
          ? r.unit.updatedAt
          : r.unit.number,
    r.unit.id,
  ]);
  return { ...result, items: result.items.map(presentUnit) };
}

export async function getUnit(db: Db, id: string) {
  const [row] = await selectUnits(db).where(eq(units.id, id));
  if (!row) throw notFound();
  return presentUnit(row);
}

export async function listUnitEvents(db: Db, unitId: string) {
  await getUnit(db, unitId);
  const rows = await db
    .select()
    .from(unitEvents)
    .where(eq(unitEvents.unitId, unitId))
    .orderBy(sql`${unitEvents.at} desc`, sql`${unitEvents.id} desc`);
  return rows.map((e) => ({
    id: e.id,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    reason: e.reason,
    details: e.details,
    actorId: e.actorId,
    actorName: e.actorName,
    at: e.at.toISOString(),
  }));
}

/** The sales office's 销控表: per building, floors top first, cells by position. */
export async function unitGrid(db: Db, projectId: string) {
  await findProject(db, projectId);
  const rows = await db
    .select()
    .from(units)
    .where(eq(units.projectId, projectId))
    .orderBy(asc(units.building), asc(units.floor), asc(units.position), asc(units.number));
  const byBuilding = new Map<string, UnitRow[]>();
  for (const u of rows) {
    const list = byBuilding.get(u.building) ?? [];
    list.push(u);
    byBuilding.set(u.building, list);
  }
  const buildings = [...byBuilding.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'zh-CN', { numeric: true }))
    .map(([building, list]) => {
      // Units without a position (vehicles) line up in the order of their numbers.
      const withPos = list.map((u, i) => ({ u, pos: u.position ?? i + 1 }));
      const positions = [...new Set(withPos.map((x) => x.pos))].sort((a, b) => a - b);
      const floors = new Map<number | null, (typeof withPos)[number][]>();
      for (const x of withPos) {
        const f = x.u.floor;
        floors.set(f, [...(floors.get(f) ?? []), x]);
      }
      const counts = Object.fromEntries(UNIT_STATUSES.map((s) => [s, 0])) as Record<UnitStatus, number>;
      for (const u of list) counts[u.status]++;
      return {
        building,
        positions,
        floors: [...floors.entries()]
          .sort(([a], [b]) => (b ?? 0) - (a ?? 0))
          .map(([floor, cells]) => ({
            floor,
            cells: positions.map((p) => {
              const x = cells.find((c) => c.pos === p);
              if (!x) return null;
              const u = x.u;
              return {
                id: u.id,
                number: u.number,
                floor: u.floor,
                position: u.position,
                unitType: u.unitType,
                area: u.area,
                grade: u.grade,
                listPrice: u.listPrice,
                unitPrice: u.kind === 'property' ? unitPricePerSqm(u.listPrice, u.area) : null,
                status: u.status,
                stage: u.stage,
                holdReason: u.holdReason,
                version: u.version,
              };
            }),
          })),
        counts,
      };
    });
  return { projectId, buildings };
}

// ---------------------------------------------------------------------------------------------
// Units: master data

async function assertReferences(tx: Db, input: { productId?: string | null; warehouseId?: string | null }) {
  if (input.productId) {
    const [p] = await tx.select({ id: products.id }).from(products).where(eq(products.id, input.productId));
    if (!p)
      throw new AppError('invalid_reference', { field: 'productId' }, [
        { path: 'productId', message: 'invalid' },
      ]);
  }
  if (input.warehouseId) {
    const [w] = await tx
      .select({ id: warehouses.id })
      .from(warehouses)
      .where(and(eq(warehouses.id, input.warehouseId), eq(warehouses.status, 'active')));
    if (!w) {
      throw new AppError('invalid_reference', { field: 'warehouseId' }, [
        { path: 'warehouseId', message: 'invalid' },
      ]);
    }
  }
}

function assertStage(project: ProjectRow, stage: string | null | undefined) {
  if (stage && !project.stages.some((s) => s.code === stage)) {
    throw invalidField('stage', 'oneOf', { values: project.stages.map((s) => s.code).join(', ') || '—' });
  }
}

async function activeProject(tx: Db, projectId: string, path = 'projectId') {
  const [project] = await tx.select().from(unitProjects).where(eq(unitProjects.id, projectId));
  if (!project) throw new AppError('invalid_reference', { field: path }, [{ path, message: 'invalid' }]);
  if (project.status === 'archived') throw new AppError('unit_project_archived', { name: project.name });
  return project;
}

async function writeEvents(
  tx: Db,
  ctx: Ctx,
  events: {
    unit: Pick<UnitRow, 'id' | 'projectId'>;
    action: string;
    from: UnitStatus | null;
    to: UnitStatus;
    reason?: string | null;
    details?: Record<string, unknown>;
  }[],
) {
  if (!events.length) return;
  await tx.insert(unitEvents).values(
    events.map((e) => ({
      unitId: e.unit.id,
      projectId: e.unit.projectId,
      action: e.action,
      fromStatus: e.from,
      toStatus: e.to,
      reason: e.reason ?? null,
      details: e.details ?? {},
      actorId: ctx.actor?.userId ?? null,
      actorName: actorName(ctx),
    })),
  );
}

/**
 * Registers a unit: an apartment (building, floor, position, number) or a vehicle by VIN. A number
 * used twice in one building, or a VIN anywhere, is refused (409) and nothing is written.
 */
export async function createUnit(db: Db, ctx: Ctx, input: z.infer<typeof unitCreate>) {
  const building = input.building ?? '';
  const number = input.number ?? input.vin;
  try {
    return await withTx(db, async (tx) => {
      const project = await activeProject(tx, input.projectId);
      if (!number) throw invalidField('number', 'required');
      if (project.kind === 'vehicle' && !input.vin) throw invalidField('vin', 'required');
      if (project.kind === 'property' && !input.area) throw invalidField('area', 'required');
      assertStage(project, input.stage);
      await assertReferences(tx, input);
      const [created] = await tx
        .insert(units)
        .values({
          projectId: project.id,
          kind: project.kind,
          building,
          floor: input.floor ?? null,
          position: input.position ?? null,
          number,
          vin: input.vin ?? null,
          productId: input.productId ?? null,
          warehouseId: input.warehouseId ?? null,
          unitType: input.unitType || null,
          grade: input.grade,
          area: input.area ?? null,
          spec: input.spec || null,
          orientation: input.orientation || null,
          listPrice: input.listPrice,
          stage: input.stage ?? null,
          createdBy: ctx.actor?.userId ?? null,
        })
        .returning();
      await recordAudit(tx, ctx, { action: 'create', entity: 'unit', entityId: created!.id, after: created });
      await writeEvents(tx, ctx, [{ unit: created!, action: 'create', from: null, to: 'available' }]);
      return created!.id;
    });
  } catch (err) {
    translateUniqueViolation(err, { building, number: number ?? '', vin: input.vin ?? '' });
  }
}

/** Corrects a unit's facts (not its number, VIN, price or status: those have their own moves). */
export async function updateUnit(db: Db, ctx: Ctx, id: string, input: z.infer<typeof unitUpdate>) {
  const { version, ...changes } = input;
  return withTx(db, async (tx) => {
    const [before] = await tx.select().from(units).where(eq(units.id, id)).for('update');
    if (!before) throw notFound();
    const project = await activeProject(tx, before.projectId);
    if (before.version !== version) throw versionConflict();
    if (changes.stage !== undefined) assertStage(project, changes.stage);
    if (changes.area === null && before.kind === 'property') throw invalidField('area', 'required');
    await assertReferences(tx, changes);
    const set: Partial<typeof units.$inferInsert> = {};
    for (const key of [
      'unitType',
      'grade',
      'area',
      'spec',
      'orientation',
      'productId',
      'warehouseId',
      'stage',
    ] as const) {
      if (changes[key] !== undefined) (set as Record<string, unknown>)[key] = changes[key] || null;
    }
    const [after] = await tx
      .update(units)
      .set({ ...set, updatedAt: sql`now()`, version: sql`${units.version} + 1` })
      .where(and(eq(units.id, id), eq(units.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'update', entity: 'unit', entityId: id, before, after });
    return id;
  });
}

// ---------------------------------------------------------------------------------------------
// Release control: bulk hold and release, all or nothing

type Refs = { id: string; version: number }[];

/**
 * Moves every unit of `refs` by `action`, or none: the units are locked (in id order, so two
 * overlapping requests never deadlock), and if any is missing, in the wrong state or changed since
 * the user saw it, the request fails naming them and nothing is written. Each unit is audited and
 * gets an event row.
 */
async function moveUnits(
  db: Db,
  ctx: Ctx,
  refs: Refs,
  action: 'hold' | 'release',
  reason: string,
  set: Partial<typeof units.$inferInsert>,
) {
  return withTx(db, async (tx) => {
    const ids = refs.map((r) => r.id);
    const locked = await tx
      .select()
      .from(units)
      .where(inArray(units.id, ids))
      .orderBy(units.id)
      .for('update');
    if (locked.length !== ids.length) throw notFound();
    const byId = new Map(locked.map((u) => [u.id, u]));
    const ordered = refs.map((r) => byId.get(r.id)!);
    const wrong = ordered.flatMap((u, i) => (nextUnitStatus(u.status, action) ? [] : [{ u, i }]));
    if (wrong.length) {
      throw new AppError(
        'units_not_in_state',
        {
          count: wrong.length,
          action: ACTION_LABELS[action][ctx.locale],
          units: wrong.map(({ u }) => withState(ctx, u)).join(ctx.locale === 'zh-CN' ? '、' : ', '),
        },
        wrong.map(({ u, i }) => ({
          path: `units.${i}`,
          message: 'unitState',
          params: { number: label(u), state: STATUS_LABELS[u.status][ctx.locale] },
        })),
      );
    }
    if (refs.some((r) => byId.get(r.id)!.version !== r.version)) throw versionConflict();
    const projectIds = [...new Set(locked.map((u) => u.projectId))];
    for (const pid of projectIds) await activeProject(tx, pid);
    const from = action === 'hold' ? 'available' : 'held';
    const to = action === 'hold' ? 'held' : 'available';
    const after = await tx
      .update(units)
      .set({ ...set, status: to, updatedAt: sql`now()`, version: sql`${units.version} + 1` })
      .where(and(inArray(units.id, ids), eq(units.status, from)))
      .returning();
    if (after.length !== ids.length) throw versionConflict();
    await recordAudits(
      tx,
      ctx,
      after.map((a) => ({
        action,
        entity: 'unit',
        entityId: a.id,
        before: byId.get(a.id)!,
        after: { ...a, reason },
      })),
    );
    await writeEvents(
      tx,
      ctx,
      after.map((a) => ({ unit: a, action, from, to, reason })),
    );
    return {
      count: after.length,
      units: after.map((a) => ({ id: a.id, number: a.number, status: a.status, version: a.version })),
    };
  });
}

/** 人为保留: holds available units back from sale, with a reason (and optionally until when). */
export async function holdUnits(db: Db, ctx: Ctx, input: z.infer<typeof unitHold>) {
  return moveUnits(db, ctx, input.units, 'hold', input.reason, {
    holdReason: input.reason,
    heldBy: ctx.actor?.userId ?? null,
    heldAt: new Date(),
    holdUntil: input.holdUntil ? new Date(input.holdUntil) : null,
  });
}

/** Releases held units back to sale. */
export async function releaseUnits(db: Db, ctx: Ctx, input: z.infer<typeof unitRelease>) {
  return moveUnits(db, ctx, input.units, 'release', input.reason, {
    holdReason: null,
    heldBy: null,
    heldAt: null,
    holdUntil: null,
  });
}

// ---------------------------------------------------------------------------------------------
// Reservations and sales: the functions orders call inside their own transactions

export interface ReserveUnitInput {
  unitId: string;
  /** The idempotency key: an order line, a subscription (认购书) number. */
  key: string;
  sourceType?: string | undefined;
  sourceId?: string | undefined;
}

const RESERVATION_CLEARED = {
  reservationKey: null,
  reservationSourceType: null,
  reservationSourceId: null,
  reservedBy: null,
  reservedAt: null,
} as const;

/**
 * Reserves (认购) an available unit for an order or a subscription. Idempotent by key: the same
 * key for the same unit returns the reservation unchanged; a key already used for another unit,
 * or a unit not available (held, reserved, sold), is a 409. Two reservations racing for one unit
 * have one winner: the update only applies while the unit is still available.
 */
export async function reserveUnit(tx: Db, ctx: Ctx, input: ReserveUnitInput): Promise<UnitRow> {
  return withTx(tx, async (tx) => {
    const [existing] = await tx.select().from(units).where(eq(units.reservationKey, input.key));
    if (existing) {
      if (existing.id === input.unitId) return existing;
      throw new AppError('unit_reservation_key_used', { key: input.key, number: label(existing) });
    }
    let after: UnitRow | undefined;
    try {
      [after] = await tx
        .update(units)
        .set({
          status: 'reserved',
          reservationKey: input.key,
          reservationSourceType: input.sourceType ?? null,
          reservationSourceId: input.sourceId ?? null,
          reservedBy: ctx.actor?.userId ?? null,
          reservedAt: new Date(),
          updatedAt: sql`now()`,
          version: sql`${units.version} + 1`,
        })
        .where(and(eq(units.id, input.unitId), eq(units.status, 'available')))
        .returning();
    } catch (err) {
      // The same key racing for two units: the unique index lets one through.
      if (pgErrorCode(err) === '23505' && pgConstraint(err) === 'units_reservation_key_idx') {
        throw new AppError('unit_reservation_key_used', { key: input.key, number: '' });
      }
      throw err;
    }
    if (!after) {
      const [current] = await tx.select().from(units).where(eq(units.id, input.unitId));
      if (!current) throw notFound();
      throw wrongState(ctx, current, 'reserve');
    }
    const before = { ...after, status: 'available' as const, ...RESERVATION_CLEARED };
    await recordAudit(tx, ctx, { action: 'reserve', entity: 'unit', entityId: after.id, before, after });
    await writeEvents(tx, ctx, [
      {
        unit: after,
        action: 'reserve',
        from: 'available',
        to: 'reserved',
        details: { key: input.key, sourceType: input.sourceType ?? null, sourceId: input.sourceId ?? null },
      },
    ]);
    return after;
  });
}

/**
 * Cancels the reservation with this key: the unit is available again. Idempotent: an unknown key
 * (never reserved, or cancelled already) changes nothing and returns null; a sold unit is a 409.
 */
export async function releaseUnitReservation(
  tx: Db,
  ctx: Ctx,
  key: string,
  reason?: string,
): Promise<UnitRow | null> {
  return withTx(tx, async (tx) => {
    const [before] = await tx.select().from(units).where(eq(units.reservationKey, key)).for('update');
    if (!before) return null;
    if (before.status !== 'reserved') throw wrongState(ctx, before, 'cancel');
    const [after] = await tx
      .update(units)
      .set({
        status: 'available',
        ...RESERVATION_CLEARED,
        updatedAt: sql`now()`,
        version: sql`${units.version} + 1`,
      })
      .where(and(eq(units.id, before.id), eq(units.status, 'reserved')))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'cancel', entity: 'unit', entityId: after.id, before, after });
    await writeEvents(tx, ctx, [
      {
        unit: after,
        action: 'cancel',
        from: 'reserved',
        to: 'available',
        reason: reason ?? null,
        details: { key },
      },
    ]);
    return after;
  });
}

/**
 * Marks a reserved unit sold under its reservation's key. Idempotent for the same key (a retry
 * returns the sold unit); a unit sold under another key — "a unit sold twice" — is a 409, as is
 * a unit not reserved or reserved under another key. Nothing changes on a refusal.
 */
export async function markUnitSold(
  tx: Db,
  ctx: Ctx,
  input: { unitId: string; key: string },
): Promise<UnitRow> {
  return withTx(tx, async (tx) => {
    const [before] = await tx.select().from(units).where(eq(units.id, input.unitId)).for('update');
    if (!before) throw notFound();
    if (before.status === 'sold') {
      if (before.reservationKey === input.key) return before;
      throw wrongState(ctx, before, 'sell');
    }
    if (before.status !== 'reserved') throw wrongState(ctx, before, 'sell');
    if (before.reservationKey !== input.key) {
      throw new AppError('unit_reservation_mismatch', { number: label(before), key: input.key });
    }
    const [after] = await tx
      .update(units)
      .set({ status: 'sold', soldAt: new Date(), updatedAt: sql`now()`, version: sql`${units.version} + 1` })
      .where(and(eq(units.id, before.id), eq(units.status, 'reserved')))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'sell', entity: 'unit', entityId: after.id, before, after });
    await writeEvents(tx, ctx, [
      { unit: after, action: 'sell', from: 'reserved', to: 'sold', details: { key: input.key } },
    ]);
    return after;
  });
}

/** Cancels a unit's current reservation by the unit (the sales office's button). */
export async function cancelUnitReservation(db: Db, ctx: Ctx, unitId: string, reason?: string) {
  return withTx(db, async (tx) => {
    const [u] = await tx.select().from(units).where(eq(units.id, unitId));
    if (!u) throw notFound();
    if (u.status !== 'reserved' || !u.reservationKey) throw wrongState(ctx, u, 'cancel');
    await releaseUnitReservation(tx, ctx, u.reservationKey, reason);
    return unitId;
  });
}

/** Marks a unit sold under the given key, by default its current reservation's. */
export async function sellUnit(db: Db, ctx: Ctx, unitId: string, key?: string) {
  return withTx(db, async (tx) => {
    const [u] = await tx.select().from(units).where(eq(units.id, unitId));
    if (!u) throw notFound();
    const k = key ?? u.reservationKey;
    if (!k) throw wrongState(ctx, u, 'sell');
    if (!key && u.status === 'sold') throw wrongState(ctx, u, 'sell');
    await markUnitSold(tx, ctx, { unitId, key: k });
    return unitId;
  });
}

/**
 * Reverses a sale (a cancelled contract, a buyer's refund): the unit is available again and its
 * reservation cleared. Only by units.manage, with a reason, audited.
 */
export async function reverseUnitSale(
  db: Db,
  ctx: Ctx,
  unitId: string,
  input: z.infer<typeof unitReverseSale>,
) {
  return withTx(db, async (tx) => {
    const [before] = await tx.select().from(units).where(eq(units.id, unitId)).for('update');
    if (!before) throw notFound();
    if (before.status !== 'sold') throw wrongState(ctx, before, 'reverse_sale');
    if (before.version !== input.version) throw versionConflict();
    const [after] = await tx
      .update(units)
      .set({
        status: 'available',
        ...RESERVATION_CLEARED,
        soldAt: null,
        updatedAt: sql`now()`,
        version: sql`${units.version} + 1`,
      })
      .where(and(eq(units.id, unitId), eq(units.version, input.version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: 'reverse_sale',
      entity: 'unit',
      entityId: unitId,
      before,
      after: { ...after, reason: input.reason },
    });
    await writeEvents(tx, ctx, [
      {
        unit: after,
        action: 'reverse_sale',
        from: 'sold',
        to: 'available',
        reason: input.reason,
        details: { key: before.reservationKey },
      },
    ]);
    return unitId;
  });
}

// ---------------------------------------------------------------------------------------------
// Price changes

/**
 * Sets new list prices: the chosen units to one total price or by a percentage, or every unsold
 * (available or held) unit of a grade by a percentage. Sold and reserved units keep the price
 * they were sold at. Each unit is audited with its old and new price.
 */
export async function repriceUnits(db: Db, ctx: Ctx, input: z.infer<typeof unitReprice>) {
  return withTx(db, async (tx) => {
    await activeProject(tx, input.projectId);
    const filter = input.unitIds
      ? and(eq(units.projectId, input.projectId), inArray(units.id, input.unitIds))
      : and(
          eq(units.projectId, input.projectId),
          eq(units.grade, input.grade!.toUpperCase()),
          inArray(units.status, ['available', 'held']),
        );
    const before = await tx.select().from(units).where(filter).orderBy(units.id).for('update');
    if (input.unitIds && before.length !== input.unitIds.length) throw notFound();
    const taken = before.filter((u) => u.status === 'reserved' || u.status === 'sold');
    if (taken.length) {
      throw new AppError('units_not_in_state', {
        count: taken.length,
        action: ctx.locale === 'zh-CN' ? '调价' : 'repriced',
        units: taken.map((u) => withState(ctx, u)).join(ctx.locale === 'zh-CN' ? '、' : ', '),
      });
    }
    const changed: UnitRow[] = [];
    for (const u of before) {
      let price = input.listPrice ?? repriceByPercent(u.listPrice, input.percent!);
      if (input.eightNine && u.kind === 'property' && u.area) price = eightNineTotal(price, u.area);
      if (price === u.listPrice) continue;
      const [after] = await tx
        .update(units)
        .set({ listPrice: price, updatedAt: sql`now()`, version: sql`${units.version} + 1` })
        .where(eq(units.id, u.id))
        .returning();
      changed.push(after!);
    }
    const byId = new Map(before.map((u) => [u.id, u]));
    await recordAudits(
      tx,
      ctx,
      changed.map((a) => ({
        action: 'reprice',
        entity: 'unit',
        entityId: a.id,
        before: byId.get(a.id)!,
        after: { ...a, reason: input.reason },
      })),
    );
    await writeEvents(
      tx,
      ctx,
      changed.map((a) => ({
        unit: a,
        action: 'reprice',
        from: a.status,
        to: a.status,
        reason: input.reason,
        details: { from: byId.get(a.id)!.listPrice, to: a.listPrice },
      })),
    );
    return {
      count: changed.length,
      units: changed.map((a) => ({ id: a.id, number: a.number, status: a.status, version: a.version })),
    };
  });
}

/**
 * seed 000 八九原则 on the price per m² (the pricing module's rule, with its default bound): the
 * per-m² price's tail goes up to …80 or …90 yuan when the raise is within the bound, and the
 * total follows (per-m² × area, half-up to the fen). Otherwise the total is unchanged.
 */
export function eightNineTotal(total: number, area: string): number {
  const perSqm = unitPricePerSqm(total, area);
  if (perSqm === null) return total;
  const rounded = eightNine(perSqm, EIGHT_NINE_DEFAULT_PERCENT, EIGHT_NINE_DEFAULT_MAX_RAISE);
  if (!rounded.applied || rounded.price === perSqm) return total;
  return new Decimal(rounded.price).mul(area).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

// ---------------------------------------------------------------------------------------------
// Sell-through by grade for a stage

/** The stage a date falls in; else the last one started; else the first. */
export function currentStage(stages: UnitStage[], date: string): UnitStage | null {
  const sorted = [...stages].sort((a, b) => a.startDate.localeCompare(b.startDate));
  return (
    sorted.find((s) => s.startDate <= date && date <= s.endDate) ??
    sorted.filter((s) => s.startDate <= date).at(-1) ??
    sorted[0] ??
    null
  );
}

export async function projectSellThrough(db: Db, projectId: string, query: z.infer<typeof sellThroughQuery>) {
  const project = await findProject(db, projectId);
  const date = query.date ?? dayIn(await companyTimeZone(db));
  let stage: UnitStage | null = null;
  if (query.stage) {
    stage = project.stages.find((s) => s.code === query.stage) ?? null;
    if (!stage)
      throw invalidField('stage', 'oneOf', { values: project.stages.map((s) => s.code).join(', ') || '—' });
  } else {
    stage = currentStage(project.stages, date);
  }
  return sellThroughOf(db, project, stage, date);
}

export async function sellThroughOf(db: Db, project: ProjectRow, stage: UnitStage | null, date: string) {
  const rows = await db
    .select({ grade: units.grade, status: units.status, n: count() })
    .from(units)
    .where(and(eq(units.projectId, project.id), stage ? eq(units.stage, stage.code) : undefined))
    .groupBy(units.grade, units.status);
  const grades = new Map<string, Record<UnitStatus, number>>();
  for (const r of rows) {
    const g = grades.get(r.grade) ?? { available: 0, held: 0, reserved: 0, sold: 0 };
    g[r.status] += Number(r.n);
    grades.set(r.grade, g);
  }
  for (const g of Object.keys(stage?.targets ?? {})) {
    if (!grades.has(g)) grades.set(g, { available: 0, held: 0, reserved: 0, sold: 0 });
  }
  const elapsed = stage ? stageElapsed(stage, date) : null;
  return {
    projectId: project.id,
    stage: stage
      ? { code: stage.code, name: stage.name, startDate: stage.startDate, endDate: stage.endDate }
      : null,
    date,
    elapsed: (elapsed?.toFixed(4) ?? '0.0000') as string,
    grades: [...grades.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([grade, c]) => {
        const total = c.available + c.held + c.reserved + c.sold;
        const targetPct = stage?.targets[grade] ?? null;
        const result = gradeSellThrough({
          total,
          taken: c.sold + c.reserved,
          targetPct: targetPct ?? 0,
          elapsed: elapsed ?? new Decimal(0),
        });
        return { grade, total, ...c, targetPct, ...result };
      }),
  };
}

/** Active projects, for the daily sell-through check. */
export async function activeUnitProjects(db: Db) {
  return db.select().from(unitProjects).where(ne(unitProjects.status, 'archived'));
}
