import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { roles } from '../../platform/access/schema.js';
import { orgUnits, territoryAssignments, userRoles, users } from '../org/schema.js';
import { leads, poolEvents } from './schema.js';

// Lead assignment on capture: the territory (city before province, the most specific unit)
// names the team; round robin among that team's active reps skips those at the cap of open
// leads; with nobody left the lead waits in the team's pool (owner null). A lead outside every
// territory stays with the rep who captured it, else waits in the fallback pool.

export interface Placement {
  ownerId: string | null;
  orgUnitId: string;
  /**
   * Why: 'territory' (a rep of the territory's team got it), 'cap' (that team's reps are all
   * full), 'no_rep', 'no_territory' (pool), 'captured_by_rep' (no territory; the rep keeps it),
   * 'received_by' (the walk-in's receiving rep keeps it), 'returning' (the rep already working an
   * open lead of the same person gets the new inquiry too).
   */
  reason: 'territory' | 'cap' | 'no_rep' | 'no_territory' | 'captured_by_rep' | 'received_by' | 'returning';
}

/** The org unit whose territory covers the lead: a city match wins over a province match, a team over its region. */
export async function territoryUnitFor(
  db: Db,
  place: { provinceCode: string | null; cityCode: string | null },
): Promise<{ id: string; path: string } | null> {
  const codes = [place.cityCode, place.provinceCode ?? place.cityCode?.slice(0, 2)].filter(
    (c): c is string => !!c,
  );
  if (!codes.length) return null;
  const [unit] = await db
    .select({ id: orgUnits.id, path: orgUnits.path })
    .from(territoryAssignments)
    .innerJoin(orgUnits, eq(orgUnits.id, territoryAssignments.orgUnitId))
    .where(
      and(
        isNotNull(territoryAssignments.orgUnitId),
        isNull(orgUnits.archivedAt),
        inArray(territoryAssignments.divisionCode, codes),
      ),
    )
    .orderBy(desc(sql`length(${territoryAssignments.divisionCode})`), desc(sql`length(${orgUnits.path})`))
    .limit(1);
  return unit ?? null;
}

/** Open leads: the ones that count against a rep's cap. */
export const OPEN_LEAD_STATUSES = ['new', 'working'] as const;

/**
 * The next rep of the unit (its subtree) in round-robin order — the one whose last lead
 * assignment is the oldest, never-assigned reps first — skipping reps at the cap.
 */
export async function nextRep(
  tx: Db,
  unit: { id: string; path: string },
  cap: number,
): Promise<{ userId: string | null; reason: 'territory' | 'cap' | 'no_rep' }> {
  // Two captures for the same team at once must not both pick the same "next" rep.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`leads.assign:${unit.id}`}))`);
  const openLeads = sql<number>`(select count(*)::int from ${leads} where ${leads.ownerId} = ${users.id} and ${leads.status} in ('new', 'working'))`;
  const lastAssigned = sql`(select max(${poolEvents.at}) from ${poolEvents} where ${poolEvents.entity} = 'lead' and ${poolEvents.action} in ('assign', 'claim') and ${poolEvents.userId} = ${users.id})`;
  const reps = await tx
    .select({ id: users.id, open: openLeads })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(
      and(
        eq(users.status, 'active'),
        sql`${orgUnits.path} like ${`${unit.path}%`}`,
        sql`exists (select 1 from ${userRoles} inner join ${roles} on ${roles.id} = ${userRoles.roleId} where ${userRoles.userId} = ${users.id} and ${roles.key} = 'rep')`,
      ),
    )
    .orderBy(sql`${lastAssigned} asc nulls first`, asc(users.username));
  if (!reps.length) return { userId: null, reason: 'no_rep' };
  const free = reps.find((r) => r.open < cap);
  return free ? { userId: free.id, reason: 'territory' } : { userId: null, reason: 'cap' };
}

/** Whether the user is an active rep below the cap (a rep keeps a lead they found outside any territory). */
async function isRepWithRoom(tx: Db, userId: string, cap: number): Promise<string | null> {
  const [rep] = await tx
    .select({
      orgUnitId: users.orgUnitId,
      open: sql<number>`(select count(*)::int from ${leads} where ${leads.ownerId} = ${users.id} and ${leads.status} in ('new', 'working'))`,
    })
    .from(users)
    .where(
      and(
        eq(users.id, userId),
        eq(users.status, 'active'),
        sql`exists (select 1 from ${userRoles} inner join ${roles} on ${roles.id} = ${userRoles.roleId} where ${userRoles.userId} = ${users.id} and ${roles.key} = 'rep')`,
      ),
    );
  return rep && rep.open < cap ? rep.orgUnitId : null;
}

/**
 * Where a newly captured lead goes. Without a matching territory, a rep who captured it keeps
 * it; otherwise it waits in `fallbackUnitId`'s pool.
 */
export async function placeLead(
  tx: Db,
  place: { provinceCode: string | null; cityCode: string | null },
  options: {
    cap: number;
    fallbackUnitId: string;
    capturedBy?: string | null | undefined;
    /** The rep who received the visitor (首接负责): they keep the lead when they have room. */
    receivedBy?: string | null | undefined;
    /** The owner of an open lead of the same person: a returning inquiry stays with them, cap or not. */
    workedBy?: string | null | undefined;
  },
): Promise<Placement> {
  if (options.workedBy) {
    const repUnit = await isRepWithRoom(tx, options.workedBy, Number.POSITIVE_INFINITY);
    if (repUnit) return { ownerId: options.workedBy, orgUnitId: repUnit, reason: 'returning' };
  }
  if (options.receivedBy) {
    const repUnit = await isRepWithRoom(tx, options.receivedBy, options.cap);
    if (repUnit) return { ownerId: options.receivedBy, orgUnitId: repUnit, reason: 'received_by' };
  }
  const unit = await territoryUnitFor(tx, place);
  if (!unit) {
    const repUnit = options.capturedBy ? await isRepWithRoom(tx, options.capturedBy, options.cap) : null;
    if (repUnit && options.capturedBy)
      return { ownerId: options.capturedBy, orgUnitId: repUnit, reason: 'captured_by_rep' };
    return { ownerId: null, orgUnitId: options.fallbackUnitId, reason: 'no_territory' };
  }
  const { userId, reason } = await nextRep(tx, unit, options.cap);
  if (!userId) return { ownerId: null, orgUnitId: unit.id, reason };
  const [owner] = await tx.select({ orgUnitId: users.orgUnitId }).from(users).where(eq(users.id, userId));
  return { ownerId: userId, orgUnitId: owner!.orgUnitId, reason };
}
