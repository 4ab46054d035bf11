import { and, asc, count, eq, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  competitorInput,
  kanbanQuery,
  opportunityCreate,
  opportunityListQuery,
  opportunityLose,
  opportunityMove,
  opportunityReopen,
  opportunityUpdate,
  opportunityWin,
} from '../../../contracts/opportunities.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { scopeFilter } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { recordHistory } from '../../platform/audit/audit.service.js';
import type { Ctx } from '../../platform/context.js';
import { customValuesFor } from '../../platform/custom-fields/custom-fields.js';
import {
  AppError,
  type FieldError,
  invalidField,
  invalidReference,
  notFound,
  versionConflict,
} from '../../platform/errors.js';
import { keyset, whereAll } from '../../platform/http/pagination.js';
import type { Locale } from '../../platform/i18n/locale.js';
import { findLiveCustomer } from '../customers/customers.service.js';
import { activities, contacts, customers } from '../customers/schema.js';
import { users } from '../org/schema.js';
import {
  type ForecastCategory,
  opportunities,
  opportunityChecklist,
  opportunityCollaborators,
  opportunityCompetitors,
  opportunityContacts,
  opportunityStageHistory,
} from './opportunities.schema.js';
import { defaultForecastCategory, exitBlockers, isStalled } from './pipelines.rules.js';
import type { StageRequiredField } from './pipelines.schema.js';
import { pipelineStages, pipelines } from './pipelines.schema.js';
import {
  defaultPipeline,
  getPipeline,
  getSalesSettings,
  type StageRow,
  stagesOf,
} from './pipelines.service.js';

const RESOURCE = 'opportunities';
type OpportunityRow = typeof opportunities.$inferSelect;

/** Opportunities in the actor's scope: owned, collaborated on, or in their part of the organisation. */
export const visibleOpportunities = (ctx: Ctx): SQL | undefined =>
  scopeFilter(ctx.actor, RESOURCE, {
    ownerId: opportunities.ownerId,
    orgUnitId: opportunities.orgUnitId,
    collaborator: (userId) =>
      sql`exists (select 1 from ${opportunityCollaborators} where ${opportunityCollaborators.opportunityId} = ${opportunities.id} and ${opportunityCollaborators.userId} = ${userId})`,
  });

/**
 * The last thing that happened on an opportunity: a logged activity on it or on its customer, or
 * its own creation or stage move — whichever is latest.
 */
const latestActivityWhere = (match: SQL) => sql`(
  select max(${activities.occurredAt}) from ${activities}
  where ${match} and ${activities.done} and ${activities.occurredAt} <= now())`;
// Two subqueries rather than one with OR, so each uses its own index.
const lastActivityAt = sql<Date>`greatest(${opportunities.createdAt}, ${opportunities.stageEnteredAt},
  ${latestActivityWhere(sql`${activities.opportunityId} = ${opportunities.id}`)},
  ${latestActivityWhere(sql`${activities.customerId} = ${opportunities.customerId}`)})`.mapWith(
  (v) => new Date(v as string),
);

