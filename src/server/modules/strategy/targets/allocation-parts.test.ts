import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.js';
import { auditLog } from '../../../platform/audit/schema.js';
import { runDueJobs } from '../../../platform/jobs/jobs.js';
import { dayIn } from '../../../platform/settings/settings.service.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { makeCustomer } from '../../customers/activities.fixtures.js';
import { productCategories, products } from '../../orders/catalog/schema.js';
import { makeSellable } from '../../orders/sales-orders/sales-orders.fixtures.js';
import { makeWarehouse, receive } from '../../orders/stock/stock.fixtures.js';
import { users } from '../../org/schema.js';
import { targetAgreements, targetNodes } from './schema.js';

// Issue 8, items 1–2: a team lead splits a rep's target by product category after last year's
// sales of that rep, and another rep's by key account; their attainment comes from the orders of
// that rep only. And the bottom-up way: a manager enters the reps' amounts first and rolls them up.

let t: TestApp;
let admin: Client;
let director: Client;
let manager01: Client; // 华东 region
let manager02: Client; // 华东一组 team lead
const db = () => t.database.db;
const today = () => dayIn('Asia/Shanghai', new Date());
const year = () => Number(today().slice(0, 4));

interface Node {
  id: string;
  parentId: string | null;
  label: string;
  dimension: string;
  dimensionId: string | null;
  amount: number;
  version: number;
  state: string;
  childrenSum: number | null;
  gap: number | null;
  agreement: { state: string } | null;
  locked: boolean;
}

