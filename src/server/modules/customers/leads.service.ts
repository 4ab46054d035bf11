import { randomBytes } from 'node:crypto';
import { and, asc, count, eq, gte, ilike, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  callLogCreate,
  leadAssign,
  leadCreate,
  leadDisqualify,
  leadFormCreate,
  leadFormUpdate,
  leadListQuery,
  leadRulesUpdate,
  leadUpdate,
  walkInCreate,
  webLeadBody,
} from '../../../contracts/leads.js';
import { COMPLETENESS_FIELDS } from '../../../contracts/leads.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { scopeFilter } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { type Ctx, systemCtx } from '../../platform/context.js';
import { customValuesFor } from '../../platform/custom-fields/custom-fields.js';
import { AppError, type FieldError, notFound, versionConflict } from '../../platform/errors.js';
import { containsPattern, keyset, whereAll } from '../../platform/http/pagination.js';
import { defineJob, enqueueJob } from '../../platform/jobs/jobs.js';
import { defineNotificationEvent, notify } from '../../platform/notifications/notify.js';
import { isKnownDivision } from '../org/divisions.js';
import { orgUnits, users } from '../org/schema.js';
import { isVisibleUser } from '../org/users.service.js';
import { placeLead } from './assignment.js';
import { type LeadScoringRules, leadForms, leadRules } from './leads.schema.js';
import { activities, customerSettings, leads, poolEvents } from './schema.js';
import { DEFAULT_SCORING_RULES, scoreLead } from './scoring.js';

const RESOURCE = 'leads';
type LeadRow = typeof leads.$inferSelect;
type LeadFields = z.infer<typeof leadCreate>;

defineNotificationEvent('lead.assigned', {
  title: { 'zh-CN': '新线索：{name}', en: 'New lead: {name}' },
  body: {
    'zh-CN': '线索「{name}」已分配给你，请及时跟进。',
    en: 'The lead "{name}" was assigned to you. Follow it up soon.',
  },
  label: { 'zh-CN': '有线索分配给我', en: 'A lead is assigned to me' },
});

/** The one scope condition on leads: out of scope = not found. */
export const visibleLeads = (ctx: Ctx) =>
  scopeFilter(ctx.actor, RESOURCE, { ownerId: leads.ownerId, orgUnitId: leads.orgUnitId });

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

// Settings the leads read: the source list (customer settings) and the leads' own rules.

const DEFAULT_SOURCES = [
  'campaign',
  'ad',
  'exhibition',
  'referral',
  'website',
  'inbound_call',
  'walk_in',
  'other',
];

export async function leadSources(db: Db): Promise<string[]> {
  const [row] = await db.select({ sources: customerSettings.leadSources }).from(customerSettings);
  return row?.sources ?? DEFAULT_SOURCES;
}

async function rulesRow(db: Db) {
  const [row] = await db.select().from(leadRules).where(eq(leadRules.id, 1));
  if (row) return row;
  const [created] = await db.insert(leadRules).values({ id: 1 }).onConflictDoNothing().returning();
  return created ?? (await db.select().from(leadRules).where(eq(leadRules.id, 1)))[0]!;
}

const scoringOf = (row: { scoring: LeadScoringRules | null }) => row.scoring ?? DEFAULT_SCORING_RULES;

export async function getLeadRules(db: Db) {
  const row = await rulesRow(db);
  return {
    scoring: scoringOf(row),
    capPerRep: row.capPerRep,
    fallbackOrgUnitId: row.fallbackOrgUnitId,
    sources: await leadSources(db),
    version: row.version,
  };
}

const RESCORE_JOB = 'leads.rescore';

/** Rules changed: every open lead gets its score again (in the background, in batches). */
defineJob<{ after?: string }>(RESCORE_JOB, async (_payload, { db }) => {
  const open = await db
    .select({ id: leads.id })
    .from(leads)
    .where(inArray(leads.status, ['new', 'working']));
  for (let i = 0; i < open.length; i += 200) {
    await withTx(db, async (tx) => {
      for (const { id } of open.slice(i, i + 200)) await rescoreLead(tx, id);
    });
  }
});

