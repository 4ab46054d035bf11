CREATE TABLE "lead_forms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token" text NOT NULL,
	"source" text DEFAULT 'website' NOT NULL,
	"org_unit_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lead_rules" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"scoring" jsonb,
	"cap_per_rep" integer DEFAULT 50 NOT NULL,
	"fallback_org_unit_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "lead_rules_single_row" CHECK ("lead_rules"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "activities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"subject" text NOT NULL,
	"notes" text,
	"outcome" text,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"next_step" text,
	"next_step_at" timestamp with time zone,
	"customer_id" uuid,
	"contact_id" uuid,
	"lead_id" uuid,
	"opportunity_id" uuid,
	"done" boolean DEFAULT true NOT NULL,
	"owner_id" uuid,
	"org_unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "activities_type_check" CHECK ("activities"."type" in ('visit', 'call', 'message', 'email', 'meeting', 'task')),
	CONSTRAINT "activities_subject_check" CHECK ("activities"."customer_id" is not null or "activities"."lead_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"name" text NOT NULL,
	"title" text,
	"mobile" text,
	"phone" text,
	"email" text,
	"wechat" text,
	"birthday" date,
	"decision_role" text,
	"is_primary" boolean DEFAULT false NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_collaborators" (
	"customer_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "customer_collaborators_customer_id_user_id_pk" PRIMARY KEY("customer_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "customer_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"cadence_days" jsonb DEFAULT '{"A":7,"B":14,"C":30}'::jsonb NOT NULL,
	"pool_days" jsonb DEFAULT '{"A":30,"B":30,"C":30,"none":30,"lead":14}'::jsonb NOT NULL,
	"max_held" integer DEFAULT 200 NOT NULL,
	"max_claims_per_day" integer DEFAULT 20 NOT NULL,
	"lead_sources" text[] DEFAULT '{campaign,ad,exhibition,referral,website,inbound_call,walk_in,other}'::text[] NOT NULL,
	"grade_thresholds" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "customer_settings_single_row" CHECK ("customer_settings"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text DEFAULT 'company' NOT NULL,
	"name" text NOT NULL,
	"short_name" text,
	"name_key" text NOT NULL,
	"name_pinyin" text NOT NULL,
	"name_initials" text NOT NULL,
	"credit_code" text,
	"industry" text,
	"size" text,
	"province_code" text,
	"city_code" text,
	"district_code" text,
	"address" text,
	"phone" text,
	"website" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"grade" text,
	"grade_source" text,
	"lifecycle" text DEFAULT 'prospect' NOT NULL,
	"credit_limit" bigint,
	"credit_rating" text,
	"source" text,
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"owner_id" uuid,
	"org_unit_id" uuid NOT NULL,
	"last_follow_up_at" timestamp with time zone,
	"follow_up_due_at" timestamp with time zone,
	"pooled_at" timestamp with time zone,
	"merged_into_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "customers_kind_check" CHECK ("customers"."kind" in ('company', 'individual')),
	CONSTRAINT "customers_grade_check" CHECK ("customers"."grade" in ('A', 'B', 'C')),
	CONSTRAINT "customers_lifecycle_check" CHECK ("customers"."lifecycle" in ('prospect', 'active', 'dormant', 'lost'))
);
--> statement-breakpoint
CREATE TABLE "leads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_name" text,
	"company_name" text,
	"title" text,
	"mobile" text,
	"email" text,
	"wechat" text,
	"province_code" text,
	"city_code" text,
	"source" text,
	"awareness_channel" text,
	"campaign_id" uuid,
	"needs" text,
	"intent_level" text,
	"capture_channel" text DEFAULT 'form' NOT NULL,
	"capture_details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"score" integer DEFAULT 0 NOT NULL,
	"score_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"disqualify_reason" text,
	"owner_id" uuid,
	"org_unit_id" uuid NOT NULL,
	"last_follow_up_at" timestamp with time zone,
	"pooled_at" timestamp with time zone,
	"converted_customer_id" uuid,
	"converted_contact_id" uuid,
	"converted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "leads_status_check" CHECK ("leads"."status" in ('new', 'working', 'converted', 'disqualified')),
	CONSTRAINT "leads_reachable_check" CHECK ("leads"."mobile" is not null or "leads"."email" is not null)
);
--> statement-breakpoint
CREATE TABLE "pool_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"entity" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"action" text NOT NULL,
	"user_id" uuid,
	"actor_id" uuid,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "lead_forms" ADD CONSTRAINT "lead_forms_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_rules" ADD CONSTRAINT "lead_rules_fallback_org_unit_id_org_units_id_fk" FOREIGN KEY ("fallback_org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_collaborators" ADD CONSTRAINT "customer_collaborators_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_merged_into_id_customers_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_converted_customer_id_customers_id_fk" FOREIGN KEY ("converted_customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_converted_contact_id_contacts_id_fk" FOREIGN KEY ("converted_contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lead_forms_token_idx" ON "lead_forms" USING btree ("token");--> statement-breakpoint
CREATE INDEX "activities_customer_idx" ON "activities" USING btree ("customer_id","occurred_at");--> statement-breakpoint
CREATE INDEX "activities_lead_idx" ON "activities" USING btree ("lead_id","occurred_at");--> statement-breakpoint
CREATE INDEX "activities_owner_idx" ON "activities" USING btree ("owner_id","occurred_at");--> statement-breakpoint
CREATE INDEX "contacts_customer_idx" ON "contacts" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "contacts_mobile_idx" ON "contacts" USING btree ("mobile");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_one_primary_idx" ON "contacts" USING btree ("customer_id") WHERE "contacts"."is_primary" and "contacts"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "customer_collaborators_user_idx" ON "customer_collaborators" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "customers_owner_idx" ON "customers" USING btree ("owner_id","updated_at");--> statement-breakpoint
CREATE INDEX "customers_org_unit_idx" ON "customers" USING btree ("org_unit_id","updated_at");--> statement-breakpoint
CREATE INDEX "customers_updated_idx" ON "customers" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "customers_name_key_idx" ON "customers" USING btree ("name_key" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_pinyin_idx" ON "customers" USING btree ("name_pinyin" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_initials_idx" ON "customers" USING btree ("name_initials" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_phone_idx" ON "customers" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "customers_due_idx" ON "customers" USING btree ("owner_id","follow_up_due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_credit_code_idx" ON "customers" USING btree ("credit_code") WHERE "customers"."credit_code" is not null and "customers"."merged_into_id" is null;--> statement-breakpoint
CREATE INDEX "leads_owner_idx" ON "leads" USING btree ("owner_id","updated_at");--> statement-breakpoint
CREATE INDEX "leads_org_unit_idx" ON "leads" USING btree ("org_unit_id","updated_at");--> statement-breakpoint
CREATE INDEX "leads_status_idx" ON "leads" USING btree ("status","updated_at");--> statement-breakpoint
CREATE INDEX "leads_mobile_idx" ON "leads" USING btree ("mobile");--> statement-breakpoint
CREATE INDEX "pool_events_user_idx" ON "pool_events" USING btree ("user_id","action","at");--> statement-breakpoint
CREATE INDEX "pool_events_entity_idx" ON "pool_events" USING btree ("entity","entity_id","at");