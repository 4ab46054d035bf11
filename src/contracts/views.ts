import { z } from 'zod';
import { id, isoDateTime, requiredText, version } from './common.js';

// Saved views (保存的视图): a user's named filters, sort and columns of a list. Private unless a
// user with `views.share` shares it with everyone who can read the list.

export const viewListKey = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9_-]+$/, { message: 'format' });

const filterValue = z.union([z.string().max(500), z.array(z.string().max(500)).max(100)]);

/** Filters, sort and columns: a flat JSON object of strings or lists of strings. */
export const viewFilters = z.record(z.string().min(1).max(50), filterValue);

export const savedView = z.object({
  id,
  listKey: viewListKey,
  name: z.string(),
  filters: z.record(z.string(), filterValue),
  shared: z.boolean(),
  ownerId: id,
  ownerName: z.string(),
  /** The actor's own view: they may rename, change and delete it. */
  mine: z.boolean(),
  /** The actor's personal default for this list. */
  isDefault: z.boolean(),
  updatedAt: isoDateTime,
  version,
});

export const savedViewList = z.object({ items: z.array(savedView), defaultViewId: id.nullable() });
export const savedViewListQuery = z.object({ listKey: viewListKey }).strict();

export const savedViewCreate = z
  .object({
    listKey: viewListKey,
    name: requiredText(60),
    filters: viewFilters,
    shared: z.boolean().default(false),
    isDefault: z.boolean().default(false),
  })
  .strict();

export const savedViewUpdate = z
  .object({
    name: requiredText(60).optional(),
    filters: viewFilters.optional(),
    shared: z.boolean().optional(),
    version,
  })
  .strict();

/** Make a view (or none) the actor's default for its list. */
export const savedViewDefault = z.object({ listKey: viewListKey, viewId: id.nullable() }).strict();

export type SavedView = z.infer<typeof savedView>;
export type SavedViewList = z.infer<typeof savedViewList>;
export type ViewFilters = z.infer<typeof viewFilters>;