function selectOpportunities(db: Db) {
  return db
    .select({
      o: opportunities,
      customerName: customers.name,
      stageNameZh: pipelineStages.nameZh,
      stageNameEn: pipelineStages.nameEn,
      stageKind: pipelineStages.kind,
      ownerName: users.name,
      lastActivityAt,
    })
    .from(opportunities)
    .innerJoin(customers, eq(customers.id, opportunities.customerId))
    .innerJoin(pipelineStages, eq(pipelineStages.id, opportunities.stageId))
    .innerJoin(users, eq(users.id, opportunities.ownerId));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectOpportunities>['where']>>[number];
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function present(r: Row, stallDays: number, now = new Date()) {
  const o = r.o;
  return {
    id: o.id,
    name: o.name,
    customerId: o.customerId,
    customerName: r.customerName,
    pipelineId: o.pipelineId,
    stageId: o.stageId,
    stageNameZh: r.stageNameZh,
    stageNameEn: r.stageNameEn,
    stageKind: r.stageKind,
    status: o.status,
    amount: o.amount,
    amountSource: o.amountSource,
    currency: o.currency,
    expectedCloseDate: o.expectedCloseDate,
    probability: o.probability,
    probabilityOverridden: o.probabilityOverridden,
    forecastCategory: o.forecastCategory,
    forecastOverridden: o.forecastOverridden,
    nextStep: o.nextStep,
    sourceLeadId: o.sourceLeadId,
    lossReason: o.lossReason,
    lostToCompetitor: o.lostToCompetitor,
    closeNote: o.closeNote,
    closedAt: iso(o.closedAt),
    stageEnteredAt: o.stageEnteredAt.toISOString(),
    lastActivityAt: iso(r.lastActivityAt),
    stalled: o.status === 'open' && isStalled(r.lastActivityAt, stallDays, now),
    ownerId: o.ownerId,
    ownerName: r.ownerName,
    orgUnitId: o.orgUnitId,
    customFields: o.customFields,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
    version: o.version,
  };
}
export type OpportunityView = ReturnType<typeof present>;

function listFilter(
  ctx: Ctx,
  query: Omit<z.infer<typeof opportunityListQuery>, 'limit' | 'cursor' | 'sort'>,
) {
  const q = query.q?.trim();
  const like = q ? `%${q.replace(/[\\%_]/g, '\\$&')}%` : '';
  return whereAll(
    visibleOpportunities(ctx),
    query.pipelineId ? eq(opportunities.pipelineId, query.pipelineId) : undefined,
    query.stageId ? eq(opportunities.stageId, query.stageId) : undefined,
    query.customerId ? eq(opportunities.customerId, query.customerId) : undefined,
    query.ownerId ? eq(opportunities.ownerId, query.ownerId) : undefined,
    query.status ? eq(opportunities.status, query.status) : undefined,
    query.view === 'mine' && ctx.actor ? eq(opportunities.ownerId, ctx.actor.userId) : undefined,
    query.view === 'team' && ctx.actor
      ? sql`${opportunities.orgUnitId} in (select id from org_units where path like ${`${ctx.actor.orgPath}%`})`
      : undefined,
    query.closeFrom ? sql`${opportunities.expectedCloseDate} >= ${query.closeFrom}` : undefined,
    query.closeTo ? sql`${opportunities.expectedCloseDate} <= ${query.closeTo}` : undefined,
    q
      ? or(
          sql`${opportunities.name} ilike ${like}`,
          sql`${opportunities.customerId} in (select ${customers.id} from ${customers} where ${customers.name} ilike ${like})`,
        )
      : undefined,
  );
}

export async function listOpportunities(db: Db, ctx: Ctx, query: z.infer<typeof opportunityListQuery>) {
  const page = keyset(
    query,
    {
      updatedAt: opportunities.updatedAt,
      createdAt: opportunities.createdAt,
      amount: opportunities.amount,
      expectedCloseDate: opportunities.expectedCloseDate,
    },
    opportunities.id,
    '-updatedAt',
  );
  const filter = listFilter(ctx, query);
  const rows = await selectOpportunities(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(opportunities).where(filter);
  const key = (query.sort ?? '-updatedAt').replace(/^-/, '') as
    | 'updatedAt'
    | 'createdAt'
    | 'amount'
    | 'expectedCloseDate';
  const result = page.page(rows, n, (r) => [r.o[key], r.o.id]);
  const { stallDays } = await getSalesSettings(db);
  const now = new Date();
  return { ...result, items: result.items.map((r) => present(r, stallDays, now)) };
}

/**
 * The board: per stage of the pipeline, the count, the sum and the first cards (latest first).
 * A constant number of queries whatever the number of stages: one aggregate grouped by stage, one
 * lateral query picking each stage's latest N ids (the stage index, walked backwards), and one
 * select of those cards.
 */
export async function opportunityKanban(db: Db, ctx: Ctx, query: z.infer<typeof kanbanQuery>) {
  const pipelineId = query.pipelineId ?? (await defaultPipeline(db, ctx)).id;
  const pipeline = await getPipeline(db, pipelineId);
  const filter = listFilter(ctx, { ...query, pipelineId });
  const totals = await db
    .select({
      stageId: opportunities.stageId,
      n: sql<number>`count(*)::int`,
      amount: sql<string>`coalesce(sum(${opportunities.amount}), 0)`,
      // round_half_up(amount × probability / 100) in integers (amounts are never negative).
      weighted: sql<string>`coalesce(sum((${opportunities.amount} * ${opportunities.probability} + 50) / 100), 0)`,
    })
    .from(opportunities)
    .where(filter)
    .groupBy(opportunities.stageId);
  const occupied = pipeline.stages.filter((s) => totals.some((t) => t.stageId === s.id)).map((s) => s.id);
  let cards: Row[] = [];
  if (occupied.length) {
    const picked = await db.execute<{ id: string }>(sql`
      select o.id from unnest(array[${sql.join(
        occupied.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}]) as s(stage_id)
      cross join lateral (
        select ${opportunities.id} as id from ${opportunities}
        where ${opportunities.stageId} = s.stage_id and ${filter ?? sql`true`}
        order by ${opportunities.updatedAt} desc, ${opportunities.id} desc
        limit ${query.perStage}
      ) o`);
    const ids = (Array.isArray(picked) ? picked : (picked as { rows: { id: string }[] }).rows).map(
      (r) => r.id,
    );
    if (ids.length) {
      cards = await selectOpportunities(db)
        .where(inArray(opportunities.id, ids))
        .orderBy(sql`${opportunities.updatedAt} desc`, sql`${opportunities.id} desc`);
    }
  }
  const { stallDays } = await getSalesSettings(db);
  const now = new Date();
  const columns = pipeline.stages.map((stage) => {
    const t = totals.find((x) => x.stageId === stage.id);
    return {
      stageId: stage.id,
      count: t?.n ?? 0,
      amount: Number(t?.amount ?? 0),
      weightedAmount: Number(t?.weighted ?? 0),
      cards: cards.filter((r) => r.o.stageId === stage.id).map((r) => present(r, stallDays, now)),
    };
  });
  return { pipeline, columns };
}

export async function getOpportunity(db: Db, ctx: Ctx, id: string) {
  const [row] = await selectOpportunities(db).where(
    whereAll(eq(opportunities.id, id), visibleOpportunities(ctx)),
  );
  if (!row) throw notFound();
  const { stallDays } = await getSalesSettings(db);
  const base = present(row, stallDays);
  const [contactRows, collaboratorRows, competitorRows, history, ticks] = await Promise.all([
    db.select().from(opportunityContacts).where(eq(opportunityContacts.opportunityId, id)),
    db.select().from(opportunityCollaborators).where(eq(opportunityCollaborators.opportunityId, id)),
    db
      .select()
      .from(opportunityCompetitors)
      .where(eq(opportunityCompetitors.opportunityId, id))
      .orderBy(asc(opportunityCompetitors.position)),
    db
      .select({
        h: opportunityStageHistory,
        stageNameZh: pipelineStages.nameZh,
        stageNameEn: pipelineStages.nameEn,
        enteredByName: sql<
          string | null
        >`(select name from users where id = ${opportunityStageHistory.enteredBy})`,
        exitedByName: sql<
          string | null
        >`(select name from users where id = ${opportunityStageHistory.exitedBy})`,
      })
      .from(opportunityStageHistory)
      .innerJoin(pipelineStages, eq(pipelineStages.id, opportunityStageHistory.stageId))
      .where(eq(opportunityStageHistory.opportunityId, id))
      .orderBy(asc(opportunityStageHistory.enteredAt), asc(opportunityStageHistory.id)),
    db.select().from(opportunityChecklist).where(eq(opportunityChecklist.opportunityId, id)),
  ]);
  const now = Date.now();
  const checklist: Record<string, string[]> = {};
  for (const t of ticks) checklist[t.stageId] = [...(checklist[t.stageId] ?? []), t.itemKey];
  return {
    ...base,
    contactIds: contactRows.map((c) => c.contactId),
    collaboratorIds: collaboratorRows.map((c) => c.userId),
    competitors: competitorRows.map((c) => ({
      id: c.id,
      name: c.name,
      price: c.price,
      strengths: c.strengths,
      weaknesses: c.weaknesses,
    })),
    stageHistory: history.map(({ h, ...r }) => ({
      id: h.id,
      stageId: h.stageId,
      stageNameZh: r.stageNameZh,
      stageNameEn: r.stageNameEn,
      enteredAt: h.enteredAt.toISOString(),
      enteredByName: r.enteredByName,
      exitedAt: iso(h.exitedAt),
      exitedByName: r.exitedByName,
      secondsInStage: Math.max(
        0,
        Math.floor(((h.exitedAt?.getTime() ?? now) - h.enteredAt.getTime()) / 1000),
      ),
    })),
    checklist,
  };
}

export async function opportunityHistory(db: Db, ctx: Ctx, id: string) {
  await getOpportunity(db, ctx, id);
  return recordHistory(db, 'opportunity', id);
}

// ---------------------------------------------------------------------------------------------
// Writing

async function lockVisible(tx: Db, ctx: Ctx, id: string): Promise<OpportunityRow> {
  const [row] = await tx
    .select()
    .from(opportunities)
    .where(whereAll(eq(opportunities.id, id), visibleOpportunities(ctx)))
    .for('update');
  if (!row) throw notFound();
  return row;
}

async function assertContacts(tx: Db, customerId: string, contactIds: string[]) {
  const ids = [...new Set(contactIds)];
  if (!ids.length) return ids;
  const found = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(inArray(contacts.id, ids), eq(contacts.customerId, customerId), isNull(contacts.archivedAt)));
  if (found.length !== ids.length) throw invalidReference('contactIds');
  return ids;
}

async function assertCollaborators(tx: Db, userIds: string[]) {
  const ids = [...new Set(userIds)];
  if (!ids.length) return ids;
  const found = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, ids), eq(users.status, 'active')));
  if (found.length !== ids.length) throw invalidReference('collaboratorIds');
  return ids;
}

