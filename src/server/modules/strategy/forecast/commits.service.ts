import { aliasedTable, and, asc, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  forecastCommitAdjust,
  forecastCommitSubmit,
  forecastCommitsQuery,
} from '../../../../contracts/index.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { scopeFilter } from '../../../platform/access/scope.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { recordHistory } from '../../../platform/audit/audit.service.js';
import type { Actor, Ctx } from '../../../platform/context.js';
import { AppError, notFound, versionConflict } from '../../../platform/errors.js';
import { whereAll } from '../../../platform/http/pagination.js';
import { companyTimeZone, dayIn } from '../../../platform/settings/settings.service.js';
import { orgUnits, users } from '../../org/schema.js';
import { type ForecastCommitRow, forecastCommits as fc } from './schema.js';

// Reps' monthly forecast commits (业绩承诺) and managers' adjustments. A commit is open until its
// month ends in the company time zone; every submission and adjustment is audited in its
// transaction, and the audit log is the commit's history.

export const RESOURCE = 'forecast-commits';
const ENTITY = 'forecast_commit';

function actorOf(ctx: Ctx): Actor {
  if (!ctx.actor) throw notFound();
  return ctx.actor;
}

/** The commits the actor may see: own, the unit's subtree, or all (the resource's data scope). */
export function visibleCommits(ctx: Ctx): SQL | undefined {
  return scopeFilter(ctx.actor, RESOURCE, { ownerId: fc.ownerId, orgUnitId: fc.orgUnitId });
}

/** The current month ('YYYY-MM') in the company time zone. */
export async function currentMonth(db: Db): Promise<string> {
  return dayIn(await companyTimeZone(db)).slice(0, 7);
}

function checkOpen(month: string, current: string) {
  if (month < current) throw new AppError('forecast_month_closed', { month });
}

const adjuster = aliasedTable(users, 'adjuster');

function present(
  r: ForecastCommitRow & { ownerName: string; orgUnitName: string; adjustedByName: string | null },
  current: string,
) {
  return {
    id: r.id,
    month: r.month,
    ownerId: r.ownerId,
    ownerName: r.ownerName,
    orgUnitId: r.orgUnitId,
    orgUnitName: r.orgUnitName,
    commitAmount: r.commitAmount,
    bestCaseAmount: r.bestCaseAmount,
    note: r.note,
    submittedAt: r.submittedAt.toISOString(),
    adjustedCommitAmount: r.adjustedCommitAmount,
    adjustedBestCaseAmount: r.adjustedBestCaseAmount,
    adjustmentNote: r.adjustmentNote,
    adjustedBy: r.adjustedBy,
    adjustedByName: r.adjustedByName,
    adjustedAt: r.adjustedAt ? r.adjustedAt.toISOString() : null,
    effectiveCommitAmount: r.adjustedCommitAmount ?? r.commitAmount,
    effectiveBestCaseAmount: r.adjustedBestCaseAmount ?? r.bestCaseAmount,
    open: r.month >= current,
    version: r.version,
  };
}

function selectCommits(db: Db) {
  return db
    .select({
      ...getTableColumns(fc),
      ownerName: users.name,
      orgUnitName: orgUnits.name,
      adjustedByName: adjuster.name,
    })
    .from(fc)
    .innerJoin(users, eq(users.id, fc.ownerId))
    .innerJoin(orgUnits, eq(orgUnits.id, fc.orgUnitId))
    .leftJoin(adjuster, eq(adjuster.id, fc.adjustedBy));
}

async function loadVisible(db: Db, ctx: Ctx, id: string) {
  const [row] = await selectCommits(db).where(whereAll(eq(fc.id, id), visibleCommits(ctx)));
  if (!row) throw notFound();
  return row;
}

export async function getCommit(db: Db, ctx: Ctx, id: string) {
  return present(await loadVisible(db, ctx, id), await currentMonth(db));
}

/** The commits of a month the reader may see: mine, or the team's (optionally one unit's subtree). */
export async function listCommits(db: Db, ctx: Ctx, q: z.infer<typeof forecastCommitsQuery>) {
  const actor = actorOf(ctx);
  const current = await currentMonth(db);
  const rows = await selectCommits(db)
    .where(
      whereAll(
        eq(fc.month, q.month),
        visibleCommits(ctx),
        q.view === 'mine' ? eq(fc.ownerId, actor.userId) : undefined,
        q.orgUnitId
          ? sql`${fc.orgUnitId} in (select sub.id from org_units sub, org_units top
              where top.id = ${q.orgUnitId}::uuid and sub.path like top.path || '%')`
          : undefined,
      ),
    )
    .orderBy(asc(orgUnits.path), asc(users.name));
  const items = rows.map((r) => present(r, current));
  return {
    month: q.month,
    open: q.month >= current,
    items,
    totalCommit: items.reduce((a, i) => a + i.effectiveCommitAmount, 0),
    totalBestCase: items.reduce((a, i) => a + i.effectiveBestCaseAmount, 0),
  };
}

