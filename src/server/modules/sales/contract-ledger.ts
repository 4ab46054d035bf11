import { and, count, eq, notInArray, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { contractLedgerQuery } from '../../../contracts/contracts.js';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { keyset, whereAll } from '../../platform/http/pagination.js';
import { fenToYuan } from '../../platform/import-export/cells.js';
import { defineExporter, everyPage, type Label } from '../../platform/import-export/definitions.js';
import { companyTimeZone, dayIn } from '../../platform/settings/settings.service.js';
import { customers } from '../customers/schema.js';
import { orgUnits, users } from '../org/schema.js';
import { percentOf } from './contracts.rules.js';
import { type ContractState, contractInstallments, contracts } from './contracts.schema.js';
import { visibleContracts } from './contracts.service.js';

// The contract ledger (合同管理台账, seed 002: every contract followed from signing through
// ordering, production, warehousing, shipping and collection). It is a view over facts: the
// modules that own orders, shipments, invoices and payments register a provider for their figure;
// a figure without a provider is 0.

export type ContractFactKey = 'ordered' | 'shipped' | 'invoiced' | 'collected';
export const CONTRACT_FACT_KEYS: readonly ContractFactKey[] = ['ordered', 'shipped', 'invoiced', 'collected'];

/** Amounts (fen) per contract id for the given contracts; ids without a figure may be left out. */
export type ContractFactProvider = (db: Db, contractIds: string[]) => Promise<Map<string, number>>;

const providers = new Map<ContractFactKey, ContractFactProvider>();

/** The order-to-cash modules call this once at load, e.g. defineContractFacts('shipped', …). */
export function defineContractFacts(key: ContractFactKey, provider: ContractFactProvider): void {
  providers.set(key, provider);
}

export async function contractFacts(db: Db, contractIds: string[]) {
  const entries = await Promise.all(
    CONTRACT_FACT_KEYS.map(async (key) => {
      const provider = providers.get(key);
      const figures = provider && contractIds.length ? await provider(db, contractIds) : new Map();
      return [key, figures] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<ContractFactKey, Map<string, number>>;
}

/** The ledger follows contracts that passed review; drafts and contracts in review are not on it. */
const NOT_ON_LEDGER: ContractState[] = ['draft', 'in_review'];

/** The first installment not fully paid, per contract. */
const nextDue = sql`(
  select json_build_object('seq', i.seq, 'dueDate', i.due_date, 'amount', i.amount - i.paid_amount)
  from ${contractInstallments} i
  where i.contract_id = ${contracts.id} and i.paid_amount < i.amount
  order by i.seq limit 1)`;
const nextDueDate = sql`(
  select min(i.due_date) from ${contractInstallments} i
  where i.contract_id = ${contracts.id} and i.paid_amount < i.amount)`;

/** Contracts with money still to collect: open states only (completed/terminated are not overdue). */
const collecting = sql`${contracts.state} in ('approved', 'active')`;

type LedgerQuery = z.infer<typeof contractLedgerQuery>;

function ledgerFilter(ctx: Ctx, query: Omit<LedgerQuery, 'limit'>, today: string): SQL | undefined {
  const q = query.q?.trim();
  return whereAll(
    visibleContracts(ctx),
    query.state ? eq(contracts.state, query.state) : notInArray(contracts.state, NOT_ON_LEDGER),
    query.customerId ? eq(contracts.customerId, query.customerId) : undefined,
    query.ownerId ? eq(contracts.ownerId, query.ownerId) : undefined,
    query.orgUnitId
      ? sql`${contracts.orgUnitId} in (select ou.id from ${orgUnits} ou where ou.path like (select p.path from ${orgUnits} p where p.id = ${query.orgUnitId}) || '%')`
      : undefined,
    query.dueWithinDays !== undefined
      ? and(collecting, sql`${nextDueDate} <= ${today}::date + ${query.dueWithinDays}::int`)
      : undefined,
    query.overdue === true ? and(collecting, sql`${nextDueDate} < ${today}::date`) : undefined,
    query.overdue === false
      ? sql`not (${collecting} and coalesce(${nextDueDate} < ${today}::date, false))`
      : undefined,
    q
      ? sql`(${contracts.number} = ${q.toUpperCase()} or ${contracts.title} ilike ${`%${q.replace(/[\\%_]/g, '\\$&')}%`} or ${customers.name} ilike ${`%${q.replace(/[\\%_]/g, '\\$&')}%`})`
      : undefined,
  );
}

/** One row per contract the actor can see: amount, the four figures with percentages, next due. */
export async function listContractLedger(db: Db, ctx: Ctx, query: LedgerQuery) {
  const today = dayIn(await companyTimeZone(db));
  const page = keyset(
    query,
    { createdAt: contracts.createdAt, amount: contracts.amount },
    contracts.id,
    '-createdAt',
  );
  const filter = ledgerFilter(ctx, query, today);
  const rows = await db
    .select({
      id: contracts.id,
      number: contracts.number,
      title: contracts.title,
      customerId: contracts.customerId,
      customerName: customers.name,
      ownerId: contracts.ownerId,
      ownerName: users.name,
      orgUnitName: orgUnits.name,
      state: contracts.state,
      amount: contracts.amount,
      signedDate: contracts.signedDate,
      endDate: contracts.endDate,
      createdAt: contracts.createdAt,
      nextDue: sql<{ seq: number; dueDate: string; amount: number | string } | null>`${nextDue}`,
    })
    .from(contracts)
    .innerJoin(customers, eq(customers.id, contracts.customerId))
    .innerJoin(users, eq(users.id, contracts.ownerId))
    .innerJoin(orgUnits, eq(orgUnits.id, contracts.orgUnitId))
    .where(whereAll(filter, page.after))
    .orderBy(...page.orderBy)
    .limit(page.fetch);
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(contracts)
    .innerJoin(customers, eq(customers.id, contracts.customerId))
    .where(filter);
  const key = query.sort?.replace(/^-/, '') ?? 'createdAt';
  const result = page.page(rows, n, (r) => [key === 'amount' ? r.amount : r.createdAt, r.id]);
  const facts = await contractFacts(
    db,
    result.items.map((r) => r.id),
  );
  const items = result.items.map((r) => {
    const figure = (k: ContractFactKey) => {
      const amount = facts[k].get(r.id) ?? 0;
      return { amount, percent: percentOf(amount, r.amount) };
    };
    const due = r.nextDue
      ? { seq: Number(r.nextDue.seq), dueDate: String(r.nextDue.dueDate), amount: Number(r.nextDue.amount) }
      : null;
    const open = r.state === 'approved' || r.state === 'active';
    return {
      id: r.id,
      number: r.number,
      title: r.title,
      customerId: r.customerId,
      customerName: r.customerName,
      ownerId: r.ownerId,
      ownerName: r.ownerName,
      orgUnitName: r.orgUnitName,
      state: r.state,
      amount: r.amount,
      signedDate: r.signedDate,
      endDate: r.endDate,
      ordered: figure('ordered'),
      shipped: figure('shipped'),
      invoiced: figure('invoiced'),
      collected: figure('collected'),
      nextDue: open ? due : null,
      overdue: open && !!due && due.dueDate < today,
    };
  });
  return { ...result, items };
}

export type ContractLedgerItem = Awaited<ReturnType<typeof listContractLedger>>['items'][number];

const STATE_LABELS: Record<ContractState, Label> = {
  draft: { 'zh-CN': '草稿', en: 'Draft' },
  in_review: { 'zh-CN': '评审中', en: 'In review' },
  approved: { 'zh-CN': '待签署', en: 'Awaiting signature' },
  active: { 'zh-CN': '履行中', en: 'Active' },
  completed: { 'zh-CN': '已完成', en: 'Completed' },
  terminated: { 'zh-CN': '已终止', en: 'Terminated' },
};

const figureColumns = (
  [
    ['ordered', '已下单', 'Ordered'],
    ['shipped', '已发货', 'Shipped'],
    ['invoiced', '已开票', 'Invoiced'],
    ['collected', '已回款', 'Collected'],
  ] as const
).flatMap(([k, zh, en]) => [
  {
    key: k,
    label: { 'zh-CN': `${zh}（元）`, en: `${en} (yuan)` },
    value: (r: ContractLedgerItem) => fenToYuan(r[k].amount),
  },
  {
    key: `${k}Percent`,
    label: { 'zh-CN': `${zh}比例（%）`, en: `${en} (%)` },
    value: (r: ContractLedgerItem) => Number(r[k].percent),
  },
]);

defineExporter({
  entity: 'contract-ledger',
  label: { 'zh-CN': '合同管理台账', en: 'Contract ledger' },
  path: '/contract-ledger',
  permission: 'contracts.read',
  query: contractLedgerQuery.omit({ limit: true, cursor: true }),
  columns: [
    {
      key: 'number',
      label: { 'zh-CN': '合同编号', en: 'Number' },
      value: (r: ContractLedgerItem) => r.number,
    },
    { key: 'title', label: { 'zh-CN': '合同名称', en: 'Title' }, value: (r) => r.title },
    { key: 'customer', label: { 'zh-CN': '客户', en: 'Customer' }, value: (r) => r.customerName },
    { key: 'owner', label: { 'zh-CN': '负责人', en: 'Owner' }, value: (r) => r.ownerName },
    { key: 'orgUnit', label: { 'zh-CN': '所属部门', en: 'Org unit' }, value: (r) => r.orgUnitName },
    { key: 'state', label: { 'zh-CN': '状态', en: 'State' }, value: (r, l) => STATE_LABELS[r.state][l] },
    { key: 'signedDate', label: { 'zh-CN': '签订日期', en: 'Signed' }, value: (r) => r.signedDate },
    {
      key: 'amount',
      label: { 'zh-CN': '合同金额（元）', en: 'Amount (yuan)' },
      value: (r) => fenToYuan(r.amount),
    },
    ...figureColumns,
    {
      key: 'nextDueDate',
      label: { 'zh-CN': '下期应收日期', en: 'Next due date' },
      value: (r) => r.nextDue?.dueDate ?? null,
    },
    {
      key: 'nextDueAmount',
      label: { 'zh-CN': '下期应收金额（元）', en: 'Next due amount (yuan)' },
      value: (r) => (r.nextDue ? fenToYuan(r.nextDue.amount) : null),
    },
    {
      key: 'overdue',
      label: { 'zh-CN': '逾期', en: 'Overdue' },
      value: (r, l) => (r.overdue ? (l === 'zh-CN' ? '是' : 'Yes') : ''),
    },
  ],
  rows: everyPage(listContractLedger),
});
