import type { Faker } from '@faker-js/faker';
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { addDays } from '../../platform/calendar.js';
import { dayIn } from '../../platform/settings/settings.service.js';
import { refreshCustomerDue } from './activities.service.js';
import { activities, customers } from './schema.js';
import { type VisitChecklist, visitPlanStops, visitPlans } from './visit-plans.schema.js';

// Demo visit plans (seed 002 业务拜访): each rep plans most workdays of the last few weeks —
// done, with check-ins, checklists, orders and a summary — and has a submitted plan for today
// still to be walked.

export interface DemoVisitRep {
  userId: string;
  orgUnitId: string;
  /** Customers the rep owns (stops are picked among them). */
  customerIds: string[];
}

const DAY_MS = 86_400_000;

// The demo company sells vehicles, parts and service to fleets and dealers (as the rest of the demo).
const PURPOSES = [
  '查看车辆使用情况',
  '推介新车型',
  '检查展车与物料',
  '收款对账',
  '了解竞品动态',
  '处理客户异议',
  '促成订单',
];
const OUR_ITEMS = [
  '星辰 S5 商务车',
  '星辰 E3 新能源轿车',
  '星辰 T7 轻卡',
  '原厂保养套餐',
  '原厂轮胎',
  '车载终端',
];
const COMPETITOR_ITEMS = ['某品牌 MPV', '某品牌轻卡', '某品牌新能源轿车', '某品牌保养套餐'];
const SUMMARIES = [
  '今天按计划完成拜访，两家客户车队车辆临近保养，已建议预约；竞品在做置换补贴，需要关注。',
  '一家经销客户的展车位置被竞品占用，已与老板沟通调整；明天电话跟进订单。',
  '新车型试驾反馈不错，客户愿意先订两台试用；价格异议已按政策解释清楚。',
  '有一家客户负责人不在，未能促成订单，下次提前电话预约。',
  '收回上月货款，对账无误；客户希望增加试驾车支持，需向经理申请。',
];
const OUTCOMES = ['客户同意补货', '下次再谈', '需报价', '老板不在，已留资料', '已下单'];

