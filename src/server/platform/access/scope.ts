import { type Column, eq, or, type SQL, sql } from 'drizzle-orm';
import { orgUnits } from '../../modules/org/schema.js';
import type { Actor } from '../context.js';
import type { DataScope } from './schema.js';

/** The columns that make a table "owned" (ARCHITECTURE.md, access control). */
export interface OwnedColumns {
  ownerId: Column;
  orgUnitId: Column;
  partnerId?: Column;
  /** Extra "I am on this record" condition, e.g. membership in a collaborators table. */
  collaborator?: (userId: string) => SQL;
}

export function scopeOf(actor: Actor, resource: string): DataScope {
  return actor.scopes[resource] ?? 'own';
}

/**
 * The one place data scopes are enforced: the condition every query on an owned table adds.
 * `undefined` means no restriction (the system itself, or scope "all"). Records outside the
 * scope are simply not found, so callers answer 404 and ids cannot be probed.
 */
export function scopeFilter(actor: Actor | null, resource: string, cols: OwnedColumns): SQL | undefined {
  if (!actor) return undefined;
  const mine = cols.collaborator
    ? or(eq(cols.ownerId, actor.userId), cols.collaborator(actor.userId))!
    : eq(cols.ownerId, actor.userId);
  switch (scopeOf(actor, resource)) {
    case 'all':
      return undefined;
    case 'team':
      return or(
        mine,
        sql`${cols.orgUnitId} in (select ${orgUnits.id} from ${orgUnits} where ${orgUnits.path} like ${`${actor.orgPath}%`})`,
      );
    case 'partner':
      return cols.partnerId && actor.partnerId ? eq(cols.partnerId, actor.partnerId) : sql`false`;
    default:
      return mine;
  }
}
