import { z } from 'zod';
import { id, isoDateTime, listQuery, requiredText, shortText, version } from './common.js';

// Complaints (投诉), their settings, and the customer health they count against.

export const complaintStatus = z.enum(['open', 'in_progress', 'resolved', 'closed']);
export type ComplaintStatusValue = z.infer<typeof complaintStatus>;
export const complaintSeverity = z.enum(['low', 'medium', 'high', 'critical']);
export type ComplaintSeverityValue = z.infer<typeof complaintSeverity>;
export const complaintChannel = z.enum(['phone', 'visit', 'email', 'wechat', 'web']);
export type ComplaintChannelValue = z.infer<typeof complaintChannel>;
export const complaintAction = z.enum(['start', 'resolve', 'reopen', 'close']);
export type ComplaintActionValue = z.infer<typeof complaintAction>;

const categoryCode = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9_]+$/, { message: 'format' });

export const complaint = z.object({
  id,
  number: z.string(),
  customerId: id,
  customerName: z.string(),
  contactId: id.nullable(),
  contactName: z.string().nullable(),
  subject: z.string(),
  description: z.string().nullable(),
  category: z.string(),
  severity: complaintSeverity,
  channel: complaintChannel,
  ownerId: id,
  ownerName: z.string(),
  orgUnitId: id,
  orgUnitName: z.string(),
  status: complaintStatus,
  slaDueAt: isoDateTime,
  /** Unresolved and past the SLA. */
  overdue: z.boolean(),
  startedAt: isoDateTime.nullable(),
  resolvedAt: isoDateTime.nullable(),
  resolution: z.string().nullable(),
  satisfaction: z.number().int().nullable(),
  closedAt: isoDateTime.nullable(),
  overdueNotifiedAt: isoDateTime.nullable(),
  /** What the state allows next (the buttons of the detail page). */
  actions: z.array(complaintAction),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type Complaint = z.infer<typeof complaint>;

export const complaintCreate = z
  .object({
    customerId: id,
    contactId: id.optional(),
    subject: requiredText(200),
    description: shortText(5000).optional(),
    category: categoryCode,
    severity: complaintSeverity,
    channel: complaintChannel,
    /** The handler; default the customer's owner. Someone else needs `complaints.assign`. */
    ownerId: id.optional(),
  })
  .strict();

export const complaintUpdate = z
  .object({
    contactId: id.nullable().optional(),
    subject: requiredText(200).optional(),
    description: shortText(5000).nullable().optional(),
    category: categoryCode.optional(),
    severity: complaintSeverity.optional(),
    channel: complaintChannel.optional(),
    version,
  })
  .strict();

export const complaintAssign = z.object({ ownerId: id, version }).strict();
export const complaintStart = z.object({ version }).strict();
export const complaintResolve = z.object({ resolution: requiredText(5000), version }).strict();
export const complaintReopen = z.object({ reason: shortText(500).optional(), version }).strict();
export const complaintClose = z.object({ satisfaction: z.number().int().min(1).max(5), version }).strict();

export const complaintListQuery = listQuery
  .extend({
    status: complaintStatus.optional(),
    severity: complaintSeverity.optional(),
    category: z.string().max(50).optional(),
    customerId: id.optional(),
    /** mine: I handle it; team (default): every complaint I can see. */
    who: z.enum(['mine', 'team']).optional(),
    /** Only unresolved complaints past their SLA. */
    overdue: z.stringbool().optional(),
  })
  .strict();

export const slaHours = z.object({
  critical: z.number().int(),
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
});

export const complaintSettings = z.object({
  categories: z.array(z.string()),
  slaHours,
  version,
});
export type ComplaintSettingsDto = z.infer<typeof complaintSettings>;

const hours = z.number().int().min(1).max(8760);

export const complaintSettingsUpdate = z
  .object({
    categories: z.array(categoryCode).min(1).max(100).optional(),
    slaHours: z.object({ critical: hours, high: hours, medium: hours, low: hours }).strict().optional(),
    version,
  })
  .strict();

export const healthLevel = z.enum(['good', 'watch', 'at_risk']);
export type HealthLevelValue = z.infer<typeof healthLevel>;

export const customerHealth = z.object({
  customerId: id,
  /** 0–100. */
  score: z.number().int(),
  level: healthLevel,
  /** rule: open_complaint:<severity>, overdue_complaint, low_satisfaction, follow_up_overdue. */
  reasons: z.array(z.object({ rule: z.string(), count: z.number().int(), points: z.number().int() })),
});
export type CustomerHealth = z.infer<typeof customerHealth>;
