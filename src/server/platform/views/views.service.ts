import { and, asc, eq, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  SavedView,
  SavedViewList,
  savedViewCreate,
  savedViewDefault,
  savedViewUpdate,
} from '../../../contracts/views.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { users } from '../../modules/org/schema.js';
import { recordAudit } from '../audit/audit.js';
import type { Actor, Ctx } from '../context.js';
import { AppError, invalidField, notFound, versionConflict } from '../errors.js';
import { viewListKeys, viewListPermission } from './lists.js';
import { savedViewDefaults, savedViews, type ViewFilters } from './schema.js';

type ViewRow = typeof savedViews.$inferSelect;

const MAX_FILTER_KEYS = 50;
const MAX_FILTER_BYTES = 8_000;

function actorOf(ctx: Ctx): Actor {
  if (!ctx.actor) throw new AppError('unauthenticated');
  return ctx.actor;
}

/** The list must be known and readable by the actor: views of a list one cannot read are useless. */
function assertList(actor: Actor, listKey: string): void {
  const permission = viewListPermission(listKey);
  if (!permission) throw invalidField('listKey', 'oneOf', { values: viewListKeys().join(', ') });
  if (!actor.permissions.has(permission)) throw new AppError('forbidden', { permission });
}

function assertFilters(filters: ViewFilters): void {
  if (Object.keys(filters).length > MAX_FILTER_KEYS) {
    throw invalidField('filters', 'tooMany', { n: MAX_FILTER_KEYS });
  }
  if (JSON.stringify(filters).length > MAX_FILTER_BYTES) {
    throw invalidField('filters', 'tooLongString', { n: MAX_FILTER_BYTES });
  }
}

/** Views of a list the actor sees: their own, and shared ones if they can read the list. */
function visibleViews(actor: Actor, listKey?: string) {
  const permission = listKey ? viewListPermission(listKey) : undefined;
  const mineOrShared = or(eq(savedViews.ownerId, actor.userId), eq(savedViews.shared, true));
  return listKey
    ? and(eq(savedViews.listKey, listKey), permission ? mineOrShared : sql`false`)
    : mineOrShared;
}

