import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import {
  contactCreate,
  contactDirectoryQuery,
  contactUpdate,
  customerCreate,
  customerListQuery,
  customerUpdate,
} from '../../../contracts/customers.js';
import type { Db } from '../../db/client.js';
import { AppError, type FieldError } from '../../platform/errors.js';
import { fenToYuan, yuanToFen } from '../../platform/import-export/cells.js';
import {
  defineExporter,
  defineImporter,
  everyPage,
  type ImportRecord,
  type ImportRun,
  type Label,
  validateInput,
} from '../../platform/import-export/definitions.js';
import { normaliseHeader, splitList } from '../../platform/import-export/mapping.js';
import { divisionName, findDivision } from '../org/divisions.js';
import { users } from '../org/schema.js';
import { createContact, listContactDirectory, updateContact } from './contacts.service.js';
import { normaliseCreditCode } from './credit-code.js';
import {
  type CustomerInput,
  createCustomer,
  createCustomers,
  listCustomers,
  updateCustomer,
  visibleCustomers,
} from './customers.service.js';
import { nameKey } from './dedupe.js';
import { contacts, customers } from './schema.js';

// Imports and exports of customers and contacts: rows go through the customers' own services,
// so an imported customer is validated, deduplicated and audited like one entered on its page.

const KIND_LABELS: Record<'company' | 'individual', Label> = {
  company: { 'zh-CN': '企业', en: 'Company' },
  individual: { 'zh-CN': '个人', en: 'Individual' },
};
const LIFECYCLE_LABELS: Record<'prospect' | 'active' | 'dormant' | 'lost', Label> = {
  prospect: { 'zh-CN': '潜在', en: 'Prospect' },
  active: { 'zh-CN': '活跃', en: 'Active' },
  dormant: { 'zh-CN': '休眠', en: 'Dormant' },
  lost: { 'zh-CN': '流失', en: 'Lost' },
};
const ROLE_LABELS: Record<string, Label> = {
  decision_maker: { 'zh-CN': '决策者', en: 'Decision maker' },
  influencer: { 'zh-CN': '影响者', en: 'Influencer' },
  user: { 'zh-CN': '使用者', en: 'User' },
  gatekeeper: { 'zh-CN': '把关者', en: 'Gatekeeper' },
  other: { 'zh-CN': '其他', en: 'Other' },
};

/** A cell naming one of a label table's keys, by key or by either language's label. */
function fromLabel<K extends string>(
  labels: Record<K, Label>,
  value: string | null,
  path: string,
  errors: FieldError[],
): K | undefined {
  if (!value) return undefined;
  const wanted = normaliseHeader(value);
  for (const [key, label] of Object.entries(labels) as [K, Label][]) {
    if ([key, label['zh-CN'], label.en].some((v) => normaliseHeader(v) === wanted)) return key;
  }
  const values = Object.values<Label>(labels)
    .map((l) => l['zh-CN'])
    .join('/');
  errors.push({ path, message: 'oneOf', params: { values } });
  return undefined;
}

/** A province or city cell by code or name ("上海" finds 上海市); cities within the given province. */
export function resolveDivision(
  value: string | null,
  parent: string | undefined,
  path: string,
  errors: FieldError[],
) {
  if (!value) return undefined;
  const code = findDivision(value, parent);
  if (!code) errors.push({ path, message: 'notFoundValue', params: { value } });
  return code;
}

/** The owner named in a cell: username or a unique active user's name. */
async function resolveOwner(db: Db, value: string | null, errors: FieldError[]) {
  if (!value) return undefined;
  const found = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.status, 'active'),
        sql`(lower(${users.username}) = ${value.toLowerCase()} or ${users.name} = ${value})`,
      ),
    )
    .limit(2);
  if (found.length === 1) return found[0]!.id;
  errors.push({
    path: 'ownerId',
    message: found.length ? 'ambiguousValue' : 'notFoundValue',
    params: { value },
  });
  return undefined;
}

