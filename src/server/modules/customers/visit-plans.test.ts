import { base, en, Faker, zh_CN } from '@faker-js/faker';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/schema.js';
import { companyTimeZone, dayIn } from '../../platform/settings/settings.service.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { makeCustomer, userByName } from './activities.fixtures.js';
import { DAY_MS } from './cadence.js';
import { activities, customers } from './schema.js';
import { demoVisitPlans } from './visit-plans.demo.js';
import { visitPlanStops, visitPlans } from './visit-plans.schema.js';

let t: TestApp;
let rep01: Client;
let rep02: Client;
let manager02: Client;
let manager03: Client;
let director: Client;
let tz: string;
const db = () => t.database.db;

const customer = async (id: string) => (await db().select().from(customers).where(eq(customers.id, id)))[0]!;
const stopRow = async (id: string) =>
  (await db().select().from(visitPlanStops).where(eq(visitPlanStops.id, id)))[0]!;
const planCount = async () => (await db().select({ n: count() }).from(visitPlans))[0]!.n;
const stopCount = async () => (await db().select({ n: count() }).from(visitPlanStops))[0]!.n;
const activityCount = async () => (await db().select({ n: count() }).from(activities))[0]!.n;
const auditCount = async () => (await db().select({ n: count() }).from(auditLog))[0]!.n;
const shiftDay = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const near = (at: Date | string | null | undefined, expected: number) =>
  expect(Math.abs((at ? new Date(at).getTime() : 0) - expected)).toBeLessThan(60_000);

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  rep01 = await as(t.app, 'rep01');
  rep02 = await as(t.app, 'rep02');
  // manager02 leads 华东一组 (rep01–03); manager03 leads 华东二组.
  manager02 = await as(t.app, 'manager02');
  manager03 = await as(t.app, 'manager03');
  director = await as(t.app, 'director');
  tz = await companyTimeZone(db());
});
afterAll(() => t.close());

const checklist = {
  stock: {
    ours: [
      { item: '鲜味生抽 500ml', quantity: 24 },
      { item: '陈醋 420ml', quantity: 6 },
    ],
    competitors: [{ item: '某品牌生抽 500ml', quantity: 30, price: 1290 }],
    safe: false,
  },
  shelfCheck: { positionOk: true, stockOnShelf: false, priceTagsOk: true },
  notes: '货架缺货，已补 6 瓶；建议下周补货 2 箱',
};

