CREATE TABLE "account_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"relationship_goals" text,
	"annual_target" bigint,
	"product_focus" text,
	"decision_maker_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"strategy" text,
	"credit_risk" text,
	"capability_risk" text,
	"price_risk" text,
	"support_needed" text,
	"review_date" date,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "account_plans_target_check" CHECK ("account_plans"."annual_target" >= 0)
);
--> statement-breakpoint
CREATE TABLE "account_reviews" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"month" text NOT NULL,
	"score_enthusiasm" smallint NOT NULL,
	"score_sales" smallint NOT NULL,
	"score_payment" smallint NOT NULL,
	"score_price_discipline" smallint NOT NULL,
	"score_capability" smallint NOT NULL,
	"overall" numeric(2, 1) NOT NULL,
	"summary" text,
	"issues" text,
	"next_actions" text,
	"reviewer_id" uuid NOT NULL,
	"manager_comment" text,
	"manager_comment_by" uuid,
	"manager_comment_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "account_reviews_month_check" CHECK ("account_reviews"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "account_reviews_scores_check" CHECK ("account_reviews"."score_enthusiasm" between 1 and 5 and "account_reviews"."score_sales" between 1 and 5 and "account_reviews"."score_payment" between 1 and 5 and "account_reviews"."score_price_discipline" between 1 and 5 and "account_reviews"."score_capability" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "complaint_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"categories" text[] DEFAULT '{product_quality,delivery,service,billing,other}'::text[] NOT NULL,
	"sla_hours" jsonb DEFAULT '{"critical":4,"high":24,"medium":72,"low":168}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "complaint_settings_single_row" CHECK ("complaint_settings"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "complaints" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"contact_id" uuid,
	"subject" text NOT NULL,
	"description" text,
	"category" text NOT NULL,
	"severity" text NOT NULL,
	"channel" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"sla_due_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	"satisfaction" integer,
	"closed_at" timestamp with time zone,
	"overdue_notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "complaints_status_check" CHECK ("complaints"."status" in ('open', 'in_progress', 'resolved', 'closed')),
	CONSTRAINT "complaints_severity_check" CHECK ("complaints"."severity" in ('low', 'medium', 'high', 'critical')),
	CONSTRAINT "complaints_channel_check" CHECK ("complaints"."channel" in ('phone', 'visit', 'email', 'wechat', 'web')),
	CONSTRAINT "complaints_satisfaction_check" CHECK ("complaints"."satisfaction" between 1 and 5),
	CONSTRAINT "complaints_resolution_check" CHECK ("complaints"."status" not in ('resolved', 'closed') or ("complaints"."resolution" is not null and "complaints"."resolved_at" is not null)),
	CONSTRAINT "complaints_closed_check" CHECK ("complaints"."status" <> 'closed' or "complaints"."satisfaction" is not null)
);
--> statement-breakpoint
CREATE TABLE "loyalty_accounts" (
	"customer_id" uuid PRIMARY KEY NOT NULL,
	"balance" integer DEFAULT 0 NOT NULL,
	"lifetime_earned" integer DEFAULT 0 NOT NULL,
	"tier" text DEFAULT 'member' NOT NULL,
	"tier_changed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "loyalty_accounts_balance_check" CHECK ("loyalty_accounts"."balance" >= 0),
	CONSTRAINT "loyalty_accounts_lifetime_check" CHECK ("loyalty_accounts"."lifetime_earned" >= 0)
);
--> statement-breakpoint
CREATE TABLE "loyalty_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"points" integer NOT NULL,
	"balance_after" integer NOT NULL,
	"reason" text NOT NULL,
	"item" text,
	"source_type" text,
	"source_id" text,
	"reverses_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_entries_kind_check" CHECK ("loyalty_entries"."kind" in ('earn', 'redeem', 'adjust', 'reverse')),
	CONSTRAINT "loyalty_entries_points_check" CHECK ("loyalty_entries"."points" <> 0),
	CONSTRAINT "loyalty_entries_source_check" CHECK (("loyalty_entries"."source_type" is null) = ("loyalty_entries"."source_id" is null))
);
--> statement-breakpoint
CREATE TABLE "loyalty_rules" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"earn" jsonb DEFAULT '{"points":1,"perYuan":100}'::jsonb NOT NULL,
	"tier_thresholds" jsonb DEFAULT '{"member":0,"silver":1000,"gold":5000,"diamond":20000}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "loyalty_rules_single_row" CHECK ("loyalty_rules"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "visit_plan_stops" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"customer_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"planned_time" text,
	"check_in_at" timestamp with time zone,
	"latitude" double precision,
	"longitude" double precision,
	"accuracy" double precision,
	"check_out_at" timestamp with time zone,
	"checklist" jsonb,
	"order_taken" boolean DEFAULT false NOT NULL,
	"order_volume" bigint DEFAULT 0 NOT NULL,
	"activity_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "visit_plan_stops_location_check" CHECK (("visit_plan_stops"."latitude" is null or "visit_plan_stops"."latitude" between -90 and 90) and ("visit_plan_stops"."longitude" is null or "visit_plan_stops"."longitude" between -180 and 180)),
	CONSTRAINT "visit_plan_stops_volume_check" CHECK ("visit_plan_stops"."order_volume" >= 0)
);
--> statement-breakpoint
CREATE TABLE "visit_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"day" date NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"route" text,
	"goal_visits" integer DEFAULT 0 NOT NULL,
	"goal_deals" integer DEFAULT 0 NOT NULL,
	"goal_volume" bigint DEFAULT 0 NOT NULL,
	"focus_products" text[] DEFAULT '{}'::text[] NOT NULL,
	"summary" text,
	"submitted_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"owner_id" uuid NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "visit_plans_status_check" CHECK ("visit_plans"."status" in ('draft', 'submitted', 'done')),
	CONSTRAINT "visit_plans_goals_check" CHECK ("visit_plans"."goal_visits" >= 0 and "visit_plans"."goal_deals" >= 0 and "visit_plans"."goal_volume" >= 0)
);
--> statement-breakpoint
CREATE TABLE "custom_fields" (
	"id" uuid PRIMARY KEY NOT NULL,
	"entity" text NOT NULL,
	"key" text NOT NULL,
	"label_zh" text NOT NULL,
	"label_en" text NOT NULL,
	"type" text NOT NULL,
	"options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "custom_fields_type_check" CHECK ("custom_fields"."type" in ('text', 'number', 'date', 'select', 'multiselect', 'boolean'))
);
--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "duplicate_of_id" uuid;--> statement-breakpoint
ALTER TABLE "account_plans" ADD CONSTRAINT "account_plans_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_reviews" ADD CONSTRAINT "account_reviews_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_accounts" ADD CONSTRAINT "loyalty_accounts_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_entries" ADD CONSTRAINT "loyalty_entries_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_entries" ADD CONSTRAINT "loyalty_entries_reverses_id_loyalty_entries_id_fk" FOREIGN KEY ("reverses_id") REFERENCES "public"."loyalty_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_plan_stops" ADD CONSTRAINT "visit_plan_stops_plan_id_visit_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."visit_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_plan_stops" ADD CONSTRAINT "visit_plan_stops_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_plan_stops" ADD CONSTRAINT "visit_plan_stops_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "account_plans_customer_idx" ON "account_plans" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "account_reviews_customer_month_idx" ON "account_reviews" USING btree ("customer_id","month");--> statement-breakpoint
CREATE INDEX "account_reviews_month_idx" ON "account_reviews" USING btree ("month");--> statement-breakpoint
CREATE UNIQUE INDEX "complaints_number_idx" ON "complaints" USING btree ("number");--> statement-breakpoint
CREATE INDEX "complaints_customer_idx" ON "complaints" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "complaints_owner_idx" ON "complaints" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "complaints_org_unit_idx" ON "complaints" USING btree ("org_unit_id","created_at");--> statement-breakpoint
CREATE INDEX "complaints_created_idx" ON "complaints" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "complaints_sla_idx" ON "complaints" USING btree ("sla_due_at") WHERE "complaints"."status" in ('open', 'in_progress');--> statement-breakpoint
CREATE INDEX "loyalty_accounts_tier_idx" ON "loyalty_accounts" USING btree ("tier");--> statement-breakpoint
CREATE INDEX "loyalty_entries_customer_idx" ON "loyalty_entries" USING btree ("customer_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_entries_source_idx" ON "loyalty_entries" USING btree ("source_type","source_id") WHERE "loyalty_entries"."source_type" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_entries_reverses_idx" ON "loyalty_entries" USING btree ("reverses_id") WHERE "loyalty_entries"."reverses_id" is not null;--> statement-breakpoint
CREATE INDEX "visit_plan_stops_plan_idx" ON "visit_plan_stops" USING btree ("plan_id","position");--> statement-breakpoint
CREATE INDEX "visit_plan_stops_customer_idx" ON "visit_plan_stops" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "visit_plans_owner_day_idx" ON "visit_plans" USING btree ("owner_id","day");--> statement-breakpoint
CREATE INDEX "visit_plans_unit_day_idx" ON "visit_plans" USING btree ("org_unit_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "custom_fields_entity_key_idx" ON "custom_fields" USING btree ("entity","key");--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_duplicate_of_id_leads_id_fk" FOREIGN KEY ("duplicate_of_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "leads_email_idx" ON "leads" USING btree (lower("email"));