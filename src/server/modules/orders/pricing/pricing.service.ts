import { Decimal } from 'decimal.js';
import { and, count, eq, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  priceListCreate,
  priceListListQuery,
  priceListUpdate,
  priceResolveRequest,
  priceRuleCreate,
  priceRuleListQuery,
  priceRuleUpdate,
} from '../../../../contracts/pricing.js';
import type { Db } from '../../../db/client.js';
import { pgConstraint, withTx } from '../../../db/tx.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { recordHistory } from '../../../platform/audit/audit.service.js';
import type { Ctx } from '../../../platform/context.js';
import {
  AppError,
  type FieldError,
  invalidField,
  notFound,
  versionConflict,
} from '../../../platform/errors.js';
import { containsPattern, keyset, whereAll } from '../../../platform/http/pagination.js';
import { companyTimeZone, dayIn } from '../../../platform/settings/settings.service.js';
import { visibleCustomers } from '../../customers/customers.service.js';
import { customers } from '../../customers/schema.js';
import { orgUnits } from '../../org/schema.js';
import { productCategories, products } from '../catalog/schema.js';
import {
  type CandidateList,
  type CandidateRule,
  type PriceChannel,
  type PriceResolution,
  resolvePrice,
  rulePrice,
} from './price-resolution.js';
import { priceListRules, priceLists } from './schema.js';

export { checkFloor } from './price-resolution.js';

type ListRow = typeof priceLists.$inferSelect;
type RuleRow = typeof priceListRules.$inferSelect;

const iso = (d: Date) => d.toISOString();
const decimalText = (v: string | null) => (v === null ? null : new Decimal(v).toString());

// ---------------------------------------------------------------------------------------------
// Price lists

const liveRuleCount = sql<number>`(select count(*)::int from ${priceListRules} where ${priceListRules.priceListId} = ${priceLists.id} and ${priceListRules.archivedAt} is null)`;

function selectLists(db: Db) {
  return db
    .select({
      list: priceLists,
      regionName: orgUnits.name,
      customerName: customers.name,
      ruleCount: liveRuleCount,
    })
    .from(priceLists)
    .leftJoin(orgUnits, eq(orgUnits.id, priceLists.regionId))
    .leftJoin(customers, eq(customers.id, priceLists.customerId));
}

type ListView = { list: ListRow; regionName: string | null; customerName: string | null; ruleCount: number };

function presentList(r: ListView) {
  const l = r.list;
  return {
    id: l.id,
    code: l.code,
    name: l.name,
    currency: 'CNY' as const,
    priority: l.priority,
    effectiveFrom: l.effectiveFrom,
    effectiveTo: l.effectiveTo,
    channel: l.channel,
    regionId: l.regionId,
    regionName: r.regionName,
    customerGrade: l.customerGrade as 'A' | 'B' | 'C' | null,
    partnerTier: l.partnerTier,
    customerId: l.customerId,
    customerName: r.customerName,
    rounding: l.rounding,
    roundingMaxPercent: new Decimal(l.roundingMaxPercent).toString(),
    roundingMaxRaise: l.roundingMaxRaise,
    status: l.status,
    ruleCount: Number(r.ruleCount),
    createdAt: iso(l.createdAt),
    updatedAt: iso(l.updatedAt),
    version: l.version,
  };
}

