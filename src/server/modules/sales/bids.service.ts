import { and, asc, count, eq, inArray, isNotNull, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  BidCreate,
  BidResult,
  BidUpdate,
  bidBondPayment,
  bidBondRefund,
  bidListQuery,
  bidSubmit,
} from '../../../contracts/bids.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { roles } from '../../platform/access/schema.js';
import { scopeFilter } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { recordHistory } from '../../platform/audit/audit.service.js';
import type { Ctx } from '../../platform/context.js';
import {
  AppError,
  type FieldError,
  invalidField,
  invalidReference,
  notFound,
  versionConflict,
} from '../../platform/errors.js';
import { defineAttachable } from '../../platform/files/attachables.js';
import { keyset, whereAll } from '../../platform/http/pagination.js';
import type { Locale } from '../../platform/i18n/locale.js';
import { companyTimeZone, dayIn } from '../../platform/settings/settings.service.js';
import { visibleCustomers } from '../customers/customers.service.js';
import { defineCustomerMergeStep } from '../customers/merge-steps.js';
import { customers } from '../customers/schema.js';
import { orgUnits, userRoles, users } from '../org/schema.js';
import {
  allowedBidActions,
  type BidAction,
  bidDateProblems,
  bondRefundDue,
  isBondOverdue,
  isDeadlineSoon,
  issuerKey,
  nextBidState,
} from './bids.rules.js';
import { type BidState, bidCompetitors, bids } from './bids.schema.js';
import { opportunities } from './opportunities.schema.js';
import { visibleOpportunities } from './opportunities.service.js';
import { getSalesSettings } from './pipelines.service.js';

const RESOURCE = 'bids';
export type BidRow = typeof bids.$inferSelect;

/** Bids the actor may see: their bids scope (own, team subtree, all). */
export const visibleBids = (ctx: Ctx): SQL | undefined =>
  scopeFilter(ctx.actor, RESOURCE, { ownerId: bids.ownerId, orgUnitId: bids.orgUnitId });

export async function isVisibleBid(db: Db, ctx: Ctx, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: bids.id })
    .from(bids)
    .where(whereAll(eq(bids.id, id), visibleBids(ctx)));
  return !!row;
}

// 招标文件, 投标文件, 澄清/答疑 and the award notice. Files stay after the result; none are added then.
defineAttachable('bid', {
  readPermission: 'bids.read',
  writePermission: 'bids.update',
  canRead: isVisibleBid,
  canWrite: async (db, _ctx, id) => {
    const [row] = await db.select({ state: bids.state }).from(bids).where(eq(bids.id, id));
    return !!row && (row.state === 'preparing' || row.state === 'submitted');
  },
});

// A merged customer's bids follow it to the survivor, with their tender-number key; a tender the
// survivor already has a bid on stays with the merged customer (no duplicate tender numbers).
defineCustomerMergeStep('bids', {
  async move(tx, fromId, toId) {
    const rows = await tx
      .update(bids)
      .set({ customerId: toId, issuerKey: issuerKey(toId, null), updatedAt: sql`now()` })
      .where(
        and(
          eq(bids.customerId, fromId),
          sql`${bids.tenderNumber} not in (select b2.tender_number from bids b2 where b2.issuer_key = ${issuerKey(toId, null)})`,
        ),
      )
      .returning({ id: bids.id });
    return rows.map((r) => r.id);
  },
  async moveBack(tx, ids, survivorId, restoredId) {
    if (!ids.length) return;
    await tx
      .update(bids)
      .set({ customerId: restoredId, issuerKey: issuerKey(restoredId, null), updatedAt: sql`now()` })
      .where(and(inArray(bids.id, ids), eq(bids.customerId, survivorId)));
  },
});

// ---------------------------------------------------------------------------------------------
// Reading

