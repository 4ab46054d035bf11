import { Decimal } from 'decimal.js';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../../platform/context.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { makeCustomer, userByName } from '../customers/activities.fixtures.js';
import { forecastMonths, monthBounds, weightedAmount } from './forecast.rules.js';
import { opportunities } from './opportunities.schema.js';
import { createOpportunity, loseOpportunity, winOpportunity } from './opportunities.service.js';

let t: TestApp;
let director: Client;
let rep01: Client;
let manager02: Client;
const db = () => t.database.db;
const ids: Record<string, string> = {};
let units: Record<string, string> = {};

type Figures = { count: number; amount: number; weighted: number };
type Block = {
  cells: (Figures & { month: string; category: string })[];
  byMonth: (Figures & { month: string })[];
  byCategory: (Figures & { category: string })[];
  total: Figures;
};
const fig = ({ count, amount, weighted }: Figures) => ({ count, amount, weighted });
const cellsOf = (b: Block) =>
  b.cells.map((c) => `${c.month} ${c.category} ${c.count} ${c.amount} ${c.weighted}`);

/** An opportunity for `owner` with an expected close date and, optionally, a probability. */
async function deal(
  key: string,
  owner: string,
  amount: number,
  expectedCloseDate: string | null,
  probability?: number,
) {
  const user = await userByName(db(), owner);
  const customer = await makeCustomer(db(), { name: `预测客户${key}有限公司`, owner });
  ids[key] = await createOpportunity(
    db(),
    systemCtx(),
    {
      name: `预测 ${key}`,
      customerId: customer.id,
      amount,
      expectedCloseDate,
      ...(probability === undefined ? {} : { probability }),
    },
    { owner: { ownerId: user.id, orgUnitId: user.orgUnitId } },
  );
  return ids[key]!;
}

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  director = await as(t.app, 'director');
  rep01 = await as(t.app, 'rep01');
  manager02 = await as(t.app, 'manager02');
  // Team A (manager02): rep01, rep02. Elsewhere: rep04 (manager01's region), rep07 (another region).
  await deal('o1', 'rep01', 100_001, '2031-01-15', 50); // best case, weighted 50,000.5 → 50,001
  await deal('o2', 'rep01', 200_000, '2031-01-20'); // 拜访 10% → pipeline, 20,000
  await deal('o3', 'rep02', 300_003, '2031-02-10', 80); // commit, 240,002.4 → 240,002
  await deal('o4', 'rep04', 55_555, '2031-02-28', 30); // pipeline, 16,666.5 → 16,667
  await deal('o5', 'rep07', 1_000_000, '2031-03-01', 60); // best case, 600,000
  // Won: counts as closed in the month it was won (Shanghai time), whatever its expected date.
  const won = await deal('o6', 'rep01', 70_000, '2031-03-15');
  await winOpportunity(db(), systemCtx(), won, { version: 1 });
  await db()
    .update(opportunities)
    .set({ closedAt: new Date('2031-01-31T17:30:00Z') }) // 2031-02-01 01:30 in Shanghai
    .where(eq(opportunities.id, won));
  // Left out: lost, no expected date, outside the range.
  const lost = await deal('o7', 'rep02', 999, '2031-01-10');
  await loseOpportunity(db(), systemCtx(), lost, { version: 1, reasonCode: 'price' });
  await deal('o8', 'rep01', 123, null);
  await deal('o9', 'rep01', 456, '2031-04-01');
  units = {
    teamA: (await userByName(db(), 'rep01')).orgUnitId,
    rep04: (await userByName(db(), 'rep04')).orgUnitId,
    rep07: (await userByName(db(), 'rep07')).orgUnitId,
  };
});
afterAll(() => t.close());

const Q = 'from=2031-01&to=2031-03';

describe('forecast rules', () => {
  it('months of a range, its bounds, and the weighting rule', () => {
    expect(forecastMonths('2030-11', '2031-02')).toEqual(['2030-11', '2030-12', '2031-01', '2031-02']);
    expect(forecastMonths('2031-02', '2031-01')).toBeNull();
    expect(forecastMonths('2030-01', '2033-01')).toBeNull();
    expect(monthBounds('2030-11', '2030-12')).toEqual({ start: '2030-11-01', end: '2031-01-01' });
    expect(weightedAmount(100_001, 50, 'open')).toBe(50_001);
    expect(weightedAmount(70_000, 0, 'won')).toBe(70_000);
    // The integer rule (what the SQL does) equals decimal half-up rounding for any amount.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 50 }), fc.integer({ min: 0, max: 100 }), (a, p) => {
        const expected = new Decimal(a).times(p).div(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
        return weightedAmount(a, p, 'open') === expected.toNumber();
      }),
    );
  });
});

