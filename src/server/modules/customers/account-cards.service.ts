import { aliasedTable, and, count, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  accountPlanSave,
  accountReviewComment,
  accountReviewCreate,
  accountReviewUpdate,
  missingReviewQuery,
} from '../../../contracts/account-cards.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { scopeOf } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, invalidField, notFound, versionConflict } from '../../platform/errors.js';
import { keyset, whereAll } from '../../platform/http/pagination.js';
import { companyTimeZone } from '../../platform/settings/settings.service.js';
import { orgUnits, users } from '../org/schema.js';
import { monthOf, overallRating, type ReviewScores } from './account-cards.js';
import { accountPlans, accountReviews } from './account-cards.schema.js';
import { findLiveCustomer, isVisibleCustomer, visibleCustomers } from './customers.service.js';
import { customerColumnStep, defineCustomerMergeStep } from './merge-steps.js';
import { contacts, customers } from './schema.js';

// Account plan (客户策略卡) and monthly review (客户月评卡): cards on a customer. They borrow the
// customer's permissions and data scope like contacts do: whoever sees the customer reads its
// cards (customers.read), whoever may change it writes them (customers.update); the manager's
// comment on a review needs a customers scope that covers the customer through the org tree.

type PlanRow = typeof accountPlans.$inferSelect;
type ReviewRow = typeof accountReviews.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

// Account plan

async function presentPlan(db: Db, p: PlanRow) {
  const people = p.decisionMakerIds.length
    ? await db
        .select({ id: contacts.id, name: contacts.name, title: contacts.title })
        .from(contacts)
        .where(inArray(contacts.id, p.decisionMakerIds))
    : [];
  const [editor] = p.updatedBy
    ? await db.select({ name: users.name }).from(users).where(eq(users.id, p.updatedBy))
    : [];
  return {
    id: p.id,
    customerId: p.customerId,
    relationshipGoals: p.relationshipGoals,
    annualTarget: p.annualTarget === null ? null : Number(p.annualTarget),
    productFocus: p.productFocus,
    decisionMakers: p.decisionMakerIds.flatMap((id) => people.filter((c) => c.id === id)),
    strategy: p.strategy,
    creditRisk: p.creditRisk,
    capabilityRisk: p.capabilityRisk,
    priceRisk: p.priceRisk,
    supportNeeded: p.supportNeeded,
    reviewDate: p.reviewDate,
    updatedBy: p.updatedBy,
    updatedByName: editor?.name ?? null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    version: p.version,
  };
}

export async function getAccountPlan(db: Db, ctx: Ctx, customerId: string) {
  if (!(await isVisibleCustomer(db, ctx, customerId))) throw notFound();
  const [plan] = await db.select().from(accountPlans).where(eq(accountPlans.customerId, customerId));
  return { plan: plan ? await presentPlan(db, plan) : null };
}

/** Key decision makers are live contacts of the same customer; anything else is refused. */
async function assertDecisionMakers(tx: Db, customerId: string, ids: string[]) {
  const unique = [...new Set(ids)];
  if (!unique.length) return unique;
  const found = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(
      and(inArray(contacts.id, unique), eq(contacts.customerId, customerId), isNull(contacts.archivedAt)),
    );
  const known = new Set(found.map((f) => f.id));
  const stranger = unique.find((id) => !known.has(id));
  if (stranger) {
    throw new AppError('invalid_reference', { field: 'decisionMakerIds' }, [
      { path: `decisionMakerIds.${ids.indexOf(stranger)}`, message: 'invalid' },
    ]);
  }
  return unique;
}

/**
 * Creates the customer's plan (no `version`) or updates the current one (its `version`; stale or
 * missing → 409). Only the fields given change; the audit trail keeps every earlier text.
 */
export async function saveAccountPlan(
  db: Db,
  ctx: Ctx,
  customerId: string,
  input: z.infer<typeof accountPlanSave>,
) {
  const { version, decisionMakerIds, annualTarget, ...texts } = input;
  const planId = await withTx(db, async (tx) => {
    await findLiveCustomer(tx, ctx, customerId);
    const makers =
      decisionMakerIds === undefined
        ? undefined
        : await assertDecisionMakers(tx, customerId, decisionMakerIds);
    const fields = {
      ...Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, v === '' ? null : v])),
      ...(makers !== undefined ? { decisionMakerIds: makers } : {}),
      ...(annualTarget !== undefined
        ? { annualTarget: annualTarget === null ? null : BigInt(annualTarget) }
        : {}),
      updatedBy: ctx.actor?.userId ?? null,
    };
    const [before] = await tx
      .select()
      .from(accountPlans)
      .where(eq(accountPlans.customerId, customerId))
      .for('update');
    if (!before) {
      if (version !== undefined) throw versionConflict();
      const [created] = await tx
        .insert(accountPlans)
        .values({ customerId, ...fields, createdBy: ctx.actor?.userId ?? null })
        .onConflictDoNothing()
        .returning();
      // Someone else created the plan a moment ago: reload and edit theirs.
      if (!created) throw versionConflict();
      await recordAudit(tx, ctx, {
        action: 'create',
        entity: 'account_plan',
        entityId: created.id,
        after: created,
      });
      return created.id;
    }
    if (version !== before.version) throw versionConflict();
    const [after] = await tx
      .update(accountPlans)
      .set({ ...fields, updatedAt: sql`now()`, version: sql`${accountPlans.version} + 1` })
      .where(and(eq(accountPlans.id, before.id), eq(accountPlans.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'account_plan',
      entityId: before.id,
      before,
      after,
    });
    return before.id;
  });
  const [plan] = await db.select().from(accountPlans).where(eq(accountPlans.id, planId));
  return presentPlan(db, plan!);
}

