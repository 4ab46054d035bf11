import { z } from 'zod';

// Shared building blocks of the API contract. Messages on refinements are keys of the server's
// validationMessages; the server localises them.

export const id = z.uuid();
export const idParams = z.object({ id }).strict();
export const version = z.number().int().min(1);

export const shortText = (max = 100) => z.string().trim().max(max);
export const requiredText = (max = 100) => z.string().trim().min(1).max(max);

/** Mainland China mobile number: 11 digits starting 13–19. */
export const mobilePhone = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, { message: 'mobile' });
export const email = z.email().max(200);
export const isoDateTime = z.string();

/** Money in fen (分): a non-negative whole number. The UI shows yuan. */
export const fen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * Quantities travel as decimal strings with at most three decimals ("12", "0.5", "1.250"), so
 * no float ever touches stock; the server computes with decimal.js and numeric columns.
 */
export const signedQuantity = z
  .string()
  .trim()
  .regex(/^-?\d{1,12}(\.\d{1,3})?$/, { message: 'quantity' })
  .refine((v) => Number(v) !== 0, { message: 'quantity' });
/** A quantity greater than zero. */
export const quantity = signedQuantity.refine((v) => !v.startsWith('-'), { message: 'quantity' });

export const username = z
  .string()
  .trim()
  .min(2)
  .max(50)
  .regex(/^[A-Za-z0-9._@-]+$/, { message: 'format' });

export const password = z.string().min(1).max(200);

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.string().max(50).optional(),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number().int() });

export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export const ok = z.object({ ok: z.literal(true) });

export const auditEntry = z.object({
  id,
  at: isoDateTime,
  actorId: id.nullable(),
  actorName: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  requestId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntry>;