/**
 * The owner cells of a batch, each resolved as resolveOwner does (username or a unique active
 * user's name) in one query: cell → user id, or null when it names no one or several.
 */
async function resolveOwners(db: Db, cells: (string | null)[]) {
  const wanted = [...new Set(cells.filter((c): c is string => !!c))];
  const found = new Map<string, string | null>();
  if (!wanted.length) return found;
  const rows = await db
    .select({ id: users.id, username: sql<string>`lower(${users.username})`, name: users.name })
    .from(users)
    .where(
      and(
        eq(users.status, 'active'),
        or(
          inArray(
            sql`lower(${users.username})`,
            wanted.map((w) => w.toLowerCase()),
          ),
          inArray(users.name, wanted),
        ),
      ),
    );
  for (const cell of wanted) {
    const matches = rows.filter((u) => u.username === cell.toLowerCase() || u.name === cell);
    found.set(cell, matches.length === 1 ? matches[0]!.id : null);
  }
  return found;
}

/** A row's createCustomer input, with every problem of the row (cells, owner) reported at once. */
function customerInput(
  fields: ReturnType<typeof customerFields>,
  ownerId: string | undefined,
  run: ImportRun,
  errors: FieldError[],
): CustomerInput {
  // Giving a customer to someone else is assignment: only for those who may assign.
  if (
    ownerId &&
    run.ctx.actor &&
    ownerId !== run.ctx.actor.userId &&
    !run.ctx.actor.permissions.has('customers.assign')
  ) {
    errors.push({ path: 'ownerId', message: 'invalid' });
  }
  return validateInput(
    customerCreate,
    { ...withoutBlanks(fields), confirmDuplicate: run.duplicates === 'create' },
    errors,
  );
}

function customerFields(record: ImportRecord, errors: FieldError[]) {
  const provinceCode = resolveDivision(record.province ?? null, undefined, 'provinceCode', errors);
  return {
    kind: fromLabel(KIND_LABELS, record.kind ?? null, 'kind', errors),
    name: record.name ?? undefined,
    shortName: record.shortName,
    creditCode: record.creditCode,
    industry: record.industry,
    size: record.size,
    provinceCode,
    cityCode: resolveDivision(record.city ?? null, provinceCode, 'cityCode', errors),
    address: record.address,
    phone: record.phone,
    website: record.website,
    tags: record.tags ? splitList(record.tags) : undefined,
    grade: record.grade ? record.grade.toUpperCase() : undefined,
    lifecycle: fromLabel(LIFECYCLE_LABELS, record.lifecycle ?? null, 'lifecycle', errors),
    creditLimit: yuanToFen(record.creditLimit ?? null, 'creditLimit', errors),
    creditRating: record.creditRating,
    source: record.source,
  };
}

const withoutBlanks = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

