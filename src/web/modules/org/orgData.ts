import { useQuery } from '@tanstack/react-query';
import type { OrgUnit, Role } from '../../../contracts/index.js';
import { api } from '../../app/api.js';

export const useOrgUnits = (includeArchived = false, enabled = true) =>
  useQuery({
    queryKey: ['org-units', includeArchived],
    queryFn: () => api.get<{ items: OrgUnit[] }>('/org-units', { includeArchived }),
    enabled,
  });

export const useRoles = (enabled = true) =>
  useQuery({ queryKey: ['roles'], queryFn: () => api.get<{ items: Role[] }>('/roles'), enabled });

export interface UnitNode {
  key: string;
  value: string;
  title: string;
  unit: OrgUnit;
  children: UnitNode[];
}

/** The flat unit list (tree order) as nested nodes for Tree and TreeSelect. */
export function unitTree(units: OrgUnit[], exclude?: string): UnitNode[] {
  const nodes = new Map<string, UnitNode>();
  const roots: UnitNode[] = [];
  for (const unit of units) {
    if (exclude && unit.path.includes(`/${exclude}/`)) continue;
    const node: UnitNode = { key: unit.id, value: unit.id, title: unit.name, unit, children: [] };
    nodes.set(unit.id, node);
    const parent = unit.parentId ? nodes.get(unit.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  for (const node of nodes.values()) node.children.sort((a, b) => a.unit.sortOrder - b.unit.sortOrder);
  return roots;
}