const figures = (r: ForecastCommitRow) => ({
  commitAmount: r.commitAmount,
  bestCaseAmount: r.bestCaseAmount,
  note: r.note,
  adjustedCommitAmount: r.adjustedCommitAmount,
  adjustedBestCaseAmount: r.adjustedBestCaseAmount,
  adjustmentNote: r.adjustmentNote,
});

/**
 * The actor submits (or revises) their own commit for a month that has not ended. The first
 * submission of a month omits `version`; a revision sends the version it read (stale → 409). A
 * manager's adjustment, if any, stays in force over the revised figures.
 */
export async function submitCommit(
  db: Db,
  ctx: Ctx,
  month: string,
  input: z.infer<typeof forecastCommitSubmit>,
) {
  const actor = actorOf(ctx);
  const current = await currentMonth(db);
  checkOpen(month, current);
  const id = await withTx(db, async (tx) => {
    const [before] = await tx
      .select()
      .from(fc)
      .where(and(eq(fc.ownerId, actor.userId), eq(fc.month, month)))
      .for('update');
    if (!before) {
      if (input.version !== undefined) throw versionConflict();
      const [created] = await tx
        .insert(fc)
        .values({
          month,
          ownerId: actor.userId,
          orgUnitId: actor.orgUnitId,
          commitAmount: input.commitAmount,
          bestCaseAmount: input.bestCaseAmount,
          note: input.note,
          createdBy: actor.userId,
        })
        .onConflictDoNothing()
        .returning();
      // Someone (another tab) submitted the same month at the same moment.
      if (!created) throw versionConflict();
      await recordAudit(tx, ctx, {
        action: 'submit',
        entity: ENTITY,
        entityId: created.id,
        after: figures(created),
      });
      return created.id;
    }
    if (input.version !== before.version) throw versionConflict();
    const [after] = await tx
      .update(fc)
      .set({
        commitAmount: input.commitAmount,
        bestCaseAmount: input.bestCaseAmount,
        note: input.note,
        submittedAt: sql`now()`,
        updatedAt: sql`now()`,
        version: sql`${fc.version} + 1`,
      })
      .where(eq(fc.id, before.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'submit',
      entity: ENTITY,
      entityId: before.id,
      before: figures(before),
      after: figures(after!),
    });
    return before.id;
  });
  return getCommit(db, ctx, id);
}

/**
 * A manager (or the director) overrides a commit in their scope with their own figures and a
 * reason; the rep's figures stay as submitted. Version-checked, audited, only while the month is open.
 */
export async function adjustCommit(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof forecastCommitAdjust>,
) {
  const actor = actorOf(ctx);
  const current = await currentMonth(db);
  await withTx(db, async (tx) => {
    const [before] = await tx
      .select()
      .from(fc)
      .where(whereAll(eq(fc.id, id), visibleCommits(ctx)))
      .for('update');
    if (!before) throw notFound();
    checkOpen(before.month, current);
    if (before.version !== input.version) throw versionConflict();
    const [after] = await tx
      .update(fc)
      .set({
        adjustedCommitAmount: input.commitAmount,
        adjustedBestCaseAmount: input.bestCaseAmount,
        adjustmentNote: input.note,
        adjustedBy: actor.userId,
        adjustedAt: sql`now()`,
        updatedAt: sql`now()`,
        version: sql`${fc.version} + 1`,
      })
      .where(eq(fc.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'adjust',
      entity: ENTITY,
      entityId: id,
      before: figures(before),
      after: figures(after!),
    });
  });
  return getCommit(db, ctx, id);
}

/** Every submission and adjustment of a commit the reader may see, newest first. */
export async function commitHistory(db: Db, ctx: Ctx, id: string) {
  await loadVisible(db, ctx, id);
  return recordHistory(db, ENTITY, id);
}

/** Σ effective commit and best case per month, for the commits in scope (and the filter). */
export async function commitTotals(
  db: Db,
  ctx: Ctx,
  q: { from: string; to: string; orgUnitId?: string | null; repId?: string | null },
): Promise<Map<string, { commit: bigint; bestCase: bigint }>> {
  const rows = await db
    .select({
      month: fc.month,
      commit: sql<string>`sum(coalesce(${fc.adjustedCommitAmount}, ${fc.commitAmount}))::text`,
      bestCase: sql<string>`sum(coalesce(${fc.adjustedBestCaseAmount}, ${fc.bestCaseAmount}))::text`,
    })
    .from(fc)
    .where(
      whereAll(
        sql`${fc.month} between ${q.from} and ${q.to}`,
        visibleCommits(ctx),
        q.repId ? eq(fc.ownerId, q.repId) : undefined,
        q.orgUnitId
          ? sql`${fc.orgUnitId} in (select sub.id from org_units sub, org_units top
              where top.id = ${q.orgUnitId}::uuid and sub.path like top.path || '%')`
          : undefined,
      ),
    )
    .groupBy(fc.month);
  return new Map(rows.map((r) => [r.month, { commit: BigInt(r.commit), bestCase: BigInt(r.bestCase) }]));
}