const userId = async (username: string) =>
  (await db().select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;
const nodeCount = async () => (await db().select({ n: count() }).from(targetNodes))[0]!.n;
const categories: Record<'vehicles' | 'parts' | 'services', string> = {
  vehicles: '',
  parts: '',
  services: '',
};
const customers: Record<'x' | 'y' | 'z', string> = { x: '', y: '', z: '' };

/** Books an order of `username` for `customerId`; `lastYear` moves its confirmation a year back. */
async function book(
  username: string,
  customerId: string,
  lines: { productId: string; quantity: string }[],
  lastYear = false,
) {
  const client = await as(t.app, username);
  const created = await client.post('/sales-orders', { customerId, lines });
  expect(created.statusCode, created.payload).toBe(201);
  const ok = await client.post(`/sales-orders/${created.body.id}/confirm`, { version: created.body.version });
  expect(ok.statusCode, ok.payload).toBe(200);
  if (lastYear)
    await db().execute(
      sql`update sales_orders set confirmed_at = confirmed_at - interval '1 year' where id = ${created.body.id}`,
    );
}

/**
 * Booked revenue of one rep in a top-level category (with its subcategories) or with one customer,
 * over [start, end] in the company time zone: straight from the order lines, no shared code.
 */
async function bookedBy(
  repId: string,
  start: string,
  end: string,
  of: { categoryId?: string; customerId?: string },
): Promise<bigint> {
  const category = of.categoryId
    ? sql`and p.category_id in (with recursive sub as (select id from product_categories where id = ${of.categoryId}
        union all select c.id from product_categories c join sub on c.parent_id = sub.id) select id from sub)`
    : sql``;
  const customer = of.customerId ? sql`and o.customer_id = ${of.customerId}` : sql``;
  const [row] = await queryRows<{ v: string }>(
    db(),
    sql`select coalesce(sum(l.amount), 0)::text v from sales_order_lines l
      join sales_orders o on o.id = l.order_id join products p on p.id = l.product_id
      where o.state in ('confirmed', 'partially_shipped', 'shipped', 'completed') and o.owner_id = ${repId}
        and timezone('Asia/Shanghai', o.confirmed_at)::date between ${start}::date and ${end}::date
        ${category} ${customer}`,
  );
  return BigInt(row!.v);
}

/** Each part is within one fen of its exact share of the parent, and they add up to it. */
function expectProportional(parent: number, amounts: number[], weights: bigint[]) {
  const total = weights.reduce((a, b) => a + b, 0n);
  expect(amounts.reduce((a, b) => a + b, 0)).toBe(parent);
  amounts.forEach((amount, i) => {
    // |amount × Σw − parent × w| < Σw, in integers.
    const diff = BigInt(amount) * total - BigInt(parent) * weights[i]!;
    expect(diff < total && -diff < total, `part ${i}: ${amount}`).toBe(true);
  });
}

/** `client` splits `node` as `how` asks; the split must be accepted. */
async function allocate(client: Client, node: Pick<Node, 'id' | 'version'>, how: Record<string, unknown>) {
  const res = await client.post(`/target-nodes/${node.id}/allocate`, { ...how, version: node.version });
  expect(res.statusCode, res.payload).toBe(200);
  return res.body as { parent: Node; children: Node[]; fellBackToEven: boolean };
}

let planId: string;
const nodesOf = async (client: Client): Promise<Node[]> => {
  const res = await client.get(`/target-plans/${planId}`);
  expect(res.statusCode, res.payload).toBe(200);
  return res.body.nodes;
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  director = await as(t.app, 'director');
  manager01 = await as(t.app, 'manager01');
  manager02 = await as(t.app, 'manager02');
  // The catalog: 整车 (with 轻卡 below it), 配件, and 服务, which sold nothing last year.
  const cat = async (code: string, name: string, parentId: string | null, sortOrder: number) =>
    (await db().insert(productCategories).values({ code, name, parentId, sortOrder }).returning())[0]!.id;
  categories.vehicles = await cat('TP-VEH', '整车', null, 1);
  const light = await cat('TP-VEH-L', '轻卡', categories.vehicles, 1);
  categories.parts = await cat('TP-PAR', '配件', null, 2);
  categories.services = await cat('TP-SRV', '服务', null, 3);
  const truck = await makeSellable(db(), { name: '星辰轻卡 A1', listPrice: 2_345_678, uom: '辆' });
  const filter = await makeSellable(db(), { name: '机油滤清器', listPrice: 12_345, uom: '个' });
  await db().update(products).set({ categoryId: light }).where(eq(products.id, truck.id));
  await db().update(products).set({ categoryId: categories.parts }).where(eq(products.id, filter.id));
  const warehouseId = (await makeWarehouse(db(), { code: 'TP-SH', name: '目标测试仓' })).id;
  await receive(db(), warehouseId, truck.id, '100');
  await receive(db(), warehouseId, filter.id, '1000');

  customers.x = (await makeCustomer(db(), { name: '目标测试客户甲', owner: 'rep01' })).id;
  customers.y = (await makeCustomer(db(), { name: '目标测试客户乙', owner: 'rep02' })).id;
  customers.z = (await makeCustomer(db(), { name: '目标测试客户丙', owner: 'rep02' })).id;
  // Last year: rep01 sold trucks and filters, rep02 trucks to 乙 only.
  await book('rep01', customers.x, [{ productId: truck.id, quantity: '3' }], true);
  await book(
    'rep01',
    customers.x,
    [
      { productId: filter.id, quantity: '40' },
      { productId: truck.id, quantity: '1' },
    ],
    true,
  );
  await book('rep02', customers.y, [{ productId: truck.id, quantity: '5' }], true);
  // This year so far.
  await book('rep01', customers.x, [{ productId: truck.id, quantity: '2' }]);
  await book('rep01', customers.x, [{ productId: filter.id, quantity: '7' }]);
  await book('rep02', customers.y, [{ productId: truck.id, quantity: '1' }]);
  await book('rep02', customers.z, [{ productId: filter.id, quantity: '9' }]);
}, 180_000);
afterAll(() => t.close());

