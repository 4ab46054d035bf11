import { and, eq, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { leadConvert } from '../../../contracts/leads.js';
import type { Db } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, versionConflict } from '../../platform/errors.js';
import { refreshCustomerDue } from './activities.service.js';
import { createContact } from './contacts.service.js';
import { createCustomer, findLiveCustomer } from './customers.service.js';
import { type DuplicateCandidate, findDuplicateCustomers } from './dedupe.js';
import { getLead, lockVisibleLead } from './leads.service.js';
import { activities, customers, leads } from './schema.js';

type LeadRow = typeof leads.$inferSelect;

export interface LeadConversion {
  lead: LeadRow;
  customerId: string;
  contactId: string;
  /** Whether the customer was created by this conversion (false: an existing one was chosen). */
  newCustomer: boolean;
  /** What the converting user asked for besides the customer (e.g. an opportunity). */
  options: { createOpportunity?: boolean | undefined; opportunityName?: string | undefined };
}

/** Runs inside the conversion's transaction; a throw rolls the whole conversion back. */
export type LeadConversionHandler = (tx: Db, ctx: Ctx, conversion: LeadConversion) => Promise<void>;

const conversionHandlers = new Map<string, LeadConversionHandler>();

/**
 * The extension point of conversion: later modules add what a converted lead also becomes —
 * the sales module registers `onLeadConverted('opportunity', …)` to open an opportunity from
 * the lead's needs. Handlers run in registration order, in the conversion's transaction.
 */
export function onLeadConverted(name: string, handler: LeadConversionHandler): void {
  conversionHandlers.set(name, handler);
}

/** A 409 listing probable duplicate customers: pick one (`customerId`) or confirm a new one (`confirmNew`). */
export class LeadDuplicatesError extends AppError {
  constructor(readonly candidates: DuplicateCandidate[]) {
    super('lead_duplicates', { count: candidates.length });
  }
}

/**
 * Lead → customer + contact, one transaction: the duplicate check first; the new customer goes
 * to the lead's owner (or, for a pool lead, to whoever converts it); the lead keeps the ids.
 */
export async function convertLead(db: Db, ctx: Ctx, id: string, input: z.infer<typeof leadConvert>) {
  const result = await withTx(db, async (tx) => {
    const lead = await lockVisibleLead(tx, ctx, id);
    if (lead.status === 'converted') throw new AppError('lead_converted');
    if (lead.status === 'disqualified') throw new AppError('lead_closed', { state: lead.status });
    if (lead.version !== input.version) throw versionConflict();

    const name = input.customerName ?? lead.companyName ?? lead.personName ?? lead.mobile ?? lead.email ?? '';
    const kind = input.customerKind ?? (lead.companyName ? 'company' : 'individual');
    let customerId: string;
    let newCustomer = false;
    if (input.customerId) {
      customerId = (await findLiveCustomer(tx, ctx, input.customerId)).id;
    } else {
      if (!input.confirmNew) {
        const candidates = await findDuplicateCustomers(tx, ctx, { name, phone: lead.mobile });
        if (candidates.length) throw new LeadDuplicatesError(candidates);
      }
      const customer = await createCustomer(
        tx,
        ctx,
        {
          name,
          kind,
          provinceCode: lead.provinceCode,
          // Customers keep prefecture-level cities; a municipality's district stays on the lead.
          cityCode: lead.cityCode?.length === 4 ? lead.cityCode : null,
          phone: kind === 'individual' ? lead.mobile : null,
          source: lead.source,
          confirmDuplicate: true,
        },
        {
          owner: {
            ownerId: lead.ownerId ?? ctx.actor?.userId ?? null,
            orgUnitId: lead.ownerId ? lead.orgUnitId : undefined,
          },
        },
      );
      customerId = customer.id;
      newCustomer = true;
    }
    const contact = await createContact(tx, ctx, customerId, {
      name: lead.personName ?? name,
      title: lead.title,
      mobile: lead.mobile,
      email: lead.email,
      wechat: lead.wechat,
      isPrimary: newCustomer,
    });

    // The lead's follow-ups belong to the customer now: its timeline and cadence start from them.
    const moved = await tx
      .update(activities)
      .set({ customerId, contactId: contact.id })
      .where(and(eq(activities.leadId, id), isNull(activities.customerId)))
      .returning({ occurredAt: activities.occurredAt, done: activities.done });
    const lastFollowUp = moved
      .filter((a) => a.done && a.occurredAt.getTime() <= Date.now())
      .reduce<Date | null>((max, a) => (!max || a.occurredAt > max ? a.occurredAt : max), null);
    if (lastFollowUp) {
      await tx
        .update(customers)
        .set({
          lastFollowUpAt: sql`greatest(${customers.lastFollowUpAt}, ${lastFollowUp.toISOString()}::timestamptz)`,
        })
        .where(eq(customers.id, customerId));
      await refreshCustomerDue(tx, customerId);
    }

    const [after] = await tx
      .update(leads)
      .set({
        status: 'converted',
        convertedCustomerId: customerId,
        convertedContactId: contact.id,
        convertedAt: sql`now()`,
        updatedAt: sql`now()`,
        version: sql`${leads.version} + 1`,
      })
      .where(eq(leads.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'convert',
      entity: 'lead',
      entityId: id,
      before: lead,
      after: after!,
    });
    const conversion: LeadConversion = {
      lead: after!,
      customerId,
      contactId: contact.id,
      newCustomer,
      options: { createOpportunity: input.createOpportunity, opportunityName: input.opportunityName },
    };
    for (const handler of conversionHandlers.values()) await handler(tx, ctx, conversion);
    return conversion;
  });
  return { lead: await getLead(db, ctx, id), customerId: result.customerId, contactId: result.contactId };
}
