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
ALTER TABLE "opportunity_lines" ADD CONSTRAINT "opportunity_lines_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_lines" ADD CONSTRAINT "opportunity_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "opportunity_lines_opportunity_idx" ON "opportunity_lines" USING btree ("opportunity_id","position");