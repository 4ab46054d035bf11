import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client.js';
import { withTx } from '../db/tx.js';
import { refreshCustomerDue } from '../modules/customers/activities.service.js';
import { isValidCreditCode } from '../modules/customers/credit-code.js';
import { dedupeKeys } from '../modules/customers/customers.service.js';
import { DEMO_VOLUMES } from '../modules/customers/demo.js';
import { rescoreLead } from '../modules/customers/leads.service.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../testing/app.js';

// The full demo company at scale 1, loaded once by first-run setup in demo mode, as a new
// installation gets it: customers (issue 4) and the catalog, prices, stock and units (issue 5) (the other test files load the organisation only: XG_DEMO_DATA=false).

let t: TestApp;
let rep01: Client;
const db = () => t.database.db;
const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(db(), query);
const count = async (query: ReturnType<typeof sql>) => Number((await rows<{ n: number }>(query))[0]!.n);
const firstNames = async (app: TestApp) =>
  (
    await queryRows<{ name: string }>(app.database.db, sql`select name from customers order by id limit 20`)
  ).map((r) => r.name);

beforeAll(async () => {
  t = await createTestApp({ XG_DEMO_DATA: 'true' });
  await setupCompany(t.app);
  rep01 = await as(t.app, 'rep01');
}, 180_000);
afterAll(() => t?.close());

const near = (n: number, target: number, tolerance = 0.1) => {
  expect(n).toBeGreaterThanOrEqual(target * (1 - tolerance));
  expect(n).toBeLessThanOrEqual(target * (1 + tolerance));
};

