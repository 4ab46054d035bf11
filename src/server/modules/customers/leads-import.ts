import { and, eq, inArray } from 'drizzle-orm';
import { leadCreate, leadListQuery, leadUpdate } from '../../../contracts/leads.js';
import type { FieldError } from '../../platform/errors.js';
import {
  defineExporter,
  defineImporter,
  everyPage,
  type ImportRecord,
  validateInput,
} from '../../platform/import-export/definitions.js';
import { divisionName } from '../org/divisions.js';
import { resolveDivision } from './import-export.js';
import { captureLead, listLeads, updateLead } from './leads.service.js';
import { leads } from './schema.js';

// Leads in and out of Excel/CSV through the platform import: every row goes through captureLead
// (validation, territory assignment, scoring, audit) like a lead typed into the form.

const INTENT: Record<string, 'high' | 'medium' | 'low'> = {
  high: 'high',
  高: 'high',
  medium: 'medium',
  中: 'medium',
  low: 'low',
  低: 'low',
};

const INTENT_LABELS = {
  high: { 'zh-CN': '高', en: 'High' },
  medium: { 'zh-CN': '中', en: 'Medium' },
  low: { 'zh-CN': '低', en: 'Low' },
} as const;

const STATUS_LABELS = {
  new: { 'zh-CN': '新线索', en: 'New' },
  working: { 'zh-CN': '跟进中', en: 'Working' },
  converted: { 'zh-CN': '已转化', en: 'Converted' },
  disqualified: { 'zh-CN': '已作废', en: 'Disqualified' },
} as const;

function leadInput(record: ImportRecord, errors: FieldError[]) {
  const provinceCode = resolveDivision(record.province ?? null, undefined, 'provinceCode', errors) ?? null;
  const cityCode =
    resolveDivision(record.city ?? null, provinceCode ?? undefined, 'cityCode', errors) ?? null;
  const intent = record.intentLevel ? INTENT[record.intentLevel.toLowerCase()] : undefined;
  if (record.intentLevel && !intent) {
    errors.push({ path: 'intentLevel', message: 'oneOf', params: { values: '高, 中, 低' } });
  }
  return {
    personName: record.personName,
    companyName: record.companyName,
    title: record.title,
    mobile: record.mobile,
    email: record.email,
    wechat: record.wechat,
    provinceCode,
    cityCode,
    source: record.source,
    awarenessChannel: record.awarenessChannel,
    needs: record.needs,
    intentLevel: intent ?? null,
  };
}

defineImporter<{ id: string; version: number }>({
  entity: 'leads',
  label: { 'zh-CN': '线索', en: 'Leads' },
  permissions: { create: 'leads.create', update: 'leads.update' },
  duplicateKey: 'mobile',
  createDuplicates: true,
  fieldOfPath: { provinceCode: 'province', cityCode: 'city' },
  fields: [
    {
      key: 'personName',
      label: { 'zh-CN': '姓名', en: 'Name' },
      aliases: ['联系人', '客户姓名', 'contact'],
      example: '王建国',
    },
    {
      key: 'companyName',
      label: { 'zh-CN': '公司', en: 'Company' },
      aliases: ['公司名称', '单位', '企业'],
      example: '南京恒通物流有限公司',
    },
    {
      key: 'title',
      label: { 'zh-CN': '职务', en: 'Title' },
      aliases: ['职位', 'job title'],
      example: '采购经理',
    },
    {
      key: 'mobile',
      label: { 'zh-CN': '手机号', en: 'Mobile' },
      aliases: ['手机', '电话', '联系电话', 'phone'],
      example: '13800138000',
    },
    {
      key: 'email',
      label: { 'zh-CN': '邮箱', en: 'Email' },
      aliases: ['电子邮箱', 'e-mail', 'mail'],
      example: 'wang@example.com',
    },
    {
      key: 'wechat',
      label: { 'zh-CN': '微信', en: 'WeChat' },
      aliases: ['微信号', 'weixin'],
      example: 'wangjg',
    },
    {
      key: 'province',
      label: { 'zh-CN': '省份', en: 'Province' },
      aliases: ['省', '省份代码'],
      example: '江苏',
    },
    { key: 'city', label: { 'zh-CN': '城市', en: 'City' }, aliases: ['市', '城市代码'], example: '南京' },
    {
      key: 'source',
      label: { 'zh-CN': '来源', en: 'Source' },
      aliases: ['线索来源', 'lead source'],
      example: 'exhibition',
    },
    {
      key: 'awarenessChannel',
      label: { 'zh-CN': '获知渠道', en: 'Awareness channel' },
      aliases: ['渠道'],
      example: '朋友介绍',
    },
    {
      key: 'needs',
      label: { 'zh-CN': '需求', en: 'Needs' },
      aliases: ['需求描述', '备注', 'notes'],
      example: '车队更新，约 20 台轻卡',
    },
    {
      key: 'intentLevel',
      label: { 'zh-CN': '意向', en: 'Intent' },
      aliases: ['意向程度', '意向等级', 'intent level'],
      example: '高',
    },
  ],
  // Matched across all open leads; an update still goes through the importer's data scope.
  async find(record, run) {
    if (!record.mobile) return null;
    const [found] = await run.tx
      .select({ id: leads.id, version: leads.version })
      .from(leads)
      .where(and(eq(leads.mobile, record.mobile), inArray(leads.status, ['new', 'working'])))
      .limit(1);
    return found ?? null;
  },
  async create(record, run) {
    const errors: FieldError[] = [];
    const input = validateInput(leadCreate, leadInput(record, errors), errors);
    await captureLead(run.tx, run.ctx, { fields: input, channel: 'import' });
  },
  async update(existing, record, run) {
    const errors: FieldError[] = [];
    const all = leadInput(record, errors);
    // On update a blank cell keeps the stored value.
    const changes = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== null && v !== undefined));
    const input = validateInput(leadUpdate, { ...changes, version: existing.version }, errors);
    await updateLead(run.tx, run.ctx, existing.id, input);
  },
});

