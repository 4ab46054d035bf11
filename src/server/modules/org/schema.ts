import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../db/columns.js';
import { roles } from '../../platform/access/schema.js';

/**
 * Org units form a tree of any depth (company → region → team → …). `path` holds the ids from
 * the root down, '/a/b/c/', so "this unit and everything below it" is one indexed prefix match.
 */
export const orgUnits = pgTable(
  'org_units',
  {
    id: idColumn(),
    parentId: uuid('parent_id').references((): AnyPgColumn => orgUnits.id),
    name: text('name').notNull(),
    code: text('code'),
    kind: text('kind').$type<'company' | 'region' | 'team' | 'department'>().notNull(),
    headUserId: uuid('head_user_id').references((): AnyPgColumn => users.id),
    path: text('path').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [
    index('org_units_path_idx').on(t.path.op('text_pattern_ops')),
    index('org_units_parent_idx').on(t.parentId),
    uniqueIndex('org_units_code_idx').on(t.code),
  ],
);

export const users = pgTable(
  'users',
  {
    id: idColumn(),
    username: text('username').notNull(),
    name: text('name').notNull(),
    phone: text('phone'),
    email: text('email'),
    position: text('position').notNull().default(''),
    managerId: uuid('manager_id').references((): AnyPgColumn => users.id),
    orgUnitId: uuid('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    /** Set for users of a channel partner: their data scope is that partner company. */
    partnerId: uuid('partner_id'),
    status: text('status').$type<'active' | 'disabled'>().notNull().default('active'),
    locale: text('locale').$type<'zh-CN' | 'en'>(),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('users_username_idx').on(sql`lower(${t.username})`),
    uniqueIndex('users_email_idx').on(sql`lower(${t.email})`),
    index('users_org_unit_idx').on(t.orgUnitId),
    index('users_manager_idx').on(t.managerId),
    check('users_status_check', sql`${t.status} in ('active', 'disabled')`),
  ],
);

export const userRoles = pgTable(
  'user_roles',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleId] }), index('user_roles_role_idx').on(t.roleId)],
);

/** A territory is a GB/T 2260 province or city code assigned to an org unit or to a user. */
export const territoryAssignments = pgTable(
  'territory_assignments',
  {
    id: idColumn(),
    divisionCode: text('division_code').notNull(),
    orgUnitId: uuid('org_unit_id').references(() => orgUnits.id),
    userId: uuid('user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (t) => [
    check('territory_one_holder', sql`(${t.orgUnitId} is null) <> (${t.userId} is null)`),
    uniqueIndex('territory_unit_idx').on(t.divisionCode, t.orgUnitId),
    uniqueIndex('territory_user_idx').on(t.divisionCode, t.userId),
    index('territory_user_lookup_idx').on(t.userId),
    index('territory_unit_lookup_idx').on(t.orgUnitId),
  ],
);
