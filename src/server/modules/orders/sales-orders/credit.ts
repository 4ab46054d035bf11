import type { Db } from '../../../db/client.js';

// The credit exposure of a customer (信用占用): what the customer owes or will owe, summed over
// registered providers. Sales orders register the open-orders part (order totals not yet
// invoiced); receivables register the open-invoices part. The confirm of an order adds its own
// total and compares with customers.credit_limit.

/** Fen the customer is exposed for, as this provider sees it (never counting draft orders). */
export type CreditExposureProvider = (db: Db, customerId: string) => Promise<number>;

const providers = new Map<string, CreditExposureProvider>();

/** Registers (or replaces) one part of the exposure, once at module load: e.g. 'open_invoices'. */
export function defineCreditExposure(key: string, provider: CreditExposureProvider): void {
  providers.set(key, provider);
}

/** Each registered part and their sum. */
export async function creditExposure(
  db: Db,
  customerId: string,
): Promise<{ total: number; parts: Record<string, number> }> {
  const parts: Record<string, number> = {};
  for (const [key, provider] of providers) parts[key] = await provider(db, customerId);
  return { total: Object.values(parts).reduce((s, v) => s + v, 0), parts };
}
