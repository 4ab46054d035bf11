import { and, count, eq, ilike, inArray, ne, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { userCreate, userListQuery, userUpdate } from '../../../contracts/org.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { roles } from '../../platform/access/schema.js';
import { scopeFilter } from '../../platform/access/scope.js';
import { recordAudit, recordAudits } from '../../platform/audit/audit.js';
import { setPassword } from '../../platform/auth/auth.service.js';
import { userCredentials } from '../../platform/auth/schema.js';
import { endUserSessions } from '../../platform/auth/sessions.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, notFound, versionConflict } from '../../platform/errors.js';
import { containsPattern, keyset, whereAll } from '../../platform/http/pagination.js';
import { findActiveUnit } from './org-units.service.js';
import { orgUnits, territoryAssignments, userRoles, users } from './schema.js';

const RESOURCE = 'users';
const managers = alias(users, 'manager');

/** Users are owned by themselves and sit in their org unit: the "team" scope is the unit subtree. */
const visible = (ctx: Ctx) =>
  scopeFilter(ctx.actor, RESOURCE, {
    ownerId: users.id,
    orgUnitId: users.orgUnitId,
    partnerId: users.partnerId,
  });

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

async function present(
  db: Db,
  rows: {
    user: typeof users.$inferSelect;
    orgUnitName: string;
    managerName: string | null;
    lockedUntil: Date | null;
    lastLoginAt: Date | null;
  }[],
) {
  const ids = rows.map((r) => r.user.id);
  const roleRows = ids.length
    ? await db
        .select({
          userId: userRoles.userId,
          id: roles.id,
          key: roles.key,
          nameZh: roles.nameZh,
          nameEn: roles.nameEn,
        })
        .from(userRoles)
        .innerJoin(roles, eq(roles.id, userRoles.roleId))
        .where(inArray(userRoles.userId, ids))
        .orderBy(roles.key)
    : [];
  const territoryRows = ids.length
    ? await db
        .select({ userId: territoryAssignments.userId, code: territoryAssignments.divisionCode })
        .from(territoryAssignments)
        .where(inArray(territoryAssignments.userId, ids))
        .orderBy(territoryAssignments.divisionCode)
    : [];
  return rows.map(({ user, orgUnitName, managerName, lockedUntil, lastLoginAt }) => ({
    id: user.id,
    username: user.username,
    name: user.name,
    phone: user.phone,
    email: user.email,
    position: user.position,
    managerId: user.managerId,
    managerName,
    orgUnitId: user.orgUnitId,
    orgUnitName,
    partnerId: user.partnerId,
    status: user.status,
    roles: roleRows.filter((r) => r.userId === user.id).map(({ userId: _, ...r }) => r),
    territories: territoryRows.filter((t) => t.userId === user.id).map((t) => t.code),
    lockedUntil: lockedUntil && lockedUntil > new Date() ? lockedUntil.toISOString() : null,
    lastLoginAt: iso(lastLoginAt),
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    version: user.version,
  }));
}

function selectUsers(db: Db) {
  return db
    .select({
      user: users,
      orgUnitName: orgUnits.name,
      managerName: managers.name,
      lockedUntil: userCredentials.lockedUntil,
      lastLoginAt: userCredentials.lastLoginAt,
    })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .leftJoin(managers, eq(managers.id, users.managerId))
    .leftJoin(userCredentials, eq(userCredentials.userId, users.id));
}

export async function listUsers(db: Db, ctx: Ctx, query: z.infer<typeof userListQuery>) {
  const page = keyset(
    query,
    { name: users.name, username: users.username, createdAt: users.createdAt },
    users.id,
    'name',
  );
  const q = containsPattern(query.q);
  let unitFilter: SQL | undefined;
  if (query.orgUnitId) {
    unitFilter = sql`${users.orgUnitId} in (select ${orgUnits.id} from ${orgUnits} where ${orgUnits.path} like (select ${orgUnits.path} from ${orgUnits} where ${orgUnits.id} = ${query.orgUnitId}) || '%')`;
  }
  const filter = whereAll(
    visible(ctx),
    q
      ? or(ilike(users.name, q), ilike(users.username, q), ilike(users.phone, q), ilike(users.email, q))
      : undefined,
    unitFilter,
    query.status ? eq(users.status, query.status) : undefined,
    query.role
      ? inArray(
          users.id,
          db
            .select({ id: userRoles.userId })
            .from(userRoles)
            .innerJoin(roles, eq(roles.id, userRoles.roleId))
            .where(eq(roles.key, query.role)),
        )
      : undefined,
  );
  const rows = await selectUsers(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(users).where(filter);
  const result = page.page(rows, n, (r) => {
    const key = query.sort?.replace(/^-/, '') ?? 'name';
    const value = key === 'createdAt' ? r.user.createdAt : key === 'username' ? r.user.username : r.user.name;
    return [value, r.user.id];
  });
  return { ...result, items: await present(db, result.items) };
}

/** One user, if the actor's scope covers them; otherwise "not found" (ids cannot be probed). */
export async function getUser(db: Db, ctx: Ctx, id: string) {
  const rows = await selectUsers(db).where(whereAll(eq(users.id, id), visible(ctx)));
  if (!rows.length) throw notFound();
  return (await present(db, rows))[0]!;
}

/** Whether a user exists within the actor's scope (a cheap check for other modules, e.g. attachments). */
export async function isVisibleUser(db: Db, ctx: Ctx, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(whereAll(eq(users.id, id), visible(ctx)));
  return !!row;
}

async function assertRoles(db: Db, roleIds: string[]) {
  const found = await db.select({ id: roles.id }).from(roles).where(inArray(roles.id, roleIds));
  const known = new Set(found.map((r) => r.id));
  const missing = roleIds.findIndex((id) => !known.has(id));
  if (missing >= 0) {
    throw new AppError('invalid_reference', { field: 'roleIds' }, [
      { path: `roleIds.${missing}`, message: 'invalid' },
    ]);
  }
}

async function assertManager(db: Db, managerId: string | null | undefined, selfId?: string) {
  if (!managerId) return;
  const [m] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, managerId), eq(users.status, 'active')));
  if (!m || managerId === selfId) {
    throw new AppError('invalid_reference', { field: 'managerId' }, [
      { path: 'managerId', message: 'invalid' },
    ]);
  }
}

