CREATE TABLE "sales_facts_monthly_rep" (
	"month" date NOT NULL,
	"metric" text NOT NULL,
	"owner_id" uuid,
	"org_unit_id" uuid NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	"quantity" numeric(20, 3) DEFAULT '0' NOT NULL,
	"records" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sales_facts_monthly_rep_metric_month_idx" ON "sales_facts_monthly_rep" USING btree ("metric","month");--> statement-breakpoint
CREATE INDEX "payments_updated_idx" ON "payments" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "payments_received_idx" ON "payments" USING btree ("received_date");--> statement-breakpoint
CREATE INDEX "sales_orders_updated_idx" ON "sales_orders" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "sales_orders_confirmed_idx" ON "sales_orders" USING btree ("confirmed_at") WHERE "sales_orders"."confirmed_at" is not null;--> statement-breakpoint
CREATE INDEX "shipments_updated_idx" ON "shipments" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "shipments_posted_idx" ON "shipments" USING btree ("posted_at") WHERE "shipments"."posted_at" is not null;