// Monthly reviews

const reviewer = aliasedTable(users, 'reviewer');
const commenter = aliasedTable(users, 'commenter');

function selectReviews(db: Db) {
  return db
    .select({ review: accountReviews, reviewerName: reviewer.name, commenterName: commenter.name })
    .from(accountReviews)
    .leftJoin(reviewer, eq(reviewer.id, accountReviews.reviewerId))
    .leftJoin(commenter, eq(commenter.id, accountReviews.managerCommentBy));
}

type ReviewSelect = { review: ReviewRow; reviewerName: string | null; commenterName: string | null };

function presentReview({ review: r, reviewerName, commenterName }: ReviewSelect) {
  return {
    id: r.id,
    customerId: r.customerId,
    month: r.month,
    scores: {
      enthusiasm: r.scoreEnthusiasm,
      sales: r.scoreSales,
      payment: r.scorePayment,
      priceDiscipline: r.scorePriceDiscipline,
      capability: r.scoreCapability,
    },
    overall: Number(r.overall),
    summary: r.summary,
    issues: r.issues,
    nextActions: r.nextActions,
    reviewerId: r.reviewerId,
    reviewerName,
    managerComment: r.managerComment,
    managerCommentBy: r.managerCommentBy,
    managerCommentByName: commenterName,
    managerCommentAt: iso(r.managerCommentAt),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    version: r.version,
  };
}

async function reviewView(db: Db, id: string) {
  const [row] = await selectReviews(db).where(eq(accountReviews.id, id));
  return presentReview(row!);
}

const scoreColumns = (s: ReviewScores) => ({
  scoreEnthusiasm: s.enthusiasm,
  scoreSales: s.sales,
  scorePayment: s.payment,
  scorePriceDiscipline: s.priceDiscipline,
  scoreCapability: s.capability,
  overall: overallRating(s).toFixed(1),
});

const blank = (v: string | null | undefined) => (v === undefined ? undefined : v || null);

/** A customer's monthly reviews, latest month first. */
export async function listAccountReviews(db: Db, ctx: Ctx, customerId: string) {
  if (!(await isVisibleCustomer(db, ctx, customerId))) throw notFound();
  const rows = await selectReviews(db)
    .where(eq(accountReviews.customerId, customerId))
    .orderBy(sql`${accountReviews.month} desc`);
  return { items: rows.map(presentReview) };
}

/** Writes the month's review; the author is the reviewer. One per customer and month; no future months. */
export async function createAccountReview(
  db: Db,
  ctx: Ctx,
  customerId: string,
  input: z.infer<typeof accountReviewCreate>,
) {
  const actor = ctx.actor;
  if (!actor) throw new AppError('forbidden');
  const thisMonth = monthOf(new Date(), await companyTimeZone(db));
  if (input.month > thisMonth) throw invalidField('month', 'tooBig', { n: thisMonth });
  const id = await withTx(db, async (tx) => {
    await findLiveCustomer(tx, ctx, customerId);
    const [created] = await tx
      .insert(accountReviews)
      .values({
        customerId,
        month: input.month,
        ...scoreColumns(input.scores),
        summary: blank(input.summary) ?? null,
        issues: blank(input.issues) ?? null,
        nextActions: blank(input.nextActions) ?? null,
        reviewerId: actor.userId,
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!created) throw new AppError('account_review_exists', { month: input.month });
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'account_review',
      entityId: created.id,
      after: created,
    });
    return created.id;
  });
  return reviewView(db, id);
}

async function findReview(tx: Db, customerId: string, reviewId: string) {
  const [row] = await tx
    .select()
    .from(accountReviews)
    .where(and(eq(accountReviews.id, reviewId), eq(accountReviews.customerId, customerId)))
    .for('update');
  if (!row) throw notFound();
  return row;
}

