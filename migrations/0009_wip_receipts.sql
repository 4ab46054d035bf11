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
ALTER TABLE "purchase_receipt_lines" ADD CONSTRAINT "purchase_receipt_lines_receipt_id_purchase_receipts_id_fk" FOREIGN KEY ("receipt_id") REFERENCES "public"."purchase_receipts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_receipt_lines" ADD CONSTRAINT "purchase_receipt_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_receipts" ADD CONSTRAINT "purchase_receipts_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_count_lines" ADD CONSTRAINT "cycle_count_lines_count_id_cycle_counts_id_fk" FOREIGN KEY ("count_id") REFERENCES "public"."cycle_counts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_count_lines" ADD CONSTRAINT "cycle_count_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_count_lines" ADD CONSTRAINT "cycle_count_lines_lot_id_stock_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."stock_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_counts" ADD CONSTRAINT "cycle_counts_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_counts" ADD CONSTRAINT "cycle_counts_category_id_product_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."product_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_receipt_lines_no_idx" ON "purchase_receipt_lines" USING btree ("receipt_id","line_no");--> statement-breakpoint
CREATE INDEX "purchase_receipt_lines_product_idx" ON "purchase_receipt_lines" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_receipts_number_idx" ON "purchase_receipts" USING btree ("number");--> statement-breakpoint
CREATE INDEX "purchase_receipts_created_idx" ON "purchase_receipts" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "purchase_receipts_date_idx" ON "purchase_receipts" USING btree ("receipt_date","id");--> statement-breakpoint
CREATE INDEX "purchase_receipts_warehouse_idx" ON "purchase_receipts" USING btree ("warehouse_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "cycle_count_lines_no_idx" ON "cycle_count_lines" USING btree ("count_id","line_no");--> statement-breakpoint
CREATE INDEX "cycle_count_lines_product_idx" ON "cycle_count_lines" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cycle_counts_number_idx" ON "cycle_counts" USING btree ("number");--> statement-breakpoint
CREATE INDEX "cycle_counts_created_idx" ON "cycle_counts" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "cycle_counts_warehouse_idx" ON "cycle_counts" USING btree ("warehouse_id","status");