import { createHash } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { RefundCreate } from '../../../../contracts/returns.js';
import { refundCreate } from '../../../../contracts/returns.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { scopeFilter } from '../../../platform/access/scope.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, invalidField, notFound } from '../../../platform/errors.js';
import { whereAll } from '../../../platform/http/pagination.js';
import { formatYuan } from '../../../platform/money/amount-in-words.js';
import { defineNumbering, nextNumber } from '../../../platform/numbering/numbering.js';
import { companyTimeZone, dayIn } from '../../../platform/settings/settings.service.js';
import { users } from '../../org/schema.js';
import { refundProblem } from './rules.js';
import { salesReturnRefunds, salesReturns } from './schema.js';

// Refunds (退款) of a return's uncredited value: goods came back but their invoice was already paid,
// so no credit note could take the value off it; finance pays the money back. A refund never
// touches invoices, payments or the customer's balance: the returned value was never booked against
// the receivable (see docs/returns.md "Refunds").

defineNumbering('refund', 'RF');

const STATE_LABELS = {
  requested: { 'zh-CN': '待审批', en: 'requested' },
  approved: { 'zh-CN': '已批准', en: 'approved' },
  received: { 'zh-CN': '已收货', en: 'received' },
  closed: { 'zh-CN': '已关闭', en: 'closed' },
  rejected: { 'zh-CN': '已驳回', en: 'rejected' },
  cancelled: { 'zh-CN': '已取消', en: 'cancelled' },
} as const;

/** The same request (return and body) hashes the same whatever the key order. */
function requestHash(returnId: string, input: unknown): string {
  const canonical = JSON.stringify({ returnId, input }, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

/** Σ refunds of a return (fen). */
export async function refundedAmountOf(db: Db, returnId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<string>`coalesce(sum(${salesReturnRefunds.amount}), 0)` })
    .from(salesReturnRefunds)
    .where(eq(salesReturnRefunds.returnId, returnId));
  return Number(row?.n ?? 0);
}

/** A return's refunds, oldest first, for its detail. */
export async function refundsOf(db: Db, returnId: string) {
  const rows = await db
    .select({ r: salesReturnRefunds, createdByName: users.name })
    .from(salesReturnRefunds)
    .leftJoin(users, eq(users.id, salesReturnRefunds.createdBy))
    .where(eq(salesReturnRefunds.returnId, returnId))
    .orderBy(asc(salesReturnRefunds.createdAt), asc(salesReturnRefunds.id));
  return rows.map(({ r, createdByName }) => ({
    id: r.id,
    number: r.number,
    amount: r.amount,
    method: r.method,
    refundDate: r.refundDate,
    reference: r.reference,
    note: r.note,
    createdAt: r.createdAt.toISOString(),
    createdByName: createdByName ?? null,
  }));
}

/**
 * Records a refund once per Idempotency-Key: the same key and body answer the first refund
 * (`replayed`), the same key with another body is 409. The return row is locked, so two refunds
 * racing for the same due amount serialise and the second sees the first.
 */
export async function recordRefund(
  db: Db,
  ctx: Ctx,
  returnId: string,
  raw: RefundCreate,
  idempotencyKey: string | undefined,
): Promise<{ id: string; replayed: boolean }> {
  const input = refundCreate.parse(raw);
  if (!idempotencyKey) throw new AppError('refund_key_required');
  const hash = requestHash(returnId, input);
  return withTx(db, async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`refund-key:${idempotencyKey}`}, 0))`,
    );
    const [ret] = await tx
      .select()
      .from(salesReturns)
      .where(
        whereAll(
          eq(salesReturns.id, returnId),
          scopeFilter(ctx.actor, 'returns', {
            ownerId: salesReturns.ownerId,
            orgUnitId: salesReturns.orgUnitId,
          }),
        ),
      )
      .for('update');
    if (!ret) throw notFound();
    const [existing] = await tx
      .select()
      .from(salesReturnRefunds)
      .where(eq(salesReturnRefunds.idempotencyKey, idempotencyKey));
    if (existing) {
      if (existing.requestHash !== hash) throw new AppError('idempotency_key_reused');
      return { id: existing.id, replayed: true };
    }
    const today = dayIn(await companyTimeZone(tx));
    if (input.refundDate > today) throw invalidField('refundDate', 'tooBig', { n: today });
    const refunded = await refundedAmountOf(tx, ret.id);
    const problem = refundProblem(ret.state, ret.uncreditedAmount, refunded, input.amount);
    if (problem?.code === 'refund_wrong_state')
      throw new AppError('refund_wrong_state', {
        number: ret.number,
        state: STATE_LABELS[ret.state][ctx.locale],
      });
    if (problem?.code === 'refund_exceeds_due')
      throw new AppError('refund_exceeds_due', {
        number: ret.number,
        amount: formatYuan(input.amount),
        due: formatYuan(problem.due),
      });
    const number = await nextNumber(tx, 'refund');
    const [refund] = await tx
      .insert(salesReturnRefunds)
      .values({
        number,
        returnId: ret.id,
        customerId: ret.customerId,
        amount: input.amount,
        method: input.method,
        refundDate: input.refundDate,
        reference: input.reference || null,
        note: input.note || null,
        idempotencyKey,
        requestHash: hash,
        ownerId: ret.ownerId,
        orgUnitId: ret.orgUnitId,
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    // On the return's history: who paid back how much, how and when.
    await recordAudit(tx, ctx, {
      action: 'refund',
      entity: 'sales_return',
      entityId: ret.id,
      after: {
        refundId: refund!.id,
        refundNumber: number,
        amount: refund!.amount,
        method: refund!.method,
        refundDate: refund!.refundDate,
        reference: refund!.reference,
        refundedAmount: refunded + refund!.amount,
      },
    });
    return { id: refund!.id, replayed: false };
  });
}