async function writeCompetitors(tx: Db, opportunityId: string, list: z.infer<typeof competitorInput>[]) {
  await tx.delete(opportunityCompetitors).where(eq(opportunityCompetitors.opportunityId, opportunityId));
  if (!list.length) return;
  await tx.insert(opportunityCompetitors).values(
    list.map((c, i) => ({
      opportunityId,
      position: i + 1,
      name: c.name,
      price: c.price ?? null,
      strengths: c.strengths || null,
      weaknesses: c.weaknesses || null,
    })),
  );
}

async function replaceLinks(
  tx: Db,
  table: typeof opportunityContacts | typeof opportunityCollaborators,
  opportunityId: string,
  ids: string[],
) {
  if (table === opportunityContacts) {
    await tx.delete(opportunityContacts).where(eq(opportunityContacts.opportunityId, opportunityId));
    if (ids.length)
      await tx.insert(opportunityContacts).values(ids.map((contactId) => ({ opportunityId, contactId })));
  } else {
    await tx
      .delete(opportunityCollaborators)
      .where(eq(opportunityCollaborators.opportunityId, opportunityId));
    if (ids.length) {
      await tx.insert(opportunityCollaborators).values(ids.map((userId) => ({ opportunityId, userId })));
    }
  }
}

export interface CreateOptions {
  /** Another owner than the actor (lead conversion: the lead's owner; demo data). */
  owner?: { ownerId: string; orgUnitId: string };
  /** Backdating for a data generator. */
  createdAt?: Date;
}

