CREATE TABLE "product_categories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"parent_id" uuid,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"name_pinyin" text DEFAULT '' NOT NULL,
	"name_initials" text DEFAULT '' NOT NULL,
	"specification" text,
	"uom" text NOT NULL,
	"barcode" text,
	"brand" text,
	"category_id" uuid,
	"images" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"tax_rate" numeric(5, 4) DEFAULT '0.13' NOT NULL,
	"list_price" bigint NOT NULL,
	"cost_price" bigint,
	"grade" text,
	"tracking_mode" text DEFAULT 'none' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "products_list_price_check" CHECK ("products"."list_price" >= 0),
	CONSTRAINT "products_cost_price_check" CHECK ("products"."cost_price" >= 0),
	CONSTRAINT "products_tax_rate_check" CHECK ("products"."tax_rate" >= 0 and "products"."tax_rate" < 1),
	CONSTRAINT "products_grade_check" CHECK ("products"."grade" in ('A', 'B', 'C')),
	CONSTRAINT "products_tracking_check" CHECK ("products"."tracking_mode" in ('none', 'batch', 'serial')),
	CONSTRAINT "products_status_check" CHECK ("products"."status" in ('active', 'archived'))
);
--> statement-breakpoint
CREATE TABLE "price_list_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"price_list_id" uuid NOT NULL,
	"product_id" uuid,
	"category_id" uuid,
	"min_quantity" numeric(15, 3) DEFAULT '0' NOT NULL,
	"price" bigint,
	"percent" numeric(7, 3),
	"floor_price" bigint,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "price_list_rules_target_check" CHECK (("price_list_rules"."product_id" is null) <> ("price_list_rules"."category_id" is null)),
	CONSTRAINT "price_list_rules_basis_check" CHECK (("price_list_rules"."price" is null) <> ("price_list_rules"."percent" is null)),
	CONSTRAINT "price_list_rules_price_check" CHECK ("price_list_rules"."price" >= 0),
	CONSTRAINT "price_list_rules_percent_check" CHECK ("price_list_rules"."percent" > 0 and "price_list_rules"."percent" <= 500),
	CONSTRAINT "price_list_rules_floor_check" CHECK ("price_list_rules"."floor_price" >= 0),
	CONSTRAINT "price_list_rules_min_quantity_check" CHECK ("price_list_rules"."min_quantity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "price_lists" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"effective_from" date,
	"effective_to" date,
	"channel" text,
	"region_id" uuid,
	"customer_grade" text,
	"partner_tier" text,
	"customer_id" uuid,
	"rounding" text DEFAULT 'none' NOT NULL,
	"rounding_max_percent" numeric(6, 3) DEFAULT '1' NOT NULL,
	"rounding_max_raise" bigint DEFAULT 10000 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "price_lists_currency_check" CHECK ("price_lists"."currency" = 'CNY'),
	CONSTRAINT "price_lists_dates_check" CHECK ("price_lists"."effective_to" is null or "price_lists"."effective_from" is null or "price_lists"."effective_from" <= "price_lists"."effective_to"),
	CONSTRAINT "price_lists_channel_check" CHECK ("price_lists"."channel" in ('direct', 'store', 'online', 'partner')),
	CONSTRAINT "price_lists_grade_check" CHECK ("price_lists"."customer_grade" in ('A', 'B', 'C')),
	CONSTRAINT "price_lists_rounding_check" CHECK ("price_lists"."rounding" in ('none', 'yuan', 'eight_nine')),
	CONSTRAINT "price_lists_status_check" CHECK ("price_lists"."status" in ('active', 'archived')),
	CONSTRAINT "price_lists_bound_check" CHECK ("price_lists"."rounding_max_percent" >= 0 and "price_lists"."rounding_max_raise" >= 0)
);
--> statement-breakpoint
CREATE TABLE "cycle_count_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"count_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"lot_id" uuid,
	"batch_no" text,
	"serial_no" text,
	"expected" numeric(16, 3) NOT NULL,
	"counted" numeric(16, 3),
	"on_hand_at_posting" numeric(16, 3),
	"difference" numeric(16, 3),
	"added" boolean DEFAULT false NOT NULL,
	"counted_at" timestamp with time zone,
	"counted_by" uuid,
	CONSTRAINT "cycle_count_lines_counted_check" CHECK ("cycle_count_lines"."counted" >= 0)
);
--> statement-breakpoint
CREATE TABLE "cycle_counts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"category_id" uuid,
	"blind" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"note" text,
	"snapshot_at" timestamp with time zone DEFAULT now() NOT NULL,
	"posted_at" timestamp with time zone,
	"posted_by" uuid,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "cycle_counts_status_check" CHECK ("cycle_counts"."status" in ('draft', 'counting', 'posted', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "purchase_receipt_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"receipt_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"unit_cost" bigint,
	"batch_no" text,
	"serial_nos" text[] DEFAULT '{}'::text[] NOT NULL,
	"produced_on" date,
	"expires_on" date,
	CONSTRAINT "purchase_receipt_lines_quantity_check" CHECK ("purchase_receipt_lines"."quantity" > 0),
	CONSTRAINT "purchase_receipt_lines_cost_check" CHECK ("purchase_receipt_lines"."unit_cost" >= 0)
);
--> statement-breakpoint
CREATE TABLE "purchase_receipts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"supplier_name" text NOT NULL,
	"supplier_note_no" text,
	"warehouse_id" uuid NOT NULL,
	"receipt_date" date NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"note" text,
	"posted_at" timestamp with time zone,
	"posted_by" uuid,
	"reversed_at" timestamp with time zone,
	"reversed_by" uuid,
	"reverse_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "purchase_receipts_status_check" CHECK ("purchase_receipts"."status" in ('draft', 'posted', 'reversed'))
);
--> statement-breakpoint
CREATE TABLE "stock_levels" (
	"warehouse_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"on_hand" numeric(16, 3) DEFAULT '0' NOT NULL,
	"reserved" numeric(16, 3) DEFAULT '0' NOT NULL,
	"reorder_point" numeric(16, 3),
	"reorder_quantity" numeric(16, 3),
	"low_stock_notified_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_levels_warehouse_id_product_id_pk" PRIMARY KEY("warehouse_id","product_id"),
	CONSTRAINT "stock_levels_on_hand_check" CHECK ("stock_levels"."on_hand" >= 0),
	CONSTRAINT "stock_levels_reserved_check" CHECK ("stock_levels"."reserved" >= 0 and "stock_levels"."reserved" <= "stock_levels"."on_hand"),
	CONSTRAINT "stock_levels_reorder_check" CHECK ("stock_levels"."reorder_point" >= 0 and "stock_levels"."reorder_quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "stock_lot_levels" (
	"warehouse_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"on_hand" numeric(16, 3) DEFAULT '0' NOT NULL,
	CONSTRAINT "stock_lot_levels_warehouse_id_lot_id_pk" PRIMARY KEY("warehouse_id","lot_id"),
	CONSTRAINT "stock_lot_levels_on_hand_check" CHECK ("stock_lot_levels"."on_hand" >= 0)
);
--> statement-breakpoint
CREATE TABLE "stock_lots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"product_id" uuid NOT NULL,
	"batch_no" text,
	"serial_no" text,
	"produced_on" date,
	"expires_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_lots_one_key_check" CHECK (("stock_lots"."batch_no" is null) <> ("stock_lots"."serial_no" is null))
);
--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"lot_id" uuid,
	"quantity" numeric(16, 3) NOT NULL,
	"unit_cost" bigint,
	"source_type" text NOT NULL,
	"source_id" uuid,
	"transfer_id" uuid,
	"reason" text,
	"reverses_id" uuid,
	"posting_key" text,
	"movement_date" date NOT NULL,
	"posted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"posted_by" uuid,
	CONSTRAINT "stock_movements_quantity_check" CHECK ("stock_movements"."quantity" <> 0),
	CONSTRAINT "stock_movements_kind_check" CHECK ("stock_movements"."kind" in ('receipt', 'issue', 'transfer_out', 'transfer_in', 'adjustment', 'return_in')),
	CONSTRAINT "stock_movements_sign_check" CHECK ("stock_movements"."reverses_id" is not null or "stock_movements"."kind" = 'adjustment'
        or ("stock_movements"."kind" in ('receipt', 'transfer_in', 'return_in') and "stock_movements"."quantity" > 0)
        or ("stock_movements"."kind" in ('issue', 'transfer_out') and "stock_movements"."quantity" < 0))
);
--> statement-breakpoint
CREATE TABLE "stock_reservations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"consumed" numeric(16, 3) DEFAULT '0' NOT NULL,
	"released" numeric(16, 3) DEFAULT '0' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"source_type" text NOT NULL,
	"source_id" uuid,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "stock_reservations_quantity_check" CHECK ("stock_reservations"."quantity" > 0),
	CONSTRAINT "stock_reservations_remaining_check" CHECK ("stock_reservations"."consumed" >= 0 and "stock_reservations"."released" >= 0 and "stock_reservations"."consumed" + "stock_reservations"."released" <= "stock_reservations"."quantity"),
	CONSTRAINT "stock_reservations_status_check" CHECK ("stock_reservations"."status" in ('active', 'released', 'consumed'))
);
--> statement-breakpoint
CREATE TABLE "warehouses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'warehouse' NOT NULL,
	"org_unit_id" uuid,
	"province_code" text,
	"city_code" text,
	"address" text,
	"manager_id" uuid,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "warehouses_kind_check" CHECK ("warehouses"."kind" in ('warehouse', 'store')),
	CONSTRAINT "warehouses_status_check" CHECK ("warehouses"."status" in ('active', 'archived'))
);
--> statement-breakpoint
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
ALTER TABLE "product_categories" ADD CONSTRAINT "product_categories_parent_id_product_categories_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."product_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_category_id_product_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."product_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_rules" ADD CONSTRAINT "price_list_rules_price_list_id_price_lists_id_fk" FOREIGN KEY ("price_list_id") REFERENCES "public"."price_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_rules" ADD CONSTRAINT "price_list_rules_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_rules" ADD CONSTRAINT "price_list_rules_category_id_product_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."product_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_lists" ADD CONSTRAINT "price_lists_region_id_org_units_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_lists" ADD CONSTRAINT "price_lists_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_count_lines" ADD CONSTRAINT "cycle_count_lines_count_id_cycle_counts_id_fk" FOREIGN KEY ("count_id") REFERENCES "public"."cycle_counts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_count_lines" ADD CONSTRAINT "cycle_count_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_count_lines" ADD CONSTRAINT "cycle_count_lines_lot_id_stock_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."stock_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_counts" ADD CONSTRAINT "cycle_counts_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_counts" ADD CONSTRAINT "cycle_counts_category_id_product_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."product_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_receipt_lines" ADD CONSTRAINT "purchase_receipt_lines_receipt_id_purchase_receipts_id_fk" FOREIGN KEY ("receipt_id") REFERENCES "public"."purchase_receipts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_receipt_lines" ADD CONSTRAINT "purchase_receipt_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_receipts" ADD CONSTRAINT "purchase_receipts_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_lot_levels" ADD CONSTRAINT "stock_lot_levels_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_lot_levels" ADD CONSTRAINT "stock_lot_levels_lot_id_stock_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."stock_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_lot_levels" ADD CONSTRAINT "stock_lot_levels_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_lots" ADD CONSTRAINT "stock_lots_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_lot_id_stock_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."stock_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_reverses_id_stock_movements_id_fk" FOREIGN KEY ("reverses_id") REFERENCES "public"."stock_movements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservations" ADD CONSTRAINT "stock_reservations_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservations" ADD CONSTRAINT "stock_reservations_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_events" ADD CONSTRAINT "unit_events_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_sell_through_alerts" ADD CONSTRAINT "unit_sell_through_alerts_project_id_unit_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."unit_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_project_id_unit_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."unit_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "product_categories_code_idx" ON "product_categories" USING btree ("code");--> statement-breakpoint
CREATE INDEX "product_categories_parent_idx" ON "product_categories" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_sku_idx" ON "products" USING btree ("sku");--> statement-breakpoint
CREATE UNIQUE INDEX "products_barcode_idx" ON "products" USING btree ("barcode") WHERE "products"."barcode" is not null;--> statement-breakpoint
CREATE INDEX "products_category_idx" ON "products" USING btree ("category_id","sku");--> statement-breakpoint
CREATE INDEX "products_created_idx" ON "products" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "products_pinyin_idx" ON "products" USING btree ("name_pinyin");--> statement-breakpoint
CREATE INDEX "products_initials_idx" ON "products" USING btree ("name_initials");--> statement-breakpoint
CREATE UNIQUE INDEX "price_list_rules_product_idx" ON "price_list_rules" USING btree ("price_list_id","product_id","min_quantity") WHERE "price_list_rules"."archived_at" is null and "price_list_rules"."product_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "price_list_rules_category_idx" ON "price_list_rules" USING btree ("price_list_id","category_id","min_quantity") WHERE "price_list_rules"."archived_at" is null and "price_list_rules"."category_id" is not null;--> statement-breakpoint
CREATE INDEX "price_list_rules_list_idx" ON "price_list_rules" USING btree ("price_list_id","created_at","id");--> statement-breakpoint
CREATE INDEX "price_list_rules_product_lookup_idx" ON "price_list_rules" USING btree ("product_id") WHERE "price_list_rules"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "price_list_rules_category_lookup_idx" ON "price_list_rules" USING btree ("category_id") WHERE "price_list_rules"."archived_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "price_lists_code_idx" ON "price_lists" USING btree ("code");--> statement-breakpoint
CREATE INDEX "price_lists_priority_idx" ON "price_lists" USING btree ("priority","id");--> statement-breakpoint
CREATE INDEX "price_lists_created_idx" ON "price_lists" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "cycle_count_lines_no_idx" ON "cycle_count_lines" USING btree ("count_id","line_no");--> statement-breakpoint
CREATE INDEX "cycle_count_lines_product_idx" ON "cycle_count_lines" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cycle_counts_number_idx" ON "cycle_counts" USING btree ("number");--> statement-breakpoint
CREATE INDEX "cycle_counts_created_idx" ON "cycle_counts" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "cycle_counts_warehouse_idx" ON "cycle_counts" USING btree ("warehouse_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_receipt_lines_no_idx" ON "purchase_receipt_lines" USING btree ("receipt_id","line_no");--> statement-breakpoint
CREATE INDEX "purchase_receipt_lines_product_idx" ON "purchase_receipt_lines" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_receipts_number_idx" ON "purchase_receipts" USING btree ("number");--> statement-breakpoint
CREATE INDEX "purchase_receipts_created_idx" ON "purchase_receipts" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "purchase_receipts_date_idx" ON "purchase_receipts" USING btree ("receipt_date","id");--> statement-breakpoint
CREATE INDEX "purchase_receipts_warehouse_idx" ON "purchase_receipts" USING btree ("warehouse_id","status");--> statement-breakpoint
CREATE INDEX "stock_levels_product_idx" ON "stock_levels" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "stock_lot_levels_product_idx" ON "stock_lot_levels" USING btree ("product_id","warehouse_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stock_lots_batch_idx" ON "stock_lots" USING btree ("product_id","batch_no") WHERE "stock_lots"."batch_no" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "stock_lots_serial_idx" ON "stock_lots" USING btree ("product_id","serial_no") WHERE "stock_lots"."serial_no" is not null;--> statement-breakpoint
CREATE INDEX "stock_lots_serial_lookup_idx" ON "stock_lots" USING btree ("serial_no") WHERE "stock_lots"."serial_no" is not null;--> statement-breakpoint
CREATE INDEX "stock_movements_product_idx" ON "stock_movements" USING btree ("product_id","posted_at","id");--> statement-breakpoint
CREATE INDEX "stock_movements_warehouse_idx" ON "stock_movements" USING btree ("warehouse_id","posted_at","id");--> statement-breakpoint
CREATE INDEX "stock_movements_posted_idx" ON "stock_movements" USING btree ("posted_at","id");--> statement-breakpoint
CREATE INDEX "stock_movements_source_idx" ON "stock_movements" USING btree ("source_type","source_id");--> statement-breakpoint
CREATE INDEX "stock_movements_lot_idx" ON "stock_movements" USING btree ("lot_id") WHERE "stock_movements"."lot_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "stock_movements_reverses_idx" ON "stock_movements" USING btree ("reverses_id") WHERE "stock_movements"."reverses_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "stock_movements_posting_key_idx" ON "stock_movements" USING btree ("posting_key") WHERE "stock_movements"."posting_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "stock_reservations_key_idx" ON "stock_reservations" USING btree ("key");--> statement-breakpoint
CREATE INDEX "stock_reservations_level_idx" ON "stock_reservations" USING btree ("warehouse_id","product_id") WHERE "stock_reservations"."status" = 'active';--> statement-breakpoint
CREATE INDEX "stock_reservations_source_idx" ON "stock_reservations" USING btree ("source_type","source_id");--> statement-breakpoint
CREATE INDEX "stock_reservations_created_idx" ON "stock_reservations" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "warehouses_code_idx" ON "warehouses" USING btree ("code");--> statement-breakpoint
CREATE INDEX "unit_events_unit_idx" ON "unit_events" USING btree ("unit_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "unit_projects_code_idx" ON "unit_projects" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "units_number_idx" ON "units" USING btree ("project_id","building","number");--> statement-breakpoint
CREATE UNIQUE INDEX "units_vin_idx" ON "units" USING btree ("vin") WHERE "units"."vin" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "units_reservation_key_idx" ON "units" USING btree ("reservation_key") WHERE "units"."reservation_key" is not null;--> statement-breakpoint
CREATE INDEX "units_project_idx" ON "units" USING btree ("project_id","building","floor","position");--> statement-breakpoint
CREATE INDEX "units_status_idx" ON "units" USING btree ("project_id","status");