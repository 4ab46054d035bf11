import { z } from 'zod';
import { company, locale } from './auth.js';
import { requiredText, version } from './common.js';

export const settings = company.extend({ version });

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
    version,
  })
  .strict();
