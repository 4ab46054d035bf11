import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  pipelineCreate,
  pipelineStageInput,
  pipelineUpdate,
  salesSettingsUpdate,
} from '../../../contracts/opportunities.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, notFound, versionConflict } from '../../platform/errors.js';
import { opportunities, opportunityStageHistory } from './opportunities.schema.js';
import { DEFAULT_LOSS_REASONS, DEFAULT_PIPELINE, orderStages, stageListErrors } from './pipelines.rules.js';
import { pipelineStages, pipelines, salesSettings } from './pipelines.schema.js';

type PipelineRow = typeof pipelines.$inferSelect;
export type StageRow = typeof pipelineStages.$inferSelect;
type StageInput = z.input<typeof pipelineStageInput>;

// ---------------------------------------------------------------------------------------------
// Settings: loss reasons and stall days, created with their defaults on first use.

export type SalesSettingsRow = typeof salesSettings.$inferSelect;

export async function getSalesSettings(db: Db): Promise<SalesSettingsRow> {
  const [row] = await db.select().from(salesSettings).where(eq(salesSettings.id, 1));
  if (row) return row;
  await db.insert(salesSettings).values({ id: 1, lossReasons: DEFAULT_LOSS_REASONS }).onConflictDoNothing();
  const [created] = await db.select().from(salesSettings).where(eq(salesSettings.id, 1));
  return created!;
}

export const presentSalesSettings = (s: SalesSettingsRow) => ({
  lossReasons: s.lossReasons,
  stallDays: s.stallDays,
  version: s.version,
});

export async function updateSalesSettings(db: Db, ctx: Ctx, input: z.infer<typeof salesSettingsUpdate>) {
  const { version, ...changes } = input;
  return withTx(db, async (tx) => {
    const before = await getSalesSettings(tx);
    if (before.version !== version) throw versionConflict();
    if (changes.lossReasons) {
      const codes = changes.lossReasons.map((r) => r.code);
      if (new Set(codes).size !== codes.length) {
        throw new AppError('validation_failed', {}, [{ path: 'lossReasons', message: 'unitDuplicate' }]);
      }
    }
    const [after] = await tx
      .update(salesSettings)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${salesSettings.version} + 1` })
      .where(and(eq(salesSettings.id, 1), eq(salesSettings.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'update', entity: 'sales_settings', entityId: '1', before, after });
    return presentSalesSettings(after);
  });
}

// ---------------------------------------------------------------------------------------------
// Pipelines

/** The default pipeline; the seed-004 one is created the first time anyone needs it. */
export async function defaultPipeline(db: Db, ctx: Ctx): Promise<PipelineRow> {
  const [row] = await db
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.isDefault, true), isNull(pipelines.archivedAt)));
  if (row) return row;
  return withTx(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('sales.default_pipeline'))`);
    const [again] = await tx.select().from(pipelines).where(eq(pipelines.isDefault, true));
    if (again) return again;
    const [existing] = await tx.select().from(pipelines).where(eq(pipelines.code, DEFAULT_PIPELINE.code));
    if (existing) {
      const [promoted] = await tx
        .update(pipelines)
        .set({ isDefault: true, archivedAt: null })
        .where(eq(pipelines.id, existing.id))
        .returning();
      return promoted!;
    }
    const created = await insertPipeline(tx, ctx, { ...DEFAULT_PIPELINE, isDefault: true });
    return created;
  });
}

async function insertPipeline(
  tx: Db,
  ctx: Ctx,
  input: { code: string; nameZh: string; nameEn: string; isDefault?: boolean; stages: StageInput[] },
): Promise<PipelineRow> {
  const [p] = await tx
    .insert(pipelines)
    .values({
      code: input.code,
      nameZh: input.nameZh,
      nameEn: input.nameEn,
      isDefault: input.isDefault ?? false,
      createdBy: ctx.actor?.userId ?? null,
    })
    .returning();
  const stages = orderStages(input.stages);
  await tx.insert(pipelineStages).values(
    stages.map((s, i) => ({
      pipelineId: p!.id,
      position: i + 1,
      nameZh: s.nameZh,
      nameEn: s.nameEn,
      probability: s.probability,
      kind: s.kind,
      checklist: s.checklist ?? [],
      requiredFields: s.requiredFields ?? [],
      createdBy: ctx.actor?.userId ?? null,
    })),
  );
  await recordAudit(tx, ctx, {
    action: 'create',
    entity: 'pipeline',
    entityId: p!.id,
    after: { ...p!, stages },
  });
  return p!;
}

export async function stagesOf(db: Db, pipelineId: string): Promise<StageRow[]> {
  return db
    .select()
    .from(pipelineStages)
    .where(eq(pipelineStages.pipelineId, pipelineId))
    .orderBy(asc(pipelineStages.position));
}

function presentStage(s: StageRow) {
  return {
    id: s.id,
    position: s.position,
    nameZh: s.nameZh,
    nameEn: s.nameEn,
    probability: s.probability,
    kind: s.kind,
    checklist: s.checklist,
    requiredFields: s.requiredFields,
  };
}

export function presentPipeline(p: PipelineRow, stages: StageRow[]) {
  return {
    id: p.id,
    code: p.code,
    nameZh: p.nameZh,
    nameEn: p.nameEn,
    isDefault: p.isDefault,
    archived: !!p.archivedAt,
    stages: stages.map(presentStage),
    version: p.version,
  };
}

