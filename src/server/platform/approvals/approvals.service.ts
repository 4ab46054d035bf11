import {
  and,
  arrayOverlaps,
  count,
  desc,
  eq,
  exists,
  gt,
  inArray,
  isNull,
  lte,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { z } from 'zod';
import type { approvalAction, approvalQuery } from '../../../contracts/approvals.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { users } from '../../modules/org/schema.js';
import { recordAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { AppError, invalidField, notFound } from '../errors.js';
import { keyset, whereAll } from '../http/pagination.js';
import { notify } from '../notifications/notify.js';
import { nextNumber } from '../numbering/numbering.js';
import './definitions.js';
import { type Facts, selectRule } from './policy.js';
import { type ApprovalOutcome, approvalType } from './registry.js';
import { loadSubmitter, resolveApprovers } from './resolve.js';
import {
  approvalDelegations,
  approvalPolicies,
  approvalRequests,
  approvalSteps,
  approvalVotes,
  type StepStatus,
  type VoteDecision,
} from './schema.js';

type RequestRow = typeof approvalRequests.$inferSelect;
type StepRow = typeof approvalSteps.$inferSelect;
type VoteRow = typeof approvalVotes.$inferSelect;

export interface SubmitInput {
  docType: string;
  docId: string;
  /** What the approver sees in the inbox, e.g. "报价 Q-2026-000123 · 上海某某公司 · ¥120,000". */
  title: string;
  /** The document's page in the app. */
  link?: string;
  facts: Facts;
  /** Whom the document is addressed to: the approver of `addressee` steps (e.g. who signs a target agreement). */
  addresseeId?: string;
}

function actorOf(ctx: Ctx) {
  if (!ctx.actor) throw new AppError('unauthenticated');
  return ctx.actor;
}

/** A delegation that is in force right now. */
const inForce = () =>
  and(
    isNull(approvalDelegations.cancelledAt),
    lte(approvalDelegations.startsAt, sql`now()`),
    gt(approvalDelegations.endsAt, sql`now()`),
  );

/** Users whose approvals `userId` may decide right now, by an active delegation. */
export async function delegatorsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: approvalDelegations.userId })
    .from(approvalDelegations)
    .where(and(eq(approvalDelegations.delegateId, userId), inForce()));
  return rows.map((r) => r.userId);
}

/** Approvers plus whoever stands in for them today: the people to tell about a pending step. */
export async function withDelegates(db: Db, approverIds: string[]): Promise<string[]> {
  if (!approverIds.length) return [];
  const rows = await db
    .select({ delegateId: approvalDelegations.delegateId })
    .from(approvalDelegations)
    .where(and(inArray(approvalDelegations.userId, approverIds), inForce()));
  return [...new Set([...approverIds, ...rows.map((r) => r.delegateId)])];
}

const requestLink = (id: string) => `/approvals/${id}`;

async function tell(
  tx: Db,
  request: RequestRow,
  event: string,
  userIds: string[],
  extra: Record<string, string> = {},
) {
  await notify(tx, {
    userIds,
    event,
    params: { number: request.number, title: request.title, ...extra },
    link: requestLink(request.id),
    entity: 'approval_request',
    entityId: request.id,
  });
}

async function decide(tx: Db, ctx: Ctx, request: RequestRow, outcome: ApprovalOutcome, comment?: string) {
  const type = approvalType(request.docType);
  if (!type) throw new Error(`Approval type ${request.docType} is not registered`);
  await type.onDecision(tx, ctx, { requestId: request.id, docId: request.docId, outcome, comment });
}

/**
 * Sends a document into approval, inside the document module's own transaction. The policy's
 * first matching rule gives the steps; with no policy or no matching rule the document is
 * approved at once. Either way the type's onDecision hook learns the outcome.
 */
