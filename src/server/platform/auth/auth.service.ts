import { eq, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { orgUnits, userRoles, users } from '../../modules/org/schema.js';
import { roles } from '../access/schema.js';
import { recordAudit } from '../audit/audit.js';
import type { Actor, Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { getSettings, presentSettings } from '../settings/settings.service.js';
import { assertPasswordPolicy, burnPasswordCheck, hashPassword, verifyPassword } from './password.js';
import { userCredentials } from './schema.js';
import { createSession, endSession, endUserSessions, type SessionPolicy } from './sessions.js';

export interface LoginPolicy {
  maxFailures: number;
  lockMinutes: number;
}

const minutesLeft = (until: Date) => Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));

/**
 * Signs in by username or email. Wrong passwords count up; after `maxFailures` in a row the
 * account locks for `lockMinutes` (the count and the lock are committed even though the
 * request fails). Unknown users cost the same time as known ones.
 */
export async function login(
  db: Db,
  ctx: Ctx,
  input: { username: string; password: string },
  policy: { session: SessionPolicy; login: LoginPolicy },
  meta: { ip?: string | undefined; userAgent?: string | undefined },
) {
  const name = input.username.toLowerCase();
  const [found] = await db
    .select({ user: users, creds: userCredentials })
    .from(users)
    .innerJoin(userCredentials, eq(userCredentials.userId, users.id))
    .where(or(sql`lower(${users.username}) = ${name}`, sql`lower(${users.email}) = ${name}`));
  if (!found) {
    await burnPasswordCheck(input.password);
    throw new AppError('invalid_credentials');
  }
  const { user, creds } = found;
  const auditCtx: Ctx = { ...ctx, actor: { name: user.name, userId: user.id } as Actor };
  if (creds.lockedUntil && creds.lockedUntil > new Date()) {
    throw new AppError('account_locked', { minutes: minutesLeft(creds.lockedUntil) });
  }
  if (!(await verifyPassword(input.password, creds.passwordHash))) {
    const locked = await withTx(db, async (tx) => {
      const [after] = await tx
        .update(userCredentials)
        .set({ failedCount: sql`${userCredentials.failedCount} + 1` })
        .where(eq(userCredentials.userId, user.id))
        .returning();
      const lock = after!.failedCount >= policy.login.maxFailures;
      if (lock) {
        await tx
          .update(userCredentials)
          .set({ failedCount: 0, lockedUntil: new Date(Date.now() + policy.login.lockMinutes * 60_000) })
          .where(eq(userCredentials.userId, user.id));
      }
      await recordAudit(tx, auditCtx, {
        action: lock ? 'account_locked' : 'login_failed',
        entity: 'user',
        entityId: user.id,
        before: { failedCount: creds.failedCount },
        after: { failedCount: lock ? 0 : after!.failedCount, ...(lock ? { locked: true } : {}) },
      });
      return lock;
    });
    if (locked) throw new AppError('account_locked', { minutes: policy.login.lockMinutes });
    throw new AppError('invalid_credentials');
  }
  if (user.status !== 'active') throw new AppError('account_disabled');
  return withTx(db, async (tx) => {
    await tx
      .update(userCredentials)
      .set({ failedCount: 0, lockedUntil: null, lastLoginAt: sql`now()` })
      .where(eq(userCredentials.userId, user.id));
    const session = await createSession(tx, user.id, policy.session, meta);
    await recordAudit(tx, auditCtx, { action: 'login', entity: 'user', entityId: user.id });
    return { userId: user.id, session };
  });
}

export async function logout(db: Db, ctx: Ctx) {
  const actor = ctx.actor!;
  await withTx(db, async (tx) => {
    if (actor.sessionId) await endSession(tx, actor.sessionId);
    await recordAudit(tx, ctx, { action: 'logout', entity: 'user', entityId: actor.userId });
  });
}

/** Sets a user's password (new users, resets); `mustChange` makes them choose their own. */
export async function setPassword(
  tx: Db,
  userId: string,
  username: string,
  password: string,
  mustChange: boolean,
  field = 'password',
) {
  assertPasswordPolicy(password, username, field);
  const passwordHash = await hashPassword(password);
  await tx
    .insert(userCredentials)
    .values({ userId, passwordHash, mustChangePassword: mustChange })
    .onConflictDoUpdate({
      target: userCredentials.userId,
      set: {
        passwordHash,
        mustChangePassword: mustChange,
        passwordChangedAt: sql`now()`,
        failedCount: 0,
        lockedUntil: null,
      },
    });
}

export async function changeOwnPassword(
  db: Db,
  ctx: Ctx,
  input: { currentPassword: string; newPassword: string },
) {
  const actor = ctx.actor!;
  const [creds] = await db.select().from(userCredentials).where(eq(userCredentials.userId, actor.userId));
  if (!creds || !(await verifyPassword(input.currentPassword, creds.passwordHash))) {
    throw new AppError('wrong_current_password', {}, [{ path: 'currentPassword', message: 'invalid' }], 400);
  }
  assertPasswordPolicy(input.newPassword, actor.username, 'newPassword');
  await withTx(db, async (tx) => {
    await setPassword(tx, actor.userId, actor.username, input.newPassword, false);
    // Other browsers signed in as this user are signed out; this one stays.
    await endUserSessions(tx, actor.userId, actor.sessionId);
    await recordAudit(tx, ctx, {
      action: 'change_password',
      entity: 'user',
      entityId: actor.userId,
      after: { passwordChangedAt: new Date() },
    });
  });
}

/** What the browser needs about the signed-in user to render the shell. */
export async function describeMe(db: Db, actor: Actor) {
  const [row] = await db
    .select({ user: users, orgUnitName: orgUnits.name, mustChange: userCredentials.mustChangePassword })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .leftJoin(userCredentials, eq(userCredentials.userId, users.id))
    .where(eq(users.id, actor.userId));
  const roleRows = await db
    .select({ key: roles.key, nameZh: roles.nameZh, nameEn: roles.nameEn })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(eq(userRoles.userId, actor.userId))
    .orderBy(roles.key);
  const settings = await getSettings(db);
  const u = row!.user;
  const { name, timeZone, currency, weekStart, defaultLocale, demo } = presentSettings(settings);
  const company = { name, timeZone, currency, weekStart, defaultLocale, demo };
  return {
    user: {
      id: u.id,
      username: u.username,
      name: u.name,
      email: u.email,
      phone: u.phone,
      position: u.position,
      orgUnitId: u.orgUnitId,
      orgUnitName: row!.orgUnitName,
      locale: u.locale,
      version: u.version,
    },
    roles: roleRows,
    permissions: [...actor.permissions].sort(),
    mustChangePassword: row!.mustChange ?? false,
    csrfToken: actor.csrfToken ?? '',
    company,
  };
}
