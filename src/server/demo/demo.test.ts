import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client.js';
import { withTx } from '../db/tx.js';
import { refreshFacts } from '../modules/analytics/facts/index.js';
import { refreshCustomerDue } from '../modules/customers/activities.service.js';
import { isValidCreditCode } from '../modules/customers/credit-code.js';
import { dedupeKeys } from '../modules/customers/customers.service.js';
import { DEMO_VOLUMES } from '../modules/customers/demo.js';
import { rescoreLead } from '../modules/customers/leads.service.js';
import { SALES_DEMO_VOLUMES } from '../modules/sales/demo.js';
import { computeQuote } from '../modules/sales/quotes.rules.js';
import { QUOTES_DEMO_VOLUMES } from '../modules/sales/quotes-demo.js';
import { addMonths, monthRange } from '../modules/strategy/forecast/rules.js';
import { dayIn } from '../platform/settings/settings.service.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../testing/app.js';
import { seedDemo } from './index.js';

// The full demo company at scale 1, loaded once by first-run setup in demo mode, as a new
// installation gets it: customers (issue 4), the catalog, prices, stock and units (issue 5), and the
// opportunities and contracts (issue 6) (the other test files load the organisation only: XG_DEMO_DATA=false).

let t: TestApp;
let rep01: Client;
const db = () => t.database.db;
const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(db(), query);
const count = async (query: ReturnType<typeof sql>) => Number((await rows<{ n: number }>(query))[0]!.n);
const firstNames = async (app: TestApp) =>
  (
    await queryRows<{ name: string }>(app.database.db, sql`select name from customers order by id limit 20`)
  ).map((r) => r.name);

const firstOpportunities = async (app: TestApp) =>
  queryRows<{ name: string; amount: number; status: string }>(
    app.database.db,
    sql`select name, amount::int as amount, status from opportunities order by name, amount, status limit 20`,
  );

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

  it('is the same company on every load: the same seed and instant give the same customers and deals', async () => {
    // The history is laid out around the instant of the load, and some choices depend on the time
    // of day: two loads at different hours may differ, two at one instant may not.
    const now = new Date();
    const loads = [await createTestApp(), await createTestApp()];
    try {
      for (const load of loads) {
        await setupCompany(load.app, 'empty');
        await seedDemo(load.database.db, { now });
      }
      const [a, b] = loads as [TestApp, TestApp];
      expect(await firstNames(b)).toEqual(await firstNames(a));
      expect(await firstOpportunities(b)).toEqual(await firstOpportunities(a));
      const booked = (app: TestApp) =>
        queryRows(
          app.database.db,
          sql`select count(*)::int as n, sum(total)::text as total from sales_orders`,
        );
      expect(await booked(b)).toEqual(await booked(a));
    } finally {
      for (const load of loads) await load.close();
    }
  }, 300_000);
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

