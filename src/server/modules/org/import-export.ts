import { randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  orgUnitCreate,
  orgUnitUpdate,
  userCreate,
  userListQuery,
  userUpdate,
} from '../../../contracts/org.js';
import type { Db } from '../../db/client.js';
import { roles } from '../../platform/access/schema.js';
import { assertPasswordPolicy, hashPassword } from '../../platform/auth/password.js';
import type { FieldError } from '../../platform/errors.js';
import {
  defineExporter,
  defineImporter,
  everyPage,
  type ImportRecord,
  type ImportRun,
  validateInput,
} from '../../platform/import-export/definitions.js';
import { normaliseHeader, splitList } from '../../platform/import-export/mapping.js';
import { createOrgUnit, listOrgUnits, updateOrgUnit } from './org-units.service.js';
import { orgUnits, users } from './schema.js';
import { createUser, createUsers, listUsers, updateUser } from './users.service.js';

// Imports and exports of the org module: users and org units go through the same services (and
// so the same validation and audit) as the administration pages.

type Unit = { id: string; name: string; code: string | null; path: string; kind: string };

async function activeUnits(db: Db): Promise<Unit[]> {
  return db
    .select({
      id: orgUnits.id,
      name: orgUnits.name,
      code: orgUnits.code,
      path: orgUnits.path,
      kind: orgUnits.kind,
    })
    .from(orgUnits)
    .where(isNull(orgUnits.archivedAt));
}

/** A unit named in a cell: by code, by its path of names ("华东/华东一组"), or by a unique name. */
function findUnit(units: Unit[], value: string): { unit?: Unit; ambiguous?: boolean } {
  const byCode = units.find((u) => u.code && u.code.toLowerCase() === value.toLowerCase());
  if (byCode) return { unit: byCode };
  const byId = new Map(units.map((u) => [u.id, u]));
  const pathOf = (u: Unit) =>
    u.path
      .split('/')
      .filter(Boolean)
      .map((id) => byId.get(id)?.name ?? '?');
  const wanted = value
    .split(/\s*[/>＞／]\s*/)
    .filter(Boolean)
    .join('/');
  if (value.includes('/') || value.includes('>') || value.includes('／')) {
    const matches = units.filter((u) => {
      const names = pathOf(u);
      return names.join('/') === wanted || names.slice(1).join('/') === wanted;
    });
    if (matches.length === 1) return { unit: matches[0]! };
    if (matches.length > 1) return { ambiguous: true };
  }
  const named = units.filter((u) => u.name === value);
  if (named.length === 1) return { unit: named[0]! };
  return named.length > 1 ? { ambiguous: true } : {};
}

function resolveUnit(units: Unit[], value: string | null, path: string, errors: FieldError[]) {
  if (!value) return undefined;
  const found = findUnit(units, value);
  if (found.unit) return found.unit;
  errors.push({ path, message: found.ambiguous ? 'ambiguousValue' : 'notFoundValue', params: { value } });
  return undefined;
}

