import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { roleCreate, roleUpdate } from '../../../contracts/access.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { userRoles } from '../../modules/org/schema.js';
import { recordAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { AppError, notFound, versionConflict } from '../errors.js';
import { companySettings } from '../settings/schema.js';
import {
  allPermissions,
  allResources,
  defaultGrants,
  isKnownPermission,
  ROLE_KEYS,
  ROLE_NAMES,
} from './catalog.js';
import { type DataScope, roles } from './schema.js';

export async function listRoles(db: Db, id?: string) {
  const rows = await db
    .select({
      role: roles,
      userCount: sql<number>`(select count(*)::int from ${userRoles} where ${userRoles.roleId} = ${roles.id})`,
    })
    .from(roles)
    .where(id ? eq(roles.id, id) : undefined)
    .orderBy(asc(roles.builtin), asc(roles.key));
  return rows
    .map(({ role, userCount }) => ({
      id: role.id,
      key: role.key,
      nameZh: role.nameZh,
      nameEn: role.nameEn,
      description: role.description,
      permissions: role.permissions,
      scopes: role.scopes,
      builtin: role.builtin,
      userCount,
      version: role.version,
    }))
    .sort((a, b) => Number(b.builtin) - Number(a.builtin));
}

export function permissionCatalog() {
  return {
    resources: allResources().map((r) => ({
      key: r.key,
      module: r.module,
      scoped: r.scoped,
      permissions: r.actions.map((a) => ({
        key: `${r.key}.${a}`,
        sensitive: r.sensitive?.includes(a) ?? false,
      })),
    })),
  };
}

function checkGrants(permissions: string[] | undefined, scopes: Record<string, DataScope> | undefined) {
  permissions?.forEach((p, i) => {
    if (!isKnownPermission(p)) {
      throw new AppError('unknown_permission', { permission: p }, [
        { path: `permissions.${i}`, message: 'invalid' },
      ]);
    }
  });
  const scoped = new Set(
    allResources()
      .filter((r) => r.scoped)
      .map((r) => r.key),
  );
  for (const resource of Object.keys(scopes ?? {})) {
    if (!scoped.has(resource)) {
      throw new AppError('validation_failed', {}, [{ path: `scopes.${resource}`, message: 'unknownField' }]);
    }
  }
}

/** One role as the API shows it. */
export async function getRoleView(db: Db, id: string) {
  const [role] = await listRoles(db, id);
  if (!role) throw notFound();
  return role;
}

async function getRole(db: Db, id: string) {
  const [role] = await db.select().from(roles).where(eq(roles.id, id));
  if (!role) throw notFound();
  return role;
}

export async function createRole(db: Db, ctx: Ctx, input: z.infer<typeof roleCreate>) {
  checkGrants(input.permissions, input.scopes);
  return withTx(db, async (tx) => {
    const [exists] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.key, input.key));
    if (exists) throw new AppError('duplicate', { field: 'key' }, [{ path: 'key', message: 'invalid' }]);
    const [role] = await tx
      .insert(roles)
      .values({
        ...input,
        permissions: [...new Set(input.permissions)],
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    await recordAudit(tx, ctx, { action: 'create', entity: 'role', entityId: role!.id, after: role });
    return role!;
  });
}

export async function updateRole(db: Db, ctx: Ctx, id: string, input: z.infer<typeof roleUpdate>) {
  const { version, ...changes } = input;
  checkGrants(changes.permissions, changes.scopes);
  return withTx(db, async (tx) => {
    const before = await getRole(tx, id);
    if (before.version !== version) throw versionConflict();
    // The administrator role always keeps every permission, or nobody could repair the rest.
    if (before.key === 'admin' && changes.permissions) {
      const kept = allPermissions().every((p) => changes.permissions!.includes(p));
      if (!kept) throw new AppError('last_admin');
    }
    const [after] = await tx
      .update(roles)
      .set({
        ...changes,
        ...(changes.permissions ? { permissions: [...new Set(changes.permissions)] } : {}),
        updatedAt: sql`now()`,
        version: sql`${roles.version} + 1`,
      })
      .where(and(eq(roles.id, id), eq(roles.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'update', entity: 'role', entityId: id, before, after });
    return after!;
  });
}

export async function deleteRole(db: Db, ctx: Ctx, id: string) {
  await withTx(db, async (tx) => {
    const before = await getRole(tx, id);
    if (before.builtin) throw new AppError('builtin_role');
    const [{ n } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(userRoles)
      .where(eq(userRoles.roleId, id));
    if (n > 0) throw new AppError('role_in_use', { users: n });
    await tx.delete(roles).where(eq(roles.id, id));
    await recordAudit(tx, ctx, { action: 'delete', entity: 'role', entityId: id, before });
  });
}

/** Creates the nine default roles (first-run setup). */
export async function createDefaultRoles(tx: Db, ctx: Ctx) {
  for (const key of ROLE_KEYS) {
    const { permissions, scopes } = defaultGrants(key);
    const [role] = await tx
      .insert(roles)
      .values({
        key,
        nameZh: ROLE_NAMES[key].zh,
        nameEn: ROLE_NAMES[key].en,
        permissions,
        scopes,
        builtin: true,
      })
      .returning();
    await recordAudit(tx, ctx, { action: 'create', entity: 'role', entityId: role!.id, after: role });
  }
}

export async function roleIdsByKey(db: Db): Promise<Record<string, string>> {
  const rows = await db.select({ id: roles.id, key: roles.key }).from(roles);
  return Object.fromEntries(rows.map((r) => [r.key, r.id]));
}

/**
 * When a new version brings new permissions, the built-in roles receive the defaults for them
 * once; grants the admin removed earlier are never re-added.
 */
export async function syncBuiltinRoles(db: Db, ctx: Ctx) {
  await withTx(db, async (tx) => {
    const [settings] = await tx.select().from(companySettings).for('update');
    if (!settings) return;
    const known = new Set(settings.knownPermissions);
    const fresh = allPermissions().filter((p) => !known.has(p));
    if (!fresh.length) return;
    for (const role of await tx.select().from(roles).where(eq(roles.builtin, true))) {
      if (!(ROLE_KEYS as readonly string[]).includes(role.key)) continue;
      const defaults = defaultGrants(role.key as (typeof ROLE_KEYS)[number]);
      const add = fresh.filter((p) => defaults.permissions.includes(p) && !role.permissions.includes(p));
      const scopes = { ...defaults.scopes, ...role.scopes };
      if (!add.length && Object.keys(scopes).length === Object.keys(role.scopes).length) continue;
      const [after] = await tx
        .update(roles)
        .set({
          permissions: [...role.permissions, ...add],
          scopes,
          version: sql`${roles.version} + 1`,
          updatedAt: sql`now()`,
        })
        .where(eq(roles.id, role.id))
        .returning();
      await recordAudit(tx, ctx, {
        action: 'grant_new_permissions',
        entity: 'role',
        entityId: role.id,
        before: role,
        after,
      });
    }
    await tx
      .update(companySettings)
      .set({ knownPermissions: allPermissions() })
      .where(eq(companySettings.id, 1));
  });
}
