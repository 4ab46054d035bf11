import { and, eq, gte, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { poolQuery } from '../../../contracts/activities.js';
import { type Db, queryRows } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { scopeOf } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { encodeCursor } from '../../platform/http/pagination.js';
import { companyTimeZone } from '../../platform/settings/settings.service.js';
import { orgUnits, users } from '../org/schema.js';
import { refreshCustomerDue, visibleCustomers, visibleLeads } from './activities.service.js';
import { customers, leads, poolEvents } from './schema.js';
import { getCustomerSettings } from './settings.service.js';

export type PoolEntity = 'lead' | 'customer';
const RESOURCE: Record<PoolEntity, 'leads' | 'customers'> = { lead: 'leads', customer: 'customers' };

/** Leads still being worked count as held; converted and disqualified ones do not. */
const OPEN_LEAD = sql`${leads.status} in ('new', 'working')`;

/**
 * A pool is visible within the actor's part of the organisation: the pools of their own unit,
 * of the units above it and of the units below it — never a sibling region's. Scope "all"
 * (directors, administrators) sees every pool.
 */
function poolScope(actor: Actor | null, entity: PoolEntity, orgUnitCol: SQL | unknown): SQL | undefined {
  if (!actor || scopeOf(actor, RESOURCE[entity]) === 'all') return undefined;
  return sql`${orgUnitCol} in (select ${orgUnits.id} from ${orgUnits} where ${orgUnits.path} like ${`${actor.orgPath}%`} or ${actor.orgPath} like ${orgUnits.path} || '%')`;
}

function decodePoolCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      typeof v[0] === 'string' &&
      !Number.isNaN(Date.parse(v[0])) &&
      typeof v[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(v[1])
    )
      return [v[0], v[1]];
  } catch {
    // any undecodable cursor is the same client error
  }
  throw new AppError('bad_cursor', {}, [{ path: 'cursor', message: 'invalid' }]);
}

interface PoolRow {
  entity: PoolEntity;
  id: string;
  name: string;
  grade: 'A' | 'B' | 'C' | null;
  org_unit_id: string;
  org_unit_name: string;
  province_code: string | null;
  city_code: string | null;
  pooled_at: string | Date | null;
  last_follow_up_at: string | Date | null;
  sort_at: string | Date;
  version: number;
}

const isoOf = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);

