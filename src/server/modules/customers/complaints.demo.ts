import type { Faker } from '@faker-js/faker';
import type { Db } from '../../db/client.js';
import { nextNumber } from '../../platform/numbering/numbering.js';
import { DEFAULT_SLA_HOURS, HOUR_MS, slaDueAt } from './complaint-rules.js';
import {
  COMPLAINT_CHANNELS,
  type ComplaintSeverity,
  type ComplaintStatus,
  complaints,
} from './complaints.schema.js';
import './complaints.service.js';

// Demo complaints: about one per 20 customers over the last 18 months. Old ones are mostly closed
// with a satisfaction; recent ones are spread over the states, some past their time limit.

export interface DemoComplaintCustomer {
  id: string;
  ownerId: string | null;
  orgUnitId: string;
  contactIds: string[];
}

const DAY_MS = 86_400_000;

const SUBJECTS: Record<string, string[]> = {
  product_quality: [
    '产品表面划伤',
    '设备运行异响',
    '批次质量不稳定',
    '包装内配件缺失',
    '使用三个月后出现故障',
  ],
  delivery: ['到货延迟三天', '送货地址错误', '货物运输破损', '少发两箱', '型号发错'],
  service: ['售后响应慢', '安装人员态度差', '客服电话多次无人接听', '承诺的培训未安排'],
  billing: ['发票抬头错误', '重复扣款', '对账金额不符', '返利未按时到账'],
  other: ['宣传资料与实物不符', '对合同条款有异议'],
};

const RESOLUTIONS: Record<string, string[]> = {
  product_quality: ['免费更换新品，并安排质检复查同批次产品。', '派工程师上门维修，更换故障部件后运行正常。'],
  delivery: ['补发缺少的货物并承担运费。', '已致歉，调整物流商并承诺后续优先发货。'],
  service: ['更换对接人员，主管电话回访致歉。', '已安排补充培训，客户确认满意。'],
  billing: ['已作废原发票并重新开具。', '已退回重复款项，财务出具说明。'],
  other: ['提供书面说明并更新宣传资料。', '与客户重新沟通并补充协议条款。'],
};

const SEVERITY_WEIGHTS: { weight: number; value: ComplaintSeverity }[] = [
  { weight: 30, value: 'low' },
  { weight: 40, value: 'medium' },
  { weight: 22, value: 'high' },
  { weight: 8, value: 'critical' },
];

const SATISFACTION_WEIGHTS = [
  { weight: 5, value: 1 },
  { weight: 10, value: 2 },
  { weight: 20, value: 3 },
  { weight: 35, value: 4 },
  { weight: 30, value: 5 },
];

/** Older complaints are settled; the last month's are still being worked. */
function statusFor(faker: Faker, ageDays: number): ComplaintStatus {
  const weights: [number, number, number, number] =
    ageDays > 30 ? [0, 3, 7, 90] : ageDays > 7 ? [10, 25, 25, 40] : [35, 35, 20, 10];
  return faker.helpers.weightedArrayElement(
    (['open', 'in_progress', 'resolved', 'closed'] as const)
      .map((value, i) => ({
        weight: weights[i]!,
        value,
      }))
      .filter((w) => w.weight > 0),
  );
}

export async function demoComplaints(
  tx: Db,
  faker: Faker,
  customers: DemoComplaintCustomer[],
  now: Date,
): Promise<number> {
  const owned = customers.filter((c) => c.ownerId);
  const picked = faker.helpers.arrayElements(owned, Math.round(customers.length / 20));
  const drafts = picked
    .map((customer) => ({
      customer,
      receivedAt: faker.date.between({ from: new Date(now.getTime() - 540 * DAY_MS), to: now }),
    }))
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());

  for (const { customer, receivedAt } of drafts) {
    const category = faker.helpers.arrayElement(Object.keys(SUBJECTS));
    const severity = faker.helpers.weightedArrayElement(SEVERITY_WEIGHTS);
    const ageDays = (now.getTime() - receivedAt.getTime()) / DAY_MS;
    const status = statusFor(faker, ageDays);
    const due = slaDueAt(receivedAt, severity, DEFAULT_SLA_HOURS);
    // Worked within a few hours; settled within days (past the time limit now and then).
    const later = (from: Date, maxHours: number) =>
      new Date(
        Math.min(now.getTime(), from.getTime() + faker.number.int({ min: 1, max: maxHours }) * HOUR_MS),
      );
    const startedAt = status === 'open' ? null : later(receivedAt, 8);
    const resolvedAt = status === 'resolved' || status === 'closed' ? later(startedAt!, 96) : null;
    const closedAt = status === 'closed' ? later(resolvedAt!, 72) : null;
    const unresolved = status === 'open' || status === 'in_progress';
    const overdueSince = unresolved && due < now ? due : null;
    await tx.insert(complaints).values({
      number: await nextNumber(tx, 'complaint', receivedAt),
      customerId: customer.id,
      contactId:
        customer.contactIds.length && faker.datatype.boolean(0.7)
          ? faker.helpers.arrayElement(customer.contactIds)
          : null,
      subject: faker.helpers.arrayElement(SUBJECTS[category]!),
      description: faker.datatype.boolean(0.6) ? '客户来电反映问题，要求尽快给出处理方案。' : null,
      category,
      severity,
      channel: faker.helpers.arrayElement(COMPLAINT_CHANNELS),
      ownerId: customer.ownerId!,
      orgUnitId: customer.orgUnitId,
      status,
      slaDueAt: due,
      startedAt,
      resolvedAt,
      resolution: resolvedAt ? faker.helpers.arrayElement(RESOLUTIONS[category]!) : null,
      satisfaction: closedAt ? faker.helpers.weightedArrayElement(SATISFACTION_WEIGHTS) : null,
      closedAt,
      // Alerts older than a week were sent long ago; the recent ones go out when the app starts.
      overdueNotifiedAt:
        overdueSince && now.getTime() - overdueSince.getTime() > 7 * DAY_MS
          ? new Date(overdueSince.getTime() + 15 * 60_000)
          : null,
      createdAt: receivedAt,
      updatedAt: closedAt ?? resolvedAt ?? startedAt ?? receivedAt,
    });
  }
  return drafts.length;
}
