import { and, asc, count, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  ContractCreate,
  ContractUpdate,
  contractListQuery,
  contractSign,
  contractTerminate,
} from '../../../contracts/contracts.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { scopeFilter } from '../../platform/access/scope.js';
import { submitForApproval } from '../../platform/approvals/approvals.service.js';
import type { PolicyRule } from '../../platform/approvals/policy.js';
import { defineApprovalType } from '../../platform/approvals/registry.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { recordHistory } from '../../platform/audit/audit.service.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, type FieldError, invalidField, notFound, versionConflict } from '../../platform/errors.js';
import { defineAttachable } from '../../platform/files/attachables.js';
import { keyset, whereAll } from '../../platform/http/pagination.js';
import type { Locale } from '../../platform/i18n/locale.js';
import { defineNumbering, nextNumber } from '../../platform/numbering/numbering.js';
import { companyTimeZone, dayIn, getSettings } from '../../platform/settings/settings.service.js';
import { contacts, customers } from '../customers/schema.js';
import { orgUnits, users } from '../org/schema.js';
import {
  allowedActions,
  type ContractAction,
  formatYuan,
  nextState,
  type PlanLine,
  planProblems,
} from './contracts.rules.js';
import { type ContractState, contractInstallments, contracts } from './contracts.schema.js';
import { assertCustomerContact, assertVisibleCustomer } from './references.js';

const RESOURCE = 'contracts';
export type ContractRow = typeof contracts.$inferSelect;
type InstallmentRow = typeof contractInstallments.$inferSelect;

defineNumbering('contract', 'C');

/** Contracts the actor may see: their contracts scope (own, team subtree, all). */
export const visibleContracts = (ctx: Ctx): SQL | undefined =>
  scopeFilter(ctx.actor, RESOURCE, { ownerId: contracts.ownerId, orgUnitId: contracts.orgUnitId });

export async function isVisibleContract(db: Db, ctx: Ctx, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: contracts.id })
    .from(contracts)
    .where(whereAll(eq(contracts.id, id), visibleContracts(ctx)));
  return !!row;
}

// The scanned signed copy and annexes; files stay once the contract is closed, but no new ones.
defineAttachable('contract', {
  readPermission: 'contracts.read',
  writePermission: 'contracts.update',
  canRead: isVisibleContract,
  canWrite: async (db, _ctx, id) => {
    const [row] = await db.select({ state: contracts.state }).from(contracts).where(eq(contracts.id, id));
    return !!row && row.state !== 'terminated' && row.state !== 'completed';
  },
});

// ---------------------------------------------------------------------------------------------
// Review through the approvals engine

/** ¥500,000 in fen: from here on finance and the director review the contract. */
export const LARGE_CONTRACT_FEN = 50_000_000;

const seniorReview: PolicyRule['steps'] = [
  {
    name: '财务审核',
    approver: { kind: 'role', role: 'finance', scope: 'company' },
    mode: 'any',
    skipIfNone: false,
  },
  {
    name: '总监审批',
    approver: { kind: 'role', role: 'director', scope: 'company' },
    mode: 'any',
    skipIfNone: false,
  },
];

/**
 * The default contract review policy: a large contract (≥ ¥500,000) or one with non-standard
 * terms goes to finance, then the director; any other to the submitter's direct manager. It is
 * stored as the type's policy the first time a contract is submitted, so the administrator sees
 * and edits it on the approval policies page like any other.
 */
export const DEFAULT_CONTRACT_REVIEW: PolicyRule[] = [
  {
    name: '大额合同',
    conditions: [{ fact: 'amount', op: 'gte', value: LARGE_CONTRACT_FEN }],
    steps: seniorReview,
  },
  { name: '非标准条款', conditions: [{ fact: 'nonStandard', op: 'isTrue' }], steps: seniorReview },
  {
    name: '常规合同',
    conditions: [],
    steps: [{ name: '直属上级审批', approver: { kind: 'manager' }, mode: 'any', skipIfNone: true }],
  },
];

const REVIEW_OUTCOME: Record<string, { state: ContractState; action: string }> = {
  approved: { state: 'approved', action: 'review_approve' },
  rejected: { state: 'draft', action: 'review_reject' },
  returned: { state: 'draft', action: 'review_return' },
  withdrawn: { state: 'draft', action: 'review_withdraw' },
};