const customerImportFields = [
  {
    key: 'name',
    label: { 'zh-CN': '客户名称', en: 'Customer name' },
    aliases: ['名称', '公司名称', '企业名称', '客户', 'name', 'company'],
    required: true,
    example: '上海申华贸易有限公司',
  },
  { key: 'kind', label: { 'zh-CN': '客户类型', en: 'Kind' }, aliases: ['类型', 'type'], example: '企业' },
  {
    key: 'shortName',
    label: { 'zh-CN': '简称', en: 'Short name' },
    aliases: ['客户简称', 'short'],
    example: '申华贸易',
  },
  {
    key: 'creditCode',
    label: { 'zh-CN': '统一社会信用代码', en: 'Credit code' },
    aliases: ['信用代码', '社会信用代码', 'uscc', 'unified social credit code'],
    example: '91110108551385082Q',
  },
  { key: 'industry', label: { 'zh-CN': '行业', en: 'Industry' }, aliases: ['所属行业'], example: '汽车零售' },
  { key: 'size', label: { 'zh-CN': '规模', en: 'Size' }, aliases: ['企业规模', '人数'], example: '100-499' },
  {
    key: 'province',
    label: { 'zh-CN': '省份', en: 'Province' },
    aliases: ['省', '省份代码'],
    example: '上海市',
  },
  { key: 'city', label: { 'zh-CN': '城市', en: 'City' }, aliases: ['市', '城市代码'], example: '市辖区' },
  {
    key: 'address',
    label: { 'zh-CN': '地址', en: 'Address' },
    aliases: ['详细地址', '公司地址'],
    example: '浦东新区世纪大道100号',
  },
  {
    key: 'phone',
    label: { 'zh-CN': '电话', en: 'Phone' },
    aliases: ['联系电话', '公司电话', '座机', 'tel'],
    example: '021-68881234',
  },
  { key: 'website', label: { 'zh-CN': '网址', en: 'Website' }, aliases: ['网站', '官网', 'web', 'url'] },
  { key: 'tags', label: { 'zh-CN': '标签', en: 'Tags' }, aliases: ['tag'], example: '重点、华东' },
  { key: 'grade', label: { 'zh-CN': '客户等级', en: 'Grade' }, aliases: ['等级', '级别'], example: 'A' },
  {
    key: 'lifecycle',
    label: { 'zh-CN': '生命周期', en: 'Lifecycle' },
    aliases: ['客户状态', '阶段', 'status', 'stage'],
    example: '活跃',
  },
  {
    key: 'creditLimit',
    label: { 'zh-CN': '信用额度（元）', en: 'Credit limit (yuan)' },
    aliases: ['信用额度', '授信额度', 'credit limit'],
    example: '500000',
  },
  {
    key: 'creditRating',
    label: { 'zh-CN': '信用评级', en: 'Credit rating' },
    aliases: ['信用等级', 'rating'],
    example: 'AA',
  },
  { key: 'source', label: { 'zh-CN': '客户来源', en: 'Source' }, aliases: ['来源'], example: '展会' },
  {
    key: 'owner',
    label: { 'zh-CN': '负责人', en: 'Owner' },
    aliases: ['所属销售', '销售', '业务员', 'owner', 'sales rep'],
    example: 'rep01',
  },
];

type Found = { id: string; version: number };

export const customersImporter = defineImporter<Found>({
  entity: 'customers',
  label: { 'zh-CN': '客户', en: 'Customers' },
  permissions: { create: 'customers.create', update: 'customers.update' },
  duplicateKey: 'name',
  // "Create anyway" saves a probable duplicate as the form's confirmation does; a same credit code never.
  createDuplicates: true,
  fieldOfPath: { provinceCode: 'province', cityCode: 'city', ownerId: 'owner' },
  fields: customerImportFields,
  async find(record, run) {
    const code = record.creditCode ? normaliseCreditCode(record.creditCode) : null;
    const byKey = code
      ? eq(customers.creditCode, code)
      : record.name
        ? eq(customers.nameKey, nameKey(record.name))
        : null;
    if (!byKey) return null;
    const [found] = await run.tx
      .select({ id: customers.id, version: customers.version })
      .from(customers)
      .where(and(byKey, isNull(customers.mergedIntoId)))
      .limit(1);
    return found ?? null;
  },
  async create(record, run) {
    const errors: FieldError[] = [];
    const fields = customerFields(record, errors);
    const ownerId = await resolveOwner(run.tx, record.owner ?? null, errors);
    const input = customerInput(fields, ownerId, run, errors);
    await createCustomer(run.tx, run.ctx, input, ownerId ? { owner: { ownerId } } : {});
  },
  async createMany(records, run) {
    // Owners named in the batch, found in one query; a row whose owner is not exactly one active
    // user, or with any other problem, takes the one-by-one path, which explains it.
    const owners = await resolveOwners(
      run.tx,
      records.map((r) => r.owner ?? null),
    );
    const picked: { index: number; input: CustomerInput; ownerId: string | undefined }[] = [];
    for (const [index, record] of records.entries()) {
      const ownerId = record.owner ? owners.get(record.owner) : undefined;
      if (ownerId === null) continue;
      const errors: FieldError[] = [];
      const fields = customerFields(record, errors);
      try {
        picked.push({ index, input: customerInput(fields, ownerId, run, errors), ownerId });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
      }
    }
    const rows = await createCustomers(
      run.tx,
      run.ctx,
      picked.map((p) => p.input),
      { owners: picked.map((p) => (p.ownerId ? { ownerId: p.ownerId } : undefined)) },
    );
    const created = records.map(() => false);
    rows.forEach((row, k) => {
      if (row) created[picked[k]!.index] = true;
    });
    return created;
  },
  async update(existing, record, run) {
    const errors: FieldError[] = [];
    const input = validateInput(
      customerUpdate,
      { ...withoutBlanks(customerFields(record, errors)), version: existing.version },
      errors,
    );
    await updateCustomer(run.tx, run.ctx, existing.id, input);
  },
});

