import { and, asc, count, eq, isNull, like, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { orgUnitCreate, orgUnitUpdate } from '../../../contracts/org.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, invalidField, notFound, versionConflict } from '../../platform/errors.js';
import { isKnownDivision } from './divisions.js';
import { orgUnits, territoryAssignments, users } from './schema.js';

export type OrgUnitRow = typeof orgUnits.$inferSelect;

export async function listOrgUnits(db: Db, opts: { includeArchived?: boolean; id?: string } = {}) {
  const headUsers = db.select({ id: users.id, name: users.name }).from(users).as('head');
  const rows = await db
    .select({
      unit: orgUnits,
      headUserName: headUsers.name,
      userCount: sql<number>`(select count(*)::int from ${users} where ${users.orgUnitId} = ${orgUnits.id} and ${users.status} = 'active')`,
      territories: sql<
        string[]
      >`coalesce((select array_agg(${territoryAssignments.divisionCode} order by ${territoryAssignments.divisionCode}) from ${territoryAssignments} where ${territoryAssignments.orgUnitId} = ${orgUnits.id}), '{}')`,
    })
    .from(orgUnits)
    .leftJoin(headUsers, eq(headUsers.id, orgUnits.headUserId))
    .where(
      opts.id ? eq(orgUnits.id, opts.id) : opts.includeArchived ? undefined : isNull(orgUnits.archivedAt),
    )
    .orderBy(asc(orgUnits.path), asc(orgUnits.sortOrder), asc(orgUnits.name));
  return rows.map(({ unit, headUserName, userCount, territories }) => ({
    id: unit.id,
    parentId: unit.parentId,
    name: unit.name,
    code: unit.code,
    kind: unit.kind,
    headUserId: unit.headUserId,
    headUserName: headUserName ?? null,
    path: unit.path,
    depth: unit.path.split('/').filter(Boolean).length - 1,
    sortOrder: unit.sortOrder,
    userCount,
    territories,
    archived: unit.archivedAt !== null,
    version: unit.version,
  }));
}

/** One unit as the API shows it (with head, head count and territories). */
export async function getOrgUnit(db: Db, id: string) {
  const [unit] = await listOrgUnits(db, { id });
  if (!unit) throw notFound();
  return unit;
}

export async function findActiveUnit(db: Db, id: string, field: string): Promise<OrgUnitRow> {
  const [unit] = await db
    .select()
    .from(orgUnits)
    .where(and(eq(orgUnits.id, id), isNull(orgUnits.archivedAt)));
  if (!unit) throw new AppError('invalid_reference', { field }, [{ path: field, message: 'invalid' }]);
  return unit;
}

async function assertActiveUser(db: Db, id: string | null | undefined, field: string) {
  if (!id) return;
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, id), eq(users.status, 'active')));
  if (!u) throw new AppError('invalid_reference', { field }, [{ path: field, message: 'invalid' }]);
}

async function getUnit(db: Db, id: string): Promise<OrgUnitRow> {
  const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, id));
  if (!unit) throw notFound();
  return unit;
}

/** Creates the company's root unit (first-run setup). */
export async function createCompanyUnit(tx: Db, ctx: Ctx, name: string): Promise<OrgUnitRow> {
  const [row] = await tx.insert(orgUnits).values({ name, kind: 'company', path: '/' }).returning();
  const [unit] = await tx
    .update(orgUnits)
    .set({ path: `/${row!.id}/` })
    .where(eq(orgUnits.id, row!.id))
    .returning();
  await recordAudit(tx, ctx, { action: 'create', entity: 'org_unit', entityId: unit!.id, after: unit });
  return unit!;
}

