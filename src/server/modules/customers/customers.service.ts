import { and, asc, count, eq, inArray, isNull, like, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { customerCreate, customerListQuery, customerUpdate } from '../../../contracts/customers.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { scopeFilter } from '../../platform/access/scope.js';
import { recordAudit, recordAudits } from '../../platform/audit/audit.js';
import { auditLog } from '../../platform/audit/schema.js';
import type { Ctx } from '../../platform/context.js';
import { customValuesFor } from '../../platform/custom-fields/custom-fields.js';
import type { FieldError } from '../../platform/errors.js';
import { AppError, invalidField, notFound, versionConflict } from '../../platform/errors.js';
import { attachments } from '../../platform/files/schema.js';
import { keyset, whereAll } from '../../platform/http/pagination.js';
import { isKnownDivision, listDivisions } from '../org/divisions.js';
import { orgUnits, users } from '../org/schema.js';
import { refreshCustomerDue, refreshCustomersDue } from './activities.service.js';
import { isValidCreditCode, normaliseCreditCode } from './credit-code.js';
import {
  type DuplicateCandidate,
  findDuplicateCustomers,
  nameKey,
  phoneKey,
  phoneVariants,
  pinyinOf,
} from './dedupe.js';
import { customerMergeSteps } from './merge-steps.js';
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

/** The dedupe and search keys stored with a customer name (name key, pinyin, initials). */
export function dedupeKeys(name: string) {
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

type CustomerFields = Omit<CustomerInput, 'confirmDuplicate'>;

/** The customers row of a new customer, the same whether created one by one or in an import batch. */
function newCustomerRow(
  ctx: Ctx,
  fields: CustomerFields,
  ownership: { ownerId: string | null; orgUnitId: string },
  customFields: Record<string, unknown>,
  keys = dedupeKeys(fields.name),
) {
  return {
    ...fields,
    customFields,
    kind: fields.kind ?? ('company' as const),
    ...keys,
    creditLimit: fields.creditLimit == null ? null : BigInt(fields.creditLimit),
    gradeSource: fields.grade ? ('manual' as const) : null,
    ...ownership,
    createdBy: ctx.actor?.userId ?? null,
  };
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
    const customFields = await customValuesFor(tx, 'customer', fields.customFields);
    const [row] = await tx
      .insert(customers)
      .values(newCustomerRow(ctx, fields, ownership, customFields))
      .returning();
    // The grade's cadence (seed 002: A every 7 days, B 14, C 30) counts from creation until a follow-up.
    if (row!.grade) row!.followUpDueAt = await refreshCustomerDue(tx, row!.id);
    await recordAudit(tx, ctx, { action: 'create', entity: 'customer', entityId: row!.id, after: row });
    return row!;
  });
}

const CREATE_CHUNK = 500;

/** The keys a new customer is compared on: createCustomer's duplicate checks, as plain values. */
function probeKeys(fields: CustomerFields) {
  const keys = dedupeKeys(fields.name);
  const phone = fields.phone ? phoneKey(fields.phone) : '';
  return {
    stored: keys,
    code: fields.creditCode ? normaliseCreditCode(fields.creditCode) : '',
    name: keys.nameKey,
    // The rules of findDuplicateCustomers: pinyin from two syllables' worth, phones from 7 digits.
    spoken: keys.namePinyin.length >= 4 ? keys.namePinyin : '',
    phone: phone.length >= 7 ? phone : '',
  };
}

/**
 * Creates many customers at once (imports): createCustomer's checks — the field rules, a credit
 * code free among live customers, no probable duplicate by name key, pinyin or phone unless the
 * input confirms — run set-wise against the table and within the batch, then the rows go in with
 * multi-row inserts, due dates follow the cadence and each is audited as createCustomer audits
 * it. An input that any check would refuse, or that resembles an earlier input of the batch, is
 * not created here: its slot is null, and the caller sends it through createCustomer (in input
 * order, after this batch), whose answer is the one the person sees.
 */
