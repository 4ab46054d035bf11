import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { defineJob, defineSchedule } from '../jobs/jobs.js';
import { sessions } from './schema.js';
import { newSecret, sha256 } from './secrets.js';

export interface SessionPolicy {
  idleMinutes: number;
  maxHours: number;
}

export async function createSession(
  db: Db,
  userId: string,
  policy: SessionPolicy,
  meta: { ip?: string | undefined; userAgent?: string | undefined },
) {
  const token = newSecret();
  const csrfToken = newSecret(24);
  const expiresAt = new Date(Date.now() + policy.maxHours * 3_600_000);
  await db.insert(sessions).values({
    id: sha256(token),
    userId,
    csrfToken,
    expiresAt,
    ip: meta.ip ?? null,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { token, csrfToken, expiresAt };
}

/**
 * A session is valid until its absolute expiry and while it has been used within the idle
 * window. Last-seen is refreshed at most once a minute to keep reads cheap.
 */
export async function resolveSession(db: Db, token: string, policy: SessionPolicy) {
  const id = sha256(token);
  const idleCutoff = new Date(Date.now() - policy.idleMinutes * 60_000);
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, sql`now()`), gt(sessions.lastSeenAt, idleCutoff)));
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.id, id));
  }
  return row;
}

export async function endSession(db: Db, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Signs a user out everywhere (password reset, disabling), optionally keeping one session. */
export async function endUserSessions(db: Db, userId: string, keepSessionId?: string) {
  await db
    .delete(sessions)
    .where(
      keepSessionId
        ? and(eq(sessions.userId, userId), sql`${sessions.id} <> ${keepSessionId}`)
        : eq(sessions.userId, userId),
    );
}

export async function purgeExpiredSessions(db: Db) {
  await db.delete(sessions).where(lt(sessions.expiresAt, sql`now()`));
}

// Expired sessions are refused anyway; the hourly purge only keeps the table small.
defineJob('auth.purge-sessions', (_payload, job) => purgeExpiredSessions(job.db), { maxAttempts: 3 });
defineSchedule({ key: 'auth.purge-sessions', kind: 'auth.purge-sessions', cron: '17 * * * *' });
