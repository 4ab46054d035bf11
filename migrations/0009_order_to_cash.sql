CREATE TABLE "credit_note_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"credit_note_id" uuid NOT NULL,
	"invoice_line_id" uuid NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"amount" bigint NOT NULL,
	"tax_amount" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "credit_note_lines_amount_check" CHECK ("credit_note_lines"."amount" > 0 and "credit_note_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "credit_notes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"invoice_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"total" bigint NOT NULL,
	"tax_total" bigint NOT NULL,
	"issue_date" date NOT NULL,
	"return_id" uuid,
	"owner_id" uuid,
	"org_unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "credit_notes_total_check" CHECK ("credit_notes"."total" > 0 and "credit_notes"."tax_total" >= 0 and "credit_notes"."tax_total" <= "credit_notes"."total")
);
--> statement-breakpoint
CREATE TABLE "invoice_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"invoice_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"product_id" uuid,
	"description" text NOT NULL,
	"spec" text,
	"unit" text,
	"quantity" numeric(16, 3) NOT NULL,
	"unit_price" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"tax_rate" numeric(5, 4) NOT NULL,
	"tax_amount" bigint NOT NULL,
	"source_type" text DEFAULT 'manual' NOT NULL,
	"source_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "invoice_lines_quantity_check" CHECK ("invoice_lines"."quantity" > 0),
	CONSTRAINT "invoice_lines_amount_check" CHECK ("invoice_lines"."amount" >= 0 and "invoice_lines"."tax_amount" >= 0 and "invoice_lines"."tax_amount" <= "invoice_lines"."amount"),
	CONSTRAINT "invoice_lines_source_check" CHECK ("invoice_lines"."source_type" in ('sales_order_line', 'contract', 'manual'))
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"fapiao_number" text,
	"type" text DEFAULT 'general' NOT NULL,
	"customer_id" uuid NOT NULL,
	"contract_id" uuid,
	"order_id" uuid,
	"buyer_title" text NOT NULL,
	"buyer_tax_id" text,
	"buyer_address_phone" text,
	"buyer_bank_account" text,
	"seller_name" text,
	"seller_tax_id" text,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"total" bigint DEFAULT 0 NOT NULL,
	"tax_total" bigint DEFAULT 0 NOT NULL,
	"credited_amount" bigint DEFAULT 0 NOT NULL,
	"paid_amount" bigint DEFAULT 0 NOT NULL,
	"payment_terms_days" integer DEFAULT 30 NOT NULL,
	"issue_date" date,
	"due_date" date,
	"state" text DEFAULT 'draft' NOT NULL,
	"issued_at" timestamp with time zone,
	"issued_by" uuid,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	"note" text,
	"idempotency_key" text,
	"owner_id" uuid,
	"org_unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "invoices_state_check" CHECK ("invoices"."state" in ('draft', 'issued', 'partially_paid', 'paid', 'void')),
	CONSTRAINT "invoices_type_check" CHECK ("invoices"."type" in ('general', 'special')),
	CONSTRAINT "invoices_amounts_check" CHECK ("invoices"."total" >= 0 and "invoices"."tax_total" >= 0 and "invoices"."credited_amount" >= 0 and "invoices"."paid_amount" >= 0 and "invoices"."credited_amount" + "invoices"."paid_amount" <= "invoices"."total"),
	CONSTRAINT "invoices_void_check" CHECK ("invoices"."state" <> 'void' or ("invoices"."void_reason" is not null and "invoices"."paid_amount" = 0)),
	CONSTRAINT "invoices_issued_check" CHECK ("invoices"."state" = 'draft' or "invoices"."state" = 'void' or "invoices"."issue_date" is not null)
);
--> statement-breakpoint
CREATE TABLE "collection_notes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"task_id" uuid,
	"invoice_id" uuid,
	"installment_id" uuid,
	"note" text NOT NULL,
	"promised_date" date,
	"promised_amount" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "collection_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"invoice_id" uuid,
	"installment_id" uuid,
	"item_id" uuid NOT NULL,
	"bucket" text NOT NULL,
	"due_date" date NOT NULL,
	"amount_due" bigint NOT NULL,
	"assignee_id" uuid,
	"owner_id" uuid,
	"org_unit_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "collection_tasks_status_check" CHECK ("collection_tasks"."status" in ('open', 'done'))
);
--> statement-breakpoint
CREATE TABLE "payment_allocations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"payment_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"invoice_id" uuid,
	"installment_id" uuid,
	"contract_id" uuid,
	"amount" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "payment_allocations_target_check" CHECK (("payment_allocations"."invoice_id" is null) <> ("payment_allocations"."installment_id" is null)),
	CONSTRAINT "payment_allocations_amount_check" CHECK ("payment_allocations"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"kind" text DEFAULT 'receipt' NOT NULL,
	"customer_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"method" text NOT NULL,
	"bill_number" text,
	"bill_maturity_date" date,
	"received_date" date NOT NULL,
	"payer_name" text,
	"payer_account" text,
	"reference" text,
	"note" text,
	"reverses_id" uuid,
	"idempotency_key" text,
	"request_hash" text,
	"owner_id" uuid,
	"org_unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "payments_kind_check" CHECK ("payments"."kind" in ('receipt', 'reversal')),
	CONSTRAINT "payments_method_check" CHECK ("payments"."method" in ('bank_transfer', 'cash', 'acceptance_bill', 'online')),
	CONSTRAINT "payments_currency_check" CHECK ("payments"."currency" = 'CNY'),
	CONSTRAINT "payments_amount_check" CHECK (("payments"."kind" = 'receipt' and "payments"."amount" > 0 and "payments"."reverses_id" is null) or ("payments"."kind" = 'reversal' and "payments"."amount" < 0 and "payments"."reverses_id" is not null)),
	CONSTRAINT "payments_bill_check" CHECK ("payments"."method" <> 'acceptance_bill' or ("payments"."bill_number" is not null and "payments"."bill_maturity_date" is not null))
);
--> statement-breakpoint
CREATE TABLE "sales_return_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"return_id" uuid NOT NULL,
	"order_line_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"unit_price" bigint NOT NULL,
	"batch_no" text,
	"serial_nos" text[] DEFAULT '{}'::text[] NOT NULL,
	"credited_amount" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "sales_return_lines_quantity_check" CHECK ("sales_return_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "sales_returns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"order_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"type" text NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"state" text DEFAULT 'requested' NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	"uncredited_amount" bigint DEFAULT 0 NOT NULL,
	"warehouse_id" uuid,
	"decision_comment" text,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"received_by" uuid,
	"received_at" timestamp with time zone,
	"owner_id" uuid NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "sales_returns_state_check" CHECK ("sales_returns"."state" in ('requested', 'approved', 'received', 'closed', 'rejected', 'cancelled')),
	CONSTRAINT "sales_returns_type_check" CHECK ("sales_returns"."type" in ('return', 'exchange')),
	CONSTRAINT "sales_returns_reason_check" CHECK ("sales_returns"."reason" in ('quality_defect', 'wrong_item', 'damaged_in_transit', 'changed_mind', 'other')),
	CONSTRAINT "sales_returns_money_check" CHECK ("sales_returns"."amount" >= 0 and "sales_returns"."uncredited_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "production_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"order_id" uuid NOT NULL,
	"order_line_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"note" text,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "production_requests_status_check" CHECK ("production_requests"."status" in ('open', 'fulfilled', 'cancelled')),
	CONSTRAINT "production_requests_quantity_check" CHECK ("production_requests"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "sales_order_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"list_price" bigint NOT NULL,
	"discount_percent" numeric(5, 2) DEFAULT '0' NOT NULL,
	"unit_price" bigint NOT NULL,
	"price_source" text NOT NULL,
	"floor_price" bigint,
	"tax_rate" numeric(5, 4) NOT NULL,
	"amount" bigint NOT NULL,
	"tax" bigint NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"reserved_quantity" numeric(16, 3) DEFAULT '0' NOT NULL,
	"shipped_quantity" numeric(16, 3) DEFAULT '0' NOT NULL,
	CONSTRAINT "sales_order_lines_quantity_check" CHECK ("sales_order_lines"."quantity" > 0),
	CONSTRAINT "sales_order_lines_shipped_check" CHECK ("sales_order_lines"."shipped_quantity" >= 0 and "sales_order_lines"."shipped_quantity" <= "sales_order_lines"."quantity"),
	CONSTRAINT "sales_order_lines_money_check" CHECK ("sales_order_lines"."amount" >= 0 and "sales_order_lines"."tax" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sales_orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"contact_id" uuid,
	"channel" text DEFAULT 'direct' NOT NULL,
	"contract_id" uuid,
	"quote_id" uuid,
	"order_date" date NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"shortage" boolean DEFAULT false NOT NULL,
	"total" bigint DEFAULT 0 NOT NULL,
	"tax" bigint DEFAULT 0 NOT NULL,
	"invoiced_amount" bigint DEFAULT 0 NOT NULL,
	"notes" text,
	"owner_id" uuid NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"approval_request_id" uuid,
	"idempotency_key" text,
	"request_hash" text,
	"confirmed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "sales_orders_state_check" CHECK ("sales_orders"."state" in ('draft', 'pending_credit', 'confirmed', 'partially_shipped', 'shipped', 'completed', 'cancelled')),
	CONSTRAINT "sales_orders_channel_check" CHECK ("sales_orders"."channel" in ('direct', 'store', 'online', 'partner')),
	CONSTRAINT "sales_orders_money_check" CHECK ("sales_orders"."total" >= 0 and "sales_orders"."tax" >= 0 and "sales_orders"."invoiced_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "shipment_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"shipment_id" uuid NOT NULL,
	"order_line_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	"batch_no" text,
	"serial_nos" text[] DEFAULT '{}'::text[] NOT NULL,
	CONSTRAINT "shipment_lines_quantity_check" CHECK ("shipment_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "shipments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"order_id" uuid NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"carrier" text,
	"tracking_no" text,
	"amount" bigint DEFAULT 0 NOT NULL,
	"idempotency_key" text,
	"request_hash" text,
	"posted_at" timestamp with time zone,
	"posted_by" uuid,
	"delivered_at" timestamp with time zone,
	"signed_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "shipments_state_check" CHECK ("shipments"."state" in ('draft', 'posted', 'delivered'))
);
--> statement-breakpoint
ALTER TABLE "credit_note_lines" ADD CONSTRAINT "credit_note_lines_credit_note_id_credit_notes_id_fk" FOREIGN KEY ("credit_note_id") REFERENCES "public"."credit_notes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_note_lines" ADD CONSTRAINT "credit_note_lines_invoice_line_id_invoice_lines_id_fk" FOREIGN KEY ("invoice_line_id") REFERENCES "public"."invoice_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_notes" ADD CONSTRAINT "collection_notes_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_notes" ADD CONSTRAINT "collection_notes_task_id_collection_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."collection_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_notes" ADD CONSTRAINT "collection_notes_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_notes" ADD CONSTRAINT "collection_notes_installment_id_contract_installments_id_fk" FOREIGN KEY ("installment_id") REFERENCES "public"."contract_installments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_tasks" ADD CONSTRAINT "collection_tasks_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_tasks" ADD CONSTRAINT "collection_tasks_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_tasks" ADD CONSTRAINT "collection_tasks_installment_id_contract_installments_id_fk" FOREIGN KEY ("installment_id") REFERENCES "public"."contract_installments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_installment_id_contract_installments_id_fk" FOREIGN KEY ("installment_id") REFERENCES "public"."contract_installments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_return_lines" ADD CONSTRAINT "sales_return_lines_return_id_sales_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."sales_returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_return_lines" ADD CONSTRAINT "sales_return_lines_order_line_id_sales_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."sales_order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_return_lines" ADD CONSTRAINT "sales_return_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_returns" ADD CONSTRAINT "sales_returns_order_id_sales_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."sales_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_returns" ADD CONSTRAINT "sales_returns_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_returns" ADD CONSTRAINT "sales_returns_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_requests" ADD CONSTRAINT "production_requests_order_id_sales_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."sales_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_requests" ADD CONSTRAINT "production_requests_order_line_id_sales_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."sales_order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_requests" ADD CONSTRAINT "production_requests_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_requests" ADD CONSTRAINT "production_requests_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_order_lines" ADD CONSTRAINT "sales_order_lines_order_id_sales_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."sales_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_order_lines" ADD CONSTRAINT "sales_order_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_order_lines" ADD CONSTRAINT "sales_order_lines_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_orders" ADD CONSTRAINT "sales_orders_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_lines" ADD CONSTRAINT "shipment_lines_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_lines" ADD CONSTRAINT "shipment_lines_order_line_id_sales_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."sales_order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_lines" ADD CONSTRAINT "shipment_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_order_id_sales_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."sales_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credit_note_lines_note_idx" ON "credit_note_lines" USING btree ("credit_note_id");--> statement-breakpoint
CREATE INDEX "credit_note_lines_invoice_line_idx" ON "credit_note_lines" USING btree ("invoice_line_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_notes_number_idx" ON "credit_notes" USING btree ("number");--> statement-breakpoint
CREATE INDEX "credit_notes_invoice_idx" ON "credit_notes" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "credit_notes_customer_idx" ON "credit_notes" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_lines_seq_idx" ON "invoice_lines" USING btree ("invoice_id","seq");--> statement-breakpoint
CREATE INDEX "invoice_lines_source_idx" ON "invoice_lines" USING btree ("source_type","source_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_number_idx" ON "invoices" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_fapiao_number_idx" ON "invoices" USING btree ("fapiao_number") WHERE "invoices"."fapiao_number" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_idempotency_idx" ON "invoices" USING btree ("idempotency_key") WHERE "invoices"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "invoices_customer_idx" ON "invoices" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "invoices_contract_idx" ON "invoices" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "invoices_order_idx" ON "invoices" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "invoices_owner_idx" ON "invoices" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "invoices_org_unit_idx" ON "invoices" USING btree ("org_unit_id","created_at");--> statement-breakpoint
CREATE INDEX "invoices_created_idx" ON "invoices" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "invoices_state_due_idx" ON "invoices" USING btree ("state","due_date");--> statement-breakpoint
CREATE INDEX "collection_notes_customer_idx" ON "collection_notes" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "collection_tasks_item_bucket_idx" ON "collection_tasks" USING btree ("item_id","bucket");--> statement-breakpoint
CREATE INDEX "collection_tasks_customer_idx" ON "collection_tasks" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "collection_tasks_assignee_idx" ON "collection_tasks" USING btree ("assignee_id","status");--> statement-breakpoint
CREATE INDEX "payment_allocations_payment_idx" ON "payment_allocations" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "payment_allocations_invoice_idx" ON "payment_allocations" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "payment_allocations_installment_idx" ON "payment_allocations" USING btree ("installment_id");--> statement-breakpoint
CREATE INDEX "payment_allocations_contract_idx" ON "payment_allocations" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "payment_allocations_customer_idx" ON "payment_allocations" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_number_idx" ON "payments" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_idempotency_idx" ON "payments" USING btree ("idempotency_key") WHERE "payments"."idempotency_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_reverses_idx" ON "payments" USING btree ("reverses_id") WHERE "payments"."reverses_id" is not null;--> statement-breakpoint
CREATE INDEX "payments_customer_idx" ON "payments" USING btree ("customer_id","received_date");--> statement-breakpoint
CREATE INDEX "payments_owner_idx" ON "payments" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "payments_org_unit_idx" ON "payments" USING btree ("org_unit_id","created_at");--> statement-breakpoint
CREATE INDEX "payments_created_idx" ON "payments" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "sales_return_lines_return_idx" ON "sales_return_lines" USING btree ("return_id");--> statement-breakpoint
CREATE INDEX "sales_return_lines_order_line_idx" ON "sales_return_lines" USING btree ("order_line_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_returns_number_idx" ON "sales_returns" USING btree ("number");--> statement-breakpoint
CREATE INDEX "sales_returns_created_idx" ON "sales_returns" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "sales_returns_order_idx" ON "sales_returns" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "sales_returns_owner_idx" ON "sales_returns" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "sales_returns_org_unit_idx" ON "sales_returns" USING btree ("org_unit_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "production_requests_number_idx" ON "production_requests" USING btree ("number");--> statement-breakpoint
CREATE INDEX "production_requests_status_idx" ON "production_requests" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "production_requests_order_idx" ON "production_requests" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_order_lines_seq_idx" ON "sales_order_lines" USING btree ("order_id","seq");--> statement-breakpoint
CREATE INDEX "sales_order_lines_product_idx" ON "sales_order_lines" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_orders_number_idx" ON "sales_orders" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_orders_idempotency_idx" ON "sales_orders" USING btree ("idempotency_key") WHERE "sales_orders"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "sales_orders_created_idx" ON "sales_orders" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "sales_orders_customer_idx" ON "sales_orders" USING btree ("customer_id","state");--> statement-breakpoint
CREATE INDEX "sales_orders_owner_idx" ON "sales_orders" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "sales_orders_org_unit_idx" ON "sales_orders" USING btree ("org_unit_id","created_at");--> statement-breakpoint
CREATE INDEX "sales_orders_contract_idx" ON "sales_orders" USING btree ("contract_id") WHERE "sales_orders"."contract_id" is not null;--> statement-breakpoint
CREATE INDEX "shipment_lines_shipment_idx" ON "shipment_lines" USING btree ("shipment_id");--> statement-breakpoint
CREATE INDEX "shipment_lines_order_line_idx" ON "shipment_lines" USING btree ("order_line_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shipments_number_idx" ON "shipments" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "shipments_idempotency_idx" ON "shipments" USING btree ("idempotency_key") WHERE "shipments"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "shipments_order_idx" ON "shipments" USING btree ("order_id","created_at");