import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { opportunityLinePriceQuery, opportunityLinesPut } from '../../../contracts/opportunity-lines.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, type FieldError, notFound, versionConflict } from '../../platform/errors.js';
import { whereAll } from '../../platform/http/pagination.js';
import type { Locale } from '../../platform/i18n/locale.js';
import { companyTimeZone, dayIn } from '../../platform/settings/settings.service.js';
import { seesCost } from '../orders/catalog/products.service.js';
import { products } from '../orders/catalog/schema.js';
import { resolvePriceFor } from '../orders/index.js';
import { opportunities } from './opportunities.schema.js';
import { visibleOpportunities } from './opportunities.service.js';
import { lineAmount, lineCost, linesTotal, marginPercent } from './opportunity-lines.rules.js';
import { opportunityLines } from './opportunity-lines.schema.js';

// Product lines of an opportunity: prices come from price resolution (the opportunity's customer,
// channel direct, today) unless the user overrides them; the opportunity's amount is their sum.

type OpportunityRow = typeof opportunities.$inferSelect;

async function visibleOpportunity(db: Db, ctx: Ctx, id: string, lock = false): Promise<OpportunityRow> {
  const query = db
    .select()
    .from(opportunities)
    .where(whereAll(eq(opportunities.id, id), visibleOpportunities(ctx)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound();
  return row;
}

/** The lines with their products; cost and margin only for holders of products.cost. */
export async function getOpportunityLines(db: Db, ctx: Ctx, id: string) {
  const o = await visibleOpportunity(db, ctx, id);
  return presentLines(db, ctx, o);
}

async function presentLines(db: Db, ctx: Ctx, o: OpportunityRow) {
  const rows = await db
    .select({
      line: opportunityLines,
      sku: products.sku,
      productName: products.name,
      uom: products.uom,
      listPrice: products.listPrice,
      costPrice: products.costPrice,
    })
    .from(opportunityLines)
    .innerJoin(products, eq(products.id, opportunityLines.productId))
    .where(eq(opportunityLines.opportunityId, o.id))
    .orderBy(asc(opportunityLines.position));
  const withCost = seesCost(ctx);
  const lines = rows.map((r) => {
    const cost = lineCost(r.line.quantity, r.costPrice);
    return {
      id: r.line.id,
      position: r.line.position,
      productId: r.line.productId,
      sku: r.sku,
      productName: r.productName,
      uom: r.uom,
      quantity: r.line.quantity,
      listPrice: r.listPrice,
      resolvedPrice: r.line.resolvedPrice,
      unitPrice: r.line.unitPrice,
      priceOverridden: r.line.priceOverridden,
      discountPercent: r.line.discountPercent,
      amount: r.line.amount,
      ...(withCost ? { cost, margin: cost === null ? null : r.line.amount - cost } : {}),
    };
  });
  const base = {
    opportunityId: o.id,
    amount: o.amount,
    amountSource: o.amountSource,
    version: o.version,
    lines,
  };
  if (!withCost) return base;
  const costs = lines.map((l) => l.cost ?? null);
  const cost = costs.length && costs.every((c) => c !== null) ? costs.reduce((a, b) => a! + b!, 0)! : null;
  const margin = cost === null ? null : linesTotal(lines) - cost;
  return { ...base, cost, margin, marginPercent: marginPercent(linesTotal(lines), margin) };
}

const STATE_LABELS: Record<'won' | 'lost', Record<Locale, string>> = {
  won: { 'zh-CN': '赢单', en: 'won' },
  lost: { 'zh-CN': '输单', en: 'lost' },
};

/** The price the opportunity's customer gets today on the direct channel. */
async function resolveFor(tx: Db, o: OpportunityRow, productId: string, quantity: string, date: string) {
  return resolvePriceFor(tx, { productId, customerId: o.customerId, channel: 'direct', date, quantity });
}

/**
 * Replaces the lines as a whole list and sets the amount to their sum (`amount_source = lines`)
 * in the same transaction; an empty list makes the amount manual again (it keeps its value).
 * A won or lost opportunity keeps its lines (409). Versioned and audited like other updates.
 */
export async function replaceOpportunityLines(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof opportunityLinesPut>,
): Promise<string> {
  return withTx(db, async (tx) => {
    const before = await visibleOpportunity(tx, ctx, id, true);
    if (before.version !== input.version) throw versionConflict();
    if (before.status !== 'open') {
      throw new AppError('opportunity_lines_closed', {
        state: STATE_LABELS[before.status as 'won' | 'lost'][ctx.locale],
      });
    }
    const ids = [...new Set(input.lines.map((l) => l.productId))];
    const found = ids.length
      ? await tx
          .select({ id: products.id })
          .from(products)
          .where(and(inArray(products.id, ids), eq(products.status, 'active')))
      : [];
    const known = new Set(found.map((p) => p.id));
    const bad: FieldError[] = input.lines.flatMap((l, i) =>
      known.has(l.productId) ? [] : [{ path: `lines.${i}.productId`, message: 'invalid' as const }],
    );
    if (bad.length) throw new AppError('invalid_reference', { field: 'productId' }, bad);

    const date = dayIn(await companyTimeZone(tx));
    const rows: (typeof opportunityLines.$inferInsert & { amount: number; quantity: string })[] = [];
    for (const [i, l] of input.lines.entries()) {
      const resolved = await resolveFor(tx, before, l.productId, l.quantity, date);
      const unitPrice = l.unitPrice ?? resolved.unitPrice;
      rows.push({
        opportunityId: id,
        position: i + 1,
        productId: l.productId,
        quantity: l.quantity,
        resolvedPrice: resolved.unitPrice,
        unitPrice,
        priceOverridden: unitPrice !== resolved.unitPrice,
        discountPercent: l.discountPercent && Number(l.discountPercent) !== 0 ? l.discountPercent : null,
        amount: lineAmount(l.quantity, unitPrice, l.discountPercent),
      });
    }
    const previous = await tx
      .select()
      .from(opportunityLines)
      .where(eq(opportunityLines.opportunityId, id))
      .orderBy(asc(opportunityLines.position));
    await tx.delete(opportunityLines).where(eq(opportunityLines.opportunityId, id));
    if (rows.length) await tx.insert(opportunityLines).values(rows);
    const [after] = await tx
      .update(opportunities)
      .set({
        ...(rows.length
          ? { amount: linesTotal(rows), amountSource: 'lines' as const }
          : { amountSource: 'manual' as const }),
        updatedAt: sql`now()`,
        version: sql`${opportunities.version} + 1`,
      })
      .where(and(eq(opportunities.id, id), eq(opportunities.version, input.version)))
      .returning();
    if (!after) throw versionConflict();
    const brief = (l: (typeof rows)[number]) => ({
      productId: l.productId,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discountPercent: l.discountPercent,
      amount: l.amount,
    });
    await recordAudit(tx, ctx, {
      action: 'update_lines',
      entity: 'opportunity',
      entityId: id,
      before: { amount: before.amount, amountSource: before.amountSource, lines: previous.map(brief) },
      after: { amount: after.amount, amountSource: after.amountSource, lines: rows.map(brief) },
    });
    return id;
  });
}

/** What a product would cost this opportunity's customer today (the line editor's picker). */
export async function opportunityLinePrice(
  db: Db,
  ctx: Ctx,
  id: string,
  query: z.infer<typeof opportunityLinePriceQuery>,
) {
  const o = await visibleOpportunity(db, ctx, id);
  const [product] = await db
    .select()
    .from(products)
    .where(and(eq(products.id, query.productId), eq(products.status, 'active')));
  if (!product)
    throw new AppError('invalid_reference', { field: 'productId' }, [
      { path: 'productId', message: 'invalid' },
    ]);
  const resolved = await resolveFor(db, o, product.id, query.quantity, dayIn(await companyTimeZone(db)));
  return {
    productId: product.id,
    sku: product.sku,
    productName: product.name,
    uom: product.uom,
    listPrice: product.listPrice,
    unitPrice: resolved.unitPrice,
    priceListName: resolved.priceList?.name ?? null,
  };
}