/** The customer a contact row belongs to: credit code, else exact name, else name key; within scope. */
async function resolveCustomer(run: ImportRun, value: string | null, errors: FieldError[]) {
  if (!value) return undefined;
  const code = normaliseCreditCode(value);
  const rows = await run.tx
    .select({ id: customers.id })
    .from(customers)
    .where(
      and(
        isNull(customers.mergedIntoId),
        visibleCustomers(run.ctx),
        sql`(${customers.creditCode} = ${code} or ${customers.name} = ${value} or ${customers.nameKey} = ${nameKey(value)})`,
      ),
    )
    .limit(2);
  if (rows.length === 1) return rows[0]!.id;
  errors.push({
    path: 'customerId',
    message: rows.length ? 'ambiguousValue' : 'notFoundValue',
    params: { value },
  });
  return undefined;
}

const YES = new Set(['是', 'y', 'yes', 'true', '1', '√', '主要']);

function contactFields(record: ImportRecord, errors: FieldError[]) {
  return {
    name: record.name ?? undefined,
    title: record.title,
    mobile: record.mobile,
    phone: record.phone,
    email: record.email,
    wechat: record.wechat,
    birthday: record.birthday,
    decisionRole: fromLabel(ROLE_LABELS, record.decisionRole ?? null, 'decisionRole', errors),
    isPrimary: record.isPrimary ? YES.has(record.isPrimary.toLowerCase()) : undefined,
  };
}

