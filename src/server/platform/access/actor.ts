import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { orgUnits, userRoles, users } from '../../modules/org/schema.js';
import { userCredentials } from '../auth/schema.js';
import type { Actor } from '../context.js';
import { type DataScope, roles } from './schema.js';

const WIDTH: Record<DataScope, number> = { partner: 0, own: 1, team: 2, all: 3 };

/** Union of the roles' grants: every permission any role gives, the widest scope per resource. */
export function mergeGrants(grants: { permissions: string[]; scopes: Record<string, DataScope> }[]) {
  const permissions = new Set<string>();
  const scopes: Record<string, DataScope> = {};
  for (const g of grants) {
    for (const p of g.permissions) permissions.add(p);
    for (const [resource, scope] of Object.entries(g.scopes)) {
      const current = scopes[resource];
      if (!current || WIDTH[scope] > WIDTH[current]) scopes[resource] = scope;
    }
  }
  return { permissions, scopes };
}

/** Loads an active user as an actor; null when the user is missing or disabled. */
export async function loadActor(
  db: Db,
  userId: string,
  via: Pick<Actor, 'via' | 'sessionId' | 'tokenId' | 'csrfToken'>,
  narrowTo?: string[] | null,
): Promise<Actor | null> {
  const [row] = await db
    .select({ user: users, orgPath: orgUnits.path, mustChange: userCredentials.mustChangePassword })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .leftJoin(userCredentials, eq(userCredentials.userId, users.id))
    .where(eq(users.id, userId));
  if (row?.user.status !== 'active') return null;
  const roleRows = await db
    .select({ permissions: roles.permissions, scopes: roles.scopes })
    .from(roles)
    .where(
      inArray(
        roles.id,
        db.select({ id: userRoles.roleId }).from(userRoles).where(eq(userRoles.userId, userId)),
      ),
    );
  const { permissions, scopes } = mergeGrants(roleRows);
  const effective = narrowTo ? new Set(narrowTo.filter((p) => permissions.has(p))) : permissions;
  return {
    userId: row.user.id,
    username: row.user.username,
    name: row.user.name,
    orgUnitId: row.user.orgUnitId,
    orgPath: row.orgPath,
    partnerId: row.user.partnerId,
    permissions: effective,
    scopes,
    mustChangePassword: row.mustChange ?? false,
    ...via,
  };
}
