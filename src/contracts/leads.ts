import { z } from 'zod';
import {
  email,
  id,
  isoDateTime,
  listQuery,
  mobilePhone,
  problem,
  requiredText,
  shortText,
  version,
} from './common.js';
import { duplicateCandidate } from './customers.js';
import { divisionCode } from './org.js';

// Leads (issue 4 items 1–3, 5): capture from the form, the reception logs, the public web form and
// imports; scoring; assignment; conversion to a customer.

export const leadStatus = z.enum(['new', 'working', 'converted', 'disqualified']);
export const intentLevel = z.enum(['high', 'medium', 'low']);
export const captureChannel = z.enum(['form', 'phone', 'walk_in', 'web', 'import']);
/** Walk-in log: the visitor's age band (来访客户登记表). */
export const ageBand = z.enum(['under25', '25to34', '35to44', '45to54', '55plus']);

const customFields = z.record(z.string().max(50), z.unknown());

/** A lead's own fields; the server also requires a mobile or an email and checks source and divisions. */
export const leadFields = z.object({
  personName: shortText(50).nullable().optional(),
  companyName: shortText(200).nullable().optional(),
  title: shortText(50).nullable().optional(),
  mobile: mobilePhone.nullable().optional(),
  email: email.nullable().optional(),
  wechat: shortText(50).nullable().optional(),
  provinceCode: divisionCode.nullable().optional(),
  cityCode: divisionCode.nullable().optional(),
  source: shortText(50).nullable().optional(),
  awarenessChannel: shortText(50).nullable().optional(),
  campaignId: id.nullable().optional(),
  needs: shortText(2000).nullable().optional(),
  intentLevel: intentLevel.nullable().optional(),
  customFields: customFields.optional(),
});

export const leadCreate = leadFields.strict();
export const leadUpdate = leadFields.partial().extend({ version }).strict();

/** 来电登记表: an inbound call, logged by whoever answered it. */
export const callLogCreate = z
  .object({
    calledAt: z.iso.datetime({ offset: true }),
    callerName: requiredText(50),
    mobile: mobilePhone.nullable().optional(),
    email: email.nullable().optional(),
    companyName: shortText(200).nullable().optional(),
    provinceCode: divisionCode.nullable().optional(),
    cityCode: divisionCode.nullable().optional(),
    /** What the caller asked about (becomes the lead's needs). */
    asked: requiredText(2000),
    /** Who answered; defaults to the person logging the call. */
    answeredById: id.nullable().optional(),
    nextStep: shortText(500).nullable().optional(),
    source: shortText(50).nullable().optional(),
    intentLevel: intentLevel.nullable().optional(),
  })
  .strict();

/** 来访客户登记表: a walk-in visitor, logged at reception. */
export const walkInCreate = z
  .object({
    visitedAt: z.iso.datetime({ offset: true }),
    personName: requiredText(50),
    mobile: mobilePhone.nullable().optional(),
    email: email.nullable().optional(),
    partySize: z.number().int().min(1).max(100),
    /** How they heard of us (a lead source). */
    source: shortText(50).nullable().optional(),
    /** Home area: province/city codes plus free text (小区, 街道). */
    provinceCode: divisionCode.nullable().optional(),
    cityCode: divisionCode.nullable().optional(),
    homeArea: shortText(200).nullable().optional(),
    occupation: shortText(50).nullable().optional(),
    ageBand: ageBand.nullable().optional(),
    interest: requiredText(2000),
    intentLevel: intentLevel.nullable().optional(),
    receivingRepId: id.nullable().optional(),
  })
  .strict();

export const scoreReason = z.object({ rule: z.string(), points: z.number() });

