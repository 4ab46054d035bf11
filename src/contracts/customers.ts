import { z } from 'zod';
import {
  email,
  fen,
  id,
  isoDateTime,
  listQuery,
  mobilePhone,
  requiredText,
  shortText,
  version,
} from './common.js';
import { divisionCode } from './org.js';

// Customers and their contacts (issue 4). Money is integer fen; the UI shows yuan.

export const customerKind = z.enum(['company', 'individual']);
export const customerGrade = z.enum(['A', 'B', 'C']);
export const lifecycle = z.enum(['prospect', 'active', 'dormant', 'lost']);
export const decisionRole = z.enum(['decision_maker', 'influencer', 'user', 'gatekeeper', 'other']);
export const duplicateReason = z.enum(['credit_code', 'name', 'pinyin', 'phone']);

/** 统一社会信用代码: 18 characters; the checksum is verified by the server (GB 32100-2015). */
export const creditCode = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .pipe(z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, { message: 'creditCode' }));

/** A mainland phone: mobile, landline with area code and extension, or a 400/800 number. */
export const phoneNumber = z
  .string()
  .trim()
  .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8}|[48]00-?\d{3}-?\d{4})$/, { message: 'phone' });

const tags = z.array(requiredText(30)).max(30);
const customFields = z.record(z.string().max(50), z.unknown());

export const customerFields = z.object({
  kind: customerKind.optional(),
  name: requiredText(200),
  shortName: shortText(100).nullable().optional(),
  creditCode: creditCode.nullable().optional(),
  industry: shortText(50).nullable().optional(),
  size: shortText(30).nullable().optional(),
  provinceCode: divisionCode.nullable().optional(),
  cityCode: divisionCode.nullable().optional(),
  districtCode: divisionCode.nullable().optional(),
  address: shortText(300).nullable().optional(),
  phone: phoneNumber.nullable().optional(),
  website: shortText(200).nullable().optional(),
  tags: tags.optional(),
  grade: customerGrade.nullable().optional(),
  lifecycle: lifecycle.optional(),
  creditLimit: fen.nullable().optional(),
  creditRating: shortText(20).nullable().optional(),
  source: shortText(50).nullable().optional(),
  customFields: customFields.optional(),
});

export const customerCreate = customerFields
  .extend({
    /** Save although probable duplicates (same name, pinyin or phone) exist. A same credit code is never allowed. */
    confirmDuplicate: z.boolean().optional(),
  })
  .strict();

export const customerUpdate = customerFields.partial().extend({ version }).strict();

export const collaborator = z.object({ userId: id, name: z.string() });

export const customer = z.object({
  id,
  kind: customerKind,
  name: z.string(),
  shortName: z.string().nullable(),
  namePinyin: z.string(),
  nameInitials: z.string(),
  creditCode: z.string().nullable(),
  industry: z.string().nullable(),
  size: z.string().nullable(),
  provinceCode: z.string().nullable(),
  cityCode: z.string().nullable(),
  districtCode: z.string().nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  website: z.string().nullable(),
  tags: z.array(z.string()),
  grade: customerGrade.nullable(),
  lifecycle,
  creditLimit: z.number().int().nullable(),
  creditRating: z.string().nullable(),
  source: z.string().nullable(),
  customFields,
  ownerId: id.nullable(),
  ownerName: z.string().nullable(),
  orgUnitId: id,
  orgUnitName: z.string(),
  collaborators: z.array(collaborator),
  lastFollowUpAt: isoDateTime.nullable(),
  followUpDueAt: isoDateTime.nullable(),
  mergedIntoId: id.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type Customer = z.infer<typeof customer>;

export const customerListQuery = listQuery
  .extend({
    ownerId: id.optional(),
    /** mine: owned by me; team: owned within my org unit's subtree (still within my scope). */
    view: z.enum(['mine', 'team']).optional(),
    grade: customerGrade.optional(),
    lifecycle: lifecycle.optional(),
    tag: z.string().trim().max(30).optional(),
    provinceCode: divisionCode.optional(),
    cityCode: divisionCode.optional(),
  })
  .strict();

export const duplicateQuery = z
  .object({
    name: z.string().trim().max(200).optional(),
    phone: z.string().trim().max(30).optional(),
    creditCode: z.string().trim().max(30).optional(),
    excludeId: id.optional(),
  })
  .strict();

/** A probable duplicate. Out-of-scope ones show only id, name and owner: a rep learns it exists. */
export const duplicateCandidate = z.object({
  id,
  name: z.string(),
  ownerName: z.string().nullable(),
  reasons: z.array(duplicateReason),
  visible: z.boolean(),
});
export type DuplicateCandidate = z.infer<typeof duplicateCandidate>;

export const duplicateList = z.object({ items: z.array(duplicateCandidate) });

export const mergeBody = z.object({ survivorId: id }).strict();
export const collaboratorBody = z.object({ userId: id }).strict();
export const collaboratorParams = z.object({ id, userId: id }).strict();

// Contacts

export const contactFields = z.object({
  name: requiredText(50),
  title: shortText(50).nullable().optional(),
  mobile: mobilePhone.nullable().optional(),
  phone: phoneNumber.nullable().optional(),
  email: email.nullable().optional(),
  wechat: shortText(50).nullable().optional(),
  birthday: z.iso.date().nullable().optional(),
  decisionRole: decisionRole.nullable().optional(),
  isPrimary: z.boolean().optional(),
});

export const contactCreate = contactFields.strict();
export const contactUpdate = contactFields.partial().extend({ version }).strict();
export const contactParams = z.object({ id, contactId: id }).strict();
export const contactListQuery = z.object({ includeArchived: z.stringbool().optional() }).strict();

export const contact = z.object({
  id,
  customerId: id,
  name: z.string(),
  title: z.string().nullable(),
  mobile: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  wechat: z.string().nullable(),
  birthday: z.string().nullable(),
  decisionRole: decisionRole.nullable(),
  isPrimary: z.boolean(),
  archived: z.boolean(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type Contact = z.infer<typeof contact>;

/** The contacts directory: every live contact of the customers one can see. */
export const contactDirectoryQuery = listQuery
  .extend({
    customerId: id.optional(),
    decisionRole: decisionRole.optional(),
    primaryOnly: z.stringbool().optional(),
  })
  .strict();
export const contactListItem = contact.extend({
  customerName: z.string(),
  customerGrade: customerGrade.nullable(),
  ownerName: z.string().nullable(),
});
export type ContactListItem = z.infer<typeof contactListItem>;
