import { Decimal } from 'decimal.js';
import {
  and,
  asc,
  count,
  eq,
  gte,
  inArray,
  isNull,
  lte,
  ne,
  notInArray,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { z } from 'zod';
import {
  type creditNoteCreate,
  type Invoice,
  type InvoiceLineInputValue,
  invoiceCreate,
  type invoiceFapiaoNumber,
  type invoiceFromInstallment,
  type invoiceIssue,
  type invoiceListQuery,
  type invoiceUpdate,
  type invoiceVoid,
} from '../../../../contracts/invoices.js';
import type { Db } from '../../../db/client.js';
import { pgConstraint, withTx } from '../../../db/tx.js';
import { scopeFilter } from '../../../platform/access/scope.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Ctx } from '../../../platform/context.js';
import {
  AppError,
  invalidField,
  invalidReference,
  notFound,
  versionConflict,
} from '../../../platform/errors.js';
import { keyset, whereAll } from '../../../platform/http/pagination.js';
import type { Locale } from '../../../platform/i18n/locale.js';
import { amountInChineseCapitals, formatYuan } from '../../../platform/money/amount-in-words.js';
import { defineNumbering, nextNumber } from '../../../platform/numbering/numbering.js';
import { companyTimeZone, dayIn, getSettings } from '../../../platform/settings/settings.service.js';
import { isValidCreditCode, normaliseCreditCode } from '../../customers/credit-code.js';
import { customers } from '../../customers/schema.js';
import { users } from '../../org/schema.js';
import { defineContractFacts } from '../../sales/contract-ledger.js';
import { contractInstallments, contracts } from '../../sales/contracts.schema.js';
import { recordOrderInvoiced } from '../sales-orders/sales-orders.service.js';
import {
  type BuyerField,
  canDo,
  computeInvoice,
  creditLine,
  DEFAULT_PAYMENT_TERMS_DAYS,
  dueDateFor,
  type InvoiceAction,
  invoiceActions,
  isOverdue,
  missingBuyerFields,
  openAmount,
  stateAfterPayment,
  totalsByRate,
} from './rules.js';
import {
  creditNoteLines,
  creditNotes,
  type InvoiceSourceType,
  type InvoiceState,
  invoiceLines,
  invoices,
} from './schema.js';

const RESOURCE = 'invoices';
export type InvoiceRow = typeof invoices.$inferSelect;
type LineRow = typeof invoiceLines.$inferSelect;

defineNumbering('invoice', 'INV');
defineNumbering('credit_note', 'CN');

/** Invoices the actor may see: the invoices scope on the invoice's owner and unit. */
export const visibleInvoices = (ctx: Ctx): SQL | undefined =>
  scopeFilter(ctx.actor, RESOURCE, { ownerId: invoices.ownerId, orgUnitId: invoices.orgUnitId });

async function today(db: Db) {
  return dayIn(await companyTimeZone(db));
}

// ---------------------------------------------------------------------------------------------
// Invoiceable sources: what each source may still be billed for.

/** The most a source may be invoiced for, in total over all its (non-void) invoices. */
export interface InvoiceableLimit {
  /** Ceiling in fen (tax-inclusive), e.g. the ordered or shipped amount of an order line. */
  limitAmount: number;
  /** Ceiling in quantity (decimal string), when the source counts units. */
  limitQuantity?: string;
  /** The source's customer: an invoice for another customer may not bill it. */
  customerId?: string;
  /** The source's contract, when it has one: it must match the invoice's. */
  contractId?: string | null;
  /** The source's order, when it has one: it must match the invoice's. */
  orderId?: string | null;
}

/**
 * Given source ids, the ceilings of the ones that exist. The invoicing service subtracts what
 * invoices already bill (Σ lines − Σ credit notes, void invoices excluded) — the provider returns
 * ceilings, not what is left.
 */
export type InvoiceableSourceProvider = (db: Db, ids: string[]) => Promise<Map<string, InvoiceableLimit>>;

const sources = new Map<Exclude<InvoiceSourceType, 'manual'>, InvoiceableSourceProvider>();

/** Modules that own invoiceable records register once at load (the orders part: 'sales_order_line'). */
export function defineInvoiceableSource(
  type: Exclude<InvoiceSourceType, 'manual'>,
  provider: InvoiceableSourceProvider,
): void {
  sources.set(type, provider);
}

/**
 * Runs in the issuing transaction right after an invoice is issued. The receivables part registers
 * one (receivables/payments.service.ts) that moves money paid directly on the installments the
 * invoice bills onto the invoice; invoicing does not import receivables (which imports it).
 */
export type InvoiceIssuedHook = (tx: Db, ctx: Ctx, invoice: InvoiceRow) => Promise<void>;
const issuedHooks: InvoiceIssuedHook[] = [];

export function onInvoiceIssued(hook: InvoiceIssuedHook): void {
  if (!issuedHooks.includes(hook)) issuedHooks.push(hook);
}

// Contract installments are billed through source 'contract' with the installment's id.
defineInvoiceableSource('contract', async (db, ids) => {
  const rows = await db
    .select({
      id: contractInstallments.id,
      amount: contractInstallments.amount,
      contractId: contractInstallments.contractId,
      customerId: contracts.customerId,
    })
    .from(contractInstallments)
    .innerJoin(contracts, eq(contracts.id, contractInstallments.contractId))
    .where(inArray(contractInstallments.id, ids));
  return new Map(
    rows.map((r) => [r.id, { limitAmount: r.amount, customerId: r.customerId, contractId: r.contractId }]),
  );
});

/** Already billed per source id: Σ line amounts and quantities net of credit notes, void invoices excluded. */
export async function invoicedBySource(
  db: Db,
  type: InvoiceSourceType,
  ids: string[],
  exceptInvoiceId?: string,
): Promise<Map<string, { amount: number; quantity: string }>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({
      sourceId: invoiceLines.sourceId,
      amount: sql<string>`coalesce(sum(${invoiceLines.amount} - coalesce(c.amount, 0)), 0)`,
      quantity: sql<string>`coalesce(sum(${invoiceLines.quantity} - coalesce(c.quantity, 0)), 0)`,
    })
    .from(invoiceLines)
    .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
    .leftJoin(
      sql`(select ${creditNoteLines.invoiceLineId} as line_id, sum(${creditNoteLines.amount}) as amount,
             sum(${creditNoteLines.quantity}) as quantity
           from ${creditNoteLines} group by ${creditNoteLines.invoiceLineId}) c`,
      sql`c.line_id = ${invoiceLines.id}`,
    )
    .where(
      whereAll(
        eq(invoiceLines.sourceType, type),
        inArray(invoiceLines.sourceId, ids),
        ne(invoices.state, 'void'),
        exceptInvoiceId ? ne(invoices.id, exceptInvoiceId) : undefined,
      ),
    )
    .groupBy(invoiceLines.sourceId);
  return new Map(
    rows.map((r) => [
      r.sourceId!,
      { amount: Number(r.amount), quantity: new Decimal(r.quantity).toString() },
    ]),
  );
}

