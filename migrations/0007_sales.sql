CREATE TABLE "contract_installments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"contract_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"due_date" date NOT NULL,
	"amount" bigint NOT NULL,
	"paid_amount" bigint DEFAULT 0 NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "contract_installments_amount_check" CHECK ("contract_installments"."amount" > 0),
	CONSTRAINT "contract_installments_paid_check" CHECK ("contract_installments"."paid_amount" >= 0 and "contract_installments"."paid_amount" <= "contract_installments"."amount")
);
--> statement-breakpoint
CREATE TABLE "contracts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"title" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"contact_id" uuid,
	"our_party" text NOT NULL,
	"amount" bigint NOT NULL,
	"tax_rate" numeric(5, 2) DEFAULT '13' NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"payment_terms" text,
	"delivery_terms" text,
	"warranty" text,
	"non_standard" boolean DEFAULT false NOT NULL,
	"non_standard_note" text,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"signed_date" date,
	"opportunity_id" uuid,
	"quote_id" uuid,
	"owner_id" uuid NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"submitted_at" timestamp with time zone,
	"approved_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"terminated_at" timestamp with time zone,
	"termination_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "contracts_state_check" CHECK ("contracts"."state" in ('draft', 'in_review', 'approved', 'active', 'completed', 'terminated')),
	CONSTRAINT "contracts_amount_check" CHECK ("contracts"."amount" > 0),
	CONSTRAINT "contracts_dates_check" CHECK ("contracts"."end_date" >= "contracts"."start_date"),
	CONSTRAINT "contracts_signed_check" CHECK ("contracts"."state" not in ('active', 'completed') or "contracts"."signed_date" is not null),
	CONSTRAINT "contracts_terminated_check" CHECK ("contracts"."state" <> 'terminated' or "contracts"."termination_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "opportunities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"stage_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	"amount_source" text DEFAULT 'manual' NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"expected_close_date" date,
	"probability" integer NOT NULL,
	"probability_overridden" boolean DEFAULT false NOT NULL,
	"forecast_category" text NOT NULL,
	"forecast_overridden" boolean DEFAULT false NOT NULL,
	"next_step" text,
	"source_lead_id" uuid,
	"loss_reason" text,
	"lost_to_competitor" text,
	"close_note" text,
	"closed_at" timestamp with time zone,
	"stage_entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stalled_notified_at" timestamp with time zone,
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"owner_id" uuid NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "opportunities_status_check" CHECK ("opportunities"."status" in ('open', 'won', 'lost')),
	CONSTRAINT "opportunities_forecast_check" CHECK ("opportunities"."forecast_category" in ('pipeline', 'best_case', 'commit', 'closed')),
	CONSTRAINT "opportunities_probability_check" CHECK ("opportunities"."probability" between 0 and 100),
	CONSTRAINT "opportunities_amount_check" CHECK ("opportunities"."amount" >= 0),
	CONSTRAINT "opportunities_lost_reason_check" CHECK ("opportunities"."status" <> 'lost' or "opportunities"."loss_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "opportunity_checklist" (
	"opportunity_id" uuid NOT NULL,
	"stage_id" uuid NOT NULL,
	"item_key" text NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked_by" uuid,
	CONSTRAINT "opportunity_checklist_opportunity_id_stage_id_item_key_pk" PRIMARY KEY("opportunity_id","stage_id","item_key")
);
--> statement-breakpoint
CREATE TABLE "opportunity_collaborators" (
	"opportunity_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "opportunity_collaborators_opportunity_id_user_id_pk" PRIMARY KEY("opportunity_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "opportunity_competitors" (
	"id" uuid PRIMARY KEY NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"price" bigint,
	"strengths" text,
	"weaknesses" text
);
--> statement-breakpoint
CREATE TABLE "opportunity_contacts" (
	"opportunity_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	CONSTRAINT "opportunity_contacts_opportunity_id_contact_id_pk" PRIMARY KEY("opportunity_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "opportunity_stage_history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"stage_id" uuid NOT NULL,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"entered_by" uuid,
	"exited_at" timestamp with time zone,
	"exited_by" uuid
);
--> statement-breakpoint
CREATE TABLE "pipeline_stages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"probability" integer NOT NULL,
	"kind" text DEFAULT 'open' NOT NULL,
	"checklist" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"required_fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "pipeline_stages_kind_check" CHECK ("pipeline_stages"."kind" in ('open', 'won', 'lost')),
	CONSTRAINT "pipeline_stages_probability_check" CHECK ("pipeline_stages"."probability" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "pipelines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sales_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"loss_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"stall_days" integer DEFAULT 14 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "sales_settings_single_row" CHECK ("sales_settings"."id" = 1),
	CONSTRAINT "sales_settings_stall_days_check" CHECK ("sales_settings"."stall_days" between 1 and 365)
);
--> statement-breakpoint
ALTER TABLE "contract_installments" ADD CONSTRAINT "contract_installments_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_pipeline_id_pipelines_id_fk" FOREIGN KEY ("pipeline_id") REFERENCES "public"."pipelines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_stage_id_pipeline_stages_id_fk" FOREIGN KEY ("stage_id") REFERENCES "public"."pipeline_stages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_source_lead_id_leads_id_fk" FOREIGN KEY ("source_lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_checklist" ADD CONSTRAINT "opportunity_checklist_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_checklist" ADD CONSTRAINT "opportunity_checklist_stage_id_pipeline_stages_id_fk" FOREIGN KEY ("stage_id") REFERENCES "public"."pipeline_stages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_collaborators" ADD CONSTRAINT "opportunity_collaborators_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_competitors" ADD CONSTRAINT "opportunity_competitors_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_contacts" ADD CONSTRAINT "opportunity_contacts_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_contacts" ADD CONSTRAINT "opportunity_contacts_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_stage_history" ADD CONSTRAINT "opportunity_stage_history_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_stage_history" ADD CONSTRAINT "opportunity_stage_history_stage_id_pipeline_stages_id_fk" FOREIGN KEY ("stage_id") REFERENCES "public"."pipeline_stages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pipeline_stages" ADD CONSTRAINT "pipeline_stages_pipeline_id_pipelines_id_fk" FOREIGN KEY ("pipeline_id") REFERENCES "public"."pipelines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contract_installments_seq_idx" ON "contract_installments" USING btree ("contract_id","seq");--> statement-breakpoint
CREATE INDEX "contract_installments_due_idx" ON "contract_installments" USING btree ("due_date");--> statement-breakpoint
CREATE UNIQUE INDEX "contracts_number_idx" ON "contracts" USING btree ("number");--> statement-breakpoint
CREATE INDEX "contracts_customer_idx" ON "contracts" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "contracts_owner_idx" ON "contracts" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "contracts_org_unit_idx" ON "contracts" USING btree ("org_unit_id","created_at");--> statement-breakpoint
CREATE INDEX "contracts_created_idx" ON "contracts" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "contracts_state_idx" ON "contracts" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "opportunities_owner_idx" ON "opportunities" USING btree ("owner_id","updated_at");--> statement-breakpoint
CREATE INDEX "opportunities_org_unit_idx" ON "opportunities" USING btree ("org_unit_id","updated_at");--> statement-breakpoint
CREATE INDEX "opportunities_customer_idx" ON "opportunities" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "opportunities_stage_idx" ON "opportunities" USING btree ("pipeline_id","stage_id","updated_at");--> statement-breakpoint
CREATE INDEX "opportunities_updated_idx" ON "opportunities" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "opportunities_close_idx" ON "opportunities" USING btree ("expected_close_date","id");--> statement-breakpoint
CREATE INDEX "opportunity_collaborators_user_idx" ON "opportunity_collaborators" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "opportunity_competitors_opportunity_idx" ON "opportunity_competitors" USING btree ("opportunity_id","position");--> statement-breakpoint
CREATE INDEX "opportunity_stage_history_idx" ON "opportunity_stage_history" USING btree ("opportunity_id","entered_at");--> statement-breakpoint
CREATE INDEX "pipeline_stages_pipeline_idx" ON "pipeline_stages" USING btree ("pipeline_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "pipelines_code_idx" ON "pipelines" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "pipelines_one_default_idx" ON "pipelines" USING btree ("is_default") WHERE "pipelines"."is_default";