describe('the demo company', () => {
  it('has about 2,000 customers, 5,000 contacts, 3,000 leads and 20,000 activities', async () => {
    near(await count(sql`select count(*)::int as n from customers`), DEMO_VOLUMES.customers);
    near(await count(sql`select count(*)::int as n from contacts`), DEMO_VOLUMES.contacts);
    near(await count(sql`select count(*)::int as n from leads`), DEMO_VOLUMES.leads);
    near(await count(sql`select count(*)::int as n from activities`), DEMO_VOLUMES.activities);
    // The module's other builders run on these customers.
    for (const table of ['visit_plans', 'complaints', 'loyalty_accounts'])
      expect(await count(sql.raw(`select count(*)::int as n from ${table}`))).toBeGreaterThan(0);
    // One audit row for the business data: the demo load itself.
    expect(
      await count(
        sql`select count(*)::int as n from audit_log where entity in ('customer', 'lead', 'activity', 'contact')`,
      ),
    ).toBe(0);
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'load_demo'`)).toBe(1);
  });

  it('grades customers about 15 % A, 35 % B and 50 % C, with every lifecycle and a share in the pool', async () => {
    const grades = await rows<{ grade: string; n: number }>(
      sql`select grade, count(*)::int as n from customers group by grade`,
    );
    const share = (g: string) => (grades.find((r) => r.grade === g)?.n ?? 0) / DEMO_VOLUMES.customers;
    expect(share('A')).toBeGreaterThan(0.1);
    expect(share('A')).toBeLessThan(0.2);
    expect(share('B')).toBeGreaterThan(0.3);
    expect(share('B')).toBeLessThan(0.4);
    expect(share('C')).toBeGreaterThan(0.45);
    expect(share('C')).toBeLessThan(0.55);
    const lifecycles = await rows<{ lifecycle: string }>(sql`select distinct lifecycle from customers`);
    expect(lifecycles.map((r) => r.lifecycle).sort()).toEqual(['active', 'dormant', 'lost', 'prospect']);
    near(await count(sql`select count(*)::int as n from customers where owner_id is null`), 200, 0.4);
  });

  it('has leads in every status, from the configured sources, scored by the scoring rules', async () => {
    const statuses = await rows<{ status: string }>(sql`select distinct status from leads`);
    expect(statuses.map((r) => r.status).sort()).toEqual(['converted', 'disqualified', 'new', 'working']);
    expect(
      await count(
        sql`select count(*)::int as n from leads l
          where not exists (select 1 from customer_settings s where l.source = any(s.lead_sources))`,
      ),
    ).toBe(0);
    // Rescoring changes nothing: the stored scores are what the leads service computes.
    const sample = await rows<{ id: string; score: number }>(
      sql`select id, score from leads order by id limit 60`,
    );
    await withTx(db(), async (tx) => {
      for (const lead of sample) expect((await rescoreLead(tx, lead.id)).score).toBe(lead.score);
    });
    // New leads have no follow-up yet; converted ones point at their customer and contact.
    expect(
      await count(
        sql`select count(*)::int as n from leads l where status = 'new' and exists (select 1 from activities a where a.lead_id = l.id)`,
      ),
    ).toBe(0);
    expect(
      await count(
        sql`select count(*)::int as n from leads where status = 'converted' and (converted_customer_id is null or converted_contact_id is null)`,
      ),
    ).toBe(0);
  });

  it('has activities of every type, with outcomes and next steps', async () => {
    const types = await rows<{ type: string }>(sql`select distinct type from activities`);
    expect(types.map((r) => r.type).sort()).toEqual(['call', 'email', 'meeting', 'message', 'task', 'visit']);
    expect(
      await count(sql`select count(*)::int as n from activities where outcome is not null`),
    ).toBeGreaterThan(10_000);
    expect(
      await count(sql`select count(*)::int as n from activities where next_step_at is not null`),
    ).toBeGreaterThan(5_000);
    // Over the last 18 months.
    expect(
      await count(
        sql`select count(*)::int as n from activities where occurred_at < now() - interval '600 days'`,
      ),
    ).toBe(0);
  });

  it('has valid credit codes and mobiles, and the dedupe keys the customers service stores', async () => {
    const codes = await rows<{ credit_code: string }>(
      sql`select credit_code from customers where credit_code is not null`,
    );
    expect(codes.length).toBeGreaterThan(1000);
    expect(codes.filter((c) => !isValidCreditCode(c.credit_code))).toEqual([]);
    const mobiles = await rows<{ mobile: string }>(
      sql`select mobile from contacts where mobile is not null union all select mobile from leads where mobile is not null`,
    );
    expect(mobiles.filter((m) => !/^1[3-9]\d{9}$/.test(m.mobile))).toEqual([]);
    const names = await rows<{ name: string; name_key: string; name_pinyin: string; name_initials: string }>(
      sql`select name, name_key, name_pinyin, name_initials from customers`,
    );
    expect(
      names.filter((c) => {
        const keys = dedupeKeys(c.name);
        return (
          keys.nameKey !== c.name_key ||
          keys.namePinyin !== c.name_pinyin ||
          keys.nameInitials !== c.name_initials
        );
      }),
    ).toEqual([]);
  });

  it('places every customer in its owner’s region: the province is a territory of the region the owner works in', async () => {
    const misplaced = await count(sql`
      select count(*)::int as n
      from customers c
      join territory_assignments ta on ta.division_code = c.province_code
      join org_units region on region.id = ta.org_unit_id and region.kind = 'region'
      join org_units unit on unit.id = c.org_unit_id
      left join users owner on owner.id = c.owner_id
      left join org_units owner_unit on owner_unit.id = owner.org_unit_id
      where unit.path not like region.path || '%'
         or (owner.id is not null and owner_unit.path not like region.path || '%')`);
    expect(misplaced).toBe(0);
    const placed = await count(sql`
      select count(*)::int as n from customers c
      where exists (select 1 from territory_assignments ta join org_units r on r.id = ta.org_unit_id
                    where r.kind = 'region' and ta.division_code = c.province_code)`);
    expect(placed).toBe(DEMO_VOLUMES.customers);
  });

  it('keeps last follow-ups and due dates consistent with the activities and the cadence', async () => {
    const stale = await count(sql`
      select count(*)::int as n from customers c
      where c.last_follow_up_at is distinct from (
        select max(a.occurred_at) from activities a
        where a.customer_id = c.id and a.done and a.occurred_at <= now())`);
    expect(stale).toBe(0);
    const sample = await rows<{ id: string; due: string | Date | null }>(
      sql`select id, follow_up_due_at as due from customers order by id limit 80`,
    );
    await withTx(db(), async (tx) => {
      for (const c of sample) {
        const due = await refreshCustomerDue(tx, c.id);
        expect(due?.toISOString() ?? null).toBe(c.due ? new Date(c.due).toISOString() : null);
      }
    });
    // Nothing owned is already past its pool period: the nightly reclaim job finds nothing to do.
    expect(
      await count(sql`select count(*)::int as n from customers
        where owner_id is not null and last_follow_up_at < now() - interval '30 days'`),
    ).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from leads where owner_id is not null and status in ('new', 'working')
        and coalesce(last_follow_up_at, created_at) < now() - interval '14 days'`),
    ).toBe(0);
  });

  it('shows rep01 a handful of overdue follow-ups in the due list', async () => {
    const overdue = await rep01.get('/follow-ups/due?when=overdue');
    expect(overdue.statusCode).toBe(200);
    expect(overdue.body.total).toBeGreaterThanOrEqual(3);
    expect(overdue.body.total).toBeLessThanOrEqual(10);
    expect(overdue.body.items.every((i: { overdueDays: number }) => i.overdueDays >= 1)).toBe(true);
    const mine = await rep01.get('/customers?view=mine&limit=1');
    near(mine.body.total, DEMO_VOLUMES.customers / 24, 0.3);
  });

  it('shows a pool customer of 华东 to a rep of 华东 and not to a rep of 华南', async () => {
    const [pooled] = await rows<{ id: string; name: string }>(sql`
      select c.id, c.name from customers c join org_units u on u.id = c.org_unit_id
      where c.owner_id is null and u.name = '华东' order by c.id limit 1`);
    expect(pooled).toBeDefined();
    const q = encodeURIComponent(pooled!.name);
    const seen = await rep01.get(`/pool?entity=customer&q=${q}`);
    expect(seen.body.items.map((i: { id: string }) => i.id)).toContain(pooled!.id);
    const rep07 = await as(t.app, 'rep07');
    const hidden = await rep07.get(`/pool?entity=customer&q=${q}`);
    expect(hidden.statusCode).toBe(200);
    expect(hidden.body.items.map((i: { id: string }) => i.id)).not.toContain(pooled!.id);
    // …whose own pool holds 华南's customers only.
    const south = await rep07.get('/pool?entity=customer&limit=500');
    expect(south.body.items.length).toBeGreaterThan(0);
    const regions = await rows<{ id: string }>(sql`
      select c.id from customers c join org_units u on u.id = c.org_unit_id
      where c.owner_id is null and u.path not like (select path from org_units where name = '华南') || '%'`);
    const elsewhere = new Set(regions.map((r) => r.id));
    expect(south.body.items.filter((i: { id: string }) => elsewhere.has(i.id))).toEqual([]);
  });

  it('is the same company on every load: the same seed gives the same customers', async () => {
    const again = await createTestApp({ XG_DEMO_DATA: 'true' });
    try {
      await setupCompany(again.app);
      expect(await firstNames(again)).toEqual(await firstNames(t));
    } finally {
      await again.close();
    }
  }, 180_000);
});