export const lead = z.object({
  id,
  personName: z.string().nullable(),
  companyName: z.string().nullable(),
  title: z.string().nullable(),
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  wechat: z.string().nullable(),
  provinceCode: z.string().nullable(),
  cityCode: z.string().nullable(),
  source: z.string().nullable(),
  awarenessChannel: z.string().nullable(),
  campaignId: id.nullable(),
  needs: z.string().nullable(),
  intentLevel: intentLevel.nullable(),
  captureChannel,
  captureDetails: z.record(z.string(), z.unknown()),
  customFields,
  score: z.number().int(),
  scoreReasons: z.array(scoreReason),
  status: leadStatus,
  disqualifyReason: z.string().nullable(),
  ownerId: id.nullable(),
  ownerName: z.string().nullable(),
  orgUnitId: id,
  orgUnitName: z.string(),
  lastFollowUpAt: isoDateTime.nullable(),
  convertedCustomerId: id.nullable(),
  convertedContactId: id.nullable(),
  convertedAt: isoDateTime.nullable(),
  /** The open lead of the same mobile or email captured earlier (a returning inquiry). */
  duplicateOfId: id.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type Lead = z.infer<typeof lead>;

export const leadListQuery = listQuery
  .extend({
    status: leadStatus.optional(),
    source: z.string().trim().max(50).optional(),
    ownerId: id.optional(),
    /** Only leads in the public pool (no owner). */
    unowned: z.stringbool().optional(),
    captureChannel: captureChannel.optional(),
    minScore: z.coerce.number().int().min(0).max(100).optional(),
    maxScore: z.coerce.number().int().min(0).max(100).optional(),
  })
  .strict();

export const leadAssign = z.object({ ownerId: id, version }).strict();
export const leadDisqualify = z.object({ reason: requiredText(500), version }).strict();

/**
 * Convert: with probable duplicate customers the server answers 409 with them, unless the caller
 * names an existing customer (`customerId`) or confirms a new one (`confirmNew`).
 */
export const leadConvert = z
  .object({
    customerId: id.optional(),
    confirmNew: z.boolean().optional(),
    /** The new customer's name; defaults to the company name, else the person's name. */
    customerName: shortText(200).optional(),
    customerKind: z.enum(['company', 'individual']).optional(),
    /** Also open an opportunity (sales module) in the default pipeline's first stage. */
    createOpportunity: z.boolean().optional(),
    /** Its name; defaults to the customer's name and the lead's needs. */
    opportunityName: shortText(200).optional(),
    version,
  })
  .strict();
export const leadConvertResult = z.object({ lead, customerId: id, contactId: id });
/** 409: the problem, with the candidates when it is `lead_duplicates`. */
export const leadConvertConflict = problem.extend({ candidates: z.array(duplicateCandidate).optional() });

// Administration: lists, scoring rules, assignment, web-to-lead forms

/** The lead fields whose being filled in scores points (completeness). */
export const COMPLETENESS_FIELDS = [
  'personName',
  'companyName',
  'title',
  'mobile',
  'email',
  'wechat',
  'provinceCode',
  'cityCode',
  'needs',
] as const;

export const leadScoringRules = z
  .object({
    sourcePoints: z.record(z.string().max(50), z.number().int().min(-100).max(100)),
    fieldPoints: z.record(z.enum(COMPLETENESS_FIELDS), z.number().int().min(-100).max(100)),
    needKeywords: z
      .array(z.object({ keyword: requiredText(50), points: z.number().int().min(-100).max(100) }).strict())
      .max(100),
    intentPoints: z
      .object({
        high: z.number().int().min(-100).max(100),
        medium: z.number().int().min(-100).max(100),
        low: z.number().int().min(-100).max(100),
      })
      .strict(),
    activityPoints: z.number().int().min(0).max(100),
    activityMax: z.number().int().min(0).max(100),
  })
  .strict();

export const leadRules = z.object({
  scoring: leadScoringRules,
  capPerRep: z.number().int(),
  fallbackOrgUnitId: id.nullable(),
  sources: z.array(z.string()),
  version,
});
export type LeadRules = z.infer<typeof leadRules>;

export const leadRulesUpdate = z
  .object({
    scoring: leadScoringRules.optional(),
    capPerRep: z.number().int().min(1).max(100000).optional(),
    fallbackOrgUnitId: id.nullable().optional(),
    version,
  })
  .strict();

export const leadForm = z.object({
  id,
  name: z.string(),
  token: z.string(),
  source: z.string(),
  orgUnitId: id.nullable(),
  active: z.boolean(),
  createdAt: isoDateTime,
  version,
});
export type LeadForm = z.infer<typeof leadForm>;

export const leadFormCreate = z
  .object({ name: requiredText(100), source: requiredText(50), orgUnitId: id.nullable().optional() })
  .strict();
export const leadFormUpdate = z
  .object({
    name: requiredText(100).optional(),
    source: requiredText(50).optional(),
    orgUnitId: id.nullable().optional(),
    active: z.boolean().optional(),
    /** Issue a new token; the old one stops working at once. */
    regenerateToken: z.boolean().optional(),
    version,
  })
  .strict();

/** What a website posts. `website` is the honeypot: hidden from people, filled in by bots. */
export const webLeadBody = z
  .object({
    name: shortText(50).optional(),
    company: shortText(200).optional(),
    mobile: mobilePhone.optional(),
    email: email.optional(),
    wechat: shortText(50).optional(),
    provinceCode: divisionCode.optional(),
    cityCode: divisionCode.optional(),
    message: shortText(2000).optional(),
    website: z.string().max(500).optional(),
  })
  .strict();
export const webLeadParams = z.object({ token: z.string().min(1).max(100) }).strict();
export const webLeadAccepted = z.object({ ok: z.literal(true) });
