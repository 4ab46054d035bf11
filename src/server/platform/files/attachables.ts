import type { Db } from '../../db/client.js';
import type { Ctx } from '../context.js';

/**
 * How a record type lends its permissions to its attachments. Whoever can see the record can
 * see and download its files; whoever can edit it can add and remove them.
 */
export interface Attachable {
  /** Permission needed to see the record type at all, e.g. 'users.read' (403 without it). */
  readPermission: string;
  /** Permission needed to change the record type, e.g. 'users.manage' (403 without it). */
  writePermission: string;
  /**
   * The record exists and lies within the actor's data scope. Use the module's own scoped
   * lookup; false answers 404, so ids of records out of scope cannot be probed.
   */
  canRead(db: Db, ctx: Ctx, id: string): Promise<boolean>;
  /** The record accepts changes now (e.g. not archived, not posted); false answers 403. */
  canWrite?(db: Db, ctx: Ctx, id: string): Promise<boolean>;
}

const attachables = new Map<string, Attachable>();

/**
 * A module makes its records attachable once, in its index.ts, under the entity name it uses in
 * the audit log ('user', 'org_unit', 'customer', …).
 */
export function defineAttachable(entity: string, def: Attachable): void {
  attachables.set(entity, def);
}

export function attachableOf(entity: string): Attachable | undefined {
  return attachables.get(entity);
}

export function attachableEntities(): string[] {
  return [...attachables.keys()].sort();
}