describe('the forecast view', () => {
  it('the director sees month × category, weighted and unweighted, exact to the fen', async () => {
    const res = await director.get(`/opportunities/forecast?${Q}`);
    expect(res.statusCode).toBe(200);
    expect(res.body.months).toEqual(['2031-01', '2031-02', '2031-03']);
    expect(cellsOf(res.body)).toEqual([
      '2031-01 pipeline 1 200000 20000',
      '2031-01 best_case 1 100001 50001',
      '2031-02 pipeline 1 55555 16667',
      '2031-02 commit 1 300003 240002',
      '2031-02 closed 1 70000 70000',
      '2031-03 best_case 1 1000000 600000',
    ]);
    expect(res.body.byMonth.map(fig)).toEqual([
      { count: 2, amount: 300_001, weighted: 70_001 },
      { count: 3, amount: 425_558, weighted: 326_669 },
      { count: 1, amount: 1_000_000, weighted: 600_000 },
    ]);
    expect(res.body.byCategory.map((c: Figures & { category: string }) => [c.category, c.weighted])).toEqual([
      ['pipeline', 36_667],
      ['best_case', 650_001],
      ['commit', 240_002],
      ['closed', 70_000],
    ]);
    expect(res.body.total).toEqual({ count: 6, amount: 1_725_559, weighted: 996_670 });
  });

  it('by rep and by team, largest weighted first', async () => {
    const byRep = (await director.get(`/opportunities/forecast?${Q}&groupBy=rep`)).body;
    expect(byRep.groups.map((g: Block & { name: string }) => [g.total.count, g.total.weighted])).toEqual([
      [1, 600_000],
      [1, 240_002],
      [3, 140_001],
      [1, 16_667],
    ]);
    const rep01Block = byRep.groups[2];
    expect(rep01Block.id).toBe((await userByName(db(), 'rep01')).id);
    expect(cellsOf(rep01Block)).toEqual([
      '2031-01 pipeline 1 200000 20000',
      '2031-01 best_case 1 100001 50001',
      '2031-02 closed 1 70000 70000',
    ]);
    const byTeam = (await director.get(`/opportunities/forecast?${Q}&groupBy=team`)).body;
    const team = (unit: string) => byTeam.groups.find((g: { id: string }) => g.id === unit)?.total;
    expect(team(units.teamA!)).toEqual({ count: 4, amount: 670_004, weighted: 380_003 });
    expect(team(units.rep04!)).toEqual({ count: 1, amount: 55_555, weighted: 16_667 });
    expect(team(units.rep07!)).toEqual({ count: 1, amount: 1_000_000, weighted: 600_000 });
  });

  it('is scoped like the list: a rep sees their own, a team lead their team', async () => {
    const mine = (await rep01.get(`/opportunities/forecast?${Q}`)).body;
    expect(mine.total).toEqual({ count: 3, amount: 370_001, weighted: 140_001 });
    expect(mine.groups).toHaveLength(1);
    const team = (await manager02.get(`/opportunities/forecast?${Q}`)).body;
    expect(team.total).toEqual({ count: 4, amount: 670_004, weighted: 380_003 });
    const managerOwn = (await manager02.get(`/opportunities/forecast?${Q}&view=mine`)).body;
    expect(managerOwn.total).toEqual({ count: 0, amount: 0, weighted: 0 });
    const directorMine = (await director.get(`/opportunities/forecast?${Q}&view=mine`)).body;
    expect(directorMine.total.count).toBe(0);
  });

  it('drills down to the opportunities behind a figure', async () => {
    const closed = (await director.get(`/opportunities/forecast/deals?${Q}&month=2031-02&category=closed`))
      .body;
    expect(closed.items.map((d: { id: string }) => d.id)).toEqual([ids.o6]);
    expect(closed.items[0]).toMatchObject({
      forecastMonth: '2031-02',
      forecastCategory: 'closed',
      weighted: 70_000,
    });
    const jan = (await rep01.get(`/opportunities/forecast/deals?${Q}&month=2031-01`)).body;
    expect(jan.items.map((d: { id: string }) => d.id)).toEqual([ids.o1, ids.o2]);
    expect(jan.total).toBe(2);
    const hidden = (await rep01.get(`/opportunities/forecast/deals?${Q}&month=2031-03`)).body;
    expect(hidden.total).toBe(0);
  });

  it('refuses a range that ends before it starts or spans more than three years', async () => {
    const back = await director.get('/opportunities/forecast?from=2031-03&to=2031-01');
    expect(back.statusCode).toBe(400);
    expect(back.body.errors[0].path).toBe('to');
    expect((await director.get('/opportunities/forecast?from=2031-13&to=2031-01')).statusCode).toBe(400);
    expect((await director.get('/opportunities/forecast?from=2030-01&to=2033-12')).statusCode).toBe(400);
  });
});

describe('the board (kanban) over the same opportunities', () => {
  it('per stage: count and sums of all, cards limited to the latest N, each in its own column', async () => {
    const board = (await director.get('/opportunities/kanban?perStage=2')).body;
    const [visit] = board.columns;
    // 拜访 holds every open one of the data set: o1–o5, o8, o9 (o7 lost, o6 won).
    expect(visit.count).toBe(7);
    expect(visit.amount).toBe(100_001 + 200_000 + 300_003 + 55_555 + 1_000_000 + 123 + 456);
    expect(visit.cards.map((c: { id: string }) => c.id)).toEqual([ids.o9, ids.o8]);
    const won = board.columns.find((c: { stageId: string }) => c.stageId === board.pipeline.stages[5].id);
    expect(won).toMatchObject({ count: 1, amount: 70_000, weightedAmount: 70_000 });
    expect(won.cards.map((c: { id: string }) => c.id)).toEqual([ids.o6]);
    for (const c of board.columns) {
      expect(c.cards.length).toBe(Math.min(2, c.count));
      expect(c.cards.every((card: { stageId: string }) => card.stageId === c.stageId)).toBe(true);
    }
    const mine = (await rep01.get('/opportunities/kanban?perStage=20')).body;
    expect(mine.columns[0].cards.map((c: { ownerName: string }) => c.ownerName)).toEqual(
      Array(mine.columns[0].count).fill(mine.columns[0].cards[0].ownerName),
    );
    expect(mine.columns[0].count).toBe(4); // o1, o2, o8, o9
  });
});