export const contactsImporter = defineImporter<Found & { customerId: string }>({
  entity: 'contacts',
  label: { 'zh-CN': '联系人', en: 'Contacts' },
  permissions: { create: 'customers.update', update: 'customers.update' },
  duplicateKey: 'mobile',
  createDuplicates: true,
  fieldOfPath: { customerId: 'customer' },
  fields: [
    {
      key: 'customer',
      label: { 'zh-CN': '客户', en: 'Customer' },
      aliases: ['客户名称', '公司', '所属客户', 'company', 'customer name'],
      required: true,
      example: '上海申华贸易有限公司',
    },
    {
      key: 'name',
      label: { 'zh-CN': '姓名', en: 'Name' },
      aliases: ['联系人', '联系人姓名', 'contact', 'full name'],
      required: true,
      example: '王芳',
    },
    {
      key: 'title',
      label: { 'zh-CN': '职务', en: 'Title' },
      aliases: ['职位', 'position', 'job title'],
      example: '采购经理',
    },
    {
      key: 'mobile',
      label: { 'zh-CN': '手机号', en: 'Mobile' },
      aliases: ['手机', '手机号码', 'mobile phone', 'cell phone'],
      example: '13912345678',
    },
    {
      key: 'phone',
      label: { 'zh-CN': '电话', en: 'Phone' },
      aliases: ['座机', '办公电话', 'tel', 'office phone'],
      example: '021-68881234',
    },
    {
      key: 'email',
      label: { 'zh-CN': '邮箱', en: 'Email' },
      aliases: ['电子邮箱', '邮件', 'e-mail', 'mail'],
    },
    { key: 'wechat', label: { 'zh-CN': '微信', en: 'WeChat' }, aliases: ['微信号', 'weixin'] },
    {
      key: 'birthday',
      label: { 'zh-CN': '生日', en: 'Birthday' },
      aliases: ['出生日期', 'date of birth'],
      example: '1985-06-01',
    },
    {
      key: 'decisionRole',
      label: { 'zh-CN': '决策角色', en: 'Decision role' },
      aliases: ['角色', 'role'],
      example: '决策者',
    },
    {
      key: 'isPrimary',
      label: { 'zh-CN': '主要联系人', en: 'Primary' },
      aliases: ['首要联系人', 'primary contact'],
      example: '是',
    },
  ],
  async find(record, run) {
    if (!record.mobile || !record.customer) return null;
    const customerId = await resolveCustomer(run, record.customer, []);
    if (!customerId) return null;
    const [found] = await run.tx
      .select({ id: contacts.id, version: contacts.version, customerId: contacts.customerId })
      .from(contacts)
      .where(
        and(
          eq(contacts.customerId, customerId),
          eq(contacts.mobile, record.mobile),
          isNull(contacts.archivedAt),
        ),
      )
      .limit(1);
    return found ?? null;
  },
  async create(record, run) {
    const errors: FieldError[] = [];
    const customerId = await resolveCustomer(run, record.customer ?? null, errors);
    const input = validateInput(contactCreate, withoutBlanks(contactFields(record, errors)), errors);
    await createContact(run.tx, run.ctx, customerId!, input);
  },
  async update(existing, record, run) {
    const errors: FieldError[] = [];
    const input = validateInput(
      contactUpdate,
      { ...withoutBlanks(contactFields(record, errors)), version: existing.version },
      errors,
    );
    await updateContact(run.tx, run.ctx, existing.customerId, existing.id, input);
  },
});

type ListedCustomer = Awaited<ReturnType<typeof listCustomers>>['items'][number];

defineExporter({
  entity: 'customers',
  label: { 'zh-CN': '客户', en: 'Customers' },
  path: '/customers',
  permission: 'customers.read',
  query: customerListQuery.omit({ limit: true, cursor: true }),
  // The import's column names, so an exported sheet can be edited and imported back.
  columns: [
    { key: 'name', label: customerImportFields[0]!.label, value: (c: ListedCustomer) => c.name },
    { key: 'kind', label: { 'zh-CN': '客户类型', en: 'Kind' }, value: (c, l) => KIND_LABELS[c.kind][l] },
    { key: 'shortName', label: { 'zh-CN': '简称', en: 'Short name' }, value: (c) => c.shortName },
    {
      key: 'creditCode',
      label: { 'zh-CN': '统一社会信用代码', en: 'Credit code' },
      value: (c) => c.creditCode,
    },
    { key: 'industry', label: { 'zh-CN': '行业', en: 'Industry' }, value: (c) => c.industry },
    { key: 'size', label: { 'zh-CN': '规模', en: 'Size' }, value: (c) => c.size },
    {
      key: 'province',
      label: { 'zh-CN': '省份', en: 'Province' },
      value: (c) => (c.provinceCode ? divisionName(c.provinceCode) : null),
    },
    {
      key: 'city',
      label: { 'zh-CN': '城市', en: 'City' },
      value: (c) => (c.cityCode ? divisionName(c.cityCode) : null),
    },
    { key: 'address', label: { 'zh-CN': '地址', en: 'Address' }, value: (c) => c.address },
    { key: 'phone', label: { 'zh-CN': '电话', en: 'Phone' }, value: (c) => c.phone },
    { key: 'website', label: { 'zh-CN': '网址', en: 'Website' }, value: (c) => c.website },
    {
      key: 'tags',
      label: { 'zh-CN': '标签', en: 'Tags' },
      value: (c, l) => c.tags.join(l === 'zh-CN' ? '、' : ', '),
    },
    { key: 'grade', label: { 'zh-CN': '客户等级', en: 'Grade' }, value: (c) => c.grade },
    {
      key: 'lifecycle',
      label: { 'zh-CN': '生命周期', en: 'Lifecycle' },
      value: (c, l) => LIFECYCLE_LABELS[c.lifecycle][l],
    },
    {
      key: 'creditLimit',
      label: { 'zh-CN': '信用额度（元）', en: 'Credit limit (yuan)' },
      value: (c) => fenToYuan(c.creditLimit),
    },
    {
      key: 'creditRating',
      label: { 'zh-CN': '信用评级', en: 'Credit rating' },
      value: (c) => c.creditRating,
    },
    { key: 'source', label: { 'zh-CN': '客户来源', en: 'Source' }, value: (c) => c.source },
    { key: 'owner', label: { 'zh-CN': '负责人', en: 'Owner' }, value: (c) => c.ownerName },
    { key: 'orgUnit', label: { 'zh-CN': '所属部门', en: 'Org unit' }, value: (c) => c.orgUnitName },
    {
      key: 'lastFollowUpAt',
      label: { 'zh-CN': '最近跟进', en: 'Last follow-up' },
      value: (c) => (c.lastFollowUpAt ? new Date(c.lastFollowUpAt) : null),
    },
    { key: 'updatedAt', label: { 'zh-CN': '更新时间', en: 'Updated' }, value: (c) => new Date(c.updatedAt) },
  ],
  rows: everyPage(listCustomers),
});