defineApprovalType({
  docType: 'contract',
  label: { 'zh-CN': '合同评审', en: 'Contract review' },
  facts: [
    { key: 'amount', type: 'money', label: { 'zh-CN': '合同金额', en: 'Contract amount' } },
    { key: 'nonStandard', type: 'boolean', label: { 'zh-CN': '非标准条款', en: 'Non-standard terms' } },
  ],
  defaultRules: DEFAULT_CONTRACT_REVIEW,
  async onDecision(tx, ctx, decision) {
    const [before] = await tx.select().from(contracts).where(eq(contracts.id, decision.docId)).for('update');
    if (before?.state !== 'in_review') return;
    const outcome = REVIEW_OUTCOME[decision.outcome]!;
    const [after] = await tx
      .update(contracts)
      .set({
        state: outcome.state,
        approvedAt: outcome.state === 'approved' ? new Date() : null,
        updatedAt: sql`now()`,
        version: sql`${contracts.version} + 1`,
      })
      .where(eq(contracts.id, before.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: outcome.action,
      entity: 'contract',
      entityId: before.id,
      before,
      after: decision.comment ? { ...after, reviewComment: decision.comment } : after,
    });
  },
  canView: isVisibleContract,
});

// ---------------------------------------------------------------------------------------------
// Reading

