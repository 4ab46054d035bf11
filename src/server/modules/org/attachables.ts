import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { defineAttachable } from '../../platform/files/attachables.js';
import { orgUnits } from './schema.js';
import { isVisibleUser } from './users.service.js';

// Files on a user (contract of employment, ID copy) follow the user's data scope; files on an
// org unit (territory map, organisation chart) are seen by whoever sees the org tree.
defineAttachable('user', {
  readPermission: 'users.read',
  writePermission: 'users.manage',
  canRead: isVisibleUser,
});

async function findUnit(db: Db, id: string) {
  const [unit] = await db
    .select({ archivedAt: orgUnits.archivedAt })
    .from(orgUnits)
    .where(eq(orgUnits.id, id));
  return unit;
}

defineAttachable('org_unit', {
  readPermission: 'org.read',
  writePermission: 'org.manage',
  canRead: async (db, _ctx, id) => !!(await findUnit(db, id)),
  // An archived unit is history: its files stay readable but no longer change.
  canWrite: async (db, _ctx, id) => !(await findUnit(db, id))?.archivedAt,
});