function present(actor: Actor, row: ViewRow, ownerName: string, defaultId: string | null): SavedView {
  return {
    id: row.id,
    listKey: row.listKey,
    name: row.name,
    filters: row.filters,
    shared: row.shared,
    ownerId: row.ownerId,
    ownerName,
    mine: row.ownerId === actor.userId,
    isDefault: row.id === defaultId,
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

async function defaultIdOf(db: Db, userId: string, listKey: string): Promise<string | null> {
  const [d] = await db
    .select({ viewId: savedViewDefaults.viewId })
    .from(savedViewDefaults)
    .where(and(eq(savedViewDefaults.userId, userId), eq(savedViewDefaults.listKey, listKey)));
  return d?.viewId ?? null;
}

/** One view the actor can see, with its author's name; 404 otherwise. */
async function visibleView(db: Db, actor: Actor, id: string) {
  const [r] = await db
    .select({ view: savedViews, ownerName: users.name })
    .from(savedViews)
    .innerJoin(users, eq(users.id, savedViews.ownerId))
    .where(eq(savedViews.id, id));
  if (!r) throw notFound();
  const permission = viewListPermission(r.view.listKey);
  const mine = r.view.ownerId === actor.userId;
  if (!mine && !(r.view.shared && permission && actor.permissions.has(permission))) throw notFound();
  return r;
}

/** The author changes their view; a shared view may also be changed or removed with views.manage. */
function assertCanChange(actor: Actor, view: ViewRow): void {
  if (view.ownerId === actor.userId) return;
  if (view.shared && actor.permissions.has('views.manage')) return;
  throw new AppError('view_not_yours');
}

async function assertNameFree(db: Db, ownerId: string, listKey: string, name: string, except?: string) {
  const [clash] = await db
    .select({ id: savedViews.id })
    .from(savedViews)
    .where(
      and(
        eq(savedViews.ownerId, ownerId),
        eq(savedViews.listKey, listKey),
        sql`lower(${savedViews.name}) = lower(${name})`,
        except ? sql`${savedViews.id} <> ${except}` : undefined,
      ),
    );
  if (clash) throw new AppError('view_name_taken', { name });
}

export async function listViews(db: Db, ctx: Ctx, listKey: string): Promise<SavedViewList> {
  const actor = actorOf(ctx);
  assertList(actor, listKey);
  const rows = await db
    .select({ view: savedViews, ownerName: users.name })
    .from(savedViews)
    .innerJoin(users, eq(users.id, savedViews.ownerId))
    .where(visibleViews(actor, listKey))
    .orderBy(sql`${savedViews.ownerId} = ${actor.userId} desc`, asc(savedViews.name));
  let defaultViewId = await defaultIdOf(db, actor.userId, listKey);
  // A default that was unshared by its author is no longer one.
  if (defaultViewId && !rows.some((r) => r.view.id === defaultViewId)) defaultViewId = null;
  return {
    items: rows.map((r) => present(actor, r.view, r.ownerName, defaultViewId)),
    defaultViewId,
  };
}

export async function getView(db: Db, ctx: Ctx, id: string): Promise<SavedView> {
  const actor = actorOf(ctx);
  const r = await visibleView(db, actor, id);
  return present(actor, r.view, r.ownerName, await defaultIdOf(db, actor.userId, r.view.listKey));
}

export async function createView(
  db: Db,
  ctx: Ctx,
  input: z.infer<typeof savedViewCreate>,
  opts: { createdAt?: Date } = {},
): Promise<SavedView> {
  const actor = actorOf(ctx);
  assertList(actor, input.listKey);
  assertFilters(input.filters);
  if (input.shared && !actor.permissions.has('views.share')) {
    throw new AppError('forbidden', { permission: 'views.share' });
  }
  const id = await withTx(db, async (tx) => {
    await assertNameFree(tx, actor.userId, input.listKey, input.name);
    const [row] = await tx
      .insert(savedViews)
      .values({
        listKey: input.listKey,
        name: input.name,
        filters: input.filters,
        shared: input.shared,
        ownerId: actor.userId,
        createdBy: actor.userId,
        ...(opts.createdAt ? { createdAt: opts.createdAt, updatedAt: opts.createdAt } : {}),
      })
      .returning();
    if (input.isDefault) await putDefault(tx, actor.userId, input.listKey, row!.id);
    await recordAudit(tx, ctx, { action: 'create', entity: 'saved_view', entityId: row!.id, after: row });
    return row!.id;
  });
  return getView(db, ctx, id);
}

export async function updateView(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof savedViewUpdate>,
): Promise<SavedView> {
  const actor = actorOf(ctx);
  const { version, ...changes } = input;
  if (changes.filters) assertFilters(changes.filters);
  await withTx(db, async (tx) => {
    const { view: before } = await visibleView(tx, actor, id);
    assertCanChange(actor, before);
    if (changes.shared && !before.shared && !actor.permissions.has('views.share')) {
      throw new AppError('forbidden', { permission: 'views.share' });
    }
    if (before.version !== version) throw versionConflict();
    if (changes.name) await assertNameFree(tx, before.ownerId, before.listKey, changes.name, id);
    const [after] = await tx
      .update(savedViews)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${savedViews.version} + 1` })
      .where(and(eq(savedViews.id, id), eq(savedViews.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'update', entity: 'saved_view', entityId: id, before, after });
  });
  return getView(db, ctx, id);
}

/** Removes a view (and anyone's default pointing at it). */
export async function deleteView(db: Db, ctx: Ctx, id: string): Promise<void> {
  const actor = actorOf(ctx);
  await withTx(db, async (tx) => {
    const { view: before } = await visibleView(tx, actor, id);
    assertCanChange(actor, before);
    await tx.delete(savedViews).where(eq(savedViews.id, id));
    await recordAudit(tx, ctx, { action: 'delete', entity: 'saved_view', entityId: id, before });
  });
}

async function putDefault(tx: Db, userId: string, listKey: string, viewId: string | null) {
  if (!viewId) {
    await tx
      .delete(savedViewDefaults)
      .where(and(eq(savedViewDefaults.userId, userId), eq(savedViewDefaults.listKey, listKey)));
    return;
  }
  await tx
    .insert(savedViewDefaults)
    .values({ userId, listKey, viewId })
    .onConflictDoUpdate({
      target: [savedViewDefaults.userId, savedViewDefaults.listKey],
      set: { viewId, updatedAt: sql`now()` },
    });
}

/** The actor's default view of a list: one they see, of that list; null clears it. */
export async function setDefaultView(
  db: Db,
  ctx: Ctx,
  input: z.infer<typeof savedViewDefault>,
): Promise<SavedViewList> {
  const actor = actorOf(ctx);
  assertList(actor, input.listKey);
  await withTx(db, async (tx) => {
    if (input.viewId) {
      const { view } = await visibleView(tx, actor, input.viewId);
      if (view.listKey !== input.listKey) throw invalidField('viewId', 'invalid');
    }
    const before = await defaultIdOf(tx, actor.userId, input.listKey);
    await putDefault(tx, actor.userId, input.listKey, input.viewId);
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'saved_view_default',
      entityId: `${actor.userId}:${input.listKey}`,
      before: { viewId: before },
      after: { viewId: input.viewId },
    });
  });
  return listViews(db, ctx, input.listKey);
}
