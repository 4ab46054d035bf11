import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { lowStockQuery } from '../../../../contracts/receipts.js';
import type { Db } from '../../../db/client.js';
import { withTx } from '../../../db/tx.js';
import { roles } from '../../../platform/access/schema.js';
import { recordAudits } from '../../../platform/audit/audit.js';
import { systemCtx } from '../../../platform/context.js';
import { AppError } from '../../../platform/errors.js';
import { encodeCursor, whereAll } from '../../../platform/http/pagination.js';
import { defineJob, defineSchedule } from '../../../platform/jobs/jobs.js';
import { defineNotificationEvent, notify } from '../../../platform/notifications/notify.js';
import { userRoles, users } from '../../org/schema.js';
import { products } from '../catalog/schema.js';
import { formatQuantity } from './ledger.js';
import { availableOf, reorderAlertAction, suggestedOrderQuantity } from './reorder.rules.js';
import { stockLevels, warehouses } from './schema.js';

// Low-stock alerts (补货提醒): a job every 15 minutes (and right after a receipt or a count posts)
// compares every level that has a reorder point with its available quantity. A level that dipped
// to or below its point is notified once — to the location's manager, else to everyone who
// manages stock — and stamped; when available rises above the point again the stamp is cleared,
// so the next dip alerts again.

export const REORDER_CHECK_JOB = 'stock.reorder-check';

defineNotificationEvent('stock.low', {
  title: {
    'zh-CN': '库存不足：{sku} {product}（{location}）',
    en: 'Low stock: {sku} {product} at {location}',
  },
  body: {
    'zh-CN':
      '「{location}」的「{product}」可用库存 {available}{uom}，已不高于补货点 {point}{uom}，建议补货 {suggested}{uom}。',
    en: '{product} at {location}: {available} {uom} available, at or below the reorder point of {point} {uom}. Suggested order: {suggested} {uom}.',
  },
  label: { 'zh-CN': '库存低于补货点', en: 'Stock falls to its reorder point' },
});

/** Available (on hand − reserved) at or below the reorder point: the SQL twin of isLow. */
const lowCondition = sql`(${stockLevels.reorderPoint} is not null and ${stockLevels.onHand} - ${stockLevels.reserved} <= ${stockLevels.reorderPoint})`;

/** Users who manage stock (the role grants stock.manage), for locations without a manager. */
async function stockManagers(tx: Db): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ id: users.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(and(eq(users.status, 'active'), sql`${roles.permissions} @> '["stock.manage"]'::jsonb`));
  return rows.map((r) => r.id);
}

/**
 * One pass of the alert: notify new dips, re-arm recovered levels. Rows are locked (skip locked)
 * so two workers never alert the same dip. Returns how many were notified and re-armed.
 */
export async function alertLowStock(db: Db): Promise<{ notified: number; rearmed: number }> {
  const ctx = systemCtx(`job:${REORDER_CHECK_JOB}`);
  return withTx(db, async (tx) => {
    const levels = await tx
      .select({
        level: stockLevels,
        sku: products.sku,
        productName: products.name,
        uom: products.uom,
        locationName: warehouses.name,
        managerId: warehouses.managerId,
      })
      .from(stockLevels)
      .innerJoin(products, eq(products.id, stockLevels.productId))
      .innerJoin(warehouses, eq(warehouses.id, stockLevels.warehouseId))
      .where(
        and(
          // Only levels with something to do: a new dip, or a recovery to re-arm.
          sql`((${lowCondition} and ${stockLevels.lowStockNotifiedAt} is null)
            or (not coalesce(${lowCondition}, false) and ${stockLevels.lowStockNotifiedAt} is not null))`,
          eq(products.status, 'active'),
          eq(warehouses.status, 'active'),
        ),
      )
      .orderBy(asc(stockLevels.warehouseId), asc(stockLevels.productId))
      .for('update', { of: stockLevels, skipLocked: true });
    let managers: string[] | null = null;
    const notified: typeof levels = [];
    const rearmed: typeof levels = [];
    for (const row of levels) {
      const l = row.level;
      const action = reorderAlertAction(l);
      if (action === 'none') continue;
      if (action === 'rearm') {
        rearmed.push(row);
        continue;
      }
      if (!row.managerId && !managers) managers = await stockManagers(tx);
      const recipients = row.managerId ? [row.managerId] : (managers ?? []);
      await notify(tx, {
        userIds: recipients,
        event: 'stock.low',
        params: {
          sku: row.sku,
          product: row.productName,
          location: row.locationName,
          uom: row.uom,
          available: availableOf(l).toString(),
          point: formatQuantity(l.reorderPoint!),
          suggested: suggestedOrderQuantity(l),
        },
        link: `/stock/reorder?warehouseId=${l.warehouseId}`,
        entity: 'stock_level',
        entityId: `${l.warehouseId}:${l.productId}`,
      });
      notified.push(row);
    }
    const stamp = async (rows: typeof levels, value: ReturnType<typeof sql> | null) => {
      for (const r of rows) {
        await tx
          .update(stockLevels)
          .set({ lowStockNotifiedAt: value })
          .where(
            and(
              eq(stockLevels.warehouseId, r.level.warehouseId),
              eq(stockLevels.productId, r.level.productId),
            ),
          );
      }
    };
    await stamp(notified, sql`now()`);
    await stamp(rearmed, null);
    await recordAudits(tx, ctx, [
      ...notified.map((r) => ({
        action: 'low_stock_alert',
        entity: 'stock_level',
        entityId: `${r.level.warehouseId}:${r.level.productId}`,
        after: { onHand: r.level.onHand, reserved: r.level.reserved, reorderPoint: r.level.reorderPoint },
      })),
      ...rearmed.map((r) => ({
        action: 'low_stock_recovered',
        entity: 'stock_level',
        entityId: `${r.level.warehouseId}:${r.level.productId}`,
        before: { lowStockNotifiedAt: r.level.lowStockNotifiedAt },
        after: { lowStockNotifiedAt: null },
      })),
    ]);
    return { notified: notified.length, rearmed: rearmed.length };
  });
}