export async function updateLeadRules(db: Db, ctx: Ctx, input: z.infer<typeof leadRulesUpdate>) {
  const { version, ...changes } = input;
  await withTx(db, async (tx) => {
    const before = await rulesRow(tx);
    if (before.version !== version) throw versionConflict();
    if (changes.fallbackOrgUnitId) await assertActiveUnit(tx, changes.fallbackOrgUnitId, 'fallbackOrgUnitId');
    const [after] = await tx
      .update(leadRules)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${leadRules.version} + 1` })
      .where(and(eq(leadRules.id, 1), eq(leadRules.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'update', entity: 'lead_rules', entityId: '1', before, after });
    if (changes.scoring) await enqueueJob(tx, RESCORE_JOB, {}, { dedupeKey: 'all' });
  });
  return getLeadRules(db);
}

async function assertActiveUnit(db: Db, id: string, field: string) {
  const [unit] = await db
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(and(eq(orgUnits.id, id), isNull(orgUnits.archivedAt)));
  if (!unit) throw new AppError('invalid_reference', { field }, [{ path: field, message: 'invalid' }]);
}

async function activeUserName(db: Db, id: string, field: string): Promise<string> {
  const [u] = await db
    .select({ name: users.name })
    .from(users)
    .where(and(eq(users.id, id), eq(users.status, 'active')));
  if (!u) throw new AppError('invalid_reference', { field }, [{ path: field, message: 'invalid' }]);
  return u.name;
}

// Validation shared by every way a lead is written.

/**
 * The rules the contract cannot check alone: a mobile or an email, known province/city codes
 * (the city inside the province), a source from the configured list. All problems at once.
 */
export async function leadInputErrors(db: Db, lead: Partial<LeadFields>): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (!lead.mobile && !lead.email) {
    errors.push({ path: 'mobile', message: 'mobileOrEmail' }, { path: 'email', message: 'mobileOrEmail' });
  }
  const province = lead.provinceCode;
  if (province && (province.length !== 2 || !isKnownDivision(province))) {
    errors.push({ path: 'provinceCode', message: 'division' });
  }
  const city = lead.cityCode;
  if (city && (city.length < 4 || !isKnownDivision(city) || (province && !city.startsWith(province)))) {
    errors.push({ path: 'cityCode', message: 'division' });
  }
  if (lead.source) {
    const sources = await leadSources(db);
    if (!sources.includes(lead.source)) {
      errors.push({ path: 'source', message: 'oneOf', params: { values: sources.join(', ') } });
    }
  }
  return errors;
}

async function assertLeadInput(db: Db, lead: Partial<LeadFields>) {
  const errors = await leadInputErrors(db, lead);
  if (errors.length) throw new AppError('validation_failed', {}, errors);
}

// Scoring

/** A lead's score by the rules: its own fields plus the follow-ups of the last 30 days. */
export function scoreOf(
  lead: Pick<LeadRow, 'source' | 'needs' | 'intentLevel' | (typeof COMPLETENESS_FIELDS)[number]>,
  rules: LeadScoringRules,
  recentActivities: number,
) {
  return scoreLead(
    {
      source: lead.source,
      needs: lead.needs,
      intentLevel: lead.intentLevel,
      fields: Object.fromEntries(COMPLETENESS_FIELDS.map((f) => [f, lead[f]])),
      recentActivities,
    },
    rules,
  );
}

/**
 * Recomputes a lead's score inside the caller's transaction — the leads service calls it on
 * every change, the activities service when a follow-up on the lead is logged. A lead with a
 * follow-up is being worked: 'new' becomes 'working'.
 */
export async function rescoreLead(
  tx: Db,
  leadId: string,
): Promise<{ score: number; reasons: { rule: string; points: number }[] }> {
  const [lead] = await tx.select().from(leads).where(eq(leads.id, leadId));
  if (!lead) throw notFound();
  const [stats] = await tx
    .select({
      recent: sql<number>`count(*) filter (where ${activities.occurredAt} > now() - interval '30 days')::int`,
      total: sql<number>`count(*)::int`,
    })
    .from(activities)
    .where(eq(activities.leadId, leadId));
  const { score, reasons } = scoreOf(lead, scoringOf(await rulesRow(tx)), stats?.recent ?? 0);
  await tx
    .update(leads)
    .set({
      score,
      scoreReasons: reasons,
      ...(lead.status === 'new' && (stats?.total ?? 0) > 0 ? { status: 'working' as const } : {}),
    })
    .where(eq(leads.id, leadId));
  return { score, reasons };
}

// Reading

function selectLeads(db: Db) {
  return db
    .select({ lead: leads, ownerName: users.name, orgUnitName: orgUnits.name })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.ownerId))
    .innerJoin(orgUnits, eq(orgUnits.id, leads.orgUnitId));
}

function present({
  lead,
  ownerName,
  orgUnitName,
}: {
  lead: LeadRow;
  ownerName: string | null;
  orgUnitName: string;
}) {
  return {
    id: lead.id,
    personName: lead.personName,
    companyName: lead.companyName,
    title: lead.title,
    mobile: lead.mobile,
    email: lead.email,
    wechat: lead.wechat,
    provinceCode: lead.provinceCode,
    cityCode: lead.cityCode,
    source: lead.source,
    awarenessChannel: lead.awarenessChannel,
    campaignId: lead.campaignId,
    needs: lead.needs,
    intentLevel: lead.intentLevel,
    captureChannel: lead.captureChannel,
    captureDetails: lead.captureDetails,
    customFields: lead.customFields,
    score: lead.score,
    scoreReasons: lead.scoreReasons,
    status: lead.status,
    disqualifyReason: lead.disqualifyReason,
    ownerId: lead.ownerId,
    ownerName,
    orgUnitId: lead.orgUnitId,
    orgUnitName,
    lastFollowUpAt: iso(lead.lastFollowUpAt),
    convertedCustomerId: lead.convertedCustomerId,
    convertedContactId: lead.convertedContactId,
    convertedAt: iso(lead.convertedAt),
    duplicateOfId: lead.duplicateOfId,
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
    version: lead.version,
  };
}
export type LeadDto = ReturnType<typeof present>;

export async function getLead(db: Db, ctx: Ctx, id: string): Promise<LeadDto> {
  const [row] = await selectLeads(db).where(whereAll(eq(leads.id, id), visibleLeads(ctx)));
  if (!row) throw notFound();
  return present(row);
}

/**
 * The lead just captured, shown to whoever captured it even when it went to a rep outside
 * their scope (reception logs a walk-in for another team): they typed it in a moment ago.
 */
export async function capturedLead(db: Db, id: string): Promise<LeadDto> {
  const [row] = await selectLeads(db).where(eq(leads.id, id));
  if (!row) throw notFound();
  return present(row);
}

export async function listLeads(db: Db, ctx: Ctx, query: z.infer<typeof leadListQuery>) {
  const sortable = { updatedAt: leads.updatedAt, createdAt: leads.createdAt, score: leads.score };
  const page = keyset(query, sortable, leads.id, '-updatedAt');
  const q = containsPattern(query.q);
  const filter = whereAll(
    visibleLeads(ctx),
    q
      ? or(
          ilike(leads.personName, q),
          ilike(leads.companyName, q),
          ilike(leads.mobile, q),
          ilike(leads.email, q),
          ilike(leads.needs, q),
        )
      : undefined,
    query.status ? eq(leads.status, query.status) : undefined,
    query.source ? eq(leads.source, query.source) : undefined,
    query.ownerId ? eq(leads.ownerId, query.ownerId) : undefined,
    query.unowned ? isNull(leads.ownerId) : undefined,
    query.captureChannel ? eq(leads.captureChannel, query.captureChannel) : undefined,
    query.minScore !== undefined ? gte(leads.score, query.minScore) : undefined,
    query.maxScore !== undefined ? lte(leads.score, query.maxScore) : undefined,
  );
  const rows = await selectLeads(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(leads).where(filter);
  const key = (query.sort ?? '-updatedAt').replace(/^-/, '') as keyof typeof sortable;
  const result = page.page(rows, n, (r) => [r.lead[key], r.lead.id]);
  return { ...result, items: result.items.map(present) };
}

// Capture

export interface Capture {
  fields: LeadFields;
  channel: LeadRow['captureChannel'];
  details?: Record<string, unknown>;
  /** The pool when no territory matches (a web form's unit); else the rules' fallback, the capturer's unit, the company. */
  fallbackUnitId?: string | null;
  /** A walk-in's receiving rep, who keeps the lead when they have room. */
  receivedBy?: string | null;
}

const leadName = (l: {
  personName: string | null;
  companyName: string | null;
  mobile: string | null;
  email: string | null;
}) =>
  l.companyName && l.personName
    ? `${l.personName}（${l.companyName}）`
    : (l.personName ?? l.companyName ?? l.mobile ?? l.email ?? '');

async function companyUnitId(db: Db): Promise<string> {
  const [root] = await db.select({ id: orgUnits.id }).from(orgUnits).where(isNull(orgUnits.parentId));
  if (!root) throw new AppError('setup_required');
  return root.id;
}

async function assignedTo(
  tx: Db,
  ctx: Ctx,
  lead: LeadRow,
  ownerId: string,
  reason: 'territory' | 'manual' | 'received_by' | 'returning',
) {
  await tx.insert(poolEvents).values({
    entity: 'lead',
    entityId: lead.id,
    action: 'assign',
    userId: ownerId,
    actorId: ctx.actor?.userId ?? null,
    reason,
    // clock_timestamp, not now(): round robin orders by it, and an import assigns many leads in one transaction.
    at: sql`clock_timestamp()`,
  });
  if (ownerId === ctx.actor?.userId) return;
  await notify(tx, {
    userIds: [ownerId],
    event: 'lead.assigned',
    params: { name: leadName(lead) },
    link: `/leads/${lead.id}`,
    entity: 'lead',
    entityId: lead.id,
  });
}

/**
 * The first open lead (new or working) of the same mobile or email, if any: a person who calls
 * again or walks in twice is one inquiry worked by one rep, not two leads racing each other.
 */
async function earlierOpenLead(
  tx: Db,
  fields: { mobile?: string | null | undefined; email?: string | null | undefined },
): Promise<{ id: string; ownerId: string | null } | undefined> {
  const same = [
    fields.mobile ? eq(leads.mobile, fields.mobile) : undefined,
    fields.email ? sql`lower(${leads.email}) = ${fields.email.toLowerCase()}` : undefined,
  ].filter((c) => c !== undefined);
  if (!same.length) return undefined;
  const [row] = await tx
    .select({ id: leads.id, ownerId: leads.ownerId })
    .from(leads)
    .where(and(inArray(leads.status, ['new', 'working']), or(...same)))
    .orderBy(asc(leads.createdAt))
    .limit(1);
  return row;
}

/** Creates a lead from any channel, places it by territory and scores it; one transaction. */
export async function captureLead(db: Db, ctx: Ctx, capture: Capture): Promise<LeadRow> {
  const fields = { ...capture.fields };
  if (!fields.provinceCode && fields.cityCode && fields.cityCode.length >= 4) {
    fields.provinceCode = fields.cityCode.slice(0, 2);
  }
  return withTx(db, async (tx) => {
    await assertLeadInput(tx, fields);
    fields.customFields = await customValuesFor(tx, 'lead', fields.customFields);
    const rules = await rulesRow(tx);
    const earlier = await earlierOpenLead(tx, fields);
    const fallbackUnitId =
      capture.fallbackUnitId ?? rules.fallbackOrgUnitId ?? ctx.actor?.orgUnitId ?? (await companyUnitId(tx));
    const placement = await placeLead(
      tx,
      { provinceCode: fields.provinceCode ?? null, cityCode: fields.cityCode ?? null },
      {
        cap: rules.capPerRep,
        fallbackUnitId,
        capturedBy: ctx.actor?.userId,
        receivedBy: capture.receivedBy,
        workedBy: earlier?.ownerId,
      },
    );
    const [inserted] = await tx
      .insert(leads)
      .values({
        ...fields,
        captureChannel: capture.channel,
        captureDetails: capture.details ?? {},
        ownerId: placement.ownerId,
        orgUnitId: placement.orgUnitId,
        pooledAt: placement.ownerId ? null : sql`now()`,
        duplicateOfId: earlier?.id ?? null,
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    const lead = inserted!;
    const { score, reasons } = scoreOf(lead, scoringOf(rules), 0);
    const [scored] = await tx
      .update(leads)
      .set({ score, scoreReasons: reasons })
      .where(eq(leads.id, lead.id))
      .returning();
    await recordAudit(tx, ctx, { action: 'create', entity: 'lead', entityId: lead.id, after: scored! });
    const { reason } = placement;
    if (placement.ownerId && (reason === 'territory' || reason === 'received_by' || reason === 'returning')) {
      await assignedTo(tx, ctx, scored!, placement.ownerId, reason);
    }
    return scored!;
  });
}

export const createLead = (db: Db, ctx: Ctx, input: LeadFields) =>
  captureLead(db, ctx, { fields: input, channel: 'form' });

/** 来电登记表 → a lead captured by phone; the form itself is kept in capture_details. */
export async function logInboundCall(db: Db, ctx: Ctx, input: z.infer<typeof callLogCreate>) {
  const answeredById = input.answeredById ?? ctx.actor?.userId ?? null;
  const answeredBy = answeredById ? await activeUserName(db, answeredById, 'answeredById') : null;
  return captureLead(db, ctx, {
    channel: 'phone',
    fields: {
      personName: input.callerName,
      companyName: input.companyName ?? null,
      mobile: input.mobile ?? null,
      email: input.email ?? null,
      provinceCode: input.provinceCode ?? null,
      cityCode: input.cityCode ?? null,
      source: input.source ?? 'inbound_call',
      needs: input.asked,
      intentLevel: input.intentLevel ?? null,
    },
    details: {
      calledAt: input.calledAt,
      callerName: input.callerName,
      number: input.mobile ?? null,
      asked: input.asked,
      answeredById,
      answeredBy,
      nextStep: input.nextStep ?? null,
    },
  });
}

/** 来访客户登记表 → a lead captured at reception; the form itself is kept in capture_details. */
export async function logWalkIn(db: Db, ctx: Ctx, input: z.infer<typeof walkInCreate>) {
  const receivingRep = input.receivingRepId
    ? await activeUserName(db, input.receivingRepId, 'receivingRepId')
    : null;
  return captureLead(db, ctx, {
    channel: 'walk_in',
    receivedBy: input.receivingRepId ?? null,
    fields: {
      personName: input.personName,
      mobile: input.mobile ?? null,
      email: input.email ?? null,
      provinceCode: input.provinceCode ?? null,
      cityCode: input.cityCode ?? null,
      source: input.source ?? 'walk_in',
      needs: input.interest,
      intentLevel: input.intentLevel ?? null,
    },
    details: {
      visitedAt: input.visitedAt,
      partySize: input.partySize,
      homeArea: input.homeArea ?? null,
      occupation: input.occupation ?? null,
      ageBand: input.ageBand ?? null,
      interest: input.interest,
      receivingRepId: input.receivingRepId ?? null,
      receivingRep,
    },
  });
}

// Web-to-lead

/**
 * A website's post: the form's token decides source and pool. A filled honeypot (`website`)
 * is a bot: answered like a success, nothing stored. Returns whether a lead was created.
 */
export async function captureWebLead(
  db: Db,
  requestId: string,
  token: string,
  body: z.infer<typeof webLeadBody>,
  ip: string,
): Promise<boolean> {
  const [form] = await db
    .select()
    .from(leadForms)
    .where(and(eq(leadForms.token, token), eq(leadForms.active, true)));
  if (!form) throw notFound();
  if (body.website?.trim()) return false;
  const ctx = { ...systemCtx(requestId), ip };
  await captureLead(db, ctx, {
    channel: 'web',
    fields: {
      personName: body.name ?? null,
      companyName: body.company ?? null,
      mobile: body.mobile ?? null,
      email: body.email ?? null,
      wechat: body.wechat ?? null,
      provinceCode: body.provinceCode ?? null,
      cityCode: body.cityCode ?? null,
      needs: body.message ?? null,
      source: form.source,
    },
    details: { formId: form.id, formName: form.name, ip },
    fallbackUnitId: form.orgUnitId,
  });
  return true;
}

const presentForm = (f: typeof leadForms.$inferSelect) => ({
  id: f.id,
  name: f.name,
  token: f.token,
  source: f.source,
  orgUnitId: f.orgUnitId,
  active: f.active,
  createdAt: f.createdAt.toISOString(),
  version: f.version,
});

const newToken = () => randomBytes(18).toString('base64url');

export async function listLeadForms(db: Db) {
  const rows = await db.select().from(leadForms).orderBy(leadForms.createdAt);
  return { items: rows.map(presentForm) };
}

async function assertFormRefs(db: Db, input: { source?: string; orgUnitId?: string | null | undefined }) {
  if (input.source) {
    const sources = await leadSources(db);
    if (!sources.includes(input.source)) {
      throw new AppError('validation_failed', {}, [
        { path: 'source', message: 'oneOf', params: { values: sources.join(', ') } },
      ]);
    }
  }
  if (input.orgUnitId) await assertActiveUnit(db, input.orgUnitId, 'orgUnitId');
}

export async function createLeadForm(db: Db, ctx: Ctx, input: z.infer<typeof leadFormCreate>) {
  return withTx(db, async (tx) => {
    await assertFormRefs(tx, input);
    const [form] = await tx
      .insert(leadForms)
      .values({ ...input, token: newToken(), createdBy: ctx.actor?.userId ?? null })
      .returning();
    await recordAudit(tx, ctx, { action: 'create', entity: 'lead_form', entityId: form!.id, after: form! });
    return presentForm(form!);
  });
}

export async function updateLeadForm(db: Db, ctx: Ctx, id: string, input: z.infer<typeof leadFormUpdate>) {
  const { version, regenerateToken, ...changes } = input;
  return withTx(db, async (tx) => {
    const [before] = await tx.select().from(leadForms).where(eq(leadForms.id, id));
    if (!before) throw notFound();
    if (before.version !== version) throw versionConflict();
    await assertFormRefs(tx, changes);
    const [after] = await tx
      .update(leadForms)
      .set({
        ...changes,
        ...(regenerateToken ? { token: newToken() } : {}),
        updatedAt: sql`now()`,
        version: sql`${leadForms.version} + 1`,
      })
      .where(and(eq(leadForms.id, id), eq(leadForms.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'update', entity: 'lead_form', entityId: id, before, after });
    return presentForm(after);
  });
}

// Changing a lead

/** The lead, locked, if the actor's scope covers it; otherwise "not found". */
export async function lockVisibleLead(tx: Db, ctx: Ctx, id: string): Promise<LeadRow> {
  const [lead] = await tx
    .select()
    .from(leads)
    .where(whereAll(eq(leads.id, id), visibleLeads(ctx)))
    .for('update');
  if (!lead) throw notFound();
  return lead;
}

function assertOpen(lead: LeadRow) {
  if (lead.status === 'converted' || lead.status === 'disqualified') {
    throw new AppError('lead_closed', { state: lead.status });
  }
}

export async function updateLead(db: Db, ctx: Ctx, id: string, input: z.infer<typeof leadUpdate>) {
  const { version, ...changes } = input;
  await withTx(db, async (tx) => {
    const before = await lockVisibleLead(tx, ctx, id);
    if (before.version !== version) throw versionConflict();
    assertOpen(before);
    if (changes.cityCode && changes.provinceCode === undefined && !before.provinceCode) {
      changes.provinceCode = changes.cityCode.slice(0, 2);
    }
    await assertLeadInput(tx, {
      mobile: changes.mobile === undefined ? before.mobile : changes.mobile,
      email: changes.email === undefined ? before.email : changes.email,
      provinceCode: changes.provinceCode === undefined ? before.provinceCode : changes.provinceCode,
      cityCode: changes.cityCode === undefined ? before.cityCode : changes.cityCode,
      ...(changes.source ? { source: changes.source } : {}),
    });
    if (changes.customFields !== undefined) {
      changes.customFields = await customValuesFor(tx, 'lead', changes.customFields, before.customFields);
    }
    await tx
      .update(leads)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${leads.version} + 1` })
      .where(eq(leads.id, id));
    await rescoreLead(tx, id);
    const [after] = await tx.select().from(leads).where(eq(leads.id, id));
    await recordAudit(tx, ctx, { action: 'update', entity: 'lead', entityId: id, before, after: after! });
  });
  return getLead(db, ctx, id);
}

