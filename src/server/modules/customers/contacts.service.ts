import { and, asc, count, desc, eq, ilike, isNull, ne, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { contactCreate, contactDirectoryQuery, contactUpdate } from '../../../contracts/customers.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, notFound, versionConflict } from '../../platform/errors.js';
import { keyset, whereAll } from '../../platform/http/pagination.js';
import { users } from '../org/schema.js';
import { findLiveCustomer, isVisibleCustomer, visibleCustomers } from './customers.service.js';
import { contacts, customers } from './schema.js';

// Contacts live under a customer and borrow its permissions and data scope: whoever sees the
// customer sees its contacts, whoever may change it may change them.

type ContactRow = typeof contacts.$inferSelect;
export type ContactInput = z.infer<typeof contactCreate>;

export function presentContact(c: ContactRow) {
  return {
    id: c.id,
    customerId: c.customerId,
    name: c.name,
    title: c.title,
    mobile: c.mobile,
    phone: c.phone,
    email: c.email,
    wechat: c.wechat,
    birthday: c.birthday,
    decisionRole: c.decisionRole,
    isPrimary: c.isPrimary,
    archived: c.archivedAt !== null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    version: c.version,
  };
}

export async function listContacts(
  db: Db,
  ctx: Ctx,
  customerId: string,
  opts: { includeArchived?: boolean } = {},
) {
  if (!(await isVisibleCustomer(db, ctx, customerId))) throw notFound();
  const rows = await db
    .select()
    .from(contacts)
    .where(
      and(
        eq(contacts.customerId, customerId),
        opts.includeArchived ? undefined : isNull(contacts.archivedAt),
      ),
    )
    .orderBy(desc(contacts.isPrimary), asc(contacts.name), asc(contacts.id));
  return { items: rows.map(presentContact) };
}

/**
 * The contacts directory: live contacts of live customers within the actor's customers scope,
 * searched by name, mobile, email or customer name; by name or most recently changed.
 */
export async function listContactDirectory(db: Db, ctx: Ctx, query: z.infer<typeof contactDirectoryQuery>) {
  const page = keyset(query, { name: contacts.name, updatedAt: contacts.updatedAt }, contacts.id, 'name');
  const like = query.q ? `%${query.q.replace(/[\\%_]/g, '\\$&')}%` : undefined;
  const filter = whereAll(
    isNull(contacts.archivedAt),
    isNull(customers.mergedIntoId),
    visibleCustomers(ctx),
    like
      ? or(
          ilike(contacts.name, like),
          ilike(contacts.mobile, like),
          ilike(contacts.email, like),
          ilike(customers.name, like),
        )
      : undefined,
    query.customerId ? eq(contacts.customerId, query.customerId) : undefined,
    query.decisionRole ? eq(contacts.decisionRole, query.decisionRole) : undefined,
    query.primaryOnly ? eq(contacts.isPrimary, true) : undefined,
  );
  const rows = await db
    .select({
      contact: contacts,
      customerName: customers.name,
      customerGrade: customers.grade,
      ownerName: users.name,
    })
    .from(contacts)
    .innerJoin(customers, eq(customers.id, contacts.customerId))
    .leftJoin(users, eq(users.id, customers.ownerId))
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(contacts)
    .innerJoin(customers, eq(customers.id, contacts.customerId))
    .where(filter);
  const byName = (query.sort ?? 'name').replace(/^-/, '') === 'name';
  const result = page.page(rows, n, (r) => [byName ? r.contact.name : r.contact.updatedAt, r.contact.id]);
  return {
    ...result,
    items: result.items.map((r) => ({
      ...presentContact(r.contact),
      customerName: r.customerName,
      customerGrade: r.customerGrade,
      ownerName: r.ownerName,
    })),
  };
}

async function findContact(db: Db, ctx: Ctx, customerId: string, contactId: string) {
  if (!(await isVisibleCustomer(db, ctx, customerId))) throw notFound();
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, contactId), eq(contacts.customerId, customerId)));
  if (!row) throw notFound();
  return row;
}

