import { z } from 'zod';
import {
  email,
  id,
  isoDateTime,
  listQuery,
  mobilePhone,
  password,
  requiredText,
  shortText,
  username,
  version,
} from './common.js';

export const orgUnitKind = z.enum(['company', 'region', 'team', 'department']);

export const orgUnit = z.object({
  id,
  parentId: id.nullable(),
  name: z.string(),
  code: z.string().nullable(),
  kind: orgUnitKind,
  headUserId: id.nullable(),
  headUserName: z.string().nullable(),
  path: z.string(),
  depth: z.number().int(),
  sortOrder: z.number().int(),
  userCount: z.number().int(),
  territories: z.array(z.string()),
  archived: z.boolean(),
  version,
});
export type OrgUnit = z.infer<typeof orgUnit>;

export const orgUnitCreate = z
  .object({
    parentId: id,
    name: requiredText(100),
    code: shortText(50).nullable().optional(),
    kind: orgUnitKind.exclude(['company']),
    headUserId: id.nullable().optional(),
    sortOrder: z.number().int().min(0).max(100000).optional(),
  })
  .strict();

export const orgUnitUpdate = z
  .object({
    parentId: id.optional(),
    name: requiredText(100).optional(),
    code: shortText(50).nullable().optional(),
    kind: orgUnitKind.optional(),
    headUserId: id.nullable().optional(),
    sortOrder: z.number().int().min(0).max(100000).optional(),
    version,
  })
  .strict();

export const divisionCode = z.string().regex(/^\d{2}(\d{2})?(\d{2})?$/, { message: 'division' });
export const territoriesBody = z.object({ codes: z.array(divisionCode).max(500) }).strict();
export const division = z.object({ code: z.string(), name: z.string(), hasChildren: z.boolean() });
export const divisionQuery = z.object({ parent: divisionCode.optional() }).strict();

export const userStatus = z.enum(['active', 'disabled']);

export const user = z.object({
  id,
  username: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  position: z.string(),
  managerId: id.nullable(),
  managerName: z.string().nullable(),
  orgUnitId: id,
  orgUnitName: z.string(),
  partnerId: id.nullable(),
  status: userStatus,
  roles: z.array(z.object({ id, key: z.string(), nameZh: z.string(), nameEn: z.string() })),
  territories: z.array(z.string()),
  lockedUntil: isoDateTime.nullable(),
  lastLoginAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type User = z.infer<typeof user>;

export const userListQuery = listQuery
  .extend({
    orgUnitId: id.optional(),
    status: userStatus.optional(),
    role: z.string().max(40).optional(),
  })
  .strict();

export const userCreate = z
  .object({
    username,
    name: requiredText(50),
    phone: mobilePhone.nullable().optional(),
    email: email.nullable().optional(),
    position: shortText(50).optional(),
    managerId: id.nullable().optional(),
    orgUnitId: id,
    roleIds: z.array(id).min(1).max(20),
    password,
  })
  .strict();

export const userUpdate = z
  .object({
    name: requiredText(50).optional(),
    phone: mobilePhone.nullable().optional(),
    email: email.nullable().optional(),
    position: shortText(50).optional(),
    managerId: id.nullable().optional(),
    orgUnitId: id.optional(),
    roleIds: z.array(id).min(1).max(20).optional(),
    version,
  })
  .strict();

export const passwordReset = z.object({ newPassword: password }).strict();