/** The UTC instant of a wall-clock time on a day in a time zone. */
function atLocal(day: string, time: string, timeZone: string): Date {
  const guess = new Date(`${day}T${time}:00Z`);
  const shown = new Date(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .format(guess)
      .replace(', ', 'T')
      .concat(':00Z'),
  );
  return new Date(guess.getTime() - (shown.getTime() - guess.getTime()));
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function checklistFor(faker: Faker): VisitChecklist {
  return {
    stock: {
      ours: faker.helpers
        .arrayElements(OUR_ITEMS, { min: 1, max: 3 })
        .map((item) => ({ item, quantity: faker.number.int({ min: 0, max: 48 }) })),
      competitors: faker.helpers.arrayElements(COMPETITOR_ITEMS, { min: 0, max: 2 }).map((item) => ({
        item,
        quantity: faker.number.int({ min: 0, max: 60 }),
        price: faker.number.int({ min: 8, max: 40 }) * 100 - 10,
      })),
      safe: faker.datatype.boolean(0.7),
    },
    shelfCheck: {
      positionOk: faker.datatype.boolean(0.75),
      stockOnShelf: faker.datatype.boolean(0.7),
      priceTagsOk: faker.datatype.boolean(0.85),
    },
    ...(faker.datatype.boolean(0.4) ? { notes: '已协助客户整理展车物料并补齐价格牌' } : {}),
  };
}

export async function demoVisitPlans(
  tx: Db,
  faker: Faker,
  reps: DemoVisitRep[],
  now: Date,
  opts: { weeks?: number; timeZone?: string } = {},
): Promise<{ plans: number; stops: number; visits: number }> {
  const timeZone = opts.timeZone ?? 'Asia/Shanghai';
  const today = dayIn(timeZone, now);
  const days: string[] = [];
  for (let i = (opts.weeks ?? 3) * 7; i >= 1; i--) {
    const day = dayIn(timeZone, new Date(now.getTime() - i * DAY_MS));
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(day);
  }
  const touched = new Set<string>();
  let plans = 0;
  let stopCount = 0;
  let visits = 0;

  for (const rep of reps) {
    if (rep.customerIds.length < 3) continue;
    // Each rep works around one spot of their territory; check-ins scatter a few kilometres.
    const centre = {
      lat: faker.number.float({ min: 22, max: 40 }),
      lng: faker.number.float({ min: 104, max: 121 }),
    };
    for (const day of [...days, today]) {
      const isToday = day === today;
      if (!isToday && !faker.datatype.boolean(0.8)) continue;
      const picked = faker.helpers.arrayElements(rep.customerIds, {
        min: 3,
        max: Math.min(6, rep.customerIds.length),
      });
      const done = !isToday && faker.datatype.boolean(0.9);
      const [plan] = await tx
        .insert(visitPlans)
        .values({
          day,
          status: isToday || !done ? 'submitted' : 'done',
          route: null,
          goalVisits: picked.length,
          goalDeals: faker.number.int({ min: 1, max: 3 }),
          goalVolume: faker.number.int({ min: 20, max: 200 }) * 10_000,
          focusProducts: faker.helpers.arrayElements(OUR_ITEMS, { min: 1, max: 2 }),
          summary: done ? faker.helpers.arrayElement(SUMMARIES) : null,
          submittedAt: atLocal(addDays(day, -1), '20:30', timeZone),
          doneAt: done ? atLocal(day, '18:30', timeZone) : null,
          ownerId: rep.userId,
          orgUnitId: rep.orgUnitId,
          createdBy: rep.userId,
          createdAt: atLocal(addDays(day, -1), '20:00', timeZone),
        })
        .onConflictDoNothing()
        .returning();
      if (!plan) continue;
      plans++;
      let minute = 9 * 60;
      for (const [i, customerId] of picked.entries()) {
        const plannedTime = hhmm(minute);
        minute += faker.helpers.arrayElement([60, 90, 120]);
        const purpose = faker.helpers.arrayElement(PURPOSES);
        const visited = !isToday && faker.datatype.boolean(0.85);
        const checkInAt = visited
          ? new Date(
              atLocal(day, plannedTime, timeZone).getTime() +
                faker.number.int({ min: -10, max: 40 }) * 60_000,
            )
          : null;
        const orderTaken = visited && faker.datatype.boolean(0.35);
        let activityId: string | null = null;
        if (checkInAt) {
          const [a] = await tx
            .insert(activities)
            .values({
              type: 'visit',
              subject: purpose,
              outcome: orderTaken ? '已下单' : faker.helpers.arrayElement(OUTCOMES),
              occurredAt: checkInAt,
              customerId,
              ownerId: rep.userId,
              orgUnitId: rep.orgUnitId,
              createdBy: rep.userId,
              createdAt: checkInAt,
              updatedAt: checkInAt,
            })
            .returning({ id: activities.id });
          activityId = a!.id;
          touched.add(customerId);
          visits++;
        }
        await tx.insert(visitPlanStops).values({
          planId: plan.id,
          position: i + 1,
          customerId,
          purpose,
          plannedTime,
          checkInAt,
          latitude: checkInAt ? centre.lat + faker.number.float({ min: -0.05, max: 0.05 }) : null,
          longitude: checkInAt ? centre.lng + faker.number.float({ min: -0.05, max: 0.05 }) : null,
          accuracy: checkInAt ? faker.number.int({ min: 5, max: 80 }) : null,
          checkOutAt: checkInAt
            ? new Date(checkInAt.getTime() + faker.number.int({ min: 15, max: 60 }) * 60_000)
            : null,
          checklist: checkInAt ? checklistFor(faker) : null,
          orderTaken,
          orderVolume: orderTaken ? faker.number.int({ min: 5, max: 120 }) * 10_000 : 0,
          activityId,
          createdBy: rep.userId,
        });
        stopCount++;
      }
    }
  }

  // The visits are follow-ups: the customers' last follow-up and due dates move with them.
  const ids = [...touched];
  if (ids.length) {
    await tx
      .update(customers)
      .set({
        lastFollowUpAt: sql`greatest(${customers.lastFollowUpAt}, (select max(${activities.occurredAt}) from ${activities} where ${activities.customerId} = ${customers.id} and ${activities.done}))`,
      })
      .where(inArray(customers.id, ids));
    for (const id of ids) await refreshCustomerDue(tx, id);
  }
  return { plans, stops: stopCount, visits };
}
