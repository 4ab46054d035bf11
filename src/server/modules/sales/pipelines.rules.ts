import type { FieldError } from '../../platform/errors.js';
import type { ChecklistItem, LossReason, StageKind, StageRequiredField } from './pipelines.schema.js';

// Pure rules of the sales process: what a valid pipeline is, what an opportunity lacks to leave
// a stage, and which forecast category a stage implies.

export interface StageDef {
  nameZh: string;
  nameEn: string;
  probability: number;
  kind: StageKind;
  checklist: ChecklistItem[];
  requiredFields: StageRequiredField[];
}

/** seed 004 §5: 拜访 → 需求调研 → 方案设计 → 报价 → 谈判 → 签约, plus the lost stage. */
export const DEFAULT_PIPELINE = {
  code: 'standard',
  nameZh: '标准销售流程',
  nameEn: 'Standard sales process',
  stages: [
    {
      nameZh: '拜访',
      nameEn: 'Visit',
      probability: 10,
      kind: 'open',
      checklist: [
        { key: 'met_contact', textZh: '已拜访关键联系人', textEn: 'Met the key contact', required: false },
      ],
      requiredFields: [],
    },
    {
      nameZh: '需求调研',
      nameEn: 'Needs analysis',
      probability: 20,
      kind: 'open',
      checklist: [
        {
          key: 'needs_confirmed',
          textZh: '客户需求已书面确认',
          textEn: 'Customer needs confirmed in writing',
          required: true,
        },
        { key: 'budget_known', textZh: '已了解预算范围', textEn: 'Budget range known', required: false },
      ],
      requiredFields: ['contactId'],
    },
    {
      nameZh: '方案设计',
      nameEn: 'Solution design',
      probability: 40,
      kind: 'open',
      checklist: [
        {
          key: 'solution_presented',
          textZh: '方案已向客户演示',
          textEn: 'Solution presented',
          required: true,
        },
      ],
      requiredFields: ['amount'],
    },
    {
      nameZh: '报价',
      nameEn: 'Quotation',
      probability: 60,
      kind: 'open',
      checklist: [{ key: 'quote_sent', textZh: '报价已发送', textEn: 'Quote sent', required: true }],
      requiredFields: ['amount', 'expectedCloseDate'],
    },
    {
      nameZh: '谈判',
      nameEn: 'Negotiation',
      probability: 80,
      kind: 'open',
      checklist: [
        { key: 'terms_agreed', textZh: '主要条款已谈妥', textEn: 'Main terms agreed', required: true },
      ],
      requiredFields: ['amount', 'expectedCloseDate'],
    },
    { nameZh: '签约', nameEn: 'Signed', probability: 100, kind: 'won', checklist: [], requiredFields: [] },
    { nameZh: '未成交', nameEn: 'Lost', probability: 0, kind: 'lost', checklist: [], requiredFields: [] },
  ] satisfies StageDef[],
};

/** 未成交原因 (seed 000's analysis of customers who did not buy). */
export const DEFAULT_LOSS_REASONS: LossReason[] = [
  { code: 'price', labelZh: '价格因素', labelEn: 'Price' },
  { code: 'competitor', labelZh: '竞品', labelEn: 'Competitor' },
  { code: 'no_budget', labelZh: '预算不足', labelEn: 'No budget' },
  { code: 'needs_changed', labelZh: '需求变化', labelEn: 'Needs changed' },
  { code: 'decision_delayed', labelZh: '决策延迟', labelEn: 'Decision delayed' },
  { code: 'other', labelZh: '其他', labelEn: 'Other' },
];

/** Every problem of a stage list at once: one won and one lost stage, unique checklist keys. */
export function stageListErrors(stages: Pick<StageDef, 'kind' | 'checklist'>[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const kind of ['won', 'lost'] as const) {
    const n = stages.filter((s) => s.kind === kind).length;
    if (n !== 1) errors.push({ path: 'stages', message: 'stageKinds' });
  }
  if (!stages.some((s) => s.kind === 'open')) errors.push({ path: 'stages', message: 'stageKinds' });
  stages.forEach((s, i) => {
    const keys = s.checklist.map((c) => c.key);
    if (new Set(keys).size !== keys.length) {
      errors.push({ path: `stages.${i}.checklist`, message: 'unitDuplicate' });
    }
  });
  return errors.filter((e, i) => errors.findIndex((o) => o.path === e.path && o.message === e.message) === i);
}

/** Open stages first in the given order, then won, then lost: the order boards show. */
export function orderStages<T extends { kind: StageKind }>(stages: T[]): T[] {
  const rank = { open: 0, won: 1, lost: 2 } as const;
  return stages
    .map((s, i) => ({ s, i }))
    .sort((a, b) => rank[a.s.kind] - rank[b.s.kind] || a.i - b.i)
    .map((x) => x.s);
}

export type ForecastCategory = 'pipeline' | 'best_case' | 'commit' | 'closed';

/** The category an opportunity falls in unless its owner chose one: closed once won or lost. */
export function defaultForecastCategory(kind: StageKind, probability: number): ForecastCategory {
  if (kind !== 'open') return 'closed';
  if (probability >= 80) return 'commit';
  if (probability >= 50) return 'best_case';
  return 'pipeline';
}

export interface OpportunityFacts {
  amount: number;
  expectedCloseDate: string | null;
  contactCount: number;
  nextStep: string | null;
  competitorCount: number;
}

export function isFieldFilled(field: StageRequiredField, o: OpportunityFacts): boolean {
  switch (field) {
    case 'amount':
      return o.amount > 0;
    case 'expectedCloseDate':
      return !!o.expectedCloseDate;
    case 'contactId':
      return o.contactCount > 0;
    case 'nextStep':
      return !!o.nextStep?.trim();
    case 'competitors':
      return o.competitorCount > 0;
  }
}

/** What still keeps an opportunity in a stage: unticked required items and empty required fields. */
export function exitBlockers(
  stage: Pick<StageDef, 'checklist' | 'requiredFields'>,
  o: OpportunityFacts,
  ticked: ReadonlySet<string>,
): { items: ChecklistItem[]; fields: StageRequiredField[] } {
  return {
    items: stage.checklist.filter((c) => c.required && !ticked.has(c.key)),
    fields: stage.requiredFields.filter((f) => !isFieldFilled(f, o)),
  };
}

/** An open opportunity is stalled when nothing happened on it for `stallDays`. */
export function isStalled(lastActivityAt: Date, stallDays: number, now = new Date()): boolean {
  return now.getTime() - lastActivityAt.getTime() >= stallDays * 86_400_000;
}