export async function submitForApproval(tx: Db, ctx: Ctx, input: SubmitInput) {
  const actor = actorOf(ctx);
  const type = approvalType(input.docType);
  if (!type) throw new Error(`Approval type ${input.docType} is not registered`);
  const [open] = await tx
    .select({ id: approvalRequests.id })
    .from(approvalRequests)
    .where(
      and(
        eq(approvalRequests.docType, input.docType),
        eq(approvalRequests.docId, input.docId),
        eq(approvalRequests.status, 'pending'),
      ),
    );
  if (open) throw new AppError('approval_pending');

  const [policy] = await tx
    .select()
    .from(approvalPolicies)
    .where(eq(approvalPolicies.docType, input.docType));
  // No saved policy yet: the type's default applies.
  const rules = policy ? (policy.active ? policy.rules : []) : (type.defaultRules ?? []);
  const rule = selectRule(rules, input.facts);
  if (!rule) {
    await type.onDecision(tx, ctx, { requestId: null, docId: input.docId, outcome: 'approved' });
    return { status: 'approved' as const, requestId: null };
  }

  const submitter = await loadSubmitter(tx, actor.userId);
  const planned: { name: string; mode: 'any' | 'all'; approverIds: string[]; status: StepStatus }[] = [];
  for (const step of rule.steps) {
    const approverIds = await resolveApprovers(tx, submitter, step.approver, input.addresseeId);
    if (!approverIds.length && !step.skipIfNone)
      throw new AppError('approval_no_approver', { step: step.name });
    planned.push({
      name: step.name,
      mode: step.mode,
      approverIds,
      status: approverIds.length ? 'waiting' : 'skipped',
    });
  }
  const first = planned.findIndex((s) => s.status === 'waiting');
  if (first >= 0) (planned[first] as { status: StepStatus }).status = 'pending';

  const [request] = await tx
    .insert(approvalRequests)
    .values({
      number: await nextNumber(tx, 'approval'),
      docType: input.docType,
      docId: input.docId,
      title: input.title,
      link: input.link ?? null,
      submitterId: actor.userId,
      facts: input.facts,
      ruleName: rule.name,
      status: first >= 0 ? 'pending' : 'approved',
      currentStep: first >= 0 ? first + 1 : null,
      decidedAt: first >= 0 ? null : new Date(),
      createdBy: actor.userId,
    })
    .returning();
  if (!request) throw new Error('approval request not created');
  await tx.insert(approvalSteps).values(
    planned.map((s, i) => ({
      requestId: request.id,
      seq: i + 1,
      name: s.name,
      mode: s.mode,
      approverIds: s.approverIds,
      status: s.status,
      activatedAt: s.status === 'pending' ? new Date() : null,
    })),
  );
  await recordAudit(tx, ctx, {
    action: 'submit',
    entity: 'approval_request',
    entityId: request.id,
    after: request,
  });

  if (first < 0) {
    await decide(tx, ctx, request, 'approved');
    return { status: 'approved' as const, requestId: request.id };
  }
  const pending = planned[first] as { approverIds: string[] };
  await tell(tx, request, 'approval.requested', await withDelegates(tx, pending.approverIds), {
    submitter: actor.name,
  });
  return { status: 'pending' as const, requestId: request.id };
}

async function lockRequest(tx: Db, id: string): Promise<RequestRow> {
  const [request] = await tx.select().from(approvalRequests).where(eq(approvalRequests.id, id)).for('update');
  if (!request) throw notFound();
  return request;
}

async function stepsOf(db: Db, requestId: string): Promise<StepRow[]> {
  return db
    .select()
    .from(approvalSteps)
    .where(eq(approvalSteps.requestId, requestId))
    .orderBy(approvalSteps.seq);
}

async function isParticipant(
  db: Db,
  userId: string,
  request: RequestRow,
  steps: StepRow[],
): Promise<boolean> {
  if (request.submitterId === userId) return true;
  const delegators = await delegatorsOf(db, userId);
  const me = [userId, ...delegators];
  if (steps.some((s) => s.approverIds.some((a) => me.includes(a)))) return true;
  // A delegate who decided keeps seeing what they decided after the delegation ends.
  const [voted] = await db
    .select({ id: approvalVotes.id })
    .from(approvalVotes)
    .where(and(eq(approvalVotes.requestId, request.id), eq(approvalVotes.userId, userId)))
    .limit(1);
  return !!voted;
}

async function votesOf(db: Db, stepIds: string[]): Promise<VoteRow[]> {
  if (!stepIds.length) return [];
  return db
    .select()
    .from(approvalVotes)
    .where(inArray(approvalVotes.stepId, stepIds))
    .orderBy(approvalVotes.at, approvalVotes.id);
}

/** The approvers of a step who have not decided yet. */
const undecided = (step: StepRow, votes: VoteRow[]) => {
  const decided = new Set(votes.filter((v) => v.stepId === step.id).map((v) => v.forUserId));
  return step.approverIds.filter((a) => !decided.has(a));
};

