import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../db/columns.js';
import { users } from '../../modules/org/schema.js';

export type ViewFilters = Record<string, string | string[]>;

/** A named set of filters, sort and columns of a list (`list_key`), private or shared. */
export const savedViews = pgTable(
  'saved_views',
  {
    id: idColumn(),
    listKey: text('list_key').notNull(),
    name: text('name').notNull(),
    filters: jsonb('filters').$type<ViewFilters>().notNull().default({}),
    shared: boolean('shared').notNull().default(false),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    ...rowColumns(),
  },
  (t) => [
    index('saved_views_owner_idx').on(t.ownerId, t.listKey),
    index('saved_views_shared_idx').on(t.listKey).where(sql`${t.shared}`),
  ],
);

/** Each user's default view per list (none = the list's own defaults). */
export const savedViewDefaults = pgTable(
  'saved_view_defaults',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    listKey: text('list_key').notNull(),
    viewId: uuid('view_id')
      .notNull()
      .references(() => savedViews.id, { onDelete: 'cascade' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.listKey] })],
);
