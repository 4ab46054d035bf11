import type { z } from 'zod';
import type { setupBody } from '../../../contracts/auth.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { seedDemo } from '../../demo/index.js';
import { createCompanyUnit } from '../../modules/org/org-units.service.js';
import { createUser } from '../../modules/org/users.service.js';
import { allPermissions } from '../access/catalog.js';
import { createDefaultRoles, roleIdsByKey } from '../access/roles.service.js';
import { recordAudit } from '../audit/audit.js';
import { assertPasswordPolicy } from '../auth/password.js';
import type { Ctx } from '../context.js';
import { AppError, invalidField } from '../errors.js';
import { companySettings } from '../settings/schema.js';
import { findSettings, isKnownTimeZone } from '../settings/settings.service.js';

export type SetupInput = z.input<typeof setupBody>;

export async function isSetupNeeded(db: Db): Promise<boolean> {
  return !(await findSettings(db));
}

/**
 * First run: the company, its root org unit, the default roles and the administrator, and
 * optionally the demo company — all in one transaction. Only ever succeeds once. `demoData:
 * false` loads the demo organisation without its business data (XG_DEMO_DATA, for tests).
 */
export async function setupCompany(
  db: Db,
  ctx: Ctx,
  input: SetupInput,
  opts: { demoData?: boolean } = {},
): Promise<{ adminId: string }> {
  const timeZone = input.timeZone ?? 'Asia/Shanghai';
  if (!isKnownTimeZone(timeZone)) throw invalidField('timeZone', 'timeZone');
  assertPasswordPolicy(input.admin.password, input.admin.username, 'admin.password');
  return withTx(db, async (tx) => {
    // The single settings row doubles as the lock: a second, concurrent setup inserts nothing.
    const [settings] = await tx
      .insert(companySettings)
      .values({ name: input.companyName, timeZone, knownPermissions: allPermissions() })
      .onConflictDoNothing()
      .returning();
    if (!settings) throw new AppError('setup_done');
    await recordAudit(tx, ctx, {
      action: 'create',
      entity: 'company_settings',
      entityId: '1',
      after: settings,
    });
    const company = await createCompanyUnit(tx, ctx, input.companyName);
    await createDefaultRoles(tx, ctx);
    const roleIds = await roleIdsByKey(tx);
    const admin = await createUser(tx, ctx, {
      username: input.admin.username,
      name: input.admin.name,
      email: input.admin.email ?? null,
      orgUnitId: company.id,
      roleIds: [roleIds.admin!],
      password: input.admin.password,
    });
    if (input.mode === 'demo') await seedDemo(tx, { data: opts.demoData ?? true }, ctx);
    return { adminId: admin.id };
  });
}
