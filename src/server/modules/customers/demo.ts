import type { Faker } from '@faker-js/faker';
import { inArray } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import type { Db } from '../../db/client.js';
import { companyTimeZone } from '../../platform/settings/settings.service.js';
import { listDivisions } from '../org/divisions.js';
import { territoryAssignments, users } from '../org/schema.js';
import { DAY_MS, followUpDueAt, isPoolDue, poolDaysFor } from './cadence.js';
import { demoComplaints } from './complaints.demo.js';
import { creditCodeCheckChar } from './credit-code.js';
import { dedupeKeys } from './customers.service.js';
import { pinyinOf } from './dedupe.js';
import { getLeadRules, scoreOf } from './leads.service.js';
import { demoLoyalty } from './loyalty.demo.js';
import {
  type ActivityType,
  activities,
  type CustomerGrade,
  contacts,
  customerCollaborators,
  customers,
  type LeadStatus,
  type Lifecycle,
  leads,
  poolEvents,
} from './schema.js';
import { getCustomerSettings } from './settings.service.js';
import { demoVisitPlans } from './visit-plans.demo.js';

// The customers module's part of the demo company (issue 4, item 15): customers with contacts,
// leads in every status and 18 months of follow-ups, spread over the demo reps by their
// territories. Written straight into the tables in multi-row batches (the demo load is audited
// once, by seedDemo), but every derived column comes from the module's own rules: dedupe keys
// and pinyin (customers.service), lead scores (leads.service → scoring.ts), due dates and pool
// periods (cadence.ts), with the cadence and lists from the settings rows.

/** Volumes at scale 1; `scale` multiplies them (and seedDemo multiplies the reps alike). */
export const DEMO_VOLUMES = { customers: 2000, contacts: 5000, leads: 3000, activities: 20000 };

/** The demo sales force the data is spread over (seedDemo's DemoOrg fits). */
export interface DemoSalesForce {
  regions: { id: string; name: string; teams: { id: string; leadId: string; repIds: string[] }[] }[];
  userIds: Record<string, string>;
}

export interface CustomersDemoCounts {
  customers: number;
  contacts: number;
  leads: number;
  activities: number;
  visitPlans: number;
  complaints: number;
  loyaltyAccounts: number;
}

const BATCH = 500;
const HISTORY_DAYS = 548; // 18 months
const HOUR_MS = 3_600_000;

interface Rep {
  id: string;
  name: string;
  teamId: string;
  teamLeadId: string;
  teamLeadName: string;
  regionId: string;
  provinceCode: string;
  teammates: string[];
}

// Word lists. Company names are built like real ones: city + brand + trade + legal form.
const BRAND_CHARS = [
  ...'华宏鑫达盛泰恒源瑞丰嘉禾信通远安康德隆兴昌顺利博创新金海天长永中东明正诚和佳美联合力宇航星辰锦程启润广汇志宝亿同益众铭科晟峰',
];
const TRADES = [
  '贸易',
  '科技',
  '汽车销售',
  '物流',
  '机械设备',
  '建材',
  '电子',
  '医药',
  '实业',
  '商贸',
  '汽车服务',
  '租赁',
  '供应链管理',
  '工程',
  '食品',
  '新能源',
];
const LEGAL_FORMS = [
  { weight: 70, value: '有限公司' },
  { weight: 12, value: '有限责任公司' },
  { weight: 10, value: '股份有限公司' },
  { weight: 8, value: '集团有限公司' },
];
const INDUSTRIES = [
  '汽车零售',
  '物流运输',
  '制造业',
  '建筑工程',
  '批发零售',
  '信息技术',
  '医药健康',
  '餐饮酒店',
  '教育培训',
  '租赁服务',
];
const SIZES = ['1-49', '50-99', '100-499', '500-999', '1000+'];
const ROADS = [
  '人民路',
  '解放路',
  '中山路',
  '建设路',
  '长江路',
  '和平路',
  '新华路',
  '工业大道',
  '科技园路',
  '世纪大道',
  '滨江路',
  '创业路',
];
const TAGS = ['重点客户', '老客户', '价格敏感', '需培育', '大客户', '年度框架', '新能源意向'];
const CREDIT_RATINGS = ['AAA', 'AA', 'A', 'BBB', 'BB'];
const TITLES: { title: string; role: (typeof contacts.$inferInsert)['decisionRole'] }[] = [
  { title: '总经理', role: 'decision_maker' },
  { title: '董事长', role: 'decision_maker' },
  { title: '副总经理', role: 'decision_maker' },
  { title: '采购经理', role: 'influencer' },
  { title: '采购主管', role: 'gatekeeper' },
  { title: '财务总监', role: 'influencer' },
  { title: '行政主管', role: 'gatekeeper' },
  { title: '车队主管', role: 'user' },
  { title: '技术总监', role: 'user' },
  { title: '运营经理', role: 'user' },
  { title: '办公室主任', role: 'other' },
];
const MOBILE_PREFIXES = [
  ...'130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 176 177 180 181 182 183 185 186 187 188 189 191 198 199'.split(
    ' ',
  ),
];
const MAIL_DOMAINS = ['163.com', 'qq.com', '126.com', 'sina.com', 'foxmail.com'];
// Area codes of the cities whose companies get a landline (GB/T 2260 city or municipality code).
const AREA_CODES: Record<string, string> = {
  '11': '010',
  '12': '022',
  '31': '021',
  '50': '023',
  '4401': '020',
  '4403': '0755',
  '4406': '0757',
  '4419': '0769',
  '3201': '025',
  '3202': '0510',
  '3205': '0512',
  '3301': '0571',
  '3302': '0574',
  '3401': '0551',
  '3501': '0591',
  '3502': '0592',
  '3601': '0791',
  '3701': '0531',
  '3702': '0532',
  '1301': '0311',
  '1401': '0351',
  '1501': '0471',
  '4501': '0771',
  '4601': '0898',
  '5101': '028',
  '5201': '0851',
  '5301': '0871',
  '5401': '0891',
};

