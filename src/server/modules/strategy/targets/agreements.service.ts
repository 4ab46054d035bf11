import { count, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { targetAgreementListQuery, targetAgreementReject } from '../../../../contracts/targets.js';
import type { Db } from '../../../db/client.js';
import { scopeFilter } from '../../../platform/access/scope.js';
import {
  actOnApproval,
  getApproval,
  submitForApproval,
} from '../../../platform/approvals/approvals.service.js';
import { defineApprovalType } from '../../../platform/approvals/registry.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { recordHistory } from '../../../platform/audit/audit.service.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, notFound } from '../../../platform/errors.js';
import { keyset, whereAll } from '../../../platform/http/pagination.js';
import { nextNumber } from '../../../platform/numbering/numbering.js';
import { companyLetterhead, renderPdf } from '../../../platform/pdf/index.js';
import { METRIC_KIND } from './rules.js';
import {
  type TargetAgreementRow,
  type TargetAgreementState,
  type TargetNodeRow,
  targetAgreements,
} from './schema.js';
import { actorOf, formatAmount, loadTree, type Tree, userNames } from './tree.js';

// Target agreements (目标责任书, seed 002: 确定、分解、签订责任书): publishing a level of the
// allocation sends each assignee the target they are asked to commit to. Signing is an approval
// whose approver is the assignee (approver kind `addressee`); rejecting needs a comment.

const RESOURCE = 'target-agreements';

export const visibleAgreements = (ctx: Ctx) =>
  scopeFilter(ctx.actor, RESOURCE, {
    ownerId: targetAgreements.ownerId,
    orgUnitId: targetAgreements.orgUnitId,
  });

async function isVisibleAgreement(db: Db, ctx: Ctx, id: string) {
  const [row] = await db
    .select({ id: targetAgreements.id })
    .from(targetAgreements)
    .where(whereAll(eq(targetAgreements.id, id), visibleAgreements(ctx)));
  return !!row;
}

const OUTCOME: Record<string, { state: TargetAgreementState; action: string }> = {
  approved: { state: 'signed', action: 'sign' },
  rejected: { state: 'rejected', action: 'reject' },
  returned: { state: 'rejected', action: 'reject' },
  withdrawn: { state: 'draft', action: 'withdraw' },
};

defineApprovalType({
  docType: 'target_agreement',
  label: { 'zh-CN': '目标责任书签署', en: 'Target agreement signature' },
  facts: [{ key: 'amount', type: 'number', label: { 'zh-CN': '目标值', en: 'Target' } }],
  defaultRules: [
    {
      name: '责任人签署',
      conditions: [],
      steps: [{ name: '责任人签署', approver: { kind: 'addressee' }, mode: 'any', skipIfNone: false }],
    },
  ],
  async onDecision(tx, ctx, decision) {
    const [before] = await tx
      .select()
      .from(targetAgreements)
      .where(eq(targetAgreements.id, decision.docId))
      .for('update');
    if (before?.state !== 'sent') return;
    const outcome = OUTCOME[decision.outcome]!;
    const [after] = await tx
      .update(targetAgreements)
      .set({
        state: outcome.state,
        decidedAt: outcome.state === 'draft' ? null : new Date(),
        comment: decision.comment ?? null,
        approvalRequestId: decision.requestId ?? before.approvalRequestId,
        updatedAt: sql`now()`,
        version: sql`${targetAgreements.version} + 1`,
      })
      .where(eq(targetAgreements.id, before.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: outcome.action,
      entity: 'target_agreement',
      entityId: before.id,
      before: { state: before.state },
      after: { state: after!.state, comment: decision.comment ?? null },
    });
  },
  canView: isVisibleAgreement,
});

/** Sends the assignee of a published target an agreement to sign, inside the caller's transaction. */
export async function sendAgreement(tx: Db, ctx: Ctx, tree: Tree, node: TargetNodeRow) {
  const actor = actorOf(ctx);
  if (!node.ownerId) return;
  const [agreement] = await tx
    .insert(targetAgreements)
    .values({
      number: await nextNumber(tx, 'target_agreement'),
      planId: tree.plan.id,
      nodeId: node.id,
      amount: node.amount,
      state: 'sent',
      ownerId: node.ownerId,
      orgUnitId: node.orgUnitId,
      sentBy: actor.userId,
      sentAt: new Date(),
      createdBy: actor.userId,
    })
    .returning();
  if (!agreement) throw new Error('agreement not created');
  await recordAudit(tx, ctx, {
    action: 'send',
    entity: 'target_agreement',
    entityId: agreement.id,
    after: agreement,
  });
  const approval = await submitForApproval(tx, ctx, {
    docType: 'target_agreement',
    docId: agreement.id,
    title: `目标责任书 ${agreement.number} · ${tree.plan.name} · ${node.label} ${node.periodKey} · ${formatAmount(tree.plan.metric, node.amount)}`,
    link: `/targets/agreements/${agreement.id}`,
    facts: { amount: node.amount },
    addresseeId: node.ownerId,
  });
  await tx
    .update(targetAgreements)
    .set({ approvalRequestId: approval.requestId })
    .where(eq(targetAgreements.id, agreement.id));
  tree.agreements.set(node.id, { ...agreement, approvalRequestId: approval.requestId });
}