function selectBids(db: Db) {
  return db
    .select({
      bid: bids,
      customerName: customers.name,
      opportunityName: opportunities.name,
      ownerName: users.name,
      orgUnitName: orgUnits.name,
    })
    .from(bids)
    .leftJoin(customers, eq(customers.id, bids.customerId))
    .leftJoin(opportunities, eq(opportunities.id, bids.opportunityId))
    .innerJoin(users, eq(users.id, bids.ownerId))
    .innerJoin(orgUnits, eq(orgUnits.id, bids.orgUnitId));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectBids>['where']>>[number];
type CompetitorRow = typeof bidCompetitors.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function present(r: Row, competitors: CompetitorRow[], now: Date, today: string) {
  const b = r.bid;
  return {
    id: b.id,
    tenderNumber: b.tenderNumber,
    projectName: b.projectName,
    customerId: b.customerId,
    customerName: b.customerId ? r.customerName : null,
    issuerName: (b.customerId ? r.customerName : b.issuerName) ?? '',
    opportunityId: b.opportunityId,
    opportunityName: b.opportunityId ? r.opportunityName : null,
    state: b.state,
    documentsPurchasedOn: b.documentsPurchasedOn,
    questionDeadline: iso(b.questionDeadline),
    submissionDeadline: b.submissionDeadline.toISOString(),
    openingAt: iso(b.openingAt),
    deadlineSoon: isDeadlineSoon(b.state, b.submissionDeadline, now),
    bidPrice: b.bidPrice,
    currency: b.currency,
    bondAmount: b.bondAmount,
    bondMethod: b.bondMethod,
    bondPaidOn: b.bondPaidOn,
    bondRefundDueOn: b.bondRefundDueOn,
    bondRefundedOn: b.bondRefundedOn,
    bondOverdue: isBondOverdue(b, today),
    competitors: competitors.map((c) => ({ name: c.name, price: c.price, note: c.note })),
    submittedAt: iso(b.submittedAt),
    resultOn: b.resultOn,
    lossReason: b.lossReason,
    winnerName: b.winnerName,
    winningPrice: b.winningPrice,
    cancelReason: b.cancelReason,
    resultNote: b.resultNote,
    note: b.note,
    ownerId: b.ownerId,
    ownerName: r.ownerName,
    orgUnitId: b.orgUnitId,
    orgUnitName: r.orgUnitName,
    actions: allowedBidActions(b.state),
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
    version: b.version,
  };
}
export type BidView = ReturnType<typeof present>;

async function presentRows(db: Db, rows: Row[]): Promise<BidView[]> {
  const ids = rows.map((r) => r.bid.id);
  const competitors = ids.length
    ? await db
        .select()
        .from(bidCompetitors)
        .where(inArray(bidCompetitors.bidId, ids))
        .orderBy(asc(bidCompetitors.position))
    : [];
  const byBid = new Map<string, CompetitorRow[]>();
  for (const c of competitors) byBid.set(c.bidId, [...(byBid.get(c.bidId) ?? []), c]);
  const now = new Date();
  const today = dayIn(await companyTimeZone(db), now);
  return rows.map((r) => present(r, byBid.get(r.bid.id) ?? [], now, today));
}

/** A date (YYYY-MM-DD, the company's day) or an instant, as a bound of the deadline filter. */
function deadlineBound(value: string, timeZone: string, end: boolean): SQL {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = end ? sql`(${value}::date + 1)` : sql`${value}::date`;
    return sql`(${day}::timestamp at time zone ${timeZone})`;
  }
  if (Number.isNaN(Date.parse(value))) throw invalidField(end ? 'deadlineTo' : 'deadlineFrom', 'format');
  return sql`${new Date(value).toISOString()}::timestamptz`;
}

const escapeLike = (q: string) => q.replace(/[\\%_]/g, '\\$&');

