import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { orgUnits, users } from '../org/schema.js';
import { nameKey, pinyinOf } from './dedupe.js';
import { type CustomerGrade, customers, leads } from './schema.js';

// Test fixtures for activities, cadence and the pool: customers and leads written straight to
// the database with a given owner, unit, grade and history.

export async function userByName(db: Db, username: string) {
  const [u] = await db
    .select({ id: users.id, orgUnitId: users.orgUnitId })
    .from(users)
    .where(eq(users.username, username));
  if (!u) throw new Error(`no user ${username}`);
  return u;
}

export async function unitByName(db: Db, name: string) {
  const [u] = await db.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.name, name));
  if (!u) throw new Error(`no unit ${name}`);
  return u.id;
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

export async function makeCustomer(
  db: Db,
  opts: {
    name: string;
    owner?: string | null;
    unit?: string;
    grade?: CustomerGrade | null;
    lastFollowUpDaysAgo?: number;
    createdDaysAgo?: number;
    dueInDays?: number;
  },
) {
  const owner = opts.owner ? await userByName(db, opts.owner) : null;
  const orgUnitId = opts.unit ? await unitByName(db, opts.unit) : owner!.orgUnitId;
  const keys = pinyinOf(opts.name);
  const [c] = await db
    .insert(customers)
    .values({
      name: opts.name,
      nameKey: nameKey(opts.name),
      namePinyin: keys.full,
      nameInitials: keys.initials,
      grade: opts.grade ?? null,
      gradeSource: opts.grade ? 'manual' : null,
      ownerId: owner?.id ?? null,
      orgUnitId,
      pooledAt: owner ? null : new Date(),
      lastFollowUpAt: opts.lastFollowUpDaysAgo === undefined ? null : daysAgo(opts.lastFollowUpDaysAgo),
      followUpDueAt: opts.dueInDays === undefined ? null : daysAgo(-opts.dueInDays),
      createdAt: daysAgo(opts.createdDaysAgo ?? 0),
    })
    .returning();
  return c!;
}

export async function makeLead(
  db: Db,
  opts: { name: string; owner?: string | null; unit?: string; createdDaysAgo?: number; mobile?: string },
) {
  const owner = opts.owner ? await userByName(db, opts.owner) : null;
  const orgUnitId = opts.unit ? await unitByName(db, opts.unit) : owner!.orgUnitId;
  const [l] = await db
    .insert(leads)
    .values({
      companyName: opts.name,
      mobile: opts.mobile ?? '13800138000',
      ownerId: owner?.id ?? null,
      orgUnitId,
      pooledAt: owner ? null : new Date(),
      createdAt: daysAgo(opts.createdDaysAgo ?? 0),
    })
    .returning();
  return l!;
}

export const backdate = (db: Db, table: 'customers' | 'leads', id: string, column: string, days: number) =>
  db.execute(
    sql`update ${sql.identifier(table)} set ${sql.identifier(column)} = now() - make_interval(days => ${days}::int) where id = ${id}`,
  );