/** Marks a signed agreement as replaced by a newer one (after an approved change). */
export async function supersedeAgreement(tx: Db, ctx: Ctx, agreement: TargetAgreementRow) {
  await tx
    .update(targetAgreements)
    .set({ state: 'superseded', updatedAt: sql`now()`, version: sql`${targetAgreements.version} + 1` })
    .where(eq(targetAgreements.id, agreement.id));
  await recordAudit(tx, ctx, {
    action: 'supersede',
    entity: 'target_agreement',
    entityId: agreement.id,
    before: { state: agreement.state },
    after: { state: 'superseded' },
  });
}

async function present(db: Db, ctx: Ctx, rows: TargetAgreementRow[]) {
  const actor = actorOf(ctx);
  const names = await userNames(
    db,
    rows.flatMap((r) => [r.ownerId, r.sentBy]),
  );
  const trees = new Map<string, Tree>();
  const out = [];
  for (const r of rows) {
    let tree = trees.get(r.planId);
    if (!tree) {
      tree = await loadTree(db, r.planId);
      trees.set(r.planId, tree);
    }
    const node = tree.nodes.get(r.nodeId) as TargetNodeRow;
    out.push({
      id: r.id,
      number: r.number,
      planId: r.planId,
      planName: tree.plan.name,
      fiscalYear: tree.plan.fiscalYear,
      metric: tree.plan.metric,
      nodeId: r.nodeId,
      label: node.label,
      period: { kind: node.periodKind, start: node.periodStart, end: node.periodEnd, key: node.periodKey },
      amount: r.amount,
      breakdown: (tree.children.get(node.id) ?? [])
        .filter((c) => c.periodKind !== node.periodKind)
        .map((c) => ({ key: c.periodKey, amount: c.amount })),
      state: r.state,
      assignee: { id: r.ownerId, name: names.get(r.ownerId) ?? '' },
      sentBy: r.sentBy ? { id: r.sentBy, name: names.get(r.sentBy) ?? '' } : null,
      comment: r.comment,
      sentAt: r.sentAt?.toISOString() ?? null,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      approvalRequestId: r.approvalRequestId,
      canSign:
        r.state === 'sent' && r.ownerId === actor.userId && actor.permissions.has('target-agreements.sign'),
      version: r.version,
    });
  }
  return out;
}

export async function listAgreements(db: Db, ctx: Ctx, query: z.infer<typeof targetAgreementListQuery>) {
  const actor = actorOf(ctx);
  const page = keyset(
    { ...query, sort: query.sort ?? '-id' },
    { id: targetAgreements.id },
    targetAgreements.id,
    '-id',
  );
  const filter = whereAll(
    visibleAgreements(ctx),
    query.planId ? eq(targetAgreements.planId, query.planId) : undefined,
    query.state ? eq(targetAgreements.state, query.state) : undefined,
    query.who === 'mine' ? eq(targetAgreements.ownerId, actor.userId) : undefined,
    query.q ? sql`${targetAgreements.number} ilike ${`%${query.q}%`}` : undefined,
  );
  const rows = await db
    .select()
    .from(targetAgreements)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(targetAgreements).where(filter);
  const result = page.page(rows, n, (r) => [r.id, r.id]);
  return { ...result, items: await present(db, ctx, result.items) };
}

async function loadVisible(db: Db, ctx: Ctx, id: string) {
  const [row] = await db
    .select()
    .from(targetAgreements)
    .where(whereAll(eq(targetAgreements.id, id), visibleAgreements(ctx)));
  if (!row) throw notFound();
  return row;
}

export async function getAgreement(db: Db, ctx: Ctx, id: string) {
  const [view] = await present(db, ctx, [await loadVisible(db, ctx, id)]);
  return view!;
}

export async function agreementHistory(db: Db, ctx: Ctx, id: string) {
  await loadVisible(db, ctx, id);
  return recordHistory(db, 'target_agreement', id);
}

const STATE_LABELS: Record<TargetAgreementState, Record<'zh-CN' | 'en', string>> = {
  draft: { 'zh-CN': '草稿', en: 'draft' },
  sent: { 'zh-CN': '待签署', en: 'sent' },
  signed: { 'zh-CN': '已签署', en: 'signed' },
  rejected: { 'zh-CN': '已驳回', en: 'rejected' },
  superseded: { 'zh-CN': '已被替代', en: 'superseded' },
};