export async function listPipelines(db: Db, ctx: Ctx, includeArchived = false) {
  await defaultPipeline(db, ctx);
  const rows = await db
    .select()
    .from(pipelines)
    .where(includeArchived ? undefined : isNull(pipelines.archivedAt))
    .orderBy(sql`${pipelines.isDefault} desc`, asc(pipelines.code));
  const stages = rows.length
    ? await db
        .select()
        .from(pipelineStages)
        .where(
          inArray(
            pipelineStages.pipelineId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(pipelineStages.position))
    : [];
  return rows.map((p) =>
    presentPipeline(
      p,
      stages.filter((s) => s.pipelineId === p.id),
    ),
  );
}

export async function getPipeline(db: Db, id: string) {
  const [p] = await db.select().from(pipelines).where(eq(pipelines.id, id));
  if (!p) throw notFound();
  return presentPipeline(p, await stagesOf(db, id));
}

function assertStages(stages: StageInput[]) {
  const errors = stageListErrors(stages.map((s) => ({ kind: s.kind, checklist: s.checklist ?? [] })));
  if (errors.length) throw new AppError('validation_failed', {}, errors);
}

export async function createPipeline(db: Db, ctx: Ctx, input: z.infer<typeof pipelineCreate>) {
  assertStages(input.stages);
  return withTx(db, async (tx) => {
    const [clash] = await tx
      .select({ id: pipelines.id })
      .from(pipelines)
      .where(eq(pipelines.code, input.code));
    if (clash) throw new AppError('duplicate', {}, [{ path: 'code', message: 'exists' }]);
    if (input.isDefault)
      await tx.update(pipelines).set({ isDefault: false }).where(eq(pipelines.isDefault, true));
    const p = await insertPipeline(tx, ctx, input);
    return p.id;
  });
}

/**
 * Renames, archives, makes default, or replaces the stage list: stages keep their ids (and their
 * opportunities); a stage left out is removed only if no opportunity is or was in it.
 */
export async function updatePipeline(db: Db, ctx: Ctx, id: string, input: z.infer<typeof pipelineUpdate>) {
  const { version, stages, archived, ...changes } = input;
  if (stages) assertStages(stages);
  return withTx(db, async (tx) => {
    const [before] = await tx.select().from(pipelines).where(eq(pipelines.id, id)).for('update');
    if (!before) throw notFound();
    if (before.version !== version) throw versionConflict();
    const set: Partial<typeof pipelines.$inferInsert> = { ...changes };
    if (archived !== undefined) {
      if (archived && (before.isDefault || changes.isDefault)) {
        throw new AppError('validation_failed', {}, [{ path: 'archived', message: 'invalid' }]);
      }
      set.archivedAt = archived ? (before.archivedAt ?? new Date()) : null;
    }
    if (changes.isDefault) {
      await tx.update(pipelines).set({ isDefault: false }).where(eq(pipelines.isDefault, true));
    }
    const beforeStages = await stagesOf(tx, id);
    if (stages) await replaceStages(tx, ctx, id, beforeStages, stages);
    const [after] = await tx
      .update(pipelines)
      .set({ ...set, updatedAt: sql`now()`, version: sql`${pipelines.version} + 1` })
      .where(eq(pipelines.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'pipeline',
      entityId: id,
      before: { ...before, stages: beforeStages.map(presentStage) },
      after: { ...after!, stages: (await stagesOf(tx, id)).map(presentStage) },
    });
    return id;
  });
}

async function replaceStages(tx: Db, ctx: Ctx, pipelineId: string, current: StageRow[], input: StageInput[]) {
  const ordered = orderStages(input);
  const known = new Map(current.map((s) => [s.id, s]));
  for (const s of ordered) {
    if (s.id && !known.has(s.id)) {
      throw new AppError('invalid_reference', { field: 'stages' }, [{ path: 'stages', message: 'invalid' }]);
    }
  }
  const keep = ordered.flatMap((s) => (s.id ? [s.id] : []));
  const dropped = current.filter((s) => !keep.includes(s.id));
  if (dropped.length) {
    // Any opportunity that ever entered the stage has a history row naming it.
    const [used] = await tx
      .select({ n: sql<number>`count(distinct ${opportunityStageHistory.opportunityId})::int` })
      .from(opportunityStageHistory)
      .where(
        inArray(
          opportunityStageHistory.stageId,
          dropped.map((s) => s.id),
        ),
      );
    if (used && used.n > 0) throw new AppError('pipeline_stage_in_use', { count: used.n });
  }
  // Kinds of stages in use cannot change: an open opportunity must not find itself "won".
  for (const s of ordered) {
    const was = s.id ? known.get(s.id) : undefined;
    if (was && was.kind !== s.kind) {
      const [used] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(opportunities)
        .where(eq(opportunities.stageId, was.id));
      if (used && used.n > 0) throw new AppError('pipeline_stage_in_use', { count: used.n });
    }
  }
  // Positions first out of the way, then the final order.
  await tx
    .update(pipelineStages)
    .set({ position: sql`${pipelineStages.position} + 1000` })
    .where(eq(pipelineStages.pipelineId, pipelineId));
  if (dropped.length) {
    await tx.delete(pipelineStages).where(
      and(
        eq(pipelineStages.pipelineId, pipelineId),
        inArray(
          pipelineStages.id,
          dropped.map((s) => s.id),
        ),
      ),
    );
  }
  for (const [i, s] of ordered.entries()) {
    const values = {
      position: i + 1,
      nameZh: s.nameZh,
      nameEn: s.nameEn,
      probability: s.probability,
      kind: s.kind,
      checklist: s.checklist ?? [],
      requiredFields: s.requiredFields ?? [],
    };
    if (s.id) {
      await tx
        .update(pipelineStages)
        .set({ ...values, updatedAt: sql`now()`, version: sql`${pipelineStages.version} + 1` })
        .where(eq(pipelineStages.id, s.id));
    } else {
      await tx.insert(pipelineStages).values({ ...values, pipelineId, createdBy: ctx.actor?.userId ?? null });
    }
  }
}