async function canSee(db: Db, ctx: Ctx, request: RequestRow, steps: StepRow[]): Promise<boolean> {
  const actor = actorOf(ctx);
  if (actor.permissions.has('approvals.read')) return true;
  if (await isParticipant(db, actor.userId, request, steps)) return true;
  const type = approvalType(request.docType);
  return !!type?.canView && (await type.canView(db, ctx, request.docId));
}

const CLOSING: Record<'approve' | 'reject' | 'return', StepStatus> = {
  approve: 'approved',
  reject: 'rejected',
  return: 'returned',
};

/**
 * An approver (or their delegate) decides the pending step. Approve moves to the next step or
 * finishes; reject and return (for changes) end the request and need a comment.
 */
export async function actOnApproval(
  db: Db,
  ctx: Ctx,
  id: string,
  kind: 'approve' | 'reject' | 'return',
  input: z.infer<typeof approvalAction>,
) {
  const actor = actorOf(ctx);
  if (kind !== 'approve' && !input.comment) throw invalidField('comment', 'required');
  await withTx(db, async (tx) => {
    const request = await lockRequest(tx, id);
    const steps = await stepsOf(tx, id);
    if (!(await canSee(tx, ctx, request, steps))) throw notFound();
    if (request.status !== 'pending') throw new AppError('approval_closed', { status: request.status });
    const step = steps.find((s) => s.id === input.stepId);
    if (!step) throw invalidField('stepId', 'invalid');
    if (step.status !== 'pending') throw new AppError('approval_step_decided', { step: step.name });

    // Whom this decision counts for: the actor, or an approver they stand in for.
    const open = undecided(step, await votesOf(tx, [step.id]));
    const delegators = open.includes(actor.userId) ? [] : await delegatorsOf(tx, actor.userId);
    const forUser = open.includes(actor.userId) ? actor.userId : open.find((a) => delegators.includes(a));
    if (!forUser) {
      const mine =
        step.approverIds.includes(actor.userId) || step.approverIds.some((a) => delegators.includes(a));
      throw new AppError(mine ? 'approval_step_decided' : 'approval_not_approver', { step: step.name });
    }
    await tx.insert(approvalVotes).values({
      requestId: id,
      stepId: step.id,
      userId: actor.userId,
      forUserId: forUser,
      decision: CLOSING[kind] as VoteDecision,
      comment: input.comment ?? null,
    });
    const actedFor = forUser === actor.userId ? null : forUser;
    // 会签: an approval leaves the step open while other approvers have still to decide.
    if (kind === 'approve' && step.mode === 'all' && open.length > 1) {
      await tx
        .update(approvalRequests)
        .set({ updatedAt: sql`now()`, version: sql`${approvalRequests.version} + 1` })
        .where(eq(approvalRequests.id, id));
      await recordAudit(tx, ctx, {
        action: kind,
        entity: 'approval_request',
        entityId: id,
        after: { step: step.name, status: 'pending', comment: input.comment ?? null, actedFor },
      });
      return;
    }
    await tx
      .update(approvalSteps)
      .set({ status: CLOSING[kind], closedAt: sql`now()` })
      .where(eq(approvalSteps.id, step.id));

    const next =
      kind === 'approve' ? steps.find((s) => s.seq > step.seq && s.status === 'waiting') : undefined;
    if (next) {
      await tx
        .update(approvalSteps)
        .set({ status: 'pending', activatedAt: sql`now()` })
        .where(eq(approvalSteps.id, next.id));
    } else if (kind !== 'approve') {
      await tx
        .update(approvalSteps)
        .set({ status: 'cancelled' })
        .where(and(eq(approvalSteps.requestId, id), eq(approvalSteps.status, 'waiting')));
    }
    const finalStatus = next ? 'pending' : CLOSING[kind];
    const [after] = await tx
      .update(approvalRequests)
      .set({
        status: finalStatus as RequestRow['status'],
        currentStep: next ? next.seq : null,
        decidedAt: next ? null : sql`now()`,
        updatedAt: sql`now()`,
        version: sql`${approvalRequests.version} + 1`,
      })
      .where(eq(approvalRequests.id, id))
      .returning();
    if (!after) throw notFound();
    await recordAudit(tx, ctx, {
      action: kind,
      entity: 'approval_request',
      entityId: id,
      before: { step: step.name, status: request.status },
      after: { step: step.name, status: after.status, comment: input.comment ?? null, actedFor },
    });

    if (next) {
      await tell(tx, after, 'approval.requested', await withDelegates(tx, next.approverIds), {
        submitter: await userName(tx, after.submitterId),
      });
      return;
    }
    await decide(tx, ctx, after, CLOSING[kind] as ApprovalOutcome, input.comment);
    await tell(tx, after, `approval.${CLOSING[kind]}`, [after.submitterId], {
      actor: actor.name,
      comment: input.comment ?? '',
    });
  });
  return getApproval(db, ctx, id);
}

