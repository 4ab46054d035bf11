import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../../db/columns.js';
import { products } from '../catalog/schema.js';
import { warehouses } from '../stock/schema.js';

export const UNIT_KINDS = ['property', 'vehicle'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const UNIT_STATUSES = ['available', 'held', 'reserved', 'sold'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

/**
 * A release stage (推盘阶段): the units pushed to market in it, and per grade the sell-through
 * (percent of the stage's units of that grade sold or subscribed) to reach by its end date.
 */
export interface UnitStage {
  code: string;
  name: string;
  /** YYYY-MM-DD, both inclusive. */
  startDate: string;
  endDate: string;
  /** grade → target sell-through percent (0–100) at the end of the stage. */
  targets: Record<string, number>;
}

/**
 * A project (项目: a property development) or a vehicle batch (车源批次) whose units are sold one
 * by one under release control (销控). Archived, never deleted.
 */
export const unitProjects = pgTable(
  'unit_projects',
  {
    id: idColumn(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind').$type<UnitKind>().notNull(),
    address: text('address'),
    stages: jsonb('stages').$type<UnitStage[]>().notNull().default([]),
    status: text('status').$type<'active' | 'archived'>().notNull().default('active'),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('unit_projects_code_idx').on(t.code),
    check('unit_projects_kind_check', sql`${t.kind} in ('property', 'vehicle')`),
    check('unit_projects_status_check', sql`${t.status} in ('active', 'archived')`),
  ],
);

/**
 * One sellable unit: an apartment (building / floor / number) or a vehicle (VIN). Its status moves
 * available ⇄ held (销控), available → reserved (认购, by an idempotency key) → sold | available.
 * The conditional updates of the service (status + version in the WHERE) make concurrent holds
 * and reservations of one unit have exactly one winner.
 */
export const units = pgTable(
  'units',
  {
    id: idColumn(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => unitProjects.id),
    kind: text('kind').$type<UnitKind>().notNull(),
    /** 楼栋 ('1号楼'); '' for vehicles. */
    building: text('building').notNull().default(''),
    floor: integer('floor'),
    /** The unit's place on its floor (户位 1…n): the grid's column. */
    position: integer('position'),
    /** 房号 (1-1203) or, for a vehicle, its stock number (the VIN when none). */
    number: text('number').notNull(),
    vin: text('vin'),
    productId: uuid('product_id').references(() => products.id),
    warehouseId: uuid('warehouse_id').references(() => warehouses.id),
    /** 户型 (三室两厅) or a vehicle's trim. */
    unitType: text('unit_type'),
    grade: text('grade').notNull(),
    /** Floor area in m² (建筑面积), two decimals; null for vehicles. */
    area: numeric('area', { precision: 10, scale: 2 }),
    spec: text('spec'),
    orientation: text('orientation'),
    /** Total list price in fen, tax-inclusive. */
    listPrice: bigint('list_price', { mode: 'number' }).notNull(),
    status: text('status').$type<UnitStatus>().notNull().default('available'),
    /** The stage code (unit_projects.stages[].code) the unit was released in. */
    stage: text('stage'),
    holdReason: text('hold_reason'),
    heldBy: uuid('held_by'),
    heldAt: timestamp('held_at', { withTimezone: true }),
    holdUntil: timestamp('hold_until', { withTimezone: true }),
    /** Idempotency key of the reservation (an order line, a subscription); kept once sold. */
    reservationKey: text('reservation_key'),
    reservationSourceType: text('reservation_source_type'),
    reservationSourceId: text('reservation_source_id'),
    reservedBy: uuid('reserved_by'),
    reservedAt: timestamp('reserved_at', { withTimezone: true }),
    soldAt: timestamp('sold_at', { withTimezone: true }),
    ...rowColumns(),
  },
  (t) => [
    uniqueIndex('units_number_idx').on(t.projectId, t.building, t.number),
    uniqueIndex('units_vin_idx').on(t.vin).where(sql`${t.vin} is not null`),
    uniqueIndex('units_reservation_key_idx').on(t.reservationKey).where(sql`${t.reservationKey} is not null`),
    index('units_project_idx').on(t.projectId, t.building, t.floor, t.position),
    index('units_status_idx').on(t.projectId, t.status),
    check('units_kind_check', sql`${t.kind} in ('property', 'vehicle')`),
    check('units_status_check', sql`${t.status} in ('available', 'held', 'reserved', 'sold')`),
    check('units_list_price_check', sql`${t.listPrice} >= 0`),
    check('units_area_check', sql`${t.area} is null or ${t.area} > 0`),
    check('units_held_check', sql`${t.status} <> 'held' or ${t.holdReason} is not null`),
    check(
      'units_reserved_check',
      sql`${t.status} not in ('reserved', 'sold') or ${t.reservationKey} is not null`,
    ),
  ],
);

/** The history of a unit's status: who moved it, when, from what to what, and why. Append-only. */
export const unitEvents = pgTable(
  'unit_events',
  {
    id: idColumn(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    projectId: uuid('project_id').notNull(),
    /** create, hold, release, reserve, cancel, sell, reverse_sale, reprice, update */
    action: text('action').notNull(),
    fromStatus: text('from_status').$type<UnitStatus>(),
    toStatus: text('to_status').$type<UnitStatus>().notNull(),
    reason: text('reason'),
    /** Extra facts: the reservation key and source, old and new price. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('unit_events_unit_idx').on(t.unitId, t.at)],
);

/**
 * Sell-through alerts already sent: one per project + stage + grade + suggestion, so the daily
 * job never repeats itself.
 */
export const unitSellThroughAlerts = pgTable(
  'unit_sell_through_alerts',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => unitProjects.id),
    stage: text('stage').notNull(),
    grade: text('grade').notNull(),
    suggestion: text('suggestion').notNull(),
    sellThroughPct: numeric('sell_through_pct', { precision: 6, scale: 2 }).notNull(),
    expectedPct: numeric('expected_pct', { precision: 6, scale: 2 }).notNull(),
    notifiedAt: timestamp('notified_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.stage, t.grade, t.suggestion] })],
);
