import { z } from 'zod';
import { id, requiredText, shortText, version } from './common.js';

export const dataScope = z.enum(['own', 'team', 'all', 'partner']);
export type DataScopeValue = z.infer<typeof dataScope>;

export const permissionKey = z.string().regex(/^[a-z][a-z-]*\.[a-z][a-z-]*$/);

export const role = z.object({
  id,
  key: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  description: z.string(),
  permissions: z.array(z.string()),
  scopes: z.record(z.string(), dataScope),
  builtin: z.boolean(),
  userCount: z.number().int(),
  version,
});
export type Role = z.infer<typeof role>;

export const roleCreate = z
  .object({
    key: z
      .string()
      .trim()
      .min(2)
      .max(40)
      .regex(/^[a-z][a-z0-9_]*$/, { message: 'format' }),
    nameZh: requiredText(50),
    nameEn: requiredText(50),
    description: shortText(500).default(''),
    permissions: z.array(permissionKey).max(500),
    scopes: z.record(z.string().max(50), dataScope).default({}),
  })
  .strict();

export const roleUpdate = z
  .object({
    nameZh: requiredText(50).optional(),
    nameEn: requiredText(50).optional(),
    description: shortText(500).optional(),
    permissions: z.array(permissionKey).max(500).optional(),
    scopes: z.record(z.string().max(50), dataScope).optional(),
    version,
  })
  .strict();

/** The permission catalog, grouped by resource, for the role editor. */
export const permissionCatalog = z.object({
  resources: z.array(
    z.object({
      key: z.string(),
      module: z.string(),
      scoped: z.boolean(),
      permissions: z.array(z.object({ key: z.string(), sensitive: z.boolean() })),
    }),
  ),
});
export type PermissionCatalog = z.infer<typeof permissionCatalog>;