/** Σ billed per source ≤ the source's ceiling; sources must belong to the invoice's customer. */
async function checkSources(
  tx: Db,
  invoice: { id?: string; customerId: string; contractId: string | null; orderId: string | null },
  lines: { sourceType: InvoiceSourceType; sourceId: string | null; amount: number; quantity: string }[],
) {
  const groups = new Map<
    string,
    { type: InvoiceSourceType; id: string; amount: number; quantity: Decimal; line: number }
  >();
  lines.forEach((l, i) => {
    if (l.sourceType === 'manual' || !l.sourceId) return;
    const key = `${l.sourceType}:${l.sourceId}`;
    const g = groups.get(key) ?? {
      type: l.sourceType,
      id: l.sourceId,
      amount: 0,
      quantity: new Decimal(0),
      line: i + 1,
    };
    g.amount += l.amount;
    g.quantity = g.quantity.plus(l.quantity);
    groups.set(key, g);
  });
  if (!groups.size) return;
  // Serialise invoicing per source so two drafts cannot both take the last amount.
  for (const key of [...groups.keys()].sort()) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`invoice-source:${key}`}))`);
  }
  const byType = new Map<InvoiceSourceType, typeof groups extends Map<string, infer G> ? G[] : never>();
  for (const g of groups.values()) byType.set(g.type, [...(byType.get(g.type) ?? []), g]);
  for (const [type, gs] of byType) {
    const provider = sources.get(type as Exclude<InvoiceSourceType, 'manual'>);
    if (!provider) throw invalidField(`lines.${gs[0]!.line - 1}.sourceType`, 'invalid');
    const ids = gs.map((g) => g.id);
    const limits = await provider(tx, ids);
    const billed = await invoicedBySource(tx, type, ids, invoice.id);
    for (const g of gs) {
      const limit = limits.get(g.id);
      const mismatch =
        !limit ||
        (limit.customerId && limit.customerId !== invoice.customerId) ||
        (limit.contractId && invoice.contractId && limit.contractId !== invoice.contractId) ||
        (limit.orderId && invoice.orderId && limit.orderId !== invoice.orderId);
      if (mismatch) throw new AppError('invoice_source_mismatch', { line: g.line });
      const already = billed.get(g.id) ?? { amount: 0, quantity: '0' };
      const remaining = limit.limitAmount - already.amount;
      const remainingQty = limit.limitQuantity
        ? new Decimal(limit.limitQuantity).minus(already.quantity)
        : null;
      if (g.amount > remaining || (remainingQty && g.quantity.greaterThan(remainingQty))) {
        throw new AppError('invoice_source_exceeded', {
          line: g.line,
          remaining: formatYuan(Math.max(remaining, 0)),
          requested: formatYuan(g.amount),
        });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

function selectInvoices(db: Db) {
  return db
    .select({
      invoice: invoices,
      customerName: customers.name,
      contractNumber: contracts.number,
      ownerName: users.name,
    })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .leftJoin(contracts, eq(contracts.id, invoices.contractId))
    .leftJoin(users, eq(users.id, invoices.ownerId));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectInvoices>['where']>>[number];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentListItem(r: Row, todayIso: string) {
  const i = r.invoice;
  return {
    id: i.id,
    number: i.number,
    fapiaoNumber: i.fapiaoNumber,
    type: i.type,
    state: i.state,
    customerId: i.customerId,
    customerName: r.customerName,
    contractId: i.contractId,
    contractNumber: r.contractNumber,
    orderId: i.orderId,
    buyerTitle: i.buyerTitle,
    total: i.total,
    taxTotal: i.taxTotal,
    creditedAmount: i.creditedAmount,
    paidAmount: i.paidAmount,
    openAmount: i.state === 'draft' || i.state === 'void' ? 0 : openAmount(i),
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    overdue: isOverdue(i, todayIso),
    ownerId: i.ownerId,
    ownerName: r.ownerName,
    createdAt: i.createdAt.toISOString(),
    version: i.version,
  };
}

const overdueSql = (todayIso: string) =>
  sql`(${invoices.state} in ('issued', 'partially_paid') and ${invoices.total} - ${invoices.creditedAmount} - ${invoices.paidAmount} > 0 and ${invoices.dueDate} < ${todayIso}::date)`;

export async function listInvoices(db: Db, ctx: Ctx, query: z.infer<typeof invoiceListQuery>) {
  const todayIso = await today(db);
  const page = keyset(
    query,
    { createdAt: invoices.createdAt, dueDate: invoices.dueDate, total: invoices.total },
    invoices.id,
    '-createdAt',
  );
  const q = query.q?.trim();
  const like = q ? `%${q.replace(/[\\%_]/g, '\\$&')}%` : '';
  const filter = whereAll(
    visibleInvoices(ctx),
    query.state ? eq(invoices.state, query.state) : undefined,
    query.type ? eq(invoices.type, query.type) : undefined,
    query.customerId ? eq(invoices.customerId, query.customerId) : undefined,
    query.contractId ? eq(invoices.contractId, query.contractId) : undefined,
    query.overdue === true ? overdueSql(todayIso) : undefined,
    query.overdue === false ? sql`not ${overdueSql(todayIso)}` : undefined,
    query.from ? gte(invoices.issueDate, query.from) : undefined,
    query.to ? lte(invoices.issueDate, query.to) : undefined,
    q
      ? or(
          eq(invoices.number, q.toUpperCase()),
          eq(invoices.fapiaoNumber, q),
          sql`${invoices.buyerTitle} ilike ${like}`,
          sql`${customers.name} ilike ${like}`,
        )
      : undefined,
  );
  const rows = await selectInvoices(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(filter);
  const key = query.sort?.replace(/^-/, '') ?? 'createdAt';
  const result = page.page(rows, n, (r) => [
    key === 'dueDate' ? r.invoice.dueDate : key === 'total' ? r.invoice.total : r.invoice.createdAt,
    r.invoice.id,
  ]);
  return { ...result, items: result.items.map((r) => presentListItem(r, todayIso)) };
}

async function loadLines(db: Db, invoiceId: string) {
  return db
    .select({
      line: invoiceLines,
      creditedQuantity: sql<string>`coalesce((select sum(${creditNoteLines.quantity}) from ${creditNoteLines} where ${creditNoteLines.invoiceLineId} = ${invoiceLines.id}), 0)`,
      creditedAmount: sql<string>`coalesce((select sum(${creditNoteLines.amount}) from ${creditNoteLines} where ${creditNoteLines.invoiceLineId} = ${invoiceLines.id}), 0)`,
    })
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, invoiceId))
    .orderBy(asc(invoiceLines.seq));
}

async function loadCreditNotes(db: Db, invoiceId: string) {
  const notes = await db
    .select()
    .from(creditNotes)
    .where(eq(creditNotes.invoiceId, invoiceId))
    .orderBy(asc(creditNotes.createdAt));
  const lines = notes.length
    ? await db
        .select()
        .from(creditNoteLines)
        .where(
          inArray(
            creditNoteLines.creditNoteId,
            notes.map((n) => n.id),
          ),
        )
    : [];
  return notes.map((n) => ({
    id: n.id,
    number: n.number,
    invoiceId: n.invoiceId,
    reason: n.reason,
    total: n.total,
    taxTotal: n.taxTotal,
    issueDate: n.issueDate,
    createdAt: n.createdAt.toISOString(),
    lines: lines
      .filter((l) => l.creditNoteId === n.id)
      .map((l) => ({
        invoiceLineId: l.invoiceLineId,
        quantity: new Decimal(l.quantity).toString(),
        amount: l.amount,
        taxAmount: l.taxAmount,
      })),
  }));
}

async function present(db: Db, r: Row, todayIso: string): Promise<Invoice> {
  const i = r.invoice;
  const lines = await loadLines(db, i.id);
  const presentedLines = lines.map(({ line: l, creditedQuantity, creditedAmount }) => ({
    id: l.id,
    seq: l.seq,
    productId: l.productId,
    description: l.description,
    spec: l.spec,
    unit: l.unit,
    quantity: new Decimal(l.quantity).toString(),
    unitPrice: l.unitPrice,
    amount: l.amount,
    taxRate: new Decimal(l.taxRate).toString(),
    taxAmount: l.taxAmount,
    sourceType: l.sourceType,
    sourceId: l.sourceId,
    creditedQuantity: new Decimal(creditedQuantity).toString(),
    creditedAmount: Number(creditedAmount),
  }));
  return {
    ...presentListItem(r, todayIso),
    buyerTaxId: i.buyerTaxId,
    buyerAddressPhone: i.buyerAddressPhone,
    buyerBankAccount: i.buyerBankAccount,
    sellerName: i.sellerName,
    sellerTaxId: i.sellerTaxId,
    currency: i.currency,
    paymentTermsDays: i.paymentTermsDays,
    issuedAt: iso(i.issuedAt),
    voidedAt: iso(i.voidedAt),
    voidReason: i.voidReason,
    note: i.note,
    lines: presentedLines,
    totalsByRate: totalsByRate(presentedLines),
    totalInWords: amountInChineseCapitals(i.total, { currencyPrefix: true }),
    creditNotes: await loadCreditNotes(db, i.id),
    actions: invoiceActions(i),
    updatedAt: i.updatedAt.toISOString(),
  };
}

export async function getInvoice(db: Db, ctx: Ctx, id: string): Promise<Invoice> {
  const [row] = await selectInvoices(db).where(whereAll(eq(invoices.id, id), visibleInvoices(ctx)));
  if (!row) throw notFound();
  return present(db, row, await today(db));
}

/** What is left to invoice on each installment of a contract the actor can see invoices of. */
export async function installmentsToInvoice(db: Db, ctx: Ctx, contractId: string) {
  const [contract] = await db
    .select({ id: contracts.id })
    .from(contracts)
    .innerJoin(customers, eq(customers.id, contracts.customerId))
    .where(whereAll(eq(contracts.id, contractId), customerInScope(ctx)));
  if (!contract) throw notFound();
  const rows = await db
    .select()
    .from(contractInstallments)
    .where(eq(contractInstallments.contractId, contractId))
    .orderBy(asc(contractInstallments.seq));
  const billed = await invoicedBySource(
    db,
    'contract',
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const invoiced = billed.get(r.id)?.amount ?? 0;
    return {
      installmentId: r.id,
      seq: r.seq,
      dueDate: r.dueDate,
      amount: r.amount,
      invoiced,
      remaining: r.amount - invoiced,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Writing

const STATE_LABELS: Record<InvoiceState, Record<Locale, string>> = {
  draft: { 'zh-CN': '草稿', en: 'a draft' },
  issued: { 'zh-CN': '已开具', en: 'issued' },
  partially_paid: { 'zh-CN': '部分回款', en: 'partially paid' },
  paid: { 'zh-CN': '已回款', en: 'paid' },
  void: { 'zh-CN': '已作废', en: 'void' },
};
const ACTION_LABELS: Record<InvoiceAction, Record<Locale, string>> = {
  update: { 'zh-CN': '修改', en: 'changed' },
  issue: { 'zh-CN': '开具', en: 'issued' },
  void: { 'zh-CN': '作废', en: 'voided' },
  credit: { 'zh-CN': '开具红字发票', en: 'credited' },
};
const BUYER_LABELS: Record<BuyerField, Record<Locale, string>> = {
  buyerTitle: { 'zh-CN': '名称（抬头）', en: 'name (title)' },
  buyerTaxId: { 'zh-CN': '纳税人识别号', en: 'taxpayer id' },
  buyerAddressPhone: { 'zh-CN': '地址、电话', en: 'address and phone' },
  buyerBankAccount: { 'zh-CN': '开户行及账号', en: 'bank and account' },
};

const wrongState = (ctx: Ctx, i: InvoiceRow, action: InvoiceAction) =>
  new AppError('invoice_wrong_state', {
    number: i.number,
    state: STATE_LABELS[i.state][ctx.locale],
    action: ACTION_LABELS[action][ctx.locale],
  });

const notEditable = (ctx: Ctx, i: InvoiceRow) =>
  new AppError('invoice_not_editable', { number: i.number, state: STATE_LABELS[i.state][ctx.locale] });

function specialMissing(ctx: Ctx, missing: BuyerField[]) {
  const sep = ctx.locale === 'zh-CN' ? '、' : ', ';
  return new AppError(
    'invoice_special_missing',
    { missing: missing.map((m) => BUYER_LABELS[m][ctx.locale]).join(sep) },
    missing.map((m) => ({ path: m, message: 'required' as const })),
  );
}

/** Customers the actor could own invoices of: the invoices scope applied to the customer. */
const customerInScope = (ctx: Ctx) =>
  scopeFilter(ctx.actor, RESOURCE, { ownerId: customers.ownerId, orgUnitId: customers.orgUnitId });

async function loadCustomer(tx: Db, ctx: Ctx, customerId: string) {
  const [c] = await tx
    .select()
    .from(customers)
    .where(whereAll(eq(customers.id, customerId), isNull(customers.mergedIntoId), customerInScope(ctx)));
  if (!c) throw invalidReference('customerId');
  return c;
}

/** Payment terms: the customer's custom field `payment_terms_days` when it is a whole number, else 30. */
function customerTermsDays(c: typeof customers.$inferSelect): number {
  const v = Number(c.customFields?.payment_terms_days);
  return Number.isInteger(v) && v >= 0 && v <= 365 ? v : DEFAULT_PAYMENT_TERMS_DAYS;
}

function checkTaxId(taxId: string | null | undefined): string | null | undefined {
  if (taxId === null || taxId === undefined) return taxId;
  const code = normaliseCreditCode(taxId);
  if (!isValidCreditCode(code)) throw invalidField('buyerTaxId', 'creditCode');
  return code;
}

function lineValues(lines: InvoiceLineInputValue[]) {
  lines.forEach((l, i) => {
    if (l.sourceType !== 'manual' && !l.sourceId) throw invalidField(`lines.${i}.sourceId`, 'required');
    if (l.sourceType === 'manual' && l.sourceId) throw invalidField(`lines.${i}.sourceId`, 'invalid');
  });
  const computed = computeInvoice(lines);
  return {
    total: computed.total,
    taxTotal: computed.taxTotal,
    rows: lines.map((l, i) => ({
      seq: i + 1,
      productId: l.productId ?? null,
      description: l.description,
      spec: l.spec || null,
      unit: l.unit || null,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      amount: computed.lines[i]!.amount,
      taxRate: computed.lines[i]!.taxRate,
      taxAmount: computed.lines[i]!.taxAmount,
      sourceType: l.sourceType,
      sourceId: l.sourceId ?? null,
    })),
  };
}

export type InvoiceDraftInput = z.input<typeof invoiceCreate>;

export interface InvoiceDraftOptions {
  /** For bulk generators: back-dated creation. */
  createdAt?: Date;
  /** Override the owner (default the customer's owner; the unit follows the customer). */
  ownerId?: string | null;
  /** A retry with the same key returns the first invoice and writes nothing. */
  idempotencyKey?: string;
}

/**
 * Draft an invoice (the orders part calls this to invoice order lines: sourceType
 * 'sales_order_line' with the line id; its registered source caps what may be billed).
 * Buyer fields default from the customer (name, credit code, address + phone).
 */
export async function createInvoiceDraft(
  db: Db,
  ctx: Ctx,
  raw: InvoiceDraftInput,
  options: InvoiceDraftOptions = {},
): Promise<Invoice> {
  const parsed = invoiceCreate.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalidField(issue.path.join('.'), 'invalid');
  }
  const input = parsed.data;
  if (options.idempotencyKey) {
    const [existing] = await db
      .select({ id: invoices.id })
      .from(invoices)
      .where(eq(invoices.idempotencyKey, options.idempotencyKey));
    if (existing) return getInvoice(db, ctx, existing.id);
  }
  const id = await withTx(db, async (tx) => {
    const customer = await loadCustomer(tx, ctx, input.customerId);
    if (input.contractId) {
      const [contract] = await tx
        .select({ customerId: contracts.customerId })
        .from(contracts)
        .where(eq(contracts.id, input.contractId));
      if (!contract || contract.customerId !== customer.id) throw invalidReference('contractId');
    }
    const buyerTaxId = checkTaxId(input.buyerTaxId);
    const { total, taxTotal, rows } = lineValues(input.lines as InvoiceLineInputValue[]);
    const contractId = input.contractId ?? null;
    const orderId = input.orderId ?? null;
    await checkSources(tx, { customerId: customer.id, contractId, orderId }, rows);
    const at = options.createdAt ?? new Date();
    const addressPhone = [customer.address, customer.phone].filter(Boolean).join(' ') || null;
    const [created] = await tx
      .insert(invoices)
      .values({
        number: await nextNumber(tx, 'invoice', at),
        type: input.type,
        customerId: customer.id,
        contractId,
        orderId,
        buyerTitle: input.buyerTitle ?? customer.name,
        buyerTaxId: buyerTaxId === undefined ? customer.creditCode : buyerTaxId,
        buyerAddressPhone: input.buyerAddressPhone === undefined ? addressPhone : input.buyerAddressPhone,
        buyerBankAccount: input.buyerBankAccount ?? null,
        total,
        taxTotal,
        paymentTermsDays: input.paymentTermsDays ?? customerTermsDays(customer),
        note: input.note ?? null,
        idempotencyKey: options.idempotencyKey ?? null,
        ownerId: options.ownerId === undefined ? customer.ownerId : options.ownerId,
        orgUnitId: customer.orgUnitId,
        createdBy: ctx.actor?.userId ?? null,
        createdAt: at,
        updatedAt: at,
      })
      .returning();
    const inserted = await tx
      .insert(invoiceLines)
      .values(rows.map((r) => ({ ...r, invoiceId: created!.id, createdAt: at, updatedAt: at })))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'invoice',
      entityId: created!.id,
      after: { ...created!, lines: inserted.map((l) => ({ description: l.description, amount: l.amount })) },
    });
    return created!.id;
  });
  return getInvoice(db, ctx, id);
}

/** Invoice (what is left of) a contract installment as one line at the contract's tax rate. */
export async function createInvoiceFromInstallment(
  db: Db,
  ctx: Ctx,
  input: z.infer<typeof invoiceFromInstallment>,
  options: InvoiceDraftOptions = {},
): Promise<Invoice> {
  const [row] = await db
    .select({ installment: contractInstallments, contract: contracts })
    .from(contractInstallments)
    .innerJoin(contracts, eq(contracts.id, contractInstallments.contractId))
    .where(eq(contractInstallments.id, input.installmentId));
  if (!row) throw invalidReference('installmentId');
  const { installment, contract } = row;
  const billed = (await invoicedBySource(db, 'contract', [installment.id])).get(installment.id)?.amount ?? 0;
  const amount = input.amount ?? installment.amount - billed;
  if (amount <= 0) {
    throw new AppError('invoice_source_exceeded', {
      line: 1,
      remaining: formatYuan(0),
      requested: formatYuan(input.amount ?? 0),
    });
  }
  // The contract's rate is a percentage ("13"); invoice lines carry fractions ("0.13").
  const taxRate = new Decimal(contract.taxRate).dividedBy(100).toString();
  const description =
    input.description ??
    (ctx.locale === 'en'
      ? `Contract ${contract.number}, installment ${installment.seq}`
      : `合同 ${contract.number} 第 ${installment.seq} 期款`);
  const { installmentId: _, amount: __, description: ___, ...rest } = input;
  return createInvoiceDraft(
    db,
    ctx,
    {
      ...rest,
      customerId: contract.customerId,
      contractId: contract.id,
      lines: [
        {
          description,
          quantity: '1',
          unitPrice: amount,
          amount,
          taxRate,
          sourceType: 'contract',
          sourceId: installment.id,
        },
      ],
    },
    options,
  );
}

async function lockInvoice(tx: Db, ctx: Ctx, id: string): Promise<InvoiceRow> {
  const [row] = await tx
    .select()
    .from(invoices)
    .where(whereAll(eq(invoices.id, id), visibleInvoices(ctx)))
    .for('update');
  if (!row) throw notFound();
  return row;
}

/** Draft only: issued invoices are never edited (409 invoice_not_editable). */
export async function updateInvoiceDraft(db: Db, ctx: Ctx, id: string, input: z.infer<typeof invoiceUpdate>) {
  await withTx(db, async (tx) => {
    const before = await lockInvoice(tx, ctx, id);
    if (before.state !== 'draft') throw notEditable(ctx, before);
    if (before.version !== input.version) throw versionConflict();
    const { version: _, lines, buyerTaxId, ...fields } = input;
    const changes: Partial<typeof invoices.$inferInsert> = { ...fields };
    if (buyerTaxId !== undefined) changes.buyerTaxId = checkTaxId(buyerTaxId) ?? null;
    let inserted: LineRow[] | undefined;
    if (lines) {
      const computed = lineValues(lines);
      await checkSources(tx, before, computed.rows);
      changes.total = computed.total;
      changes.taxTotal = computed.taxTotal;
      await tx.delete(invoiceLines).where(eq(invoiceLines.invoiceId, id));
      inserted = await tx
        .insert(invoiceLines)
        .values(computed.rows.map((r) => ({ ...r, invoiceId: id })))
        .returning();
    }
    const [after] = await tx
      .update(invoices)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${invoices.version} + 1` })
      .where(and(eq(invoices.id, id), eq(invoices.version, input.version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'invoice',
      entityId: id,
      before,
      after: inserted
        ? { ...after, lines: inserted.map((l) => ({ description: l.description, amount: l.amount })) }
        : after,
    });
  });
  return getInvoice(db, ctx, id);
}

