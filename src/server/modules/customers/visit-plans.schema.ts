import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../db/columns.js';
import { activities, customers } from './schema.js';

export const VISIT_PLAN_STATUSES = ['draft', 'submitted', 'done'] as const;
export type VisitPlanStatus = (typeof VISIT_PLAN_STATUSES)[number];

/**
 * 拜访计划 (seed 002 拜访前的计划): one per rep per day — the route, goals for visits, deals, sales
 * volume and focus products, and the day's summary (当天拜访工作总结). A draft is the rep's own;
 * once submitted the rep's managers see it; after the summary it is done.
 */
export const visitPlans = pgTable(
  'visit_plans',
  {
    id: idColumn(),
    /** The plan's day in the company's time zone. */
    day: date('day', { mode: 'string' }).notNull(),
    status: text('status').$type<VisitPlanStatus>().notNull().default('draft'),
    /** The day's route in the rep's words (拜访线路), e.g. 徐汇 → 闵行. */
    route: text('route'),
    goalVisits: integer('goal_visits').notNull().default(0),
    goalDeals: integer('goal_deals').notNull().default(0),
    /** Planned sales volume in fen. */
    goalVolume: bigint('goal_volume', { mode: 'number' }).notNull().default(0),
    /** Focus products (主推产品): free text until the product catalog exists. */
    focusProducts: text('focus_products').array().notNull().default(sql`'{}'::text[]`),
    summary: text('summary'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    ownerId: uuid('owner_id').notNull(),
    orgUnitId: uuid('org_unit_id').notNull(),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('visit_plans_owner_day_idx').on(t.ownerId, t.day),
    index('visit_plans_unit_day_idx').on(t.orgUnitId, t.day),
    check('visit_plans_status_check', sql`${t.status} in ('draft', 'submitted', 'done')`),
    check(
      'visit_plans_goals_check',
      sql`${t.goalVisits} >= 0 and ${t.goalDeals} >= 0 and ${t.goalVolume} >= 0`,
    ),
  ],
);

/** Stock check (库存检查): our items and quantities, competitor items seen, whether stock is safe. */
export interface VisitChecklist {
  stock?: {
    ours: { item: string; quantity: number }[];
    competitors: { item: string; quantity?: number | undefined; price?: number | undefined }[];
    /** 客户库存是否安全: enough stock until the next visit, not too much. */
    safe?: boolean | undefined;
  };
  /** Shelf check (理货): display position, stock on the shelf, price tags. */
  shelfCheck?: {
    positionOk: boolean;
    stockOnShelf: boolean;
    priceTagsOk: boolean;
  };
  notes?: string | undefined;
}

/**
 * The plan's stops in route order: a customer with a purpose and an optional time, then the
 * check-in (server time, the browser's location when given), the check-out with the checklist and
 * the visit activity it logged.
 */
export const visitPlanStops = pgTable(
  'visit_plan_stops',
  {
    id: idColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => visitPlans.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    purpose: text('purpose').notNull(),
    /** 'HH:mm' in the company's time zone on the plan's day. */
    plannedTime: text('planned_time'),
    checkInAt: timestamp('check_in_at', { withTimezone: true }),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    /** Metres, as the browser reports it. */
    accuracy: doublePrecision('accuracy'),
    checkOutAt: timestamp('check_out_at', { withTimezone: true }),
    checklist: jsonb('checklist').$type<VisitChecklist>(),
    orderTaken: boolean('order_taken').notNull().default(false),
    /** Reported sales volume of the order taken, in fen. */
    orderVolume: bigint('order_volume', { mode: 'number' }).notNull().default(0),
    activityId: uuid('activity_id').references(() => activities.id, { onDelete: 'set null' }),
    ...rowColumns(),
  },
  (t) => [
    index('visit_plan_stops_plan_idx').on(t.planId, t.position),
    index('visit_plan_stops_customer_idx').on(t.customerId),
    check(
      'visit_plan_stops_location_check',
      sql`(${t.latitude} is null or ${t.latitude} between -90 and 90) and (${t.longitude} is null or ${t.longitude} between -180 and 180)`,
    ),
    check('visit_plan_stops_volume_check', sql`${t.orderVolume} >= 0`),
  ],
);