/**
 * Opens an opportunity for a customer the actor can see, in the default pipeline's first stage
 * unless told otherwise. Usable inside another transaction (lead conversion) and by generators.
 */
export async function createOpportunity(
  db: Db,
  ctx: Ctx,
  input: z.infer<typeof opportunityCreate>,
  options: CreateOptions = {},
): Promise<string> {
  return withTx(db, async (tx) => {
    const customer = await findLiveCustomer(tx, ctx, input.customerId).catch((e: unknown) => {
      if (e instanceof AppError && e.code === 'not_found') throw invalidReference('customerId');
      throw e;
    });
    const pipeline = input.pipelineId
      ? (await tx.select().from(pipelines).where(eq(pipelines.id, input.pipelineId)))[0]
      : await defaultPipeline(tx, ctx);
    if (!pipeline) throw invalidReference('pipelineId');
    if (pipeline.archivedAt) {
      throw new AppError('pipeline_archived', {
        name: ctx.locale === 'en' ? pipeline.nameEn : pipeline.nameZh,
      });
    }
    const stages = await stagesOf(tx, pipeline.id);
    const stage = input.stageId ? stages.find((s) => s.id === input.stageId) : stages[0];
    if (!stage) throw invalidReference('stageId');
    if (stage.kind !== 'open') throw invalidField('stageId', 'invalid');
    const contactIds = await assertContacts(tx, customer.id, input.contactIds ?? []);
    const collaboratorIds = await assertCollaborators(tx, input.collaboratorIds ?? []);
    const customFields = await customValuesFor(tx, 'opportunity', input.customFields);
    let owner = options.owner;
    if (!owner) {
      if (!ctx.actor) throw invalidReference('ownerId');
      const [me] = await tx
        .select({ orgUnitId: users.orgUnitId })
        .from(users)
        .where(eq(users.id, ctx.actor.userId));
      owner = { ownerId: ctx.actor.userId, orgUnitId: me!.orgUnitId };
    }
    const probability = input.probability ?? stage.probability;
    const at = options.createdAt ?? new Date();
    const [row] = await tx
      .insert(opportunities)
      .values({
        name: input.name,
        customerId: customer.id,
        pipelineId: pipeline.id,
        stageId: stage.id,
        amount: input.amount ?? 0,
        expectedCloseDate: input.expectedCloseDate ?? null,
        probability,
        probabilityOverridden: input.probability !== undefined,
        forecastCategory: input.forecastCategory ?? defaultForecastCategory(stage.kind, probability),
        forecastOverridden: input.forecastCategory !== undefined,
        nextStep: input.nextStep || null,
        sourceLeadId: input.sourceLeadId ?? null,
        customFields,
        ownerId: owner.ownerId,
        orgUnitId: owner.orgUnitId,
        stageEnteredAt: at,
        createdAt: at,
        updatedAt: at,
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    const id = row!.id;
    await replaceLinks(tx, opportunityContacts, id, contactIds);
    await replaceLinks(tx, opportunityCollaborators, id, collaboratorIds);
    await writeCompetitors(tx, id, input.competitors ?? []);
    await tx
      .insert(opportunityStageHistory)
      .values({ opportunityId: id, stageId: stage.id, enteredAt: at, enteredBy: ctx.actor?.userId ?? null });
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'opportunity',
      entityId: id,
      after: { ...row!, contactIds, collaboratorIds, competitors: input.competitors ?? [] },
    });
    return id;
  });
}

