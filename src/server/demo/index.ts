import { base, en, Faker, zh_CN } from '@faker-js/faker';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { withTx } from '../db/tx.js';
import { refreshFacts } from '../modules/analytics/facts/index.js';
import { type CustomersDemoCounts, seedCustomersDemo } from '../modules/customers/demo.js';
import { type OrdersDemoCounts, seedOrdersDemo } from '../modules/orders/demo.js';
import { type OrderToCashDemoCounts, seedOrderToCashDemo } from '../modules/orders/order-to-cash.demo.js';
import { userRoles, users } from '../modules/org/schema.js';
import { type SalesDemoCounts, seedSalesDemo } from '../modules/sales/demo.js';
import { type QuotesDemoCounts, seedQuotesDemo } from '../modules/sales/quotes-demo.js';
import { type ForecastDemoCounts, seedForecastDemo } from '../modules/strategy/forecast.demo.js';
import { seedTargetsDemo, type TargetsDemoCounts } from '../modules/strategy/targets.demo.js';
import { roles } from '../platform/access/schema.js';
import { recordAudit } from '../platform/audit/audit.js';
import { hashPassword } from '../platform/auth/password.js';
import { type Ctx, systemCtx } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { companySettings } from '../platform/settings/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, type DemoOrg, seedDemoOrg } from './org.js';

export { DEMO_PASSWORD };

/** Same seed, same company: demo data and test fixtures are repeatable. */
export const DEMO_SEED = 2026;

export interface DemoResult {
  users: number;
  org: DemoOrg;
  /** The business data loaded with it; absent when loaded with `data: false`. */
  customers?: CustomersDemoCounts;
  /** The catalog, price lists, stock and units loaded with it. */
  orders?: OrdersDemoCounts;
  /** The opportunities (with stage histories) and contracts (with payment plans) loaded with it. */
  sales?: SalesDemoCounts;
  /** The quotes (with revisions, lines and sends) on the demo opportunities. */
  quotes?: QuotesDemoCounts;
  /** The sales orders, shipments, invoices and payments around the stock history's shipments. */
  orderToCash?: OrderToCashDemoCounts;
  /** Last year's and this year's booked-revenue targets, allocated to reps and months. */
  targets?: TargetsDemoCounts;
  /** The reps' forecast commits (with revisions and a few leads' adjustments) for this year and next months. */
  forecast?: ForecastDemoCounts;
}

export interface DemoOptions {
  /** Multiplies the volumes: reps per team and every module's data (default 1). */
  scale?: number;
  /**
   * false = the organisation and users only, without the modules' business data (customers,
   * leads, activities). Tests use it (XG_DEMO_DATA=false) so that their figures stay small and
   * their own; the bench too, which generates its own data at scale.
   */
  data?: boolean;
  /**
   * The instant the demo's history is laid out around (default: the moment of the load). Every
   * module reads this one clock; the same seed and instant give the same names, amounts, dates
   * and states (ids and audit times still differ).
   */
  now?: Date;
}

/**
 * Loads the demo company into a set-up company: the organisation and users, then each module's
 * business data from the same seeded generator (see docs/customers.md "Demo data"). `scale`
 * multiplies the volumes. One transaction, one audit row for the whole load.
 */
export async function seedDemo(
  db: Db,
  opts: DemoOptions = {},
  ctx: Ctx = systemCtx('demo'),
): Promise<DemoResult> {
  const scale = Math.max(1, Math.floor(opts.scale ?? 1));
  const now = opts.now ?? new Date();
  const faker = new Faker({ locale: [zh_CN, en, base], seed: DEMO_SEED });
  // One hash for all demo accounts: they share a published password anyway.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return withTx(db, async (tx) => {
    const [settings] = await tx.select().from(companySettings).for('update');
    if (!settings) throw new AppError('setup_required');
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'director'));
    if (existing) throw new AppError('duplicate', { field: 'demo' });
    const org = await seedDemoOrg(tx, ctx, faker, { scale, passwordHash });
    const customers =
      opts.data === false ? undefined : await seedCustomersDemo(tx, faker, org, { scale, now });
    const orders =
      opts.data === false ? undefined : await seedOrdersDemo(tx, faker, ctx, org, { scale, now });
    // Sales on the demo customers; `context` lists what was made for the generators after it.
    const sales = opts.data === false ? undefined : await seedSalesDemo(tx, faker, ctx, org, { scale, now });
    const quotes = sales ? await seedQuotesDemo(tx, faker, ctx, sales.context, { scale, now }) : undefined;
    const orderToCash =
      orders && sales
        ? await seedOrderToCashDemo(tx, faker, ctx, { shipments: orders.context.shipments, scale, now })
        : undefined;
    // Targets last: they are set from the orders booked above.
    const targets = orderToCash ? await seedTargetsDemo(tx, faker, ctx, org, { now }) : undefined;
    // The dashboards read the sales facts roll-up: build it now, not at the first scheduled refresh.
    if (orderToCash) await refreshFacts(tx, { full: true });
    // Forecast commits after the roll-up: they start from what each rep has booked.
    const forecast = targets ? await seedForecastDemo(tx, faker, ctx, org, { now }) : undefined;
    const [after] = await tx
      .update(companySettings)
      .set({ demo: true })
      .where(eq(companySettings.id, 1))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'load_demo',
      entity: 'company_settings',
      entityId: '1',
      before: settings,
      after,
    });
    return {
      users: Object.keys(org.userIds).length,
      org,
      ...(customers ? { customers } : {}),
      ...(orders ? { orders: orders.counts } : {}),
      ...(sales ? { sales: sales.counts } : {}),
      ...(quotes ? { quotes } : {}),
      ...(orderToCash ? { orderToCash } : {}),
      ...(targets ? { targets } : {}),
      ...(forecast ? { forecast } : {}),
    };
  });
}

/** The demo accounts shown on the login page, only while the demo company is loaded. */
export async function demoAccounts(db: Db) {
  const [settings] = await db.select({ demo: companySettings.demo }).from(companySettings);
  if (!settings?.demo) return [];
  const rows = await db
    .select({ username: users.username, name: users.name, role: roles.key, status: users.status })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(inArray(users.username, [...DEMO_ACCOUNTS]));
  return DEMO_ACCOUNTS.flatMap((username) => {
    const row = rows.find((r) => r.username === username && r.status === 'active');
    return row ? [{ username, name: row.name, role: row.role, password: DEMO_PASSWORD }] : [];
  });
}
