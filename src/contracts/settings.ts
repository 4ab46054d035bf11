import { z } from 'zod';
import { company, locale } from './auth.js';
import { requiredText, shortText, version } from './common.js';

/** The company as printed on documents (letterhead, fapiao): any signed-in user may read it. */
export const companyProfile = z.object({
  address: z.string().nullable(),
  phone: z.string().nullable(),
  taxId: z.string().nullable(),
  bankName: z.string().nullable(),
  bankAccount: z.string().nullable(),
});

export const settings = company.extend({ version }).extend(companyProfile.shape);

/** 统一社会信用代码: 18 characters of digits and capitals without I, O, S, V, Z. */
const taxId = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-HJ-NP-RTUWXY]{18}$/, { message: 'format' });

export const settingsUpdate = z
  .object({
    name: requiredText(100).optional(),
    timeZone: z.string().max(64).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { message: 'format' })
      .optional(),
    weekStart: z.number().int().min(1).max(7).optional(),
    defaultLocale: locale.optional(),
    address: shortText(200).nullable().optional(),
    phone: shortText(50).nullable().optional(),
    taxId: taxId.nullable().optional(),
    bankName: shortText(100).nullable().optional(),
    bankAccount: shortText(50).nullable().optional(),
    version,
  })
  .strict();