export async function createOrgUnit(db: Db, ctx: Ctx, input: z.infer<typeof orgUnitCreate>) {
  return withTx(db, async (tx) => {
    const parent = await findActiveUnit(tx, input.parentId, 'parentId');
    await assertActiveUser(tx, input.headUserId, 'headUserId');
    const [row] = await tx
      .insert(orgUnits)
      .values({
        parentId: parent.id,
        name: input.name,
        code: input.code ?? null,
        kind: input.kind,
        headUserId: input.headUserId ?? null,
        sortOrder: input.sortOrder ?? 0,
        path: parent.path,
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    const [unit] = await tx
      .update(orgUnits)
      .set({ path: `${parent.path}${row!.id}/` })
      .where(eq(orgUnits.id, row!.id))
      .returning();
    await recordAudit(tx, ctx, { action: 'create', entity: 'org_unit', entityId: unit!.id, after: unit });
    return unit!;
  });
}

/** Renames, re-parents (moving the whole subtree) or re-assigns the head of a unit. */
export async function updateOrgUnit(db: Db, ctx: Ctx, id: string, input: z.infer<typeof orgUnitUpdate>) {
  const { version, ...changes } = input;
  return withTx(db, async (tx) => {
    const before = await getUnit(tx, id);
    if (before.version !== version) throw versionConflict();
    if (
      before.kind === 'company' &&
      ((changes.parentId && changes.parentId !== before.parentId) ||
        (changes.kind && changes.kind !== 'company'))
    ) {
      throw new AppError('root_unit');
    }
    if (before.kind !== 'company' && changes.kind === 'company') throw invalidField('kind', 'invalid');
    await assertActiveUser(tx, changes.headUserId, 'headUserId');
    let path = before.path;
    if (changes.parentId && changes.parentId !== before.parentId) {
      const parent = await findActiveUnit(tx, changes.parentId, 'parentId');
      if (parent.path.startsWith(before.path)) throw new AppError('org_cycle');
      path = `${parent.path}${before.id}/`;
      // Every descendant keeps its place below the moved unit.
      await tx
        .update(orgUnits)
        .set({ path: sql`${path} || substr(${orgUnits.path}, ${before.path.length + 1})` })
        .where(and(like(orgUnits.path, `${before.path}%`), sql`${orgUnits.id} <> ${before.id}`));
    }
    const [after] = await tx
      .update(orgUnits)
      .set({ ...changes, path, updatedAt: sql`now()`, version: sql`${orgUnits.version} + 1` })
      .where(and(eq(orgUnits.id, id), eq(orgUnits.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'update', entity: 'org_unit', entityId: id, before, after });
    return after;
  });
}

/** Units are archived, never deleted; only an empty unit can be archived. */
export async function archiveOrgUnit(db: Db, ctx: Ctx, id: string) {
  return withTx(db, async (tx) => {
    const before = await getUnit(tx, id);
    if (before.kind === 'company') throw new AppError('root_unit');
    if (before.archivedAt) return before;
    const [{ n: activeUsers } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.orgUnitId, id), eq(users.status, 'active')));
    const [{ n: children } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(orgUnits)
      .where(and(eq(orgUnits.parentId, id), isNull(orgUnits.archivedAt)));
    if (activeUsers > 0 || children > 0)
      throw new AppError('org_unit_in_use', { users: activeUsers, children });
    const [after] = await tx
      .update(orgUnits)
      .set({ archivedAt: sql`now()`, updatedAt: sql`now()`, version: sql`${orgUnits.version} + 1` })
      .where(eq(orgUnits.id, id))
      .returning();
    await recordAudit(tx, ctx, { action: 'archive', entity: 'org_unit', entityId: id, before, after });
    return after!;
  });
}

/** Replaces the set of territories (province/city codes) held by a unit or a user. */
export async function setTerritories(
  db: Db,
  ctx: Ctx,
  holder: { orgUnitId: string } | { userId: string },
  codes: string[],
) {
  const unique = [...new Set(codes)].sort();
  unique.forEach((code, i) => {
    if (!isKnownDivision(code)) throw invalidField(`codes.${i}`, 'division');
  });
  const [column, holderId, entity] =
    'orgUnitId' in holder
      ? ([territoryAssignments.orgUnitId, holder.orgUnitId, 'org_unit'] as const)
      : ([territoryAssignments.userId, holder.userId, 'user'] as const);
  return withTx(db, async (tx) => {
    const current = await tx
      .select({ code: territoryAssignments.divisionCode })
      .from(territoryAssignments)
      .where(eq(column, holderId));
    const before = current.map((c) => c.code).sort();
    await tx.delete(territoryAssignments).where(eq(column, holderId));
    if (unique.length) {
      await tx
        .insert(territoryAssignments)
        .values(
          unique.map((divisionCode) => ({ divisionCode, ...holder, createdBy: ctx.actor?.userId ?? null })),
        );
    }
    await recordAudit(tx, ctx, {
      action: 'set_territories',
      entity,
      entityId: holderId,
      before: { territories: before },
      after: { territories: unique },
    });
    return unique;
  });
}