const STATE_LABELS: Record<'won' | 'lost', Record<Locale, string>> = {
  won: { 'zh-CN': '赢单', en: 'won' },
  lost: { 'zh-CN': '输单', en: 'lost' },
};
const closedError = (ctx: Ctx, o: OpportunityRow) =>
  new AppError('opportunity_closed', { state: STATE_LABELS[o.status as 'won' | 'lost'][ctx.locale] });

export async function updateOpportunity(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof opportunityUpdate>,
): Promise<string> {
  const {
    version,
    contactIds,
    collaboratorIds,
    competitors,
    customFields,
    probability,
    forecastCategory,
    ...rest
  } = input;
  return withTx(db, async (tx) => {
    const before = await lockVisible(tx, ctx, id);
    if (before.version !== version) throw versionConflict();
    const [stage] = await tx.select().from(pipelineStages).where(eq(pipelineStages.id, before.stageId));
    const set: Partial<typeof opportunities.$inferInsert> = {};
    if (rest.name !== undefined) set.name = rest.name;
    if (rest.amount !== undefined && rest.amount !== before.amount) {
      // With product lines the amount is their sum (PUT /opportunities/{id}/lines changes it).
      if (before.amountSource === 'lines') throw new AppError('opportunity_amount_from_lines');
      set.amount = rest.amount;
    }
    if (rest.expectedCloseDate !== undefined) set.expectedCloseDate = rest.expectedCloseDate;
    if (rest.nextStep !== undefined) set.nextStep = rest.nextStep || null;
    if (probability !== undefined) {
      set.probability = probability ?? stage!.probability;
      set.probabilityOverridden = probability !== null;
    }
    if (forecastCategory !== undefined || probability !== undefined) {
      const overridden =
        forecastCategory === undefined ? before.forecastOverridden : forecastCategory !== null;
      set.forecastOverridden = overridden;
      set.forecastCategory =
        overridden && forecastCategory
          ? forecastCategory
          : overridden
            ? before.forecastCategory
            : defaultForecastCategory(stage!.kind, set.probability ?? before.probability);
    }
    if (customFields !== undefined) {
      set.customFields = await customValuesFor(tx, 'opportunity', customFields, before.customFields);
    }
    const extra: Record<string, unknown> = {};
    if (contactIds) {
      extra.contactIds = await assertContacts(tx, before.customerId, contactIds);
      await replaceLinks(tx, opportunityContacts, id, extra.contactIds as string[]);
    }
    if (collaboratorIds) {
      extra.collaboratorIds = await assertCollaborators(tx, collaboratorIds);
      await replaceLinks(tx, opportunityCollaborators, id, extra.collaboratorIds as string[]);
    }
    if (competitors) {
      extra.competitors = competitors;
      await writeCompetitors(tx, id, competitors);
    }
    const [after] = await tx
      .update(opportunities)
      .set({ ...set, updatedAt: sql`now()`, version: sql`${opportunities.version} + 1` })
      .where(and(eq(opportunities.id, id), eq(opportunities.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'opportunity',
      entityId: id,
      before,
      after: { ...after, ...extra },
    });
    return id;
  });
}

// ---------------------------------------------------------------------------------------------
// Stage moves

const FIELD_LABELS: Record<StageRequiredField, Record<Locale, string>> = {
  amount: { 'zh-CN': '金额', en: 'amount' },
  expectedCloseDate: { 'zh-CN': '预计成交日期', en: 'expected close date' },
  contactId: { 'zh-CN': '联系人', en: 'contact' },
  nextStep: { 'zh-CN': '下一步', en: 'next step' },
  competitors: { 'zh-CN': '竞争对手', en: 'competitors' },
};

/** Stores ticks given with a move (the current stage's items), then refuses to leave if anything is missing. */
async function assertCanLeave(
  tx: Db,
  ctx: Ctx,
  o: OpportunityRow,
  stage: StageRow,
  ticks: Record<string, boolean>,
) {
  const known = new Set(stage.checklist.map((c) => c.key));
  const unknown = Object.keys(ticks).filter((k) => !known.has(k));
  if (unknown.length) {
    throw new AppError(
      'validation_failed',
      {},
      unknown.map((k) => ({ path: `checklist.${k}`, message: 'invalid' })),
    );
  }
  const on = Object.entries(ticks)
    .filter(([, v]) => v)
    .map(([k]) => k);
  const off = Object.entries(ticks)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (on.length) {
    await tx
      .insert(opportunityChecklist)
      .values(
        on.map((itemKey) => ({
          opportunityId: o.id,
          stageId: stage.id,
          itemKey,
          checkedBy: ctx.actor?.userId ?? null,
        })),
      )
      .onConflictDoNothing();
  }
  if (off.length) {
    await tx
      .delete(opportunityChecklist)
      .where(
        and(
          eq(opportunityChecklist.opportunityId, o.id),
          eq(opportunityChecklist.stageId, stage.id),
          inArray(opportunityChecklist.itemKey, off),
        ),
      );
  }
  const ticked = await tx
    .select({ key: opportunityChecklist.itemKey })
    .from(opportunityChecklist)
    .where(and(eq(opportunityChecklist.opportunityId, o.id), eq(opportunityChecklist.stageId, stage.id)));
  const [facts] = await tx
    .select({
      contactCount: sql<number>`(select count(*)::int from ${opportunityContacts} where ${opportunityContacts.opportunityId} = ${o.id})`,
      competitorCount: sql<number>`(select count(*)::int from ${opportunityCompetitors} where ${opportunityCompetitors.opportunityId} = ${o.id})`,
    })
    .from(sql`(select 1) as one`);
  const blockers = exitBlockers(
    stage,
    {
      amount: o.amount,
      expectedCloseDate: o.expectedCloseDate,
      nextStep: o.nextStep,
      contactCount: facts!.contactCount,
      competitorCount: facts!.competitorCount,
    },
    new Set(ticked.map((t) => t.key)),
  );
  if (!blockers.items.length && !blockers.fields.length) return;
  const en = ctx.locale === 'en';
  const missing = [
    ...blockers.items.map((i) => (en ? i.textEn : i.textZh)),
    ...blockers.fields.map((f) => FIELD_LABELS[f][ctx.locale]),
  ].join(en ? '; ' : '；');
  const errors: FieldError[] = [
    ...blockers.items.map((i) => ({ path: `checklist.${i.key}`, message: 'required' as const })),
    ...blockers.fields.map((f) => ({ path: f, message: 'required' as const })),
  ];
  throw new AppError(
    'opportunity_stage_blocked',
    { stage: en ? stage.nameEn : stage.nameZh, missing },
    errors,
  );
}

/** Closes the current stage entry and opens one for `to`; probability and forecast follow unless overridden. */
async function enterStage(
  tx: Db,
  ctx: Ctx,
  before: OpportunityRow,
  to: StageRow,
  extra: Partial<typeof opportunities.$inferInsert> = {},
) {
  const by = ctx.actor?.userId ?? null;
  await tx
    .update(opportunityStageHistory)
    .set({ exitedAt: sql`now()`, exitedBy: by })
    .where(
      and(eq(opportunityStageHistory.opportunityId, before.id), isNull(opportunityStageHistory.exitedAt)),
    );
  await tx
    .insert(opportunityStageHistory)
    .values({ opportunityId: before.id, stageId: to.id, enteredBy: by });
  const closing = to.kind !== 'open';
  const probability = closing || !before.probabilityOverridden ? to.probability : before.probability;
  const [after] = await tx
    .update(opportunities)
    .set({
      stageId: to.id,
      status: to.kind,
      stageEnteredAt: sql`now()`,
      probability,
      probabilityOverridden: closing ? false : before.probabilityOverridden,
      forecastCategory:
        !closing && before.forecastOverridden
          ? before.forecastCategory
          : defaultForecastCategory(to.kind, probability),
      forecastOverridden: closing ? false : before.forecastOverridden,
      stalledNotifiedAt: null,
      ...extra,
      updatedAt: sql`now()`,
      version: sql`${opportunities.version} + 1`,
    })
    .where(eq(opportunities.id, before.id))
    .returning();
  return after!;
}

async function stageOf(tx: Db, o: OpportunityRow, stageId: string) {
  const stages = await stagesOf(tx, o.pipelineId);
  const current = stages.find((s) => s.id === o.stageId)!;
  const target = stages.find((s) => s.id === stageId);
  return { stages, current, target };
}

/**
 * Moves an open opportunity to another stage of its pipeline, forward or back. Moving forward
 * needs the current stage's required checklist items and fields (422 listing them, nothing changed). The lost
 * stage is reached only through `lose` (a reason is required); the won stage through `win`.
 */
export async function moveOpportunity(db: Db, ctx: Ctx, id: string, input: z.infer<typeof opportunityMove>) {
  return withTx(db, async (tx) => {
    const before = await lockVisible(tx, ctx, id);
    if (before.status !== 'open') throw closedError(ctx, before);
    if (before.version !== input.version) throw versionConflict();
    const { current, target } = await stageOf(tx, before, input.stageId);
    if (!target) throw invalidReference('stageId');
    if (target.kind === 'lost') throw invalidField('stageId', 'invalid');
    if (target.id === current.id) return id;
    // Exit checks guard progress: stepping back to an earlier stage is always allowed.
    if (target.position > current.position) {
      await assertCanLeave(tx, ctx, before, current, input.checklist ?? {});
    }
    const after = await enterStage(
      tx,
      ctx,
      before,
      target,
      target.kind === 'won' ? { closedAt: new Date() } : {},
    );
    await recordAudit(tx, ctx, {
      action: target.kind === 'won' ? 'win' : 'move',
      entity: 'opportunity',
      entityId: id,
      before,
      after,
    });
    return id;
  });
}

/** Won: into the pipeline's won stage, after the current stage's exit checks. */
export async function winOpportunity(db: Db, ctx: Ctx, id: string, input: z.infer<typeof opportunityWin>) {
  return withTx(db, async (tx) => {
    const before = await lockVisible(tx, ctx, id);
    if (before.status !== 'open') throw closedError(ctx, before);
    if (before.version !== input.version) throw versionConflict();
    const stages = await stagesOf(tx, before.pipelineId);
    const current = stages.find((s) => s.id === before.stageId)!;
    const won = stages.find((s) => s.kind === 'won')!;
    await assertCanLeave(tx, ctx, before, current, input.checklist ?? {});
    const after = await enterStage(tx, ctx, before, won, {
      closedAt: new Date(),
      closeNote: input.note || null,
    });
    await recordAudit(tx, ctx, { action: 'win', entity: 'opportunity', entityId: id, before, after });
    return id;
  });
}

/** Lost, with a reason from the settings' list (required) and, optionally, the competitor it went to. */
export async function loseOpportunity(db: Db, ctx: Ctx, id: string, input: z.infer<typeof opportunityLose>) {
  return withTx(db, async (tx) => {
    const before = await lockVisible(tx, ctx, id);
    if (before.status !== 'open') throw closedError(ctx, before);
    if (before.version !== input.version) throw versionConflict();
    const { lossReasons } = await getSalesSettings(tx);
    if (!lossReasons.some((r) => r.code === input.reasonCode)) {
      throw invalidField('reasonCode', 'oneOf', { values: lossReasons.map((r) => r.code).join(', ') });
    }
    const stages = await stagesOf(tx, before.pipelineId);
    const lost = stages.find((s) => s.kind === 'lost')!;
    const after = await enterStage(tx, ctx, before, lost, {
      lossReason: input.reasonCode,
      lostToCompetitor: input.competitorLostTo || null,
      closeNote: input.note || null,
      closedAt: new Date(),
    });
    await recordAudit(tx, ctx, { action: 'lose', entity: 'opportunity', entityId: id, before, after });
    return id;
  });
}

/**
 * Reopens a won or lost opportunity (managers: `opportunities.assign`) into an open stage — by
 * default the one it was in before closing. The loss reason stays in the history.
 */
export async function reopenOpportunity(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof opportunityReopen>,
) {
  return withTx(db, async (tx) => {
    const before = await lockVisible(tx, ctx, id);
    if (before.status === 'open') throw new AppError('opportunity_not_closed');
    if (before.version !== input.version) throw versionConflict();
    const stages = await stagesOf(tx, before.pipelineId);
    let target = input.stageId ? stages.find((s) => s.id === input.stageId) : undefined;
    if (input.stageId && !target) throw invalidReference('stageId');
    if (!target) {
      const [previous] = await tx
        .select({ stageId: opportunityStageHistory.stageId })
        .from(opportunityStageHistory)
        .innerJoin(pipelineStages, eq(pipelineStages.id, opportunityStageHistory.stageId))
        .where(and(eq(opportunityStageHistory.opportunityId, id), eq(pipelineStages.kind, 'open')))
        .orderBy(sql`${opportunityStageHistory.enteredAt} desc`)
        .limit(1);
      target = stages.find((s) => s.id === previous?.stageId) ?? stages[0]!;
    }
    if (target.kind !== 'open') throw invalidField('stageId', 'invalid');
    const after = await enterStage(tx, ctx, before, target, {
      lossReason: null,
      lostToCompetitor: null,
      closedAt: null,
    });
    await recordAudit(tx, ctx, { action: 'reopen', entity: 'opportunity', entityId: id, before, after });
    return id;
  });
}

// ---------------------------------------------------------------------------------------------
// Stalls

/** Open opportunities without activity for the stall days, not alerted since their last activity. */
export async function stalledUnalerted(db: Db) {
  const { stallDays } = await getSalesSettings(db);
  const rows = await db
    .select({
      id: opportunities.id,
      name: opportunities.name,
      ownerId: opportunities.ownerId,
      lastActivityAt,
      customerName: customers.name,
    })
    .from(opportunities)
    .innerJoin(customers, eq(customers.id, opportunities.customerId))
    .where(
      and(
        eq(opportunities.status, 'open'),
        sql`${lastActivityAt} <= now() - make_interval(days => ${stallDays})`,
        or(
          isNull(opportunities.stalledNotifiedAt),
          sql`${opportunities.stalledNotifiedAt} < ${lastActivityAt}`,
        ),
      ),
    );
  return { stallDays, rows };
}

export type { ForecastCategory };
