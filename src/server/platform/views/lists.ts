// The lists that keep saved views, each with the permission that reads it: a shared view is
// visible to whoever holds that permission. A module adds its list with one defineViewList call.

const lists = new Map<string, string>();

export function defineViewList(listKey: string, readPermission: string): void {
  lists.set(listKey, readPermission);
}

export function viewListPermission(listKey: string): string | undefined {
  return lists.get(listKey);
}

export function viewListKeys(): string[] {
  return [...lists.keys()].sort();
}

defineViewList('opportunities', 'opportunities.read');
defineViewList('contracts', 'contracts.read');
defineViewList('customers', 'customers.read');
