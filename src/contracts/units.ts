import { z } from 'zod';
import { fen, id, isoDateTime, listQuery, requiredText, shortText, version } from './common.js';

// Serial units sold one by one (an apartment by building/floor/number, a vehicle by VIN) and
// release control (销控): projects with their stages, the unit grid, holds, reservations,
// sell-through by grade.

export const unitKind = z.enum(['property', 'vehicle']);
export type UnitKindValue = z.infer<typeof unitKind>;
export const unitStatus = z.enum(['available', 'held', 'reserved', 'sold']);
export type UnitStatusValue = z.infer<typeof unitStatus>;
export const unitAction = z.enum(['hold', 'release', 'reserve', 'cancel', 'sell', 'reverse_sale']);
export type UnitActionValue = z.infer<typeof unitAction>;
export const sellThroughSuggestion = z.enum(['on_track', 'suggest_raise_or_hold', 'alert_review']);
export type SellThroughSuggestionValue = z.infer<typeof sellThroughSuggestion>;

const businessDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'format' });
/** A grade code: A, B, C, A+ … */
export const unitGrade = z
  .string()
  .trim()
  .min(1)
  .max(10)
  .regex(/^[A-Za-z0-9+-]+$/, { message: 'format' })
  .transform((g) => g.toUpperCase());
const code = z
  .string()
  .trim()
  .min(1)
  .max(30)
  .regex(/^[A-Za-z0-9_-]+$/, { message: 'format' });
/** 17 characters, digits and capitals without I, O, Q (GB 16735); lower case is accepted and raised. */
export const vin = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .pipe(z.string().regex(/^[A-HJ-NPR-Z0-9]{17}$/, { message: 'vin' }));
/** Area in m², up to two decimals, as a decimal string ("89.50"). */
export const area = z
  .string()
  .trim()
  .regex(/^\d{1,6}(\.\d{1,2})?$/, { message: 'format' })
  .refine((v) => Number(v) > 0, { message: 'format' });
const percent = z.number().min(0).max(100);
const signedPercent = z.number().min(-50).max(100);

export const unitStage = z
  .object({
    code,
    name: requiredText(50),
    startDate: businessDate,
    endDate: businessDate,
    /** grade → target sell-through percent at the end of the stage. */
    targets: z.record(z.string().min(1).max(10), percent),
  })
  .strict()
  .refine((s) => s.startDate <= s.endDate, { message: 'unitStageDates', path: ['endDate'] });
export type UnitStageValue = z.infer<typeof unitStage>;

const unitStages = z
  .array(unitStage)
  .max(20)
  .refine((stages) => new Set(stages.map((s) => s.code)).size === stages.length, {
    message: 'unitDuplicate',
  });

export const unitProject = z.object({
  id,
  code: z.string(),
  name: z.string(),
  kind: unitKind,
  address: z.string().nullable(),
  stages: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      startDate: z.string(),
      endDate: z.string(),
      targets: z.record(z.string(), z.number()),
    }),
  ),
  status: z.enum(['active', 'archived']),
  /** Units by status. */
  counts: z.object({
    total: z.number().int(),
    available: z.number().int(),
    held: z.number().int(),
    reserved: z.number().int(),
    sold: z.number().int(),
  }),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type UnitProject = z.infer<typeof unitProject>;

export const unitProjectCreate = z
  .object({
    code,
    name: requiredText(100),
    kind: unitKind,
    address: shortText(200).optional(),
    stages: unitStages.default([]),
  })
  .strict();

export const unitProjectUpdate = z
  .object({
    name: requiredText(100).optional(),
    address: shortText(200).nullable().optional(),
    stages: unitStages.optional(),
    status: z.enum(['active', 'archived']).optional(),
    version,
  })
  .strict();

