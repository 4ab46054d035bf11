CREATE TABLE "unit_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit_projects" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"address" text,
	"stages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "unit_projects_kind_check" CHECK ("unit_projects"."kind" in ('property', 'vehicle')),
	CONSTRAINT "unit_projects_status_check" CHECK ("unit_projects"."status" in ('active', 'archived'))
);
--> statement-breakpoint
CREATE TABLE "unit_sell_through_alerts" (
	"project_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"grade" text NOT NULL,
	"suggestion" text NOT NULL,
	"sell_through_pct" numeric(6, 2) NOT NULL,
	"expected_pct" numeric(6, 2) NOT NULL,
	"notified_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unit_sell_through_alerts_project_id_stage_grade_suggestion_pk" PRIMARY KEY("project_id","stage","grade","suggestion")
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"building" text DEFAULT '' NOT NULL,
	"floor" integer,
	"position" integer,
	"number" text NOT NULL,
	"vin" text,
	"product_id" uuid,
	"warehouse_id" uuid,
	"unit_type" text,
	"grade" text NOT NULL,
	"area" numeric(10, 2),
	"spec" text,
	"orientation" text,
	"list_price" bigint NOT NULL,
	"status" text DEFAULT 'available' NOT NULL,
	"stage" text,
	"hold_reason" text,
	"held_by" uuid,
	"held_at" timestamp with time zone,
	"hold_until" timestamp with time zone,
	"reservation_key" text,
	"reservation_source_type" text,
	"reservation_source_id" text,
	"reserved_by" uuid,
	"reserved_at" timestamp with time zone,
	"sold_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "units_kind_check" CHECK ("units"."kind" in ('property', 'vehicle')),
	CONSTRAINT "units_status_check" CHECK ("units"."status" in ('available', 'held', 'reserved', 'sold')),
	CONSTRAINT "units_list_price_check" CHECK ("units"."list_price" >= 0),
	CONSTRAINT "units_area_check" CHECK ("units"."area" is null or "units"."area" > 0),
	CONSTRAINT "units_held_check" CHECK ("units"."status" <> 'held' or "units"."hold_reason" is not null),
	CONSTRAINT "units_reserved_check" CHECK ("units"."status" not in ('reserved', 'sold') or "units"."reservation_key" is not null)
);
--> statement-breakpoint
ALTER TABLE "unit_events" ADD CONSTRAINT "unit_events_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_sell_through_alerts" ADD CONSTRAINT "unit_sell_through_alerts_project_id_unit_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."unit_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_project_id_unit_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."unit_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "unit_events_unit_idx" ON "unit_events" USING btree ("unit_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "unit_projects_code_idx" ON "unit_projects" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "units_number_idx" ON "units" USING btree ("project_id","building","number");--> statement-breakpoint
CREATE UNIQUE INDEX "units_vin_idx" ON "units" USING btree ("vin") WHERE "units"."vin" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "units_reservation_key_idx" ON "units" USING btree ("reservation_key") WHERE "units"."reservation_key" is not null;--> statement-breakpoint
CREATE INDEX "units_project_idx" ON "units" USING btree ("project_id","building","floor","position");--> statement-breakpoint
CREATE INDEX "units_status_idx" ON "units" USING btree ("project_id","status");