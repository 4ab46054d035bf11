import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { customerSettingsUpdate } from '../../../contracts/activities.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Ctx } from '../../platform/context.js';
import { invalidField, versionConflict } from '../../platform/errors.js';
import { cadenceShiftDays } from './cadence.js';
import { CUSTOMER_GRADES, customerSettings, customers } from './schema.js';

/** "Today" for due dates and daily limits is the company's day. */
export type CustomerSettingsRow = typeof customerSettings.$inferSelect;

/** The module's settings row; created with the defaults (seed 002) on first use. */
export async function getCustomerSettings(db: Db): Promise<CustomerSettingsRow> {
  const [row] = await db.select().from(customerSettings).where(eq(customerSettings.id, 1));
  if (row) return row;
  await db.insert(customerSettings).values({ id: 1 }).onConflictDoNothing();
  const [created] = await db.select().from(customerSettings).where(eq(customerSettings.id, 1));
  return created!;
}

export function presentCustomerSettings(s: CustomerSettingsRow) {
  return {
    cadenceDays: s.cadenceDays,
    poolDays: s.poolDays,
    maxHeld: s.maxHeld,
    maxClaimsPerDay: s.maxClaimsPerDay,
    leadSources: s.leadSources,
    gradeThresholds: s.gradeThresholds ?? null,
    version: s.version,
  };
}

/**
 * Changes cadence, pool rules, limits, lead sources or revenue thresholds. A new cadence moves
 * the due dates of the grade's customers by the difference, in the same transaction.
 */
export async function updateCustomerSettings(
  db: Db,
  ctx: Ctx,
  input: z.infer<typeof customerSettingsUpdate>,
) {
  const { version, ...changes } = input;
  if (changes.gradeThresholds && changes.gradeThresholds.A <= changes.gradeThresholds.B)
    throw invalidField('gradeThresholds.A', 'tooSmall', { n: changes.gradeThresholds.B + 1 });
  if (changes.leadSources) changes.leadSources = [...new Set(changes.leadSources)];
  return withTx(db, async (tx) => {
    const before = await getCustomerSettings(tx);
    if (before.version !== version) throw versionConflict();
    const [after] = await tx
      .update(customerSettings)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${customerSettings.version} + 1` })
      .where(and(eq(customerSettings.id, 1), eq(customerSettings.version, version)))
      .returning();
    if (!after) throw versionConflict();
    if (changes.cadenceDays) {
      const shift = cadenceShiftDays(before.cadenceDays, after.cadenceDays);
      for (const grade of CUSTOMER_GRADES) {
        const days = shift[grade];
        if (!days) continue;
        await tx
          .update(customers)
          .set({ followUpDueAt: sql`${customers.followUpDueAt} + make_interval(days => ${days}::int)` })
          .where(
            and(
              eq(customers.grade, grade),
              isNotNull(customers.followUpDueAt),
              isNull(customers.mergedIntoId),
            ),
          );
      }
    }
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'customer_settings',
      entityId: '1',
      before,
      after,
    });
    return presentCustomerSettings(after);
  });
}