export async function listPriceLists(db: Db, query: z.infer<typeof priceListListQuery>) {
  const page = keyset(
    query,
    { priority: priceLists.priority, code: priceLists.code, createdAt: priceLists.createdAt },
    priceLists.id,
    '-priority',
  );
  const pattern = containsPattern(query.q);
  const filter = whereAll(
    query.status ? eq(priceLists.status, query.status) : undefined,
    query.channel ? eq(priceLists.channel, query.channel) : undefined,
    pattern
      ? or(sql`${priceLists.code} ilike ${pattern}`, sql`${priceLists.name} ilike ${pattern}`)
      : undefined,
  );
  const rows = await selectLists(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(priceLists).where(filter);
  const key = query.sort?.replace(/^-/, '') ?? 'priority';
  const result = page.page(rows, n, (r) => [
    key === 'code' ? r.list.code : key === 'createdAt' ? r.list.createdAt : r.list.priority,
    r.list.id,
  ]);
  return { ...result, items: result.items.map(presentList) };
}

export async function getPriceList(db: Db, id: string) {
  const [row] = await selectLists(db).where(eq(priceLists.id, id));
  if (!row) throw notFound();
  return presentList(row);
}

export async function priceListHistory(db: Db, id: string) {
  await getPriceList(db, id);
  return recordHistory(db, 'price_list', id);
}

type ListFields = Partial<Omit<z.infer<typeof priceListCreate>, 'code'>>;

/** References and date order of a list's conditions; every problem at once. */
async function checkListFields(tx: Db, fields: ListFields, current?: ListRow) {
  const errors: FieldError[] = [];
  const from = fields.effectiveFrom !== undefined ? fields.effectiveFrom : (current?.effectiveFrom ?? null);
  const to = fields.effectiveTo !== undefined ? fields.effectiveTo : (current?.effectiveTo ?? null);
  if (from && to && from > to) errors.push({ path: 'effectiveTo', message: 'tooSmall', params: { n: from } });
  if (fields.regionId) {
    const [unit] = await tx
      .select({ id: orgUnits.id })
      .from(orgUnits)
      .where(and(eq(orgUnits.id, fields.regionId), isNull(orgUnits.archivedAt)));
    if (!unit) errors.push({ path: 'regionId', message: 'invalid' });
  }
  if (fields.customerId) {
    const [customer] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.id, fields.customerId));
    if (!customer) errors.push({ path: 'customerId', message: 'invalid' });
  }
  if (errors.length) throw new AppError('validation_failed', {}, errors);
}

const duplicateCode = () =>
  new AppError('duplicate', { field: 'code' }, [{ path: 'code', message: 'exists' }]);

export async function createPriceList(
  db: Db,
  ctx: Ctx,
  input: z.infer<typeof priceListCreate>,
): Promise<string> {
  return withTx(db, async (tx) => {
    await checkListFields(tx, input);
    const [taken] = await tx
      .select({ id: priceLists.id })
      .from(priceLists)
      .where(sql`lower(${priceLists.code}) = ${input.code.toLowerCase()}`);
    if (taken) throw duplicateCode();
    const [row] = await tx
      .insert(priceLists)
      .values({ ...input, createdBy: ctx.actor?.userId ?? null })
      .returning();
    await recordAudit(tx, ctx, { action: 'create', entity: 'price_list', entityId: row!.id, after: row! });
    return row!.id;
  });
}

async function lockedList(tx: Db, id: string) {
  const [row] = await tx.select().from(priceLists).where(eq(priceLists.id, id)).for('update');
  if (!row) throw notFound();
  return row;
}