export async function listBids(db: Db, ctx: Ctx, query: z.infer<typeof bidListQuery>) {
  const page = keyset(
    query,
    { submissionDeadline: bids.submissionDeadline, createdAt: bids.createdAt },
    bids.id,
    '-createdAt',
  );
  const timeZone = await companyTimeZone(db);
  const today = dayIn(timeZone);
  const q = query.q?.trim();
  const filter = whereAll(
    visibleBids(ctx),
    query.state ? eq(bids.state, query.state) : undefined,
    query.customerId ? eq(bids.customerId, query.customerId) : undefined,
    query.opportunityId ? eq(bids.opportunityId, query.opportunityId) : undefined,
    query.ownerId ? eq(bids.ownerId, query.ownerId) : undefined,
    query.who === 'mine' && ctx.actor ? eq(bids.ownerId, ctx.actor.userId) : undefined,
    query.deadlineFrom
      ? sql`${bids.submissionDeadline} >= ${deadlineBound(query.deadlineFrom, timeZone, false)}`
      : undefined,
    query.deadlineTo
      ? sql`${bids.submissionDeadline} < ${deadlineBound(query.deadlineTo, timeZone, true)}`
      : undefined,
    query.bondOverdue
      ? and(isNotNull(bids.bondPaidOn), isNull(bids.bondRefundedOn), lt(bids.bondRefundDueOn, today))
      : undefined,
    q
      ? or(
          sql`${bids.tenderNumber} ilike ${`%${escapeLike(q)}%`}`,
          sql`${bids.projectName} ilike ${`%${escapeLike(q)}%`}`,
        )
      : undefined,
  );
  const rows = await selectBids(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(bids).where(filter);
  const key = query.sort?.replace(/^-/, '') ?? 'createdAt';
  const result = page.page(rows, n, (r) => [
    key === 'submissionDeadline' ? r.bid.submissionDeadline : r.bid.createdAt,
    r.bid.id,
  ]);
  return { ...result, items: await presentRows(db, result.items) };
}

export async function getBid(db: Db, ctx: Ctx, id: string): Promise<BidView> {
  const [row] = await selectBids(db).where(whereAll(eq(bids.id, id), visibleBids(ctx)));
  if (!row) throw notFound();
  return (await presentRows(db, [row]))[0]!;
}

export async function bidHistory(db: Db, ctx: Ctx, id: string) {
  if (!(await isVisibleBid(db, ctx, id))) throw notFound();
  return recordHistory(db, 'bid', id);
}

// ---------------------------------------------------------------------------------------------
// Writing

const STATE_LABELS: Record<BidState, Record<Locale, string>> = {
  preparing: { 'zh-CN': '准备中', en: 'being prepared' },
  submitted: { 'zh-CN': '已投标', en: 'submitted' },
  won: { 'zh-CN': '已中标', en: 'won' },
  lost: { 'zh-CN': '未中标', en: 'lost' },
  cancelled: { 'zh-CN': '流标/废标', en: 'cancelled' },
};
const ACTION_LABELS: Record<BidAction | 'bond', Record<Locale, string>> = {
  edit: { 'zh-CN': '修改', en: 'changed' },
  submit: { 'zh-CN': '提交投标', en: 'submitted' },
  win: { 'zh-CN': '登记中标', en: 'marked as won' },
  lose: { 'zh-CN': '登记未中标', en: 'marked as lost' },
  cancel: { 'zh-CN': '登记流标/废标', en: 'marked as cancelled' },
  bond: { 'zh-CN': '登记保证金缴纳', en: 'given a bond payment' },
};

const wrongState = (ctx: Ctx, state: BidState, action: BidAction | 'bond') =>
  new AppError('bid_wrong_state', {
    state: STATE_LABELS[state][ctx.locale],
    action: ACTION_LABELS[action][ctx.locale],
  });

async function lockVisible(tx: Db, ctx: Ctx, id: string): Promise<BidRow> {
  const [row] = await tx
    .select()
    .from(bids)
    .where(whereAll(eq(bids.id, id), visibleBids(ctx)))
    .for('update');
  if (!row) throw notFound();
  return row;
}

/** Throws 400 with one error per misplaced date. */
async function assertDates(tx: Db, d: Parameters<typeof bidDateProblems>[0]) {
  const timeZone = await companyTimeZone(tx);
  const problems = bidDateProblems(d, (at) => dayIn(timeZone, at));
  if (problems.length) {
    throw new AppError(
      'validation_failed',
      {},
      problems.map((p): FieldError => ({ path: p.path, message: p.message })),
    );
  }
}

/** An open-or-closed opportunity the actor can see, of the bid's customer. */
async function assertOpportunity(tx: Db, ctx: Ctx, opportunityId: string, customerId: string | null) {
  const [o] = await tx
    .select({ id: opportunities.id, customerId: opportunities.customerId })
    .from(opportunities)
    .where(whereAll(eq(opportunities.id, opportunityId), visibleOpportunities(ctx)));
  if (!o || !customerId || o.customerId !== customerId) throw invalidReference('opportunityId');
}

async function assertUniqueTender(
  tx: Db,
  key: string,
  tenderNumber: string,
  issuer: string,
  exceptId?: string,
) {
  const [other] = await tx
    .select({ id: bids.id, projectName: bids.projectName })
    .from(bids)
    .where(and(eq(bids.issuerKey, key), eq(bids.tenderNumber, tenderNumber)));
  if (other && other.id !== exceptId) {
    throw new AppError('bid_duplicate_tender', { issuer, tenderNumber, projectName: other.projectName });
  }
}

async function writeCompetitors(tx: Db, bidId: string, list: NonNullable<BidCreate['competitors']>) {
  await tx.delete(bidCompetitors).where(eq(bidCompetitors.bidId, bidId));
  if (!list.length) return;
  await tx.insert(bidCompetitors).values(
    list.map((c, position) => ({
      bidId,
      position,
      name: c.name,
      price: c.price ?? null,
      note: c.note || null,
    })),
  );
}

const toDate = (v: string | null | undefined) => (v ? new Date(v) : null);

export interface CreateBidOptions {
  /** Another owner than the actor (demo data). */
  owner?: { ownerId: string; orgUnitId: string };
  /** Backdating for a data generator. */
  createdAt?: Date;
}

/**
 * Records a tender we take part in. The issuer is a customer the actor can see or a name; the
 * buyer's tender number is unique per issuer (409 naming the existing bid). Owned by the actor.
 */
export async function createBid(
  db: Db,
  ctx: Ctx,
  input: BidCreate,
  options: CreateBidOptions = {},
): Promise<string> {
  return withTx(db, async (tx) => {
    let issuer = input.issuerName?.trim() || null;
    if (input.customerId) {
      const [customer] = await tx
        .select({ id: customers.id, name: customers.name })
        .from(customers)
        .where(
          whereAll(eq(customers.id, input.customerId), isNull(customers.mergedIntoId), visibleCustomers(ctx)),
        );
      if (!customer) throw invalidReference('customerId');
      issuer = customer.name;
    } else if (!issuer) {
      throw invalidField('issuerName', 'bidIssuerRequired');
    }
    const dates = {
      documentsPurchasedOn: input.documentsPurchasedOn ?? null,
      questionDeadline: toDate(input.questionDeadline),
      submissionDeadline: new Date(input.submissionDeadline),
      openingAt: toDate(input.openingAt),
    };
    await assertDates(tx, dates);
    if (input.opportunityId) await assertOpportunity(tx, ctx, input.opportunityId, input.customerId ?? null);
    const key = issuerKey(input.customerId, issuer);
    await assertUniqueTender(tx, key, input.tenderNumber, issuer);

    let owner = options.owner;
    if (!owner) {
      if (!ctx.actor) throw invalidReference('ownerId');
      const [me] = await tx
        .select({ orgUnitId: users.orgUnitId })
        .from(users)
        .where(eq(users.id, ctx.actor.userId));
      owner = { ownerId: ctx.actor.userId, orgUnitId: me!.orgUnitId };
    }
    const at = options.createdAt ?? new Date();
    const [row] = await tx
      .insert(bids)
      .values({
        tenderNumber: input.tenderNumber,
        projectName: input.projectName,
        customerId: input.customerId ?? null,
        issuerName: input.customerId ? null : issuer,
        issuerKey: key,
        opportunityId: input.opportunityId ?? null,
        ...dates,
        bidPrice: input.bidPrice ?? null,
        bondAmount: input.bondAmount ?? null,
        note: input.note || null,
        ownerId: owner.ownerId,
        orgUnitId: owner.orgUnitId,
        createdAt: at,
        updatedAt: at,
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    await writeCompetitors(tx, row!.id, input.competitors ?? []);
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'bid',
      entityId: row!.id,
      after: { ...row!, competitors: input.competitors ?? [] },
    });
    return row!.id;
  });
}

async function competitorsOf(tx: Db, bidId: string) {
  const rows = await tx
    .select()
    .from(bidCompetitors)
    .where(eq(bidCompetitors.bidId, bidId))
    .orderBy(asc(bidCompetitors.position));
  return rows.map((c) => ({ name: c.name, price: c.price, note: c.note }));
}

/** Changes a bid before its result (preparing or submitted); versioned; dates re-checked together. */
export async function updateBid(db: Db, ctx: Ctx, id: string, input: BidUpdate): Promise<string> {
  const { version, competitors, ...changes } = input;
  return withTx(db, async (tx) => {
    const before = await lockVisible(tx, ctx, id);
    if (!nextBidState(before.state, 'edit')) throw wrongState(ctx, before.state, 'edit');
    if (before.version !== version) throw versionConflict();
    const set: Partial<typeof bids.$inferInsert> = {};
    if (changes.tenderNumber !== undefined) set.tenderNumber = changes.tenderNumber;
    if (changes.projectName !== undefined) set.projectName = changes.projectName;
    if (changes.documentsPurchasedOn !== undefined) set.documentsPurchasedOn = changes.documentsPurchasedOn;
    if (changes.questionDeadline !== undefined) set.questionDeadline = toDate(changes.questionDeadline);
    if (changes.submissionDeadline !== undefined)
      set.submissionDeadline = new Date(changes.submissionDeadline);
    if (changes.openingAt !== undefined) set.openingAt = toDate(changes.openingAt);
    if (changes.bidPrice !== undefined) set.bidPrice = changes.bidPrice;
    if (changes.bondAmount !== undefined) set.bondAmount = changes.bondAmount;
    if (changes.note !== undefined) set.note = changes.note || null;
    if (changes.opportunityId !== undefined) {
      if (changes.opportunityId) await assertOpportunity(tx, ctx, changes.opportunityId, before.customerId);
      set.opportunityId = changes.opportunityId;
    }
    await assertDates(tx, {
      documentsPurchasedOn:
        set.documentsPurchasedOn !== undefined ? set.documentsPurchasedOn : before.documentsPurchasedOn,
      questionDeadline: set.questionDeadline !== undefined ? set.questionDeadline : before.questionDeadline,
      submissionDeadline: set.submissionDeadline ?? before.submissionDeadline,
      openingAt: set.openingAt !== undefined ? set.openingAt : before.openingAt,
    });
    if (set.tenderNumber && set.tenderNumber !== before.tenderNumber) {
      const issuer = before.issuerName ?? (await issuerNameOf(tx, before));
      await assertUniqueTender(tx, before.issuerKey, set.tenderNumber, issuer, id);
    }
    // A moved deadline gets its reminders again.
    if (set.submissionDeadline && set.submissionDeadline.getTime() !== before.submissionDeadline.getTime()) {
      set.remindedThreeDaysAt = null;
      set.remindedOneDayAt = null;
    }
    const [after] = await tx
      .update(bids)
      .set({ ...set, updatedAt: sql`now()`, version: sql`${bids.version} + 1` })
      .where(and(eq(bids.id, id), eq(bids.version, version)))
      .returning();
    if (!after) throw versionConflict();
    const beforeCompetitors = await competitorsOf(tx, id);
    if (competitors) await writeCompetitors(tx, id, competitors);
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'bid',
      entityId: id,
      before: { ...before, competitors: beforeCompetitors },
      after: { ...after, competitors: competitors ? await competitorsOf(tx, id) : beforeCompetitors },
    });
    return id;
  });
}