describe('the demo catalog, prices, stock and units', () => {
  it('has about 300 products, 5 locations, 8 price lists and the 2 × 20 × 6 property project', async () => {
    near(await count(sql`select count(*)::int as n from products`), 300, 0.05);
    expect(await count(sql`select count(*)::int as n from warehouses`)).toBe(5);
    expect(await count(sql`select count(*)::int as n from price_lists`)).toBe(8);
    const grid = await rows<{ building: string; floors: number; per_floor: number }>(sql`
      select u.building, count(distinct u.floor)::int as floors, (count(*) / count(distinct u.floor))::int as per_floor
      from units u join unit_projects p on p.id = u.project_id
      where p.kind = 'property' group by u.building order by u.building`);
    expect(grid.map((g) => [g.floors, g.per_floor])).toEqual([
      [20, 6],
      [20, 6],
    ]);
  });

  it('has eighteen months of stock history whose levels are exactly the sum of the ledger', async () => {
    const months = await count(
      sql`select count(distinct to_char(movement_date, 'YYYY-MM'))::int as n from stock_movements`,
    );
    expect(months).toBe(18);
    for (const kind of ['receipt', 'issue', 'transfer_out', 'transfer_in', 'adjustment'])
      expect(
        await count(sql`select count(*)::int as n from stock_movements where kind = ${kind}`),
      ).toBeGreaterThan(0);
    expect(
      await count(sql`
        select count(*)::int as n from stock_levels l
        where l.on_hand <> (select coalesce(sum(m.quantity), 0) from stock_movements m
                            where m.warehouse_id = l.warehouse_id and m.product_id = l.product_id)
           or l.reserved <> (select coalesce(sum(r.quantity - r.consumed - r.released), 0) from stock_reservations r
                             where r.warehouse_id = l.warehouse_id and r.product_id = l.product_id and r.status = 'active')
           or l.on_hand < 0 or l.reserved > l.on_hand`),
    ).toBe(0);
    // Services are never stocked; every serial on hand is in one place only.
    expect(
      await count(sql`
        select count(*)::int as n from stock_levels l join products p on p.id = l.product_id
        join product_categories c on c.id = p.category_id where c.code like 'SVC%'`),
    ).toBe(0);
    expect(
      await count(sql`
        select count(*)::int as n from (select lot_id from stock_lot_levels l join stock_lots s on s.id = l.lot_id
        where s.serial_no is not null and l.on_hand > 0 group by lot_id having sum(l.on_hand) <> 1) x`),
    ).toBe(0);
  });

  it('lists the vehicles in stock as units by the VIN the ledger holds', async () => {
    const vans = await rows<{ vin: string; in_stock: number }>(sql`
      select u.vin, (select coalesce(sum(l.on_hand), 0) from stock_lots s join stock_lot_levels l on l.lot_id = s.id
                     where s.serial_no = u.vin)::int as in_stock
      from units u where u.kind = 'vehicle'`);
    expect(vans.length).toBe(30);
    expect(vans.every((v) => v.in_stock === 1)).toBe(true);
  });
});
