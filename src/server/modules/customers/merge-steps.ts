import { and, eq, inArray, not, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';

/**
 * How records of another table follow a customer merge: `move` re-points the merged customer's
 * records to the survivor and returns their ids (kept in the merge's audit entry); `moveBack`
 * returns exactly those ids, where they still point at the survivor, on unmerge. Modules with a
 * customer reference register one step each (complaints, visit plans, opportunities, orders…).
 */
export interface CustomerMergeStep {
  move(tx: Db, fromId: string, toId: string): Promise<string[]>;
  moveBack(tx: Db, ids: string[], survivorId: string, restoredId: string): Promise<void>;
}

const steps = new Map<string, CustomerMergeStep>();

export function defineCustomerMergeStep(key: string, step: CustomerMergeStep): void {
  steps.set(key, step);
}

export const customerMergeSteps = () => [...steps];

/**
 * The usual step: a customer column re-pointed (by property name), `touch` set to now() if given.
 * `stays(survivorId)` picks records that must stay with the merged customer because the survivor
 * has its own (one account plan per customer, one review per month).
 */
export function customerColumnStep<T extends PgTable & { id: AnyPgColumn }>(
  table: T,
  key: keyof T & string,
  touch?: keyof T & string,
  stays?: (survivorId: string) => SQL,
): CustomerMergeStep {
  const column = table[key] as AnyPgColumn;
  const values = (to: string) => ({ [key]: to, ...(touch ? { [touch]: sql`now()` } : {}) });
  return {
    async move(tx, fromId, toId) {
      const rows = (await tx
        .update(table)
        .set(values(toId) as never)
        .where(and(eq(column, fromId), stays ? not(stays(toId)) : undefined))
        .returning({ id: table.id })) as { id: string }[];
      return rows.map((r) => r.id);
    },
    async moveBack(tx, ids, survivorId, restoredId) {
      if (!ids.length) return;
      await tx
        .update(table)
        .set(values(restoredId) as never)
        .where(and(inArray(table.id, ids), eq(column, survivorId)));
    },
  };
}