/** Corrects a review's scores or texts (whoever may change the customer); the reviewer stays the author. */
export async function updateAccountReview(
  db: Db,
  ctx: Ctx,
  customerId: string,
  reviewId: string,
  input: z.infer<typeof accountReviewUpdate>,
) {
  const { version, scores, ...texts } = input;
  await withTx(db, async (tx) => {
    await findLiveCustomer(tx, ctx, customerId);
    const before = await findReview(tx, customerId, reviewId);
    if (before.version !== version) throw versionConflict();
    const [after] = await tx
      .update(accountReviews)
      .set({
        ...(scores ? scoreColumns(scores) : {}),
        ...Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, blank(v)])),
        updatedAt: sql`now()`,
        version: sql`${accountReviews.version} + 1`,
      })
      .where(and(eq(accountReviews.id, reviewId), eq(accountReviews.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'account_review',
      entityId: reviewId,
      before,
      after,
    });
  });
  return reviewView(db, reviewId);
}

/**
 * Whether the actor manages the customer: a customers scope of `all`, or `team` with the customer
 * in the actor's part of the org tree (a rep's own customers, or a collaboration, do not count).
 */
async function managesCustomer(tx: Db, ctx: Ctx, customerId: string) {
  const actor = ctx.actor;
  if (!actor) return true;
  const scope = scopeOf(actor, 'customers');
  if (scope === 'all') return true;
  if (scope !== 'team') return false;
  const [row] = await tx
    .select({ id: customers.id })
    .from(customers)
    .innerJoin(orgUnits, eq(orgUnits.id, customers.orgUnitId))
    .where(and(eq(customers.id, customerId), sql`${orgUnits.path} like ${`${actor.orgPath}%`}`));
  return !!row;
}

/** The manager's comment on a review (主管点评), by a manager whose scope covers the customer. */
export async function commentAccountReview(
  db: Db,
  ctx: Ctx,
  customerId: string,
  reviewId: string,
  input: z.infer<typeof accountReviewComment>,
) {
  await withTx(db, async (tx) => {
    await findLiveCustomer(tx, ctx, customerId);
    if (!(await managesCustomer(tx, ctx, customerId))) throw new AppError('account_review_manager_only');
    const before = await findReview(tx, customerId, reviewId);
    if (before.version !== input.version) throw versionConflict();
    const [after] = await tx
      .update(accountReviews)
      .set({
        managerComment: input.comment,
        managerCommentBy: ctx.actor?.userId ?? null,
        managerCommentAt: sql`now()`,
        updatedAt: sql`now()`,
        version: sql`${accountReviews.version} + 1`,
      })
      .where(and(eq(accountReviews.id, reviewId), eq(accountReviews.version, input.version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: 'comment',
      entity: 'account_review',
      entityId: reviewId,
      before,
      after,
    });
  });
  return reviewView(db, reviewId);
}

/**
 * A and B customers with an owner, in the actor's customers scope (a manager: the team's), that
 * have no review for the month (default: this month in the company's time zone), by name.
 */
export async function listMissingReviews(db: Db, ctx: Ctx, query: z.infer<typeof missingReviewQuery>) {
  const month = query.month ?? monthOf(new Date(), await companyTimeZone(db));
  const page = keyset(query, { name: customers.name }, customers.id, 'name');
  const filter = whereAll(
    isNull(customers.mergedIntoId),
    isNotNull(customers.ownerId),
    inArray(customers.grade, ['A', 'B']),
    visibleCustomers(ctx),
    query.ownerId ? eq(customers.ownerId, query.ownerId) : undefined,
    sql`not exists (select 1 from ${accountReviews} where ${accountReviews.customerId} = ${customers.id} and ${accountReviews.month} = ${month})`,
  );
  const rows = await db
    .select({
      customer: customers,
      ownerName: users.name,
      orgUnitName: orgUnits.name,
      lastReviewMonth: sql<
        string | null
      >`(select max(${accountReviews.month}) from ${accountReviews} where ${accountReviews.customerId} = ${customers.id})`,
    })
    .from(customers)
    .innerJoin(users, eq(users.id, customers.ownerId))
    .innerJoin(orgUnits, eq(orgUnits.id, customers.orgUnitId))
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(customers).where(filter);
  const result = page.page(rows, n, (r) => [r.customer.name, r.customer.id]);
  return {
    month,
    ...result,
    items: result.items.map((r) => ({
      customerId: r.customer.id,
      name: r.customer.name,
      grade: r.customer.grade as 'A' | 'B',
      ownerId: r.customer.ownerId!,
      ownerName: r.ownerName,
      orgUnitName: r.orgUnitName,
      lastReviewMonth: r.lastReviewMonth ?? null,
    })),
  };
}

// A merged customer's cards go to the survivor, except where the survivor has its own: its
// account plan, or its review of the same month (those stay with the merged record).
defineCustomerMergeStep(
  'accountPlans',
  customerColumnStep(
    accountPlans,
    'customerId',
    'updatedAt',
    (survivorId) => sql`exists (select 1 from ${accountPlans} p where p.customer_id = ${survivorId})`,
  ),
);
defineCustomerMergeStep(
  'accountReviews',
  customerColumnStep(
    accountReviews,
    'customerId',
    'updatedAt',
    (survivorId) =>
      sql`${accountReviews.month} in (select r.month from ${accountReviews} r where r.customer_id = ${survivorId})`,
  ),
);