function duplicateFapiao(err: unknown, fapiaoNumber: string | undefined, tx: Db) {
  if (pgConstraint(err) !== 'invoices_fapiao_number_idx' || !fapiaoNumber) return null;
  return tx
    .select({ number: invoices.number })
    .from(invoices)
    .where(eq(invoices.fapiaoNumber, fapiaoNumber))
    .then(
      ([other]) => new AppError('duplicate_fapiao_number', { fapiaoNumber, number: other?.number ?? '' }),
    );
}

async function rethrowFapiao<T>(db: Db, fapiaoNumber: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const dup = await duplicateFapiao(err, fapiaoNumber, db);
    throw dup ?? err;
  }
}

/** draft → issued: buyer fields frozen, seller snapshot, issue and due dates set. */
export async function issueInvoice(db: Db, ctx: Ctx, id: string, input: z.infer<typeof invoiceIssue>) {
  await rethrowFapiao(db, input.fapiaoNumber, () =>
    withTx(db, async (tx) => {
      const before = await lockInvoice(tx, ctx, id);
      if (!canDo(before, 'issue')) throw wrongState(ctx, before, 'issue');
      if (before.version !== input.version) throw versionConflict();
      const missing = missingBuyerFields(before.type, before);
      if (missing.length) throw specialMissing(ctx, missing);
      const [{ n } = { n: 0 }] = await tx
        .select({ n: count() })
        .from(invoiceLines)
        .where(eq(invoiceLines.invoiceId, id));
      if (!n || before.total <= 0) throw new AppError('invoice_no_lines');
      const settings = await getSettings(tx);
      const issueDate = input.issueDate ?? (await today(tx));
      const [after] = await tx
        .update(invoices)
        .set({
          state: 'issued',
          issueDate,
          dueDate: dueDateFor(issueDate, before.paymentTermsDays),
          issuedAt: new Date(),
          issuedBy: ctx.actor?.userId ?? null,
          sellerName: settings.name,
          sellerTaxId: settings.taxId,
          ...(input.fapiaoNumber ? { fapiaoNumber: input.fapiaoNumber } : {}),
          updatedAt: sql`now()`,
          version: sql`${invoices.version} + 1`,
        })
        .where(and(eq(invoices.id, id), eq(invoices.version, input.version)))
        .returning();
      if (!after) throw versionConflict();
      await recordAudit(tx, ctx, { action: 'issue', entity: 'invoice', entityId: id, before, after });
      if (after.orderId) await recordOrderInvoiced(tx, ctx, after.orderId, after.total);
      for (const hook of issuedHooks) await hook(tx, ctx, after);
    }),
  );
  return getInvoice(db, ctx, id);
}

