import { z } from 'zod';
import { permissionKey } from './access.js';
import { email, id, isoDateTime, mobilePhone, password, requiredText, username, version } from './common.js';

export const locale = z.enum(['zh-CN', 'en']);

export const loginBody = z.object({ username: z.string().trim().min(1).max(200), password }).strict();

export const company = z.object({
  name: z.string(),
  timeZone: z.string(),
  currency: z.string(),
  weekStart: z.number().int(),
  defaultLocale: locale,
  demo: z.boolean(),
});

export const me = z.object({
  user: z.object({
    id,
    username: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    position: z.string(),
    orgUnitId: id,
    orgUnitName: z.string(),
    locale: locale.nullable(),
    version,
  }),
  roles: z.array(z.object({ key: z.string(), nameZh: z.string(), nameEn: z.string() })),
  permissions: z.array(z.string()),
  mustChangePassword: z.boolean(),
  /** Send back as the X-CSRF-Token header on every cookie-authenticated write. */
  csrfToken: z.string(),
  company,
});
export type Me = z.infer<typeof me>;

export const profileUpdate = z
  .object({
    name: requiredText(50).optional(),
    phone: mobilePhone.nullable().optional(),
    email: email.nullable().optional(),
    locale: locale.nullable().optional(),
    version,
  })
  .strict();

export const passwordChange = z.object({ currentPassword: password, newPassword: password }).strict();

export const setupState = z.object({
  needed: z.boolean(),
  companyName: z.string().nullable(),
  /** Demo accounts and their known password, only while the demo company is loaded. */
  demoAccounts: z.array(
    z.object({ username: z.string(), name: z.string(), role: z.string(), password: z.string() }),
  ),
});

export const setupBody = z
  .object({
    companyName: requiredText(100),
    timeZone: z.string().max(64).default('Asia/Shanghai'),
    mode: z.enum(['demo', 'empty']),
    admin: z
      .object({
        name: requiredText(50),
        username,
        email: email.optional(),
        password,
      })
      .strict(),
  })
  .strict();

export const apiToken = z.object({
  id,
  userId: id,
  userName: z.string(),
  name: z.string(),
  prefix: z.string(),
  permissions: z.array(z.string()).nullable(),
  createdAt: isoDateTime,
  expiresAt: isoDateTime.nullable(),
  lastUsedAt: isoDateTime.nullable(),
  revokedAt: isoDateTime.nullable(),
});
export type ApiToken = z.infer<typeof apiToken>;

export const apiTokenCreate = z
  .object({
    name: requiredText(100),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
    /** Narrow the token to some of your permissions; omitted = all of them. */
    permissions: z.array(permissionKey).max(500).optional(),
  })
  .strict();

export const apiTokenCreated = apiToken.extend({ token: z.string() });