async function issuerNameOf(tx: Db, b: BidRow): Promise<string> {
  if (!b.customerId) return b.issuerName ?? '';
  const [c] = await tx.select({ name: customers.name }).from(customers).where(eq(customers.id, b.customerId));
  return c?.name ?? '';
}

/** Our bid went in: it needs a price; reminders stop. */
export async function submitBid(db: Db, ctx: Ctx, id: string, input: z.infer<typeof bidSubmit>) {
  return withTx(db, async (tx) => {
    const before = await lockVisible(tx, ctx, id);
    const to = nextBidState(before.state, 'submit');
    if (!to) throw wrongState(ctx, before.state, 'submit');
    if (before.version !== input.version) throw versionConflict();
    if (!before.bidPrice) throw invalidField('bidPrice', 'required');
    const [after] = await tx
      .update(bids)
      .set({ state: to, submittedAt: sql`now()`, updatedAt: sql`now()`, version: sql`${bids.version} + 1` })
      .where(eq(bids.id, id))
      .returning();
    await recordAudit(tx, ctx, { action: 'submit', entity: 'bid', entityId: id, before, after: after! });
    return id;
  });
}

/**
 * The tender's result: won (中标), lost (未中标: a loss reason of the sales settings and the winner
 * are required, their price when known) or cancelled (流标/废标, with the reason). A paid bond gets
 * its refund due date. Winning does not touch a linked opportunity: the page offers to win it.
 */
