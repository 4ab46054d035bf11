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
ALTER TABLE "product_categories" ADD CONSTRAINT "product_categories_parent_id_product_categories_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."product_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_category_id_product_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."product_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
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
CREATE UNIQUE INDEX "product_categories_code_idx" ON "product_categories" USING btree ("code");--> statement-breakpoint
CREATE INDEX "product_categories_parent_idx" ON "product_categories" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_sku_idx" ON "products" USING btree ("sku");--> statement-breakpoint
CREATE UNIQUE INDEX "products_barcode_idx" ON "products" USING btree ("barcode") WHERE "products"."barcode" is not null;--> statement-breakpoint
CREATE INDEX "products_category_idx" ON "products" USING btree ("category_id","sku");--> statement-breakpoint
CREATE INDEX "products_created_idx" ON "products" USING btree ("created_at","id");--> statement-breakpoint
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
CREATE UNIQUE INDEX "warehouses_code_idx" ON "warehouses" USING btree ("code");