CREATE TABLE "sales_facts_daily" (
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"owner_id" uuid,
	"org_unit_id" uuid NOT NULL,
	"category_id" uuid,
	"province_code" text,
	"amount" bigint DEFAULT 0 NOT NULL,
	"quantity" numeric(20, 3) DEFAULT '0' NOT NULL,
	"records" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sales_facts_monthly" (
	"month" date NOT NULL,
	"metric" text NOT NULL,
	"owner_id" uuid,
	"org_unit_id" uuid NOT NULL,
	"category_id" uuid,
	"province_code" text,
	"amount" bigint DEFAULT 0 NOT NULL,
	"quantity" numeric(20, 3) DEFAULT '0' NOT NULL,
	"records" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sales_facts_state" (
	"key" text PRIMARY KEY NOT NULL,
	"watermark" timestamp with time zone,
	"data_as_of" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"last_mode" text,
	"last_days" integer DEFAULT 0 NOT NULL,
	"last_duration_ms" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sales_return_refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"return_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"method" text NOT NULL,
	"refund_date" date NOT NULL,
	"reference" text,
	"note" text,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "sales_return_refunds_amount_check" CHECK ("sales_return_refunds"."amount" > 0),
	CONSTRAINT "sales_return_refunds_currency_check" CHECK ("sales_return_refunds"."currency" = 'CNY'),
	CONSTRAINT "sales_return_refunds_method_check" CHECK ("sales_return_refunds"."method" in ('bank_transfer', 'cash', 'online'))
);
--> statement-breakpoint
CREATE TABLE "attainment_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"green_percent" integer DEFAULT 100 NOT NULL,
	"amber_percent" integer DEFAULT 85 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "attainment_settings_check" CHECK ("attainment_settings"."amber_percent" >= 1 and "attainment_settings"."amber_percent" <= "attainment_settings"."green_percent" and "attainment_settings"."green_percent" <= 200)
);
--> statement-breakpoint
CREATE TABLE "target_agreements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"plan_id" uuid NOT NULL,
	"node_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"owner_id" uuid NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"sent_by" uuid,
	"sent_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"comment" text,
	"approval_request_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "target_agreements_state_check" CHECK ("target_agreements"."state" in ('draft', 'sent', 'signed', 'rejected', 'superseded'))
);
--> statement-breakpoint
CREATE TABLE "target_change_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"parent_id" uuid NOT NULL,
	"changes" jsonb NOT NULL,
	"reason" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"approval_request_id" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "target_nodes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"parent_id" uuid,
	"child_split" text,
	"dimension" text NOT NULL,
	"dimension_id" uuid,
	"label" text NOT NULL,
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"period_key" text NOT NULL,
	"amount" bigint NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"owner_id" uuid,
	"org_unit_id" uuid NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "target_nodes_amount_check" CHECK ("target_nodes"."amount" >= 0),
	CONSTRAINT "target_nodes_period_check" CHECK ("target_nodes"."period_start" <= "target_nodes"."period_end"),
	CONSTRAINT "target_nodes_state_check" CHECK ("target_nodes"."state" in ('draft', 'published'))
);
--> statement-breakpoint
CREATE TABLE "target_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"fiscal_year" integer NOT NULL,
	"metric" text NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "target_plans_year_check" CHECK ("target_plans"."fiscal_year" between 2000 and 2100)
);
--> statement-breakpoint
DROP INDEX "payment_allocations_customer_idx";--> statement-breakpoint
ALTER TABLE "sales_return_refunds" ADD CONSTRAINT "sales_return_refunds_return_id_sales_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."sales_returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_return_refunds" ADD CONSTRAINT "sales_return_refunds_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_agreements" ADD CONSTRAINT "target_agreements_plan_id_target_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."target_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_agreements" ADD CONSTRAINT "target_agreements_node_id_target_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."target_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_agreements" ADD CONSTRAINT "target_agreements_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_agreements" ADD CONSTRAINT "target_agreements_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_agreements" ADD CONSTRAINT "target_agreements_sent_by_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_change_requests" ADD CONSTRAINT "target_change_requests_plan_id_target_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."target_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_change_requests" ADD CONSTRAINT "target_change_requests_parent_id_target_nodes_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."target_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_nodes" ADD CONSTRAINT "target_nodes_plan_id_target_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."target_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_nodes" ADD CONSTRAINT "target_nodes_parent_id_target_nodes_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."target_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_nodes" ADD CONSTRAINT "target_nodes_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_nodes" ADD CONSTRAINT "target_nodes_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sales_facts_daily_metric_day_idx" ON "sales_facts_daily" USING btree ("metric","day");--> statement-breakpoint
CREATE INDEX "sales_facts_daily_day_idx" ON "sales_facts_daily" USING btree ("day");--> statement-breakpoint
CREATE INDEX "sales_facts_monthly_metric_month_idx" ON "sales_facts_monthly" USING btree ("metric","month");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_return_refunds_number_idx" ON "sales_return_refunds" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_return_refunds_idempotency_idx" ON "sales_return_refunds" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "sales_return_refunds_return_idx" ON "sales_return_refunds" USING btree ("return_id");--> statement-breakpoint
CREATE INDEX "sales_return_refunds_customer_idx" ON "sales_return_refunds" USING btree ("customer_id","refund_date");--> statement-breakpoint
CREATE UNIQUE INDEX "target_agreements_number_idx" ON "target_agreements" USING btree ("number");--> statement-breakpoint
CREATE INDEX "target_agreements_node_idx" ON "target_agreements" USING btree ("node_id","state");--> statement-breakpoint
CREATE INDEX "target_agreements_owner_idx" ON "target_agreements" USING btree ("owner_id","state");--> statement-breakpoint
CREATE INDEX "target_agreements_plan_idx" ON "target_agreements" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "target_change_requests_parent_idx" ON "target_change_requests" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "target_nodes_plan_idx" ON "target_nodes" USING btree ("plan_id","parent_id");--> statement-breakpoint
CREATE INDEX "target_nodes_parent_idx" ON "target_nodes" USING btree ("parent_id","sort_order");--> statement-breakpoint
CREATE INDEX "target_nodes_owner_idx" ON "target_nodes" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "target_nodes_org_unit_idx" ON "target_nodes" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "target_plans_year_idx" ON "target_plans" USING btree ("fiscal_year");--> statement-breakpoint
CREATE INDEX "invoices_open_idx" ON "invoices" USING btree ("customer_id","due_date","total","credited_amount","paid_amount") WHERE "invoices"."state" in ('issued', 'partially_paid', 'paid') and "invoices"."total" - "invoices"."credited_amount" - "invoices"."paid_amount" <> 0;--> statement-breakpoint
CREATE INDEX "payments_customer_amount_idx" ON "payments" USING btree ("customer_id","amount");--> statement-breakpoint
CREATE INDEX "payment_allocations_customer_idx" ON "payment_allocations" USING btree ("customer_id","amount");