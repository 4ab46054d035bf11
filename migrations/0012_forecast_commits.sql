CREATE TABLE "forecast_commits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"month" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"commit_amount" bigint NOT NULL,
	"best_case_amount" bigint NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"adjusted_commit_amount" bigint,
	"adjusted_best_case_amount" bigint,
	"adjustment_note" text,
	"adjusted_by" uuid,
	"adjusted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "forecast_commits_month_check" CHECK ("forecast_commits"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "forecast_commits_amounts_check" CHECK ("forecast_commits"."commit_amount" >= 0 and "forecast_commits"."best_case_amount" >= "forecast_commits"."commit_amount"
        and ("forecast_commits"."adjusted_commit_amount" is null or "forecast_commits"."adjusted_commit_amount" >= 0)
        and ("forecast_commits"."adjusted_best_case_amount" is null or "forecast_commits"."adjusted_best_case_amount" >= coalesce("forecast_commits"."adjusted_commit_amount", 0)))
);
--> statement-breakpoint
ALTER TABLE "forecast_commits" ADD CONSTRAINT "forecast_commits_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_commits" ADD CONSTRAINT "forecast_commits_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_commits" ADD CONSTRAINT "forecast_commits_adjusted_by_users_id_fk" FOREIGN KEY ("adjusted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "forecast_commits_owner_month_idx" ON "forecast_commits" USING btree ("owner_id","month");--> statement-breakpoint
CREATE INDEX "forecast_commits_month_idx" ON "forecast_commits" USING btree ("month","org_unit_id");