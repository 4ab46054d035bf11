ALTER TABLE "products" ADD COLUMN "name_initials" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "products_pinyin_idx" ON "products" USING btree ("name_pinyin");--> statement-breakpoint
CREATE INDEX "products_initials_idx" ON "products" USING btree ("name_initials");