async function assertUsernameFree(db: Db, username: string, email: string | null | undefined) {
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.username}) = ${username.toLowerCase()}`);
  if (u) throw new AppError('duplicate', { field: 'username' }, [{ path: 'username', message: 'invalid' }]);
  await assertEmailFree(db, email);
}

async function assertEmailFree(db: Db, email: string | null | undefined, selfId?: string) {
  if (!email) return;
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(sql`lower(${users.email}) = ${email.toLowerCase()}`, selfId ? ne(users.id, selfId) : undefined),
    );
  if (u) throw new AppError('duplicate', { field: 'email' }, [{ path: 'email', message: 'invalid' }]);
}

async function replaceRoles(tx: Db, userId: string, roleIds: string[]) {
  await tx.delete(userRoles).where(eq(userRoles.userId, userId));
  await tx.insert(userRoles).values([...new Set(roleIds)].map((roleId) => ({ userId, roleId })));
}

async function roleKeysOf(db: Db, userId: string) {
  const rows = await db
    .select({ key: roles.key })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(eq(userRoles.userId, userId));
  return rows.map((r) => r.key).sort();
}

/** Refuses a change that would leave the company without an active administrator. */
async function assertAdminRemains(db: Db, losingUserId: string) {
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(and(eq(roles.key, 'admin'), eq(users.status, 'active'), ne(users.id, losingUserId)));
  if (n === 0) throw new AppError('last_admin');
}

export interface NewUser extends Omit<z.infer<typeof userCreate>, 'password'> {
  password: string;
  partnerId?: string | null;
}

/** The users row of a new user, the same whether created one by one or in an import batch. */
function newUserRow(ctx: Ctx, input: Omit<NewUser, 'password'>) {
  return {
    username: input.username,
    name: input.name,
    phone: input.phone ?? null,
    email: input.email ?? null,
    position: input.position ?? '',
    managerId: input.managerId ?? null,
    orgUnitId: input.orgUnitId,
    partnerId: input.partnerId ?? null,
    createdBy: ctx.actor?.userId ?? null,
  };
}

/** Creates a user with roles and an initial password (policy-checked, stored as a scrypt hash). */
export async function createUser(
  db: Db,
  ctx: Ctx,
  input: NewUser,
  opts: { passwordHash?: string; mustChangePassword?: boolean } = {},
) {
  return withTx(db, async (tx) => {
    await findActiveUnit(tx, input.orgUnitId, 'orgUnitId');
    await assertManager(tx, input.managerId);
    await assertRoles(tx, input.roleIds);
    await assertUsernameFree(tx, input.username, input.email);
    const [user] = await tx.insert(users).values(newUserRow(ctx, input)).returning();
    await replaceRoles(tx, user!.id, input.roleIds);
    if (opts.passwordHash) {
      await tx.insert(userCredentials).values({
        userId: user!.id,
        passwordHash: opts.passwordHash,
        mustChangePassword: opts.mustChangePassword ?? false,
      });
    } else {
      await setPassword(tx, user!.id, input.username, input.password, false);
    }
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'user',
      entityId: user!.id,
      after: { ...user, roles: await roleKeysOf(tx, user!.id) },
    });
    return user!;
  });
}

/**
 * Creates many users at once (imports): the checks of createUser — active unit, active manager,
 * known roles, free username and email — run set-wise, then the rows go in with multi-row
 * inserts, each audited as createUser audits it. An input that any check would refuse is not
 * created here: its slot is null, and the caller sends it through createUser, whose error is
 * the one the person sees. All inputs share one (already hashed) initial password.
 */
export async function createUsers(
  tx: Db,
  ctx: Ctx,
  inputs: Omit<NewUser, 'password'>[],
  opts: { passwordHash: string; mustChangePassword: boolean },
): Promise<(string | null)[]> {
  if (!inputs.length) return [];
  const lower = (s: string | null | undefined) => (s ? s.toLowerCase() : null);
  const unitIds = [...new Set(inputs.map((i) => i.orgUnitId))];
  const managerIds = [...new Set(inputs.map((i) => i.managerId).filter((m): m is string => !!m))];
  const usernames = inputs.map((i) => i.username.toLowerCase());
  const emails = inputs.map((i) => lower(i.email)).filter((e): e is string => !!e);
  const units = await tx
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(and(inArray(orgUnits.id, unitIds), sql`${orgUnits.archivedAt} is null`));
  const managers = managerIds.length
    ? await tx
        .select({ id: users.id })
        .from(users)
        .where(and(inArray(users.id, managerIds), eq(users.status, 'active')))
    : [];
  const roleRows = await tx.select({ id: roles.id, key: roles.key }).from(roles);
  const takenNames = await tx
    .select({ name: sql<string>`lower(${users.username})` })
    .from(users)
    .where(inArray(sql`lower(${users.username})`, usernames));
  const takenEmails = emails.length
    ? await tx
        .select({ email: sql<string>`lower(${users.email})` })
        .from(users)
        .where(inArray(sql`lower(${users.email})`, emails))
    : [];
  const activeUnits = new Set(units.map((u) => u.id));
  const activeManagers = new Set(managers.map((m) => m.id));
  const roleKey = new Map(roleRows.map((r) => [r.id, r.key]));
  const names = new Set(takenNames.map((t) => t.name));
  const mails = new Set(takenEmails.map((t) => t.email));
  const accepted: number[] = [];
  inputs.forEach((input, i) => {
    const name = input.username.toLowerCase();
    const email = lower(input.email);
    const ok =
      activeUnits.has(input.orgUnitId) &&
      (!input.managerId || activeManagers.has(input.managerId)) &&
      input.roleIds.length > 0 &&
      input.roleIds.every((r) => roleKey.has(r)) &&
      !names.has(name) &&
      !(email && mails.has(email));
    if (!ok) return;
    names.add(name);
    if (email) mails.add(email);
    accepted.push(i);
  });
  const result: (string | null)[] = inputs.map(() => null);
  if (!accepted.length) return result;
  const created = await tx
    .insert(users)
    .values(accepted.map((i) => newUserRow(ctx, inputs[i]!)))
    .returning();
  await tx
    .insert(userRoles)
    .values(
      created.flatMap((user, n) =>
        [...new Set(inputs[accepted[n]!]!.roleIds)].map((roleId) => ({ userId: user.id, roleId })),
      ),
    );
  await tx.insert(userCredentials).values(
    created.map((user) => ({
      userId: user.id,
      passwordHash: opts.passwordHash,
      mustChangePassword: opts.mustChangePassword,
    })),
  );
  await recordAudits(
    tx,
    ctx,
    created.map((user, n) => ({
      action: 'create',
      entity: 'user',
      entityId: user.id,
      after: {
        ...user,
        roles: [...new Set(inputs[accepted[n]!]!.roleIds.map((r) => roleKey.get(r)!))].sort(),
      },
    })),
  );
  for (const [n, user] of created.entries()) result[accepted[n]!] = user.id;
  return result;
}

export async function updateUser(db: Db, ctx: Ctx, id: string, input: z.infer<typeof userUpdate>) {
  const { version, roleIds, ...changes } = input;
  return withTx(db, async (tx) => {
    await getUser(tx, ctx, id);
    const [before] = await tx.select().from(users).where(eq(users.id, id));
    if (before!.version !== version) throw versionConflict();
    if (changes.orgUnitId) await findActiveUnit(tx, changes.orgUnitId, 'orgUnitId');
    await assertManager(tx, changes.managerId, id);
    await assertEmailFree(tx, changes.email, id);
    const rolesBefore = await roleKeysOf(tx, id);
    if (roleIds) {
      await assertRoles(tx, roleIds);
      await replaceRoles(tx, id, roleIds);
      const rolesAfter = await roleKeysOf(tx, id);
      if (rolesBefore.includes('admin') && !rolesAfter.includes('admin')) await assertAdminRemains(tx, id);
    }
    const [after] = await tx
      .update(users)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${users.version} + 1` })
      .where(and(eq(users.id, id), eq(users.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'user',
      entityId: id,
      before: { ...before, roles: rolesBefore },
      after: { ...after, roles: await roleKeysOf(tx, id) },
    });
    return getUser(tx, ctx, id);
  });
}

