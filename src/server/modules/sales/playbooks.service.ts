import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { StagePlaybook, StagePlaybookUpdate } from '../../../contracts/playbooks.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Ctx } from '../../platform/context.js';
import type { FieldError } from '../../platform/errors.js';
import { AppError, notFound, versionConflict } from '../../platform/errors.js';
import { defineAttachable } from '../../platform/files/attachables.js';
import { DEFAULT_PIPELINE } from './pipelines.rules.js';
import { pipelineStages, pipelines } from './pipelines.schema.js';
import { DEFAULT_PLAYBOOKS } from './playbooks.defaults.js';
import { stagePlaybooks } from './playbooks.schema.js';

type StageRow = typeof pipelineStages.$inferSelect;
type PlaybookRow = typeof stagePlaybooks.$inferSelect;

// Document templates (文档模板) are the playbook's attachments: everyone who reads the sales
// process downloads them, whoever manages it uploads and removes them.
defineAttachable('playbook', {
  readPermission: 'pipelines.read',
  writePermission: 'pipelines.manage',
  async canRead(db, _ctx, id) {
    const [row] = await db
      .select({ id: stagePlaybooks.id })
      .from(stagePlaybooks)
      .where(eq(stagePlaybooks.id, id));
    return !!row;
  },
});

/**
 * Creates the missing playbooks of the given stages: the seed-004 content for the standard
 * pipeline's stages, empty ones elsewhere. Idempotent, safe under concurrent first reads.
 */
async function ensurePlaybooks(db: Db, ctx: Ctx, stages: StageRow[]): Promise<void> {
  if (!stages.length) return;
  const have = await db
    .select({ stageId: stagePlaybooks.stageId })
    .from(stagePlaybooks)
    .where(
      inArray(
        stagePlaybooks.stageId,
        stages.map((s) => s.id),
      ),
    );
  const missing = stages.filter((s) => !have.some((h) => h.stageId === s.id));
  if (!missing.length) return;
  const codes = await db
    .select({ id: pipelines.id, code: pipelines.code })
    .from(pipelines)
    .where(inArray(pipelines.id, [...new Set(missing.map((s) => s.pipelineId))]));
  const standard = new Set(codes.filter((c) => c.code === DEFAULT_PIPELINE.code).map((c) => c.id));
  await db
    .insert(stagePlaybooks)
    .values(
      missing.map((s) => {
        const content = standard.has(s.pipelineId) ? DEFAULT_PLAYBOOKS[s.nameZh] : undefined;
        return { stageId: s.id, ...(content ?? {}), createdBy: ctx.actor?.userId ?? null };
      }),
    )
    .onConflictDoNothing({ target: stagePlaybooks.stageId });
}

function present(stage: StageRow, p: PlaybookRow): StagePlaybook {
  return {
    id: p.id,
    stageId: stage.id,
    pipelineId: stage.pipelineId,
    stageNameZh: stage.nameZh,
    stageNameEn: stage.nameEn,
    stageKind: stage.kind,
    stagePosition: stage.position,
    guidanceZh: p.guidanceZh,
    guidanceEn: p.guidanceEn,
    talkTracks: p.talkTracks,
    recommended: p.recommended,
    checklist: stage.checklist,
    requiredFields: stage.requiredFields,
    updatedAt: p.updatedAt.toISOString(),
    version: p.version,
  };
}

async function stageById(db: Db, stageId: string): Promise<StageRow> {
  const [stage] = await db.select().from(pipelineStages).where(eq(pipelineStages.id, stageId));
  if (!stage) throw notFound();
  return stage;
}

async function playbookOf(db: Db, stageId: string): Promise<PlaybookRow> {
  const [row] = await db.select().from(stagePlaybooks).where(eq(stagePlaybooks.stageId, stageId));
  if (!row) throw notFound();
  return row;
}

/** The playbook of one stage (what the opportunity page shows for the opportunity's stage). */
export async function getStagePlaybook(db: Db, ctx: Ctx, stageId: string): Promise<StagePlaybook> {
  const stage = await stageById(db, stageId);
  await ensurePlaybooks(db, ctx, [stage]);
  return present(stage, await playbookOf(db, stageId));
}

/** Every stage's playbook of a pipeline, in stage order (the editor). */
export async function listPipelinePlaybooks(db: Db, ctx: Ctx, pipelineId: string) {
  const [pipeline] = await db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(eq(pipelines.id, pipelineId));
  if (!pipeline) throw notFound();
  const stages = await db
    .select()
    .from(pipelineStages)
    .where(eq(pipelineStages.pipelineId, pipelineId))
    .orderBy(asc(pipelineStages.position));
  await ensurePlaybooks(db, ctx, stages);
  const rows = stages.length
    ? await db
        .select()
        .from(stagePlaybooks)
        .where(
          inArray(
            stagePlaybooks.stageId,
            stages.map((s) => s.id),
          ),
        )
    : [];
  return {
    items: stages.flatMap((s) => {
      const p = rows.find((r) => r.stageId === s.id);
      return p ? [present(s, p)] : [];
    }),
  };
}

/** Keys must be unique within each list: they identify a talk track or item across edits. */
export function playbookErrors(input: Pick<StagePlaybookUpdate, 'talkTracks' | 'recommended'>): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['talkTracks', 'recommended'] as const) {
    const keys = (input[field] ?? []).map((x) => x.key);
    keys.forEach((k, i) => {
      if (keys.indexOf(k) !== i) errors.push({ path: `${field}.${i}.key`, message: 'unitDuplicate' });
    });
  }
  return errors;
}

/** Rewrites a stage's playbook (guidance, talk tracks in order, recommended items). */
export async function updateStagePlaybook(
  db: Db,
  ctx: Ctx,
  stageId: string,
  input: StagePlaybookUpdate,
): Promise<StagePlaybook> {
  const { version, ...changes } = input;
  const errors = playbookErrors(changes);
  if (errors.length) throw new AppError('validation_failed', {}, errors);
  const stage = await stageById(db, stageId);
  await ensurePlaybooks(db, ctx, [stage]);
  return withTx(db, async (tx) => {
    const [before] = await tx
      .select()
      .from(stagePlaybooks)
      .where(eq(stagePlaybooks.stageId, stageId))
      .for('update');
    if (!before) throw notFound();
    if (before.version !== version) throw versionConflict();
    const [after] = await tx
      .update(stagePlaybooks)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${stagePlaybooks.version} + 1` })
      .where(eq(stagePlaybooks.id, before.id))
      .returning();
    await recordAudit(tx, ctx, { action: 'update', entity: 'playbook', entityId: before.id, before, after });
    return present(stage, after!);
  });
}