/** The tax office's 发票号码: recorded (or corrected) on an issued invoice; unique when present. */
export async function setFapiaoNumber(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof invoiceFapiaoNumber>,
) {
  await rethrowFapiao(db, input.fapiaoNumber, () =>
    withTx(db, async (tx) => {
      const before = await lockInvoice(tx, ctx, id);
      if (before.state === 'draft' || before.state === 'void') throw wrongState(ctx, before, 'issue');
      if (before.version !== input.version) throw versionConflict();
      const [after] = await tx
        .update(invoices)
        .set({
          fapiaoNumber: input.fapiaoNumber,
          updatedAt: sql`now()`,
          version: sql`${invoices.version} + 1`,
        })
        .where(and(eq(invoices.id, id), eq(invoices.version, input.version)))
        .returning();
      if (!after) throw versionConflict();
      await recordAudit(tx, ctx, {
        action: 'fapiao_number',
        entity: 'invoice',
        entityId: id,
        before: { fapiaoNumber: before.fapiaoNumber },
        after: { fapiaoNumber: after.fapiaoNumber },
      });
    }),
  );
  return getInvoice(db, ctx, id);
}

/** Void with a reason: a draft, or an issued invoice with nothing paid and nothing credited. */
export async function voidInvoice(db: Db, ctx: Ctx, id: string, input: z.infer<typeof invoiceVoid>) {
  await withTx(db, async (tx) => {
    const before = await lockInvoice(tx, ctx, id);
    if (before.paidAmount > 0) {
      throw new AppError('invoice_has_payments', {
        number: before.number,
        paid: formatYuan(before.paidAmount),
      });
    }
    if (!canDo(before, 'void') || before.creditedAmount > 0) throw wrongState(ctx, before, 'void');
    if (before.version !== input.version) throw versionConflict();
    const [after] = await tx
      .update(invoices)
      .set({
        state: 'void',
        voidReason: input.reason,
        voidedAt: new Date(),
        updatedAt: sql`now()`,
        version: sql`${invoices.version} + 1`,
      })
      .where(and(eq(invoices.id, id), eq(invoices.version, input.version), eq(invoices.paidAmount, 0)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'void', entity: 'invoice', entityId: id, before, after });
    if (after.orderId) await recordOrderInvoiced(tx, ctx, after.orderId, -after.total);
  });
  return getInvoice(db, ctx, id);
}