export async function createCustomers(
  tx: Db,
  ctx: Ctx,
  inputs: CustomerInput[],
  opts: { owners?: (CustomerOwnership | undefined)[] } = {},
): Promise<(CustomerRow | null)[]> {
  const result: (CustomerRow | null)[] = inputs.map(() => null);
  if (!inputs.length) return result;
  const probes = inputs.map(({ confirmDuplicate, ...fields }) => ({
    fields,
    confirm: !!confirmDuplicate,
    keys: probeKeys(fields),
  }));
  const live = isNull(customers.mergedIntoId);
  const values = (pick: (k: ReturnType<typeof probeKeys>) => string, all = false) => [
    ...new Set(probes.filter((p) => all || !p.confirm).flatMap((p) => pick(p.keys) || [])),
  ];
  const codes = values((k) => k.code, true);
  const names = values((k) => k.name);
  const spokens = values((k) => k.spoken);
  const phones = values((k) => k.phone);
  const taken = async (
    col: typeof customers.creditCode | typeof customers.nameKey | typeof customers.namePinyin,
    list: string[],
  ) =>
    list.length
      ? new Set(
          (
            await tx
              .select({ v: col })
              .from(customers)
              .where(and(live, inArray(col, list)))
          ).map((r) => r.v),
        )
      : new Set<string | null>();
  const takenCodes = await taken(customers.creditCode, codes);
  const takenNames = await taken(customers.nameKey, names);
  const takenSpoken = await taken(customers.namePinyin, spokens);
  const takenPhones = new Set<string>();
  if (phones.length) {
    const stored = await tx
      .select({ phone: customers.phone })
      .from(customers)
      .where(and(live, inArray(customers.phone, phones.flatMap(phoneVariants))));
    for (const r of stored) takenPhones.add(phoneKey(r.phone ?? ''));
    // A contact's mobile counts too (findDuplicateCustomers), when its customer is live.
    const mobiles = await tx
      .selectDistinct({ mobile: contacts.mobile })
      .from(contacts)
      .innerJoin(customers, eq(customers.id, contacts.customerId))
      .where(and(live, isNull(contacts.archivedAt), inArray(contacts.mobile, phones)));
    for (const r of mobiles) if (r.mobile) takenPhones.add(r.mobile);
  }

  // Within the batch: every earlier input counts, taken here or not, so an input is only taken
  // when createCustomer one by one, in file order, would have created it all the same.
  const seen = { codes: new Set<string>(), all: newKeySets(), probing: newKeySets() };
  const owners = new Map<string, Promise<{ ownerId: string | null; orgUnitId: string } | null>>();
  const accepted: { index: number; row: ReturnType<typeof newCustomerRow> }[] = [];
  for (const [index, { fields, confirm, keys }] of probes.entries()) {
    const clash =
      (keys.code && (takenCodes.has(keys.code) || seen.codes.has(keys.code))) ||
      resembles(keys, seen.probing) ||
      (!confirm &&
        (takenNames.has(keys.name) ||
          (keys.spoken && takenSpoken.has(keys.spoken)) ||
          (keys.phone && takenPhones.has(keys.phone)) ||
          resembles(keys, seen.all)));
    if (keys.code) seen.codes.add(keys.code);
    addKeys(seen.all, keys);
    if (!confirm) addKeys(seen.probing, keys);
    if (clash) continue;
    const owner = opts.owners?.[index];
    const ownerKey = owner ? `${owner.ownerId ?? ''}/${owner.orgUnitId ?? ''}` : '';
    if (!owners.has(ownerKey)) owners.set(ownerKey, resolveOwnership(tx, ctx, owner).catch(refused));
    try {
      assertCustomerFields(fields);
      const ownership = await owners.get(ownerKey)!;
      if (!ownership) continue;
      const customFields = await customValuesFor(tx, 'customer', fields.customFields);
      accepted.push({ index, row: newCustomerRow(ctx, fields, ownership, customFields, keys.stored) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  }

  const created: CustomerRow[] = [];
  for (let i = 0; i < accepted.length; i += CREATE_CHUNK) {
    const chunk = accepted.slice(i, i + CREATE_CHUNK);
    created.push(
      ...(await tx
        .insert(customers)
        .values(chunk.map((a) => a.row))
        .returning()),
    );
  }
  // The grade's cadence counts from creation, as createCustomer's refreshCustomerDue does.
  const dues = await refreshCustomersDue(
    tx,
    created.filter((r) => r.grade),
  );
  for (const row of created) if (dues.has(row.id)) row.followUpDueAt = dues.get(row.id)!;
  await recordAudits(
    tx,
    ctx,
    created.map((row) => ({ action: 'create', entity: 'customer', entityId: row.id, after: row })),
  );
  created.forEach((row, n) => {
    result[accepted[n]!.index] = row;
  });
  return result;
}

const newKeySets = () => ({ names: new Set<string>(), spoken: new Set<string>(), phones: new Set<string>() });
type KeySets = ReturnType<typeof newKeySets>;

function addKeys(sets: KeySets, keys: ReturnType<typeof probeKeys>) {
  sets.names.add(keys.name);
  if (keys.spoken) sets.spoken.add(keys.spoken);
  if (keys.phone) sets.phones.add(keys.phone);
}

const resembles = (keys: ReturnType<typeof probeKeys>, sets: KeySets) =>
  sets.names.has(keys.name) ||
  (!!keys.spoken && sets.spoken.has(keys.spoken)) ||
  (!!keys.phone && sets.phones.has(keys.phone));

/** An owner resolveOwnership refuses: the inputs with it take createCustomer's path. */
const refused = (err: unknown) => {
  if (err instanceof AppError) return null;
  throw err;
};

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
    const { creditLimit, customFields, ...rest } = changes;
    const set: Partial<typeof customers.$inferInsert> = {
      ...rest,
      ...(customFields !== undefined
        ? { customFields: await customValuesFor(tx, 'customer', customFields, before.customFields) }
        : {}),
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
  /** Records of other modules moved by their merge steps (merge-steps.ts), by step key. */
  more?: Record<string, string[]>;
}

const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id);

/**
 * Merges customer `id` into `survivorId`: its contacts, activities, converted leads, attachments,
 * collaborators and the records of every registered merge step move to the survivor and it is marked merged (hidden from lists). The audit
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
    const more: Record<string, string[]> = {};
    for (const [key, step] of customerMergeSteps()) more[key] = await step.move(tx, loser.id, survivor.id);
    const moves: MergeMoves = {
      more,
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
    for (const [key, step] of customerMergeSteps()) {
      await step.moveBack(tx, moves.more?.[key] ?? [], survivorId, id);
    }
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
