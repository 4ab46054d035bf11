import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { settingsUpdate } from '../../../contracts/settings.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { orgUnits } from '../../modules/org/schema.js';
import { recordAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { AppError, invalidField, versionConflict } from '../errors.js';
import { companySettings } from './schema.js';

export type CompanySettings = typeof companySettings.$inferSelect;

export function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export async function findSettings(db: Db): Promise<CompanySettings | undefined> {
  const [row] = await db.select().from(companySettings).where(eq(companySettings.id, 1));
  return row;
}

export async function getSettings(db: Db): Promise<CompanySettings> {
  const row = await findSettings(db);
  if (!row) throw new AppError('setup_required');
  return row;
}

/** The company's time zone: business days, periods and schedules are counted in it. */
export async function companyTimeZone(db: Db): Promise<string> {
  return (await findSettings(db))?.timeZone ?? 'Asia/Shanghai';
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The business day (YYYY-MM-DD) of an instant in a time zone. */
export function dayIn(timeZone: string, at: Date = new Date()): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    // Building a format is far dearer than using one; generators ask for thousands of days.
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  return format.format(at);
}

export function presentSettings(s: CompanySettings) {
  return {
    name: s.name,
    timeZone: s.timeZone,
    currency: s.currency,
    weekStart: s.weekStart,
    defaultLocale: s.defaultLocale as 'zh-CN' | 'en',
    demo: s.demo,
    version: s.version,
    address: s.address,
    phone: s.phone,
    taxId: s.taxId,
    bankName: s.bankName,
    bankAccount: s.bankAccount,
  };
}

/** Company settings; the company's name is also the name of the root org unit. */
export async function updateSettings(db: Db, ctx: Ctx, input: z.infer<typeof settingsUpdate>) {
  if (input.timeZone !== undefined && !isKnownTimeZone(input.timeZone))
    throw invalidField('timeZone', 'timeZone');
  const { version, ...given } = input;
  // A cleared field of the company profile is stored as absent, not as an empty string.
  const changes = Object.fromEntries(
    Object.entries(given).map(([k, v]) => [k, v === '' ? null : v]),
  ) as typeof given;
  return withTx(db, async (tx) => {
    const before = await getSettings(tx);
    if (before.version !== version) throw versionConflict();
    const [after] = await tx
      .update(companySettings)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${companySettings.version} + 1` })
      .where(and(eq(companySettings.id, 1), eq(companySettings.version, version)))
      .returning();
    if (!after) throw versionConflict();
    if (changes.name && changes.name !== before.name) {
      await tx.update(orgUnits).set({ name: changes.name }).where(eq(orgUnits.kind, 'company'));
    }
    await recordAudit(tx, ctx, {
      action: 'update',
      entity: 'company_settings',
      entityId: '1',
      before,
      after,
    });
    return presentSettings(after);
  });
}
