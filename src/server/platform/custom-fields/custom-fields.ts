import { and, asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  customFieldCreate,
  customFieldEntity,
  customFieldListQuery,
  customFieldUpdate,
} from '../../../contracts/custom-fields.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { recordAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { AppError, type FieldError, invalidField, notFound, versionConflict } from '../errors.js';
import { type CustomFieldOption, type CustomFieldRow, customFields } from './schema.js';

export type CustomFieldEntity = z.infer<typeof customFieldEntity>;
export type CustomValues = Record<string, unknown>;

const TEXT_MAX = 500;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const isEmpty = (v: unknown) =>
  v === null || v === undefined || (typeof v === 'string' && !v.trim()) || (Array.isArray(v) && !v.length);

function isRealDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** One value checked against its field: the value to store, or the message key of what is wrong. */
function checkValue(
  field: Pick<CustomFieldRow, 'type' | 'options'>,
  value: unknown,
): { ok: unknown } | { error: FieldError['message']; params?: Record<string, unknown> } {
  const choices = (field.options as CustomFieldOption[]).map((o) => o.value);
  switch (field.type) {
    case 'text':
      if (typeof value !== 'string') return { error: 'type', params: { expected: 'string' } };
      return value.trim().length > TEXT_MAX
        ? { error: 'tooLongString', params: { n: TEXT_MAX } }
        : { ok: value.trim() };
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? { ok: value }
        : { error: 'type', params: { expected: 'number' } };
    case 'date':
      return typeof value === 'string' && isRealDate(value) ? { ok: value } : { error: 'format' };
    case 'boolean':
      return typeof value === 'boolean' ? { ok: value } : { error: 'type', params: { expected: 'boolean' } };
    case 'select':
      return typeof value === 'string' && choices.includes(value)
        ? { ok: value }
        : { error: 'oneOf', params: { values: choices.join(', ') } };
    case 'multiselect': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !choices.includes(v))) {
        return { error: 'oneOf', params: { values: choices.join(', ') } };
      }
      return { ok: [...new Set(value as string[])] };
    }
  }
}

/**
 * Checks the custom values a form sent against the active fields and merges them into the
 * stored ones: unknown keys, wrong types and options outside the list are errors; an empty value
 * removes the key; every required field must end up with a value. Pure, so import and services
 * share it.
 */
export function mergeCustomValues(
  fields: Pick<CustomFieldRow, 'key' | 'type' | 'options' | 'required' | 'active'>[],
  incoming: CustomValues,
  stored: CustomValues = {},
  path = 'customFields',
): { values: CustomValues; errors: FieldError[] } {
  const active = new Map(fields.filter((f) => f.active).map((f) => [f.key, f]));
  const values: CustomValues = { ...stored };
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(incoming)) {
    const field = active.get(key);
    if (!field) {
      errors.push({ path: `${path}.${key}`, message: 'unknownField' });
      continue;
    }
    if (isEmpty(value)) {
      delete values[key];
      continue;
    }
    const checked = checkValue(field, value);
    if ('error' in checked) {
      errors.push({
        path: `${path}.${key}`,
        message: checked.error,
        ...(checked.params ? { params: checked.params } : {}),
      });
    } else values[key] = checked.ok;
  }
  for (const field of active.values()) {
    if (
      field.required &&
      isEmpty(values[field.key]) &&
      !errors.some((e) => e.path === `${path}.${field.key}`)
    ) {
      errors.push({ path: `${path}.${field.key}`, message: 'required' });
    }
  }
  return { values, errors };
}

export async function activeCustomFields(db: Db, entity: CustomFieldEntity): Promise<CustomFieldRow[]> {
  return db
    .select()
    .from(customFields)
    .where(and(eq(customFields.entity, entity), eq(customFields.active, true)));
}

/**
 * The record's custom values after a write that sent `incoming` (undefined: the request did not
 * carry the custom fields — a reception form, web-to-lead, an import — and they stay as stored,
 * required or not). Throws a 400 listing every bad field.
 */
export async function customValuesFor(
  tx: Db,
  entity: CustomFieldEntity,
  incoming: CustomValues | undefined,
  stored: CustomValues = {},
): Promise<CustomValues> {
  if (incoming === undefined) return stored;
  const { values, errors } = mergeCustomValues(await activeCustomFields(tx, entity), incoming, stored);
  if (errors.length) throw new AppError('validation_failed', {}, errors);
  return values;
}

// Administration

export function presentCustomField(f: CustomFieldRow) {
  return {
    id: f.id,
    entity: f.entity as CustomFieldEntity,
    key: f.key,
    labelZh: f.labelZh,
    labelEn: f.labelEn,
    type: f.type,
    options: f.options,
    required: f.required,
    active: f.active,
    sortOrder: f.sortOrder,
    createdAt: f.createdAt.toISOString(),
    updatedAt: f.updatedAt.toISOString(),
    version: f.version,
  };
}

export async function listCustomFields(db: Db, query: z.infer<typeof customFieldListQuery>) {
  const rows = await db
    .select()
    .from(customFields)
    .where(
      and(
        query.entity ? eq(customFields.entity, query.entity) : undefined,
        query.includeArchived ? undefined : eq(customFields.active, true),
      ),
    )
    .orderBy(asc(customFields.entity), asc(customFields.sortOrder), asc(customFields.createdAt));
  return { items: rows.map(presentCustomField) };
}

function assertOptions(type: CustomFieldRow['type'], options: CustomFieldOption[]) {
  const choice = type === 'select' || type === 'multiselect';
  if (choice && !options.length) throw invalidField('options', 'tooFew', { n: 1 });
  if (!choice && options.length) throw invalidField('options', 'tooMany', { n: 0 });
  const seen = new Set<string>();
  for (const [i, o] of options.entries()) {
    if (seen.has(o.value)) throw invalidField(`options.${i}.value`, 'duplicateInFile', { row: i + 1 });
    seen.add(o.value);
  }
}

export async function createCustomField(db: Db, ctx: Ctx, input: z.infer<typeof customFieldCreate>) {
  assertOptions(input.type, input.options);
  return withTx(db, async (tx) => {
    const [row] = await tx
      .insert(customFields)
      .values({ ...input, createdBy: ctx.actor?.userId ?? null })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('duplicate', { field: 'key' }, [{ path: 'key', message: 'exists' }]);
    await recordAudit(tx, ctx, { action: 'create', entity: 'custom_field', entityId: row.id, after: row });
    return presentCustomField(row);
  });
}

export async function updateCustomField(
  db: Db,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof customFieldUpdate>,
) {
  return withTx(db, async (tx) => {
    const [before] = await tx.select().from(customFields).where(eq(customFields.id, id)).for('update');
    if (!before) throw notFound();
    if (before.version !== input.version) throw versionConflict();
    const { version: _, ...changes } = input;
    if (changes.options) assertOptions(before.type, changes.options);
    const [after] = await tx
      .update(customFields)
      .set({ ...changes, version: before.version + 1, updatedAt: sql`now()` })
      .where(eq(customFields.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'custom_field',
      entityId: id,
      before,
      after: after!,
    });
    return presentCustomField(after!);
  });
}
