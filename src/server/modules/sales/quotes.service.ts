import { Decimal } from 'decimal.js';
import { and, asc, count, desc, eq, gte, inArray, lte, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  QuoteCreate,
  QuoteLineInputValue,
  QuoteUpdate,
  quoteListQuery,
  quotePreview,
  quoteReject,
  quoteSendRequest,
  quoteToContract,
} from '../../../contracts/quotes.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { scopeFilter } from '../../platform/access/scope.js';
import { submitForApproval, withdrawApproval } from '../../platform/approvals/approvals.service.js';
import { type PolicyRule, selectRule } from '../../platform/approvals/policy.js';
import { defineApprovalType } from '../../platform/approvals/registry.js';
import { approvalPolicies, approvalRequests } from '../../platform/approvals/schema.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { recordHistory } from '../../platform/audit/audit.service.js';
import { addDays } from '../../platform/calendar.js';
import type { Ctx } from '../../platform/context.js';
import {
  AppError,
  invalidField,
  invalidReference,
  notFound,
  versionConflict,
} from '../../platform/errors.js';
import { keyset, whereAll } from '../../platform/http/pagination.js';
import type { Locale } from '../../platform/i18n/locale.js';
import { formatFen } from '../../platform/money/amount-in-words.js';
import { isSmtpUsable } from '../../platform/notifications/delivery.js';
import { sendMail } from '../../platform/notifications/email.js';
import { notificationSettings } from '../../platform/notifications/schema.js';
import { defineNumbering, nextNumber } from '../../platform/numbering/numbering.js';
import { companyLetterhead, renderPdf } from '../../platform/pdf/index.js';
import { companyTimeZone, dayIn } from '../../platform/settings/settings.service.js';
import { contacts, customers } from '../customers/schema.js';
import { products } from '../orders/catalog/schema.js';
import { resolvePriceFor } from '../orders/index.js';
import { priceLists } from '../orders/pricing/schema.js';
import { orgUnits, users } from '../org/schema.js';
import { contracts } from './contracts.schema.js';
import { createContract } from './contracts.service.js';
import { opportunities } from './opportunities.schema.js';
import { visibleOpportunities } from './opportunities.service.js';
import { quotePdfDoc } from './quotes.pdf.js';
import {
  computeQuote,
  DIRECTOR_DISCOUNT_ABOVE,
  defaultApprovalLevel,
  isExpired,
  MANAGER_DISCOUNT_ABOVE,
  nextQuoteState,
  type QuoteAction,
  quoteActions,
} from './quotes.rules.js';
import { type QuoteState, quoteLines, quoteRevisions, quoteSends, quotes } from './quotes.schema.js';
import { assertCustomerContact, assertVisibleCustomer } from './references.js';

const RESOURCE = 'quotes';
export type QuoteRow = typeof quotes.$inferSelect;
export type QuoteRevisionRow = typeof quoteRevisions.$inferSelect;
export type QuoteLineRow = typeof quoteLines.$inferSelect;

defineNumbering('quote', 'Q');

/** A quote is valid for 30 days unless the rep sets another date. */
export const DEFAULT_VALIDITY_DAYS = 30;

/** Quotes the actor may see: their quotes scope (own, team subtree, all). */
export const visibleQuotes = (ctx: Ctx): SQL | undefined =>
  scopeFilter(ctx.actor, RESOURCE, { ownerId: quotes.ownerId, orgUnitId: quotes.orgUnitId });

export async function isVisibleQuote(db: Db, ctx: Ctx, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: quotes.id })
    .from(quotes)
    .where(whereAll(eq(quotes.id, id), visibleQuotes(ctx)));
  return !!row;
}

const seesCost = (ctx: Ctx) => !!ctx.actor?.permissions.has('products.cost');

async function today(db: Db) {
  return dayIn(await companyTimeZone(db));
}

// ---------------------------------------------------------------------------------------------
// Discount approval through the approvals engine

const managerStep = {
  name: '直属上级审批',
  approver: { kind: 'manager' as const },
  mode: 'any' as const,
  skipIfNone: true,
};
const directorStep = {
  name: '总监审批',
  approver: { kind: 'role' as const, role: 'director', scope: 'company' as const },
  mode: 'any' as const,
  skipIfNone: false,
};

/**
 * The default discount policy (issue 6): a line below its floor price, or a discount above 15%,
 * goes to the direct manager and then the director; above 5% to the manager; up to 5% needs no
 * approval. The administrator may replace it on the approval policies page.
 */
export const DEFAULT_QUOTE_APPROVAL: PolicyRule[] = [
  {
    name: '低于底价',
    conditions: [{ fact: 'belowFloor', op: 'isTrue' }],
    steps: [managerStep, directorStep],
  },
  {
    name: `折扣超过 ${DIRECTOR_DISCOUNT_ABOVE}%`,
    conditions: [{ fact: 'discountPercent', op: 'gt', value: DIRECTOR_DISCOUNT_ABOVE }],
    steps: [managerStep, directorStep],
  },
  {
    name: `折扣超过 ${MANAGER_DISCOUNT_ABOVE}%`,
    conditions: [{ fact: 'discountPercent', op: 'gt', value: MANAGER_DISCOUNT_ABOVE }],
    steps: [managerStep],
  },
];

const DECISION: Record<string, { state: QuoteState; action: string }> = {
  approved: { state: 'approved', action: 'approval_approve' },
  rejected: { state: 'draft', action: 'approval_reject' },
  returned: { state: 'draft', action: 'approval_return' },
  withdrawn: { state: 'draft', action: 'approval_withdraw' },
};

async function revisionVisible(db: Db, ctx: Ctx, revisionId: string) {
  const [row] = await db
    .select({ id: quotes.id })
    .from(quoteRevisions)
    .innerJoin(quotes, eq(quotes.id, quoteRevisions.quoteId))
    .where(whereAll(eq(quoteRevisions.id, revisionId), visibleQuotes(ctx)));
  return !!row;
}