function selectContracts(db: Db) {
  return db
    .select({
      contract: contracts,
      customerName: customers.name,
      contactName: contacts.name,
      ownerName: users.name,
      orgUnitName: orgUnits.name,
    })
    .from(contracts)
    .innerJoin(customers, eq(customers.id, contracts.customerId))
    .leftJoin(contacts, eq(contacts.id, contracts.contactId))
    .innerJoin(users, eq(users.id, contracts.ownerId))
    .innerJoin(orgUnits, eq(orgUnits.id, contracts.orgUnitId));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectContracts>['where']>>[number];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentInstallment(i: InstallmentRow) {
  return {
    id: i.id,
    seq: i.seq,
    dueDate: i.dueDate,
    amount: i.amount,
    paidAmount: i.paidAmount,
    note: i.note,
  };
}

function present(r: Row) {
  const c = r.contract;
  return {
    id: c.id,
    number: c.number,
    title: c.title,
    customerId: c.customerId,
    customerName: r.customerName,
    contactId: c.contactId,
    contactName: c.contactId ? r.contactName : null,
    ourParty: c.ourParty,
    amount: c.amount,
    taxRate: c.taxRate,
    currency: c.currency,
    paymentTerms: c.paymentTerms,
    deliveryTerms: c.deliveryTerms,
    warranty: c.warranty,
    nonStandard: c.nonStandard,
    nonStandardNote: c.nonStandardNote,
    startDate: c.startDate,
    endDate: c.endDate,
    signedDate: c.signedDate,
    opportunityId: c.opportunityId,
    quoteId: c.quoteId,
    ownerId: c.ownerId,
    ownerName: r.ownerName,
    orgUnitId: c.orgUnitId,
    orgUnitName: r.orgUnitName,
    state: c.state,
    submittedAt: iso(c.submittedAt),
    approvedAt: iso(c.approvedAt),
    completedAt: iso(c.completedAt),
    terminatedAt: iso(c.terminatedAt),
    terminationReason: c.terminationReason,
    actions: allowedActions(c.state),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    version: c.version,
  };
}

export async function installmentsOf(db: Db, contractIds: string[]) {
  if (!contractIds.length) return new Map<string, InstallmentRow[]>();
  const rows = await db
    .select()
    .from(contractInstallments)
    .where(inArray(contractInstallments.contractId, contractIds))
    .orderBy(asc(contractInstallments.contractId), asc(contractInstallments.seq));
  const map = new Map<string, InstallmentRow[]>();
  for (const r of rows) map.set(r.contractId, [...(map.get(r.contractId) ?? []), r]);
  return map;
}

export function contractListFilter(ctx: Ctx, query: Omit<z.infer<typeof contractListQuery>, 'limit'>) {
  const q = query.q?.trim();
  return whereAll(
    visibleContracts(ctx),
    query.state ? eq(contracts.state, query.state) : undefined,
    query.customerId ? eq(contracts.customerId, query.customerId) : undefined,
    query.ownerId ? eq(contracts.ownerId, query.ownerId) : undefined,
    query.who === 'mine' && ctx.actor ? eq(contracts.ownerId, ctx.actor.userId) : undefined,
    q
      ? or(
          eq(contracts.number, q.toUpperCase()),
          sql`${contracts.title} ilike ${`%${q.replace(/[\\%_]/g, '\\$&')}%`}`,
          sql`${customers.name} ilike ${`%${q.replace(/[\\%_]/g, '\\$&')}%`}`,
        )
      : undefined,
  );
}

export async function listContracts(db: Db, ctx: Ctx, query: z.infer<typeof contractListQuery>) {
  const page = keyset(
    query,
    { createdAt: contracts.createdAt, amount: contracts.amount },
    contracts.id,
    '-createdAt',
  );
  const filter = contractListFilter(ctx, query);
  const rows = await selectContracts(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(contracts)
    .innerJoin(customers, eq(customers.id, contracts.customerId))
    .where(filter);
  const key = query.sort?.replace(/^-/, '') ?? 'createdAt';
  const result = page.page(rows, n, (r) => [
    key === 'amount' ? r.contract.amount : r.contract.createdAt,
    r.contract.id,
  ]);
  return { ...result, items: result.items.map(present) };
}

export async function getContract(db: Db, ctx: Ctx, id: string) {
  const [row] = await selectContracts(db).where(whereAll(eq(contracts.id, id), visibleContracts(ctx)));
  if (!row) throw notFound();
  const plan = (await installmentsOf(db, [id])).get(id) ?? [];
  return { ...present(row), installments: plan.map(presentInstallment) };
}

export async function contractHistory(db: Db, ctx: Ctx, id: string) {
  if (!(await isVisibleContract(db, ctx, id))) throw notFound();
  return recordHistory(db, 'contract', id);
}

// ---------------------------------------------------------------------------------------------
// Writing

const STATE_LABELS: Record<ContractState, Record<Locale, string>> = {
  draft: { 'zh-CN': '草稿', en: 'a draft' },
  in_review: { 'zh-CN': '评审中', en: 'in review' },
  approved: { 'zh-CN': '评审通过待签署', en: 'approved, awaiting signature' },
  active: { 'zh-CN': '履行中', en: 'active' },
  completed: { 'zh-CN': '已完成', en: 'completed' },
  terminated: { 'zh-CN': '已终止', en: 'terminated' },
};
const ACTION_LABELS: Record<ContractAction, Record<Locale, string>> = {
  edit: { 'zh-CN': '修改', en: 'changed' },
  submit: { 'zh-CN': '提交评审', en: 'submitted for review' },
  sign: { 'zh-CN': '登记签署', en: 'marked signed' },
  complete: { 'zh-CN': '标记完成', en: 'completed' },
  terminate: { 'zh-CN': '终止', en: 'terminated' },
};

/** 409 naming the current state and the refused action in the caller's language. */
const wrongState = (ctx: Ctx, state: ContractState, action: ContractAction) =>
  new AppError('contract_wrong_state', {
    state: STATE_LABELS[state][ctx.locale],
    action: ACTION_LABELS[action][ctx.locale],
  });

/**
 * Checks dates and the payment plan: end not before start; due dates strictly increasing within
 * the contract's term plus the grace (400 naming each installment); amounts summing exactly to
 * the contract amount (422 saying the difference).
 */
export function assertPlan(amount: number, startDate: string, endDate: string, lines: readonly PlanLine[]) {
  if (endDate < startDate) throw invalidField('endDate', 'unitStageDates');
  const problems = planProblems(amount, startDate, endDate, lines);
  const dateErrors: FieldError[] = [];
  for (const p of problems) {
    if (p.kind === 'order')
      dateErrors.push({ path: `installments.${p.index}.dueDate`, message: 'installmentOrder' });
    if (p.kind === 'beforeStart')
      dateErrors.push({ path: `installments.${p.index}.dueDate`, message: 'installmentBeforeStart' });
    if (p.kind === 'afterEnd')
      dateErrors.push({
        path: `installments.${p.index}.dueDate`,
        message: 'installmentAfterEnd',
        params: { latest: p.latest },
      });
  }
  if (dateErrors.length) throw new AppError('validation_failed', {}, dateErrors);
  const sum = problems.find((p) => p.kind === 'sum');
  if (sum) {
    throw new AppError('contract_plan_mismatch', {
      sum: formatYuan(sum.sum),
      amount: formatYuan(sum.amount),
      difference: formatYuan(Math.abs(sum.difference)),
    });
  }
}

async function lockVisible(tx: Db, ctx: Ctx, id: string): Promise<ContractRow> {
  const [row] = await tx
    .select()
    .from(contracts)
    .where(whereAll(eq(contracts.id, id), visibleContracts(ctx)))
    .for('update');
  if (!row) throw notFound();
  return row;
}

async function writePlan(tx: Db, ctx: Ctx, contractId: string, lines: ContractCreate['installments']) {
  const rows = await tx
    .insert(contractInstallments)
    .values(
      lines.map((l, i) => ({
        contractId,
        seq: i + 1,
        dueDate: l.dueDate,
        amount: l.amount,
        note: l.note || null,
        createdBy: ctx.actor?.userId ?? null,
      })),
    )
    .returning();
  return rows;
}

const planSummary = (rows: { seq: number; dueDate: string; amount: number; note: string | null }[]) =>
  rows.map((r) => ({ seq: r.seq, dueDate: r.dueDate, amount: r.amount, note: r.note }));

/**
 * Drafts a contract for a customer the actor can see, with its payment plan. The actor owns it;
 * our party is the company's name. Usable by a bulk generator (one transaction per contract).
 */
export async function createContract(db: Db, ctx: Ctx, input: ContractCreate) {
  const actor = ctx.actor;
  if (!actor) throw new AppError('forbidden');
  assertPlan(input.amount, input.startDate, input.endDate, input.installments);
  return withTx(db, async (tx) => {
    await assertVisibleCustomer(tx, ctx, input.customerId);
    if (input.contactId) await assertCustomerContact(tx, input.customerId, input.contactId);
    const settings = await getSettings(tx);
    const now = new Date();
    const [created] = await tx
      .insert(contracts)
      .values({
        number: await nextNumber(tx, 'contract', now),
        title: input.title,
        customerId: input.customerId,
        contactId: input.contactId ?? null,
        ourParty: settings.name,
        amount: input.amount,
        taxRate: input.taxRate,
        currency: 'CNY',
        paymentTerms: input.paymentTerms || null,
        deliveryTerms: input.deliveryTerms || null,
        warranty: input.warranty || null,
        nonStandard: input.nonStandard,
        nonStandardNote: input.nonStandardNote || null,
        startDate: input.startDate,
        endDate: input.endDate,
        signedDate: input.signedDate ?? null,
        opportunityId: input.opportunityId ?? null,
        quoteId: input.quoteId ?? null,
        ownerId: actor.userId,
        orgUnitId: actor.orgUnitId,
        state: 'draft',
        createdAt: now,
        updatedAt: now,
        createdBy: actor.userId,
      })
      .returning();
    const plan = await writePlan(tx, ctx, created!.id, input.installments);
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'contract',
      entityId: created!.id,
      after: { ...created, installments: planSummary(plan) },
    });
    return created!.id;
  });
}

