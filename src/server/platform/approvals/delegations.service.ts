import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { delegationCreate } from '../../../contracts/approvals.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { users } from '../../modules/org/schema.js';
import { recordAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { AppError, invalidField, notFound } from '../errors.js';
import { approvalDelegations } from './schema.js';

const delegator = alias(users, 'delegator');
const delegate = alias(users, 'delegate');

function selectDelegations(db: Db) {
  return db
    .select({
      d: approvalDelegations,
      userName: delegator.name,
      delegateName: delegate.name,
    })
    .from(approvalDelegations)
    .innerJoin(delegator, eq(delegator.id, approvalDelegations.userId))
    .innerJoin(delegate, eq(delegate.id, approvalDelegations.delegateId));
}

type Joined = Awaited<ReturnType<ReturnType<typeof selectDelegations>['execute']>>[number];

function present(row: Joined) {
  return {
    id: row.d.id,
    user: { id: row.d.userId, name: row.userName },
    delegate: { id: row.d.delegateId, name: row.delegateName },
    startsAt: row.d.startsAt.toISOString(),
    endsAt: row.d.endsAt.toISOString(),
    reason: row.d.reason,
    cancelledAt: row.d.cancelledAt?.toISOString() ?? null,
  };
}

const canManageAll = (ctx: Ctx) => !!ctx.actor?.permissions.has('approvals.manage');

/** Delegations that have not ended: mine, to me, or (for administrators) everyone's. */
export async function listDelegations(db: Db, ctx: Ctx) {
  const me = ctx.actor?.userId ?? '';
  const rows = await selectDelegations(db)
    .where(
      and(
        isNull(approvalDelegations.cancelledAt),
        gt(approvalDelegations.endsAt, sql`now()`),
        canManageAll(ctx)
          ? undefined
          : or(eq(approvalDelegations.userId, me), eq(approvalDelegations.delegateId, me)),
      ),
    )
    .orderBy(desc(approvalDelegations.startsAt));
  return { items: rows.map(present) };
}

export async function createDelegation(db: Db, ctx: Ctx, input: z.infer<typeof delegationCreate>) {
  const me = ctx.actor?.userId ?? '';
  const userId = input.userId ?? me;
  if (userId !== me && !canManageAll(ctx))
    throw new AppError('forbidden', { permission: 'approvals.manage' });
  if (input.delegateId === userId) throw invalidField('delegateId', 'invalid');
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  if (endsAt <= startsAt) throw invalidField('endsAt', 'tooSmall', { n: input.startsAt });
  return withTx(db, async (tx) => {
    const [target] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, input.delegateId), eq(users.status, 'active')));
    if (!target) throw new AppError('invalid_reference', { field: 'delegateId' });
    const [row] = await tx
      .insert(approvalDelegations)
      .values({ userId, delegateId: input.delegateId, startsAt, endsAt, reason: input.reason, createdBy: me })
      .returning();
    if (!row) throw new Error('delegation not created');
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'approval_delegation',
      entityId: row.id,
      after: row,
    });
    const [joined] = await selectDelegations(tx).where(eq(approvalDelegations.id, row.id));
    return present(joined as Joined);
  });
}

export async function cancelDelegation(db: Db, ctx: Ctx, id: string) {
  return withTx(db, async (tx) => {
    const [before] = await tx
      .select()
      .from(approvalDelegations)
      .where(eq(approvalDelegations.id, id))
      .for('update');
    if (!before || (before.userId !== ctx.actor?.userId && !canManageAll(ctx))) throw notFound();
    if (before.cancelledAt) throw new AppError('invalid_state', { state: 'cancelled' });
    const [after] = await tx
      .update(approvalDelegations)
      .set({
        cancelledAt: sql`now()`,
        updatedAt: sql`now()`,
        version: sql`${approvalDelegations.version} + 1`,
      })
      .where(eq(approvalDelegations.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'cancel',
      entity: 'approval_delegation',
      entityId: id,
      before,
      after,
    });
    const [joined] = await selectDelegations(tx).where(eq(approvalDelegations.id, id));
    return present(joined as Joined);
  });
}