export async function disqualifyLead(db: Db, ctx: Ctx, id: string, input: z.infer<typeof leadDisqualify>) {
  await withTx(db, async (tx) => {
    const before = await lockVisibleLead(tx, ctx, id);
    if (before.version !== input.version) throw versionConflict();
    assertOpen(before);
    const [after] = await tx
      .update(leads)
      .set({
        status: 'disqualified',
        disqualifyReason: input.reason,
        updatedAt: sql`now()`,
        version: sql`${leads.version} + 1`,
      })
      .where(eq(leads.id, id))
      .returning();
    await recordAudit(tx, ctx, { action: 'disqualify', entity: 'lead', entityId: id, before, after: after! });
  });
  return getLead(db, ctx, id);
}

/** Manual assign or reassign: to an active user the actor can see; the new owner is notified. */
export async function assignLead(db: Db, ctx: Ctx, id: string, input: z.infer<typeof leadAssign>) {
  await withTx(db, async (tx) => {
    const before = await lockVisibleLead(tx, ctx, id);
    if (before.version !== input.version) throw versionConflict();
    assertOpen(before);
    const [owner] = await tx
      .select({ id: users.id, orgUnitId: users.orgUnitId })
      .from(users)
      .where(and(eq(users.id, input.ownerId), eq(users.status, 'active')));
    if (!owner || !(await isVisibleUser(tx, ctx, owner.id))) {
      throw new AppError('invalid_reference', { field: 'ownerId' }, [
        { path: 'ownerId', message: 'invalid' },
      ]);
    }
    if (before.ownerId === owner.id) return;
    const [after] = await tx
      .update(leads)
      .set({
        ownerId: owner.id,
        orgUnitId: owner.orgUnitId,
        pooledAt: null,
        updatedAt: sql`now()`,
        version: sql`${leads.version} + 1`,
      })
      .where(eq(leads.id, id))
      .returning();
    await recordAudit(tx, ctx, { action: 'assign', entity: 'lead', entityId: id, before, after: after! });
    await assignedTo(tx, ctx, after!, owner.id, 'manual');
  });
  return getLead(db, ctx, id);
}

export { leadName };