/** Changes a draft; `installments` replaces the plan. The plan is re-checked against the amount. */
export async function updateContract(db: Db, ctx: Ctx, id: string, input: ContractUpdate) {
  const { version, installments, ...changes } = input;
  return withTx(db, async (tx) => {
    const before = await lockVisible(tx, ctx, id);
    if (!nextState(before.state, 'edit')) throw wrongState(ctx, before.state, 'edit');
    if (before.version !== version) throw versionConflict();
    if (changes.contactId) await assertCustomerContact(tx, before.customerId, changes.contactId);
    const oldPlan = (await installmentsOf(tx, [id])).get(id) ?? [];
    const amount = changes.amount ?? before.amount;
    const startDate = changes.startDate ?? before.startDate;
    const endDate = changes.endDate ?? before.endDate;
    assertPlan(amount, startDate, endDate, installments ?? oldPlan);

    const set: Partial<typeof contracts.$inferInsert> = {};
    for (const key of ['title', 'amount', 'taxRate', 'nonStandard', 'startDate', 'endDate'] as const) {
      if (changes[key] !== undefined) (set as Record<string, unknown>)[key] = changes[key];
    }
    for (const key of [
      'contactId',
      'paymentTerms',
      'deliveryTerms',
      'warranty',
      'nonStandardNote',
      'signedDate',
    ] as const) {
      if (changes[key] !== undefined) (set as Record<string, unknown>)[key] = changes[key] || null;
    }
    const [after] = await tx
      .update(contracts)
      .set({ ...set, updatedAt: sql`now()`, version: sql`${contracts.version} + 1` })
      .where(and(eq(contracts.id, id), eq(contracts.version, version)))
      .returning();
    if (!after) throw versionConflict();
    let newPlan = oldPlan;
    if (installments) {
      // A draft's plan is not yet a commitment: it is replaced, the audit keeps the old one.
      await tx.delete(contractInstallments).where(eq(contractInstallments.contractId, id));
      newPlan = await writePlan(tx, ctx, id, installments);
    }
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'contract',
      entityId: id,
      before: { ...before, installments: planSummary(oldPlan) },
      after: { ...after, installments: planSummary(newPlan) },
    });
    return id;
  });
}