type ListedLead = Awaited<ReturnType<typeof listLeads>>['items'][number];

defineExporter({
  entity: 'leads',
  label: { 'zh-CN': '线索', en: 'Leads' },
  path: '/leads',
  permission: 'leads.read',
  query: leadListQuery.omit({ limit: true, cursor: true }),
  columns: [
    { key: 'personName', label: { 'zh-CN': '姓名', en: 'Name' }, value: (l: ListedLead) => l.personName },
    { key: 'companyName', label: { 'zh-CN': '公司', en: 'Company' }, value: (l) => l.companyName },
    { key: 'title', label: { 'zh-CN': '职务', en: 'Title' }, value: (l) => l.title },
    { key: 'mobile', label: { 'zh-CN': '手机号', en: 'Mobile' }, value: (l) => l.mobile },
    { key: 'email', label: { 'zh-CN': '邮箱', en: 'Email' }, value: (l) => l.email },
    { key: 'wechat', label: { 'zh-CN': '微信', en: 'WeChat' }, value: (l) => l.wechat },
    {
      key: 'province',
      label: { 'zh-CN': '省份', en: 'Province' },
      value: (l) => (l.provinceCode ? (divisionName(l.provinceCode) ?? l.provinceCode) : null),
    },
    {
      key: 'city',
      label: { 'zh-CN': '城市', en: 'City' },
      value: (l) => (l.cityCode ? (divisionName(l.cityCode) ?? l.cityCode) : null),
    },
    { key: 'source', label: { 'zh-CN': '来源', en: 'Source' }, value: (l) => l.source },
    {
      key: 'awarenessChannel',
      label: { 'zh-CN': '获知渠道', en: 'Awareness channel' },
      value: (l) => l.awarenessChannel,
    },
    { key: 'needs', label: { 'zh-CN': '需求', en: 'Needs' }, value: (l) => l.needs },
    {
      key: 'intentLevel',
      label: { 'zh-CN': '意向', en: 'Intent' },
      value: (l, locale) => (l.intentLevel ? INTENT_LABELS[l.intentLevel][locale] : null),
    },
    { key: 'score', label: { 'zh-CN': '评分', en: 'Score' }, value: (l) => l.score },
    {
      key: 'status',
      label: { 'zh-CN': '状态', en: 'Status' },
      value: (l, locale) => STATUS_LABELS[l.status][locale],
    },
    { key: 'owner', label: { 'zh-CN': '负责人', en: 'Owner' }, value: (l) => l.ownerName },
    { key: 'orgUnit', label: { 'zh-CN': '所属部门', en: 'Org unit' }, value: (l) => l.orgUnitName },
    { key: 'createdAt', label: { 'zh-CN': '创建时间', en: 'Created' }, value: (l) => new Date(l.createdAt) },
  ],
  rows: everyPage(listLeads),
});