/** A user edits their own profile (name, contact details, UI language). */
export async function updateProfile(
  db: Db,
  ctx: Ctx,
  input: {
    name?: string;
    phone?: string | null;
    email?: string | null;
    locale?: 'zh-CN' | 'en' | null;
    version: number;
  },
) {
  const id = ctx.actor!.userId;
  const { version, ...changes } = input;
  return withTx(db, async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, id));
    if (!before) throw notFound();
    if (before.version !== version) throw versionConflict();
    await assertEmailFree(tx, changes.email, id);
    const [after] = await tx
      .update(users)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${users.version} + 1` })
      .where(and(eq(users.id, id), eq(users.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'update_profile', entity: 'user', entityId: id, before, after });
    return after;
  });
}

export async function setUserStatus(db: Db, ctx: Ctx, id: string, status: 'active' | 'disabled') {
  return withTx(db, async (tx) => {
    await getUser(tx, ctx, id);
    const [before] = await tx.select().from(users).where(eq(users.id, id));
    if (before!.status === status) return getUser(tx, ctx, id);
    if (status === 'disabled') {
      if (ctx.actor?.userId === id) throw new AppError('last_admin');
      if ((await roleKeysOf(tx, id)).includes('admin')) await assertAdminRemains(tx, id);
      await endUserSessions(tx, id);
    }
    const [after] = await tx
      .update(users)
      .set({ status, updatedAt: sql`now()`, version: sql`${users.version} + 1` })
      .where(eq(users.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: status === 'disabled' ? 'disable' : 'enable',
      entity: 'user',
      entityId: id,
      before,
      after,
    });
    return getUser(tx, ctx, id);
  });
}

/** An administrator sets a new password: the user is signed out and must choose their own. */
export async function resetPassword(db: Db, ctx: Ctx, id: string, newPassword: string) {
  return withTx(db, async (tx) => {
    const user = await getUser(tx, ctx, id);
    await setPassword(tx, id, user.username, newPassword, true, 'newPassword');
    await endUserSessions(tx, id);
    await recordAudit(tx, ctx, {
      action: 'reset_password',
      entity: 'user',
      entityId: id,
      after: { mustChangePassword: true },
    });
  });
}
