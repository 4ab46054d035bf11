import type { Faker } from '@faker-js/faker';
import { Decimal } from 'decimal.js';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import { type Db, queryRows } from '../../db/client.js';
import { loadActor } from '../../platform/access/actor.js';
import { addDays } from '../../platform/calendar.js';
import type { Ctx } from '../../platform/context.js';
import { nextNumbers } from '../../platform/numbering/numbering.js';
import { companyTimeZone } from '../../platform/settings/settings.service.js';
import { contacts } from '../customers/schema.js';
import { productCategories, products } from '../orders/catalog/schema.js';
import { contracts } from './contracts.schema.js';
import type { DemoOpportunity, SalesDemoContext } from './demo.js';
import { computeQuote, MANAGER_DISCOUNT_ABOVE, type QuoteStateName } from './quotes.rules.js';
import { quoteLines, quoteRevisions, quoteSends, quotes } from './quotes.schema.js';
import { submitQuote } from './quotes.service.js';

// The quotes of the demo company (issue 6, item 9): about 1,500 quotes with their revisions, lines
// and e-mails, mostly on the demo opportunities that reached the quotation stage (报价 in the
// standard pipeline, 商务谈判 in the distribution one), made by the opportunity's owner for its
// customer and contact inside that stage's stay. Money comes from `computeQuote` for every revision,
// so totals are exactly what the service computes; the baseline price is the product's list price
// (resolving each of ~4,000 lines through the price lists would be too slow for the demo load).
// Non-draft revisions keep the effective discount within 5 % (no approval needed by the default
// policy); a handful of the most recent open quotes go to discount approval through submitQuote,
// as their owners would, so the managers' inboxes hold real quote approvals.

/** Volumes at scale 1; `scale` multiplies them. */
export const QUOTES_DEMO_VOLUMES = { quotes: 1500, pendingApproval: 10 };

