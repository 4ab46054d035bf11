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
ALTER TABLE "bid_competitors" ADD CONSTRAINT "bid_competitors_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bid_competitors_bid_idx" ON "bid_competitors" USING btree ("bid_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "bids_tender_number_idx" ON "bids" USING btree ("issuer_key","tender_number");--> statement-breakpoint
CREATE INDEX "bids_owner_idx" ON "bids" USING btree ("owner_id","submission_deadline");--> statement-breakpoint
CREATE INDEX "bids_org_unit_idx" ON "bids" USING btree ("org_unit_id","submission_deadline");--> statement-breakpoint
CREATE INDEX "bids_customer_idx" ON "bids" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "bids_opportunity_idx" ON "bids" USING btree ("opportunity_id");--> statement-breakpoint
CREATE INDEX "bids_deadline_idx" ON "bids" USING btree ("submission_deadline","id");--> statement-breakpoint
CREATE INDEX "bids_created_idx" ON "bids" USING btree ("created_at","id");