/** A user named in a cell: by username, else by a unique active user's name. */
async function resolveUser(db: Db, value: string | null, path: string, errors: FieldError[]) {
  if (!value) return undefined;
  const [byUsername] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.username}) = ${value.toLowerCase()}`);
  if (byUsername) return byUsername.id;
  const named = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.name, value), eq(users.status, 'active')))
    .limit(2);
  if (named.length === 1) return named[0]!.id;
  errors.push({ path, message: named.length ? 'ambiguousValue' : 'notFoundValue', params: { value } });
  return undefined;
}

async function roleLookup(run: ImportRun) {
  let lookup = run.cache.get('roles') as Map<string, string> | undefined;
  if (!lookup) {
    lookup = new Map();
    for (const r of await run.tx.select().from(roles)) {
      for (const name of [r.key, r.nameZh, r.nameEn]) lookup.set(normaliseHeader(name), r.id);
    }
    run.cache.set('roles', lookup);
  }
  return lookup;
}

async function resolveRoles(run: ImportRun, value: string | null, errors: FieldError[]) {
  if (!value) return undefined;
  const lookup = await roleLookup(run);
  const ids: string[] = [];
  for (const name of splitList(value)) {
    const id = lookup.get(normaliseHeader(name));
    if (id) ids.push(id);
    else errors.push({ path: 'roleIds', message: 'notFoundValue', params: { value: name } });
  }
  return ids;
}

async function unitsOf(run: ImportRun) {
  let units = run.cache.get('units') as Unit[] | undefined;
  if (!units) {
    units = await activeUnits(run.tx);
    run.cache.set('units', units);
  }
  return units;
}

const userFieldPaths = { orgUnitId: 'orgUnit', managerId: 'manager', roleIds: 'roles' };

/** Shared initial password (hashed once), or an unusable one: the user cannot sign in until reset. */
async function initialPasswordHash(run: ImportRun): Promise<string> {
  const given = run.options.passwordHash;
  if (typeof given === 'string') return given;
  let hash = run.cache.get('passwordHash') as string | undefined;
  if (!hash) {
    hash = await hashPassword(randomBytes(24).toString('base64'));
    run.cache.set('passwordHash', hash);
  }
  return hash;
}

async function userInput(record: ImportRecord, run: ImportRun, errors: FieldError[]) {
  return {
    orgUnitId: resolveUnit(await unitsOf(run), record.orgUnit ?? null, 'orgUnitId', errors)?.id,
    managerId: await resolveUser(run.tx, record.manager ?? null, 'managerId', errors),
    roleIds: await resolveRoles(run, record.roles ?? null, errors),
  };
}

export const usersImporter = defineImporter<{ id: string; version: number }>({
  entity: 'users',
  label: { 'zh-CN': '用户', en: 'Users' },
  permissions: { create: 'users.manage', update: 'users.manage' },
  duplicateKey: 'username',
  createDuplicates: false,
  fieldOfPath: userFieldPaths,
  fields: [
    {
      key: 'username',
      label: { 'zh-CN': '用户名', en: 'Username' },
      aliases: ['账号', '帐号', '登录名', '登录账号', 'login', 'account', 'user name', 'user id'],
      required: true,
      example: 'zhangsan',
    },
    {
      key: 'name',
      label: { 'zh-CN': '姓名', en: 'Name' },
      aliases: ['名字', '员工姓名', 'full name'],
      required: true,
      example: '张三',
    },
    {
      key: 'phone',
      label: { 'zh-CN': '手机号', en: 'Mobile' },
      aliases: ['手机', '手机号码', '电话', '联系电话', 'phone', 'mobile phone', 'cell phone'],
      example: '13800138000',
    },
    {
      key: 'email',
      label: { 'zh-CN': '邮箱', en: 'Email' },
      aliases: ['电子邮箱', '邮件', '电子邮件', 'e-mail', 'mail'],
      example: 'zhangsan@example.com',
    },
    {
      key: 'position',
      label: { 'zh-CN': '职位', en: 'Position' },
      aliases: ['岗位', '职务', 'title', 'job title'],
      example: '销售代表',
    },
    {
      key: 'orgUnit',
      label: { 'zh-CN': '所属部门', en: 'Org unit' },
      aliases: ['部门', '组织', '团队', '所属组织', 'department', 'unit', 'team'],
      required: true,
      example: '华东/华东一组',
    },
    {
      key: 'manager',
      label: { 'zh-CN': '直属上级', en: 'Manager' },
      aliases: ['上级', '汇报对象', '主管', 'reports to', 'supervisor'],
      example: 'lisi',
    },
    {
      key: 'roles',
      label: { 'zh-CN': '角色', en: 'Roles' },
      aliases: ['role', '用户角色'],
      required: true,
      example: '销售代表',
    },
  ],
  async parseOptions(input) {
    const password = input.initialPassword;
    if (typeof password !== 'string') return {};
    assertPasswordPolicy(password, '', 'initialPassword');
    return { passwordHash: await hashPassword(password) };
  },
  async find(record, run) {
    if (!record.username) return null;
    const [found] = await run.tx
      .select({ id: users.id, version: users.version })
      .from(users)
      .where(sql`lower(${users.username}) = ${record.username.toLowerCase()}`);
    return found ?? null;
  },
  async create(record, run) {
    const errors: FieldError[] = [];
    const refs = await userInput(record, run, errors);
    const input = validateInput(
      userCreate,
      {
        username: record.username ?? undefined,
        name: record.name ?? undefined,
        phone: record.phone,
        email: record.email,
        position: record.position ?? undefined,
        managerId: refs.managerId ?? null,
        orgUnitId: refs.orgUnitId,
        roleIds: refs.roleIds,
        password: '-',
      },
      errors,
    );
    await createUser(run.tx, run.ctx, input, {
      passwordHash: await initialPasswordHash(run),
      mustChangePassword: true,
    });
  },
  async createMany(records, run) {
    // Managers named by username, found in one query; anything else takes the one-by-one path.
    const wanted = [...new Set(records.map((r) => r.manager?.toLowerCase()).filter((m): m is string => !!m))];
    const managers = new Map(
      (wanted.length
        ? await run.tx
            .select({ id: users.id, username: sql<string>`lower(${users.username})` })
            .from(users)
            .where(inArray(sql`lower(${users.username})`, wanted))
        : []
      ).map((m) => [m.username, m.id]),
    );
    const units = await unitsOf(run);
    const inputs: { index: number; input: z.infer<typeof userCreate> }[] = [];
    for (const [index, record] of records.entries()) {
      const errors: FieldError[] = [];
      const managerId = record.manager ? managers.get(record.manager.toLowerCase()) : null;
      if (managerId === undefined) continue;
      const parsed = userCreate.safeParse({
        username: record.username ?? undefined,
        name: record.name ?? undefined,
        phone: record.phone,
        email: record.email,
        position: record.position ?? undefined,
        managerId,
        orgUnitId: resolveUnit(units, record.orgUnit ?? null, 'orgUnitId', errors)?.id,
        roleIds: await resolveRoles(run, record.roles ?? null, errors),
        password: '-',
      });
      if (parsed.success && !errors.length) inputs.push({ index, input: parsed.data });
    }
    const ids = await createUsers(
      run.tx,
      run.ctx,
      inputs.map((i) => i.input),
      { passwordHash: await initialPasswordHash(run), mustChangePassword: true },
    );
    const created = records.map(() => false);
    ids.forEach((id, k) => {
      if (id) created[inputs[k]!.index] = true;
    });
    return created;
  },
  async update(existing, record, run) {
    const errors: FieldError[] = [];
    const refs = await userInput(record, run, errors);
    // A blank cell leaves the stored value as it is.
    const changes = Object.fromEntries(
      Object.entries({
        name: record.name,
        phone: record.phone,
        email: record.email,
        position: record.position,
        managerId: refs.managerId,
        orgUnitId: refs.orgUnitId,
        roleIds: refs.roleIds,
      }).filter(([, v]) => v !== null && v !== undefined),
    );
    const input = validateInput(userUpdate, { ...changes, version: existing.version }, errors);
    await updateUser(run.tx, run.ctx, existing.id, input);
  },
});

const KINDS: Record<string, 'company' | 'region' | 'team' | 'department'> = {
  company: 'company',
  公司: 'company',
  region: 'region',
  大区: 'region',
  区域: 'region',
  team: 'team',
  团队: 'team',
  小组: 'team',
  组: 'team',
  department: 'department',
  部门: 'department',
};

function unitInput(record: ImportRecord, units: Unit[], errors: FieldError[]) {
  const parent = resolveUnit(units, record.parent ?? null, 'parentId', errors);
  let kind: string | undefined;
  if (record.kind) {
    kind = KINDS[record.kind.toLowerCase()];
    if (!kind)
      errors.push({
        path: 'kind',
        message: 'oneOf',
        params: { values: '大区/region, 团队/team, 部门/department' },
      });
  }
  let sortOrder: number | undefined;
  if (record.sortOrder) {
    sortOrder = Number(record.sortOrder);
    if (!Number.isInteger(sortOrder))
      errors.push({ path: 'sortOrder', message: 'type', params: { expected: 'number' } });
  }
  return { parent, kind, sortOrder };
}

export const orgUnitsImporter = defineImporter<{ id: string; version: number }>({
  entity: 'org-units',
  label: { 'zh-CN': '组织架构', en: 'Org units' },
  permissions: { create: 'org.manage', update: 'org.manage' },
  duplicateKey: 'code',
  // Without a code a unit is matched by name under its parent; a second one of the same name may be wanted.
  createDuplicates: true,
  fieldOfPath: { parentId: 'parent', headUserId: 'head' },
  fields: [
    {
      key: 'name',
      label: { 'zh-CN': '名称', en: 'Name' },
      aliases: ['部门名称', '组织名称', '单位名称', 'unit name', 'unit'],
      required: true,
      example: '华东一组',
    },
    {
      key: 'code',
      label: { 'zh-CN': '编码', en: 'Code' },
      aliases: ['部门编码', '组织编码', '代码', '编号', 'unit code'],
      example: 'HD-01',
    },
    {
      key: 'parent',
      label: { 'zh-CN': '上级部门', en: 'Parent unit' },
      aliases: ['上级', '上级组织', '所属上级', 'parent'],
      required: true,
      example: '华东',
    },
    {
      key: 'kind',
      label: { 'zh-CN': '类型', en: 'Kind' },
      aliases: ['部门类型', '组织类型', 'type'],
      example: '团队',
    },
    {
      key: 'head',
      label: { 'zh-CN': '负责人', en: 'Head' },
      aliases: ['部门负责人', '主管', 'head of unit', 'leader'],
      example: 'lisi',
    },
    {
      key: 'sortOrder',
      label: { 'zh-CN': '排序', en: 'Sort order' },
      aliases: ['顺序', '序号', 'order', 'sort'],
      example: '10',
    },
  ],
  async find(record, run) {
    if (record.code) {
      const [byCode] = await run.tx
        .select({ id: orgUnits.id, version: orgUnits.version })
        .from(orgUnits)
        .where(sql`lower(${orgUnits.code}) = ${record.code.toLowerCase()}`);
      return byCode ?? null;
    }
    if (!record.name) return null;
    if (!record.parent) {
      // The company itself (an exported tree starts with it): matched, never created.
      const [root] = await run.tx
        .select({ id: orgUnits.id, version: orgUnits.version })
        .from(orgUnits)
        .where(and(isNull(orgUnits.parentId), eq(orgUnits.name, record.name)));
      return root ?? null;
    }
    const parent = findUnit(await activeUnits(run.tx), record.parent).unit;
    if (!parent) return null;
    const [byName] = await run.tx
      .select({ id: orgUnits.id, version: orgUnits.version })
      .from(orgUnits)
      .where(
        and(eq(orgUnits.parentId, parent.id), eq(orgUnits.name, record.name), isNull(orgUnits.archivedAt)),
      );
    return byName ?? null;
  },
  async create(record, run) {
    const errors: FieldError[] = [];
    const units = await activeUnits(run.tx);
    const { parent, kind, sortOrder } = unitInput(record, units, errors);
    const headUserId = await resolveUser(run.tx, record.head ?? null, 'headUserId', errors);
    const input = validateInput(
      orgUnitCreate,
      {
        parentId: parent?.id,
        name: record.name ?? undefined,
        code: record.code,
        // As on the org page: a unit under the company is a region, below that a team.
        kind: kind ?? (parent?.kind === 'company' ? 'region' : 'team'),
        headUserId: headUserId ?? null,
        ...(sortOrder !== undefined ? { sortOrder } : {}),
      },
      errors,
    );
    await createOrgUnit(run.tx, run.ctx, input);
  },
  async update(existing, record, run) {
    const errors: FieldError[] = [];
    const units = await activeUnits(run.tx);
    const { parent, kind, sortOrder } = unitInput(record, units, errors);
    const headUserId = await resolveUser(run.tx, record.head ?? null, 'headUserId', errors);
    const changes = Object.fromEntries(
      Object.entries({
        name: record.name,
        parentId: parent?.id,
        kind,
        headUserId,
        sortOrder,
        code: record.code,
      }).filter(([, v]) => v !== null && v !== undefined),
    );
    const input = validateInput(orgUnitUpdate, { ...changes, version: existing.version }, errors);
    await updateOrgUnit(run.tx, run.ctx, existing.id, input);
  },
});

const STATUS_LABELS = {
  active: { 'zh-CN': '在职', en: 'Active' },
  disabled: { 'zh-CN': '已停用', en: 'Disabled' },
};
type ListedUser = Awaited<ReturnType<typeof listUsers>>['items'][number];

defineExporter({
  entity: 'users',
  label: { 'zh-CN': '用户', en: 'Users' },
  path: '/users',
  permission: 'users.read',
  query: userListQuery.omit({ limit: true, cursor: true }),
  columns: [
    { key: 'username', label: { 'zh-CN': '用户名', en: 'Username' }, value: (u: ListedUser) => u.username },
    { key: 'name', label: { 'zh-CN': '姓名', en: 'Name' }, value: (u) => u.name },
    { key: 'phone', label: { 'zh-CN': '手机号', en: 'Mobile' }, value: (u) => u.phone },
    { key: 'email', label: { 'zh-CN': '邮箱', en: 'Email' }, value: (u) => u.email },
    { key: 'position', label: { 'zh-CN': '职位', en: 'Position' }, value: (u) => u.position },
    { key: 'orgUnit', label: { 'zh-CN': '所属部门', en: 'Org unit' }, value: (u) => u.orgUnitName },
    { key: 'manager', label: { 'zh-CN': '直属上级', en: 'Manager' }, value: (u) => u.managerName },
    {
      key: 'roles',
      label: { 'zh-CN': '角色', en: 'Roles' },
      value: (u, locale) =>
        u.roles.map((r) => (locale === 'zh-CN' ? r.nameZh : r.nameEn)).join(locale === 'zh-CN' ? '、' : ', '),
    },
    {
      key: 'status',
      label: { 'zh-CN': '状态', en: 'Status' },
      value: (u, locale) => STATUS_LABELS[u.status][locale],
    },
    {
      key: 'lastLoginAt',
      label: { 'zh-CN': '最近登录', en: 'Last sign-in' },
      value: (u) => (u.lastLoginAt ? new Date(u.lastLoginAt) : null),
    },
    { key: 'createdAt', label: { 'zh-CN': '创建时间', en: 'Created' }, value: (u) => new Date(u.createdAt) },
  ],
  rows: everyPage(listUsers),
});

const KIND_LABELS = {
  company: { 'zh-CN': '公司', en: 'Company' },
  region: { 'zh-CN': '大区', en: 'Region' },
  team: { 'zh-CN': '团队', en: 'Team' },
  department: { 'zh-CN': '部门', en: 'Department' },
};
type ListedUnit = Awaited<ReturnType<typeof listOrgUnits>>[number] & { parentPath: string | null };

defineExporter({
  entity: 'org-units',
  label: { 'zh-CN': '组织架构', en: 'Org units' },
  path: '/org-units',
  permission: 'org.read',
  query: z.object({ includeArchived: z.stringbool().optional() }).strict(),
  columns: [
    { key: 'name', label: { 'zh-CN': '名称', en: 'Name' }, value: (u: ListedUnit) => u.name },
    { key: 'code', label: { 'zh-CN': '编码', en: 'Code' }, value: (u) => u.code },
    { key: 'parent', label: { 'zh-CN': '上级部门', en: 'Parent unit' }, value: (u) => u.parentPath },
    {
      key: 'kind',
      label: { 'zh-CN': '类型', en: 'Kind' },
      value: (u, locale) => KIND_LABELS[u.kind][locale],
    },
    { key: 'head', label: { 'zh-CN': '负责人', en: 'Head' }, value: (u) => u.headUserName },
    { key: 'sortOrder', label: { 'zh-CN': '排序', en: 'Sort order' }, value: (u) => u.sortOrder },
    { key: 'userCount', label: { 'zh-CN': '人数', en: 'Members' }, value: (u) => u.userCount },
    {
      key: 'territories',
      label: { 'zh-CN': '负责区域', en: 'Territories' },
      value: (u) => u.territories.join(' '),
    },
    {
      key: 'archived',
      label: { 'zh-CN': '已归档', en: 'Archived' },
      value: (u, locale) => (u.archived ? (locale === 'zh-CN' ? '是' : 'Yes') : ''),
    },
  ],
  async *rows(db, _ctx, query) {
    const units = await listOrgUnits(db, { includeArchived: query.includeArchived ?? false });
    const byId = new Map(units.map((u) => [u.id, u]));
    // The parent as a path of names from the company down: unambiguous when re-imported.
    const pathOf = (id: string | null): string | null => {
      const u = id ? byId.get(id) : undefined;
      if (!u) return null;
      const up = pathOf(u.parentId);
      return up ? `${up}/${u.name}` : u.name;
    };
    yield units.map((u) => ({ ...u, parentPath: pathOf(u.parentId) }));
  },
});