export async function recordBidResult(db: Db, ctx: Ctx, id: string, input: BidResult) {
  const action: BidAction = input.outcome === 'won' ? 'win' : input.outcome === 'lost' ? 'lose' : 'cancel';
  return withTx(db, async (tx) => {
    const before = await lockVisible(tx, ctx, id);
    const to = nextBidState(before.state, action);
    if (!to) throw wrongState(ctx, before.state, action);
    if (before.version !== input.version) throw versionConflict();
    const errors: FieldError[] = [];
    if (input.outcome === 'lost') {
      const { lossReasons } = await getSalesSettings(tx);
      if (!input.lossReason) errors.push({ path: 'lossReason', message: 'required' });
      else if (!lossReasons.some((r) => r.code === input.lossReason)) {
        errors.push({
          path: 'lossReason',
          message: 'oneOf',
          params: { values: lossReasons.map((r) => r.code).join(', ') },
        });
      }
      if (!input.winnerName) errors.push({ path: 'winnerName', message: 'required' });
    }
    if (input.outcome === 'cancelled' && !input.cancelReason) {
      errors.push({ path: 'cancelReason', message: 'required' });
    }
    if (errors.length) throw new AppError('validation_failed', {}, errors);
    const lost = input.outcome === 'lost';
    const [after] = await tx
      .update(bids)
      .set({
        state: to,
        resultOn: input.resultOn,
        lossReason: lost ? input.lossReason! : null,
        winnerName: lost ? input.winnerName! : null,
        winningPrice: lost ? (input.winningPrice ?? null) : null,
        cancelReason: input.outcome === 'cancelled' ? input.cancelReason! : null,
        resultNote: input.note || null,
        bondRefundDueOn: before.bondPaidOn
          ? bondRefundDue(input.resultOn, before.bondRefundDueOn)
          : before.bondRefundDueOn,
        updatedAt: sql`now()`,
        version: sql`${bids.version} + 1`,
      })
      .where(eq(bids.id, id))
      .returning();
    await recordAudit(tx, ctx, { action, entity: 'bid', entityId: id, before, after: after! });
    return id;
  });
}