type ListedContact = Awaited<ReturnType<typeof listContactDirectory>>['items'][number];

defineExporter({
  entity: 'contacts',
  label: { 'zh-CN': '联系人', en: 'Contacts' },
  path: '/contacts',
  permission: 'customers.read',
  query: contactDirectoryQuery.omit({ limit: true, cursor: true }),
  // The contacts import's columns, so the sheet can be edited and imported back.
  columns: [
    {
      key: 'customer',
      label: { 'zh-CN': '客户', en: 'Customer' },
      value: (c: ListedContact) => c.customerName,
    },
    { key: 'name', label: { 'zh-CN': '姓名', en: 'Name' }, value: (c) => c.name },
    { key: 'title', label: { 'zh-CN': '职务', en: 'Title' }, value: (c) => c.title },
    { key: 'mobile', label: { 'zh-CN': '手机号', en: 'Mobile' }, value: (c) => c.mobile },
    { key: 'phone', label: { 'zh-CN': '电话', en: 'Phone' }, value: (c) => c.phone },
    { key: 'email', label: { 'zh-CN': '邮箱', en: 'Email' }, value: (c) => c.email },
    { key: 'wechat', label: { 'zh-CN': '微信', en: 'WeChat' }, value: (c) => c.wechat },
    { key: 'birthday', label: { 'zh-CN': '生日', en: 'Birthday' }, value: (c) => c.birthday },
    {
      key: 'decisionRole',
      label: { 'zh-CN': '决策角色', en: 'Decision role' },
      value: (c, l) => (c.decisionRole ? ROLE_LABELS[c.decisionRole]![l] : null),
    },
    {
      key: 'isPrimary',
      label: { 'zh-CN': '主要联系人', en: 'Primary' },
      value: (c, l) => (c.isPrimary ? (l === 'zh-CN' ? '是' : 'Yes') : null),
    },
    { key: 'owner', label: { 'zh-CN': '客户负责人', en: 'Customer owner' }, value: (c) => c.ownerName },
    { key: 'updatedAt', label: { 'zh-CN': '更新时间', en: 'Updated' }, value: (c) => new Date(c.updatedAt) },
  ],
  rows: everyPage(listContactDirectory),
});