export interface QuotesDemoCounts {
  quotes: number;
  revisions: number;
  lines: number;
  sends: number;
  accepted: number;
  pendingApproval: number;
  linkedContracts: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const BATCH = 500;

const PAYMENT_TERMS = [
  '预付30%，提货付清',
  '款到发货',
  '月结30天',
  '预付50%，验收后付清',
  '分期付款，首付30%',
];
const DELIVERY_TERMS = [
  '合同签订后30日内交付',
  '现车，款到3日内交付',
  '分批交付',
  '送货至客户指定地点',
  '门店自提',
];
const NOTES = ['含首保', '价格含税含运费', '赠送脚垫及贴膜', '报价含上牌服务', null, null, null];
const REJECTIONS = ['价格高于竞品', '客户预算不足', '客户选择了其他供应商', '项目取消', '交付周期不满足'];

interface Product {
  id: string;
  name: string;
  sku: string;
  specification: string | null;
  uom: string;
  listPrice: number;
  costPrice: number | null;
  taxRate: string;
  kind: 'vehicle' | 'part' | 'service';
}

interface LineSpec {
  product: Product;
  quantity: string;
  discount: string;
}

type Outcome = 'accepted' | 'rejected' | 'expired' | 'sent' | 'approved' | 'draft' | 'pending';

interface Plan {
  id: string;
  opportunity: DemoOpportunity | null;
  customerId: string;
  ownerId: string;
  orgUnitId: string;
  contactId: string | null;
  createdAt: number;
  end: number;
  outcome: Outcome;
  revisions: number;
  contractId: string | null;
}

/**
 * Writes the quotes demo in the caller's transaction on top of the sales demo's context and
 * returns its counts. Deterministic for a given faker seed and `now`.
 */
export async function seedQuotesDemo(
  tx: Db,
  faker: Faker,
  ctx: Ctx,
  sales: SalesDemoContext,
  opts: { scale: number; now?: Date },
): Promise<QuotesDemoCounts> {
  const now = (opts.now ?? new Date()).getTime();
  const counts: QuotesDemoCounts = {
    quotes: 0,
    revisions: 0,
    lines: 0,
    sends: 0,
    accepted: 0,
    pendingApproval: 0,
    linkedContracts: 0,
  };
  if (!sales.opportunities.length) return counts;
  const timeZone = await companyTimeZone(tx);
  const dayFormat = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const day = (t: number) => dayFormat.format(new Date(t));
  const today = day(now);
  const rand = () => faker.number.float({ min: 0, max: 1 });
  const chance = (p: number) => rand() < p;
  const pick = <T>(list: readonly T[]) => faker.helpers.arrayElement(list);
  const between = (from: number, to: number) => Math.round(from + rand() * Math.max(0, to - from));

  // The catalog: active products with a price, by kind ------------------------------------------
  const productRows = await tx
    .select({
      id: products.id,
      name: products.name,
      sku: products.sku,
      specification: products.specification,
      uom: products.uom,
      listPrice: products.listPrice,
      costPrice: products.costPrice,
      taxRate: products.taxRate,
      code: productCategories.code,
    })
    .from(products)
    .innerJoin(productCategories, eq(productCategories.id, products.categoryId))
    .where(and(eq(products.status, 'active'), sql`${products.listPrice} > 0`))
    .orderBy(products.sku);
  const catalog: Product[] = productRows.map((p) => ({
    ...p,
    kind: p.code.startsWith('VEH') ? 'vehicle' : p.code.startsWith('SVC') ? 'service' : 'part',
  }));
  const vehicles = catalog.filter((p) => p.kind === 'vehicle');
  const parts = catalog.filter((p) => p.kind === 'part');
  const services = catalog.filter((p) => p.kind === 'service');
  if (!catalog.length) return counts;

  // Contacts' e-mail addresses for the sends.
  const contactIds = [...new Set(sales.opportunities.flatMap((o) => o.contactIds))];
  const emailOf = new Map<string, string | null>();
  for (let i = 0; i < contactIds.length; i += 5000) {
    const rows = await tx
      .select({ id: contacts.id, email: contacts.email })
      .from(contacts)
      .where(inArray(contacts.id, contactIds.slice(i, i + 5000)));
    for (const r of rows) emailOf.set(r.id, r.email);
  }

  // Which stage is "quoting" in each pipeline: 报价, else the last open stage (商务谈判).
  const quoteStage = new Map<string, string>();
  for (const p of sales.pipelines) {
    const open = p.stages.filter((s) => s.kind === 'open');
    const stage = open.find((s) => s.nameZh === '报价') ?? open[open.length - 1];
    if (stage) quoteStage.set(p.id, stage.id);
  }
  const contractOf = new Map<string, { id: string; createdAt: number }>();
  for (const c of sales.contracts) {
    if (c.opportunityId && !['draft', 'in_review'].includes(c.state) && !contractOf.has(c.opportunityId))
      contractOf.set(c.opportunityId, { id: c.id, createdAt: c.createdAt.getTime() });
  }

  // The plans: which quote, when, ending how ------------------------------------------------------
  const target = QUOTES_DEMO_VOLUMES.quotes * opts.scale;
  const eligible = sales.opportunities.filter((o) => {
    const stageId = quoteStage.get(o.pipelineId);
    return o.path.some((p) => p.stageId === stageId);
  });
  const chosen = faker.helpers.arrayElements(eligible, Math.min(eligible.length, Math.round(target * 0.9)));
  const revisionCount = () =>
    faker.helpers.weightedArrayElement([
      { weight: 62, value: 1 },
      { weight: 30, value: 2 },
      { weight: 8, value: 3 },
    ]);
  const plans: Plan[] = [];
  for (const o of chosen) {
    const stageId = quoteStage.get(o.pipelineId)!;
    const k = o.path.findIndex((p) => p.stageId === stageId);
    const entered = o.path[k]!.enteredAt.getTime();
    const stayEnd = o.path[k + 1]?.enteredAt.getTime() ?? now - HOUR_MS;
    // Linked to the won opportunity's contract when that was drafted after the quoting began.
    const signed = o.status === 'won' ? contractOf.get(o.id) : undefined;
    const contract = signed && signed.createdAt > entered + 4 * HOUR_MS ? signed : undefined;
    let end = o.status === 'open' ? now - HOUR_MS : o.closedAt!.getTime();
    if (contract) end = Math.min(end, contract.createdAt - HOUR_MS);
    const createdAt = Math.min(
      entered + (Math.max(stayEnd, entered + HOUR_MS) - entered) * rand() * 0.6,
      end - 2 * HOUR_MS,
    );
    const outcome: Outcome =
      o.status === 'won'
        ? 'accepted'
        : o.status === 'lost'
          ? chance(0.6)
            ? 'rejected'
            : 'expired'
          : faker.helpers.weightedArrayElement<Outcome>([
              { weight: 50, value: 'sent' },
              { weight: 20, value: 'approved' },
              { weight: 30, value: 'draft' },
            ]);
    plans.push({
      id: uuidv7(),
      opportunity: o,
      customerId: o.customerId,
      ownerId: o.ownerId,
      orgUnitId: o.orgUnitId,
      contactId: o.contactIds[0] ?? null,
      createdAt: Math.max(createdAt, o.createdAt.getTime() + HOUR_MS),
      end,
      outcome,
      revisions: revisionCount(),
      contractId: contract?.id ?? null,
    });
  }
  // The rest without an opportunity: a quick price for a customer that asked.
  while (plans.length < target) {
    const o = pick(sales.opportunities);
    const createdAt = between(o.createdAt.getTime(), now - 2 * HOUR_MS);
    const recent = createdAt > now - 30 * DAY_MS;
    plans.push({
      id: uuidv7(),
      opportunity: null,
      customerId: o.customerId,
      ownerId: o.ownerId,
      orgUnitId: o.orgUnitId,
      contactId: o.contactIds[0] ?? null,
      createdAt,
      end: recent ? now - HOUR_MS : Math.min(now - HOUR_MS, createdAt + between(3 * DAY_MS, 40 * DAY_MS)),
      outcome: recent ? (chance(0.7) ? 'sent' : 'draft') : chance(0.5) ? 'rejected' : 'expired',
      revisions: revisionCount(),
      contractId: null,
    });
  }
  // Expired means valid until before today: only for quotes that ended a few days ago.
  for (const p of plans) if (p.outcome === 'expired' && p.end > now - 3 * DAY_MS) p.outcome = 'rejected';
  // The most recent open ones go to discount approval (a pending request in the inbox).
  const pendingTarget = Math.round(QUOTES_DEMO_VOLUMES.pendingApproval * opts.scale);
  plans
    .filter((p) => p.opportunity?.status === 'open')
    .sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id))
    .slice(0, pendingTarget)
    .forEach((p) => {
      p.outcome = 'pending';
    });

  // Lines and money ---------------------------------------------------------------------------------
  const qty = (n: number) => String(Math.max(1, Math.round(n)));
  const percent = (max: number) => (Math.round(rand() * max * 2) / 2).toFixed(2);
  const firstLines = (plan: Plan): LineSpec[] => {
    const n = faker.helpers.weightedArrayElement([
      { weight: 30, value: 1 },
      { weight: 30, value: 2 },
      { weight: 20, value: 3 },
      { weight: 12, value: 4 },
      { weight: 8, value: 5 },
    ]);
    const amount = plan.opportunity?.amount ?? between(2_000_000, 60_000_000);
    const distribution = plan.opportunity && plan.opportunity.pipelineId !== sales.pipelines[0]?.id;
    const lines: LineSpec[] = [];
    const used = new Set<string>();
    for (let i = 0; i < n; i++) {
      const pool =
        i === 0 && !distribution && vehicles.length
          ? vehicles
          : i > 0 && chance(0.3) && services.length
            ? services
            : parts.length
              ? parts
              : catalog;
      const product = pick(pool);
      if (used.has(product.id)) continue;
      used.add(product.id);
      const quantity =
        product.kind === 'vehicle'
          ? qty(Math.min(30, (amount * 0.85) / product.listPrice))
          : product.kind === 'service'
            ? qty(1 + rand() * 3)
            : i === 0
              ? qty(Math.min(500, (amount * 0.8) / product.listPrice))
              : qty(2 + rand() * 48);
      lines.push({ product, quantity, discount: '0.00' });
    }
    return lines;
  };
  /** Discounts of a revision: up to 10 % per line on drafts, within 5 % in effect otherwise. */
  const price = (lines: LineSpec[], draft: boolean, whole: string) => {
    const compute = (w: string) =>
      computeQuote(
        lines.map((l) => ({
          quantity: l.quantity,
          listPrice: l.product.listPrice,
          discountPercent: l.discount,
          taxRate: l.product.taxRate,
          floor: null,
        })),
        w,
      );
    let totals = compute(whole);
    if (!draft && new Decimal(totals.effectiveDiscount).greaterThan(MANAGER_DISCOUNT_ABOVE)) {
      whole = '0.00';
      totals = compute(whole);
      for (const l of lines) if (new Decimal(l.discount).greaterThan(4)) l.discount = '4.00';
      totals = compute(whole);
    }
    return { totals, whole };
  };

  const quoteRows: (typeof quotes.$inferInsert & { id: string; createdAt: Date })[] = [];
  const revisionRows: (typeof quoteRevisions.$inferInsert)[] = [];
  const lineRows: (typeof quoteLines.$inferInsert)[] = [];
  const sendRows: (typeof quoteSends.$inferInsert & { quoteId: string })[] = [];
  const pending: { id: string; ownerId: string; version: number }[] = [];
  const contractLinks: { contractId: string; quoteId: string }[] = [];

  for (const plan of plans) {
    const n = plan.revisions;
    const start = plan.createdAt;
    const span = Math.max(HOUR_MS, plan.end - start);
    const starts = Array.from({ length: n }, (_, k) =>
      k === 0 ? start : Math.round(start + span * (k / (n + 0.5)) * (0.85 + rand() * 0.15)),
    );
    const email = plan.contactId ? (emailOf.get(plan.contactId) ?? null) : null;
    const to = email ?? `${faker.string.alphanumeric({ length: 8, casing: 'lower' })}@example.cn`;
    let lines = firstLines(plan);
    if (!lines.length) continue;
    let version = 1;
    let last = start;
    let header: { state: QuoteStateName; validUntil: string; total: number } | null = null;
    for (let k = 0; k < n; k++) {
      const latest = k === n - 1;
      const revStart = starts[k]!;
      const segmentEnd = latest ? plan.end : starts[k + 1]!;
      const len = Math.max(60_000, segmentEnd - revStart);
      if (k > 0) {
        // The rep revises: a little more discount, another quantity, or one line more or less.
        lines = lines.map((l) => ({ ...l }));
        const change = rand();
        const line = pick(lines);
        if (change < 0.5) line.discount = Decimal.min(5, new Decimal(line.discount).plus(1)).toFixed(2);
        else if (change < 0.8) line.quantity = qty(Number(line.quantity) * (0.7 + rand() * 0.6));
        else if (lines.length > 1) lines.pop();
        else {
          const extra = pick(parts.length ? parts : catalog);
          if (!lines.some((l) => l.product.id === extra.id))
            lines.push({ product: extra, quantity: qty(2 + rand() * 20), discount: '0.00' });
        }
        version++;
      }
      const state: QuoteStateName = !latest
        ? 'superseded'
        : plan.outcome === 'expired'
          ? 'sent'
          : plan.outcome === 'pending'
            ? 'draft'
            : plan.outcome;
      const draft = state === 'draft';
      if (k === 0 || draft) {
        for (const l of lines) l.discount = percent(draft && plan.outcome === 'pending' ? 0 : draft ? 10 : 5);
      }
      if (plan.outcome === 'pending' && latest) {
        // Above the manager's threshold: the submit below asks for approval.
        for (const l of lines) l.discount = (6 + Math.round(rand() * 12) / 2).toFixed(2);
      }
      const wholeWanted = !draft && chance(0.2) ? percent(2) : draft && chance(0.15) ? percent(3) : '0.00';
      const { totals, whole } = price(lines, draft, wholeWanted);
      // Dates: approved and sent early in the revision's time, the customer's answer at its end.
      const submittedAt = draft ? null : revStart + len * (0.02 + rand() * 0.05);
      const approvedAt = submittedAt;
      const sent = !draft && state !== 'approved';
      const sentAt = sent ? revStart + len * (0.1 + rand() * 0.15) : null;
      const acceptedAt = state === 'accepted' ? revStart + len * (0.6 + rand() * 0.35) : null;
      const rejectedAt = state === 'rejected' ? revStart + len * (0.6 + rand() * 0.35) : null;
      let validUntil = addDays(day(revStart), pick([15, 30, 30, 30, 60]));
      if (plan.outcome === 'expired' && latest && validUntil >= today) validUntil = addDays(today, -1);
      if (plan.outcome === 'pending' && latest && validUntil < today) validUntil = addDays(today, 30);
      if (validUntil < day(revStart)) validUntil = day(revStart);
      const revisionId = uuidv7();
      const updatedAt = Math.max(
        revStart,
        ...[approvedAt, sentAt, acceptedAt, rejectedAt].filter((x): x is number => x !== null),
        latest ? revStart : segmentEnd,
      );
      last = Math.max(last, updatedAt);
      version += (submittedAt ? 1 : 0) + (sentAt ? 1 : 0) + (acceptedAt || rejectedAt ? 1 : 0);
      revisionRows.push({
        id: revisionId,
        quoteId: plan.id,
        revision: k + 1,
        state,
        contactId: plan.contactId,
        validUntil,
        currency: 'CNY',
        paymentTerms: pick(PAYMENT_TERMS),
        deliveryTerms: pick(DELIVERY_TERMS),
        notes: pick(NOTES),
        discountPercent: whole,
        listTotal: totals.listTotal,
        subtotal: totals.subtotal,
        discountAmount: totals.discountAmount,
        total: totals.total,
        tax: totals.tax,
        totalExclTax: totals.totalExclTax,
        effectiveDiscount: totals.effectiveDiscount,
        belowFloor: totals.belowFloor,
        submittedAt: submittedAt === null ? null : new Date(submittedAt),
        approvedAt: approvedAt === null ? null : new Date(approvedAt),
        sentAt: sentAt === null ? null : new Date(sentAt),
        acceptedAt: acceptedAt === null ? null : new Date(acceptedAt),
        rejectedAt: rejectedAt === null ? null : new Date(rejectedAt),
        rejectionReason: rejectedAt === null ? null : pick(REJECTIONS),
        createdAt: new Date(revStart),
        updatedAt: new Date(updatedAt),
        createdBy: plan.ownerId,
        version: 1 + (submittedAt ? 1 : 0) + (sentAt ? 1 : 0) + (acceptedAt || rejectedAt ? 1 : 0),
      });
      lines.forEach((l, i) => {
        const r = totals.lines[i]!;
        lineRows.push({
          revisionId,
          seq: i + 1,
          productId: l.product.id,
          productName: l.product.name,
          sku: l.product.sku,
          specification: l.product.specification,
          uom: l.product.uom,
          quantity: l.quantity,
          listPrice: l.product.listPrice,
          floorPrice: null,
          priceListId: null,
          priceRuleId: null,
          discountPercent: r.discountPercent,
          unitPrice: r.unitPrice,
          priceEntered: false,
          amount: r.amount,
          allocatedDiscount: r.allocatedDiscount,
          netAmount: r.netAmount,
          taxRate: l.product.taxRate,
          tax: r.tax,
          belowFloor: r.belowFloor,
          costPrice: l.product.costPrice,
        });
      });
      if (sentAt !== null) {
        sendRows.push({
          quoteId: plan.id,
          revisionId,
          revision: k + 1,
          to,
          cc: null,
          subject: '',
          locale: 'zh-CN',
          sentAt: new Date(sentAt),
          sentBy: plan.ownerId,
        });
      }
      header = { state, validUntil, total: totals.total };
    }
    quoteRows.push({
      id: plan.id,
      number: '',
      customerId: plan.customerId,
      opportunityId: plan.opportunity?.id ?? null,
      ownerId: plan.ownerId,
      orgUnitId: plan.orgUnitId,
      revision: n,
      state: header!.state,
      validUntil: header!.validUntil,
      total: header!.total,
      contractId: plan.contractId,
      createdAt: new Date(start),
      updatedAt: new Date(last),
      createdBy: plan.ownerId,
      version,
    });
    if (plan.contractId) contractLinks.push({ contractId: plan.contractId, quoteId: plan.id });
    if (plan.outcome === 'pending') pending.push({ id: plan.id, ownerId: plan.ownerId, version });
  }

  // Numbers in the order the quotes were made, then the rows -----------------------------------------
  quoteRows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  const numbers = await nextNumbers(
    tx,
    'quote',
    quoteRows.map((q) => q.createdAt),
  );
  const numberOf = new Map<string, string>();
  quoteRows.forEach((q, i) => {
    q.number = numbers[i]!;
    numberOf.set(q.id, q.number);
  });
  for (const s of sendRows) s.subject = `报价单 ${numberOf.get(s.quoteId)}（第 ${s.revision} 版）`;
  await insertAll(tx, quotes, quoteRows);
  await insertAll(tx, quoteRevisions, revisionRows);
  await insertAll(tx, quoteLines, lineRows);
  await insertAll(tx, quoteSends, sendRows);
  // The contracts made from the accepted quotes point back at them.
  for (let i = 0; i < contractLinks.length; i += BATCH) {
    const values = contractLinks
      .slice(i, i + BATCH)
      .map((l) => sql`(${l.contractId}::uuid, ${l.quoteId}::uuid)`);
    await queryRows(
      tx,
      sql`update ${contracts} set quote_id = v.quote_id from (values ${sql.join(values, sql`, `)}) as v(contract_id, quote_id) where ${contracts.id} = v.contract_id`,
    );
  }

  // Into discount approval through the service, as their owners submit them.
  const actors = new Map<string, Ctx>();
  for (const p of pending) {
    let ownerCtx = actors.get(p.ownerId);
    if (!ownerCtx) {
      const actor = await loadActor(tx, p.ownerId, { via: 'session' });
      if (!actor) continue;
      ownerCtx = { ...ctx, actor };
      actors.set(p.ownerId, ownerCtx);
    }
    await submitQuote(tx, ownerCtx, p.id, { version: p.version });
    counts.pendingApproval++;
  }

  counts.quotes = quoteRows.length;
  counts.revisions = revisionRows.length;
  counts.lines = lineRows.length;
  counts.sends = sendRows.length;
  counts.accepted = quoteRows.filter((q) => q.state === 'accepted').length;
  counts.linkedContracts = contractLinks.length;
  return counts;
}

/** Multi-row inserts of BATCH rows each. */
async function insertAll<T extends PgTable>(tx: Db, table: T, rows: T['$inferInsert'][]) {
  for (let i = 0; i < rows.length; i += BATCH) {
    await tx.insert(table).values(rows.slice(i, i + BATCH));
  }
}
