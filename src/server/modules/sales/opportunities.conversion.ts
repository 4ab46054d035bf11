import { eq } from 'drizzle-orm';
import { onLeadConverted } from '../customers/conversion.js';
import { customers } from '../customers/schema.js';
import { createOpportunity } from './opportunities.service.js';

// A lead converted with "create opportunity" opens one in the default pipeline's first stage,
// owned like the new customer (the lead's owner), with the lead's contact and its needs.
onLeadConverted('opportunity', async (tx, ctx, conversion) => {
  if (!conversion.options.createOpportunity) return;
  const [customer] = await tx
    .select({ name: customers.name, ownerId: customers.ownerId, orgUnitId: customers.orgUnitId })
    .from(customers)
    .where(eq(customers.id, conversion.customerId));
  const needs = conversion.lead.needs?.trim();
  const name =
    conversion.options.opportunityName?.trim() ||
    `${customer!.name}${needs ? ` - ${needs.slice(0, 60)}` : ''}`.slice(0, 200);
  await createOpportunity(
    tx,
    ctx,
    {
      name,
      customerId: conversion.customerId,
      contactIds: [conversion.contactId],
      sourceLeadId: conversion.lead.id,
    },
    customer!.ownerId ? { owner: { ownerId: customer!.ownerId, orgUnitId: customer!.orgUnitId } } : {},
  );
});