describe('a rep’s target by product category and by key account', () => {
  let rep01Node: Node;
  let rep02Node: Node;
  let categoryNodes: Node[];

  it('the plan is split down to the reps of 华东一组 and published', async () => {
    const created = await director.post('/target-plans', {
      name: `${year()} 年度销售目标`,
      fiscalYear: year(),
      metric: 'booked_revenue',
      amount: 12_000_000_000,
    });
    expect(created.statusCode, created.payload).toBe(201);
    planId = created.body.plan.id;
    const splitAndPublish = async (client: Client, node: Node, dimension: 'org_unit' | 'rep') => {
      const { parent, children } = await allocate(client, node, {
        split: 'dimension',
        dimension,
        method: 'even',
      });
      const published = await client.post(`/target-nodes/${node.id}/publish`, { version: parent.version });
      expect(published.statusCode, published.payload).toBe(200);
      return children;
    };
    const regions = await splitAndPublish(director, created.body.nodes[0], 'org_unit');
    const east = (await nodesOf(manager01)).find(
      (n) => n.id === regions.find((r) => r.label === '华东')!.id,
    )!;
    const teams = await splitAndPublish(manager01, east, 'org_unit');
    const team = (await nodesOf(manager02)).find(
      (n) => n.id === teams.find((r) => r.label === '华东一组')!.id,
    )!;
    const reps = await splitAndPublish(manager02, team, 'rep');
    const rep01 = await userId('rep01');
    const rep02 = await userId('rep02');
    const nodes = await nodesOf(manager02);
    rep01Node = nodes.find((n) => n.id === reps.find((r) => r.dimensionId === rep01)!.id)!;
    rep02Node = nodes.find((n) => n.id === reps.find((r) => r.dimensionId === rep02)!.id)!;
    expect(rep01Node.state).toBe('published');
    expect(rep01Node.agreement?.state).toBe('sent');
  });

  it('the team lead splits rep01’s target by category after rep01’s own sales of last year', async () => {
    const split = await allocate(manager02, rep01Node, {
      split: 'dimension',
      dimension: 'product_category',
      method: 'seasonality',
    });
    expect(split.fellBackToEven).toBe(false);
    categoryNodes = split.children;
    // The catalog's top-level categories in their order, each rep01's own target.
    expect(categoryNodes.map((c) => [c.label, c.dimension, c.dimensionId, c.state])).toEqual([
      ['整车', 'product_category', categories.vehicles, 'draft'],
      ['配件', 'product_category', categories.parts, 'draft'],
      ['服务', 'product_category', categories.services, 'draft'],
    ]);
    const rep01 = await userId('rep01');
    const ly = year() - 1;
    const weights = [];
    for (const id of [categories.vehicles, categories.parts, categories.services])
      weights.push(await bookedBy(rep01, `${ly}-01-01`, `${ly}-12-31`, { categoryId: id }));
    // rep01 sold trucks (in a subcategory of 整车) and filters; rep02's trucks do not count.
    expect(weights[0]).toBe(4n * 2_345_678n);
    expect(weights[1]).toBe(40n * 12_345n);
    expect(weights[2]).toBe(0n);
    expectProportional(
      rep01Node.amount,
      categoryNodes.map((c) => c.amount),
      weights,
    );
    expect(split.parent.childrenSum).toBe(rep01Node.amount);
    expect(split.parent.gap).toBe(0);
  });

  it('publishing the category level sends no agreement: the categories are rep01’s own target', async () => {
    const before = (await db().select({ n: count() }).from(targetAgreements))[0]!.n;
    const parent = (await nodesOf(manager02)).find((n) => n.id === rep01Node.id)!;
    const res = await manager02.post(`/target-nodes/${rep01Node.id}/publish`, { version: parent.version });
    expect(res.statusCode, res.payload).toBe(200);
    expect(res.body).toMatchObject({ published: 3, agreementsSent: 0 });
    expect((await db().select({ n: count() }).from(targetAgreements))[0]!.n).toBe(before);
    // rep01 sees the parts of their target; while rep01's agreement waits, they are held by it.
    const rep01 = await as(t.app, 'rep01');
    const mine = await nodesOf(rep01);
    expect(mine.filter((n) => n.dimension === 'product_category').map((n) => n.label)).toEqual([
      '整车',
      '配件',
      '服务',
    ]);
    const vehicles = mine.find((n) => n.dimensionId === categories.vehicles)!;
    const edit = await manager02.patch(`/target-nodes/${vehicles.id}`, {
      amount: 1,
      version: vehicles.version,
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.body.code).toBe('target_published');
  });

  it('the attainment of a category target is rep01’s sales of that category this year', async () => {
    const rep01 = await userId('rep01');
    for (const node of categoryNodes) {
      const res = await manager02.get(`/target-nodes/${node.id}/attainment`);
      expect(res.statusCode, res.payload).toBe(200);
      const expected = await bookedBy(rep01, `${year()}-01-01`, `${year()}-12-31`, {
        categoryId: node.dimensionId!,
      });
      expect(res.body.actual, node.label).toBe(Number(expected));
      expect(res.body.gap).toBe(node.amount - Number(expected));
    }
    // rep02's truck this year is not rep01's: 整车 counts rep01's two trucks only.
    const vehicles = await manager02.get(`/target-nodes/${categoryNodes[0]!.id}/attainment`);
    expect(vehicles.body.actual).toBe(2 * 2_345_678);
  });

  it('once the facts roll-up is refreshed, the category figures are the same', async () => {
    await admin.post('/analytics/facts/refresh', {});
    await runDueJobs(db(), { kinds: ['analytics.facts-refresh'] });
    const res = await manager02.get(`/target-plans/${planId}/attainment?parentId=${rep01Node.id}`);
    expect(res.statusCode, res.payload).toBe(200);
    expect(res.body.dataAsOf).toBeTruthy();
    const rep01 = await userId('rep01');
    for (const node of categoryNodes) {
      const figure = res.body.items.find((f: { nodeId: string }) => f.nodeId === node.id);
      const expected = await bookedBy(rep01, `${year()}-01-01`, `${year()}-12-31`, {
        categoryId: node.dimensionId!,
      });
      expect(figure.actual, node.label).toBe(Number(expected));
    }
  });

  it('a month of a category target counts rep01’s sales of the category in that month', async () => {
    const vehicles = (await nodesOf(manager02)).find((n) => n.dimensionId === categories.vehicles)!;
    const split = await allocate(manager02, vehicles, {
      split: 'period',
      periodKind: 'month',
      method: 'even',
    });
    const thisMonth = (split.children as (Node & { period: { key: string } })[]).find(
      (m) => m.period.key === today().slice(0, 7),
    )!;
    const res = await manager02.get(`/target-nodes/${thisMonth.id}/attainment`);
    const rep01 = await userId('rep01');
    expect(res.body.actual).toBe(
      Number(
        await bookedBy(rep01, `${today().slice(0, 7)}-01`, today(), { categoryId: categories.vehicles }),
      ),
    );
    expect(res.body.actual).toBe(2 * 2_345_678);
    // The plan's figures for 整车 and its twelve months: this one as above, and the months add up
    // to the year's 整车.
    const plan = await manager02.get(`/target-plans/${planId}/attainment?parentId=${vehicles.id}`);
    expect(plan.statusCode, plan.payload).toBe(200);
    const items = plan.body.items as { nodeId: string; actual: number }[];
    const vehiclesYear = items.find((i) => i.nodeId === vehicles.id)!;
    const months = items.filter((i) => i !== vehiclesYear);
    expect(months).toHaveLength(12);
    expect(months.find((m) => m.nodeId === thisMonth.id)!.actual).toBe(res.body.actual);
    expect(months.reduce((a, m) => a + m.actual, 0)).toBe(vehiclesYear.actual);
    expect(vehiclesYear.actual).toBe(
      Number(
        await bookedBy(rep01, `${year()}-01-01`, `${year()}-12-31`, { categoryId: categories.vehicles }),
      ),
    );
  });

  it('a category or customer split of a metric without that meaning is refused, in the reader’s language', async () => {
    const visits = await director.post('/target-plans', {
      name: `${year()} 年度拜访目标`,
      fiscalYear: year(),
      metric: 'visits',
      amount: 1000,
    });
    const collected = await director.post('/target-plans', {
      name: `${year()} 年度回款目标`,
      fiscalYear: year(),
      metric: 'collected_revenue',
      amount: 100_000_00,
    });
    const newCustomers = await director.post('/target-plans', {
      name: `${year()} 年度新客户目标`,
      fiscalYear: year(),
      metric: 'new_customers',
      amount: 50,
    });
    const before = await nodeCount();
    const byCategory = await director.post(`/target-nodes/${visits.body.plan.rootNodeId}/allocate`, {
      split: 'dimension',
      dimension: 'product_category',
      method: 'even',
      version: visits.body.nodes[0].version,
    });
    expect(byCategory.statusCode).toBe(422);
    expect(byCategory.body.code).toBe('target_metric_not_by_dimension');
    expect(byCategory.body.detail).toContain('拜访次数');
    expect(byCategory.body.detail).toContain('产品类别');
    const english = await director.post(
      `/target-nodes/${collected.body.plan.rootNodeId}/allocate`,
      { split: 'dimension', dimension: 'product_category', method: 'even', version: 1 },
      { 'accept-language': 'en' },
    );
    expect(english.statusCode).toBe(422);
    expect(english.body.detail).toBe(
      'Collected revenue has no meaning per product category, so it cannot be split by product category.',
    );
    const byCustomer = await director.post(`/target-nodes/${newCustomers.body.plan.rootNodeId}/allocate`, {
      split: 'dimension',
      dimension: 'customer',
      customerIds: [customers.x],
      method: 'even',
      version: 1,
    });
    expect(byCustomer.statusCode).toBe(422);
    expect(byCustomer.body.code).toBe('target_metric_not_by_dimension');
    // Visits to a key account do mean something.
    await allocate(
      director,
      { id: visits.body.plan.rootNodeId, version: visits.body.nodes[0].version },
      { split: 'dimension', dimension: 'customer', customerIds: [customers.x, customers.y], method: 'even' },
    );
    expect(await nodeCount()).toBe(before + 2);
  });

  it('rep02’s target is split among rep02’s key accounts; someone else’s customer is refused', async () => {
    const other = await manager02.post(`/target-nodes/${rep02Node.id}/allocate`, {
      split: 'dimension',
      dimension: 'customer',
      customerIds: [customers.y, customers.x],
      method: 'even',
      version: rep02Node.version,
    });
    expect(other.statusCode).toBe(400);
    expect(other.body.errors[0].path).toBe('customerIds.1');
    const missing = await manager02.post(`/target-nodes/${rep02Node.id}/allocate`, {
      split: 'dimension',
      dimension: 'customer',
      method: 'even',
      version: rep02Node.version,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body.errors[0].path).toBe('customerIds');

    // By last year: only 乙 bought from rep02, so 乙 carries the whole target.
    const seasonal = await allocate(manager02, rep02Node, {
      split: 'dimension',
      dimension: 'customer',
      customerIds: [customers.y, customers.z],
      method: 'seasonality',
    });
    expect(seasonal.children.map((c) => [c.label, c.dimension, c.amount])).toEqual([
      ['目标测试客户乙', 'customer', rep02Node.amount],
      ['目标测试客户丙', 'customer', 0],
    ]);
    // Re-run by weights 3 : 1, the same customers kept (no list needed).
    const weighted = await allocate(manager02, seasonal.parent, {
      split: 'dimension',
      dimension: 'customer',
      method: 'weights',
      weights: { [customers.y]: 3, [customers.z]: 1 },
    });
    expect(weighted.children.map((c) => c.id)).toEqual(seasonal.children.map((c) => c.id));
    expectProportional(
      rep02Node.amount,
      weighted.children.map((c) => c.amount),
      [3n, 1n],
    );
    const rep02 = await userId('rep02');
    for (const c of weighted.children) {
      const res = await manager02.get(`/target-nodes/${c.id}/attainment`);
      expect(res.statusCode, res.payload).toBe(200);
      expect(res.body.actual).toBe(
        Number(await bookedBy(rep02, `${year()}-01-01`, `${year()}-12-31`, { customerId: c.dimensionId! })),
      );
    }
  });

  it('a category target does not split again by unit, rep or category', async () => {
    const vehicles = (await nodesOf(manager02)).find((n) => n.dimensionId === categories.parts)!;
    for (const dimension of ['rep', 'product_category']) {
      const res = await manager02.post(`/target-nodes/${vehicles.id}/allocate`, {
        split: 'dimension',
        dimension,
        method: 'even',
        version: vehicles.version,
      });
      expect(res.statusCode, dimension).toBe(422);
      expect(res.body.code).toBe('target_bad_split');
    }
  });
});

describe('bottom-up: the children first, then roll up', () => {
  let rollPlan: string;
  let root: Node;
  let east: Node;
  let team: Node;

  it('the team lead enters the reps’ amounts and rolls them up into the team’s draft target', async () => {
    const created = await director.post('/target-plans', {
      name: `${year()} 自下而上目标`,
      fiscalYear: year(),
      metric: 'booked_revenue',
      amount: 0,
    });
    rollPlan = created.body.plan.id;
    root = created.body.nodes[0];
    const even = { split: 'dimension', method: 'even' };
    const regions = await allocate(director, root, { ...even, dimension: 'org_unit' });
    east = regions.children.find((r) => r.label === '华东')!;
    const teams = await allocate(manager01, east, { ...even, dimension: 'org_unit' });
    team = teams.children.find((r) => r.label === '华东一组')!;
    const reps = await allocate(manager01, team, { ...even, dimension: 'rep' });
    team = reps.parent;
    const amounts = [3_000_000_00, 2_500_000_00, 1_750_000_00];
    for (const [i, rep] of reps.children.entries()) {
      const res = await manager01.patch(`/target-nodes/${rep.id}`, {
        amount: amounts[i % amounts.length],
        version: rep.version,
      });
      expect(res.statusCode, res.payload).toBe(200);
    }
    const sum = reps.children.reduce((a, _, i) => a + amounts[i % amounts.length]!, 0);
    const plan = await manager01.get(`/target-plans/${rollPlan}`);
    const before = plan.body.nodes.find((n: Node) => n.id === team.id);
    expect(before).toMatchObject({ amount: 0, childrenSum: sum, gap: sum });

    const audits = (await db().select({ n: count() }).from(auditLog))[0]!.n;
    const res = await manager01.post(`/target-nodes/${team.id}/roll-up`, { version: before.version });
    expect(res.statusCode, res.payload).toBe(200);
    expect(res.body).toMatchObject({ amount: sum, childrenSum: sum, gap: 0, state: 'draft' });
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, team.id))
      .orderBy(sql`${auditLog.at} desc`)
      .limit(1);
    expect(audit).toMatchObject({ action: 'roll_up', entity: 'target_node' });
    expect(audit!.changes.amount).toEqual({ from: 0, to: sum });
    expect((await db().select({ n: count() }).from(auditLog))[0]!.n).toBe(audits + 1);
    team = res.body;
  });

  it('a stale version is refused and nothing changes', async () => {
    const res = await manager01.post(`/target-nodes/${team.id}/roll-up`, { version: team.version - 1 });
    expect(res.statusCode).toBe(409);
    expect(res.body.code).toBe('version_conflict');
    const [row] = await db().select().from(targetNodes).where(eq(targetNodes.id, team.id));
    expect(row!.version).toBe(team.version);
  });

  it('the manager cannot roll up their own region’s target; the director rolls the regions and the company up', async () => {
    const nodes = (await director.get(`/target-plans/${rollPlan}`)).body.nodes as Node[];
    east = nodes.find((n) => n.id === east.id)!;
    const mine = await manager01.post(`/target-nodes/${east.id}/roll-up`, { version: east.version });
    expect(mine.statusCode).toBe(403);
    const region = await director.post(`/target-nodes/${east.id}/roll-up`, { version: east.version });
    expect(region.statusCode, region.payload).toBe(200);
    expect(region.body.amount).toBe(team.amount);
    root = nodes.find((n) => n.id === root.id)!;
    const company = await director.post(`/target-nodes/${root.id}/roll-up`, { version: root.version });
    expect(company.statusCode, company.payload).toBe(200);
    expect(company.body).toMatchObject({ amount: team.amount, gap: 0 });
    root = company.body;
  });

  it('a published target is not rolled up: it changes through a change request', async () => {
    const published = await director.post(`/target-nodes/${root.id}/publish`, { version: root.version });
    expect(published.statusCode, published.payload).toBe(200);
    const nodes = (await director.get(`/target-plans/${rollPlan}`)).body.nodes as Node[];
    const company = nodes.find((n) => n.id === root.id)!;
    expect(company.state).toBe('published');
    const res = await director.post(`/target-nodes/${company.id}/roll-up`, { version: company.version });
    expect(res.statusCode).toBe(409);
    expect(res.body.code).toBe('target_published');
    const region = nodes.find((n) => n.id === east.id)!;
    const again = await director.post(`/target-nodes/${region.id}/roll-up`, { version: region.version });
    expect(again.statusCode).toBe(409);
    expect(await director.get(`/target-nodes/${company.id}`).then((r) => r.body.amount)).toBe(company.amount);
  });

  it('a target without children has nothing to roll up', async () => {
    const nodes = (await director.get(`/target-plans/${rollPlan}`)).body.nodes as Node[];
    const leaf = nodes.find((n) => n.dimension === 'rep')!;
    const res = await manager01.post(`/target-nodes/${leaf.id}/roll-up`, { version: leaf.version });
    expect(res.statusCode).toBe(422);
    expect(res.body.code).toBe('target_bad_split');
  });
});
