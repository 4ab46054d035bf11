import { z } from 'zod';
import { id, isoDateTime, requiredText, version } from './common.js';

// Custom fields: an administrator adds fields to a record type; the record's forms show them and
// the server checks the values (unknown keys, types, options, required).

export const customFieldType = z.enum(['text', 'number', 'date', 'select', 'multiselect', 'boolean']);
export const customFieldEntity = z.enum(['lead', 'customer', 'product', 'opportunity']);

export const customFieldOption = z
  .object({
    value: z
      .string()
      .trim()
      .min(1)
      .max(50)
      .regex(/^[a-z0-9_]+$/, { message: 'format' }),
    zh: requiredText(50),
    en: requiredText(50),
  })
  .strict();

export const customField = z.object({
  id,
  entity: customFieldEntity,
  key: z.string(),
  labelZh: z.string(),
  labelEn: z.string(),
  type: customFieldType,
  options: z.array(customFieldOption),
  required: z.boolean(),
  active: z.boolean(),
  sortOrder: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type CustomField = z.infer<typeof customField>;

const editable = {
  labelZh: requiredText(50),
  labelEn: requiredText(50),
  options: z.array(customFieldOption).max(100),
  required: z.boolean(),
  sortOrder: z.number().int().min(0).max(9999),
};

export const customFieldCreate = z
  .object({
    entity: customFieldEntity,
    /** The key values are stored under: lower-case letters, digits and _, starting with a letter. */
    key: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'format' }),
    type: customFieldType,
    ...editable,
    options: editable.options.default([]),
    required: editable.required.default(false),
    sortOrder: editable.sortOrder.default(0),
  })
  .strict();

/** Key and type never change once values exist under them; archive the field and add another. */
export const customFieldUpdate = z
  .object({ ...editable, active: z.boolean(), version })
  .partial()
  .required({ version: true })
  .strict();

export const customFieldListQuery = z
  .object({ entity: customFieldEntity.optional(), includeArchived: z.stringbool().optional() })
  .strict();
