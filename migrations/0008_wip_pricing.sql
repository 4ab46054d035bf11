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
ALTER TABLE "price_list_rules" ADD CONSTRAINT "price_list_rules_price_list_id_price_lists_id_fk" FOREIGN KEY ("price_list_id") REFERENCES "public"."price_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_rules" ADD CONSTRAINT "price_list_rules_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_rules" ADD CONSTRAINT "price_list_rules_category_id_product_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."product_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_lists" ADD CONSTRAINT "price_lists_region_id_org_units_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_lists" ADD CONSTRAINT "price_lists_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "price_list_rules_product_idx" ON "price_list_rules" USING btree ("price_list_id","product_id","min_quantity") WHERE "price_list_rules"."archived_at" is null and "price_list_rules"."product_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "price_list_rules_category_idx" ON "price_list_rules" USING btree ("price_list_id","category_id","min_quantity") WHERE "price_list_rules"."archived_at" is null and "price_list_rules"."category_id" is not null;--> statement-breakpoint
CREATE INDEX "price_list_rules_list_idx" ON "price_list_rules" USING btree ("price_list_id","created_at","id");--> statement-breakpoint
CREATE INDEX "price_list_rules_product_lookup_idx" ON "price_list_rules" USING btree ("product_id") WHERE "price_list_rules"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "price_list_rules_category_lookup_idx" ON "price_list_rules" USING btree ("category_id") WHERE "price_list_rules"."archived_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "price_lists_code_idx" ON "price_lists" USING btree ("code");--> statement-breakpoint
CREATE INDEX "price_lists_priority_idx" ON "price_lists" USING btree ("priority","id");--> statement-breakpoint
CREATE INDEX "price_lists_created_idx" ON "price_lists" USING btree ("created_at","id");