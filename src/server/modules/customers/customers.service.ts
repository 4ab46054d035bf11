import { and, asc, count, eq, inArray, isNull, like, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { customerCreate, customerListQuery, customerUpdate } from '../../../contracts/customers.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { scopeFilter } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { auditLog } from '../../platform/audit/schema.js';
import type { Ctx } from '../../platform/context.js';
import type { FieldError } from '../../platform/errors.js';
import { AppError, invalidField, notFound, versionConflict } from '../../platform/errors.js';
import { attachments } from '../../platform/files/schema.js';
import { keyset, whereAll } from '../../platform/http/pagination.js';
import { isKnownDivision, listDivisions } from '../org/divisions.js';
import { orgUnits, users } from '../org/schema.js';
import { refreshCustomerDue } from './activities.service.js';
import { isValidCreditCode } from './credit-code.js';
import {
  type DuplicateCandidate,
  findDuplicateCustomers,
  nameKey,
  phoneKey,
  phoneVariants,
  pinyinOf,
} from './dedupe.js';
import { activities, contacts, customerCollaborators, customers, leads } from './schema.js';

const RESOURCE = 'customers';
type CustomerRow = typeof customers.$inferSelect;
export type CustomerInput = z.infer<typeof customerCreate>;
type CustomerChanges = Omit<z.infer<typeof customerUpdate>, 'version'>;

const isCollaborator = (userId: string) =>
  sql`exists (select 1 from ${customerCollaborators} where ${customerCollaborators.customerId} = ${customers.id} and ${customerCollaborators.userId} = ${userId})`;

/** The actor's data scope on customers; collaborators see the customers they work on. */
export const visibleCustomers = (ctx: Ctx) =>
  scopeFilter(ctx.actor, RESOURCE, {
    ownerId: customers.ownerId,
    orgUnitId: customers.orgUnitId,
    collaborator: isCollaborator,
  });

/** A 409 listing the probable duplicates; the caller may confirm and save anyway. */
export class PossibleDuplicateError extends AppError {
  constructor(readonly candidates: DuplicateCandidate[]) {
    super('possible_duplicate', { count: candidates.length });
  }
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

async function present(
  db: Db,
  rows: { customer: CustomerRow; ownerName: string | null; orgUnitName: string }[],
) {
  const ids = rows.map((r) => r.customer.id);
  const collaborators = ids.length
    ? await db
        .select({ customerId: customerCollaborators.customerId, userId: users.id, name: users.name })
        .from(customerCollaborators)
        .innerJoin(users, eq(users.id, customerCollaborators.userId))
        .where(inArray(customerCollaborators.customerId, ids))
        .orderBy(users.name)
    : [];
  return rows.map(({ customer: c, ownerName, orgUnitName }) => ({
    id: c.id,
    kind: c.kind,
    name: c.name,
    shortName: c.shortName,
    namePinyin: c.namePinyin,
    nameInitials: c.nameInitials,
    creditCode: c.creditCode,
    industry: c.industry,
    size: c.size,
    provinceCode: c.provinceCode,
    cityCode: c.cityCode,
    districtCode: c.districtCode,
    address: c.address,
    phone: c.phone,
    website: c.website,
    tags: c.tags,
    grade: c.grade,
    lifecycle: c.lifecycle,
    creditLimit: c.creditLimit === null ? null : Number(c.creditLimit),
    creditRating: c.creditRating,
    source: c.source,
    customFields: c.customFields,
    ownerId: c.ownerId,
    ownerName,
    orgUnitId: c.orgUnitId,
    orgUnitName,
    collaborators: collaborators
      .filter((x) => x.customerId === c.id)
      .map(({ userId, name }) => ({ userId, name })),
    lastFollowUpAt: iso(c.lastFollowUpAt),
    followUpDueAt: iso(c.followUpDueAt),
    mergedIntoId: c.mergedIntoId,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    version: c.version,
  }));
}
export type CustomerView = Awaited<ReturnType<typeof present>>[number];

function selectCustomers(db: Db) {
  return db
    .select({ customer: customers, ownerName: users.name, orgUnitName: orgUnits.name })
    .from(customers)
    .innerJoin(orgUnits, eq(orgUnits.id, customers.orgUnitId))
    .leftJoin(users, eq(users.id, customers.ownerId));
}

/** `q%` for LIKE with the user's own `%`, `_` and `\` taken literally. */
const prefixPattern = (q: string) => `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Filters of the list, shared by the list page and its export. Merged customers never show. */
export function customerListFilter(ctx: Ctx, query: Omit<z.infer<typeof customerListQuery>, 'limit'>) {
  let q: SQL | undefined;
  if (query.q) {
    const raw = query.q.trim();
    const lower = raw.toLowerCase().replace(/\s+/g, '');
    // Each branch can use its own index (text_pattern_ops for the prefixes), so the search stays
    // fast at a million customers; the name key covers the name itself without its suffix.
    q = or(
      like(customers.nameKey, prefixPattern(nameKey(raw))),
      like(customers.namePinyin, prefixPattern(lower)),
      like(customers.nameInitials, prefixPattern(lower)),
      eq(customers.creditCode, raw.toUpperCase()),
      phoneKey(raw).length >= 7 ? inArray(customers.phone, phoneVariants(phoneKey(raw))) : undefined,
    );
  }
  let view: SQL | undefined;
  if (query.view === 'mine') view = ctx.actor ? eq(customers.ownerId, ctx.actor.userId) : undefined;
  if (query.view === 'team' && ctx.actor) {
    view = sql`${customers.orgUnitId} in (select ${orgUnits.id} from ${orgUnits} where ${orgUnits.path} like ${`${ctx.actor.orgPath}%`})`;
  }
  return whereAll(
    isNull(customers.mergedIntoId),
    visibleCustomers(ctx),
    q,
    view,
    query.ownerId ? eq(customers.ownerId, query.ownerId) : undefined,
    query.grade ? eq(customers.grade, query.grade) : undefined,
    query.lifecycle ? eq(customers.lifecycle, query.lifecycle) : undefined,
    query.tag ? sql`${query.tag} = any(${customers.tags})` : undefined,
    query.provinceCode ? eq(customers.provinceCode, query.provinceCode) : undefined,
    query.cityCode ? eq(customers.cityCode, query.cityCode) : undefined,
  );
}

export async function listCustomers(db: Db, ctx: Ctx, query: z.infer<typeof customerListQuery>) {
  const page = keyset(
    query,
    { updatedAt: customers.updatedAt, name: customers.name, createdAt: customers.createdAt },
    customers.id,
    '-updatedAt',
  );
  const filter = customerListFilter(ctx, query);
  const rows = await selectCustomers(db)
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(customers).where(filter);
  const key = (query.sort ?? '-updatedAt').replace(/^-/, '');
  const result = page.page(rows, n, (r) => {
    const c = r.customer;
    return [key === 'name' ? c.name : key === 'createdAt' ? c.createdAt : c.updatedAt, c.id];
  });
  return { ...result, items: await present(db, result.items) };
}

/** One customer within the actor's scope (merged ones too, to show where they went); else 404. */
export async function getCustomer(db: Db, ctx: Ctx, id: string): Promise<CustomerView> {
  const rows = await selectCustomers(db).where(whereAll(eq(customers.id, id), visibleCustomers(ctx)));
  if (!rows.length) throw notFound();
  return (await present(db, rows))[0]!;
}

/** Whether the customer exists within the actor's scope (attachments, contacts, other modules). */
export async function isVisibleCustomer(db: Db, ctx: Ctx, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(whereAll(eq(customers.id, id), visibleCustomers(ctx)));
  return !!row;
}

/** The customer row if visible; a merged customer is refused for changes. */
async function findLive(db: Db, ctx: Ctx, id: string): Promise<CustomerRow> {
  const [row] = await db
    .select()
    .from(customers)
    .where(whereAll(eq(customers.id, id), visibleCustomers(ctx)));
  if (!row) throw notFound();
  if (row.mergedIntoId) throw new AppError('customer_merged');
  return row;
}

/** A visible, live customer, for other services that attach records to it (contacts, activities). */
export const findLiveCustomer = findLive;

/**
 * Rules the contract cannot check alone: the credit code's check character and division codes
 * that exist and nest (city within province). Every problem is reported at once.
 */
function assertCustomerFields(input: CustomerChanges, current?: CustomerRow) {
  const errors: FieldError[] = [];
  if (input.creditCode && !isValidCreditCode(input.creditCode)) {
    errors.push({ path: 'creditCode', message: 'creditCode' });
  }
  const province = input.provinceCode === undefined ? current?.provinceCode : input.provinceCode;
  const city = input.cityCode === undefined ? current?.cityCode : input.cityCode;
  if (input.provinceCode && (input.provinceCode.length !== 2 || !isKnownDivision(input.provinceCode))) {
    errors.push({ path: 'provinceCode', message: 'division' });
  }
  // A city is a child of the province (for the four municipalities, one of their districts).
  if (city && (input.cityCode !== undefined || input.provinceCode !== undefined)) {
    if (!province || !listDivisions(province).some((d) => d.code === city)) {
      errors.push({ path: 'cityCode', message: 'division' });
    }
  }
  if (
    input.districtCode &&
    (input.districtCode.length !== 6 || !city || !input.districtCode.startsWith(city.slice(0, 4)))
  ) {
    errors.push({ path: 'districtCode', message: 'division' });
  }
  if (errors.length) throw new AppError('validation_failed', {}, errors);
}

/** The same company must not be entered twice: a credit code is unique among live customers. */
async function assertCreditCodeFree(db: Db, ctx: Ctx, code: string | null | undefined, selfId?: string) {
  if (!code) return;
  const [taken] = (await findDuplicateCustomers(db, ctx, { creditCode: code, excludeId: selfId })).filter(
    (c) => c.reasons.includes('credit_code'),
  );
  if (taken) {
    throw new AppError('duplicate_credit_code', { name: taken.name }, [
      { path: 'creditCode', message: 'exists' },
    ]);
  }
}

function dedupeKeys(name: string) {
  const spoken = pinyinOf(name);
  return { nameKey: nameKey(name), namePinyin: spoken.full, nameInitials: spoken.initials };
}

export interface CustomerOwnership {
  /** null = into the public pool of orgUnitId. */
  ownerId: string | null;
  /** Defaults to the owner's org unit. */
  orgUnitId?: string;
}

async function resolveOwnership(db: Db, ctx: Ctx, owner: CustomerOwnership | undefined) {
  const ownerId = owner ? owner.ownerId : (ctx.actor?.userId ?? null);
  if (owner?.orgUnitId) return { ownerId, orgUnitId: owner.orgUnitId };
  if (ownerId) {
    const [u] = await db.select({ orgUnitId: users.orgUnitId }).from(users).where(eq(users.id, ownerId));
    if (!u) throw invalidField('ownerId', 'invalid');
    return { ownerId, orgUnitId: u.orgUnitId };
  }
  if (ctx.actor) return { ownerId: null, orgUnitId: ctx.actor.orgUnitId };
  throw invalidField('orgUnitId', 'required');
}

/**
 * Creates a customer, owned by the actor unless `owner` says otherwise (lead conversion, imports,
 * pool). Refuses a second customer with the same credit code, and — unless the caller confirms —
 * one with the same name, pinyin or phone as an existing one. Runs inside the caller's
 * transaction when there is one (lead conversion).
 */
export async function createCustomer(
  db: Db,
  ctx: Ctx,
  input: CustomerInput,
  opts: { owner?: CustomerOwnership } = {},
): Promise<CustomerRow> {
  const { confirmDuplicate, ...fields } = input;
  assertCustomerFields(fields);
  return withTx(db, async (tx) => {
    await assertCreditCodeFree(tx, ctx, fields.creditCode);
    if (!confirmDuplicate) {
      const candidates = await findDuplicateCustomers(tx, ctx, { name: fields.name, phone: fields.phone });
      if (candidates.length) throw new PossibleDuplicateError(candidates);
    }
    const ownership = await resolveOwnership(tx, ctx, opts.owner);
    const [row] = await tx
      .insert(customers)
      .values({
        ...fields,
        kind: fields.kind ?? 'company',
        ...dedupeKeys(fields.name),
        creditLimit: fields.creditLimit == null ? null : BigInt(fields.creditLimit),
        gradeSource: fields.grade ? 'manual' : null,
        ...ownership,
        createdBy: ctx.actor?.userId ?? null,
      })
      .returning();
    // The grade's cadence (seed 002: A every 7 days, B 14, C 30) counts from creation until a follow-up.
    if (row!.grade) row!.followUpDueAt = await refreshCustomerDue(tx, row!.id);
    await recordAudit(tx, ctx, { action: 'create', entity: 'customer', entityId: row!.id, after: row });
    return row!;
  });
}

/** Changes a customer's own fields (not its owner: that is the pool's and assignment's job). */
export async function updateCustomer(db: Db, ctx: Ctx, id: string, input: z.infer<typeof customerUpdate>) {
  const { version, ...changes } = input;
  return withTx(db, async (tx) => {
    const before = await findLive(tx, ctx, id);
    if (before.version !== version) throw versionConflict();
    assertCustomerFields(changes, before);
    if (changes.creditCode && changes.creditCode !== before.creditCode) {
      await assertCreditCodeFree(tx, ctx, changes.creditCode, id);
    }
    const { creditLimit, ...rest } = changes;
    const set: Partial<typeof customers.$inferInsert> = {
      ...rest,
      ...(changes.name ? dedupeKeys(changes.name) : {}),
      ...(creditLimit !== undefined
        ? { creditLimit: creditLimit === null ? null : BigInt(creditLimit) }
        : {}),
      ...(changes.grade !== undefined && changes.grade !== before.grade
        ? { gradeSource: changes.grade ? ('manual' as const) : null }
        : {}),
    };
    const [after] = await tx
      .update(customers)
      .set({ ...set, updatedAt: sql`now()`, version: sql`${customers.version} + 1` })
      .where(and(eq(customers.id, id), eq(customers.version, version)))
      .returning();
    if (!after) throw versionConflict();
    // A new grade's cadence counts from the last follow-up: grading does not hide neglect.
    if (after.grade !== before.grade) after.followUpDueAt = await refreshCustomerDue(tx, id);
    await recordAudit(tx, ctx, { action: 'update', entity: 'customer', entityId: id, before, after });
    return after;
  });
}

// Collaborators

async function assertActiveUser(db: Db, userId: string) {
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.status, 'active')));
  if (!u)
    throw new AppError('invalid_reference', { field: 'userId' }, [{ path: 'userId', message: 'invalid' }]);
}

async function collaboratorIds(db: Db, customerId: string) {
  const rows = await db
    .select({ userId: customerCollaborators.userId })
    .from(customerCollaborators)
    .where(eq(customerCollaborators.customerId, customerId))
    .orderBy(asc(customerCollaborators.userId));
  return rows.map((r) => r.userId);
}

/** Adds a rep who works the customer with its owner; they see it from then on. */
export async function addCollaborator(db: Db, ctx: Ctx, customerId: string, userId: string) {
  return withTx(db, async (tx) => {
    const customer = await findLive(tx, ctx, customerId);
    await assertActiveUser(tx, userId);
    if (customer.ownerId === userId) throw invalidField('userId', 'invalid');
    const before = await collaboratorIds(tx, customerId);
    if (before.includes(userId)) return;
    await tx.insert(customerCollaborators).values({ customerId, userId });
    await recordAudit(tx, ctx, {
      action: 'add_collaborator',
      entity: 'customer',
      entityId: customerId,
      before: { collaborators: before },
      after: { collaborators: await collaboratorIds(tx, customerId) },
    });
  });
}

export async function removeCollaborator(db: Db, ctx: Ctx, customerId: string, userId: string) {
  return withTx(db, async (tx) => {
    await findLive(tx, ctx, customerId);
    const before = await collaboratorIds(tx, customerId);
    if (!before.includes(userId)) throw notFound();
    await tx
      .delete(customerCollaborators)
      .where(and(eq(customerCollaborators.customerId, customerId), eq(customerCollaborators.userId, userId)));
    await recordAudit(tx, ctx, {
      action: 'remove_collaborator',
      entity: 'customer',
      entityId: customerId,
      before: { collaborators: before },
      after: { collaborators: await collaboratorIds(tx, customerId) },
    });
  });
}

// Merge

/** What a merge moved from the merged customer to the survivor: exactly what unmerge moves back. */
export interface MergeMoves {
  survivorId: string;
  contacts: string[];
  /** The merged customer's primary contacts that stopped being primary (the survivor kept its own). */
  unprimaried: string[];
  activities: string[];
  leads: string[];
  attachments: string[];
  /** The merged customer's collaborators, and those of them newly added to the survivor. */
  collaborators: string[];
  collaboratorsAdded: string[];
}

const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id);

/**
 * Merges customer `id` into `survivorId`: its contacts, activities, converted leads, attachments
 * and collaborators move to the survivor and it is marked merged (hidden from lists). The audit
 * entry lists every moved id, so unmerge can move exactly those back.
 */
export async function mergeCustomer(db: Db, ctx: Ctx, id: string, survivorId: string) {
  if (id === survivorId) {
    throw new AppError('merge_into_self', {}, [{ path: 'survivorId', message: 'invalid' }]);
  }
  return withTx(db, async (tx) => {
    const loser = await findLive(tx, ctx, id);
    const survivor = await findLive(tx, ctx, survivorId);
    const survivorHasPrimary = await tx
      .select({ id: contacts.id })
      .from(contacts)
      .where(
        and(eq(contacts.customerId, survivor.id), eq(contacts.isPrimary, true), isNull(contacts.archivedAt)),
      );
    const unprimaried = survivorHasPrimary.length
      ? idsOf(
          await tx
            .update(contacts)
            .set({ isPrimary: false, updatedAt: sql`now()`, version: sql`${contacts.version} + 1` })
            .where(and(eq(contacts.customerId, loser.id), eq(contacts.isPrimary, true)))
            .returning({ id: contacts.id }),
        )
      : [];
    const movedContacts = idsOf(
      await tx
        .update(contacts)
        .set({ customerId: survivor.id, updatedAt: sql`now()`, version: sql`${contacts.version} + 1` })
        .where(eq(contacts.customerId, loser.id))
        .returning({ id: contacts.id }),
    );
    const movedActivities = idsOf(
      await tx
        .update(activities)
        .set({ customerId: survivor.id, updatedAt: sql`now()` })
        .where(eq(activities.customerId, loser.id))
        .returning({ id: activities.id }),
    );
    const movedLeads = idsOf(
      await tx
        .update(leads)
        .set({ convertedCustomerId: survivor.id, updatedAt: sql`now()` })
        .where(eq(leads.convertedCustomerId, loser.id))
        .returning({ id: leads.id }),
    );
    const movedAttachments = idsOf(
      await tx
        .update(attachments)
        .set({ entityId: survivor.id })
        .where(and(eq(attachments.entity, 'customer'), eq(attachments.entityId, loser.id)))
        .returning({ id: attachments.id }),
    );
    const loserCollaborators = await collaboratorIds(tx, loser.id);
    const survivorCollaborators = new Set(await collaboratorIds(tx, survivor.id));
    const collaboratorsAdded = loserCollaborators.filter(
      (u) => !survivorCollaborators.has(u) && u !== survivor.ownerId,
    );
    await tx.delete(customerCollaborators).where(eq(customerCollaborators.customerId, loser.id));
    if (collaboratorsAdded.length) {
      await tx
        .insert(customerCollaborators)
        .values(collaboratorsAdded.map((userId) => ({ customerId: survivor.id, userId })));
    }
    const moves: MergeMoves = {
      survivorId: survivor.id,
      contacts: movedContacts,
      unprimaried,
      activities: movedActivities,
      leads: movedLeads,
      attachments: movedAttachments,
      collaborators: loserCollaborators,
      collaboratorsAdded,
    };
    const [after] = await tx
      .update(customers)
      .set({ mergedIntoId: survivor.id, updatedAt: sql`now()`, version: sql`${customers.version} + 1` })
      .where(eq(customers.id, loser.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'merge',
      entity: 'customer',
      entityId: loser.id,
      before: { mergedIntoId: null, moves: null },
      after: { mergedIntoId: after!.mergedIntoId, moves },
    });
    await recordAudit(tx, ctx, {
      action: 'merge_in',
      entity: 'customer',
      entityId: survivor.id,
      after: { mergedFrom: loser.id, moves },
    });
    return moves;
  });
}

/** The moves of the customer's latest merge, read back from the audit trail. */
async function lastMerge(db: Db, id: string): Promise<MergeMoves | null> {
  const [entry] = await db
    .select({ changes: auditLog.changes })
    .from(auditLog)
    .where(and(eq(auditLog.entity, 'customer'), eq(auditLog.entityId, id), eq(auditLog.action, 'merge')))
    .orderBy(sql`${auditLog.at} desc, ${auditLog.id} desc`)
    .limit(1);
  return (entry?.changes.moves?.to as MergeMoves | undefined) ?? null;
}

/**
 * Reverses a merge from its audit entry: the merged customer comes back, and exactly the records
 * the merge moved (those still on the survivor) return to it. Records added to the survivor
 * since the merge stay there.
 */
export async function unmergeCustomer(db: Db, ctx: Ctx, id: string) {
  return withTx(db, async (tx) => {
    const [loser] = await tx
      .select()
      .from(customers)
      .where(whereAll(eq(customers.id, id), visibleCustomers(ctx)));
    if (!loser) throw notFound();
    if (!loser.mergedIntoId) throw new AppError('customer_not_merged');
    const moves = await lastMerge(tx, id);
    if (!moves || moves.survivorId !== loser.mergedIntoId) throw new AppError('customer_not_merged');
    const survivorId = moves.survivorId;
    const back = <T>(list: string[], fn: (ids: string[]) => Promise<T>) =>
      list.length ? fn(list) : undefined;
    await back(moves.contacts, (ids) =>
      tx
        .update(contacts)
        .set({ customerId: id, updatedAt: sql`now()`, version: sql`${contacts.version} + 1` })
        .where(and(inArray(contacts.id, ids), eq(contacts.customerId, survivorId))),
    );
    await back(moves.unprimaried, (ids) =>
      tx
        .update(contacts)
        .set({ isPrimary: true, updatedAt: sql`now()`, version: sql`${contacts.version} + 1` })
        .where(and(inArray(contacts.id, ids), eq(contacts.customerId, id), isNull(contacts.archivedAt))),
    );
    await back(moves.activities, (ids) =>
      tx
        .update(activities)
        .set({ customerId: id, updatedAt: sql`now()` })
        .where(and(inArray(activities.id, ids), eq(activities.customerId, survivorId))),
    );
    await back(moves.leads, (ids) =>
      tx
        .update(leads)
        .set({ convertedCustomerId: id, updatedAt: sql`now()` })
        .where(and(inArray(leads.id, ids), eq(leads.convertedCustomerId, survivorId))),
    );
    await back(moves.attachments, (ids) =>
      tx
        .update(attachments)
        .set({ entityId: id })
        .where(and(inArray(attachments.id, ids), eq(attachments.entityId, survivorId))),
    );
    await back(moves.collaboratorsAdded, (ids) =>
      tx
        .delete(customerCollaborators)
        .where(
          and(eq(customerCollaborators.customerId, survivorId), inArray(customerCollaborators.userId, ids)),
        ),
    );
    if (moves.collaborators.length) {
      await tx
        .insert(customerCollaborators)
        .values(moves.collaborators.map((userId) => ({ customerId: id, userId })))
        .onConflictDoNothing();
    }
    if (loser.creditCode) await assertCreditCodeFree(tx, ctx, loser.creditCode, id);
    const [after] = await tx
      .update(customers)
      .set({ mergedIntoId: null, updatedAt: sql`now()`, version: sql`${customers.version} + 1` })
      .where(eq(customers.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'unmerge',
      entity: 'customer',
      entityId: id,
      before: { mergedIntoId: survivorId, moves },
      after: { mergedIntoId: after!.mergedIntoId, moves: null },
    });
    await recordAudit(tx, ctx, {
      action: 'unmerge_out',
      entity: 'customer',
      entityId: survivorId,
      before: { mergedFrom: id, moves },
    });
    return after!;
  });
}

/** Live customers by id that the actor may see (for other modules' pickers and imports). */
export async function customerNames(db: Db, ctx: Ctx, ids: string[]) {
  if (!ids.length) return [];
  return db
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .where(whereAll(inArray(customers.id, ids), isNull(customers.mergedIntoId), visibleCustomers(ctx)));
}
