CREATE TABLE "bid_competitors" (
	"id" uuid PRIMARY KEY NOT NULL,
	"bid_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"price" bigint,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "bids" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tender_number" text NOT NULL,
	"project_name" text NOT NULL,
	"customer_id" uuid,
	"issuer_name" text,
	"issuer_key" text NOT NULL,
	"opportunity_id" uuid,
	"state" text DEFAULT 'preparing' NOT NULL,
	"documents_purchased_on" date,
	"question_deadline" timestamp with time zone,
	"submission_deadline" timestamp with time zone NOT NULL,
	"opening_at" timestamp with time zone,
	"bid_price" bigint,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"bond_amount" bigint,
	"bond_method" text,
	"bond_paid_on" date,
	"bond_refund_due_on" date,
	"bond_refunded_on" date,
	"submitted_at" timestamp with time zone,
	"result_on" date,
	"loss_reason" text,
	"winner_name" text,
	"winning_price" bigint,
	"cancel_reason" text,
	"result_note" text,
	"note" text,
	"reminded_three_days_at" timestamp with time zone,
	"reminded_one_day_at" timestamp with time zone,
	"bond_overdue_notified_at" timestamp with time zone,
	"owner_id" uuid NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "bids_state_check" CHECK ("bids"."state" in ('preparing', 'submitted', 'won', 'lost', 'cancelled')),
	CONSTRAINT "bids_issuer_check" CHECK ("bids"."customer_id" is not null or "bids"."issuer_name" is not null),
	CONSTRAINT "bids_price_check" CHECK ("bids"."bid_price" > 0),
	CONSTRAINT "bids_bond_check" CHECK ("bids"."bond_amount" >= 0),
	CONSTRAINT "bids_bond_method_check" CHECK ("bids"."bond_method" in ('bank_transfer', 'guarantee_letter', 'cash', 'other')),
	CONSTRAINT "bids_lost_check" CHECK ("bids"."state" <> 'lost' or ("bids"."loss_reason" is not null and "bids"."winner_name" is not null)),
	CONSTRAINT "bids_cancelled_check" CHECK ("bids"."state" <> 'cancelled' or "bids"."cancel_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "opportunity_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" numeric(15, 3) NOT NULL,
	"resolved_price" bigint NOT NULL,
	"unit_price" bigint NOT NULL,
	"price_overridden" boolean DEFAULT false NOT NULL,
	"discount_percent" numeric(5, 2),
	"amount" bigint NOT NULL,
	CONSTRAINT "opportunity_lines_quantity_check" CHECK ("opportunity_lines"."quantity" > 0),
	CONSTRAINT "opportunity_lines_price_check" CHECK ("opportunity_lines"."unit_price" >= 0 and "opportunity_lines"."resolved_price" >= 0),
	CONSTRAINT "opportunity_lines_amount_check" CHECK ("opportunity_lines"."amount" >= 0),
	CONSTRAINT "opportunity_lines_discount_check" CHECK ("opportunity_lines"."discount_percent" is null or ("opportunity_lines"."discount_percent" >= 0 and "opportunity_lines"."discount_percent" <= 100))
);
--> statement-breakpoint
CREATE TABLE "stage_playbooks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"stage_id" uuid NOT NULL,
	"guidance_zh" text DEFAULT '' NOT NULL,
	"guidance_en" text DEFAULT '' NOT NULL,
	"talk_tracks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"recommended" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quote_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"revision_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"product_name" text NOT NULL,
	"sku" text NOT NULL,
	"specification" text,
	"uom" text NOT NULL,
	"quantity" numeric(18, 4) NOT NULL,
	"list_price" bigint NOT NULL,
	"floor_price" bigint,
	"price_list_id" uuid,
	"price_rule_id" uuid,
	"discount_percent" numeric(5, 2) DEFAULT '0' NOT NULL,
	"unit_price" bigint NOT NULL,
	"price_entered" boolean DEFAULT false NOT NULL,
	"amount" bigint NOT NULL,
	"allocated_discount" bigint DEFAULT 0 NOT NULL,
	"net_amount" bigint NOT NULL,
	"tax_rate" numeric(5, 4) NOT NULL,
	"tax" bigint NOT NULL,
	"below_floor" boolean DEFAULT false NOT NULL,
	"cost_price" bigint,
	CONSTRAINT "quote_lines_quantity_check" CHECK ("quote_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "quote_revisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"quote_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"contact_id" uuid,
	"valid_until" date NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"payment_terms" text,
	"delivery_terms" text,
	"notes" text,
	"discount_percent" numeric(5, 2) DEFAULT '0' NOT NULL,
	"list_total" bigint DEFAULT 0 NOT NULL,
	"subtotal" bigint DEFAULT 0 NOT NULL,
	"discount_amount" bigint DEFAULT 0 NOT NULL,
	"total" bigint DEFAULT 0 NOT NULL,
	"tax" bigint DEFAULT 0 NOT NULL,
	"total_excl_tax" bigint DEFAULT 0 NOT NULL,
	"effective_discount" numeric(7, 2) DEFAULT '0' NOT NULL,
	"below_floor" boolean DEFAULT false NOT NULL,
	"approval_request_id" uuid,
	"review_comment" text,
	"submitted_at" timestamp with time zone,
	"approved_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"rejected_at" timestamp with time zone,
	"rejection_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "quote_revisions_state_check" CHECK ("quote_revisions"."state" in ('draft', 'pending_approval', 'approved', 'sent', 'accepted', 'rejected', 'superseded')),
	CONSTRAINT "quote_revisions_discount_check" CHECK ("quote_revisions"."discount_percent" >= 0 and "quote_revisions"."discount_percent" <= 100),
	CONSTRAINT "quote_revisions_total_check" CHECK ("quote_revisions"."total" >= 0 and "quote_revisions"."discount_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "quote_sends" (
	"id" uuid PRIMARY KEY NOT NULL,
	"quote_id" uuid NOT NULL,
	"revision_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"to" text NOT NULL,
	"cc" text,
	"subject" text NOT NULL,
	"locale" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quotes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"opportunity_id" uuid,
	"owner_id" uuid NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"valid_until" date NOT NULL,
	"total" bigint DEFAULT 0 NOT NULL,
	"contract_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "quotes_state_check" CHECK ("quotes"."state" in ('draft', 'pending_approval', 'approved', 'sent', 'accepted', 'rejected', 'superseded'))
);
--> statement-breakpoint
CREATE TABLE "saved_view_defaults" (
	"user_id" uuid NOT NULL,
	"list_key" text NOT NULL,
	"view_id" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_view_defaults_user_id_list_key_pk" PRIMARY KEY("user_id","list_key")
);
--> statement-breakpoint
CREATE TABLE "saved_views" (
	"id" uuid PRIMARY KEY NOT NULL,
	"list_key" text NOT NULL,
	"name" text NOT NULL,
	"filters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"owner_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "company_settings" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "company_settings" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "company_settings" ADD COLUMN "tax_id" text;--> statement-breakpoint
ALTER TABLE "company_settings" ADD COLUMN "bank_name" text;--> statement-breakpoint
ALTER TABLE "company_settings" ADD COLUMN "bank_account" text;--> statement-breakpoint
ALTER TABLE "bid_competitors" ADD CONSTRAINT "bid_competitors_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_lines" ADD CONSTRAINT "opportunity_lines_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_lines" ADD CONSTRAINT "opportunity_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_playbooks" ADD CONSTRAINT "stage_playbooks_stage_id_pipeline_stages_id_fk" FOREIGN KEY ("stage_id") REFERENCES "public"."pipeline_stages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_lines" ADD CONSTRAINT "quote_lines_revision_id_quote_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."quote_revisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_lines" ADD CONSTRAINT "quote_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_revisions" ADD CONSTRAINT "quote_revisions_quote_id_quotes_id_fk" FOREIGN KEY ("quote_id") REFERENCES "public"."quotes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_revisions" ADD CONSTRAINT "quote_revisions_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_sends" ADD CONSTRAINT "quote_sends_quote_id_quotes_id_fk" FOREIGN KEY ("quote_id") REFERENCES "public"."quotes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_sends" ADD CONSTRAINT "quote_sends_revision_id_quote_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."quote_revisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_view_defaults" ADD CONSTRAINT "saved_view_defaults_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_view_defaults" ADD CONSTRAINT "saved_view_defaults_view_id_saved_views_id_fk" FOREIGN KEY ("view_id") REFERENCES "public"."saved_views"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bid_competitors_bid_idx" ON "bid_competitors" USING btree ("bid_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "bids_tender_number_idx" ON "bids" USING btree ("issuer_key","tender_number");--> statement-breakpoint
CREATE INDEX "bids_owner_idx" ON "bids" USING btree ("owner_id","submission_deadline");--> statement-breakpoint
CREATE INDEX "bids_org_unit_idx" ON "bids" USING btree ("org_unit_id","submission_deadline");--> statement-breakpoint
CREATE INDEX "bids_customer_idx" ON "bids" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "bids_opportunity_idx" ON "bids" USING btree ("opportunity_id");--> statement-breakpoint
CREATE INDEX "bids_deadline_idx" ON "bids" USING btree ("submission_deadline","id");--> statement-breakpoint
CREATE INDEX "bids_created_idx" ON "bids" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "opportunity_lines_opportunity_idx" ON "opportunity_lines" USING btree ("opportunity_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "stage_playbooks_stage_idx" ON "stage_playbooks" USING btree ("stage_id");--> statement-breakpoint
CREATE UNIQUE INDEX "quote_lines_seq_idx" ON "quote_lines" USING btree ("revision_id","seq");--> statement-breakpoint
CREATE INDEX "quote_lines_product_idx" ON "quote_lines" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "quote_revisions_no_idx" ON "quote_revisions" USING btree ("quote_id","revision");--> statement-breakpoint
CREATE INDEX "quote_sends_quote_idx" ON "quote_sends" USING btree ("quote_id","sent_at");--> statement-breakpoint
CREATE UNIQUE INDEX "quotes_number_idx" ON "quotes" USING btree ("number");--> statement-breakpoint
CREATE INDEX "quotes_created_idx" ON "quotes" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "quotes_customer_idx" ON "quotes" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "quotes_opportunity_idx" ON "quotes" USING btree ("opportunity_id");--> statement-breakpoint
CREATE INDEX "quotes_owner_idx" ON "quotes" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "quotes_org_unit_idx" ON "quotes" USING btree ("org_unit_id","created_at");--> statement-breakpoint
CREATE INDEX "quotes_state_idx" ON "quotes" USING btree ("state","valid_until");--> statement-breakpoint
CREATE INDEX "saved_views_owner_idx" ON "saved_views" USING btree ("owner_id","list_key");--> statement-breakpoint
CREATE INDEX "saved_views_shared_idx" ON "saved_views" USING btree ("list_key") WHERE "saved_views"."shared";--> statement-breakpoint
CREATE INDEX "activities_opportunity_idx" ON "activities" USING btree ("opportunity_id","occurred_at");