export interface CreditNoteOptions {
  createdAt?: Date;
  /** The return (issue 7 item 3) that caused it. */
  returnId?: string;
}

/** A credit note (红字发票) against an issued invoice: each line ≤ what is left on it; reduces the open amount. */
export async function createCreditNote(
  db: Db,
  ctx: Ctx,
  invoiceId: string,
  input: z.infer<typeof creditNoteCreate>,
  options: CreditNoteOptions = {},
) {
  await withTx(db, async (tx) => {
    const before = await lockInvoice(tx, ctx, invoiceId);
    if (before.state !== 'issued' && before.state !== 'partially_paid' && before.state !== 'paid') {
      throw wrongState(ctx, before, 'credit');
    }
    if (before.version !== input.version) throw versionConflict();
    const lines = await loadLines(tx, invoiceId);
    const byId = new Map(lines.map((l) => [l.line.id, l]));
    const seen = new Set<string>();
    const noteLines = input.lines.map((req, i) => {
      const found = byId.get(req.invoiceLineId);
      if (!found || seen.has(req.invoiceLineId)) throw invalidField(`lines.${i}.invoiceLineId`, 'invalid');
      seen.add(req.invoiceLineId);
      const check = creditLine(
        {
          quantity: found.line.quantity,
          amount: found.line.amount,
          unitPrice: found.line.unitPrice,
          taxRate: found.line.taxRate,
          creditedQuantity: found.creditedQuantity,
          creditedAmount: Number(found.creditedAmount),
        },
        req.quantity,
        req.amount,
      );
      if (!check.ok) {
        throw new AppError('credit_note_exceeds_invoice', {
          line: found.line.seq,
          remaining: formatYuan(check.remainingAmount),
          quantity: check.remainingQuantity,
          requested: formatYuan(check.requested),
        });
      }
      return {
        invoiceLineId: found.line.id,
        quantity: req.quantity,
        amount: check.amount,
        taxAmount: check.taxAmount,
      };
    });
    const total = noteLines.reduce((s, l) => s + l.amount, 0);
    const taxTotal = noteLines.reduce((s, l) => s + l.taxAmount, 0);
    const open = openAmount(before);
    if (total > open) {
      throw new AppError('credit_note_exceeds_invoice', {
        line: ctx.locale === 'zh-CN' ? '合计' : 'total',
        remaining: formatYuan(open),
        quantity: '-',
        requested: formatYuan(total),
      });
    }
    const at = options.createdAt ?? new Date();
    const [note] = await tx
      .insert(creditNotes)
      .values({
        number: await nextNumber(tx, 'credit_note', at),
        invoiceId,
        customerId: before.customerId,
        reason: input.reason,
        total,
        taxTotal,
        issueDate: dayIn(await companyTimeZone(tx), at),
        returnId: options.returnId ?? null,
        ownerId: before.ownerId,
        orgUnitId: before.orgUnitId,
        createdBy: ctx.actor?.userId ?? null,
        createdAt: at,
        updatedAt: at,
      })
      .returning();
    await tx.insert(creditNoteLines).values(noteLines.map((l) => ({ ...l, creditNoteId: note!.id })));
    const credited = before.creditedAmount + total;
    if (before.orderId) await recordOrderInvoiced(tx, ctx, before.orderId, -total);
    const [after] = await tx
      .update(invoices)
      .set({
        creditedAmount: credited,
        state:
          before.paidAmount > 0 ? stateAfterPayment({ ...before, creditedAmount: credited }) : before.state,
        updatedAt: sql`now()`,
        version: sql`${invoices.version} + 1`,
      })
      .where(and(eq(invoices.id, invoiceId), eq(invoices.version, input.version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'credit_note',
      entityId: note!.id,
      after: { ...note!, lines: noteLines },
    });
    await recordAudit(tx, ctx, {
      action: 'credit',
      entity: 'invoice',
      entityId: invoiceId,
      before: { creditedAmount: before.creditedAmount, state: before.state },
      after: { creditedAmount: after.creditedAmount, state: after.state, creditNote: note!.number },
    });
  });
  return getInvoice(db, ctx, invoiceId);
}

/**
 * The payments part's one way to change what is paid on an invoice, inside its own transaction:
 * `deltaFen` > 0 applies an allocation, < 0 reverses one. A conditional update keeps
 * 0 ≤ paid ≤ total − credited (else 409 allocation_exceeds_open, nothing changed) and moves the
 * state issued ↔ partially_paid ↔ paid. Drafts and void invoices take no money (409
 * invoice_wrong_state). Not scoped: the caller has checked access. The caller records its own
 * audit of the allocation; this records the invoice's change when `ctx` is given.
 */
export async function applyToInvoice(tx: Db, invoiceId: string, deltaFen: number, ctx?: Ctx) {
  if (!Number.isInteger(deltaFen)) throw invalidField('amount', 'invalid');
  const paid = sql`${invoices.paidAmount} + ${deltaFen}`;
  const [after] = await tx
    .update(invoices)
    .set({
      paidAmount: paid,
      state: sql`case when ${paid} <= 0 then 'issued'
                      when ${invoices.total} - ${invoices.creditedAmount} - (${paid}) <= 0 then 'paid'
                      else 'partially_paid' end`,
      updatedAt: sql`now()`,
      version: sql`${invoices.version} + 1`,
    })
    .where(
      and(
        eq(invoices.id, invoiceId),
        inArray(invoices.state, ['issued', 'partially_paid', 'paid']),
        sql`${paid} >= 0`,
        sql`${invoices.total} - ${invoices.creditedAmount} - (${paid}) >= 0`,
      ),
    )
    .returning();
  if (!after) {
    const [row] = await tx.select().from(invoices).where(eq(invoices.id, invoiceId));
    if (!row) throw notFound();
    const locale = ctx?.locale ?? 'zh-CN';
    if (row.state === 'draft' || row.state === 'void') {
      throw new AppError('invoice_wrong_state', {
        number: row.number,
        state: STATE_LABELS[row.state][locale],
        action: locale === 'zh-CN' ? '核销回款' : 'paid',
      });
    }
    throw new AppError('allocation_exceeds_open', {
      number: row.number,
      open: formatYuan(openAmount(row)),
      requested: formatYuan(deltaFen),
    });
  }
  if (ctx) {
    await recordAudit(tx, ctx, {
      action: 'apply_payment',
      entity: 'invoice',
      entityId: invoiceId,
      before: { paidAmount: after.paidAmount - deltaFen },
      after: { paidAmount: after.paidAmount, state: after.state },
    });
  }
  return {
    id: after.id,
    number: after.number,
    state: after.state,
    paidAmount: after.paidAmount,
    openAmount: openAmount(after),
    dueDate: after.dueDate,
  };
}

// ---------------------------------------------------------------------------------------------
// Contract ledger: invoiced = Σ issued (not void) invoice totals − their credit notes.

defineContractFacts('invoiced', async (db, contractIds) => {
  const rows = await db
    .select({
      contractId: invoices.contractId,
      amount: sql<string>`sum(${invoices.total} - ${invoices.creditedAmount})`,
    })
    .from(invoices)
    .where(and(inArray(invoices.contractId, contractIds), notInArray(invoices.state, ['draft', 'void'])))
    .groupBy(invoices.contractId);
  return new Map(rows.map((r) => [r.contractId!, Number(r.amount)]));
});

export { STATE_LABELS as INVOICE_STATE_LABELS };
