ALTER TABLE "company_settings" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "company_settings" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "company_settings" ADD COLUMN "tax_id" text;--> statement-breakpoint
ALTER TABLE "company_settings" ADD COLUMN "bank_name" text;--> statement-breakpoint
ALTER TABLE "company_settings" ADD COLUMN "bank_account" text;