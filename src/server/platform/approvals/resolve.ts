import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { approverSpec } from '../../../contracts/approvals.js';
import type { Db } from '../../db/client.js';
import { orgUnits, userRoles, users } from '../../modules/org/schema.js';
import { roles } from '../access/schema.js';

export type ApproverSpec = z.infer<typeof approverSpec>;

export interface Submitter {
  id: string;
  managerId: string | null;
  orgUnitId: string;
  /** Ids of the submitter's unit and every unit above it, nearest first. */
  unitChain: string[];
}

export async function loadSubmitter(db: Db, userId: string): Promise<Submitter> {
  const [row] = await db
    .select({ id: users.id, managerId: users.managerId, orgUnitId: users.orgUnitId, path: orgUnits.path })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(eq(users.id, userId));
  if (!row) throw new Error(`Submitter ${userId} not found`);
  return { ...row, unitChain: row.path.split('/').filter(Boolean).reverse() };
}

async function activeOnly(db: Db, ids: (string | null)[]): Promise<string[]> {
  const wanted = ids.filter((id): id is string => !!id);
  if (!wanted.length) return [];
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, wanted), eq(users.status, 'active')));
  return rows.map((r) => r.id);
}

/**
 * The users who may decide a step, relative to the submitter. The submitter never approves
 * their own document, so they are left out.
 */
export async function resolveApprovers(
  db: Db,
  submitter: Submitter,
  spec: ApproverSpec,
  addresseeId?: string | null,
): Promise<string[]> {
  let ids: string[] = [];
  switch (spec.kind) {
    case 'manager':
      ids = await activeOnly(db, [submitter.managerId]);
      break;
    case 'user':
      ids = await activeOnly(db, [spec.userId]);
      break;
    case 'addressee':
      ids = await activeOnly(db, [addresseeId ?? null]);
      break;
    case 'unitHead': {
      // From the unit `level` steps up, the first unit with a head other than the submitter.
      const units = submitter.unitChain.slice(spec.level);
      if (!units.length) break;
      const rows = await db
        .select({ id: orgUnits.id, head: orgUnits.headUserId })
        .from(orgUnits)
        .where(inArray(orgUnits.id, units));
      const heads = new Map(rows.map((r) => [r.id, r.head]));
      for (const unit of units) {
        const head = heads.get(unit);
        if (head && head !== submitter.id) {
          ids = await activeOnly(db, [head]);
          if (ids.length) break;
        }
      }
      break;
    }
    case 'role': {
      const rows = await db
        .select({ id: users.id })
        .from(users)
        .innerJoin(userRoles, eq(userRoles.userId, users.id))
        .innerJoin(roles, eq(roles.id, userRoles.roleId))
        .where(
          and(
            eq(roles.key, spec.role),
            eq(users.status, 'active'),
            spec.scope === 'chain' ? inArray(users.orgUnitId, submitter.unitChain) : undefined,
          ),
        )
        .orderBy(users.name);
      ids = rows.map((r) => r.id);
      break;
    }
  }
  return ids.filter((id) => id !== submitter.id);
}