/** The submitter takes a pending document back; its approvers are told. */
export async function withdrawApproval(db: Db, ctx: Ctx, id: string, comment?: string) {
  const actor = actorOf(ctx);
  await withTx(db, async (tx) => {
    const request = await lockRequest(tx, id);
    const steps = await stepsOf(tx, id);
    if (!(await canSee(tx, ctx, request, steps))) throw notFound();
    if (request.submitterId !== actor.userId) throw new AppError('approval_not_submitter');
    if (request.status !== 'pending') throw new AppError('approval_closed', { status: request.status });
    const pending = steps.find((s) => s.status === 'pending');
    await tx
      .update(approvalSteps)
      .set({ status: 'cancelled' })
      .where(and(eq(approvalSteps.requestId, id), inArray(approvalSteps.status, ['pending', 'waiting'])));
    const [after] = await tx
      .update(approvalRequests)
      .set({
        status: 'withdrawn',
        currentStep: null,
        decidedAt: sql`now()`,
        updatedAt: sql`now()`,
        version: sql`${approvalRequests.version} + 1`,
      })
      .where(eq(approvalRequests.id, id))
      .returning();
    if (!after) throw notFound();
    await recordAudit(tx, ctx, {
      action: 'withdraw',
      entity: 'approval_request',
      entityId: id,
      before: { status: request.status },
      after: { status: 'withdrawn', comment: comment ?? null },
    });
    await decide(tx, ctx, after, 'withdrawn', comment);
    if (pending) {
      await tell(tx, after, 'approval.withdrawn', await withDelegates(tx, pending.approverIds), {
        submitter: actor.name,
      });
    }
  });
  return getApproval(db, ctx, id);
}

async function userName(db: Db, id: string): Promise<string> {
  const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, id));
  return row?.name ?? '';
}

async function namesOf(db: Db, ids: Iterable<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set([...ids].filter((id): id is string => !!id))];
  if (!wanted.length) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function present(db: Db, ctx: Ctx, requests: RequestRow[]) {
  const actor = actorOf(ctx);
  if (!requests.length) return [];
  const allSteps = await db
    .select()
    .from(approvalSteps)
    .where(
      inArray(
        approvalSteps.requestId,
        requests.map((r) => r.id),
      ),
    )
    .orderBy(approvalSteps.seq);
  const votes = await votesOf(
    db,
    allSteps.map((s) => s.id),
  );
  const names = await namesOf(db, [
    ...requests.map((r) => r.submitterId),
    ...allSteps.flatMap((s) => s.approverIds),
    ...votes.map((v) => v.userId),
  ]);
  const delegators = await delegatorsOf(db, actor.userId);
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null);
  return requests.map((r) => {
    const steps = allSteps.filter((s) => s.requestId === r.id);
    const pending = steps.find((s) => s.status === 'pending');
    const type = approvalType(r.docType);
    return {
      id: r.id,
      number: r.number,
      docType: r.docType,
      docTypeLabel: type?.label[ctx.locale] ?? r.docType,
      docId: r.docId,
      title: r.title,
      link: r.link,
      submitter: person(r.submitterId) as { id: string; name: string },
      facts: Object.entries(r.facts).map(([key, value]) => {
        const fact = type?.facts.find((f) => f.key === key);
        return { key, label: fact?.label[ctx.locale] ?? key, type: fact?.type ?? 'text', value };
      }),
      ruleName: r.ruleName,
      status: r.status,
      currentStep: r.currentStep,
      createdAt: r.createdAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
      steps: steps.map((s) => ({
        id: s.id,
        seq: s.seq,
        name: s.name,
        mode: s.mode,
        status: s.status,
        approvers: s.approverIds.map((a) => person(a) as { id: string; name: string }),
        votes: votes
          .filter((v) => v.stepId === s.id)
          .map((v) => ({
            by: person(v.userId) as { id: string; name: string },
            for: v.forUserId === v.userId ? null : person(v.forUserId),
            decision: v.decision,
            comment: v.comment,
            at: v.at.toISOString(),
          })),
        activatedAt: s.activatedAt?.toISOString() ?? null,
        closedAt: s.closedAt?.toISOString() ?? null,
      })),
      canAct:
        r.status === 'pending' &&
        !!pending &&
        undecided(pending, votes).some((a) => a === actor.userId || delegators.includes(a)),
      canWithdraw: r.status === 'pending' && r.submitterId === actor.userId,
    };
  });
}