defineApprovalType({
  docType: 'quote',
  label: { 'zh-CN': '报价折扣审批', en: 'Quote discount approval' },
  facts: [
    { key: 'discountPercent', type: 'percent', label: { 'zh-CN': '综合折扣率', en: 'Overall discount' } },
    { key: 'total', type: 'money', label: { 'zh-CN': '报价总额', en: 'Quote total' } },
    { key: 'belowFloor', type: 'boolean', label: { 'zh-CN': '低于底价', en: 'Below floor price' } },
  ],
  defaultRules: DEFAULT_QUOTE_APPROVAL,
  async onDecision(tx, ctx, decision) {
    // docId is the revision: each revision is approved on its own.
    const [before] = await tx
      .select()
      .from(quoteRevisions)
      .where(eq(quoteRevisions.id, decision.docId))
      .for('update');
    if (before?.state !== 'pending_approval') return;
    const outcome = DECISION[decision.outcome]!;
    const [after] = await tx
      .update(quoteRevisions)
      .set({
        state: outcome.state,
        approvalRequestId: decision.requestId,
        approvedAt: outcome.state === 'approved' ? new Date() : null,
        reviewComment: outcome.state === 'draft' ? (decision.comment ?? null) : null,
        updatedAt: sql`now()`,
        version: sql`${quoteRevisions.version} + 1`,
      })
      .where(eq(quoteRevisions.id, before.id))
      .returning();
    await tx
      .update(quotes)
      .set({ state: outcome.state, updatedAt: sql`now()`, version: sql`${quotes.version} + 1` })
      .where(eq(quotes.id, before.quoteId));
    await recordAudit(tx, ctx, {
      action: outcome.action,
      entity: 'quote',
      entityId: before.quoteId,
      before: { revision: before.revision, state: before.state },
      after: { revision: after!.revision, state: after!.state, comment: decision.comment ?? null },
    });
  },
  canView: revisionVisible,
});

/** The rules in force for quotes: the saved policy, or the default until one is saved. */
async function quotePolicy(db: Db): Promise<PolicyRule[]> {
  const [policy] = await db.select().from(approvalPolicies).where(eq(approvalPolicies.docType, 'quote'));
  return policy ? (policy.active ? policy.rules : []) : DEFAULT_QUOTE_APPROVAL;
}

const factsOf = (r: QuoteRevisionRow) => ({
  discountPercent: Number(r.effectiveDiscount),
  total: r.total,
  belowFloor: r.belowFloor,
});

// ---------------------------------------------------------------------------------------------
// Pricing lines

type PricedLine = Omit<typeof quoteLines.$inferInsert, 'revisionId'>;

/**
 * Prices the lines for the customer on a date: each product's price comes from resolution
 * (direct channel), then the rules compute amounts, the whole-quote discount and tax.
 */
export async function priceQuoteLines(
  tx: Db,
  ctx: Ctx,
  customerId: string,
  inputs: readonly QuoteLineInputValue[],
  wholeDiscount: string,
  date: string,
) {
  const ids = [...new Set(inputs.map((l) => l.productId))];
  const rows = ids.length ? await tx.select().from(products).where(inArray(products.id, ids)) : [];
  const byId = new Map(rows.map((p) => [p.id, p]));
  const resolved = [];
  for (const [index, line] of inputs.entries()) {
    const product = byId.get(line.productId);
    if (!product) throw invalidField(`lines.${index}.productId`, 'invalid');
    if (product.status === 'archived') {
      throw new AppError('quote_product_archived', {
        product: ctx.locale === 'en' && product.nameEn ? product.nameEn : product.name,
      });
    }
    const price = await resolvePriceFor(tx, {
      productId: product.id,
      customerId,
      channel: 'direct',
      date,
      quantity: line.quantity,
    });
    resolved.push({ line, product, price });
  }
  const totals = computeQuote(
    resolved.map(({ line, product, price }) => ({
      quantity: line.quantity,
      listPrice: price.unitPrice,
      discountPercent: line.discountPercent,
      unitPrice: line.unitPrice,
      taxRate: product.taxRate,
      floor: price.floor,
    })),
    wholeDiscount,
  );
  const lines: PricedLine[] = resolved.map(({ line, product, price }, i) => {
    const r = totals.lines[i]!;
    return {
      seq: i + 1,
      productId: product.id,
      productName: product.name,
      sku: product.sku,
      specification: product.specification,
      uom: product.uom,
      quantity: line.quantity,
      listPrice: price.unitPrice,
      floorPrice: price.floor,
      priceListId: price.priceList?.id ?? null,
      priceRuleId: price.ruleId,
      discountPercent: r.discountPercent,
      unitPrice: r.unitPrice,
      priceEntered: line.unitPrice !== undefined,
      amount: r.amount,
      allocatedDiscount: r.allocatedDiscount,
      netAmount: r.netAmount,
      taxRate: product.taxRate,
      tax: r.tax,
      belowFloor: r.belowFloor,
      costPrice: product.costPrice,
    };
  });
  return { lines, totals };
}

const totalsColumns = (t: ReturnType<typeof computeQuote>) => ({
  listTotal: t.listTotal,
  subtotal: t.subtotal,
  discountAmount: t.discountAmount,
  total: t.total,
  tax: t.tax,
  totalExclTax: t.totalExclTax,
  effectiveDiscount: t.effectiveDiscount,
  belowFloor: t.belowFloor,
});

function assertExpectedTotal(expected: number | undefined, actual: number) {
  if (expected !== undefined && expected !== actual) {
    throw new AppError('quote_total_mismatch', {
      expected: formatFen(expected, { symbol: '¥' }),
      actual: formatFen(actual, { symbol: '¥' }),
    });
  }
}

