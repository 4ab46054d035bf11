-- Payments, their allocations and return refunds are money records: append-only like the stock
-- ledger. The service never updates them (a payment's unapplied part is derived from its
-- allocations, a reversal is a new row pointing back with reverses_id, a refund is a new row), so
-- every UPDATE, DELETE and TRUNCATE is refused, not even the application may rewrite them.
CREATE FUNCTION money_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER payments_no_update_delete BEFORE UPDATE OR DELETE ON payments
  FOR EACH ROW EXECUTE FUNCTION money_records_append_only();
--> statement-breakpoint
CREATE TRIGGER payments_no_truncate BEFORE TRUNCATE ON payments
  FOR EACH STATEMENT EXECUTE FUNCTION money_records_append_only();
--> statement-breakpoint
CREATE TRIGGER payment_allocations_no_update_delete BEFORE UPDATE OR DELETE ON payment_allocations
  FOR EACH ROW EXECUTE FUNCTION money_records_append_only();
--> statement-breakpoint
CREATE TRIGGER payment_allocations_no_truncate BEFORE TRUNCATE ON payment_allocations
  FOR EACH STATEMENT EXECUTE FUNCTION money_records_append_only();
--> statement-breakpoint
CREATE TRIGGER sales_return_refunds_no_update_delete BEFORE UPDATE OR DELETE ON sales_return_refunds
  FOR EACH ROW EXECUTE FUNCTION money_records_append_only();
--> statement-breakpoint
CREATE TRIGGER sales_return_refunds_no_truncate BEFORE TRUNCATE ON sales_return_refunds
  FOR EACH STATEMENT EXECUTE FUNCTION money_records_append_only();
