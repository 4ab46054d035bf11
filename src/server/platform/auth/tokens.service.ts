import { and, desc, eq, gt, ilike, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { apiTokenCreate } from '../../../contracts/auth.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { users } from '../../modules/org/schema.js';
import { recordAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { containsPattern } from '../http/pagination.js';
import { apiTokens } from './schema.js';
import { newSecret, sha256 } from './secrets.js';

const TOKEN_PREFIX = 'xg_';

const tokenColumns = {
  id: apiTokens.id,
  userId: apiTokens.userId,
  userName: users.name,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  permissions: apiTokens.permissions,
  createdAt: apiTokens.createdAt,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);
function present(row: Awaited<ReturnType<typeof selectTokens>>[number]) {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    expiresAt: iso(row.expiresAt),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  };
}

function selectTokens(db: Db, where: SQL | undefined) {
  return db
    .select(tokenColumns)
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(where)
    .orderBy(desc(apiTokens.createdAt));
}

/** Tokens of one user, or of everyone (administration), newest first; `q` searches name, owner, prefix. */
export async function listTokens(db: Db, filter: { userId?: string; q?: string | undefined } = {}) {
  const q = containsPattern(filter.q);
  const where = and(
    filter.userId ? eq(apiTokens.userId, filter.userId) : undefined,
    q ? or(ilike(apiTokens.name, q), ilike(users.name, q), ilike(apiTokens.prefix, q)) : undefined,
  );
  return (await selectTokens(db, where)).map(present);
}

/** Creates a personal API token. The secret is returned here once and only its hash is kept. */
export async function createToken(db: Db, ctx: Ctx, input: z.infer<typeof apiTokenCreate>) {
  const actor = ctx.actor!;
  if (input.permissions) {
    const missing = input.permissions.find((p) => !actor.permissions.has(p));
    if (missing) throw new AppError('forbidden', { permission: missing });
  }
  const secret = `${TOKEN_PREFIX}${newSecret()}`;
  return withTx(db, async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        userId: actor.userId,
        name: input.name,
        tokenHash: sha256(secret),
        prefix: secret.slice(0, 10),
        permissions: input.permissions ?? null,
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      })
      .returning();
    await recordAudit(tx, ctx, { action: 'create', entity: 'api_token', entityId: row!.id, after: row });
    const [created] = await selectTokens(tx, eq(apiTokens.id, row!.id));
    return { ...present(created!), token: secret };
  });
}

/** Revokes a token; `ownerId` limits it to the caller's own tokens. */
export async function revokeToken(db: Db, ctx: Ctx, id: string, ownerId?: string) {
  return withTx(db, async (tx) => {
    const [before] = await tx
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.id, id), ownerId ? eq(apiTokens.userId, ownerId) : undefined));
    if (!before) throw notFound();
    if (before.revokedAt) return;
    const [after] = await tx
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(eq(apiTokens.id, id))
      .returning();
    await recordAudit(tx, ctx, { action: 'revoke', entity: 'api_token', entityId: id, before, after });
  });
}

/** Finds the live token for a bearer secret and notes its use (at most once a minute). */
export async function resolveToken(db: Db, secret: string) {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.tokenHash, sha256(secret)),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)),
      ),
    );
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: sql`now()` }).where(eq(apiTokens.id, row.id));
  }
  return row;
}
