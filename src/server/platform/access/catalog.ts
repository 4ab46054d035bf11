import type { DataScope } from './schema.js';

export const ROLE_KEYS = [
  'admin',
  'director',
  'manager',
  'rep',
  'assistant',
  'finance',
  'warehouse',
  'marketing',
  'partner',
] as const;
export type RoleKey = (typeof ROLE_KEYS)[number];

type Grant = { actions: readonly string[]; scope?: DataScope };

export interface ResourceDefinition {
  /** Plural kebab-case resource name: the part before the dot in `users.read`. */
  key: string;
  module: string;
  /** Owned records (owner_id + org_unit_id): roles choose a data scope for it. */
  scoped: boolean;
  actions: readonly string[];
  /** Actions guarding sensitive fields (cost price, margin, others' commission). */
  sensitive?: readonly string[];
  /** What each default role gets out of the box; the admin can change it afterwards. */
  defaults: Partial<Record<RoleKey, Grant>>;
}

const resources = new Map<string, ResourceDefinition>();

/** Each module declares its resources once, in its index.ts; the catalog is the union. */
export function defineResource(def: ResourceDefinition): ResourceDefinition {
  resources.set(def.key, def);
  return def;
}

export function allResources(): ResourceDefinition[] {
  return [...resources.values()];
}

export function allPermissions(): string[] {
  return allResources().flatMap((r) => r.actions.map((a) => `${r.key}.${a}`));
}

export function isKnownPermission(key: string): boolean {
  const [resource, action] = key.split('.');
  return !!resource && !!action && !!resources.get(resource)?.actions.includes(action);
}

export function defaultGrants(role: RoleKey): { permissions: string[]; scopes: Record<string, DataScope> } {
  const permissions: string[] = [];
  const scopes: Record<string, DataScope> = {};
  for (const r of resources.values()) {
    // The administrator holds every permission with company-wide scope.
    const grant: Grant | undefined =
      role === 'admin' ? { actions: r.actions, scope: 'all' } : r.defaults[role];
    if (!grant) continue;
    permissions.push(...grant.actions.map((a) => `${r.key}.${a}`));
    if (r.scoped) scopes[r.key] = grant.scope ?? 'own';
  }
  return { permissions, scopes };
}

export const ROLE_NAMES: Record<RoleKey, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  director: { zh: '销售总监', en: 'Sales director' },
  manager: { zh: '销售经理', en: 'Sales manager' },
  rep: { zh: '销售代表', en: 'Sales rep' },
  assistant: { zh: '销售内勤', en: 'Sales assistant' },
  finance: { zh: '财务', en: 'Finance' },
  warehouse: { zh: '仓库', en: 'Warehouse' },
  marketing: { zh: '市场部', en: 'Marketing' },
  partner: { zh: '渠道伙伴', en: 'Channel partner' },
};