const SUBJECTS: Record<ActivityType, string[]> = {
  visit: [
    '上门拜访，介绍新品',
    '拜访采购负责人',
    '实地查看车辆使用情况',
    '节前走访客户',
    '拜访决策人，沟通年度合作',
  ],
  call: [
    '电话回访，了解需求进展',
    '电话确认报价反馈',
    '电话跟进付款安排',
    '电话邀约参加新品发布会',
    '电话沟通交付时间',
  ],
  message: ['微信发送产品资料', '微信沟通试驾反馈', '短信提醒活动报名', '微信确认拜访时间'],
  email: ['发送报价单', '发送合同草案', '邮件发送方案说明', '发送年度合作政策'],
  meeting: ['技术交流会', '年度合作洽谈', '方案评审会', '邀请客户参观展厅'],
  task: ['准备报价方案', '整理拜访纪要', '安排试驾车辆', '提交授信申请资料', '安排售后培训'],
};
const OUTCOMES = [
  '客户有明确采购意向',
  '对价格有顾虑，需申请折扣',
  '需求待客户内部评审',
  '决策人出差，改期再约',
  '试驾反馈良好',
  '客户暂无新需求',
  '同意参加下月新品发布会',
  '要求补充技术资料',
  '竞品报价更低，需重点跟进',
  '已达成初步合作意向',
];
const NEXT_STEPS = [
  '发送正式报价',
  '约下周上门拜访',
  '邀请参加产品演示',
  '跟进合同审批',
  '申请特价',
  '回访使用情况',
  '安排试驾',
  '安排技术交流',
];
const NOTES = [
  '客户计划下半年扩充车队，关注交付周期与售后响应。',
  '采购流程需三家比价，预计月底定标。',
  '对金融方案感兴趣，需要财务部确认首付比例。',
  '老客户转介绍，关系基础较好。',
  '客户反馈上一批车辆保养预约不便，已转售后跟进。',
  '决策链较长，需争取总经理面谈。',
];
const NEEDS = [
  '计划采购商务车，预算约 {n} 万',
  '咨询批量采购价格',
  '希望安排上门演示',
  '了解售后服务政策与保养套餐',
  '对新能源车型感兴趣',
  '想看 SUV，预算 {n} 万',
  '公司用车更新换代，需要报价',
  '需要融资租赁方案',
];
const DISQUALIFY_REASONS = ['无购买预算', '联系方式无效', '已购买竞品', '非目标客户', '需求已取消'];
const AWARENESS = ['朋友推荐', '抖音', '微信公众号', '百度搜索', '户外广告', '行业展会', '老客户介绍'];
const OCCUPATIONS = ['企业主', '公司职员', '公务员', '教师', '医生', '个体经营'];
const AGE_BANDS = ['under25', '25to34', '35to44', '45to54', '55plus'];

/** The company time zone's offset from UTC now (business hours of the generated history). */
function zoneOffsetMs(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return local - Math.floor(at.getTime() / 1000) * 1000;
}

/** Organisation code (GB 11714): eight digits and a check character. */
function organisationCode(faker: Faker): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const body = faker.string.numeric({ length: 8, allowLeadingZeros: false });
  const sum = [...body].reduce((s, c, i) => s + Number(c) * weights[i]!, 0);
  const check = 11 - (sum % 11);
  return body + (check === 10 ? 'X' : check === 11 ? '0' : String(check));
}