/** The bond went to the buyer (any time before its refund is recorded). */
export async function recordBondPayment(db: Db, ctx: Ctx, id: string, input: z.infer<typeof bidBondPayment>) {
  return withTx(db, async (tx) => {
    const before = await lockVisible(tx, ctx, id);
    if (before.bondRefundedOn) throw wrongState(ctx, before.state, 'bond');
    if (before.version !== input.version) throw versionConflict();
    const refundDueOn =
      input.refundDueOn !== undefined
        ? input.refundDueOn
        : before.resultOn
          ? bondRefundDue(before.resultOn, before.bondRefundDueOn)
          : before.bondRefundDueOn;
    if (refundDueOn && refundDueOn < input.paidOn) {
      throw invalidField('refundDueOn', 'bidRefundBeforePayment');
    }
    const [after] = await tx
      .update(bids)
      .set({
        bondAmount: input.amount,
        bondMethod: input.method,
        bondPaidOn: input.paidOn,
        bondRefundDueOn: refundDueOn,
        bondOverdueNotifiedAt: null,
        updatedAt: sql`now()`,
        version: sql`${bids.version} + 1`,
      })
      .where(eq(bids.id, id))
      .returning();
    await recordAudit(tx, ctx, { action: 'bond_pay', entity: 'bid', entityId: id, before, after: after! });
    return id;
  });
}

