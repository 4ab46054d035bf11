import { and, count, eq, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { productionRequestListQuery } from '../../../../contracts/sales-orders.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Ctx } from '../../../platform/context.js';
import { AppError, notFound, versionConflict } from '../../../platform/errors.js';
import { keyset, whereAll } from '../../../platform/http/pagination.js';
import { presentProductionRequest, selectProductionRequests } from './sales-orders.queries.js';
import { productionRequests } from './schema.js';

// Production / purchase requests (生产/采购需求): the warehouse's work list of what confirmed
// orders could not reserve. Fulfilled when the goods are in (then ship or reserve by hand),
// cancelled when no longer needed; an order's cancel cancels its open requests.

export async function listProductionRequests(
  db: Db,
  _ctx: Ctx,
  query: z.infer<typeof productionRequestListQuery>,
) {
  const page = keyset(
    query,
    { createdAt: productionRequests.createdAt },
    productionRequests.id,
    '-createdAt',
  );
  const q = query.q?.trim();
  const filter: SQL | undefined = whereAll(
    query.status ? eq(productionRequests.status, query.status) : undefined,
    query.warehouseId ? eq(productionRequests.warehouseId, query.warehouseId) : undefined,
    query.productId ? eq(productionRequests.productId, query.productId) : undefined,
    q
      ? sql`(${productionRequests.number} = ${q.toUpperCase()} or exists (select 1 from sales_orders o where o.id = ${productionRequests.orderId} and o.number = ${q.toUpperCase()}))`
      : undefined,
  );
  const rows = await selectProductionRequests(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(productionRequests).where(filter);
  const result = page.page(rows, n, (r) => [r.request.createdAt, r.request.id]);
  return { ...result, items: result.items.map(presentProductionRequest) };
}

export async function getProductionRequest(db: Db, id: string) {
  const [row] = await selectProductionRequests(db).where(eq(productionRequests.id, id));
  if (!row) throw notFound();
  return presentProductionRequest(row);
}

/** Closes an open request as fulfilled or cancelled (versioned). */
export async function closeProductionRequest(
  db: Db,
  ctx: Ctx,
  id: string,
  status: 'fulfilled' | 'cancelled',
  input: { version: number; note?: string | undefined },
) {
  return withTx(db, async (tx) => {
    const [before] = await tx
      .select()
      .from(productionRequests)
      .where(eq(productionRequests.id, id))
      .for('update');
    if (!before) throw notFound();
    if (before.version !== input.version) throw versionConflict();
    if (before.status !== 'open') throw new AppError('production_request_closed');
    const [after] = await tx
      .update(productionRequests)
      .set({
        status,
        note: input.note ?? before.note,
        closedAt: new Date(),
        closedBy: ctx.actor?.userId ?? null,
        updatedAt: sql`now()`,
        version: sql`${productionRequests.version} + 1`,
      })
      .where(and(eq(productionRequests.id, id), eq(productionRequests.status, 'open')))
      .returning();
    await recordAudit(tx, ctx, {
      action: status === 'fulfilled' ? 'fulfil' : 'cancel',
      entity: 'production_request',
      entityId: id,
      before,
      after,
    });
    return id;
  });
}