export async function updatePriceList(db: Db, ctx: Ctx, id: string, input: z.infer<typeof priceListUpdate>) {
  const { version, ...changes } = input;
  return withTx(db, async (tx) => {
    const before = await lockedList(tx, id);
    if (before.version !== version) throw versionConflict();
    if (before.status === 'archived') throw new AppError('price_list_archived', { code: before.code });
    await checkListFields(tx, changes, before);
    const [after] = await tx
      .update(priceLists)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${priceLists.version} + 1` })
      .where(and(eq(priceLists.id, id), eq(priceLists.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'update', entity: 'price_list', entityId: id, before, after });
  });
}

/** Archive (it stops applying at once) or restore a list; its rules stay as they are. */
export async function setPriceListStatus(
  db: Db,
  ctx: Ctx,
  id: string,
  status: 'active' | 'archived',
  version: number,
) {
  return withTx(db, async (tx) => {
    const before = await lockedList(tx, id);
    if (before.version !== version) throw versionConflict();
    if (before.status === status) return;
    const [after] = await tx
      .update(priceLists)
      .set({ status, updatedAt: sql`now()`, version: sql`${priceLists.version} + 1` })
      .where(eq(priceLists.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: status === 'archived' ? 'archive' : 'restore',
      entity: 'price_list',
      entityId: id,
      before,
      after: after!,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Rules (one row per tier)

function selectRules(db: Db) {
  return db
    .select({
      rule: priceListRules,
      productSku: products.sku,
      productName: products.name,
      productListPrice: products.listPrice,
      categoryName: productCategories.name,
    })
    .from(priceListRules)
    .leftJoin(products, eq(products.id, priceListRules.productId))
    .leftJoin(productCategories, eq(productCategories.id, priceListRules.categoryId));
}

type RuleView = Awaited<ReturnType<ReturnType<typeof selectRules>['where']>>[number];

function presentRule(r: RuleView) {
  const x = r.rule;
  return {
    id: x.id,
    priceListId: x.priceListId,
    productId: x.productId,
    productSku: r.productSku,
    productName: r.productName,
    productListPrice: r.productListPrice,
    categoryId: x.categoryId,
    categoryName: r.categoryName,
    minQuantity: new Decimal(x.minQuantity).toString(),
    price: x.price,
    percent: decimalText(x.percent),
    floorPrice: x.floorPrice,
    archived: x.archivedAt !== null,
    createdAt: iso(x.createdAt),
    updatedAt: iso(x.updatedAt),
    version: x.version,
  };
}

export async function listPriceRules(db: Db, listId: string, query: z.infer<typeof priceRuleListQuery>) {
  await getPriceList(db, listId);
  const page = keyset(query, { createdAt: priceListRules.createdAt }, priceListRules.id, 'createdAt');
  const pattern = containsPattern(query.q);
  const filter = whereAll(
    eq(priceListRules.priceListId, listId),
    query.includeArchived ? undefined : isNull(priceListRules.archivedAt),
    query.productId ? eq(priceListRules.productId, query.productId) : undefined,
    pattern
      ? sql`(${priceListRules.productId} in (select ${products.id} from ${products} where ${products.sku} ilike ${pattern} or ${products.name} ilike ${pattern})
            or ${priceListRules.categoryId} in (select ${productCategories.id} from ${productCategories} where ${productCategories.name} ilike ${pattern}))`
      : undefined,
  );
  const rows = await selectRules(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(priceListRules).where(filter);
  const result = page.page(rows, n, (r) => [r.rule.createdAt, r.rule.id]);
  return { ...result, items: result.items.map(presentRule) };
}

export async function getPriceRule(db: Db, listId: string, ruleId: string) {
  const [row] = await selectRules(db).where(
    and(eq(priceListRules.id, ruleId), eq(priceListRules.priceListId, listId)),
  );
  if (!row) throw notFound();
  return presentRule(row);
}

/** A rule prices by a fixed amount or by a percentage of the list price, never both. */
function basisErrors(price: number | null | undefined, percent: string | null | undefined): FieldError[] {
  const has = (v: unknown) => v !== null && v !== undefined;
  if (has(price) === has(percent))
    return [{ path: has(price) ? 'percent' : 'price', message: has(price) ? 'invalid' : 'required' }];
  return [];
}

async function activeListForRules(tx: Db, listId: string) {
  const [list] = await tx.select().from(priceLists).where(eq(priceLists.id, listId)).for('update');
  if (!list) throw notFound();
  if (list.status === 'archived') throw new AppError('price_list_archived', { code: list.code });
  return list;
}

function tierTaken(err: unknown, minQuantity: string) {
  const c = pgConstraint(err);
  if (c === 'price_list_rules_product_idx' || c === 'price_list_rules_category_idx')
    return new AppError('price_rule_exists', { minQuantity: new Decimal(minQuantity).toString() });
  return err;
}

export async function createPriceRule(
  db: Db,
  ctx: Ctx,
  listId: string,
  input: z.infer<typeof priceRuleCreate>,
): Promise<string> {
  const errors: FieldError[] = [];
  if (!!input.productId === !!input.categoryId)
    errors.push({
      path: input.productId ? 'categoryId' : 'productId',
      message: input.productId ? 'invalid' : 'required',
    });
  errors.push(...basisErrors(input.price, input.percent));
  if (errors.length) throw new AppError('validation_failed', {}, errors);
  return withTx(db, async (tx) => {
    await activeListForRules(tx, listId);
    if (input.productId) {
      const [product] = await tx
        .select({ sku: products.sku, status: products.status })
        .from(products)
        .where(eq(products.id, input.productId));
      if (!product) throw invalidField('productId', 'invalid');
      if (product.status === 'archived')
        throw new AppError('price_rule_product_archived', { sku: product.sku });
    } else {
      const [category] = await tx
        .select({ id: productCategories.id, archivedAt: productCategories.archivedAt })
        .from(productCategories)
        .where(eq(productCategories.id, input.categoryId!));
      if (!category || category.archivedAt) throw invalidField('categoryId', 'invalid');
    }
    const minQuantity = new Decimal(input.minQuantity).toString();
    const [live] = await tx
      .select({ id: priceListRules.id })
      .from(priceListRules)
      .where(
        and(
          eq(priceListRules.priceListId, listId),
          input.productId
            ? eq(priceListRules.productId, input.productId)
            : eq(priceListRules.categoryId, input.categoryId!),
          sql`${priceListRules.minQuantity} = ${minQuantity}::numeric`,
          isNull(priceListRules.archivedAt),
        ),
      );
    if (live) throw new AppError('price_rule_exists', { minQuantity });
    const [row] = await tx
      .insert(priceListRules)
      .values({
        priceListId: listId,
        productId: input.productId ?? null,
        categoryId: input.categoryId ?? null,
        minQuantity,
        price: input.price ?? null,
        percent: input.percent ?? null,
        floorPrice: input.floorPrice ?? null,
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning()
      .catch((err) => {
        throw tierTaken(err, minQuantity);
      });
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'price_list_rule',
      entityId: row!.id,
      after: row!,
    });
    return row!.id;
  });
}

async function lockedRule(tx: Db, listId: string, ruleId: string): Promise<RuleRow> {
  const [rule] = await tx
    .select()
    .from(priceListRules)
    .where(and(eq(priceListRules.id, ruleId), eq(priceListRules.priceListId, listId)))
    .for('update');
  if (!rule) throw notFound();
  return rule;
}

export async function updatePriceRule(
  db: Db,
  ctx: Ctx,
  listId: string,
  ruleId: string,
  input: z.infer<typeof priceRuleUpdate>,
) {
  const { version, ...changes } = input;
  return withTx(db, async (tx) => {
    await activeListForRules(tx, listId);
    const before = await lockedRule(tx, listId, ruleId);
    if (before.version !== version) throw versionConflict();
    if (before.archivedAt)
      throw new AppError('invalid_state', { state: ctx.locale === 'en' ? 'archived' : '已归档' });
    if (before.productId) {
      const [product] = await tx
        .select({ sku: products.sku, status: products.status })
        .from(products)
        .where(eq(products.id, before.productId));
      if (product?.status === 'archived')
        throw new AppError('price_rule_product_archived', { sku: product.sku });
    }
    // Setting one basis clears the other: a rule is fixed or a percentage.
    const price = changes.price !== undefined ? changes.price : changes.percent ? null : before.price;
    const percent =
      changes.percent !== undefined ? changes.percent : changes.price != null ? null : before.percent;
    const errors = basisErrors(price, percent);
    if (errors.length) throw new AppError('validation_failed', {}, errors);
    const minQuantity = changes.minQuantity
      ? new Decimal(changes.minQuantity).toString()
      : before.minQuantity;
    const [after] = await tx
      .update(priceListRules)
      .set({
        minQuantity,
        price,
        percent,
        ...(changes.floorPrice !== undefined ? { floorPrice: changes.floorPrice } : {}),
        updatedAt: sql`now()`,
        version: sql`${priceListRules.version} + 1`,
      })
      .where(and(eq(priceListRules.id, ruleId), eq(priceListRules.version, version)))
      .returning()
      .catch((err) => {
        throw tierTaken(err, minQuantity);
      });
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'price_list_rule',
      entityId: ruleId,
      before,
      after,
    });
  });
}

/** Rules are archived, never deleted: the history of what a list charged stays readable. */
export async function archivePriceRule(db: Db, ctx: Ctx, listId: string, ruleId: string, version: number) {
  return withTx(db, async (tx) => {
    await activeListForRules(tx, listId);
    const before = await lockedRule(tx, listId, ruleId);
    if (before.version !== version) throw versionConflict();
    if (before.archivedAt) return;
    const [after] = await tx
      .update(priceListRules)
      .set({ archivedAt: sql`now()`, updatedAt: sql`now()`, version: sql`${priceListRules.version} + 1` })
      .where(eq(priceListRules.id, ruleId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'archive',
      entity: 'price_list_rule',
      entityId: ruleId,
      before,
      after: after!,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Resolution

export interface ResolvePriceInput {
  productId: string;
  customerId?: string | null;
  channel: PriceChannel;
  /** Business date 'YYYY-MM-DD'; default today in the company's time zone. */
  date?: string;
  quantity: string;
  /** The customer's partner tier ('gold', 'silver'); the channels module will supply it. */
  partnerTier?: string | null;
}

export type ResolvedPrice = PriceResolution & {
  productId: string;
  customerId: string | null;
  channel: PriceChannel;
  date: string;
  quantity: string;
};

/** The product with its category ids from the root down (one recursive query). */
async function pricingProduct(tx: Db, productId: string) {
  const [product] = await tx
    .select({ id: products.id, listPrice: products.listPrice, categoryId: products.categoryId })
    .from(products)
    .where(eq(products.id, productId));
  if (!product) return null;
  let categoryPath: string[] = [];
  if (product.categoryId) {
    const rows = await tx.execute<{ id: string; depth: number }>(sql`
      with recursive up(id, parent_id, depth) as (
        select ${productCategories.id}, ${productCategories.parentId}, 0 from ${productCategories} where ${productCategories.id} = ${product.categoryId}
        union all
        select c.id, c.parent_id, up.depth + 1 from ${productCategories} c join up on c.id = up.parent_id where up.depth < 20
      ) select id, depth from up`);
    const list = (Array.isArray(rows) ? rows : (rows as { rows: { id: string; depth: number }[] }).rows) as {
      id: string;
      depth: number;
    }[];
    categoryPath = [...list].sort((a, b) => Number(b.depth) - Number(a.depth)).map((r) => r.id);
  }
  return { id: product.id, listPrice: product.listPrice, categoryPath };
}

/**
 * Active lists effective on the date with live rules for the product or one of its categories,
 * each with those rules only (one query: rules joined to their lists).
 */
async function candidateLists(tx: Db, productId: string, categoryPath: string[], date: string) {
  const r = priceListRules;
  const l = priceLists;
  const target = categoryPath.length
    ? sql`(${r.productId} = ${productId} or ${r.categoryId} in (${sql.join(
        categoryPath.map((c) => sql`${c}::uuid`),
        sql`, `,
      )}))`
    : sql`${r.productId} = ${productId}`;
  // Two index-driven queries (no join: the plan stays good without fresh statistics, and the
  // embedded engine has no autovacuum to keep them), each answering one JSON text value: rows
  // cost far more than bytes on the embedded engine.
  const rules = jsonOf<
    [string, string, string | null, string | null, string, number | null, string | null, number | null][]
  >(
    await tx.execute(sql`
      select coalesce(json_agg(json_build_array(${r.id}, ${r.priceListId}, ${r.productId}, ${r.categoryId},
        ${r.minQuantity}::text, ${r.price}, ${r.percent}::text, ${r.floorPrice})), '[]')::text as j
      from ${r} where ${target} and ${r.archivedAt} is null`),
  );
  if (!rules.length) return [];
  const listIds = [...new Set(rules.map((x) => x[1]))];
  const lists = jsonOf<Omit<CandidateList, 'rules'>[]>(
    await tx.execute(sql`
      select coalesce(json_agg(json_build_object('id', ${l.id}, 'code', ${l.code}, 'name', ${l.name},
        'priority', ${l.priority}, 'status', ${l.status}, 'effectiveFrom', ${l.effectiveFrom}::text,
        'effectiveTo', ${l.effectiveTo}::text, 'channel', ${l.channel}, 'regionId', ${l.regionId},
        'customerGrade', ${l.customerGrade}, 'partnerTier', ${l.partnerTier}, 'customerId', ${l.customerId},
        'rounding', ${l.rounding}, 'roundingMaxPercent', ${l.roundingMaxPercent}::text,
        'roundingMaxRaise', ${l.roundingMaxRaise})), '[]')::text as j
      from ${l}
      where ${l.id} in (${sql.join(
        listIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}) and ${l.status} = 'active'
        and (${l.effectiveFrom} is null or ${l.effectiveFrom} <= ${date}::date)
        and (${l.effectiveTo} is null or ${l.effectiveTo} >= ${date}::date)`),
  );
  const byId = new Map<string, CandidateList>(lists.map((x) => [x.id, { ...x, rules: [] }]));
  for (const [id, listId, ruleProduct, categoryId, minQuantity, price, percent, floorPrice] of rules)
    byId
      .get(listId)
      ?.rules.push({ id, productId: ruleProduct, categoryId, minQuantity, price, percent, floorPrice });
  return [...byId.values()];
}

/** The single JSON text value `j` of a one-row answer, on either engine. */
function jsonOf<T>(result: unknown): T {
  const rows = (Array.isArray(result) ? result : (result as { rows: { j: string }[] }).rows) as {
    j: string;
  }[];
  return JSON.parse(rows[0]!.j) as T;
}

export function toCandidate(list: ListRow, rules: CandidateRule[]): CandidateList {
  return {
    id: list.id,
    code: list.code,
    name: list.name,
    priority: list.priority,
    status: list.status,
    effectiveFrom: list.effectiveFrom,
    effectiveTo: list.effectiveTo,
    channel: list.channel,
    regionId: list.regionId,
    customerGrade: list.customerGrade,
    partnerTier: list.partnerTier,
    customerId: list.customerId,
    rounding: list.rounding,
    roundingMaxPercent: list.roundingMaxPercent,
    roundingMaxRaise: list.roundingMaxRaise,
    rules,
  };
}

export const toCandidateRule = (r: RuleRow): CandidateRule => ({
  id: r.id,
  productId: r.productId,
  categoryId: r.categoryId,
  minQuantity: r.minQuantity,
  price: r.price,
  percent: r.percent,
  floorPrice: r.floorPrice,
});

/**
 * What a customer pays for a product through a channel on a date for a quantity: loads the
 * candidate lists and asks the pure resolver. For quotes and orders (issues 6/7); callers check
 * a selling price with `checkFloor(resolved, unitPrice)`.
 */
export async function resolvePriceFor(tx: Db, input: ResolvePriceInput): Promise<ResolvedPrice> {
  const product = await pricingProduct(tx, input.productId);
  if (!product) throw invalidField('productId', 'invalid');
  let customer = null;
  if (input.customerId) {
    const [row] = await tx
      .select({ id: customers.id, grade: customers.grade, orgUnitPath: orgUnits.path })
      .from(customers)
      .leftJoin(orgUnits, eq(orgUnits.id, customers.orgUnitId))
      .where(eq(customers.id, input.customerId));
    if (!row) throw invalidField('customerId', 'invalid');
    customer = { ...row, partnerTier: input.partnerTier ?? null };
  }
  const date = input.date ?? dayIn(await companyTimeZone(tx));
  const lists = await candidateLists(tx, product.id, product.categoryPath, date);
  const resolved = resolvePrice({
    product,
    customer,
    channel: input.channel,
    date,
    quantity: input.quantity,
    lists,
  });
  return {
    productId: product.id,
    customerId: customer?.id ?? null,
    channel: input.channel,
    date,
    quantity: new Decimal(input.quantity).toString(),
    ...resolved,
  };
}

/** The tester: as resolvePriceFor, for a customer the actor may see (others are "not found"). */
export async function resolvePriceAsActor(db: Db, ctx: Ctx, input: z.infer<typeof priceResolveRequest>) {
  if (input.customerId) {
    const [seen] = await db
      .select({ id: customers.id })
      .from(customers)
      .where(whereAll(eq(customers.id, input.customerId), visibleCustomers(ctx)));
    if (!seen) throw invalidField('customerId', 'invalid');
  }
  return resolvePriceFor(db, input);
}

/** The product's price in each active list that prices it, every tier, highest priority first. */
export async function productPricesFor(db: Db, productId: string) {
  const product = await pricingProduct(db, productId);
  if (!product) throw notFound();
  const target: SQL = product.categoryPath.length
    ? or(eq(priceListRules.productId, productId), inArray(priceListRules.categoryId, product.categoryPath))!
    : eq(priceListRules.productId, productId);
  const rows = await db
    .select({ list: priceLists, rule: priceListRules })
    .from(priceListRules)
    .innerJoin(priceLists, eq(priceLists.id, priceListRules.priceListId))
    .where(and(target, isNull(priceListRules.archivedAt), eq(priceLists.status, 'active')));
  // Per list, the rules that really price the product (own rules beat category rules).
  const byList = new Map<string, { list: ListRow; rules: RuleRow[] }>();
  for (const r of rows) {
    const e = byList.get(r.list.id) ?? { list: r.list, rules: [] };
    e.rules.push(r.rule);
    byList.set(r.list.id, e);
  }
  const items = [...byList.values()].flatMap(({ list, rules }) => {
    const own = rules.filter((r) => r.productId === productId);
    let chosen = own;
    if (!own.length) {
      for (let i = product.categoryPath.length - 1; i >= 0 && !chosen.length; i--)
        chosen = rules.filter((r) => r.categoryId === product.categoryPath[i]);
    }
    return chosen.map((rule) => ({
      priceList: { id: list.id, code: list.code, name: list.name },
      priority: list.priority,
      status: list.status,
      effectiveFrom: list.effectiveFrom,
      effectiveTo: list.effectiveTo,
      channel: list.channel,
      ruleId: rule.id,
      target: rule.productId ? ('product' as const) : ('category' as const),
      minQuantity: new Decimal(rule.minQuantity).toString(),
      price: rulePrice(toCandidateRule(rule), product.listPrice),
      percent: decimalText(rule.percent),
      floorPrice: rule.floorPrice,
      rounding: list.rounding,
    }));
  });
  items.sort(
    (a, b) =>
      b.priority - a.priority ||
      a.priceList.code.localeCompare(b.priceList.code) ||
      new Decimal(a.minQuantity).comparedTo(b.minQuantity),
  );
  return { listPrice: product.listPrice, items };
}