/**
 * Writes the customers module's demo data for the given sales force inside the caller's
 * transaction and returns the counts. Deterministic for a given faker state: the same seed gives
 * the same names, codes, grades and histories (times are relative to `now`).
 */
export async function seedCustomersDemo(
  tx: Db,
  faker: Faker,
  force: DemoSalesForce,
  opts: { scale: number; now?: Date },
): Promise<CustomersDemoCounts> {
  const now = (opts.now ?? new Date()).getTime();
  const scale = opts.scale;
  const settings = await getCustomerSettings(tx);
  const { scoring, capPerRep, sources } = await getLeadRules(tx);
  const timeZone = await companyTimeZone(tx);
  const offset = zoneOffsetMs(timeZone, new Date(now));

  // Time helpers: uniform between two instants, moved into office hours (9:00–18:30 company
  // time) of that day when that keeps it within the bounds.
  const between = (from: number, to: number) => {
    const t = from + faker.number.float({ min: 0, max: 1 }) * Math.max(0, to - from);
    const dayStart = Math.floor((t + offset) / DAY_MS) * DAY_MS - offset;
    const minute = faker.number.int(570) * 60_000;
    // That day's office hours, else the day before's (a window ending early in the morning).
    for (const day of [dayStart, dayStart - DAY_MS]) {
      const office = day + 9 * HOUR_MS + minute;
      if (office >= from && office <= to) return office;
    }
    return Math.round(t);
  };
  const daysAgo = (days: number) => now - days * DAY_MS;
  const pick = <T>(list: readonly T[]) => faker.helpers.arrayElement(list);
  const chance = (p: number) => faker.number.float({ min: 0, max: 1 }) < p;

  // The sales force: each rep with their team, region and territory province.
  const allReps = force.regions.flatMap((region) =>
    region.teams.flatMap((team) => team.repIds.map((id) => ({ id, team, region }))),
  );
  if (!allReps.length)
    return {
      customers: 0,
      contacts: 0,
      leads: 0,
      activities: 0,
      visitPlans: 0,
      complaints: 0,
      loyaltyAccounts: 0,
    };
  const people = await tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(
      inArray(users.id, [
        ...allReps.map((r) => r.id),
        ...force.regions.flatMap((r) => r.teams.map((t) => t.leadId)),
        ...Object.values(force.userIds),
      ]),
    );
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const territories = await tx
    .select({ userId: territoryAssignments.userId, code: territoryAssignments.divisionCode })
    .from(territoryAssignments)
    .where(
      inArray(
        territoryAssignments.userId,
        allReps.map((r) => r.id),
      ),
    );
  const provinceOf = new Map(territories.map((t) => [t.userId!, t.code.slice(0, 2)]));
  const reps: Rep[] = allReps.flatMap(({ id, team, region }) => {
    const provinceCode = provinceOf.get(id);
    if (!provinceCode) return [];
    return [
      {
        id,
        name: nameOf.get(id) ?? '',
        teamId: team.id,
        teamLeadId: team.leadId,
        teamLeadName: nameOf.get(team.leadId) ?? '',
        regionId: region.id,
        provinceCode,
        teammates: team.repIds.filter((r) => r !== id),
      },
    ];
  });
  const receptionists = ['assistant01', 'assistant02']
    .map((u) => force.userIds[u])
    .filter((id): id is string => !!id);

  // Places: a city of the rep's province (the capital more often), with name and area code.
  const citiesOf = new Map<string, { code: string; name: string }[]>();
  const placeIn = (provinceCode: string) => {
    let cities = citiesOf.get(provinceCode);
    if (!cities) {
      cities = listDivisions(provinceCode).map((d) => ({ code: d.code, name: d.name }));
      citiesOf.set(provinceCode, cities);
    }
    // Municipalities list districts at city level: their companies are named after the municipality.
    const municipality = cities[0]!.code.length === 6;
    const city = !municipality && chance(0.4) ? cities[0]! : pick(cities);
    const province = listDivisions().find((p) => p.code === provinceCode)!;
    const shortName = (municipality ? province.name : city.name).replace(
      /(市|地区|盟|自治州|林区|特别行政区)$/,
      '',
    );
    const areaCode = AREA_CODES[city.code] ?? (municipality ? AREA_CODES[provinceCode] : undefined);
    // The credit code's division: the district, or the city's own code.
    const division6 = city.code.length === 6 ? city.code : `${city.code}00`;
    return { provinceCode, cityCode: city.code, cityName: city.name, shortName, areaCode, division6 };
  };

  // Unique identifiers across the data set, so dedupe finds no accidental twins.
  const usedMobiles = new Set<string>();
  const mobile = () => {
    for (;;) {
      const m = pick(MOBILE_PREFIXES) + faker.string.numeric(8);
      if (!usedMobiles.has(m)) {
        usedMobiles.add(m);
        return m;
      }
    }
  };
  const usedCodes = new Set<string>();
  const creditCode = (division6: string) => {
    for (;;) {
      const first17 = `91${division6}${organisationCode(faker)}`;
      const code = first17 + creditCodeCheckChar(first17);
      if (!usedCodes.has(code)) {
        usedCodes.add(code);
        return code;
      }
    }
  };
  const usedNames = new Set<string>();
  const personName = () => faker.person.lastName() + faker.person.firstName();
  const latin = (name: string) => pinyinOf(name).full || 'user';

  // Customers -------------------------------------------------------------------------------
  const customerTotal = DEMO_VOLUMES.customers * scale;
  const leadTotal = DEMO_VOLUMES.leads * scale;
  const convertedTotal = Math.round(leadTotal * 0.25);
  const cadence = settings.cadenceDays;

  interface DemoCustomer {
    row: typeof customers.$inferInsert & { id: string; createdAt: Date };
    rep: Rep;
    grade: CustomerGrade;
    last: number;
    contacts: (typeof contacts.$inferInsert & { id: string })[];
    fromLead: boolean;
    overdue: boolean;
    weight: number;
  }
  const demoCustomers: DemoCustomer[] = [];
  const overdueLeft = new Map(reps.map((r) => [r.id, faker.number.int({ min: 3, max: 6 })]));
  const fromLead = new Set(
    faker.helpers.arrayElements(
      Array.from({ length: customerTotal }, (_, i) => i),
      Math.min(convertedTotal, customerTotal),
    ),
  );

  for (let i = 0; i < customerTotal; i++) {
    const rep = reps[i % reps.length]!;
    const place = placeIn(rep.provinceCode);
    const individual = chance(0.08);
    let name = '';
    let shortName: string | null = null;
    while (!name || usedNames.has(dedupeKeys(name).nameKey)) {
      if (individual) {
        name = personName();
      } else {
        const brand = faker.helpers.arrayElements(BRAND_CHARS, 2).join('');
        const trade = pick(TRADES);
        name = `${place.shortName}${brand}${trade}${faker.helpers.weightedArrayElement(LEGAL_FORMS)}`;
        shortName = chance(0.6) ? `${brand}${trade}` : null;
      }
    }
    const keys = dedupeKeys(name);
    usedNames.add(keys.nameKey);
    const grade = faker.helpers.weightedArrayElement<CustomerGrade>([
      { weight: 15, value: 'A' },
      { weight: 35, value: 'B' },
      { weight: 50, value: 'C' },
    ]);
    const pooled = chance(0.1);
    const poolDays = poolDaysFor(settings.poolDays, 'customer', grade);
    const days = cadence[grade];
    let last: number;
    let pooledAt: number | null = null;
    let overdue = false;
    if (pooled) {
      // Reclaimed by the pool job after its pool period without a follow-up.
      pooledAt = between(daysAgo(150), daysAgo(1));
      last = pooledAt - poolDays * DAY_MS - faker.number.int(DAY_MS);
    } else if (grade !== 'C' && days + 3 < poolDays && (overdueLeft.get(rep.id) ?? 0) > 0) {
      // A handful per rep past the grade's cadence, still short of the pool period.
      overdueLeft.set(rep.id, overdueLeft.get(rep.id)! - 1);
      overdue = true;
      const late = days + 1 + faker.number.float({ min: 0, max: poolDays - days - 3 });
      last = between(daysAgo(late + 0.4), daysAgo(late));
    } else {
      last = between(daysAgo(Math.min(days, poolDays - 2) - 0.5), now - 60_000);
    }
    const created = fromLead.has(i)
      ? between(daysAgo(500), Math.min(last, now - DAY_MS))
      : between(daysAgo(HISTORY_DAYS), Math.min(last, now - DAY_MS));
    if (!pooled && isPoolDue(new Date(last), poolDays, new Date(now)))
      throw new Error('demo customer would be reclaimed at once');
    const lifecycle = faker.helpers.weightedArrayElement<Lifecycle>(
      pooled
        ? [
            { weight: 20, value: 'prospect' },
            { weight: 45, value: 'dormant' },
            { weight: 35, value: 'lost' },
          ]
        : [
            { weight: 25, value: 'prospect' },
            { weight: 55, value: 'active' },
            { weight: 13, value: 'dormant' },
            { weight: 7, value: 'lost' },
          ],
    );
    const company = !individual;
    const id = uuidv7();
    const owned = !pooled;
    const regionPool = pooled && chance(0.3);
    const createdAt = new Date(created);
    demoCustomers.push({
      rep,
      grade,
      last,
      fromLead: fromLead.has(i),
      overdue,
      weight: { A: 4, B: 2, C: 1 }[grade],
      contacts: [],
      row: {
        id,
        kind: company ? 'company' : 'individual',
        name,
        shortName,
        ...keys,
        creditCode: company && chance(0.85) ? creditCode(place.division6) : null,
        industry: company ? pick(INDUSTRIES) : null,
        size: company ? pick(SIZES) : null,
        provinceCode: place.provinceCode,
        cityCode: place.cityCode,
        address: `${place.cityName}${pick(ROADS)}${faker.number.int({ min: 1, max: 999 })}号`,
        phone:
          company && place.areaCode
            ? `${place.areaCode}-${faker.number.int({ min: 2, max: 8 })}${faker.string.numeric(place.areaCode.length === 3 ? 7 : 6)}`
            : null,
        website: company && chance(0.3) ? `www.${pinyinOf(shortName ?? name).full}.com` : null,
        tags: chance(0.3) ? faker.helpers.arrayElements(TAGS, { min: 1, max: 2 }) : [],
        grade,
        gradeSource: 'manual',
        lifecycle,
        creditLimit:
          company && (lifecycle === 'active' || lifecycle === 'dormant') && chance(0.5)
            ? BigInt(faker.number.int({ min: 5, max: 200 }) * 10_000 * 100)
            : null,
        creditRating: company && chance(0.4) ? pick(CREDIT_RATINGS) : null,
        source: chance(0.85) ? pick(sources) : null,
        ownerId: owned ? rep.id : null,
        orgUnitId: regionPool ? rep.regionId : rep.teamId,
        lastFollowUpAt: new Date(last),
        // seed 002: the grade's cadence (A 7 days, B 14, C 30) counts from the last follow-up.
        followUpDueAt: followUpDueAt({ grade, owned, lastFollowUpAt: new Date(last) }, cadence),
        pooledAt: pooledAt === null ? null : new Date(pooledAt),
        createdAt,
        updatedAt: new Date(between(created, now)),
        createdBy: rep.id,
      },
    });
  }

  // Contacts: everyone has a primary contact (an individual is their own); companies get more.
  const newContact = (c: DemoCustomer, primary: boolean) => {
    const name = c.row.kind === 'individual' && primary ? c.row.name : personName();
    const role = pick(TITLES);
    const created = primary ? c.row.createdAt.getTime() : between(c.row.createdAt.getTime(), now);
    const hasMobile = primary || chance(0.9);
    const contact = {
      id: uuidv7(),
      customerId: c.row.id,
      name,
      title: c.row.kind === 'company' ? role.title : null,
      mobile: hasMobile ? mobile() : null,
      phone: c.row.phone && chance(0.3) ? c.row.phone : null,
      email:
        chance(0.5) || !hasMobile ? `${latin(name)}${faker.string.numeric(3)}@${pick(MAIL_DOMAINS)}` : null,
      wechat: chance(0.4) ? `${latin(name)}_${faker.string.alphanumeric(4).toLowerCase()}` : null,
      birthday: chance(0.4)
        ? faker.date.birthdate({ mode: 'age', min: 28, max: 60, refDate: now }).toISOString().slice(0, 10)
        : null,
      decisionRole: c.row.kind === 'company' ? role.role : 'decision_maker',
      isPrimary: primary,
      createdAt: new Date(created),
      updatedAt: new Date(created),
      createdBy: c.rep.id,
    };
    c.contacts.push(contact);
  };
  for (const c of demoCustomers) {
    newContact(c, true);
    // Individuals keep their own phone on the customer (what lead conversion does).
    if (c.row.kind === 'individual') c.row.phone = c.contacts[0]!.mobile;
  }
  const companies = demoCustomers.filter((c) => c.row.kind === 'company');
  for (let extra = DEMO_VOLUMES.contacts * scale - demoCustomers.length; extra > 0 && companies.length; ) {
    const c = pick(companies);
    if (c.contacts.length >= 6) continue;
    newContact(c, false);
    extra--;
  }

  // Activities helpers -------------------------------------------------------------------------
  const activityRows: (typeof activities.$inferInsert)[] = [];
  const activity = (a: {
    at: number;
    owner: { id: string; teamId: string };
    type?: ActivityType;
    customerId?: string | null;
    contactId?: string | null;
    leadId?: string | null;
    done?: boolean;
  }) => {
    const type =
      a.type ??
      faker.helpers.weightedArrayElement<ActivityType>([
        { weight: 25, value: 'visit' },
        { weight: 35, value: 'call' },
        { weight: 15, value: 'message' },
        { weight: 8, value: 'email' },
        { weight: 7, value: 'meeting' },
        { weight: 10, value: 'task' },
      ]);
    const done = a.done ?? (type === 'task' ? chance(0.9) : true);
    const withNext = chance(0.6);
    const row = {
      id: uuidv7(),
      type,
      subject: pick(SUBJECTS[type]),
      notes: chance(0.35) ? pick(NOTES) : null,
      outcome: type === 'task' ? (done ? '已完成' : null) : chance(0.85) ? pick(OUTCOMES) : null,
      occurredAt: new Date(a.at),
      nextStep: withNext ? pick(NEXT_STEPS) : null,
      nextStepAt: withNext ? new Date(a.at + faker.number.int({ min: 1, max: 14 }) * DAY_MS) : null,
      customerId: a.customerId ?? null,
      contactId: a.contactId ?? null,
      leadId: a.leadId ?? null,
      done,
      ownerId: a.owner.id,
      orgUnitId: a.owner.teamId,
      createdAt: new Date(Math.min(a.at, now)),
      updatedAt: new Date(Math.min(a.at, now)),
      createdBy: a.owner.id,
    };
    activityRows.push(row);
    return row;
  };
  const followUpTypes: ActivityType[] = ['call', 'visit', 'message', 'email', 'meeting'];

  // Leads ------------------------------------------------------------------------------------
  const leadRows: (typeof leads.$inferInsert)[] = [];
  const poolEventRows: (typeof poolEvents.$inferInsert)[] = [];
  const leadPoolDays = poolDaysFor(settings.poolDays, 'lead', null);
  const openHeld = new Map<string, number>();
  const newTotal = Math.round(leadTotal * 0.1);
  const workingTotal = Math.round(leadTotal * 0.18);
  // Every status: a quarter converted, the open ones recent, most of the rest disqualified.
  const statuses: LeadStatus[] = [
    ...Array<LeadStatus>(Math.min(convertedTotal, customerTotal)).fill('converted'),
    ...Array<LeadStatus>(newTotal).fill('new'),
    ...Array<LeadStatus>(workingTotal).fill('working'),
  ];
  while (statuses.length < leadTotal) statuses.push('disqualified');
  const converting = demoCustomers.filter((c) => c.fromLead);

  for (const [i, status] of statuses.entries()) {
    const customer = status === 'converted' ? converting.shift()! : undefined;
    let rep = customer?.rep ?? reps[(i * 7) % reps.length]!;
    const open = status === 'new' || status === 'working';
    // Round robin skips reps at the cap of open leads; the demo leaves them room for new ones.
    if (open && (openHeld.get(rep.id) ?? 0) >= capPerRep * 0.7) {
      rep = reps.reduce((a, b) => ((openHeld.get(a.id) ?? 0) <= (openHeld.get(b.id) ?? 0) ? a : b));
    }
    const pooled = open && chance(0.15);
    if (open && !pooled) openHeld.set(rep.id, (openHeld.get(rep.id) ?? 0) + 1);
    const place = placeIn(rep.provinceCode);
    const contact = customer?.contacts[0];
    const id = uuidv7();
    const source =
      customer?.row.source ??
      faker.helpers.weightedArrayElement(
        sources.map((s) => ({ weight: s === 'other' ? 1 : s === 'ad' || s === 'website' ? 4 : 3, value: s })),
      );

    // When it came in, and its follow-ups.
    let created: number;
    const times: number[] = [];
    let pooledAt: number | null = null;
    if (customer) {
      const convertedAt = customer.row.createdAt.getTime();
      created = convertedAt - faker.number.float({ min: 2, max: 45 }) * DAY_MS;
      for (let k = faker.number.int({ min: 1, max: 4 }); k > 0; k--)
        times.push(between(created, convertedAt));
    } else if (status === 'new') {
      created = pooled
        ? between(daysAgo(120), daysAgo(leadPoolDays + 1))
        : between(daysAgo(leadPoolDays - 2), now - 60_000);
    } else if (status === 'working') {
      if (pooled) {
        created = between(daysAgo(150), daysAgo(30));
        for (let k = faker.number.int({ min: 1, max: 3 }); k > 0; k--)
          times.push(between(created, created + 10 * DAY_MS));
      } else {
        created = between(daysAgo(60), daysAgo(1));
        times.push(between(Math.max(created, daysAgo(leadPoolDays - 2)), now - 60_000));
        for (let k = faker.number.int({ min: 0, max: 3 }); k > 0; k--)
          times.push(between(created, times[0]!));
      }
    } else {
      created = between(daysAgo(HISTORY_DAYS), daysAgo(7));
      for (let k = faker.number.int({ min: 0, max: 3 }); k > 0; k--)
        times.push(between(created, Math.min(now, created + 30 * DAY_MS)));
    }
    const last = times.length ? Math.max(...times) : null;
    if (pooled) pooledAt = (last ?? created) + leadPoolDays * DAY_MS + faker.number.int(DAY_MS);

    const company = customer ? customer.row.kind === 'company' : chance(0.7);
    const person = contact?.name ?? personName();
    const mobileNo = contact ? (contact.mobile ?? null) : chance(0.92) ? mobile() : null;
    const emailAddr =
      contact?.email ??
      (chance(0.4) || !mobileNo ? `${latin(person)}${faker.string.numeric(3)}@${pick(MAIL_DOMAINS)}` : null);
    const captureChannel =
      source === 'inbound_call'
        ? 'phone'
        : source === 'walk_in'
          ? 'walk_in'
          : source === 'website'
            ? 'web'
            : source === 'exhibition' && chance(0.5)
              ? 'import'
              : 'form';
    const needs = chance(0.8)
      ? pick(NEEDS).replace('{n}', String(faker.number.int({ min: 15, max: 300 })))
      : null;
    const intentLevel = chance(0.85)
      ? faker.helpers.weightedArrayElement<'high' | 'medium' | 'low'>([
          { weight: 25, value: 'high' },
          { weight: 45, value: 'medium' },
          { weight: 30, value: 'low' },
        ])
      : null;
    const receptionist = receptionists.length ? pick(receptionists) : rep.id;
    const captureDetails =
      captureChannel === 'phone'
        ? {
            calledAt: new Date(created).toISOString(),
            callerName: person,
            number: mobileNo,
            asked: needs ?? '咨询产品与价格',
            answeredById: receptionist,
            answeredBy: nameOf.get(receptionist) ?? null,
            nextStep: pick(NEXT_STEPS),
          }
        : captureChannel === 'walk_in'
          ? {
              visitedAt: new Date(created).toISOString(),
              partySize: faker.number.int({ min: 1, max: 4 }),
              homeArea: `${place.cityName}${pick(ROADS)}`,
              occupation: pick(OCCUPATIONS),
              ageBand: pick(AGE_BANDS),
              interest: needs ?? '看车',
              receivingRepId: rep.id,
              receivingRep: rep.name,
            }
          : {};
    const fields = {
      personName: person,
      companyName: company
        ? (customer?.row.name ??
          `${place.shortName}${pick(BRAND_CHARS)}${pick(BRAND_CHARS)}${pick(TRADES)}有限公司`)
        : null,
      title: company && chance(0.5) ? pick(TITLES).title : null,
      mobile: mobileNo,
      email: emailAddr,
      wechat: chance(0.3) ? `${latin(person)}_${faker.string.alphanumeric(4).toLowerCase()}` : null,
      provinceCode: customer ? (customer.row.provinceCode ?? null) : chance(0.95) ? place.provinceCode : null,
      cityCode: customer ? (customer.row.cityCode ?? null) : chance(0.85) ? place.cityCode : null,
      source,
      needs,
      intentLevel,
    };
    if (!fields.provinceCode) fields.cityCode = null;
    const recent = times.filter((t) => t > now - 30 * DAY_MS).length;
    const { score, reasons } = scoreOf(fields, scoring, recent);
    const convertedAt = customer ? customer.row.createdAt : null;
    // Conversion gives the customer the lead's source.
    if (customer) customer.row.source = source;
    const closedAt =
      status === 'disqualified'
        ? Math.min(now, (last ?? created) + faker.number.int({ min: 1, max: 10 }) * DAY_MS)
        : null;
    leadRows.push({
      id,
      ...fields,
      awarenessChannel: chance(0.4) ? pick(AWARENESS) : null,
      captureChannel,
      captureDetails,
      score,
      scoreReasons: reasons,
      status,
      disqualifyReason: status === 'disqualified' ? pick(DISQUALIFY_REASONS) : null,
      ownerId: pooled ? null : rep.id,
      orgUnitId: rep.teamId,
      lastFollowUpAt: last === null ? null : new Date(last),
      pooledAt: pooledAt === null ? null : new Date(pooledAt),
      convertedCustomerId: customer?.row.id ?? null,
      convertedContactId: contact?.id ?? null,
      convertedAt,
      createdAt: new Date(created),
      updatedAt: new Date(
        Math.max(created, last ?? 0, convertedAt?.getTime() ?? 0, closedAt ?? 0, pooledAt ?? 0),
      ),
      createdBy: captureChannel === 'phone' || captureChannel === 'walk_in' ? receptionist : rep.id,
    });
    // Follow-ups on the lead; a converted lead's went to the customer with it (as conversion does).
    for (const at of times)
      activity({
        at,
        owner: rep,
        type: pick(followUpTypes),
        leadId: id,
        customerId: customer?.row.id ?? null,
        contactId: contact?.id ?? null,
      });
    if (pooledAt !== null)
      poolEventRows.push({
        entity: 'lead',
        entityId: id,
        action: 'reclaim',
        userId: rep.id,
        reason: 'no_follow_up',
        at: new Date(pooledAt),
      });
  }

  // Customers' follow-ups: the last one sets lastFollowUpAt; the rest of the budget goes to
  // customers by grade (A customers are seen most), spread between creation and the last one.
  const byId = new Map(demoCustomers.map((c) => [c.row.id, c]));
  const contactOf = (c: DemoCustomer) => (chance(0.7) ? pick(c.contacts).id : null);
  const ownerOf = (c: DemoCustomer) =>
    chance(0.06) ? { id: c.rep.teamLeadId, teamId: c.rep.teamId } : { id: c.rep.id, teamId: c.rep.teamId };
  for (const c of demoCustomers) {
    activity({
      at: c.last,
      owner: c.rep,
      type: pick(followUpTypes),
      customerId: c.row.id,
      contactId: contactOf(c),
    });
    // An owned customer often has its next step planned as a task.
    if (c.row.ownerId && chance(0.15)) {
      const due = c.row.followUpDueAt?.getTime() ?? now + 3 * DAY_MS;
      activity({
        at: between(Math.max(now + HOUR_MS, due - 3 * DAY_MS), Math.max(now + 2 * HOUR_MS, due)),
        owner: c.rep,
        type: 'task',
        done: false,
        customerId: c.row.id,
        contactId: contactOf(c),
      });
    }
  }
  const cumulative: number[] = [];
  let totalWeight = 0;
  for (const c of demoCustomers) {
    totalWeight += c.weight;
    cumulative.push(totalWeight);
  }
  for (let left = DEMO_VOLUMES.activities * scale - activityRows.length; left > 0; left--) {
    const x = faker.number.float({ min: 0, max: totalWeight });
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    const c = demoCustomers[lo]!;
    const at = between(c.row.createdAt.getTime(), c.last);
    activity({ at, owner: ownerOf(c), customerId: c.row.id, contactId: contactOf(c) });
  }

  // Collaborators, and the pool's trail for reclaimed customers.
  const collaboratorRows: (typeof customerCollaborators.$inferInsert)[] = [];
  for (const c of demoCustomers) {
    if (c.row.ownerId && c.row.kind === 'company' && c.rep.teammates.length && chance(0.04))
      collaboratorRows.push({ customerId: c.row.id, userId: pick(c.rep.teammates) });
    if (c.row.pooledAt)
      poolEventRows.push({
        entity: 'customer',
        entityId: c.row.id,
        action: 'reclaim',
        userId: c.rep.id,
        reason: 'no_follow_up',
        at: c.row.pooledAt,
      });
  }
  if (byId.size !== demoCustomers.length) throw new Error('demo customer ids clash');

  await insertAll(
    tx,
    customers,
    demoCustomers.map((c) => c.row),
  );
  await insertAll(
    tx,
    contacts,
    demoCustomers.flatMap((c) => c.contacts),
  );
  await insertAll(tx, leads, leadRows);
  await insertAll(tx, activities, activityRows);
  await insertAll(tx, customerCollaborators, collaboratorRows);
  await insertAll(tx, poolEvents, poolEventRows);

  // The module's other demo builders, fed with these customers: visit plans of the last weeks
  // (their visits are follow-ups; the overdue handful is left alone so it stays overdue),
  // complaints, loyalty points and account cards.
  const owned = demoCustomers.filter((c) => c.row.ownerId);
  const visits = await demoVisitPlans(
    tx,
    faker,
    reps.map((rep) => ({
      userId: rep.id,
      orgUnitId: rep.teamId,
      customerIds: owned.filter((c) => c.rep.id === rep.id && !c.overdue).map((c) => c.row.id),
    })),
    new Date(now),
    { timeZone },
  );
  const cards = demoCustomers.map((c) => ({
    id: c.row.id,
    ownerId: c.row.ownerId ?? null,
    orgUnitId: c.row.orgUnitId,
    contactIds: c.contacts.map((x) => x.id),
  }));
  const complaints = await demoComplaints(tx, faker, cards, new Date(now));
  const loyalty = await demoLoyalty(tx, faker, cards, new Date(now));
  return {
    customers: demoCustomers.length,
    contacts: demoCustomers.reduce((n, c) => n + c.contacts.length, 0),
    leads: leadRows.length,
    activities: activityRows.length + visits.visits,
    visitPlans: visits.plans,
    complaints,
    loyaltyAccounts: loyalty.accounts,
  };
}

/** Multi-row inserts of BATCH rows each. */
async function insertAll<T extends PgTable>(tx: Db, table: T, rows: T['$inferInsert'][]) {
  for (let i = 0; i < rows.length; i += BATCH) {
    await tx.insert(table).values(rows.slice(i, i + BATCH));
  }
}