export const unitProjectListQuery = listQuery
  .extend({
    kind: unitKind.optional(),
    includeArchived: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .strict();

export const unit = z.object({
  id,
  projectId: id,
  projectCode: z.string(),
  projectName: z.string(),
  kind: unitKind,
  building: z.string(),
  floor: z.number().int().nullable(),
  position: z.number().int().nullable(),
  number: z.string(),
  vin: z.string().nullable(),
  /** False when the VIN's 9th character is not its check digit (reported, not enforced). */
  vinCheckDigitOk: z.boolean().nullable(),
  productId: id.nullable(),
  productName: z.string().nullable(),
  warehouseId: id.nullable(),
  warehouseName: z.string().nullable(),
  unitType: z.string().nullable(),
  grade: z.string(),
  area: z.string().nullable(),
  spec: z.string().nullable(),
  orientation: z.string().nullable(),
  listPrice: fen,
  /** 单价: list price ÷ area, fen per m² (property only). */
  unitPrice: fen.nullable(),
  status: unitStatus,
  stage: z.string().nullable(),
  holdReason: z.string().nullable(),
  heldBy: id.nullable(),
  heldByName: z.string().nullable(),
  heldAt: isoDateTime.nullable(),
  holdUntil: isoDateTime.nullable(),
  reservationKey: z.string().nullable(),
  reservationSourceType: z.string().nullable(),
  reservationSourceId: z.string().nullable(),
  reservedAt: isoDateTime.nullable(),
  soldAt: isoDateTime.nullable(),
  actions: z.array(unitAction),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type Unit = z.infer<typeof unit>;

export const unitCreate = z
  .object({
    projectId: id,
    building: shortText(30).optional(),
    floor: z.number().int().min(-10).max(200).optional(),
    position: z.number().int().min(1).max(99).optional(),
    /** 房号; for a vehicle the stock number (default: the VIN). */
    number: requiredText(30).optional(),
    vin: vin.optional(),
    productId: id.optional(),
    warehouseId: id.optional(),
    unitType: shortText(50).optional(),
    grade: unitGrade,
    area: area.optional(),
    spec: shortText(200).optional(),
    orientation: shortText(20).optional(),
    listPrice: fen,
    stage: code.optional(),
  })
  .strict();

export const unitUpdate = z
  .object({
    unitType: shortText(50).nullable().optional(),
    grade: unitGrade.optional(),
    area: area.nullable().optional(),
    spec: shortText(200).nullable().optional(),
    orientation: shortText(20).nullable().optional(),
    productId: id.nullable().optional(),
    warehouseId: id.nullable().optional(),
    stage: code.nullable().optional(),
    version,
  })
  .strict();

export const unitListQuery = listQuery
  .extend({
    projectId: id.optional(),
    building: z.string().max(30).optional(),
    floor: z.coerce.number().int().optional(),
    status: unitStatus.optional(),
    grade: z.string().max(10).optional(),
    stage: z.string().max(30).optional(),
    unitType: z.string().max(50).optional(),
  })
  .strict();

/** The units of a release-control request, each with the version the user saw. */
const unitRefs = z
  .array(z.object({ id, version }).strict())
  .min(1)
  .max(500)
  .refine((refs) => new Set(refs.map((r) => r.id)).size === refs.length, { message: 'unitDuplicate' });

export const unitHold = z
  .object({
    units: unitRefs,
    reason: requiredText(200),
    /** Informational: when the hold is meant to end (nothing releases it automatically). */
    holdUntil: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export const unitRelease = z.object({ units: unitRefs, reason: requiredText(200) }).strict();

export const unitBulkResult = z.object({
  count: z.number().int(),
  units: z.array(z.object({ id, number: z.string(), status: unitStatus, version })),
});

/** Reserve (认购) a unit: idempotent by key — the same key again returns the same reservation. */
export const unitReserve = z
  .object({
    key: requiredText(100),
    sourceType: shortText(50).optional(),
    sourceId: shortText(100).optional(),
  })
  .strict();

export const unitCancelReservation = z.object({ reason: shortText(200).optional() }).strict();

/** Mark a reserved unit sold; the key (default: the unit's current reservation) must match. */
export const unitSell = z.object({ key: requiredText(100).optional() }).strict();

export const unitReverseSale = z.object({ reason: requiredText(200), version }).strict();

/**
 * A price change: the chosen units to a new total price or by a percentage, or every unsold unit
 * of a grade by a percentage.
 */
export const unitReprice = z
  .object({
    projectId: id,
    unitIds: z.array(id).min(1).max(500).optional(),
    grade: z.string().max(10).optional(),
    listPrice: fen.optional(),
    percent: signedPercent.optional(),
    /** Apply seed 000's 8/9 rule to the new price per m² (property units): its tail goes up to …80/…90. */
    eightNine: z.boolean().optional(),
    reason: requiredText(200),
  })
  .strict()
  .refine((r) => !!r.unitIds !== !!r.grade, { message: 'unitsOrGrade', path: ['unitIds'] })
  .refine((r) => (r.listPrice === undefined) !== (r.percent === undefined), {
    message: 'unitPriceOrPercent',
    path: ['listPrice'],
  })
  .refine((r) => r.listPrice === undefined || !!r.unitIds, {
    message: 'unitPriceOrPercent',
    path: ['listPrice'],
  });

export const unitEvent = z.object({
  id,
  action: z.string(),
  fromStatus: unitStatus.nullable(),
  toStatus: unitStatus,
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  actorId: id.nullable(),
  actorName: z.string(),
  at: isoDateTime,
});
export type UnitEvent = z.infer<typeof unitEvent>;

export const unitGridCell = z.object({
  id,
  number: z.string(),
  floor: z.number().int().nullable(),
  position: z.number().int().nullable(),
  unitType: z.string().nullable(),
  area: z.string().nullable(),
  grade: z.string(),
  listPrice: fen,
  unitPrice: fen.nullable(),
  status: unitStatus,
  stage: z.string().nullable(),
  holdReason: z.string().nullable(),
  version,
});
export type UnitGridCell = z.infer<typeof unitGridCell>;

/** The sales office's 销控表: per building, floors top first, each a row of cells by position. */
export const unitGrid = z.object({
  projectId: id,
  buildings: z.array(
    z.object({
      building: z.string(),
      positions: z.array(z.number().int()),
      floors: z.array(
        z.object({ floor: z.number().int().nullable(), cells: z.array(unitGridCell.nullable()) }),
      ),
      counts: z.record(unitStatus, z.number().int()),
    }),
  ),
});
export type UnitGrid = z.infer<typeof unitGrid>;

export const sellThroughQuery = z
  .object({ stage: z.string().max(30).optional(), date: businessDate.optional() })
  .strict();

export const sellThrough = z.object({
  projectId: id,
  stage: z
    .object({ code: z.string(), name: z.string(), startDate: z.string(), endDate: z.string() })
    .nullable(),
  date: z.string(),
  /** Share of the stage elapsed on the date, "0.4500". */
  elapsed: z.string(),
  grades: z.array(
    z.object({
      grade: z.string(),
      total: z.number().int(),
      available: z.number().int(),
      held: z.number().int(),
      reserved: z.number().int(),
      sold: z.number().int(),
      /** (sold + reserved) ÷ total, percent with two decimals. */
      sellThroughPct: z.string(),
      targetPct: z.number().nullable(),
      /** The target pro-rated to the date. */
      expectedPct: z.string(),
      deviation: z.string().nullable(),
      suggestion: sellThroughSuggestion,
    }),
  ),
});
export type SellThrough = z.infer<typeof sellThrough>;