/**
 * The assignee signs (or rejects, with a comment) their agreement: the decision goes through the
 * approvals engine, whose hook moves the agreement to signed or rejected in the same transaction.
 */
export async function decideAgreement(
  db: Db,
  ctx: Ctx,
  id: string,
  kind: 'sign' | 'reject',
  input: Partial<z.infer<typeof targetAgreementReject>> = {},
) {
  const actor = actorOf(ctx);
  const agreement = await loadVisible(db, ctx, id);
  if (agreement.ownerId !== actor.userId) throw new AppError('forbidden');
  if (agreement.state !== 'sent' || !agreement.approvalRequestId)
    throw new AppError('target_agreement_closed', {
      number: agreement.number,
      state: STATE_LABELS[agreement.state][ctx.locale],
    });
  const approval = await getApproval(db, ctx, agreement.approvalRequestId);
  const step = approval.steps.find((s) => s.status === 'pending');
  if (!step)
    throw new AppError('target_agreement_closed', {
      number: agreement.number,
      state: STATE_LABELS.sent[ctx.locale],
    });
  await actOnApproval(db, ctx, agreement.approvalRequestId, kind === 'sign' ? 'approve' : 'reject', {
    stepId: step.id,
    ...(input.comment ? { comment: input.comment } : {}),
  });
  return getAgreement(db, ctx, id);
}

const PDF_WORDS = {
  'zh-CN': {
    title: '目标责任书',
    plan: '目标',
    assignee: '责任人',
    issuer: '下达人',
    period: '期间',
    amount: '目标值',
    total: '全年目标',
    metric: '指标',
    notes: [
      '责任人确认上述目标，并按月跟踪达成情况。',
      '目标调整须提交目标调整申请，经审批通过后以新的责任书为准。',
    ],
    signatures: ['下达人（签字）', '责任人（签字）'],
  },
  en: {
    title: 'Target agreement',
    plan: 'Plan',
    assignee: 'Assignee',
    issuer: 'Issued by',
    period: 'Period',
    amount: 'Target',
    total: 'Target for the period',
    metric: 'Metric',
    notes: [
      'The assignee accepts the targets above; attainment is reviewed monthly.',
      'Changes need an approved change request and a new agreement.',
    ],
    signatures: ['Issued by (signature)', 'Assignee (signature)'],
  },
} as const;

export const METRIC_WORDS: Record<string, Record<'zh-CN' | 'en', string>> = {
  booked_revenue: { 'zh-CN': '订单金额', en: 'Booked revenue' },
  shipped_revenue: { 'zh-CN': '发货金额', en: 'Shipped revenue' },
  collected_revenue: { 'zh-CN': '回款金额', en: 'Collected revenue' },
  gross_profit: { 'zh-CN': '毛利', en: 'Gross profit' },
  units: { 'zh-CN': '销售数量', en: 'Units' },
  new_customers: { 'zh-CN': '新客户数', en: 'New customers' },
  visits: { 'zh-CN': '拜访次数', en: 'Visits' },
  opportunities_won: { 'zh-CN': '赢单数', en: 'Opportunities won' },
};

/** The printable agreement (PDF): the target, its breakdown by period, and signature blocks. */
export async function renderAgreementPdf(db: Db, ctx: Ctx, id: string, locale: 'zh-CN' | 'en') {
  const a = await getAgreement(db, ctx, id);
  const w = PDF_WORDS[locale];
  const money = METRIC_KIND[a.metric] === 'money';
  const pdf = await renderPdf(
    {
      letterhead: await companyLetterhead(db),
      title: w.title,
      number: a.number,
      date: (a.sentAt ?? new Date().toISOString()).slice(0, 10),
      parties: [
        { label: w.assignee, lines: [a.assignee.name, a.label] },
        { label: w.issuer, lines: [a.sentBy?.name ?? ''] },
      ],
      table: {
        columns: [
          { key: 'period', label: w.period, width: 2 },
          { key: 'amount', label: w.amount, align: 'right', width: 2 },
        ],
        rows: (a.breakdown.length ? a.breakdown : [{ key: a.period.key, amount: a.amount }]).map((b) => ({
          period: b.key,
          amount: formatAmount(a.metric, b.amount),
        })),
      },
      totals: [
        { label: w.metric, value: METRIC_WORDS[a.metric]![locale] },
        { label: `${w.total} ${a.period.key}`, value: formatAmount(a.metric, a.amount), emphasis: true },
      ],
      ...(money ? { amountInWords: a.amount } : {}),
      notes: [`${w.plan}: ${a.planName}`, ...w.notes],
      signatures: [...w.signatures],
      footer: `${w.title} ${a.number}`,
    },
    { locale },
  );
  return { pdf, fileName: `${w.title} ${a.number}.pdf` };
}