describe('a rep’s visit day', () => {
  it('plans tomorrow, submits, is seen by their manager only, checks in and out, and closes the day with a summary', async () => {
    const a = await makeCustomer(db(), {
      name: '上海鲜味批发部',
      owner: 'rep01',
      grade: 'A',
      lastFollowUpDaysAgo: 10,
      dueInDays: -3,
    });
    const b = await makeCustomer(db(), { name: '上海老街饭店', owner: 'rep01', grade: 'B' });
    const c = await makeCustomer(db(), { name: '徐汇社区超市', owner: 'rep01', grade: 'C' });
    const extra = await makeCustomer(db(), { name: '闵行粮油店', owner: 'rep01', grade: 'C' });
    const today = dayIn(tz);
    const tomorrow = shiftDay(today, 1);

    // The evening before: the plan (seed 002 拜访前的计划).
    const created = await rep01.post('/visit-plans', {
      day: tomorrow,
      route: '徐汇 → 黄浦 → 闵行',
      goalVisits: 3,
      goalDeals: 2,
      goalVolume: 500_000,
      focusProducts: ['鲜味生抽 500ml', '陈醋 420ml'],
      stops: [
        { customerId: a.id, purpose: '查库存、推新品', plannedTime: '09:30' },
        { customerId: b.id, purpose: '厨房试用反馈' },
        { customerId: c.id, purpose: '理货', plannedTime: '15:00' },
      ],
    });
    expect(created.statusCode).toBe(201);
    const plan = created.body;
    expect(plan).toMatchObject({
      day: tomorrow,
      status: 'draft',
      goalVisits: 3,
      goalDeals: 2,
      goalVolume: 500_000,
      focusProducts: ['鲜味生抽 500ml', '陈醋 420ml'],
      actuals: { plannedStops: 3, stopsVisited: 0, visits: 0, deals: 0, volume: 0 },
    });
    expect(plan.stops.map((s: { customerName: string }) => s.customerName)).toEqual([
      '上海鲜味批发部',
      '上海老街饭店',
      '徐汇社区超市',
    ]);

    // A draft is the rep's own.
    expect((await manager02.get(`/visit-plans/${plan.id}`)).statusCode).toBe(404);

    const submitted = await rep01.post(`/visit-plans/${plan.id}/submit`, { version: plan.version });
    expect(submitted.statusCode).toBe(200);
    expect(submitted.body.status).toBe('submitted');

    // Their team lead and the director see it; the lead of another team and a colleague do not.
    expect((await manager02.get(`/visit-plans/${plan.id}`)).statusCode).toBe(200);
    expect((await director.get(`/visit-plans/${plan.id}`)).statusCode).toBe(200);
    const teamList = await manager02.get('/visit-plans?who=team');
    expect(teamList.body.items.map((p: { id: string }) => p.id)).toContain(plan.id);
    expect((await manager03.get(`/visit-plans/${plan.id}`)).statusCode).toBe(404);
    expect((await manager03.get('/visit-plans?who=team')).body.items).toEqual([]);
    expect((await rep02.get(`/visit-plans/${plan.id}`)).statusCode).toBe(404);

    // Not today yet: no check-in on tomorrow's plan.
    const early = await rep01.post(`/visit-plans/${plan.id}/stops/${plan.stops[0].id}/check-in`, {});
    expect(early.statusCode).toBe(409);
    expect(early.body.code).toBe('visit_plan_not_today');

    // The next morning.
    await db().update(visitPlans).set({ day: today }).where(eq(visitPlans.id, plan.id));
    const [s1, s2, s3] = plan.stops;

    // The manager may read the plan, but the check-in is the rep's own.
    const audits = await auditCount();
    const byManager = await manager02.post(`/visit-plans/${plan.id}/stops/${s1.id}/check-in`, {
      latitude: 31.2,
      longitude: 121.4,
    });
    expect(byManager.statusCode).toBe(403);
    expect(byManager.body.code).toBe('visit_plan_not_owner');
    expect(byManager.body.title).toBe('只有计划人本人可以操作');
    manager02.locale = 'en';
    const byManagerEn = await manager02.post(`/visit-plans/${plan.id}/stops/${s1.id}/check-in`, {});
    expect(byManagerEn.body.title).toBe('Only the plan’s owner can do this');
    manager02.locale = 'zh-CN';
    // A colleague cannot even see it.
    expect((await rep02.post(`/visit-plans/${plan.id}/stops/${s1.id}/check-in`, {})).statusCode).toBe(404);
    expect((await stopRow(s1.id)).checkInAt).toBeNull();
    expect(await auditCount()).toBe(audits);

    // Stop 1: check in with the phone's location, check out with the checklist and an order.
    const inA = await rep01.post(`/visit-plans/${plan.id}/stops/${s1.id}/check-in`, {
      latitude: 31.2304,
      longitude: 121.4737,
      accuracy: 25,
    });
    expect(inA.statusCode).toBe(200);
    expect(inA.body.stops[0]).toMatchObject({ latitude: 31.2304, longitude: 121.4737, accuracy: 25 });
    near(inA.body.stops[0].checkInAt, Date.now());
    const twice = await rep01.post(`/visit-plans/${plan.id}/stops/${s1.id}/check-in`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.body.code).toBe('visit_stop_checked_in');

    const outA = await rep01.post(`/visit-plans/${plan.id}/stops/${s1.id}/check-out`, {
      checklist,
      outcome: '下单 2 箱生抽',
      orderTaken: true,
      orderVolume: 360_000,
      nextStep: '下周补货',
      nextStepAt: new Date(Date.now() + 7 * DAY_MS).toISOString(),
    });
    expect(outA.statusCode).toBe(200);
    const stopA = outA.body.stops[0];
    expect(stopA).toMatchObject({ orderTaken: true, orderVolume: 360_000, checklist });
    expect(stopA.activityId).toEqual(expect.any(String));

    // The visit is an activity like any other, so the A customer's cadence restarts from it.
    const visit = await rep01.get(`/activities/${stopA.activityId}`);
    expect(visit.body).toMatchObject({
      type: 'visit',
      subject: '查库存、推新品',
      customerId: a.id,
      outcome: '下单 2 箱生抽',
      notes: checklist.notes,
      nextStep: '下周补货',
    });
    const afterA = await customer(a.id);
    expect(afterA.lastFollowUpAt?.toISOString()).toBe(stopA.checkInAt);
    near(afterA.followUpDueAt, new Date(stopA.checkInAt).getTime() + 7 * DAY_MS);
    const due = await rep01.get('/follow-ups/due');
    expect(due.body.items.map((d: { customerId: string }) => d.customerId)).not.toContain(a.id);

    // Stop 2 without a location (the browser refused) and without an order; stop 3 is skipped.
    expect((await rep01.post(`/visit-plans/${plan.id}/stops/${s2.id}/check-in`, {})).statusCode).toBe(200);
    const outB = await rep01.post(`/visit-plans/${plan.id}/stops/${s2.id}/check-out`, {
      checklist: { shelfCheck: { positionOk: false, stockOnShelf: true, priceTagsOk: false } },
    });
    expect(outB.statusCode).toBe(200);
    expect(outB.body.stops[1]).toMatchObject({ latitude: null, orderTaken: false, orderVolume: 0 });
    expect((await customer(b.id)).lastFollowUpAt).not.toBeNull();

    // A correction at stop 1 changes the same activity, not a second one.
    const before = await activityCount();
    const corrected = await rep01.post(`/visit-plans/${plan.id}/stops/${s1.id}/check-out`, {
      checklist,
      outcome: '下单 3 箱生抽',
      orderTaken: true,
      orderVolume: 540_000,
    });
    expect(corrected.statusCode).toBe(200);
    expect(await activityCount()).toBe(before);
    expect((await rep01.get(`/activities/${stopA.activityId}`)).body.outcome).toBe('下单 3 箱生抽');

    // An unplanned visit logged with the quick drawer counts as a visit of the day.
    await rep01.post('/activities', { type: 'visit', subject: '顺路拜访', customerId: extra.id });

    // Plan vs actual.
    const actual = await manager02.get(`/visit-plans/${plan.id}`);
    expect(actual.body).toMatchObject({
      goalVisits: 3,
      goalDeals: 2,
      goalVolume: 500_000,
      actuals: { plannedStops: 3, stopsVisited: 2, visits: 3, deals: 1, volume: 540_000 },
    });

    // The day's summary closes it.
    const current = (await rep01.get(`/visit-plans/${plan.id}`)).body;
    const done = await rep01.post(`/visit-plans/${plan.id}/complete`, {
      summary: '鲜味批发部下单 3 箱；老街饭店陈列位置不好，下次与老板商量调整；社区超市未去。',
      version: current.version,
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', summary: expect.stringContaining('鲜味批发部') });
    const late = await rep01.post(`/visit-plans/${plan.id}/stops/${s3.id}/check-in`, {});
    expect(late.statusCode).toBe(409);
    expect(late.body.code).toBe('visit_plan_done');
    expect((await stopRow(s3.id)).checkInAt).toBeNull();
  });

  it('shows activities, next steps and stops on the calendar: mine, and my team’s to my team lead only', async () => {
    const today = dayIn(tz);
    const range = `from=${shiftDay(today, -3)}&to=${shiftDay(today, 10)}`;
    const mine = await rep01.get(`/calendar?${range}`);
    expect(mine.statusCode).toBe(200);
    const kinds = (items: { kind: string }[]) => new Set(items.map((i) => i.kind));
    expect(kinds(mine.body.items)).toEqual(new Set(['activity', 'next_step', 'stop']));
    const stops = mine.body.items.filter((i: { kind: string }) => i.kind === 'stop');
    // A planned time, else the check-in time (stop 2 had none planned).
    const byName = Object.fromEntries(
      stops.map((s: { customerName: string; time: string | null }) => [s.customerName, s.time]),
    );
    expect(byName).toEqual({
      上海鲜味批发部: '09:30',
      上海老街饭店: expect.stringMatching(/^\d\d:\d\d$/),
      徐汇社区超市: '15:00',
    });
    expect(stops.every((s: { date: string }) => s.date === today)).toBe(true);

    const team = await manager02.get(`/calendar?${range}&who=team`);
    expect(team.body.items.filter((i: { kind: string }) => i.kind === 'stop')).toHaveLength(3);
    const otherTeam = await manager03.get(`/calendar?${range}&who=team`);
    expect(otherTeam.body.items).toEqual([]);
    expect((await rep02.get(`/calendar?${range}`)).body.items).toEqual([]);

    const tooLong = await rep01.get(`/calendar?from=${today}&to=${shiftDay(today, 90)}`);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body.code).toBe('calendar_range_too_long');
  });

  it('“my day” holds today’s plan and the open tasks due by tonight', async () => {
    const c = await makeCustomer(db(), { name: '黄浦调味品商行', owner: 'rep02', grade: 'B' });
    const task = await rep02.post('/activities', {
      type: 'task',
      subject: '送样品',
      customerId: c.id,
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
    });
    await rep02.post('/activities', {
      type: 'task',
      subject: '下月再约',
      customerId: c.id,
      occurredAt: new Date(Date.now() + 40 * DAY_MS).toISOString(),
    });
    const empty = await rep02.get('/my-day');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toMatchObject({ date: dayIn(tz), plan: null });
    expect(empty.body.openTasks.map((a: { id: string }) => a.id)).toEqual([task.body.id]);

    await rep02.post('/visit-plans', { day: dayIn(tz), stops: [{ customerId: c.id, purpose: '送样品' }] });
    const planned = await rep02.get('/my-day');
    expect(planned.body.plan).toMatchObject({ day: dayIn(tz), status: 'draft', goalVisits: 1 });
    expect(planned.body.plan.stops).toHaveLength(1);
  });
});

describe('bad input is refused with a clear localised error and nothing written', () => {
  it('a stop for a customer the rep cannot see, a second plan for the day, an empty submit', async () => {
    const mine = await makeCustomer(db(), { name: '杭州甲商行', owner: 'rep01', grade: 'B' });
    const others = await makeCustomer(db(), { name: '广州乙商行', owner: 'rep07', grade: 'B' });
    const day = shiftDay(dayIn(tz), 5);
    const plans = await planCount();
    const stops = await stopCount();

    const hidden = await rep01.post('/visit-plans', {
      day,
      stops: [
        { customerId: mine.id, purpose: '拜访' },
        { customerId: others.id, purpose: '拜访' },
      ],
    });
    expect(hidden.statusCode).toBe(400);
    expect(hidden.body).toMatchObject({ code: 'invalid_reference', title: '关联数据无效' });
    expect(hidden.body.errors).toEqual([{ path: 'stops.1.customerId', message: '取值无效' }]);
    expect(await planCount()).toBe(plans);

    const first = await rep01.post('/visit-plans', { day, stops: [] });
    expect(first.statusCode).toBe(201);
    const second = await rep01.post('/visit-plans', {
      day,
      stops: [{ customerId: mine.id, purpose: '拜访' }],
    });
    expect(second.statusCode).toBe(409);
    expect(second.body.code).toBe('visit_plan_exists');
    expect(second.body.detail).toContain(day);
    rep01.locale = 'en';
    const secondEn = await rep01.post('/visit-plans', { day, stops: [] });
    expect(secondEn.body.title).toBe('A visit plan for that day exists');
    rep01.locale = 'zh-CN';
    expect(await planCount()).toBe(plans + 1);
    expect(await stopCount()).toBe(stops);

    const empty = await rep01.post(`/visit-plans/${first.body.id}/submit`, { version: first.body.version });
    expect(empty.statusCode).toBe(400);
    expect(empty.body.errors[0].path).toBe('stops');
    expect((await rep01.get(`/visit-plans/${first.body.id}`)).body.status).toBe('draft');

    // Changing stops to a hidden customer is refused the same way.
    const edit = await rep01.patch(`/visit-plans/${first.body.id}`, {
      stops: [{ customerId: others.id, purpose: '拜访' }],
      version: first.body.version,
    });
    expect(edit.statusCode).toBe(400);
    expect(await stopCount()).toBe(stops);

    const bad = await rep01.post('/visit-plans', { day: '2026-02-30', stops: [] });
    expect(bad.statusCode).toBe(400);
    const badTime = await rep01.post('/visit-plans', {
      day: shiftDay(day, 1),
      stops: [{ customerId: mine.id, purpose: '拜访', plannedTime: '25:00' }],
    });
    expect(badTime.statusCode).toBe(400);
    expect(await planCount()).toBe(plans + 1);
  });

  it('latitude 200, a position without longitude, a bad checklist, a check-out before the check-in', async () => {
    const c = await makeCustomer(db(), { name: '苏州丙商行', owner: 'rep03', grade: 'A' });
    const rep03 = await as(t.app, 'rep03');
    const plan = (
      await rep03.post('/visit-plans', { day: dayIn(tz), stops: [{ customerId: c.id, purpose: '拜访' }] })
    ).body;
    const stop = plan.stops[0];
    const url = `/visit-plans/${plan.id}/stops/${stop.id}`;
    const audits = await auditCount();

    const far = await rep03.post(`${url}/check-in`, { latitude: 200, longitude: 121 });
    expect(far.statusCode).toBe(400);
    expect(far.body.code).toBe('validation_failed');
    expect(far.body.errors).toEqual([{ path: 'latitude', message: '不能大于 90' }]);
    const half = await rep03.post(`${url}/check-in`, { latitude: 31 });
    expect(half.statusCode).toBe(400);
    expect(half.body.errors[0].path).toBe('longitude');

    const outFirst = await rep03.post(`${url}/check-out`, {});
    expect(outFirst.statusCode).toBe(409);
    expect(outFirst.body.code).toBe('visit_stop_not_checked_in');
    expect(outFirst.body.title).toBe('请先签到');
    expect((await stopRow(stop.id)).checkInAt).toBeNull();
    expect(await auditCount()).toBe(audits);

    expect((await rep03.post(`${url}/check-in`, {})).statusCode).toBe(200);
    const activities0 = await activityCount();
    const badList = await rep03.post(`${url}/check-out`, {
      checklist: { stock: { ours: [{ item: '生抽', quantity: -1 }] } },
    });
    expect(badList.statusCode).toBe(400);
    expect(badList.body.errors[0].path).toBe('checklist.stock.ours.0.quantity');
    const unknown = await rep03.post(`${url}/check-out`, { checklist: { shelf: true } });
    expect(unknown.statusCode).toBe(400);
    expect(await activityCount()).toBe(activities0);
    expect((await stopRow(stop.id)).checkOutAt).toBeNull();
    expect((await customer(c.id)).lastFollowUpAt).toBeNull();
  });

  it('a checked-in stop cannot be removed from the plan; the rest of the plan can change', async () => {
    const c = await makeCustomer(db(), { name: '无锡丁商行', owner: 'rep01', grade: 'C' });
    const d = await makeCustomer(db(), { name: '无锡戊商行', owner: 'rep01', grade: 'C' });
    const plan = (
      await rep01.post('/visit-plans', {
        day: shiftDay(dayIn(tz), 2),
        stops: [
          { customerId: c.id, purpose: '拜访' },
          { customerId: d.id, purpose: '收款' },
        ],
      })
    ).body;
    await db()
      .update(visitPlanStops)
      .set({ checkInAt: new Date() })
      .where(eq(visitPlanStops.id, plan.stops[0].id));
    const drop = await rep01.patch(`/visit-plans/${plan.id}`, {
      stops: [{ id: plan.stops[1].id, customerId: d.id, purpose: '收款' }],
      version: plan.version,
    });
    expect(drop.statusCode).toBe(409);
    expect(drop.body.code).toBe('visit_stop_checked_in');
    expect(await stopCount()).toBeGreaterThan(0);
    expect((await rep01.get(`/visit-plans/${plan.id}`)).body.stops).toHaveLength(2);

    const reorder = await rep01.patch(`/visit-plans/${plan.id}`, {
      goalDeals: 1,
      stops: [
        { id: plan.stops[1].id, customerId: d.id, purpose: '收款', plannedTime: '10:00' },
        { id: plan.stops[0].id, customerId: c.id, purpose: '拜访' },
      ],
      version: plan.version,
    });
    expect(reorder.statusCode).toBe(200);
    expect(reorder.body.goalDeals).toBe(1);
    expect(reorder.body.stops.map((s: { customerName: string }) => s.customerName)).toEqual([
      '无锡戊商行',
      '无锡丁商行',
    ]);
    const stale = await rep01.patch(`/visit-plans/${plan.id}`, { goalDeals: 2, version: plan.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
  });
});

describe('demo visit plans', () => {
  it('gives a rep done plans over the last weeks, with visits that count as follow-ups, and a plan for today', async () => {
    const faker = new Faker({ locale: [zh_CN, en, base], seed: 7 });
    const rep = await userByName(db(), 'rep05');
    const ids: string[] = [];
    for (let i = 0; i < 8; i++)
      ids.push((await makeCustomer(db(), { name: `演示客户${i}号商行`, owner: 'rep05', grade: 'B' })).id);
    const result = await demoVisitPlans(
      db(),
      faker,
      [{ userId: rep.id, orgUnitId: rep.orgUnitId, customerIds: ids }],
      new Date(),
      {
        timeZone: tz,
      },
    );
    expect(result.plans).toBeGreaterThan(5);
    expect(result.visits).toBeGreaterThan(0);
    const rep05 = await as(t.app, 'rep05');
    const list = await rep05.get('/visit-plans?limit=100');
    expect(list.body.total).toBe(result.plans);
    const past = list.body.items.filter((p: { status: string }) => p.status === 'done');
    expect(past.length).toBeGreaterThan(0);
    expect(
      past.reduce((n: number, p: { actuals: { visits: number } }) => n + p.actuals.visits, 0),
    ).toBeGreaterThan(0);
    const today = await rep05.get('/my-day');
    expect(today.body.plan).toMatchObject({ status: 'submitted', day: dayIn(tz) });
    const visited = await db().select().from(customers).where(eq(customers.ownerId, rep.id));
    expect(visited.some((c) => c.lastFollowUpAt && c.followUpDueAt)).toBe(true);
  });
});