export async function getContact(db: Db, ctx: Ctx, customerId: string, contactId: string) {
  return presentContact(await findContact(db, ctx, customerId, contactId));
}

/** One primary contact per customer: making one primary clears the flag of the previous one. */
async function clearPrimary(tx: Db, ctx: Ctx, customerId: string, exceptId?: string) {
  const cleared = await tx
    .update(contacts)
    .set({ isPrimary: false, updatedAt: sql`now()`, version: sql`${contacts.version} + 1` })
    .where(
      and(
        eq(contacts.customerId, customerId),
        eq(contacts.isPrimary, true),
        exceptId ? ne(contacts.id, exceptId) : undefined,
      ),
    )
    .returning({ id: contacts.id });
  for (const { id } of cleared) {
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'contact',
      entityId: id,
      before: { isPrimary: true },
      after: { isPrimary: false },
    });
  }
}

/**
 * Adds a contact to a customer the actor may see. The customer's first contact becomes its
 * primary. Runs inside the caller's transaction when there is one (lead conversion).
 */
export async function createContact(db: Db, ctx: Ctx, customerId: string, input: ContactInput) {
  return withTx(db, async (tx) => {
    await findLiveCustomer(tx, ctx, customerId);
    const [existing] = await tx
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.customerId, customerId), isNull(contacts.archivedAt)))
      .limit(1);
    const isPrimary = input.isPrimary ?? !existing;
    if (isPrimary) await clearPrimary(tx, ctx, customerId);
    const [row] = await tx
      .insert(contacts)
      .values({ ...input, customerId, isPrimary, createdBy: ctx.actor?.userId ?? null })
      .returning();
    await recordAudit(tx, ctx, { action: 'create', entity: 'contact', entityId: row!.id, after: row });
    return row!;
  });
}

export async function updateContact(
  db: Db,
  ctx: Ctx,
  customerId: string,
  contactId: string,
  input: z.infer<typeof contactUpdate>,
) {
  const { version, ...changes } = input;
  return withTx(db, async (tx) => {
    await findLiveCustomer(tx, ctx, customerId);
    const before = await findContact(tx, ctx, customerId, contactId);
    if (before.version !== version) throw versionConflict();
    if (before.archivedAt) throw new AppError('invalid_state', { state: 'archived' });
    if (changes.isPrimary && !before.isPrimary) await clearPrimary(tx, ctx, customerId, contactId);
    const [after] = await tx
      .update(contacts)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${contacts.version} + 1` })
      .where(and(eq(contacts.id, contactId), eq(contacts.version, version)))
      .returning();
    if (!after) throw versionConflict();
    await recordAudit(tx, ctx, { action: 'update', entity: 'contact', entityId: contactId, before, after });
    return after;
  });
}

/** Contacts are archived, never deleted: activities and history keep pointing at them. */
export async function setContactArchived(
  db: Db,
  ctx: Ctx,
  customerId: string,
  contactId: string,
  archived: boolean,
) {
  return withTx(db, async (tx) => {
    await findLiveCustomer(tx, ctx, customerId);
    const before = await findContact(tx, ctx, customerId, contactId);
    if ((before.archivedAt !== null) === archived) return before;
    const [after] = await tx
      .update(contacts)
      .set({
        archivedAt: archived ? sql`now()` : null,
        // An archived contact is no longer anyone's primary contact.
        isPrimary: archived ? false : before.isPrimary,
        updatedAt: sql`now()`,
        version: sql`${contacts.version} + 1`,
      })
      .where(eq(contacts.id, contactId))
      .returning();
    await recordAudit(tx, ctx, {
      action: archived ? 'archive' : 'restore',
      entity: 'contact',
      entityId: contactId,
      before,
      after,
    });
    return after!;
  });
}