async function move(
  tx: Db,
  ctx: Ctx,
  before: ContractRow,
  action: ContractAction,
  set: Partial<typeof contracts.$inferInsert>,
  extra?: Record<string, unknown>,
) {
  const to = nextState(before.state, action)!;
  const [after] = await tx
    .update(contracts)
    .set({ ...set, state: to, updatedAt: sql`now()`, version: sql`${contracts.version} + 1` })
    .where(and(eq(contracts.id, before.id), eq(contracts.version, before.version)))
    .returning();
  if (!after) throw versionConflict();
  await recordAudit(tx, ctx, {
    action,
    entity: 'contract',
    entityId: before.id,
    before,
    after: extra ? { ...after, ...extra } : after,
  });
  return after;
}

async function lockFor(tx: Db, ctx: Ctx, id: string, action: ContractAction, version: number) {
  const before = await lockVisible(tx, ctx, id);
  if (!nextState(before.state, action)) throw wrongState(ctx, before.state, action);
  if (before.version !== version) throw versionConflict();
  return before;
}

/**
 * Sends a draft into review with its facts (amount, non-standard terms). With no matching rule
 * the review passes at once (state approved); otherwise the approvers decide and onDecision moves it.
 */
export async function submitContract(db: Db, ctx: Ctx, id: string, input: { version: number }) {
  return withTx(db, async (tx) => {
    const before = await lockFor(tx, ctx, id, 'submit', input.version);
    const plan = (await installmentsOf(tx, [id])).get(id) ?? [];
    assertPlan(before.amount, before.startDate, before.endDate, plan);
    const after = await move(tx, ctx, before, 'submit', { submittedAt: new Date(), approvedAt: null });
    const [customer] = await tx
      .select({ name: customers.name })
      .from(customers)
      .where(eq(customers.id, before.customerId));
    const approval = await submitForApproval(tx, ctx, {
      docType: 'contract',
      docId: id,
      title: `合同 ${after.number} · ${customer?.name ?? ''} · ${formatYuan(after.amount)}`,
      link: `/sales/contracts/${id}`,
      facts: { amount: after.amount, nonStandard: after.nonStandard },
    });
    return approval;
  });
}

/** Records the signing of an approved contract: it becomes active. */
export async function signContract(db: Db, ctx: Ctx, id: string, input: z.infer<typeof contractSign>) {
  return withTx(db, async (tx) => {
    const before = await lockFor(tx, ctx, id, 'sign', input.version);
    // A contract is marked signed once it has been: the date cannot lie in the future.
    if (input.signedDate > dayIn(await companyTimeZone(tx))) throw invalidField('signedDate', 'invalid');
    await move(tx, ctx, before, 'sign', { signedDate: input.signedDate });
    return id;
  });
}

export async function completeContract(db: Db, ctx: Ctx, id: string, input: { version: number }) {
  return withTx(db, async (tx) => {
    const before = await lockFor(tx, ctx, id, 'complete', input.version);
    await move(tx, ctx, before, 'complete', { completedAt: new Date() });
    return id;
  });
}

/** Ends a contract early (or abandons a draft) with the reason; it stays on record. */
export async function terminateContract(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof contractTerminate>,
) {
  return withTx(db, async (tx) => {
    const before = await lockFor(tx, ctx, id, 'terminate', input.version);
    await move(tx, ctx, before, 'terminate', { terminatedAt: new Date(), terminationReason: input.reason });
    return id;
  });
}