/** Unowned leads and customers in the actor's pools, most recently pooled first (keyset paged). */
export async function listPool(db: Db, ctx: Ctx, query: z.infer<typeof poolQuery>) {
  const can = (p: string) => !ctx.actor || ctx.actor.permissions.has(p);
  const parts: SQL[] = [];
  const q = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  if ((query.entity ?? 'customer') === 'customer' && can('customers.read')) {
    const scope = poolScope(ctx.actor, 'customer', customers.orgUnitId);
    parts.push(sql`select 'customer' as entity, ${customers.id} as id, ${customers.name} as name, ${customers.grade} as grade,
      ${customers.orgUnitId} as org_unit_id, ${customers.provinceCode} as province_code, ${customers.cityCode} as city_code,
      ${customers.pooledAt} as pooled_at, ${customers.lastFollowUpAt} as last_follow_up_at,
      coalesce(${customers.pooledAt}, ${customers.createdAt}) as sort_at, ${customers.version} as version
      from ${customers} where ${customers.ownerId} is null and ${customers.mergedIntoId} is null
      ${scope ? sql`and ${scope}` : sql``} ${q ? sql`and (${customers.name} ilike ${q} or ${customers.namePinyin} ilike ${q})` : sql``}`);
  }
  if ((query.entity ?? 'lead') === 'lead' && can('leads.read')) {
    const scope = poolScope(ctx.actor, 'lead', leads.orgUnitId);
    const name = sql`coalesce(${leads.companyName}, ${leads.personName}, ${leads.mobile}, ${leads.email})`;
    parts.push(sql`select 'lead' as entity, ${leads.id} as id, ${name} as name, null::text as grade,
      ${leads.orgUnitId} as org_unit_id, ${leads.provinceCode} as province_code, ${leads.cityCode} as city_code,
      ${leads.pooledAt} as pooled_at, ${leads.lastFollowUpAt} as last_follow_up_at,
      coalesce(${leads.pooledAt}, ${leads.createdAt}) as sort_at, ${leads.version} as version
      from ${leads} where ${leads.ownerId} is null and ${OPEN_LEAD}
      ${scope ? sql`and ${scope}` : sql``} ${q ? sql`and (${name} ilike ${q} or ${leads.mobile} ilike ${q})` : sql``}`);
  }
  if (!parts.length) return { items: [], nextCursor: null, total: 0 };
  const union = sql.join(parts, sql` union all `);
  const after = query.cursor
    ? (() => {
        const [at, id] = decodePoolCursor(query.cursor);
        return sql`where (p.sort_at, p.id) < (${at}::timestamptz, ${id}::uuid)`;
      })()
    : sql``;
  const rows = await queryRows<PoolRow>(
    db,
    sql`select p.*, u.name as org_unit_name from (${union}) p join ${orgUnits} u on u.id = p.org_unit_id
        ${after} order by p.sort_at desc, p.id desc limit ${query.limit + 1}`,
  );
  const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (${union}) p`,
  );
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items: items.map((r) => ({
      entity: r.entity,
      id: r.id,
      name: r.name,
      grade: r.grade,
      orgUnitId: r.org_unit_id,
      orgUnitName: r.org_unit_name,
      provinceCode: r.province_code,
      cityCode: r.city_code,
      pooledAt: isoOf(r.pooled_at),
      lastFollowUpAt: isoOf(r.last_follow_up_at),
      version: r.version,
    })),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor([new Date(last.sort_at).toISOString(), last.id])
        : null,
    total: Number(n),
  };
}

/** Start of today in the company's time zone: the daily claim limit resets then. */
async function startOfToday(db: Db): Promise<Date> {
  const tz = await companyTimeZone(db);
  const [row] = await queryRows<{ at: string | Date }>(
    db,
    sql`select ((now() at time zone ${tz})::date)::timestamp at time zone ${tz} as at`,
  );
  return new Date(row!.at);
}

/** How many open leads and live customers a user holds. */
export async function heldBy(db: Db, userId: string): Promise<number> {
  const [c] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(customers)
    .where(and(eq(customers.ownerId, userId), isNull(customers.mergedIntoId)));
  const [l] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(leads)
    .where(and(eq(leads.ownerId, userId), OPEN_LEAD));
  return Number(c?.n ?? 0) + Number(l?.n ?? 0);
}

/**
 * Takes a record from the pool. The limits are checked under a lock on the claimer's user row
 * (so one rep's parallel claims count each other), and the record is taken with a conditional
 * UPDATE … WHERE owner_id IS NULL: of two reps claiming the same record, exactly one gets it.
 */
export async function claim(db: Db, ctx: Ctx, entity: PoolEntity, id: string) {
  const actor = ctx.actor;
  if (!actor) throw new AppError('forbidden');
  return withTx(db, async (tx) => {
    const table = entity === 'customer' ? customers : leads;
    const [record] = await tx
      .select({ id: table.id, ownerId: table.ownerId })
      .from(table)
      .where(
        and(
          eq(table.id, id),
          entity === 'customer' ? isNull(customers.mergedIntoId) : OPEN_LEAD,
          poolScope(actor, entity, table.orgUnitId) ?? sql`true`,
        ),
      );
    if (!record) throw notFound();
    if (record.ownerId) throw new AppError('pool_already_claimed');

    await tx.select({ id: users.id }).from(users).where(eq(users.id, actor.userId)).for('update');
    const settings = await getCustomerSettings(tx);
    const held = await heldBy(tx, actor.userId);
    if (held >= settings.maxHeld) throw new AppError('pool_max_held', { held, max: settings.maxHeld });
    const since = await startOfToday(tx);
    const [today] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(poolEvents)
      .where(
        and(eq(poolEvents.userId, actor.userId), eq(poolEvents.action, 'claim'), gte(poolEvents.at, since)),
      );
    const claimedToday = Number(today?.n ?? 0);
    if (claimedToday >= settings.maxClaimsPerDay)
      throw new AppError('pool_max_claims_per_day', { max: settings.maxClaimsPerDay });

    const now = new Date();
    const [before] = await tx.select().from(table).where(eq(table.id, id));
    const [after] =
      entity === 'customer'
        ? await tx
            .update(customers)
            .set({
              ownerId: actor.userId,
              orgUnitId: actor.orgUnitId,
              pooledAt: null,
              updatedAt: sql`now()`,
              version: sql`${customers.version} + 1`,
            })
            .where(and(eq(customers.id, id), isNull(customers.ownerId)))
            .returning()
        : await tx
            .update(leads)
            .set({
              ownerId: actor.userId,
              orgUnitId: actor.orgUnitId,
              pooledAt: null,
              updatedAt: sql`now()`,
              version: sql`${leads.version} + 1`,
            })
            .where(and(eq(leads.id, id), isNull(leads.ownerId)))
            .returning();
    if (!after) throw new AppError('pool_already_claimed');
    if (entity === 'customer') await refreshCustomerDue(tx, id, now);
    await tx
      .insert(poolEvents)
      .values({ entity, entityId: id, action: 'claim', userId: actor.userId, actorId: actor.userId });
    await recordAudit(tx, ctx, { action: 'claim', entity, entityId: id, before, after });
    return { entity, id, ownerId: actor.userId, held: held + 1, claimedToday: claimedToday + 1 };
  });
}

/**
 * Gives a held record back to the pool of its unit, with a reason. The holder releases their
 * own; a manager may release any record in their scope.
 */
export async function release(db: Db, ctx: Ctx, entity: PoolEntity, id: string, reason: string) {
  return withTx(db, async (tx) => {
    const table = entity === 'customer' ? customers : leads;
    const scope = entity === 'customer' ? visibleCustomers(ctx) : visibleLeads(ctx);
    const [before] = await tx
      .select()
      .from(table)
      .where(
        and(
          eq(table.id, id),
          scope ?? sql`true`,
          entity === 'customer' ? isNull(customers.mergedIntoId) : OPEN_LEAD,
        ),
      )
      .for('update');
    if (!before) throw notFound();
    if (!before.ownerId) throw new AppError('pool_not_owned');
    const [after] = await returnToPool(tx, entity, [id]);
    await tx.insert(poolEvents).values({
      entity,
      entityId: id,
      action: 'release',
      userId: before.ownerId,
      actorId: ctx.actor?.userId ?? null,
      reason,
    });
    await recordAudit(tx, ctx, {
      action: 'release',
      entity,
      entityId: id,
      before,
      after: { ...after, reason },
    });
    return { ok: true as const };
  });
}

/** Clears the owner of records: they join the pool of the unit they were in. */
export async function returnToPool(tx: Db, entity: PoolEntity, ids: string[]) {
  if (!ids.length) return [];
  if (entity === 'customer')
    return tx
      .update(customers)
      .set({
        ownerId: null,
        pooledAt: sql`now()`,
        followUpDueAt: null,
        updatedAt: sql`now()`,
        version: sql`${customers.version} + 1`,
      })
      .where(inArray(customers.id, ids))
      .returning();
  return tx
    .update(leads)
    .set({ ownerId: null, pooledAt: sql`now()`, updatedAt: sql`now()`, version: sql`${leads.version} + 1` })
    .where(inArray(leads.id, ids))
    .returning();
}