describe('the demo sales process', () => {
  it('has about 3,000 opportunities in two pipelines: about 25 % won, 35 % lost, the rest open', async () => {
    const total = await count(sql`select count(*)::int as n from opportunities`);
    near(total, SALES_DEMO_VOLUMES.opportunities);
    const by = await rows<{ status: string; n: number }>(
      sql`select status, count(*)::int as n from opportunities group by status`,
    );
    const share = (s: string) => (by.find((r) => r.status === s)?.n ?? 0) / total;
    expect(share('won')).toBeGreaterThan(0.2);
    expect(share('won')).toBeLessThan(0.3);
    expect(share('lost')).toBeGreaterThan(0.3);
    expect(share('lost')).toBeLessThan(0.4);
    const pipelines = await rows<{ code: string; n: number }>(sql`
      select p.code, count(o.id)::int as n from pipelines p left join opportunities o on o.pipeline_id = p.id
      group by p.code order by p.code`);
    expect(pipelines.map((p) => p.code)).toEqual(['distribution', 'standard']);
    expect(pipelines[0]!.n).toBeGreaterThan(total * 0.1);
    // Eighteen months of them, owned by the customer's owner in the owner's unit.
    expect(
      await count(sql`select count(*)::int as n from opportunities where created_at < now() - interval '550 days'
        or created_at > now() or stage_entered_at > now() or closed_at > now()`),
    ).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from opportunities o join customers c on c.id = o.customer_id
        join users u on u.id = o.owner_id
        where o.owner_id is distinct from c.owner_id or o.org_unit_id <> u.org_unit_id or o.amount <= 0`),
    ).toBe(0);
  });

  it('keeps stage histories as the service does: contiguous, one open entry for the current stage', async () => {
    // Exactly one open entry per opportunity, and it is the opportunity's stage, entered when it says.
    expect(
      await count(sql`select count(*)::int as n from opportunities o
        where (select count(*) from opportunity_stage_history h where h.opportunity_id = o.id and h.exited_at is null) <> 1
           or not exists (select 1 from opportunity_stage_history h where h.opportunity_id = o.id
             and h.exited_at is null and h.stage_id = o.stage_id and h.entered_at = o.stage_entered_at)`),
    ).toBe(0);
    // Each exit is the next entry; times move forward; the first entry is the creation.
    expect(
      await count(sql`select count(*)::int as n from (
        select h.entered_at, h.exited_at, o.created_at,
          lead(h.entered_at) over w as next_entered, row_number() over w as k
        from opportunity_stage_history h join opportunities o on o.id = h.opportunity_id
        window w as (partition by h.opportunity_id order by h.entered_at)) x
        where (x.next_entered is not null and x.exited_at is distinct from x.next_entered)
           or x.exited_at <= x.entered_at or (x.k = 1 and x.entered_at <> x.created_at)`),
    ).toBe(0);
    // Won ones end in the won stage, lost ones in the lost stage, open ones in an open stage.
    expect(
      await count(sql`select count(*)::int as n from opportunities o join pipeline_stages s on s.id = o.stage_id
        where s.kind <> o.status or s.pipeline_id <> o.pipeline_id
           or (o.status = 'open') <> (o.closed_at is null) or (o.closed_at is not null and o.closed_at <> o.stage_entered_at)`),
    ).toBe(0);
    // Some walked a step back and forward again.
    expect(
      await count(sql`select count(*)::int as n from (select opportunity_id from opportunity_stage_history
        group by opportunity_id having count(*) > count(distinct stage_id)) x`),
    ).toBeGreaterThan(20);
  });

  it('derives probability and forecast from the stage, and closes with reasons', async () => {
    expect(
      await count(sql`select count(*)::int as n from opportunities o join pipeline_stages s on s.id = o.stage_id
        where (not o.probability_overridden and o.probability <> s.probability)
           or o.forecast_category <> case when s.kind <> 'open' then 'closed' when o.probability >= 80 then 'commit'
                                           when o.probability >= 50 then 'best_case' else 'pipeline' end`),
    ).toBe(0);
    // Lost: a reason from the settings' list, price the most common; most price losses name a competitor.
    const reasons = await rows<{ reason: string; n: number }>(sql`
      select loss_reason as reason, count(*)::int as n from opportunities where status = 'lost'
      group by loss_reason order by n desc`);
    expect(reasons[0]!.reason).toBe('price');
    expect(
      await count(sql`select count(*)::int as n from opportunities o, sales_settings s
        where o.status = 'lost' and not exists (select 1 from jsonb_array_elements(s.loss_reasons) r where r->>'code' = o.loss_reason)`),
    ).toBe(0);
    expect(
      await count(
        sql`select count(*)::int as n from opportunities where status = 'lost' and lost_to_competitor is not null`,
      ),
    ).toBeGreaterThan(300);
    expect(
      await count(
        sql`select count(*)::int as n from opportunities where status <> 'lost' and (loss_reason is not null or lost_to_competitor is not null)`,
      ),
    ).toBe(0);
    // Open ones: expected to close mostly within three months, some overdue.
    const open = await count(sql`select count(*)::int as n from opportunities where status = 'open'`);
    const soon = await count(sql`select count(*)::int as n from opportunities where status = 'open'
      and expected_close_date between (now() at time zone 'Asia/Shanghai')::date and (now() at time zone 'Asia/Shanghai')::date + 92`);
    const overdue = await count(sql`select count(*)::int as n from opportunities where status = 'open'
      and expected_close_date < (now() at time zone 'Asia/Shanghai')::date`);
    expect(soon / open).toBeGreaterThan(0.75);
    expect(overdue).toBeGreaterThan(0);
  });

  it('ticks the required exit checklist of every stage left forward, and fills the required fields', async () => {
    // Every stage an opportunity left for a later one has its required items ticked.
    expect(
      await count(sql`
        select count(*)::int as n from (
          select h.opportunity_id, h.stage_id, s.checklist, s.position,
            (select s2.position from opportunity_stage_history h2 join pipeline_stages s2 on s2.id = h2.stage_id
             where h2.opportunity_id = h.opportunity_id and h2.entered_at = h.exited_at) as next_position,
            (select s2.kind from opportunity_stage_history h2 join pipeline_stages s2 on s2.id = h2.stage_id
             where h2.opportunity_id = h.opportunity_id and h2.entered_at = h.exited_at) as next_kind
          from opportunity_stage_history h join pipeline_stages s on s.id = h.stage_id
          where h.exited_at is not null) x,
          jsonb_array_elements(x.checklist) item
        where (item->>'required')::boolean and x.next_position > x.position and x.next_kind <> 'lost'
          and not exists (select 1 from opportunity_checklist c where c.opportunity_id = x.opportunity_id
            and c.stage_id = x.stage_id and c.item_key = item->>'key')`),
    ).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from opportunities o
        where not exists (select 1 from opportunity_contacts c where c.opportunity_id = o.id)
           or o.expected_close_date is null`),
    ).toBe(0);
    expect(await count(sql`select count(*)::int as n from opportunity_competitors`)).toBeGreaterThan(1000);
    expect(
      await count(sql`select count(*)::int as n from activities where opportunity_id is not null`),
    ).toBeGreaterThan(1000);
  });

  it('shows rep01 their pipeline on the board, with a few stalled opportunities', async () => {
    const board = await rep01.get('/opportunities/kanban');
    expect(board.statusCode).toBe(200);
    const columns = board.body.columns as { count: number; cards: { ownerId: string; stalled: boolean }[] }[];
    expect(columns.reduce((n, c) => n + c.count, 0)).toBeGreaterThan(50);
    expect(columns.filter((c) => c.count > 0).length).toBe(columns.length);
    const open = await rep01.get('/opportunities?status=open&limit=200');
    expect(open.statusCode).toBe(200);
    // Stalled as the service counts it (lastActivityAt): nothing on it or its customer for the stall days.
    const stalled = await count(sql`
      with last_by_customer as (select customer_id, max(occurred_at) as at from activities
          where done and occurred_at <= now() and customer_id is not null group by customer_id),
        last_by_opportunity as (select opportunity_id, max(occurred_at) as at from activities
          where done and occurred_at <= now() and opportunity_id is not null group by opportunity_id)
      select count(*)::int as n from opportunities o
      left join last_by_customer c on c.customer_id = o.customer_id
      left join last_by_opportunity a on a.opportunity_id = o.id
      where o.status = 'open' and greatest(o.created_at, o.stage_entered_at, c.at, a.at)
        <= now() - make_interval(days => (select stall_days from sales_settings))`);
    expect(stalled).toBeGreaterThanOrEqual(10);
    expect(stalled).toBeLessThanOrEqual(60);
  });

  it('has about 600 contracts whose payment plans sum exactly to their amounts', async () => {
    near(await count(sql`select count(*)::int as n from contracts`), SALES_DEMO_VOLUMES.contracts);
    expect(
      await count(sql`select count(*)::int as n from contracts c
        where c.amount <> (select coalesce(sum(i.amount), 0) from contract_installments i where i.contract_id = c.id)
           or (select count(*) from contract_installments i where i.contract_id = c.id) not between 2 and 6`),
    ).toBe(0);
    // Plans as the service checks them: due dates strictly increasing within the term plus a year.
    expect(
      await count(sql`select count(*)::int as n from (
        select i.due_date, lag(i.due_date) over (partition by i.contract_id order by i.seq) as previous,
          c.start_date, c.end_date from contract_installments i join contracts c on c.id = i.contract_id) x
        where x.due_date <= x.previous or x.due_date < x.start_date or x.due_date > x.end_date + 365`),
    ).toBe(0);
    const states = await rows<{ state: string; n: number }>(
      sql`select state, count(*)::int as n from contracts group by state`,
    );
    const n = (s: string) => states.find((r) => r.state === s)?.n ?? 0;
    const total = states.reduce((s, r) => s + r.n, 0);
    expect(n('active') / total).toBeGreaterThan(0.6);
    expect(n('active') / total).toBeLessThan(0.85);
    for (const s of ['completed', 'terminated', 'draft', 'in_review']) expect(n(s)).toBeGreaterThan(0);
    // Mostly from won opportunities, signed the day they were won, for about their amount.
    const fromWon =
      await count(sql`select count(*)::int as n from contracts c join opportunities o on o.id = c.opportunity_id
      where o.status = 'won' and c.signed_date is not null and c.customer_id = o.customer_id and c.owner_id = o.owner_id
        and c.amount between o.amount * 0.9 and o.amount`);
    expect(fromWon / total).toBeGreaterThan(0.7);
    expect(
      await count(sql`select count(*)::int as n from contracts where
        (state in ('active', 'completed', 'terminated') and (signed_date is null or approved_at is null or signed_date > (now() at time zone 'Asia/Shanghai')::date))
        or (state = 'terminated' and termination_reason is null)
        or (state in ('draft', 'in_review') and signed_date is not null)
        or number !~ '^C-20[0-9]{2}-[0-9]{6}$'`),
    ).toBe(0);
    // Overdue installments for the collections to come.
    expect(
      await count(sql`select count(*)::int as n from contract_installments i join contracts c on c.id = i.contract_id
        where c.state = 'active' and i.due_date < (now() at time zone 'Asia/Shanghai')::date and i.paid_amount < i.amount`),
    ).toBeGreaterThan(0);
  });

  it('puts the contracts in review in the approvers’ inboxes through the approvals engine', async () => {
    const pending = await count(sql`select count(*)::int as n from contracts c
      where c.state = 'in_review' and exists (select 1 from approval_requests r
        where r.doc_type = 'contract' and r.doc_id = c.id::text and r.status = 'pending')`);
    expect(pending).toBe(
      await count(sql`select count(*)::int as n from contracts where state = 'in_review'`),
    );
    expect(pending).toBeGreaterThan(5);
    const finance = await as(t.app, 'finance01');
    const inbox = await finance.get('/approvals?box=pending');
    expect(inbox.statusCode).toBe(200);
    expect(
      (inbox.body.items as { docType: string }[]).filter((i) => i.docType === 'contract').length,
    ).toBeGreaterThan(0);
  });

  it('has about 1,500 quotes, most on opportunities that reached the quotation stage, a third revised', async () => {
    near(await count(sql`select count(*)::int as n from quotes`), QUOTES_DEMO_VOLUMES.quotes);
    const fromOpportunities = await count(sql`select count(*)::int as n from quotes q
      join opportunities o on o.id = q.opportunity_id
      where o.customer_id = q.customer_id and o.owner_id = q.owner_id and q.org_unit_id = o.org_unit_id
        and q.created_at >= o.created_at`);
    expect(fromOpportunities / QUOTES_DEMO_VOLUMES.quotes).toBeGreaterThan(0.8);
    // Made once the opportunity reached the quoting stage (报价; 商务谈判 in 渠道分销), before it closed.
    const inStage =
      await count(sql`select count(*)::int as n from quotes q join opportunities o on o.id = q.opportunity_id
      where q.created_at >= (select min(h.entered_at) from opportunity_stage_history h
          join pipeline_stages s on s.id = h.stage_id
          where h.opportunity_id = o.id and s.name_zh in ('报价', '商务谈判'))
        and (o.closed_at is null or q.created_at <= o.closed_at)`);
    expect(inStage / fromOpportunities).toBeGreaterThan(0.95);
    const revisions = await rows<{ revision: number; n: number }>(
      sql`select revision, count(*)::int as n from quotes group by revision order by revision`,
    );
    const total = revisions.reduce((s, r) => s + r.n, 0);
    const share = (k: number) => (revisions.find((r) => r.revision === k)?.n ?? 0) / total;
    expect(share(2)).toBeGreaterThan(0.22);
    expect(share(2)).toBeLessThan(0.38);
    expect(share(3)).toBeGreaterThan(0.04);
    expect(share(3)).toBeLessThan(0.12);
    expect((await count(sql`select count(*)::int as n from quote_lines`)) / total).toBeGreaterThan(1.5);
    expect(
      await count(sql`select count(*)::int as n from quotes where number !~ '^Q-20[0-9]{2}-[0-9]{6}$'`),
    ).toBe(0);
  });

  it('computes every revision exactly as the service does, and the header mirrors the latest', async () => {
    const lines = await rows<{
      revision_id: string;
      quantity: string;
      list_price: number;
      discount_percent: string;
      tax_rate: string;
      amount: number;
      net_amount: number;
      tax: number;
    }>(sql`select l.revision_id, l.quantity::text, l.list_price::float8 as list_price, l.discount_percent::text,
        l.tax_rate::text, l.amount::float8, l.net_amount::float8, l.tax::float8
      from quote_lines l order by l.revision_id, l.seq`);
    const revisions = await rows<{
      id: string;
      discount_percent: string;
      list_total: number;
      subtotal: number;
      discount_amount: number;
      total: number;
      tax: number;
      total_excl_tax: number;
      effective_discount: string;
    }>(sql`select id, discount_percent::text, list_total::float8, subtotal::float8, discount_amount::float8, total::float8,
        tax::float8, total_excl_tax::float8, effective_discount::text from quote_revisions`);
    const byRevision = new Map<string, typeof lines>();
    for (const l of lines) byRevision.set(l.revision_id, [...(byRevision.get(l.revision_id) ?? []), l]);
    let wrong = 0;
    for (const r of revisions) {
      const own = byRevision.get(r.id) ?? [];
      const t = computeQuote(
        own.map((l) => ({
          quantity: l.quantity,
          listPrice: Number(l.list_price),
          discountPercent: l.discount_percent,
          taxRate: l.tax_rate,
        })),
        r.discount_percent,
      );
      const same =
        own.length > 0 &&
        t.listTotal === Number(r.list_total) &&
        t.subtotal === Number(r.subtotal) &&
        t.discountAmount === Number(r.discount_amount) &&
        t.total === Number(r.total) &&
        t.tax === Number(r.tax) &&
        t.totalExclTax === Number(r.total_excl_tax) &&
        t.effectiveDiscount === r.effective_discount &&
        own.every(
          (l, i) =>
            t.lines[i]!.amount === Number(l.amount) &&
            t.lines[i]!.netAmount === Number(l.net_amount) &&
            t.lines[i]!.tax === Number(l.tax),
        );
      if (!same) wrong++;
    }
    expect(revisions.length).toBeGreaterThan(QUOTES_DEMO_VOLUMES.quotes);
    expect(wrong).toBe(0);
    // Exactly one live revision per quote (the latest); the earlier ones superseded, made before it.
    expect(
      await count(sql`select count(*)::int as n from quotes q where
        (select count(*) from quote_revisions r where r.quote_id = q.id and r.state <> 'superseded') <> 1
        or (select count(*) from quote_revisions r where r.quote_id = q.id) <> q.revision
        or not exists (select 1 from quote_revisions r where r.quote_id = q.id and r.revision = q.revision
          and r.state = q.state and r.valid_until = q.valid_until and r.total = q.total and r.state <> 'superseded')`),
    ).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from quote_revisions a join quote_revisions b
        on b.quote_id = a.quote_id and b.revision = a.revision + 1
        where a.created_at >= b.created_at or a.updated_at > b.created_at`),
    ).toBe(0);
    // Discounts above 5 % only on drafts or with an approval request.
    expect(
      await count(sql`select count(*)::int as n from quote_revisions
        where state <> 'draft' and effective_discount > 5 and approval_request_id is null`),
    ).toBe(0);
  });

  it('keeps quote states consistent with their opportunities and contracts', async () => {
    // Accepted only on won opportunities; won ones with a contract are linked both ways.
    expect(
      await count(sql`select count(*)::int as n from quotes q left join opportunities o on o.id = q.opportunity_id
        where q.state = 'accepted' and (o.status is distinct from 'won')`),
    ).toBe(0);
    expect(await count(sql`select count(*)::int as n from quotes where state = 'accepted'`)).toBeGreaterThan(
      200,
    );
    const linked =
      await count(sql`select count(*)::int as n from quotes q join contracts c on c.id = q.contract_id
      where c.quote_id = q.id and q.state = 'accepted' and c.opportunity_id = q.opportunity_id`);
    expect(linked).toBeGreaterThan(100);
    expect(linked).toBe(
      await count(sql`select count(*)::int as n from quotes where contract_id is not null`),
    );
    expect(linked).toBe(
      await count(sql`select count(*)::int as n from contracts where quote_id is not null`),
    );
    // Lost opportunities: rejected with a reason, or expired (approved or sent, valid until past).
    expect(
      await count(sql`select count(*)::int as n from quotes q join opportunities o on o.id = q.opportunity_id
        join quote_revisions r on r.quote_id = q.id and r.revision = q.revision
        where o.status = 'lost' and not ((q.state = 'rejected' and r.rejection_reason is not null)
          or (q.state in ('approved', 'sent') and q.valid_until < (now() at time zone 'Asia/Shanghai')::date))`),
    ).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from quotes q join opportunities o on o.id = q.opportunity_id
        where o.status = 'open' and q.state not in ('draft', 'pending_approval', 'approved', 'sent')`),
    ).toBe(0);
    // Every sent revision has its e-mail; timestamps follow the states.
    expect(
      await count(sql`select count(*)::int as n from quote_revisions r where r.sent_at is not null
        and not exists (select 1 from quote_sends s where s.revision_id = r.id)`),
    ).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from quote_revisions r where
        (r.state = 'accepted' and r.accepted_at is null) or (r.state = 'rejected' and r.rejected_at is null)
        or (r.state in ('approved', 'sent', 'accepted', 'rejected') and r.approved_at is null)
        or (r.state = 'draft' and r.sent_at is not null) or r.created_at > now()`),
    ).toBe(0);
  });

  it('puts a few quote discounts in the managers’ inboxes through the approvals engine', async () => {
    const pending = await count(sql`select count(*)::int as n from quote_revisions r
      join quotes q on q.id = r.quote_id and q.revision = r.revision
      where r.state = 'pending_approval' and exists (select 1 from approval_requests a
        where a.doc_type = 'quote' and a.doc_id = r.id::text and a.status = 'pending')`);
    expect(pending).toBe(
      await count(sql`select count(*)::int as n from quotes where state = 'pending_approval'`),
    );
    expect(pending).toBeGreaterThan(5);
  });
});

describe('the demo order to cash', () => {
  it('has about 20,000 orders over the history, a share under contracts, in every state', async () => {
    near(await count(sql`select count(*)::int as n from sales_orders`), 20_000, 0.2);
    const states = await rows<{ state: string }>(sql`select distinct state from sales_orders`);
    expect(states.map((s) => s.state).sort()).toEqual(
      ['cancelled', 'completed', 'confirmed', 'draft', 'partially_shipped', 'shipped'].sort(),
    );
    expect(
      await count(sql`select count(*)::int as n from sales_orders where contract_id is not null`),
    ).toBeGreaterThan(1000);
    // Totals are the sum of the rounded lines; shipped never above ordered; state follows shipping.
    expect(
      await count(sql`select count(*)::int as n from sales_orders o
        where o.total <> (select coalesce(sum(l.amount), 0) from sales_order_lines l where l.order_id = o.id)
           or o.tax <> (select coalesce(sum(l.tax), 0) from sales_order_lines l where l.order_id = o.id)`),
    ).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from sales_order_lines l
        where l.shipped_quantity <> (select coalesce(sum(s.quantity), 0) from shipment_lines s where s.order_line_id = l.id)`),
    ).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from sales_orders o where
        (o.state in ('shipped', 'completed') and exists (select 1 from sales_order_lines l where l.order_id = o.id and l.shipped_quantity < l.quantity))
        or (o.state = 'partially_shipped' and not exists (select 1 from sales_order_lines l where l.order_id = o.id and l.shipped_quantity < l.quantity))
        or (o.state in ('draft', 'confirmed', 'cancelled') and exists (select 1 from sales_order_lines l where l.order_id = o.id and l.shipped_quantity > 0))
        or (o.state = 'completed' and exists (select 1 from shipments s where s.order_id = o.id and s.state <> 'delivered'))`),
    ).toBe(0);
    // Under a contract: Σ orders ≤ the contract amount.
    expect(
      await count(sql`select count(*)::int as n from contracts c
        where (select coalesce(sum(o.total), 0) from sales_orders o where o.contract_id = c.id and o.state <> 'cancelled') > c.amount`),
    ).toBe(0);
  });

  it('ships every sale from the ledger: each issue belongs to a shipment line, and stock reserved is what open orders hold', async () => {
    expect(
      await count(
        sql`select count(*)::int as n from stock_movements where kind = 'issue' and source_type <> 'shipment' and reverses_id is null`,
      ),
    ).toBe(0);
    // Per shipment and product, Σ issue movements = − Σ shipment lines.
    expect(
      await count(sql`select count(*)::int as n from (
        select coalesce(m.sid, s.sid) as sid from
          (select source_id as sid, product_id as pid, sum(quantity) as q from stock_movements where source_type = 'shipment' group by 1, 2) m
          full join (select sh.id as sid, l.product_id as pid, sum(l.quantity) as q from shipment_lines l join shipments sh on sh.id = l.shipment_id
                     where sh.state in ('posted', 'delivered') group by 1, 2) s on s.sid = m.sid and s.pid = m.pid
        where m.q is null or s.q is null or m.q <> -s.q) x`),
    ).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from stock_lot_levels l
        where l.on_hand <> (select coalesce(sum(m.quantity), 0) from stock_movements m where m.warehouse_id = l.warehouse_id and m.lot_id = l.lot_id)
           or l.on_hand < 0`),
    ).toBe(0);
    // Confirmed and partially shipped orders hold an active reservation for what is open.
    expect(
      await count(sql`select count(*)::int as n from sales_order_lines l join sales_orders o on o.id = l.order_id
        where o.state in ('confirmed', 'partially_shipped') and l.shipped_quantity < l.quantity
          and not exists (select 1 from stock_reservations r where r.key = 'SO-LINE:' || l.id and r.status = 'active'
                          and r.quantity = l.quantity - l.shipped_quantity)`),
    ).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from shipments where state = 'delivered'`),
    ).toBeGreaterThan(await count(sql`select count(*)::int as n from shipments where state = 'posted'`));
  });

  it('invoices direct orders by line and contracts by installment, paid oldest first', async () => {
    expect(
      await count(sql`select count(*)::int as n from invoices i
        where i.total <> (select sum(l.amount) from invoice_lines l where l.invoice_id = i.id)
           or i.tax_total <> (select sum(l.tax_amount) from invoice_lines l where l.invoice_id = i.id)
           or i.paid_amount <> (select coalesce(sum(a.amount), 0) from payment_allocations a where a.invoice_id = i.id)
           or i.credited_amount <> (select coalesce(sum(c.total), 0) from credit_notes c where c.invoice_id = i.id)
           or i.paid_amount + i.credited_amount > i.total`),
    ).toBe(0);
    // No order line of a contract order is invoiced; installments are, once each.
    expect(
      await count(sql`select count(*)::int as n from invoice_lines l join sales_order_lines ol on ol.id = l.source_id
        join sales_orders o on o.id = ol.order_id where l.source_type = 'sales_order_line' and o.contract_id is not null`),
    ).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from invoice_lines l where l.source_type = 'contract'`),
    ).toBeGreaterThan(500);
    expect(
      await count(sql`select count(*)::int as n from sales_orders o where o.invoiced_amount <>
        (select coalesce(sum(i.total - i.credited_amount), 0) from invoices i where i.order_id = o.id and i.state <> 'void')`),
    ).toBe(0);
    for (const state of ['void', 'issued', 'partially_paid', 'paid'])
      expect(
        await count(sql`select count(*)::int as n from invoices where state = ${state}`),
      ).toBeGreaterThan(0);
    expect(await count(sql`select count(*)::int as n from credit_notes`)).toBeGreaterThan(0);
    // Payment = Σ allocations + unapplied (≥ 0); a few carry an unapplied remainder.
    expect(
      await count(sql`select count(*)::int as n from payments p
        where p.amount < (select coalesce(sum(a.amount), 0) from payment_allocations a where a.payment_id = p.id)`),
    ).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from payments p
        where p.amount > (select coalesce(sum(a.amount), 0) from payment_allocations a where a.payment_id = p.id)`),
    ).toBeGreaterThan(0);
    // Numbering continues after the demo: every counter is at least the highest number used.
    for (const [docType, table] of [
      ['sales_order', 'sales_orders'],
      ['shipment', 'shipments'],
      ['invoice', 'invoices'],
      ['credit_note', 'credit_notes'],
      ['payment', 'payments'],
    ] as const) {
      expect(
        await count(sql`select count(*)::int as n from (select split_part(number, '-', 2)::int as y, max(split_part(number, '-', 3)::int) as m
          from ${sql.raw(table)} group by 1) x
          where x.m > coalesce((select last_value from number_sequences s where s.doc_type = ${docType} and s.year = x.y), 0)`),
      ).toBe(0);
    }
  });

  it('balances customers as the receivables service does, with money in every aging bucket', async () => {
    const sample = await rows<{ id: string }>(
      sql`select distinct customer_id as id from invoices order by customer_id limit 25`,
    );
    const { balanceOf } = await import('../modules/orders/receivables/items.js');
    for (const { id } of sample) {
      const [expected] = await rows<{ n: number }>(sql`select (
          coalesce((select sum(total) from invoices where customer_id = ${id}::uuid and state <> 'void' and state <> 'draft'), 0)
        + coalesce((select sum(ci.amount) from contract_installments ci join contracts c on c.id = ci.contract_id
             where c.customer_id = ${id}::uuid and c.state in ('active', 'completed')
               and not exists (select 1 from invoice_lines l join invoices v on v.id = l.invoice_id
                               where l.source_type = 'contract' and l.source_id = ci.id
                                 and v.state in ('issued', 'partially_paid', 'paid'))), 0)
        - coalesce((select sum(cn.total) from credit_notes cn where cn.customer_id = ${id}::uuid), 0)
        - coalesce((select sum(amount) from payments where customer_id = ${id}::uuid), 0))::bigint as n`);
      expect(await balanceOf(db(), id)).toBe(Number(expected!.n));
    }
    const director = await as(t.app, 'director');
    const res = await director.get('/api/v1/receivables/aging?by=customer');
    expect(res.statusCode).toBe(200);
    const totals = res.json().totals as Record<string, number>;
    for (const bucket of ['notDue', 'd1_30', 'd31_60', 'd61_90', 'over90'])
      expect(totals[bucket] ?? 0).toBeGreaterThan(0);
  });

  it('gives every installment the paid amount the payments service would, so the contract ledger is right', async () => {
    const paid = sql`select id, paid_amount from contract_installments order by id`;
    const before = await rows<{ id: string; paid_amount: number }>(paid);
    expect(before.filter((i) => Number(i.paid_amount) > 0).length).toBeGreaterThan(100);
    const { syncInstallmentsPaid } = await import('../modules/orders/receivables/invoice-port.js');
    await withTx(db(), (tx) => syncInstallmentsPaid(tx, 'all'));
    expect(await rows(paid)).toEqual(before);
  });
});

describe('the demo targets', () => {
  const planOf = async (year: number) =>
    (await rows<{ id: string }>(sql`select id from target_plans where fiscal_year = ${year}`))[0]!.id;
  const thisYear = () => Number(dayIn('Asia/Shanghai', new Date()).slice(0, 4));

  it('has last year’s and this year’s booked-revenue plans, published down to reps and months, every level summing exactly', async () => {
    const plans = await rows<{ fiscal_year: number; metric: string }>(
      sql`select fiscal_year, metric from target_plans order by fiscal_year`,
    );
    expect(plans).toEqual([
      { fiscal_year: thisYear() - 1, metric: 'booked_revenue' },
      { fiscal_year: thisYear(), metric: 'booked_revenue' },
    ]);
    expect(await count(sql`select count(*)::int as n from target_nodes where state <> 'published'`)).toBe(0);
    // Every node with children: Σ children = the node, all children of one split kind.
    expect(
      await count(sql`select count(*)::int as n from target_nodes p
        where exists (select 1 from target_nodes c where c.parent_id = p.id)
          and (p.amount <> (select sum(c.amount) from target_nodes c where c.parent_id = p.id)
            or (p.child_split = 'period') <> (select bool_and(c.period_kind <> p.period_kind) from target_nodes c where c.parent_id = p.id))`),
    ).toBe(0);
    // Company → 4 regions → 8 teams → 24 reps, each rep to 12 months, in both plans.
    const shape = await rows<{ dimension: string; period_kind: string; n: number }>(
      sql`select dimension, period_kind, count(*)::int as n from target_nodes
        where plan_id = ${await planOf(thisYear())} group by 1, 2 order by 1, 2`,
    );
    expect(shape).toEqual([
      { dimension: 'company', period_kind: 'year', n: 1 },
      { dimension: 'org_unit', period_kind: 'year', n: 12 },
      { dimension: 'rep', period_kind: 'month', n: 24 * 12 },
      { dimension: 'rep', period_kind: 'year', n: 24 },
    ]);
  });

  it('sends every region head, team lead and rep an agreement: signed, except two reps still waiting in their inboxes', async () => {
    // One agreement per dimension node below the company, addressed to its owner.
    expect(
      await count(sql`select count(*)::int as n from target_nodes n
        where n.dimension <> 'company' and n.period_kind = 'year'
          and (select count(*) from target_agreements a where a.node_id = n.id and a.owner_id = n.owner_id and a.amount = n.amount) <> 1`),
    ).toBe(0);
    const states = await rows<{ fiscal_year: number; state: string; n: number }>(
      sql`select p.fiscal_year, a.state, count(*)::int as n from target_agreements a
        join target_plans p on p.id = a.plan_id group by 1, 2 order by 1, 2`,
    );
    expect(states).toEqual([
      { fiscal_year: thisYear() - 1, state: 'signed', n: 36 },
      { fiscal_year: thisYear(), state: 'sent', n: 2 },
      { fiscal_year: thisYear(), state: 'signed', n: 34 },
    ]);
    // The waiting ones went through the approvals engine: the rep signs from the inbox.
    const [waiting] = await rows<{ id: string; username: string; lead: string }>(
      sql`select a.id, u.username, s.username as lead from target_agreements a
        join users u on u.id = a.owner_id join users s on s.id = a.sent_by
        where a.state = 'sent' order by a.number limit 1`,
    );
    const rep = await as(t.app, waiting!.username);
    const mine = await rep.get(`/target-agreements/${waiting!.id}`);
    expect(mine.statusCode, mine.payload).toBe(200);
    expect(mine.body).toMatchObject({ state: 'sent', canSign: true });
    const inbox = await rep.get('/approvals?box=pending');
    expect(inbox.statusCode, inbox.payload).toBe(200);
    expect(JSON.stringify(inbox.body)).toContain('目标责任书');
    // Their team lead sees the statuses of the team's agreements.
    const lead = await as(t.app, waiting!.lead);
    const team = await lead.get(`/target-agreements?planId=${await planOf(thisYear())}&limit=100`);
    expect(team.statusCode, team.payload).toBe(200);
    const teamStates = (team.body as { items: { state: string }[] }).items.map((a) => a.state);
    expect(teamStates).toContain('sent');
    expect(teamStates).toContain('signed');
  });

  it('set last year’s region targets within 10 % of what the regions booked', async () => {
    const regions = await rows<{ name: string; target: string; actual: string }>(
      sql`select u.name, n.amount::text as target,
          (select coalesce(sum(o.total), 0) from sales_orders o join org_units ou on ou.id = o.org_unit_id
            where ou.path like u.path || '%'
              and o.state in ('confirmed', 'partially_shipped', 'shipped', 'completed')
              and (o.confirmed_at at time zone 'Asia/Shanghai')::date between n.period_start and n.period_end)::text as actual
        from target_nodes n join org_units u on u.id = n.dimension_id
        where n.plan_id = ${await planOf(thisYear() - 1)} and u.kind = 'region' and n.period_kind = 'year'`,
    );
    expect(regions).toHaveLength(4);
    for (const r of regions) near(Number(r.target), Number(r.actual));
  });

  it('shows 华东 ahead of this year’s pace and 西南 behind it, through the attainment service', async () => {
    // The demo builds the sales facts roll-up as it loads: a full rebuild changes nothing.
    const before = await rows(sql`select * from sales_facts_daily order by 1, 2, 3, 4, 5, 6, 7, 8, 9`);
    expect(before.length).toBeGreaterThan(1000);
    await refreshFacts(db(), { full: true });
    expect(await rows(sql`select * from sales_facts_daily order by 1, 2, 3, 4, 5, 6, 7, 8, 9`)).toEqual(
      before,
    );
    const director = await as(t.app, 'director');
    const res = await director.get(`/target-plans/${await planOf(thisYear())}/attainment`);
    expect(res.statusCode, res.payload).toBe(200);
    const items = (
      res.body as {
        items: {
          label: string;
          dimension: string;
          periodKind: string;
          pacePercent: string | null;
          status: string;
        }[];
      }
    ).items;
    const region = (label: string) =>
      items.find((i) => i.label === label && i.dimension === 'org_unit' && i.periodKind === 'year')!;
    expect(Number(region('华东').pacePercent)).toBeGreaterThanOrEqual(100);
    expect(region('华东').status).toBe('green');
    expect(Number(region('西南').pacePercent)).toBeLessThan(85);
    expect(region('西南').status).toBe('red');
  });

  it('reports every attainment figure of both plans exactly as an independent SQL over the demo orders works it out', async () => {
    // The done-when of issue 8: each target's actual straight from the orders (booked = confirmed
    // and not cancelled, on its day in the company time zone; a unit with its whole subtree; a rep
    // by owner), and the figures from it in integer arithmetic — nothing shared with the services.
    const director = await as(t.app, 'director');
    const [settings] = await rows<{ green: number; amber: number }>(
      sql`select green_percent as green, amber_percent as amber from attainment_settings`,
    );
    const green = settings?.green ?? 100;
    const amber = settings?.amber ?? 85;
    type Expected = {
      id: string;
      plan_id: string;
      target: string;
      actual: string;
      gap: string;
      total_days: number;
      elapsed_days: number;
      expected: string;
      projection: string | null;
      required: string | null;
      attainment: string | null;
      pace: string | null;
      status: string;
    };
    const expected = await rows<Expected>(sql`
      with today as (select (now() at time zone 'Asia/Shanghai')::date as d),
      booked as (
        select timezone('Asia/Shanghai', o.confirmed_at)::date as day, o.owner_id, o.org_unit_id, sum(o.total) as v
        from sales_orders o where o.state in ('confirmed', 'partially_shipped', 'shipped', 'completed')
        group by 1, 2, 3),
      within as (select s.id as unit_id, top.id as top_id from org_units s join org_units top on s.path like top.path || '%'),
      actuals as (
        select n.id, coalesce((select sum(b.v) from booked b where b.day between n.period_start and n.period_end), 0) as actual
          from target_nodes n where n.dimension = 'company'
        union all
        select n.id, coalesce((select sum(b.v) from booked b join within w on w.unit_id = b.org_unit_id
          where w.top_id = n.dimension_id and b.day between n.period_start and n.period_end), 0)
          from target_nodes n where n.dimension = 'org_unit'
        union all
        select n.id, coalesce((select sum(b.v) from booked b
          where b.owner_id = n.dimension_id and b.day between n.period_start and n.period_end), 0)
          from target_nodes n where n.dimension = 'rep'),
      days as (
        select n.id, n.plan_id, n.amount::bigint as t, a.actual::bigint as a, (n.period_end - n.period_start + 1)::bigint as total,
          (case when today.d < n.period_start then 0 when today.d > n.period_end then n.period_end - n.period_start + 1
            else today.d - n.period_start + 1 end)::bigint as elapsed
        from target_nodes n join actuals a on a.id = n.id cross join today),
      figures as (select *, (t * elapsed * 2 + total) / (2 * total) as e from days)
      select id::text, plan_id::text, t::text as target, a::text as actual, (t - a)::text as gap,
        total::int as total_days, elapsed::int as elapsed_days, e::text as expected,
        case when elapsed = 0 then null else ((a * total * 2 + elapsed) / (2 * elapsed))::text end as projection,
        case when total = elapsed then null when t <= a then '0' else ((t - a + (total - elapsed) - 1) / (total - elapsed))::text end as required,
        case when t = 0 then null else ((a * 2000 + t) / (2 * t) / 10)::text || '.' || ((a * 2000 + t) / (2 * t) % 10)::text end as attainment,
        case when elapsed = 0 or e = 0 then null else ((a * 2000 + e) / (2 * e) / 10)::text || '.' || ((a * 2000 + e) / (2 * e) % 10)::text end as pace,
        case when elapsed = 0 then 'not_started' when t = 0 then 'green' when a * 100 >= e * ${green} then 'green'
          when a * 100 >= e * ${amber} then 'amber' else 'red' end as status
      from figures`);
    expect(expected.length).toBe(2 * (1 + 12 + 24 + 24 * 12));
    const byId = new Map(expected.map((e) => [e.id, e]));
    const reported = async (client: Client, planId: string) => {
      const res = await client.get(`/target-plans/${planId}/attainment`);
      expect(res.statusCode, res.payload).toBe(200);
      return (res.body as { items: Record<string, string | number | null>[] }).items;
    };
    const same = (f: Record<string, string | number | null>) => {
      const e = byId.get(f.nodeId as string)!;
      const n = (v: string | null) => (v === null ? null : Number(v));
      expect(
        {
          target: f.target,
          actual: f.actual,
          gap: f.gap,
          totalDays: f.totalDays,
          elapsedDays: f.elapsedDays,
          expectedToDate: f.expectedToDate,
          projection: f.projection,
          requiredDailyRate: f.requiredDailyRate,
          attainmentPercent: f.attainmentPercent,
          pacePercent: f.pacePercent,
          status: f.status,
        },
        `${f.label} ${f.periodKey}`,
      ).toEqual({
        target: Number(e.target),
        actual: Number(e.actual),
        gap: Number(e.gap),
        totalDays: e.total_days,
        elapsedDays: e.elapsed_days,
        expectedToDate: Number(e.expected),
        projection: n(e.projection),
        requiredDailyRate: n(e.required),
        attainmentPercent: e.attainment,
        pacePercent: e.pace,
        status: e.status,
      });
    };
    let checked = 0;
    for (const year of [thisYear() - 1, thisYear()]) {
      const items = await reported(director, await planOf(year));
      for (const f of items) same(f);
      checked += items.length;
    }
    expect(checked).toBe(expected.length);
    // The demo story holds in the figures: some targets green, some red, last year's all over.
    const statuses = new Set(expected.map((e) => e.status));
    expect(statuses).toContain('green');
    expect(statuses).toContain('red');
    // A rep reads their own targets with the same figures, and nobody else's.
    const rep = await as(t.app, 'rep01');
    const [rep01Id] = await rows<{ id: string }>(sql`select id::text from users where username = 'rep01'`);
    const own = await reported(rep, await planOf(thisYear()));
    expect(own.length).toBe(1 + 12);
    for (const f of own) {
      expect(f.dimension).toBe('rep');
      expect(f.dimensionId).toBe(rep01Id!.id);
      same(f);
    }
    // The director's dashboard shows the same attainment for each region and each rep this year.
    const res = await director.get('/dashboards/director?period=year');
    expect(res.statusCode, res.payload).toBe(200);
    type W = { key: string; rows: { key: string; values: Record<string, string | null> }[] };
    const widget = (key: string) => (res.body as { widgets: W[] }).widgets.find((w) => w.key === key)!;
    const yearNodes = await rows<{ id: string; dimension_id: string }>(sql`select id::text, dimension_id::text
      from target_nodes where plan_id = ${await planOf(thisYear())} and period_kind = 'year' and dimension in ('org_unit', 'rep')`);
    const shown = [...widget('regionAttainment').rows, ...widget('leaderboard').rows];
    let onDashboard = 0;
    for (const node of yearNodes) {
      const row = shown.find((r) => r.key === node.dimension_id);
      if (!row) continue;
      const e = byId.get(node.id)!;
      expect(row.values, node.dimension_id).toMatchObject({ actual: e.actual, target: e.target });
      // The dashboard drops a trailing ".0" ('115' for '115.0').
      expect(Number(row.values.attainment), node.dimension_id).toBe(Number(e.attainment));
      onDashboard++;
    }
    expect(onDashboard).toBe(4 + 24);
  });

  it('shows the director’s and a manager’s receivables aging on their dashboards as the aging report totals it', async () => {
    for (const [username, role] of [
      ['director', 'director'],
      ['manager01', 'manager'],
    ] as const) {
      const client = await as(t.app, username);
      const report = await client.get('/receivables/aging?by=team&limit=1');
      expect(report.statusCode, report.payload).toBe(200);
      const totals = report.body.totals as Record<string, number>;
      const res = await client.get(`/dashboards/${role}?period=year`);
      expect(res.statusCode, res.payload).toBe(200);
      const widget = (
        res.body as { widgets: { key: string; rows: { key: string; values: { amount: string } }[] }[] }
      ).widgets.find((w) => w.key === 'aging')!;
      const shown = Object.fromEntries(widget.rows.map((r) => [r.key, Number(r.values.amount)]));
      expect(shown, username).toEqual({
        notDue: totals.notDue,
        d1_30: totals.d1_30,
        d31_60: totals.d31_60,
        d61_90: totals.d61_90,
        over90: totals.over90,
      });
      expect(totals.over90, username).toBeGreaterThan(0);
    }
  });

  it('gives the director’s dashboard a target for every region and every rep this year', async () => {
    const director = await as(t.app, 'director');
    const res = await director.get('/dashboards/director?period=year');
    expect(res.statusCode, res.payload).toBe(200);
    type W = { key: string; rows: { key: string; label: string; values: Record<string, string | null> }[] };
    const widget = (key: string) => (res.body as { widgets: W[] }).widgets.find((w) => w.key === key)!;
    const regions = widget('regionAttainment').rows.filter((r) =>
      ['华东', '华南', '华北', '西南'].includes(r.label),
    );
    expect(regions).toHaveLength(4);
    for (const r of regions) expect(Number(r.values.target)).toBeGreaterThan(0);
    const reps = await rows<{ id: string }>(sql`select dimension_id::text as id from target_nodes
      where plan_id = ${await planOf(thisYear())} and dimension = 'rep' and period_kind = 'year'`);
    const board = widget('leaderboard').rows;
    for (const r of reps) expect(Number(board.find((b) => b.key === r.id)?.values.target)).toBeGreaterThan(0);
    // The revenue trend has the company's target for every month: the reps' months summed up the
    // tree (the company is split by region, so it has no months of its own), adding up to its target.
    const trend = widget('revenueTrend').rows;
    expect(trend).toHaveLength(12);
    for (const m of trend) expect(Number(m.values.target), m.key).toBeGreaterThan(0);
    const [root] = await rows<{ amount: string }>(sql`select amount::text from target_nodes
      where plan_id = ${await planOf(thisYear())} and parent_id is null`);
    expect(trend.reduce((a, m) => a + BigInt(m.values.target!), 0n)).toBe(BigInt(root!.amount));
  });
});

describe('the demo forecast', () => {
  const today = () => dayIn('Asia/Shanghai', new Date());
  const reps = () =>
    rows<{ id: string }>(sql`select u.id::text from users u join user_roles ur on ur.user_id = u.id
      join roles r on r.id = ur.role_id where r.key = 'rep' and u.status = 'active'`);

  it('has every rep’s commit for each month of this year so far and the next two, best case never below the commit', async () => {
    const current = today().slice(0, 7);
    const repIds = (await reps()).map((r) => r.id).sort();
    expect(repIds.length).toBe(24);
    const perMonth = await rows<{ month: string; owners: string[] }>(sql`
      select month, array_agg(owner_id::text order by owner_id::text) as owners from forecast_commits
      group by month order by month`);
    expect(perMonth.map((m) => m.month)).toEqual(
      monthRange(`${current.slice(0, 4)}-01`, addMonths(current, 2)),
    );
    for (const m of perMonth) expect([...m.owners].sort(), m.month).toEqual(repIds);
    expect(
      await count(sql`select count(*)::int as n from forecast_commits
        where best_case_amount < commit_amount or commit_amount < 0
           or coalesce(adjusted_best_case_amount, best_case_amount) < coalesce(adjusted_commit_amount, commit_amount)
           or org_unit_id <> (select org_unit_id from users where id = owner_id)`),
    ).toBe(0);
    // The director's view of this month: every rep, open, and the totals are the effective figures.
    const director = await as(t.app, 'director');
    const month = await director.get(`/forecast-commits?month=${current}`);
    expect(month.statusCode, month.payload).toBe(200);
    expect(month.body.open).toBe(true);
    expect(month.body.items).toHaveLength(24);
    const [sums] = await rows<{ commit: string; best: string }>(sql`
      select sum(coalesce(adjusted_commit_amount, commit_amount))::text as commit,
        sum(coalesce(adjusted_best_case_amount, best_case_amount))::text as best
      from forecast_commits where month = ${current}`);
    expect(String(month.body.totalCommit)).toBe(sums!.commit);
    expect(String(month.body.totalBestCase)).toBe(sums!.best);
    expect(Number(sums!.commit)).toBeGreaterThan(0);
  });

  it('keeps every revision and the leads’ adjustments in the commit’s history, and closes ended months', async () => {
    const current = today().slice(0, 7);
    expect(
      await count(sql`select count(*)::int as n from forecast_commits where version > 1`),
    ).toBeGreaterThan(50);
    // Adjustments: a lead of the rep's team, with a reason, on this month.
    const adjusted = await rows<{ id: string; version: number; lead: boolean }>(sql`
      select f.id::text, f.version, (u.org_unit_id = f.org_unit_id and f.adjusted_by <> f.owner_id) as lead
      from forecast_commits f join users u on u.id = f.adjusted_by
      where f.adjusted_by is not null and f.month = ${current} and f.adjustment_note <> ''`);
    expect(adjusted.length).toBeGreaterThanOrEqual(3);
    expect(adjusted.every((a) => a.lead)).toBe(true);
    // The history is the audit log: one row per submission and adjustment, as many as the version.
    const director = await as(t.app, 'director');
    const [most] = [...adjusted].sort((a, b) => b.version - a.version);
    const history = await director.get(`/forecast-commits/${most!.id}/history`);
    expect(history.statusCode, history.payload).toBe(200);
    const actions = (history.body.items as { action: string }[]).map((h) => h.action);
    expect(actions).toHaveLength(most!.version);
    expect(actions[0]).toBe('adjust');
    expect(actions.slice(1).every((a) => a === 'submit')).toBe(true);
    expect(
      await count(sql`select count(*)::int as n from forecast_commits f
        where f.version <> (select count(*) from audit_log a where a.entity = 'forecast_commit' and a.entity_id = f.id::text)`),
    ).toBe(0);
    // An ended month is closed: shown closed, and its commit can no longer be revised.
    if (current.endsWith('-01')) return;
    const previous = addMonths(current, -1);
    const list = await rep01.get(`/forecast-commits?month=${previous}&view=mine`);
    expect(list.statusCode, list.payload).toBe(200);
    expect(list.body.open).toBe(false);
    const [mine] = list.body.items as { id: string; open: boolean; version: number; commitAmount: number }[];
    expect(mine!.open).toBe(false);
    const revise = await rep01.put(`/forecast-commits/mine/${previous}`, {
      commitAmount: mine!.commitAmount + 100_000,
      bestCaseAmount: mine!.commitAmount + 200_000,
      note: '',
      version: mine!.version,
    });
    expect(revise.statusCode).toBe(409);
    expect(revise.body.code).toBe('forecast_month_closed');
    expect((await rep01.get(`/forecast-commits/${mine!.id}`)).body.version).toBe(mine!.version);
  });

  it('covers the rest of the year’s target with the weighted pipeline about 1.5 to 4 times, for the company and each region', async () => {
    // The window: this month to the end of the year, at most three months (the pipeline looks about a
    // quarter ahead). In the last days of December almost nothing remains and coverage says little.
    const day = today();
    const current = day.slice(0, 7);
    if (current.endsWith('-12') && Number(day.slice(8)) > 20) return;
    const last = [addMonths(current, 2), `${day.slice(0, 4)}-12`].sort()[0]!;
    const from = `${current}-01`;
    const to = `${last}-31`;
    // Independent of the services: targets from the reps' month nodes, booked orders, open deals.
    const figures = await rows<{
      id: string | null;
      name: string;
      target: string;
      this_month: string;
      actual: string;
      weighted: string;
    }>(sql`
      with units as (
        select top.id, top.name, sub.id as unit_id from org_units top join org_units sub on sub.path like top.path || '%'
        where top.name in ('华东', '华南', '华北', '西南')
        union all select null, '公司', id from org_units)
      select u.id::text, u.name,
        (select coalesce(sum(n.amount), 0) from target_nodes n join target_plans p on p.id = n.plan_id
          where n.dimension = 'rep' and n.period_kind = 'month' and n.state = 'published'
            and p.metric = 'booked_revenue' and n.period_start between ${from}::date and ${to}::date
            and n.org_unit_id in (select unit_id from units x where x.name = u.name))::text as target,
        (select coalesce(sum(n.amount), 0) from target_nodes n join target_plans p on p.id = n.plan_id
          where n.dimension = 'rep' and n.period_kind = 'month' and n.state = 'published'
            and p.metric = 'booked_revenue' and n.period_start = ${from}::date
            and n.org_unit_id in (select unit_id from units x where x.name = u.name))::text as this_month,
        (select coalesce(sum(o.total), 0) from sales_orders o
          where o.state in ('confirmed', 'partially_shipped', 'shipped', 'completed')
            and timezone('Asia/Shanghai', o.confirmed_at)::date between ${from}::date and ${to}::date
            and o.org_unit_id in (select unit_id from units x where x.name = u.name))::text as actual,
        (select coalesce(sum((o.amount * o.probability + 50) / 100), 0) from opportunities o
          where o.status = 'open' and o.forecast_category <> 'closed'
            and o.expected_close_date between ${from}::date and ${to}::date
            and o.org_unit_id in (select unit_id from units x where x.name = u.name))::text as weighted
      from (select distinct id, name from units) u order by u.name`);
    expect(figures).toHaveLength(5);
    // Only this month has bookings so far; a month's remaining target is never below zero.
    const coverage = (f: (typeof figures)[number]) => {
      const thisMonth = BigInt(f.this_month) - BigInt(f.actual);
      const remaining = BigInt(f.target) - BigInt(f.this_month) + (thisMonth > 0n ? thisMonth : 0n);
      return remaining > 0n ? Number((BigInt(f.weighted) * 100n + remaining / 2n) / remaining) : null;
    };
    const director = await as(t.app, 'director');
    for (const f of figures) {
      const percent = coverage(f);
      if (f.id === null) {
        expect(percent, f.name).toBeGreaterThanOrEqual(150);
        expect(percent, f.name).toBeLessThanOrEqual(400);
      } else {
        // A region behind its pace has more left to cover, one ahead less: a wider band.
        expect(percent, f.name).toBeGreaterThanOrEqual(100);
        expect(percent, f.name).toBeLessThanOrEqual(450);
      }
      // The forecast page shows the same coverage for the window.
      const res = await director.get(
        `/forecast/vs-target?from=${current}&to=${last}${f.id ? `&orgUnitId=${f.id}` : ''}`,
      );
      expect(res.statusCode, res.payload).toBe(200);
      expect(res.body.total.coveragePercent, f.name).toBe(percent);
    }
  });
});
