import { z } from 'zod';
import { activity } from './activities.js';
import { id, isoDateTime, listQuery, requiredText, shortText, version } from './common.js';

// Visit plans (拜访计划, seed 002 业务拜访的基本流程): the day's route and goals, stops with
// check-in / check-out and the visit checklist (库存检查, 理货), the day's summary; the calendar
// and "my day".

export const visitPlanStatus = z.enum(['draft', 'submitted', 'done']);
export type VisitPlanStatusValue = z.infer<typeof visitPlanStatus>;

/** A business date, YYYY-MM-DD. */
export const businessDate = z.iso.date();
/** A time of day, HH:mm (24 h). */
const timeOfDay = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'format' });
const fen = z.number().int().min(0).max(1e13);
const count = z.number().int().min(0).max(1000);

export const visitChecklist = z
  .object({
    /** 库存检查: our items and quantities, competitor items seen, whether the stock is safe. */
    stock: z
      .object({
        ours: z
          .array(
            z.object({ item: requiredText(100), quantity: z.number().int().min(0).max(10_000_000) }).strict(),
          )
          .max(50)
          .default([]),
        competitors: z
          .array(
            z
              .object({
                item: requiredText(100),
                quantity: z.number().int().min(0).max(10_000_000).optional(),
                /** Shelf price seen, fen. */
                price: fen.optional(),
              })
              .strict(),
          )
          .max(50)
          .default([]),
        safe: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** 理货 (shelf check): display position good, stock on the shelf, price tags present and correct. */
    shelfCheck: z
      .object({ positionOk: z.boolean(), stockOnShelf: z.boolean(), priceTagsOk: z.boolean() })
      .strict()
      .optional(),
    notes: shortText(2000).optional(),
  })
  .strict();
export type VisitChecklistValue = z.infer<typeof visitChecklist>;

export const visitPlanStop = z.object({
  id,
  position: z.number().int(),
  customerId: id,
  customerName: z.string(),
  purpose: z.string(),
  plannedTime: z.string().nullable(),
  checkInAt: isoDateTime.nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  accuracy: z.number().nullable(),
  checkOutAt: isoDateTime.nullable(),
  checklist: visitChecklist.nullable(),
  orderTaken: z.boolean(),
  /** fen */
  orderVolume: z.number().int(),
  activityId: id.nullable(),
  version,
});
export type VisitPlanStop = z.infer<typeof visitPlanStop>;

/** Plan vs actual: goals beside what the day's stops and visits produced. */
export const visitPlanActuals = z.object({
  plannedStops: z.number().int(),
  /** Stops checked out. */
  stopsVisited: z.number().int(),
  /** Visit activities the owner logged that day, planned or not. */
  visits: z.number().int(),
  /** Stops marked "order taken". */
  deals: z.number().int(),
  /** Reported volume of the orders taken, fen. */
  volume: z.number().int(),
});

export const visitPlan = z.object({
  id,
  day: businessDate,
  status: visitPlanStatus,
  route: z.string().nullable(),
  goalVisits: z.number().int(),
  goalDeals: z.number().int(),
  /** fen */
  goalVolume: z.number().int(),
  focusProducts: z.array(z.string()),
  summary: z.string().nullable(),
  submittedAt: isoDateTime.nullable(),
  doneAt: isoDateTime.nullable(),
  ownerId: id,
  ownerName: z.string(),
  orgUnitId: id,
  orgUnitName: z.string(),
  stops: z.array(visitPlanStop),
  actuals: visitPlanActuals,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version,
});
export type VisitPlan = z.infer<typeof visitPlan>;

/** A row of the plans list: the plan without its stops. */
export const visitPlanSummary = visitPlan.omit({ stops: true });
export type VisitPlanSummary = z.infer<typeof visitPlanSummary>;

const stopInput = z
  .object({
    /** An existing stop (kept with its check-in); absent = a new stop. */
    id: id.optional(),
    customerId: id,
    purpose: requiredText(200),
    plannedTime: timeOfDay.nullable().optional(),
  })
  .strict();

const goals = {
  route: shortText(500).nullable().optional(),
  goalVisits: count.optional(),
  goalDeals: count.optional(),
  goalVolume: fen.optional(),
  focusProducts: z.array(requiredText(100)).max(20).optional(),
};

export const visitPlanCreate = z
  .object({ day: businessDate, ...goals, stops: z.array(stopInput).max(50).default([]) })
  .strict();

/** Changes goals and the route; `stops` replaces the list in the given order. */
export const visitPlanUpdate = z
  .object({ ...goals, stops: z.array(stopInput).max(50).optional(), version })
  .strict();

export const visitPlanListQuery = listQuery
  .extend({
    /** mine (default) or team: every visible plan in the actor's scope. */
    who: z.enum(['mine', 'team']).optional(),
    ownerId: id.optional(),
    status: visitPlanStatus.optional(),
    from: businessDate.optional(),
    to: businessDate.optional(),
  })
  .strict();

export const visitPlanComplete = z.object({ summary: requiredText(5000), version }).strict();
export const visitPlanVersion = z.object({ version }).strict();

export const stopParams = z.object({ id, stopId: id }).strict();

/** The browser's position when it gives one (navigator.geolocation); all optional together. */
export const stopCheckIn = z
  .object({
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    /** Metres. */
    accuracy: z.number().min(0).max(100_000).optional(),
  })
  .strict()
  .refine((v) => (v.latitude === undefined) === (v.longitude === undefined), {
    message: 'required',
    path: ['longitude'],
  });

export const stopCheckOut = z
  .object({
    checklist: visitChecklist.optional(),
    outcome: shortText(500).optional(),
    orderTaken: z.boolean().optional(),
    /** Reported volume of the order taken, fen. */
    orderVolume: fen.optional(),
    nextStep: shortText(500).optional(),
    nextStepAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** Calendar (week, month): activities, their next steps and plan stops in a date range. */
export const calendarQuery = z
  .object({
    from: businessDate,
    to: businessDate,
    who: z.enum(['mine', 'team']).optional(),
    ownerId: id.optional(),
  })
  .strict();

export const calendarItemKind = z.enum(['activity', 'next_step', 'stop']);

export const calendarItem = z.object({
  kind: calendarItemKind,
  /** The activity's id, or the stop's. */
  id,
  /** Day and time in the company's time zone; time null = all day. */
  date: businessDate,
  time: z.string().nullable(),
  title: z.string(),
  activityType: activity.shape.type.nullable(),
  done: z.boolean(),
  customerId: id.nullable(),
  customerName: z.string().nullable(),
  leadId: id.nullable(),
  planId: id.nullable(),
  ownerId: id,
  ownerName: z.string(),
});
export type CalendarItem = z.infer<typeof calendarItem>;

export const calendar = z.object({
  from: businessDate,
  to: businessDate,
  timeZone: z.string(),
  items: z.array(calendarItem),
});
export type Calendar = z.infer<typeof calendar>;

/** "My day": the rep's landing — today's plan and open tasks (due follow-ups come from /follow-ups/due). */
export const myDay = z.object({
  date: businessDate,
  timeZone: z.string(),
  plan: visitPlan.nullable(),
  openTasks: z.array(activity),
});
export type MyDay = z.infer<typeof myDay>;