/** The bond came back (finance books it; any state). */
export async function recordBondRefund(db: Db, ctx: Ctx, id: string, input: z.infer<typeof bidBondRefund>) {
  return withTx(db, async (tx) => {
    const before = await lockVisible(tx, ctx, id);
    if (!before.bondPaidOn || before.bondRefundedOn) throw new AppError('bid_bond_not_paid');
    if (before.version !== input.version) throw versionConflict();
    if (input.refundedOn < before.bondPaidOn) throw invalidField('refundedOn', 'bidRefundBeforePayment');
    const [after] = await tx
      .update(bids)
      .set({
        bondRefundedOn: input.refundedOn,
        updatedAt: sql`now()`,
        version: sql`${bids.version} + 1`,
      })
      .where(eq(bids.id, id))
      .returning();
    await recordAudit(tx, ctx, { action: 'bond_refund', entity: 'bid', entityId: id, before, after: after! });
    return id;
  });
}

// ---------------------------------------------------------------------------------------------
// For the job (bids.jobs.ts)

/** Preparing bids whose deadline is within three days, locked so two workers never both remind. */
export async function bidsNearDeadline(tx: Db) {
  return tx
    .select({
      id: bids.id,
      state: bids.state,
      tenderNumber: bids.tenderNumber,
      projectName: bids.projectName,
      submissionDeadline: bids.submissionDeadline,
      remindedThreeDaysAt: bids.remindedThreeDaysAt,
      remindedOneDayAt: bids.remindedOneDayAt,
      ownerId: bids.ownerId,
    })
    .from(bids)
    .where(
      and(
        eq(bids.state, 'preparing'),
        sql`${bids.submissionDeadline} > now()`,
        sql`${bids.submissionDeadline} <= now() + interval '3 days'`,
        or(isNull(bids.remindedThreeDaysAt), isNull(bids.remindedOneDayAt)),
      ),
    )
    .orderBy(bids.submissionDeadline)
    .limit(1000)
    .for('update', { of: bids, skipLocked: true });
}

/** Paid bonds not back after their refund due date and not alerted yet. */
export async function overdueBondsUnalerted(tx: Db, today: string) {
  return tx
    .select({
      id: bids.id,
      tenderNumber: bids.tenderNumber,
      projectName: bids.projectName,
      bondAmount: bids.bondAmount,
      bondRefundDueOn: bids.bondRefundDueOn,
      ownerId: bids.ownerId,
    })
    .from(bids)
    .where(
      and(
        isNotNull(bids.bondPaidOn),
        isNull(bids.bondRefundedOn),
        lt(bids.bondRefundDueOn, today),
        isNull(bids.bondOverdueNotifiedAt),
      ),
    )
    .orderBy(bids.bondRefundDueOn)
    .limit(1000)
    .for('update', { of: bids, skipLocked: true });
}

/** Active users with the finance role: they chase refunds with the buyer. */
export async function financeUserIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: users.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(and(eq(roles.key, 'finance'), eq(users.status, 'active')));
  return rows.map((r) => r.id);
}