defineJob(REORDER_CHECK_JOB, async (_payload, job) => {
  const { notified, rearmed } = await alertLowStock(job.db);
  job.log.info(`low stock: ${notified} alerted, ${rearmed} recovered`);
});
defineSchedule({ key: REORDER_CHECK_JOB, kind: REORDER_CHECK_JOB, cron: '*/15 * * * *' });

// ---------------------------------------------------------------------------------------------
// The low-stock list

/**
 * Levels at or below their reorder point at active locations, by location and SKU, with the
 * suggested order quantity. Keyset on (location code, SKU).
 */
export async function listLowStock(db: Db, query: z.infer<typeof lowStockQuery>) {
  const pattern = query.q?.trim() ? `%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const filter = whereAll(
    lowCondition,
    eq(warehouses.status, 'active'),
    eq(products.status, 'active'),
    query.warehouseId ? eq(stockLevels.warehouseId, query.warehouseId) : undefined,
    pattern ? sql`(${products.sku} ilike ${pattern} or ${products.name} ilike ${pattern})` : undefined,
  );
  let after: ReturnType<typeof sql> | undefined;
  if (query.cursor) {
    const [key, productId] = decode(query.cursor);
    after = sql`(${warehouses.code} || '|' || ${products.sku}, ${stockLevels.productId}) > (${key}, ${productId}::uuid)`;
  }
  const rows = await db
    .select({
      level: stockLevels,
      warehouseCode: warehouses.code,
      warehouseName: warehouses.name,
      sku: products.sku,
      productName: products.name,
      uom: products.uom,
      trackingMode: products.trackingMode,
    })
    .from(stockLevels)
    .innerJoin(products, eq(products.id, stockLevels.productId))
    .innerJoin(warehouses, eq(warehouses.id, stockLevels.warehouseId))
    .where(whereAll(filter, after))
    .orderBy(sql`${warehouses.code} || '|' || ${products.sku}`, asc(stockLevels.productId))
    .limit(query.limit + 1);
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(stockLevels)
    .innerJoin(products, eq(products.id, stockLevels.productId))
    .innerJoin(warehouses, eq(warehouses.id, stockLevels.warehouseId))
    .where(filter);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items: items.map((r) => {
      const l = r.level;
      return {
        warehouseId: l.warehouseId,
        warehouseCode: r.warehouseCode,
        warehouseName: r.warehouseName,
        productId: l.productId,
        sku: r.sku,
        productName: r.productName,
        uom: r.uom,
        trackingMode: r.trackingMode,
        onHand: formatQuantity(l.onHand),
        reserved: formatQuantity(l.reserved),
        available: availableOf(l).toString(),
        reorderPoint: formatQuantity(l.reorderPoint!),
        reorderQuantity: l.reorderQuantity === null ? null : formatQuantity(l.reorderQuantity),
        suggestedQuantity: suggestedOrderQuantity(l),
        notifiedAt: l.lowStockNotifiedAt?.toISOString() ?? null,
      };
    }),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor([`${last.warehouseCode}|${last.sku}`, last.level.productId])
        : null,
    total: n,
  };
}

function decode(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(v[1])
    ) {
      return [v[0], v[1]];
    }
  } catch {
    // any undecodable cursor is the same client error
  }
  throw new AppError('bad_cursor', {}, [{ path: 'cursor', message: 'invalid' }]);
}