/** Live totals for the editor: the same pricing and rules as saving; nothing is written. */
export async function previewQuote(db: Db, ctx: Ctx, input: z.infer<typeof quotePreview>) {
  await assertVisibleCustomer(db, ctx, input.customerId);
  const { lines, totals } = await priceQuoteLines(
    db,
    ctx,
    input.customerId,
    input.lines,
    input.discountPercent ?? '0',
    await today(db),
  );
  return {
    ...totalsColumns(totals),
    approvalLevel: defaultApprovalLevel(totals.effectiveDiscount, totals.belowFloor),
    lines: lines.map((l) => ({
      productId: l.productId,
      productName: l.productName,
      sku: l.sku,
      specification: l.specification ?? null,
      uom: l.uom,
      quantity: l.quantity,
      listPrice: l.listPrice,
      floorPrice: l.floorPrice ?? null,
      discountPercent: l.discountPercent!,
      unitPrice: l.unitPrice,
      amount: l.amount,
      allocatedDiscount: l.allocatedDiscount!,
      netAmount: l.netAmount,
      taxRate: l.taxRate,
      tax: l.tax,
      belowFloor: l.belowFloor!,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Reading

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function selectQuotes(db: Db) {
  return db
    .select({
      quote: quotes,
      customerName: customers.name,
      opportunityName: opportunities.name,
      ownerName: users.name,
      orgUnitName: orgUnits.name,
    })
    .from(quotes)
    .innerJoin(customers, eq(customers.id, quotes.customerId))
    .leftJoin(opportunities, eq(opportunities.id, quotes.opportunityId))
    .innerJoin(users, eq(users.id, quotes.ownerId))
    .innerJoin(orgUnits, eq(orgUnits.id, quotes.orgUnitId));
}
type Row = Awaited<ReturnType<ReturnType<typeof selectQuotes>['where']>>[number];

function presentListItem(r: Row, day: string) {
  const q = r.quote;
  return {
    id: q.id,
    number: q.number,
    revision: q.revision,
    state: q.state,
    expired: isExpired(q.state, q.validUntil, day),
    customerId: q.customerId,
    customerName: r.customerName,
    opportunityId: q.opportunityId,
    opportunityName: r.opportunityName,
    validUntil: q.validUntil,
    total: q.total,
    contractId: q.contractId,
    ownerId: q.ownerId,
    ownerName: r.ownerName,
    orgUnitId: q.orgUnitId,
    orgUnitName: r.orgUnitName,
    createdAt: q.createdAt.toISOString(),
    updatedAt: q.updatedAt.toISOString(),
    version: q.version,
  };
}

export async function listQuotes(db: Db, ctx: Ctx, query: z.infer<typeof quoteListQuery>) {
  const day = await today(db);
  const page = keyset(query, { createdAt: quotes.createdAt, total: quotes.total }, quotes.id, '-createdAt');
  const q = query.q?.trim();
  const like = q ? `%${q.replace(/[\\%_]/g, '\\$&')}%` : '';
  const filter = whereAll(
    visibleQuotes(ctx),
    query.state ? eq(quotes.state, query.state) : undefined,
    query.customerId ? eq(quotes.customerId, query.customerId) : undefined,
    query.opportunityId ? eq(quotes.opportunityId, query.opportunityId) : undefined,
    query.ownerId ? eq(quotes.ownerId, query.ownerId) : undefined,
    query.who === 'mine' && ctx.actor ? eq(quotes.ownerId, ctx.actor.userId) : undefined,
    query.expiringWithinDays !== undefined
      ? and(
          inArray(quotes.state, ['approved', 'sent']),
          gte(quotes.validUntil, day),
          lte(quotes.validUntil, addDays(day, query.expiringWithinDays)),
        )
      : undefined,
    q ? or(sql`${quotes.number} ilike ${like}`, sql`${customers.name} ilike ${like}`) : undefined,
  );
  const rows = await selectQuotes(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(quotes)
    .innerJoin(customers, eq(customers.id, quotes.customerId))
    .where(filter);
  const key = query.sort?.replace(/^-/, '') ?? 'createdAt';
  const result = page.page(rows, n, (r) => [key === 'total' ? r.quote.total : r.quote.createdAt, r.quote.id]);
  return { ...result, items: result.items.map((r) => presentListItem(r, day)) };
}

function presentLine(l: QuoteLineRow & { priceListName: string | null }, withCost: boolean) {
  const cost =
    withCost && l.costPrice !== null
      ? Math.round(Number(l.costPrice) * Number(l.quantity)) // display only: cost × qty
      : undefined;
  return {
    id: l.id,
    seq: l.seq,
    productId: l.productId,
    productName: l.productName,
    sku: l.sku,
    specification: l.specification,
    uom: l.uom,
    quantity: trimQuantity(l.quantity),
    listPrice: l.listPrice,
    floorPrice: l.floorPrice,
    priceListName: l.priceListName,
    discountPercent: l.discountPercent,
    unitPrice: l.unitPrice,
    priceEntered: l.priceEntered,
    amount: l.amount,
    allocatedDiscount: l.allocatedDiscount,
    netAmount: l.netAmount,
    taxRate: l.taxRate,
    tax: l.tax,
    belowFloor: l.belowFloor,
    ...(cost !== undefined ? { cost, margin: l.netAmount - cost } : {}),
  };
}

/** "10.0000" → "10", "2.5000" → "2.5" */
const trimQuantity = (q: string) => (q.includes('.') ? q.replace(/\.?0+$/, '') : q);

async function linesOf(db: Db, revisionId: string) {
  return db
    .select({ line: quoteLines, priceListName: priceLists.name })
    .from(quoteLines)
    .leftJoin(priceLists, eq(priceLists.id, quoteLines.priceListId))
    .where(eq(quoteLines.revisionId, revisionId))
    .orderBy(asc(quoteLines.seq));
}

export async function loadRevision(db: Db, quoteId: string, revision: number) {
  const [row] = await db
    .select({ revision: quoteRevisions, contactName: contacts.name, contactEmail: contacts.email })
    .from(quoteRevisions)
    .leftJoin(contacts, eq(contacts.id, quoteRevisions.contactId))
    .where(and(eq(quoteRevisions.quoteId, quoteId), eq(quoteRevisions.revision, revision)));
  if (!row) throw notFound();
  const lines = (await linesOf(db, row.revision.id)).map((r) => ({
    ...r.line,
    priceListName: r.priceListName,
  }));
  return { ...row, lines };
}

function presentRevision(r: Awaited<ReturnType<typeof loadRevision>>, withCost: boolean) {
  const v = r.revision;
  const lines = r.lines.map((l) => presentLine(l, withCost));
  const cost = withCost ? lines.reduce((s, l) => s + (l.cost ?? 0), 0) : undefined;
  return {
    id: v.id,
    revision: v.revision,
    state: v.state,
    contactId: v.contactId,
    contactName: r.contactName,
    contactEmail: r.contactEmail,
    validUntil: v.validUntil,
    currency: v.currency,
    paymentTerms: v.paymentTerms,
    deliveryTerms: v.deliveryTerms,
    notes: v.notes,
    discountPercent: v.discountPercent,
    listTotal: v.listTotal,
    subtotal: v.subtotal,
    discountAmount: v.discountAmount,
    total: v.total,
    tax: v.tax,
    totalExclTax: v.totalExclTax,
    effectiveDiscount: v.effectiveDiscount,
    belowFloor: v.belowFloor,
    approvalLevel: defaultApprovalLevel(v.effectiveDiscount, v.belowFloor),
    approvalRequestId: v.approvalRequestId,
    reviewComment: v.reviewComment,
    submittedAt: iso(v.submittedAt),
    approvedAt: iso(v.approvedAt),
    sentAt: iso(v.sentAt),
    acceptedAt: iso(v.acceptedAt),
    rejectedAt: iso(v.rejectedAt),
    rejectionReason: v.rejectionReason,
    createdAt: v.createdAt.toISOString(),
    lines,
    ...(cost !== undefined ? { cost, margin: v.total - cost } : {}),
  };
}

/** One quote with the asked (default: latest) revision, the revisions list and the e-mails sent. */
export async function getQuote(db: Db, ctx: Ctx, id: string, revision?: number) {
  const [row] = await selectQuotes(db).where(whereAll(eq(quotes.id, id), visibleQuotes(ctx)));
  if (!row) throw notFound();
  const q = row.quote;
  const day = await today(db);
  const current = await loadRevision(db, id, revision ?? q.revision);
  const revisions = await db
    .select({
      id: quoteRevisions.id,
      revision: quoteRevisions.revision,
      state: quoteRevisions.state,
      total: quoteRevisions.total,
      createdAt: quoteRevisions.createdAt,
    })
    .from(quoteRevisions)
    .where(eq(quoteRevisions.quoteId, id))
    .orderBy(desc(quoteRevisions.revision));
  const sends = await db
    .select({ send: quoteSends, sentByName: users.name })
    .from(quoteSends)
    .innerJoin(users, eq(users.id, quoteSends.sentBy))
    .where(eq(quoteSends.quoteId, id))
    .orderBy(desc(quoteSends.sentAt));
  const [contract] = q.contractId
    ? await db.select({ number: contracts.number }).from(contracts).where(eq(contracts.id, q.contractId))
    : [];
  const withCost = seesCost(ctx);
  return {
    ...presentListItem(row, day),
    contractNumber: contract?.number ?? null,
    current: presentRevision(current, withCost),
    revisions: revisions.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    sends: sends.map(({ send, sentByName }) => ({
      id: send.id,
      revision: send.revision,
      to: send.to,
      cc: send.cc,
      subject: send.subject,
      locale: send.locale,
      sentAt: send.sentAt.toISOString(),
      sentByName,
    })),
    actions: quoteActions(q.state, isExpired(q.state, q.validUntil, day), !!q.contractId),
    seesCost: withCost,
  };
}

/** The printable quote (a revision, default the latest) in Chinese or English; never with costs. */
export async function renderQuotePdf(db: Db, ctx: Ctx, id: string, locale: Locale, revision?: number) {
  const view = await getQuote(db, { ...ctx, actor: ctx.actor && withoutCost(ctx.actor) }, id, revision);
  const pdf = await renderPdf(quotePdfDoc(view, await companyLetterhead(db), locale), { locale });
  const fileName =
    locale === 'en'
      ? `Quotation ${view.number} rev${view.current.revision}.pdf`
      : `报价单 ${view.number} 第${view.current.revision}版.pdf`;
  return { pdf, fileName, quote: view };
}

/** The same actor without products.cost: printed documents never carry costs or margins. */
function withoutCost<A extends { permissions: ReadonlySet<string> }>(actor: A): A {
  const permissions = new Set(actor.permissions);
  permissions.delete('products.cost');
  return { ...actor, permissions };
}

export async function quoteHistory(db: Db, ctx: Ctx, id: string) {
  if (!(await isVisibleQuote(db, ctx, id))) throw notFound();
  return recordHistory(db, 'quote', id);
}

/**
 * An accepted quote for the order side (issue 7): its latest revision with lines, for a customer
 * and owner the actor can see. Throws 404 when not visible, 409 when not accepted.
 */
export async function getQuoteForOrder(db: Db, ctx: Ctx, id: string) {
  const quote = await getQuote(db, ctx, id);
  if (quote.state !== 'accepted') throw wrongState(ctx, quote.state, 'contract');
  return quote;
}

// ---------------------------------------------------------------------------------------------
// Writing

const STATE_LABELS: Record<QuoteState, Record<Locale, string>> = {
  draft: { 'zh-CN': '草稿', en: 'a draft' },
  pending_approval: { 'zh-CN': '审批中', en: 'pending approval' },
  approved: { 'zh-CN': '已审批', en: 'approved' },
  sent: { 'zh-CN': '已发送', en: 'sent' },
  accepted: { 'zh-CN': '客户已接受', en: 'accepted' },
  rejected: { 'zh-CN': '客户已拒绝', en: 'rejected' },
  superseded: { 'zh-CN': '已被新版本取代', en: 'superseded' },
};
const ACTION_LABELS: Record<QuoteAction, Record<Locale, string>> = {
  edit: { 'zh-CN': '修改', en: 'changed' },
  submit: { 'zh-CN': '提交审批', en: 'submitted' },
  withdraw: { 'zh-CN': '撤回', en: 'withdrawn' },
  revise: { 'zh-CN': '修订', en: 'revised' },
  send: { 'zh-CN': '发送', en: 'sent' },
  accept: { 'zh-CN': '接受', en: 'accepted' },
  reject: { 'zh-CN': '拒绝', en: 'rejected' },
  contract: { 'zh-CN': '转为合同', en: 'converted to a contract' },
};

const wrongState = (ctx: Ctx, state: QuoteState, action: QuoteAction) =>
  new AppError('quote_wrong_state', {
    state: STATE_LABELS[state][ctx.locale],
    action: ACTION_LABELS[action][ctx.locale],
  });

async function assertOpportunity(tx: Db, ctx: Ctx, customerId: string, opportunityId: string) {
  const [row] = await tx
    .select({ id: opportunities.id })
    .from(opportunities)
    .where(
      whereAll(
        eq(opportunities.id, opportunityId),
        eq(opportunities.customerId, customerId),
        visibleOpportunities(ctx),
      ),
    );
  if (!row) throw invalidReference('opportunityId');
}

function assertValidUntil(validUntil: string, day: string) {
  if (validUntil < day) throw invalidField('validUntil', 'invalid');
}

export interface CreateQuoteOptions {
  /** Another owner than the actor (demo data). */
  owner?: { ownerId: string; orgUnitId: string };
  /** Backdating for a data generator: also the pricing date. */
  createdAt?: Date;
}

/**
 * Drafts a quote (v1) for a customer the actor can see, optionally from one of its opportunities.
 * Lines are priced by resolution for the customer; a client `expectedTotal` must match the
 * server's total. One transaction; usable by a bulk generator.
 */
export async function createQuote(db: Db, ctx: Ctx, input: QuoteCreate, options: CreateQuoteOptions = {}) {
  const actor = ctx.actor;
  if (!actor) throw new AppError('forbidden');
  return withTx(db, async (tx) => {
    await assertVisibleCustomer(tx, ctx, input.customerId);
    if (input.contactId) await assertCustomerContact(tx, input.customerId, input.contactId);
    if (input.opportunityId) await assertOpportunity(tx, ctx, input.customerId, input.opportunityId);
    const now = options.createdAt ?? new Date();
    const tz = await companyTimeZone(tx);
    const day = dayIn(tz, now);
    const validUntil = input.validUntil ?? addDays(day, DEFAULT_VALIDITY_DAYS);
    assertValidUntil(validUntil, day);
    const discount = input.discountPercent ?? '0';
    const { lines, totals } = await priceQuoteLines(tx, ctx, input.customerId, input.lines, discount, day);
    assertExpectedTotal(input.expectedTotal, totals.total);
    const owner = options.owner ?? { ownerId: actor.userId, orgUnitId: actor.orgUnitId };
    const [quote] = await tx
      .insert(quotes)
      .values({
        number: await nextNumber(tx, 'quote', now),
        customerId: input.customerId,
        opportunityId: input.opportunityId ?? null,
        ...owner,
        revision: 1,
        state: 'draft',
        validUntil,
        total: totals.total,
        createdAt: now,
        updatedAt: now,
        createdBy: actor.userId,
      })
      .returning();
    const [revision] = await tx
      .insert(quoteRevisions)
      .values({
        quoteId: quote!.id,
        revision: 1,
        state: 'draft',
        contactId: input.contactId ?? null,
        validUntil,
        paymentTerms: input.paymentTerms || null,
        deliveryTerms: input.deliveryTerms || null,
        notes: input.notes || null,
        discountPercent: discount,
        ...totalsColumns(totals),
        createdAt: now,
        updatedAt: now,
        createdBy: actor.userId,
      })
      .returning();
    await tx.insert(quoteLines).values(lines.map((l) => ({ ...l, revisionId: revision!.id })));
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'quote',
      entityId: quote!.id,
      after: { ...quote, ...revisionSummary(revision!), lines: lineSummary(lines) },
    });
    return quote!.id;
  });
}

const revisionSummary = (r: QuoteRevisionRow) => ({
  revision: r.revision,
  contactId: r.contactId,
  validUntil: r.validUntil,
  paymentTerms: r.paymentTerms,
  deliveryTerms: r.deliveryTerms,
  notes: r.notes,
  discountPercent: r.discountPercent,
  total: r.total,
  effectiveDiscount: r.effectiveDiscount,
});
const lineSummary = (
  lines: {
    productId: string;
    quantity: string;
    discountPercent?: string | undefined;
    unitPrice: number;
    netAmount: number;
  }[],
) =>
  lines.map(
    (l) => `${l.productId} × ${l.quantity} @ ${l.unitPrice} (-${l.discountPercent ?? '0'}%) = ${l.netAmount}`,
  );

async function lockQuote(tx: Db, ctx: Ctx, id: string, version?: number) {
  const [quote] = await tx
    .select()
    .from(quotes)
    .where(whereAll(eq(quotes.id, id), visibleQuotes(ctx)))
    .for('update');
  if (!quote) throw notFound();
  if (version !== undefined && quote.version !== version) throw versionConflict();
  const [latest] = await tx
    .select()
    .from(quoteRevisions)
    .where(and(eq(quoteRevisions.quoteId, id), eq(quoteRevisions.revision, quote.revision)))
    .for('update');
  return { quote, latest: latest! };
}

async function assertAllowed(tx: Db, ctx: Ctx, quote: QuoteRow, action: QuoteAction) {
  if (!nextQuoteState(quote.state, action)) {
    if (action === 'edit') {
      throw new AppError('quote_not_editable', {
        number: quote.number,
        revision: quote.revision,
        state: STATE_LABELS[quote.state][ctx.locale],
      });
    }
    if (action === 'contract' && quote.contractId) await alreadyConverted(tx, quote);
    throw wrongState(ctx, quote.state, action);
  }
}

async function alreadyConverted(tx: Db, quote: QuoteRow): Promise<never> {
  const [c] = await tx
    .select({ number: contracts.number })
    .from(contracts)
    .where(eq(contracts.id, quote.contractId!));
  throw new AppError('quote_already_converted', { number: quote.number, contract: c?.number ?? '' });
}

/** Moves the latest revision (and the header's mirror) to a state, bumping both versions. */
async function setState(
  tx: Db,
  quote: QuoteRow,
  latest: QuoteRevisionRow,
  state: QuoteState,
  set: Partial<typeof quoteRevisions.$inferInsert> = {},
  header: Partial<typeof quotes.$inferInsert> = {},
) {
  const [revision] = await tx
    .update(quoteRevisions)
    .set({ ...set, state, updatedAt: sql`now()`, version: sql`${quoteRevisions.version} + 1` })
    .where(eq(quoteRevisions.id, latest.id))
    .returning();
  const [after] = await tx
    .update(quotes)
    .set({ ...header, state, updatedAt: sql`now()`, version: sql`${quotes.version} + 1` })
    .where(and(eq(quotes.id, quote.id), eq(quotes.version, quote.version)))
    .returning();
  if (!after) throw versionConflict();
  return { quote: after, revision: revision! };
}

/** Changes the latest revision while it is a draft; `lines` replaces all lines (re-priced). */
export async function updateQuote(db: Db, ctx: Ctx, id: string, input: QuoteUpdate) {
  return withTx(db, async (tx) => {
    const { quote, latest } = await lockQuote(tx, ctx, id);
    await assertAllowed(tx, ctx, quote, 'edit');
    if (quote.version !== input.version) throw versionConflict();
    if (input.contactId) await assertCustomerContact(tx, quote.customerId, input.contactId);
    const day = await today(tx);
    const validUntil = input.validUntil ?? latest.validUntil;
    if (input.validUntil) assertValidUntil(validUntil, day);
    const discount = input.discountPercent ?? latest.discountPercent;
    const oldLines = (await linesOf(tx, latest.id)).map((r) => r.line);
    // Lines not given are re-priced as they stand (same products, quantities and discounts).
    const lineInputs: QuoteLineInputValue[] =
      input.lines ??
      oldLines.map((l) => ({
        productId: l.productId,
        quantity: trimQuantity(l.quantity),
        ...(l.priceEntered ? { unitPrice: l.unitPrice } : { discountPercent: l.discountPercent }),
      }));
    const { lines, totals } = await priceQuoteLines(tx, ctx, quote.customerId, lineInputs, discount, day);
    assertExpectedTotal(input.expectedTotal, totals.total);
    const set: Partial<typeof quoteRevisions.$inferInsert> = {
      validUntil,
      discountPercent: discount,
      ...totalsColumns(totals),
    };
    for (const key of ['contactId', 'paymentTerms', 'deliveryTerms', 'notes'] as const) {
      if (input[key] !== undefined) (set as Record<string, unknown>)[key] = input[key] || null;
    }
    const moved = await setState(tx, quote, latest, 'draft', set, { validUntil, total: totals.total });
    await tx.delete(quoteLines).where(eq(quoteLines.revisionId, latest.id));
    await tx.insert(quoteLines).values(lines.map((l) => ({ ...l, revisionId: latest.id })));
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'quote',
      entityId: id,
      before: { ...revisionSummary(latest), lines: lineSummary(oldLines) },
      after: { ...revisionSummary(moved.revision), lines: lineSummary(lines) },
    });
    return id;
  });
}

/**
 * Makes the next revision: the latest (approved, sent, rejected or expired) is superseded and
 * copied, lines included, into a new draft that the rep edits and submits again.
 */
export async function reviseQuote(db: Db, ctx: Ctx, id: string, input: { version: number }) {
  return withTx(db, async (tx) => {
    const { quote, latest } = await lockQuote(tx, ctx, id, input.version);
    await assertAllowed(tx, ctx, quote, 'revise');
    await setState(tx, quote, latest, 'superseded');
    const day = await today(tx);
    const validUntil = latest.validUntil < day ? addDays(day, DEFAULT_VALIDITY_DAYS) : latest.validUntil;
    const { id: _id, createdAt: _c, updatedAt: _u, version: _v, ...copy } = latest;
    const [next] = await tx
      .insert(quoteRevisions)
      .values({
        ...copy,
        revision: latest.revision + 1,
        state: 'draft',
        validUntil,
        approvalRequestId: null,
        reviewComment: null,
        submittedAt: null,
        approvedAt: null,
        sentAt: null,
        acceptedAt: null,
        rejectedAt: null,
        rejectionReason: null,
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    const oldLines = (await linesOf(tx, latest.id)).map((r) => r.line);
    await tx
      .insert(quoteLines)
      .values(oldLines.map(({ id: _lineId, revisionId: _r, ...l }) => ({ ...l, revisionId: next!.id })));
    await tx
      .update(quotes)
      .set({ revision: next!.revision, state: 'draft', validUntil, total: next!.total })
      .where(eq(quotes.id, id));
    await recordAudit(tx, ctx, {
      action: 'revise',
      entity: 'quote',
      entityId: id,
      before: { revision: latest.revision, state: latest.state },
      after: { revision: next!.revision, state: 'draft' },
    });
    return id;
  });
}

/** Submits the draft into discount approval (inside the same transaction). */
async function submitLatest(tx: Db, ctx: Ctx, quote: QuoteRow, latest: QuoteRevisionRow) {
  if (latest.validUntil < (await today(tx))) throw invalidField('validUntil', 'invalid');
  const moved = await setState(tx, quote, latest, 'pending_approval', {
    submittedAt: new Date(),
    approvedAt: null,
    reviewComment: null,
  });
  await recordAudit(tx, ctx, {
    action: 'submit',
    entity: 'quote',
    entityId: quote.id,
    before: { revision: latest.revision, state: latest.state },
    after: { revision: latest.revision, state: 'pending_approval', ...factsOf(latest) },
  });
  const [customer] = await tx
    .select({ name: customers.name })
    .from(customers)
    .where(eq(customers.id, quote.customerId));
  const approval = await submitForApproval(tx, ctx, {
    docType: 'quote',
    docId: latest.id,
    title: `报价单 ${quote.number} v${latest.revision} · ${customer?.name ?? ''} · ${formatFen(latest.total, { symbol: '¥' })} · 折扣 ${latest.effectiveDiscount}%`,
    link: `/sales/quotes/${quote.id}`,
    facts: factsOf(latest),
  });
  await tx
    .update(quoteRevisions)
    .set({ approvalRequestId: approval.requestId })
    .where(eq(quoteRevisions.id, latest.id));
  return { approval, quote: moved.quote };
}

/**
 * Submits the latest draft: with a matching policy rule it waits for the approvers
 * (pending_approval); without one it is approved at once.
 */
export async function submitQuote(db: Db, ctx: Ctx, id: string, input: { version: number }) {
  return withTx(db, async (tx) => {
    const { quote, latest } = await lockQuote(tx, ctx, id, input.version);
    await assertAllowed(tx, ctx, quote, 'submit');
    return (await submitLatest(tx, ctx, quote, latest)).approval;
  });
}

/** Takes a pending quote back to draft: the approval request is withdrawn (its approvers told). */
export async function withdrawQuote(db: Db, ctx: Ctx, id: string, input: { version: number }) {
  const requestId = await withTx(db, async (tx) => {
    const { quote, latest } = await lockQuote(tx, ctx, id, input.version);
    await assertAllowed(tx, ctx, quote, 'withdraw');
    return latest.approvalRequestId;
  });
  if (!requestId) throw notFound();
  await withdrawApproval(db, ctx, requestId);
  return id;
}

/**
 * A revision with a line below its floor price goes out or is accepted only with an approved
 * approval request, whatever the saved policy says.
 */
async function assertApprovedIfBelowFloor(
  tx: Db,
  ctx: Ctx,
  quote: QuoteRow,
  r: QuoteRevisionRow,
  action: QuoteAction,
) {
  if (!r.belowFloor) return;
  const [request] = r.approvalRequestId
    ? await tx
        .select({ status: approvalRequests.status })
        .from(approvalRequests)
        .where(eq(approvalRequests.id, r.approvalRequestId))
    : [];
  if (request?.status !== 'approved') {
    throw new AppError('quote_needs_approval', {
      number: quote.number,
      reason: ctx.locale === 'en' ? 'a line is below its floor price' : '有产品低于底价',
      action: ACTION_LABELS[action][ctx.locale],
    });
  }
}

/**
 * Sending a draft approves it on the way when no approval rule applies; when one does → 422
 * quote_needs_approval (submit first). Runs in the caller's transaction.
 */
async function approveDraftForSending(tx: Db, ctx: Ctx, quote: QuoteRow, latest: QuoteRevisionRow) {
  const rule = selectRule(await quotePolicy(tx), factsOf(latest));
  if (rule) {
    throw new AppError('quote_needs_approval', {
      number: quote.number,
      reason: rule.name,
      action: ACTION_LABELS.send[ctx.locale],
    });
  }
  await submitLatest(tx, ctx, quote, latest);
}

async function mailSettings(db: Db) {
  const [settings] = await db.select().from(notificationSettings).where(eq(notificationSettings.id, 1));
  return settings && isSmtpUsable(settings) ? settings : null;
}

/**
 * E-mails the latest revision's PDF to the customer through the company's SMTP settings, records
 * the send and moves the quote to sent. Nothing changes when mail is not set up, approval is
 * missing or the server refuses.
 */
export async function sendQuote(db: Db, ctx: Ctx, id: string, input: z.infer<typeof quoteSendRequest>) {
  const actor = ctx.actor;
  if (!actor) throw new AppError('forbidden');
  const settings = await mailSettings(db);
  // Checks first (nothing written on failure), then the draft is approved on the way if allowed.
  await withTx(db, async (tx) => {
    const { quote, latest } = await lockQuote(tx, ctx, id, input.version);
    await assertAllowed(tx, ctx, quote, 'send');
    if (isExpired(quote.state, quote.validUntil, await today(tx))) throw wrongState(ctx, quote.state, 'send');
    if (quote.state === 'draft') {
      const rule = selectRule(await quotePolicy(tx), factsOf(latest));
      if (rule || latest.belowFloor) {
        throw new AppError('quote_needs_approval', {
          number: quote.number,
          reason: rule?.name ?? (ctx.locale === 'en' ? 'a line is below its floor price' : '有产品低于底价'),
          action: ACTION_LABELS.send[ctx.locale],
        });
      }
    } else await assertApprovedIfBelowFloor(tx, ctx, quote, latest, 'send');
    if (!settings) throw new AppError('quote_mail_not_configured');
  });
  const { pdf, fileName, quote: view } = await renderQuotePdf(db, ctx, id, input.locale);
  const subject =
    input.subject ||
    (input.locale === 'en'
      ? `Quotation ${view.number} (rev. ${view.revision})`
      : `报价单 ${view.number}（第 ${view.revision} 版）`);
  const text =
    input.message ||
    (input.locale === 'en'
      ? `Dear ${view.customerName},\n\nPlease find attached our quotation ${view.number}, valid until ${view.current.validUntil}.\n\n${actor.name}`
      : `${view.customerName}：\n\n您好！附件是我司报价单 ${view.number}，有效期至 ${view.current.validUntil}。\n\n${actor.name}`);
  try {
    await sendMail(
      settings!,
      {
        to: input.to,
        ...(input.cc?.length ? { cc: input.cc } : {}),
        subject,
        text,
        attachments: [{ filename: fileName, content: pdf, contentType: 'application/pdf' }],
      },
      '',
    );
  } catch (err) {
    throw new AppError('quote_mail_failed', { reason: err instanceof Error ? err.message : String(err) });
  }
  await withTx(db, async (tx) => {
    let { quote, latest } = await lockQuote(tx, ctx, id);
    if (quote.state === 'draft') {
      await approveDraftForSending(tx, ctx, quote, latest);
      ({ quote, latest } = await lockQuote(tx, ctx, id));
    }
    await tx.insert(quoteSends).values({
      quoteId: id,
      revisionId: latest.id,
      revision: latest.revision,
      to: input.to,
      cc: input.cc?.join(', ') || null,
      subject,
      locale: input.locale,
      sentBy: actor.userId,
    });
    await setState(tx, quote, latest, 'sent', { sentAt: new Date() });
    await recordAudit(tx, ctx, {
      action: 'send',
      entity: 'quote',
      entityId: id,
      before: { state: latest.state },
      after: { state: 'sent', revision: latest.revision, to: input.to, cc: input.cc ?? [], subject },
    });
  });
  return id;
}

/** The customer accepts the latest revision (not once it has expired). */
export async function acceptQuote(db: Db, ctx: Ctx, id: string, input: { version: number }) {
  return withTx(db, async (tx) => {
    const { quote, latest } = await lockQuote(tx, ctx, id, input.version);
    await assertAllowed(tx, ctx, quote, 'accept');
    if (isExpired(quote.state, quote.validUntil, await today(tx))) {
      throw new AppError('quote_expired', { number: quote.number, validUntil: quote.validUntil });
    }
    await assertApprovedIfBelowFloor(tx, ctx, quote, latest, 'accept');
    await setState(tx, quote, latest, 'accepted', { acceptedAt: new Date() });
    await recordAudit(tx, ctx, {
      action: 'accept',
      entity: 'quote',
      entityId: id,
      before: { state: latest.state },
      after: { state: 'accepted', revision: latest.revision },
    });
    return id;
  });
}

export async function rejectQuote(db: Db, ctx: Ctx, id: string, input: z.infer<typeof quoteReject>) {
  return withTx(db, async (tx) => {
    const { quote, latest } = await lockQuote(tx, ctx, id, input.version);
    await assertAllowed(tx, ctx, quote, 'reject');
    await setState(tx, quote, latest, 'rejected', { rejectedAt: new Date(), rejectionReason: input.reason });
    await recordAudit(tx, ctx, {
      action: 'reject',
      entity: 'quote',
      entityId: id,
      before: { state: latest.state },
      after: { state: 'rejected', revision: latest.revision, reason: input.reason },
    });
    return id;
  });
}

/**
 * Turns an accepted quote into a draft contract (amount = the quote's total; customer, contact and
 * opportunity carried over) with the given payment plan, and links it back. Once only.
 */
export async function convertQuoteToContract(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof quoteToContract>,
) {
  if (!ctx.actor?.permissions.has('contracts.create')) throw new AppError('forbidden');
  return withTx(db, async (tx) => {
    const { quote, latest } = await lockQuote(tx, ctx, id, input.version);
    if (quote.contractId) await alreadyConverted(tx, quote);
    await assertAllowed(tx, ctx, quote, 'contract');
    const [customer] = await tx
      .select({ name: customers.name })
      .from(customers)
      .where(eq(customers.id, quote.customerId));
    const taxRates = [...new Set((await linesOf(tx, latest.id)).map((r) => r.line.taxRate))];
    // The contract's single tax rate: the lines' rate when they share one (fraction → percent).
    const taxRate =
      input.taxRate ?? (taxRates.length === 1 ? new Decimal(taxRates[0]!).times(100).toString() : '13');
    const contractId = await createContract(tx, ctx, {
      title: input.title ?? `${customer?.name ?? ''} 报价单 ${quote.number} 合同`,
      customerId: quote.customerId,
      ...(latest.contactId ? { contactId: latest.contactId } : {}),
      amount: latest.total,
      taxRate,
      ...(latest.paymentTerms ? { paymentTerms: latest.paymentTerms } : {}),
      ...(latest.deliveryTerms ? { deliveryTerms: latest.deliveryTerms } : {}),
      ...(input.warranty ? { warranty: input.warranty } : {}),
      nonStandard: false,
      startDate: input.startDate,
      endDate: input.endDate,
      ...(quote.opportunityId ? { opportunityId: quote.opportunityId } : {}),
      quoteId: quote.id,
      installments: input.installments,
    });
    await tx
      .update(quotes)
      .set({ contractId, updatedAt: sql`now()`, version: sql`${quotes.version} + 1` })
      .where(eq(quotes.id, id));
    await recordAudit(tx, ctx, {
      action: 'convert_to_contract',
      entity: 'quote',
      entityId: id,
      before: { contractId: null },
      after: { contractId },
    });
    return contractId;
  });
}
