import type { Faker } from '@faker-js/faker';
import { and, asc, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import { type Db, queryRows } from '../../db/client.js';
import type { DemoOrg } from '../../demo/org.js';
import { loadActor } from '../../platform/access/actor.js';
import { addDays } from '../../platform/calendar.js';
import type { Ctx } from '../../platform/context.js';
import { nextNumbers } from '../../platform/numbering/numbering.js';
import { companyTimeZone, getSettings } from '../../platform/settings/settings.service.js';
import { contacts, customers } from '../customers/schema.js';
import { users } from '../org/schema.js';
import { planProblems, splitEvenly } from './contracts.rules.js';
import { contractInstallments, contracts } from './contracts.schema.js';
import { submitContract } from './contracts.service.js';
import {
  opportunities,
  opportunityChecklist,
  opportunityCollaborators,
  opportunityCompetitors,
  opportunityContacts,
  opportunityStageHistory,
} from './opportunities.schema.js';
import { defaultForecastCategory, type StageDef } from './pipelines.rules.js';
import {
  createPipeline,
  defaultPipeline,
  getSalesSettings,
  type StageRow,
  stagesOf,
} from './pipelines.service.js';

// The sales module's part of the demo company (issue 6, item 9): about 3,000 opportunities over
// eighteen months in the standard pipeline and a second, distribution pipeline (created through
// the pipelines service, as an administrator would), each with a stage history that walks the
// stages week by week (contiguous: one entry's exit is the next one's entry; the current stage's
// entry stays open, as the service keeps it), checklist ticks for every stage left forward,
// contacts, competitors, next steps, won and lost with weighted loss reasons; then about 600
// contracts with payment plans, mostly from the won opportunities.
//
// Opportunities, histories and most contracts are written straight into the tables in multi-row
// batches (the services stamp now(); the demo load is audited once, by seedDemo). Derived columns
// come from the module's rules: probability and forecast category (pipelines.rules), payment
// plans checked by planProblems (contracts.rules), contract numbers from the numbering service.
// The few contracts in review go through submitContract, so the approvals engine holds real
// pending requests for the inboxes of managers, finance and the director.

/** Volumes at scale 1; `scale` multiplies them. */
export const SALES_DEMO_VOLUMES = { opportunities: 3000, contracts: 600 };

export interface SalesDemoCounts {
  pipelines: number;
  opportunities: number;
  won: number;
  lost: number;
  open: number;
  stalled: number;
  stageEntries: number;
  contracts: number;
  contractsInReview: number;
  installments: number;
  linkedActivities: number;
}

/** One generated opportunity, for the generators that build on them (quotes, bids…). */
export interface DemoOpportunity {
  id: string;
  name: string;
  customerId: string;
  pipelineId: string;
  stageId: string;
  /** Index of the current stage among the pipeline's open stages; -1 when won or lost. */
  openStageIndex: number;
  status: 'open' | 'won' | 'lost';
  amount: number;
  ownerId: string;
  orgUnitId: string;
  contactIds: string[];
  createdAt: Date;
  closedAt: Date | null;
  /** When each stage was entered, in order (stage id, instant). */
  path: { stageId: string; enteredAt: Date }[];
}

export interface DemoContract {
  id: string;
  number: string;
  customerId: string;
  opportunityId: string | null;
  state: string;
  amount: number;
  ownerId: string;
  createdAt: Date;
}

/** What later generators need: the pipelines, opportunities and contracts just written. */
export interface SalesDemoContext {
  pipelines: { id: string; code: string; stages: StageRow[] }[];
  opportunities: DemoOpportunity[];
  contracts: DemoContract[];
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const HISTORY_DAYS = 540; // 18 months
/** An open deal's amount ÷ what a closed one of the same customer would be (see openAmount). */
const OPEN_AMOUNT_SHARE = 0.35;
const BATCH = 500;

/** The second pipeline: dealers and distributors (渠道分销), shorter and with its own checklist. */
export const DISTRIBUTION_PIPELINE: { code: string; nameZh: string; nameEn: string; stages: StageDef[] } = {
  code: 'distribution',
  nameZh: '渠道分销',
  nameEn: 'Distribution',
  stages: [
    {
      nameZh: '意向沟通',
      nameEn: 'Intent',
      probability: 10,
      kind: 'open',
      checklist: [
        { key: 'intent_confirmed', textZh: '经销意向已确认', textEn: 'Intent confirmed', required: true },
      ],
      requiredFields: [],
    },
    {
      nameZh: '资质审核',
      nameEn: 'Qualification',
      probability: 30,
      kind: 'open',
      checklist: [
        {
          key: 'license_checked',
          textZh: '营业执照及经营资质已审核',
          textEn: 'Licence and qualifications checked',
          required: true,
        },
        { key: 'credit_checked', textZh: '授信评估已完成', textEn: 'Credit assessed', required: false },
      ],
      requiredFields: ['contactId'],
    },
    {
      nameZh: '样品试用',
      nameEn: 'Trial',
      probability: 50,
      kind: 'open',
      checklist: [
        { key: 'samples_delivered', textZh: '样品已交付试用', textEn: 'Samples delivered', required: true },
      ],
      requiredFields: ['amount'],
    },
    {
      nameZh: '商务谈判',
      nameEn: 'Negotiation',
      probability: 75,
      kind: 'open',
      checklist: [
        {
          key: 'policy_agreed',
          textZh: '返利及价格政策已谈妥',
          textEn: 'Rebates and prices agreed',
          required: true,
        },
      ],
      requiredFields: ['amount', 'expectedCloseDate'],
    },
    { nameZh: '签约', nameEn: 'Signed', probability: 100, kind: 'won', checklist: [], requiredFields: [] },
    { nameZh: '未成交', nameEn: 'Lost', probability: 0, kind: 'lost', checklist: [], requiredFields: [] },
  ],
};

// Word lists.
const TOPICS = [
  '年度车辆采购',
  '物流车队更新',
  '配件年度框架',
  '维保服务包',
  '新能源车替换',
  '试驾车采购',
  '公务用车采购',
  '冷链车采购',
  '工程车辆租赁',
  '延保服务',
];
const DISTRIBUTION_TOPICS = ['区域经销合作', '配件分销协议', '二级网点授权', '年度返利协议'];
const COMPETITORS = [
  '广汇汽车',
  '永达汽车',
  '中升集团',
  '庞大集团',
  '恒信汽车',
  '润东汽车',
  '利星行',
  '大昌行',
  '物产中大元通',
  '本地个体车商',
];
const STRENGTHS = ['价格低', '交付快', '本地服务网点多', '与客户高层关系好', '金融方案灵活', '品牌知名度高'];
const WEAKNESSES = ['售后响应慢', '配件供应不稳定', '报价不透明', '车型选择少', '资金实力弱', '交付经常延期'];
const NEXT_STEPS = [
  '安排试驾',
  '提交技术方案',
  '发送正式报价',
  '约见采购经理',
  '邀请参观展厅',
  '确认预算及付款方式',
  '准备合同草案',
  '与财务确认授信',
  '拜访决策人',
  '跟进样车反馈',
];
const WIN_NOTES = ['客户签署合同', '竞价胜出', '老客户复购', '方案获客户认可'];
const LOSS_NOTES = ['客户选择了更低报价', '项目暂停', '预算削减', '决策人变更', '需求推迟到明年'];
const LOSS_WEIGHTS: Record<string, number> = {
  price: 36,
  competitor: 22,
  no_budget: 14,
  needs_changed: 10,
  decision_delayed: 12,
  other: 6,
};
const CONTRACT_TOPICS = ['车辆采购合同', '年度配件供应合同', '维保服务合同', '车辆租赁合同', '延保服务合同'];
const DELIVERY_TERMS = ['合同签订后30日内交付', '分批交付，首批15日内', '到客户指定地点交货', '门店自提'];
const WARRANTIES = ['整车质保3年或10万公里', '配件质保1年', '服务期内免费维修', '质保2年'];
const NON_STANDARD = ['账期延长至180天', '违约金比例调整为5%', '增加免费保养次数', '交付地点跨省'];
const TERMINATION_REASONS = [
  '客户经营困难，协商解除',
  '客户需求变更，双方同意终止',
  '客户违约未付款',
  '车型停产，协商终止',
];

type Plan = { shares: number[]; label: string };
const PLANS: { weight: number; value: Plan | 'even' }[] = [
  { weight: 35, value: { shares: [30, 60, 10], label: '预付30%，提货付60%，质保金10%' } },
  { weight: 15, value: { shares: [30, 70], label: '预付30%，提货付清70%' } },
  { weight: 10, value: { shares: [20, 30, 30, 20], label: '按进度分四期支付' } },
  { weight: 40, value: 'even' },
];

interface Customer {
  id: string;
  label: string;
  kind: string;
  grade: string | null;
  industry: string | null;
  ownerId: string;
  orgUnitId: string;
  createdAt: number;
  lastFollowUp: number | null;
  contactIds: string[];
  weight: number;
}

interface PipelinePlan {
  id: string;
  code: string;
  open: StageRow[];
  won: StageRow;
  lost: StageRow;
  stages: StageRow[];
}

/**
 * Writes the sales demo in the caller's transaction and returns its counts and the records made,
 * so that later generators (quotes) can build on them. Deterministic for a given faker seed and
 * `now`; it expects the customers demo to be loaded.
 */
export async function seedSalesDemo(
  tx: Db,
  faker: Faker,
  ctx: Ctx,
  org: DemoOrg,
  opts: { scale: number; now?: Date },
): Promise<{ counts: SalesDemoCounts; context: SalesDemoContext }> {
  const now = (opts.now ?? new Date()).getTime();
  const scale = opts.scale;
  const timeZone = await companyTimeZone(tx);
  const dayFormat = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const day = (t: number) => dayFormat.format(new Date(t));
  const rand = () => faker.number.float({ min: 0, max: 1 });
  const chance = (p: number) => rand() < p;
  const pick = <T>(list: readonly T[]) => faker.helpers.arrayElement(list);
  const between = (from: number, to: number) => Math.round(from + rand() * Math.max(0, to - from));
  const logBetween = (min: number, max: number) => Math.exp(Math.log(min) + rand() * Math.log(max / min));

  // Settings and pipelines ----------------------------------------------------------------------
  const settings = await getSalesSettings(tx);
  const stallDays = settings.stallDays;
  const lossReasons = settings.lossReasons.map((r) => ({ weight: LOSS_WEIGHTS[r.code] ?? 4, value: r.code }));
  const standard = await defaultPipeline(tx, ctx);
  const distributionId = await createPipeline(tx, ctx, { ...DISTRIBUTION_PIPELINE, isDefault: false });
  const plans: PipelinePlan[] = [];
  for (const p of [
    { id: standard.id, code: standard.code },
    { id: distributionId, code: DISTRIBUTION_PIPELINE.code },
  ]) {
    const stages = await stagesOf(tx, p.id);
    plans.push({
      ...p,
      stages,
      open: stages.filter((s) => s.kind === 'open'),
      won: stages.find((s) => s.kind === 'won')!,
      lost: stages.find((s) => s.kind === 'lost')!,
    });
  }

  // The owned customers with contacts, and their owners' units and teams -----------------------
  const customerRows = await tx
    .select({
      id: customers.id,
      name: customers.name,
      shortName: customers.shortName,
      kind: customers.kind,
      grade: customers.grade,
      industry: customers.industry,
      ownerId: customers.ownerId,
      createdAt: customers.createdAt,
      lastFollowUpAt: customers.lastFollowUpAt,
    })
    .from(customers)
    .where(and(isNotNull(customers.ownerId), isNull(customers.mergedIntoId)))
    .orderBy(asc(customers.name));
  const counts: SalesDemoCounts = {
    pipelines: plans.length,
    opportunities: 0,
    won: 0,
    lost: 0,
    open: 0,
    stalled: 0,
    stageEntries: 0,
    contracts: 0,
    contractsInReview: 0,
    installments: 0,
    linkedActivities: 0,
  };
  const context: SalesDemoContext = {
    pipelines: plans.map((p) => ({ id: p.id, code: p.code, stages: p.stages })),
    opportunities: [],
    contracts: [],
  };
  if (!customerRows.length) return { counts, context };
  const contactRows = await tx
    .select({ id: contacts.id, customerId: contacts.customerId })
    .from(contacts)
    .where(isNull(contacts.archivedAt))
    .orderBy(sql`${contacts.isPrimary} desc`, asc(contacts.name), asc(contacts.id));
  const contactsOf = new Map<string, string[]>();
  for (const c of contactRows) {
    if (c.customerId) contactsOf.set(c.customerId, [...(contactsOf.get(c.customerId) ?? []), c.id]);
  }
  const ownerIds = [...new Set(customerRows.map((c) => c.ownerId!))];
  const unitOf = new Map(
    (
      await tx
        .select({ id: users.id, orgUnitId: users.orgUnitId })
        .from(users)
        .where(inArray(users.id, ownerIds))
    ).map((u) => [u.id, u.orgUnitId]),
  );
  const teamOf = new Map<string, { leadId: string; mates: string[] }>();
  for (const region of org.regions)
    for (const team of region.teams)
      for (const rep of team.repIds)
        teamOf.set(rep, { leadId: team.leadId, mates: team.repIds.filter((r) => r !== rep) });

  const pool: Customer[] = customerRows.flatMap((c) => {
    const contactIds = contactsOf.get(c.id) ?? [];
    const orgUnitId = unitOf.get(c.ownerId!);
    if (!contactIds.length || !orgUnitId) return [];
    const label = c.shortName ?? c.name.replace(/(集团)?(股份)?有限(责任)?公司$/, '');
    return [
      {
        id: c.id,
        label,
        kind: c.kind,
        grade: c.grade,
        industry: c.industry,
        ownerId: c.ownerId!,
        orgUnitId,
        createdAt: c.createdAt.getTime(),
        lastFollowUp: c.lastFollowUpAt?.getTime() ?? null,
        contactIds,
        weight: { A: 4, B: 2, C: 1 }[c.grade ?? 'C'] ?? 1,
      },
    ];
  });
  if (!pool.length) return { counts, context };
  const weighted = pool.map((c) => ({ weight: c.weight, value: c }));
  // Customers quiet for longer than the stall period: where a stalled opportunity can sit.
  const quiet = pool.filter(
    (c) => c.lastFollowUp !== null && c.lastFollowUp < now - (stallDays + 2) * DAY_MS,
  );

  const amountFor = (c: Customer) => {
    let [min, max] =
      c.kind === 'individual'
        ? [80_000, 400_000]
        : c.grade === 'A'
          ? [400_000, 5_000_000]
          : c.grade === 'B'
            ? [100_000, 1_200_000]
            : [10_000, 300_000];
    if (['物流运输', '租赁服务', '建筑工程'].includes(c.industry ?? '')) {
      min *= 1.3;
      max *= 1.3;
    }
    const yuan = Math.min(5_000_000, Math.max(10_000, logBetween(min, max)));
    return Math.round(yuan / 100) * 100 * 100; // whole hundreds of yuan, in fen
  };

  // An open deal is sized on the business the company books now, so that its weighted pipeline
  // covers the coming months' targets a few times over, not tens of times (issue 8: pipeline
  // coverage); won and lost deals keep the history's sizes.
  const openAmount = (amount: number) =>
    Math.max(1_000_000, Math.round((amount * OPEN_AMOUNT_SHARE) / 10_000) * 10_000);
  // Expected close of an open deal: a few overdue, most within three months, a tail to six.
  const openCloseDate = () => {
    const r = rand();
    if (r < 0.1) return day(now - between(DAY_MS, 40 * DAY_MS));
    if (r < 0.9) return day(now + between(DAY_MS, 90 * DAY_MS));
    return day(now + between(93 * DAY_MS, 180 * DAY_MS));
  };

  // Opportunities ---------------------------------------------------------------------------------
  const total = SALES_DEMO_VOLUMES.opportunities * scale;
  const stalledTarget = Math.max(1, Math.round(25 * scale));
  const oppRows: (typeof opportunities.$inferInsert)[] = [];
  const historyRows: (typeof opportunityStageHistory.$inferInsert)[] = [];
  const tickRows: (typeof opportunityChecklist.$inferInsert)[] = [];
  const contactLinks: (typeof opportunityContacts.$inferInsert)[] = [];
  const collaboratorRows: (typeof opportunityCollaborators.$inferInsert)[] = [];
  const competitorRows: (typeof opportunityCompetitors.$inferInsert)[] = [];

  for (let i = 0; i < total; i++) {
    const status = faker.helpers.weightedArrayElement<'won' | 'lost' | 'open'>([
      { weight: 25, value: 'won' },
      { weight: 35, value: 'lost' },
      { weight: 40, value: 'open' },
    ]);
    const stalled = status === 'open' && counts.stalled < stalledTarget && quiet.length > 0 && chance(0.05);
    const customer = stalled ? pick(quiet) : faker.helpers.weightedArrayElement(weighted);
    const pipeline = chance(0.15) ? plans[1]! : plans[0]!;
    const openCount = pipeline.open.length;
    const last = openCount - 1;
    // The open stages walked, in order, ending in the current (open) or last open (closed) stage.
    let reach: number;
    if (status === 'won') reach = last;
    else if (status === 'lost')
      reach = faker.helpers.weightedArrayElement(
        pipeline.open.map((_, k) => ({ weight: [10, 15, 20, 30, 25][k] ?? 20, value: k })),
      );
    else
      reach = faker.helpers.weightedArrayElement(
        pipeline.open.map((_, k) => ({ weight: [25, 22, 20, 18, 15][k] ?? 18, value: k })),
      );
    const path = Array.from({ length: reach + 1 }, (_, k) => k);
    // Now and then one step back (the customer reopened the solution or the price) and forward again.
    if (reach >= 2 && chance(0.08)) {
      const at = faker.number.int({ min: 2, max: reach });
      path.splice(at + 1, 0, at - 1, at);
    }
    const stageIds = path.map((k) => pipeline.open[k]!.id);
    if (status === 'won') stageIds.push(pipeline.won.id);
    if (status === 'lost') stageIds.push(pipeline.lost.id);
    // Days spent in each stage left (every entry but the last).
    let spans = stageIds.slice(0, -1).map(() => logBetween(2, 28) * DAY_MS);
    const spent = () => spans.reduce((s, d) => s + d, 0);
    const earliest = Math.max(customer.createdAt + HOUR_MS, now - HISTORY_DAYS * DAY_MS);
    let created: number;
    if (status === 'open') {
      // Time in the current stage: recent unless the opportunity is one of the stalled few; a
      // customer quiet for a while keeps its opportunity from stalling by a recent stage move.
      const recentCustomer =
        customer.lastFollowUp !== null && customer.lastFollowUp > now - (stallDays - 2) * DAY_MS;
      let inStage = stalled
        ? between((stallDays + 2) * DAY_MS, (stallDays + 40) * DAY_MS)
        : recentCustomer
          ? between(0.5 * DAY_MS, 40 * DAY_MS)
          : between(0.5 * DAY_MS, (stallDays - 3) * DAY_MS);
      if (now - inStage - spent() < earliest) {
        const room = now - earliest;
        if (stalled) inStage = Math.min(inStage, room * 0.7);
        else inStage = Math.min(inStage, room * 0.4);
        const factor = (room - inStage) / spent() || 1;
        spans = spans.map((d) => Math.max(HOUR_MS, d * factor * 0.9));
      }
      created = now - inStage - spent();
      if (stalled && now - created < (stallDays + 1) * DAY_MS) created = now - (stallDays + 1) * DAY_MS;
    } else {
      const latest = now - DAY_MS;
      const room = latest - earliest;
      if (spent() > room * 0.9) spans = spans.map((d) => Math.max(HOUR_MS, (d * room * 0.8) / spent()));
      created = between(earliest, latest - spent());
    }
    const entries: number[] = [created];
    for (const span of spans)
      entries.push(entries[entries.length - 1]! + Math.max(HOUR_MS, Math.round(span)));
    const stageEnteredAt = entries[entries.length - 1]!;
    const closedAt = status === 'open' ? null : stageEnteredAt;
    if (stalled) counts.stalled++;

    const id = uuidv7();
    const currentStage =
      status === 'won' ? pipeline.won : status === 'lost' ? pipeline.lost : pipeline.open[reach]!;
    const amount = status === 'open' ? openAmount(amountFor(customer)) : amountFor(customer);
    const overridden = status === 'open' && chance(0.06);
    const probability = overridden
      ? Math.max(1, Math.min(99, currentStage.probability + pick([-10, -5, 5, 10])))
      : currentStage.probability;
    const closeDate =
      status === 'open'
        ? openCloseDate()
        : status === 'won'
          ? day(closedAt!)
          : day(closedAt! + between(-10 * DAY_MS, 30 * DAY_MS));
    // Competitors: always where a competitor took it, often otherwise.
    const lossReason = status === 'lost' ? faker.helpers.weightedArrayElement(lossReasons) : null;
    const takenBy = lossReason && ['price', 'competitor'].includes(lossReason) && chance(0.85);
    const rivals = takenBy || chance(0.4) ? faker.helpers.arrayElements(COMPETITORS, { min: 1, max: 3 }) : [];
    for (const [k, name] of rivals.entries()) {
      competitorRows.push({
        opportunityId: id,
        position: k + 1,
        name,
        price: chance(0.7) ? Math.round((amount * (0.85 + rand() * 0.2)) / 10_000) * 10_000 : null,
        strengths: chance(0.8) ? pick(STRENGTHS) : null,
        weaknesses: chance(0.6) ? pick(WEAKNESSES) : null,
      });
    }
    const contactIds = customer.contactIds.slice(0, chance(0.3) ? 2 : 1);
    for (const contactId of contactIds) contactLinks.push({ opportunityId: id, contactId });
    const team = teamOf.get(customer.ownerId);
    const helpers = new Set<string>();
    if (team && amount >= 100_000_000 && chance(0.5)) helpers.add(team.leadId);
    if (team?.mates.length && chance(0.1)) helpers.add(pick(team.mates));
    for (const userId of helpers) collaboratorRows.push({ opportunityId: id, userId });

    // Stage history: contiguous entries; the current one stays open (as the service keeps it).
    stageIds.forEach((stageId, k) => {
      historyRows.push({
        opportunityId: id,
        stageId,
        enteredAt: new Date(entries[k]!),
        enteredBy: customer.ownerId,
        exitedAt: k < entries.length - 1 ? new Date(entries[k + 1]!) : null,
        exitedBy: k < entries.length - 1 ? customer.ownerId : null,
      });
    });
    // Exit checklists: ticked in the stage before each forward move; the current stage in part.
    const ticked = new Set<string>();
    path.forEach((k, n) => {
      const stage = pipeline.open[k]!;
      const forward = n < path.length - 1 ? path[n + 1]! > k : status === 'won';
      const from = entries[n]!;
      const to = entries[n + 1] ?? now;
      for (const item of stage.checklist) {
        const key = `${stage.id}:${item.key}`;
        if (ticked.has(key)) continue;
        const tick = forward
          ? item.required || chance(0.6)
          : status === 'open' && n === path.length - 1 && chance(0.3);
        if (!tick) continue;
        ticked.add(key);
        tickRows.push({
          opportunityId: id,
          stageId: stage.id,
          itemKey: item.key,
          checkedAt: new Date(Math.round(from + (to - from) * (0.3 + rand() * 0.65))),
          checkedBy: customer.ownerId,
        });
      }
    });

    const topic = pipeline === plans[1] ? pick(DISTRIBUTION_TOPICS) : pick(TOPICS);
    const name = `${customer.label}${topic}`;
    oppRows.push({
      id,
      name,
      customerId: customer.id,
      pipelineId: pipeline.id,
      stageId: currentStage.id,
      status,
      amount,
      amountSource: 'manual',
      currency: 'CNY',
      expectedCloseDate: closeDate,
      probability,
      probabilityOverridden: overridden,
      forecastCategory: defaultForecastCategory(currentStage.kind, probability),
      forecastOverridden: false,
      nextStep: status === 'open' && chance(0.9) ? pick(NEXT_STEPS) : null,
      lossReason,
      lostToCompetitor: takenBy ? pick(rivals) : null,
      closeNote:
        status === 'won' ? pick(WIN_NOTES) : status === 'lost' && chance(0.6) ? pick(LOSS_NOTES) : null,
      closedAt: closedAt === null ? null : new Date(closedAt),
      stageEnteredAt: new Date(stageEnteredAt),
      ownerId: customer.ownerId,
      orgUnitId: customer.orgUnitId,
      createdAt: new Date(created),
      updatedAt: new Date(stageEnteredAt),
      createdBy: customer.ownerId,
      version: stageIds.length,
    });
    counts[status]++;
    context.opportunities.push({
      id,
      name,
      customerId: customer.id,
      pipelineId: pipeline.id,
      stageId: currentStage.id,
      openStageIndex: status === 'open' ? reach : -1,
      status,
      amount,
      ownerId: customer.ownerId,
      orgUnitId: customer.orgUnitId,
      contactIds,
      createdAt: new Date(created),
      closedAt: closedAt === null ? null : new Date(closedAt),
      path: stageIds.map((stageId, k) => ({ stageId, enteredAt: new Date(entries[k]!) })),
    });
  }
  await insertAll(tx, opportunities, oppRows);
  await insertAll(tx, opportunityStageHistory, historyRows);
  await insertAll(tx, opportunityChecklist, tickRows);
  await insertAll(tx, opportunityContacts, contactLinks);
  await insertAll(tx, opportunityCollaborators, collaboratorRows);
  await insertAll(tx, opportunityCompetitors, competitorRows);
  counts.opportunities = oppRows.length;
  counts.stageEntries = historyRows.length;

  // The customer's calls, visits and meetings while an opportunity was open are about it: the
  // latest one opened before the activity and not yet closed then.
  const [linked] = await queryRows<{ n: number }>(
    tx,
    sql`
    with linked as (update activities a set opportunity_id = (
      select o.id from opportunities o
      where o.customer_id = a.customer_id and o.created_at <= a.occurred_at
        and (o.closed_at is null or o.closed_at >= a.occurred_at)
      order by o.created_at desc, o.id limit 1)
    where a.opportunity_id is null and a.customer_id is not null
      and a.type in ('visit', 'call', 'meeting', 'email')
      and exists (select 1 from opportunities o where o.customer_id = a.customer_id
        and o.created_at <= a.occurred_at and (o.closed_at is null or o.closed_at >= a.occurred_at))
      returning 1)
    select count(*)::int as n from linked`,
  );
  counts.linkedActivities = Number(linked?.n ?? 0);

  // Contracts ---------------------------------------------------------------------------------------
  const company = await getSettings(tx);
  const customerById = new Map(pool.map((c) => [c.id, c]));
  const contractTotal = SALES_DEMO_VOLUMES.contracts * scale;
  const inReviewTarget = Math.round(18 * scale);
  const draftTarget = Math.round(14 * scale);
  const byHandShare = 0.1;
  const won = context.opportunities.filter((o) => o.status === 'won');
  const negotiating = context.opportunities.filter(
    (o) =>
      o.status === 'open' && o.openStageIndex === plans.find((p) => p.id === o.pipelineId)!.open.length - 1,
  );
  const signedTarget = contractTotal - inReviewTarget - draftTarget;
  const fromWon = faker.helpers.arrayElements(
    won,
    Math.min(won.length, Math.round(signedTarget * (1 - byHandShare))),
  );

  interface Draft {
    row: typeof contracts.$inferInsert & { id: string; createdAt: Date; amount: number };
    plan: { dueDate: string; amount: number; note: string | null }[];
    review: boolean;
  }
  const drafts: Draft[] = [];

  const paymentPlan = (amount: number, startDate: string, endDate: string) => {
    const choice = faker.helpers.weightedArrayElement(PLANS);
    const termDays = Math.round((Date.parse(endDate) - Date.parse(startDate)) / DAY_MS);
    let lines: { dueDate: string; amount: number; note: string | null }[];
    let label: string;
    if (choice === 'even') {
      const n = faker.number.int({ min: 2, max: 6 });
      label = `分${n}期等额支付`;
      lines = splitEvenly(amount, n).map((a, k) => ({
        dueDate: addDays(startDate, 7 + Math.round(((termDays - 7) * k) / (n - 1))),
        amount: a,
        note: `第${k + 1}期`,
      }));
    } else {
      label = choice.label;
      const fen = choice.shares.map((s) => Math.floor((amount * s) / 100));
      fen[fen.length - 1] = amount - fen.slice(0, -1).reduce((s, a) => s + a, 0);
      const retention = choice.shares.length === 3 && choice.shares[2] === 10;
      lines = fen.map((a, k) => {
        const n = fen.length;
        const offset =
          retention && k === n - 1
            ? termDays + faker.number.int({ min: 90, max: 360 })
            : 7 + Math.round(((termDays - 7) * k) / Math.max(1, n - (retention ? 2 : 1)));
        const notes = retention ? ['预付款', '提货款', '质保金'] : null;
        return { dueDate: addDays(startDate, offset), amount: a, note: notes?.[k] ?? `第${k + 1}期` };
      });
    }
    const problems = planProblems(amount, startDate, endDate, lines);
    if (problems.length) throw new Error(`demo payment plan does not hold: ${JSON.stringify(problems)}`);
    return { lines, label };
  };

  const contractFor = (
    customer: Customer,
    opportunity: DemoOpportunity | null,
    kind: 'signed' | 'draft' | 'in_review',
    signedAt: number | null,
    createdAt: number,
  ) => {
    const amount = opportunity
      ? Math.max(100_00, Math.round((opportunity.amount * (0.94 + rand() * 0.06)) / 10_000) * 10_000)
      : amountFor(customer);
    const base = signedAt ?? createdAt;
    const startDate = addDays(day(base), faker.number.int({ min: 0, max: 10 }));
    const months = faker.helpers.weightedArrayElement([
      { weight: 20, value: 3 },
      { weight: 30, value: 6 },
      { weight: 35, value: 12 },
      { weight: 10, value: 24 },
      { weight: 5, value: 36 },
    ]);
    const endDate = addDays(startDate, Math.round(months * 30.4) - 1);
    const { lines, label } = paymentPlan(amount, startDate, endDate);
    // Signed contracts: now and then terminated early; most of those past their end, completed.
    const endsAt = Date.parse(`${endDate}T02:00:00Z`);
    const state =
      kind !== 'signed'
        ? kind
        : chance(0.04) && signedAt! < now - 5 * DAY_MS
          ? ('terminated' as const)
          : endsAt < now && chance(0.9)
            ? ('completed' as const)
            : ('active' as const);
    const nonStandard = chance(state === 'in_review' ? 0.3 : 0.06);
    const submittedAt = signedAt ? createdAt + (signedAt - createdAt) * (0.1 + rand() * 0.3) : null;
    const approvedAt =
      signedAt && submittedAt ? submittedAt + (signedAt - submittedAt) * (0.3 + rand() * 0.6) : null;
    let completedAt: number | null = null;
    let terminatedAt: number | null = null;
    if (state === 'completed') completedAt = endsAt;
    if (state === 'terminated') terminatedAt = between(signedAt! + DAY_MS, now - HOUR_MS);
    const id = uuidv7();
    const updated = terminatedAt ?? completedAt ?? signedAt ?? createdAt;
    drafts.push({
      review: state === 'in_review',
      plan: lines,
      row: {
        id,
        number: '',
        title: `${customer.label}${pick(CONTRACT_TOPICS)}`,
        customerId: customer.id,
        contactId: customer.contactIds[0] ?? null,
        ourParty: company.name,
        amount,
        taxRate: chance(0.15) ? '6' : '13',
        currency: 'CNY',
        paymentTerms: label,
        deliveryTerms: pick(DELIVERY_TERMS),
        warranty: pick(WARRANTIES),
        nonStandard,
        nonStandardNote: nonStandard ? pick(NON_STANDARD) : null,
        startDate,
        endDate,
        signedDate: signedAt ? day(signedAt) : null,
        opportunityId: opportunity?.id ?? null,
        ownerId: customer.ownerId,
        orgUnitId: customer.orgUnitId,
        // In-review contracts are drafted here and submitted through the service below.
        state: state === 'in_review' ? 'draft' : state,
        submittedAt: submittedAt ? new Date(submittedAt) : null,
        approvedAt: approvedAt ? new Date(approvedAt) : null,
        completedAt: completedAt ? new Date(completedAt) : null,
        terminatedAt: terminatedAt ? new Date(terminatedAt) : null,
        terminationReason: terminatedAt ? pick(TERMINATION_REASONS) : null,
        createdAt: new Date(createdAt),
        updatedAt: new Date(Math.max(updated, createdAt)),
        createdBy: customer.ownerId,
        version: state === 'draft' || state === 'in_review' ? 1 : state === 'active' ? 4 : 5,
      },
    });
  };

  // Signed contracts: the won opportunities' (signed the day they were won), and some by hand.
  const signed: { customer: Customer; opportunity: DemoOpportunity | null; signedAt: number }[] = [];
  for (const o of fromWon) {
    const customer = customerById.get(o.customerId);
    if (customer) signed.push({ customer, opportunity: o, signedAt: o.closedAt!.getTime() });
  }
  while (signed.length < signedTarget) {
    const customer = faker.helpers.weightedArrayElement(weighted);
    const from = Math.max(customer.createdAt + 10 * DAY_MS, now - HISTORY_DAYS * DAY_MS);
    if (from >= now - DAY_MS) continue;
    signed.push({ customer, opportunity: null, signedAt: between(from, now - DAY_MS) });
  }
  for (const s of signed) {
    const createdAt = Math.max(
      s.customer.createdAt + HOUR_MS,
      s.signedAt - between(3 * DAY_MS, 15 * DAY_MS),
      s.opportunity ? s.opportunity.createdAt.getTime() + HOUR_MS : 0,
    );
    contractFor(s.customer, s.opportunity, 'signed', s.signedAt, Math.min(createdAt, s.signedAt - HOUR_MS));
  }
  // Recent drafts and contracts in review, on opportunities in negotiation (or by hand).
  const large = negotiating.filter((o) => o.amount >= 50_000_000);
  const usedOpportunities = new Set<string>();
  for (let k = 0; k < draftTarget + inReviewTarget; k++) {
    const review = k >= draftTarget;
    const candidates = review && chance(0.7) && large.length ? large : negotiating;
    let opportunity: DemoOpportunity | null = candidates.length ? pick(candidates) : null;
    if (opportunity && usedOpportunities.has(opportunity.id)) opportunity = null;
    if (opportunity) usedOpportunities.add(opportunity.id);
    const customer = opportunity
      ? customerById.get(opportunity.customerId)!
      : faker.helpers.weightedArrayElement(weighted);
    const createdAt = Math.max(
      now - between(HOUR_MS, 20 * DAY_MS),
      customer.createdAt + HOUR_MS,
      opportunity ? opportunity.createdAt.getTime() + HOUR_MS : 0,
    );
    contractFor(
      customer,
      opportunity,
      review ? 'in_review' : 'draft',
      null,
      Math.min(createdAt, now - HOUR_MS),
    );
  }

  // Numbers in the order the contracts were drafted, by the numbering service.
  drafts.sort((a, b) => a.row.createdAt.getTime() - b.row.createdAt.getTime());
  const numbers = await nextNumbers(
    tx,
    'contract',
    drafts.map((d) => d.row.createdAt),
  );
  drafts.forEach((d, k) => {
    d.row.number = numbers[k]!;
  });
  await insertAll(
    tx,
    contracts,
    drafts.map((d) => d.row),
  );
  const installmentRows = drafts.flatMap((d) =>
    d.plan.map((l, k) => ({
      contractId: d.row.id,
      seq: k + 1,
      dueDate: l.dueDate,
      amount: l.amount,
      note: l.note,
      createdAt: d.row.createdAt,
      updatedAt: d.row.createdAt,
      createdBy: d.row.createdBy ?? null,
    })),
  );
  await insertAll(tx, contractInstallments, installmentRows);
  // Into review through the service and the approvals engine, as their owners submit them.
  const actors = new Map<string, Ctx>();
  for (const d of drafts.filter((x) => x.review)) {
    const ownerId = d.row.ownerId;
    let ownerCtx = actors.get(ownerId);
    if (!ownerCtx) {
      const actor = await loadActor(tx, ownerId, { via: 'session' });
      if (!actor) continue;
      ownerCtx = { ...ctx, actor };
      actors.set(ownerId, ownerCtx);
    }
    await submitContract(tx, ownerCtx, d.row.id, { version: 1 });
    counts.contractsInReview++;
  }
  counts.contracts = drafts.length;
  counts.installments = installmentRows.length;
  const states = new Map(
    (
      await tx
        .select({ id: contracts.id, state: contracts.state })
        .from(contracts)
        .where(
          inArray(
            contracts.id,
            drafts.filter((d) => d.review).map((d) => d.row.id),
          ),
        )
    ).map((r) => [r.id, r.state]),
  );
  context.contracts = drafts.map((d) => ({
    id: d.row.id,
    number: d.row.number,
    customerId: d.row.customerId,
    opportunityId: d.row.opportunityId ?? null,
    state: states.get(d.row.id) ?? d.row.state ?? 'draft',
    amount: d.row.amount,
    ownerId: d.row.ownerId,
    createdAt: d.row.createdAt,
  }));
  return { counts, context };
}

/** Multi-row inserts of BATCH rows each. */
async function insertAll<T extends PgTable>(tx: Db, table: T, rows: T['$inferInsert'][]) {
  for (let i = 0; i < rows.length; i += BATCH) {
    await tx.insert(table).values(rows.slice(i, i + BATCH));
  }
}