export async function getApproval(db: Db, ctx: Ctx, id: string) {
  const [request] = await db.select().from(approvalRequests).where(eq(approvalRequests.id, id));
  if (!request || !(await canSee(db, ctx, request, await stepsOf(db, id)))) throw notFound();
  const [view] = await present(db, ctx, [request]);
  return view as NonNullable<typeof view>;
}

/** Filter for one of the inbox boxes of the actor. */
async function boxFilter(
  db: Db,
  userId: string,
  box: 'pending' | 'done' | 'submitted',
): Promise<SQL | undefined> {
  if (box === 'submitted') return eq(approvalRequests.submitterId, userId);
  if (box === 'done') {
    return exists(
      db
        .select({ one: sql`1` })
        .from(approvalVotes)
        .where(and(eq(approvalVotes.requestId, approvalRequests.id), eq(approvalVotes.userId, userId))),
    );
  }
  const me = [userId, ...(await delegatorsOf(db, userId))];
  const mine = sql.join(
    me.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  // A pending step with an approver I am (or stand in for) who has not decided it yet.
  return and(
    eq(approvalRequests.status, 'pending'),
    exists(
      db
        .select({ one: sql`1` })
        .from(approvalSteps)
        .where(
          and(
            eq(approvalSteps.requestId, approvalRequests.id),
            eq(approvalSteps.status, 'pending'),
            arrayOverlaps(approvalSteps.approverIds, me),
            sql`exists (select 1 from unnest(${approvalSteps.approverIds}) as a(id)
                  where a.id in (${mine})
                    and not exists (select 1 from approval_votes v
                                    where v.step_id = ${approvalSteps.id} and v.for_user_id = a.id))`,
          ),
        ),
    ),
  );
}

/** "My approvals": waiting for me (or those I stand in for), decided by me, or submitted by me. */
export async function listApprovals(db: Db, ctx: Ctx, query: z.infer<typeof approvalQuery>) {
  const actor = actorOf(ctx);
  const page = keyset({ ...query, sort: '-id' }, { id: approvalRequests.id }, approvalRequests.id, '-id');
  const filter = whereAll(
    await boxFilter(db, actor.userId, query.box),
    query.docType ? eq(approvalRequests.docType, query.docType) : undefined,
    query.status ? eq(approvalRequests.status, query.status) : undefined,
    query.q
      ? or(
          sql`${approvalRequests.title} ilike ${`%${query.q}%`}`,
          sql`${approvalRequests.number} ilike ${`%${query.q}%`}`,
        )
      : undefined,
  );
  const rows = await db
    .select()
    .from(approvalRequests)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(approvalRequests).where(filter);
  const result = page.page(rows, n, (r) => [r.id, r.id]);
  return { ...result, items: await present(db, ctx, result.items) };
}

export async function approvalCounts(db: Db, ctx: Ctx) {
  const actor = actorOf(ctx);
  const countWhere = async (where: SQL | undefined) =>
    (await db.select({ n: count() }).from(approvalRequests).where(where))[0]?.n ?? 0;
  return {
    pending: await countWhere(await boxFilter(db, actor.userId, 'pending')),
    submitted: await countWhere(
      and(eq(approvalRequests.submitterId, actor.userId), eq(approvalRequests.status, 'pending')),
    ),
  };
}

/** Every approval round of one document, newest first: the timeline shown on the document. */
export async function approvalTimeline(db: Db, ctx: Ctx, docType: string, docId: string) {
  const requests = await db
    .select()
    .from(approvalRequests)
    .where(and(eq(approvalRequests.docType, docType), eq(approvalRequests.docId, docId)))
    .orderBy(desc(approvalRequests.id));
  const visible: RequestRow[] = [];
  for (const r of requests) if (await canSee(db, ctx, r, await stepsOf(db, r.id))) visible.push(r);
  return { items: await present(db, ctx, visible) };
}
