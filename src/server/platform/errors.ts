import type { ErrorCode, ValidationMessageKey } from './i18n/messages.js';

export interface FieldError {
  path: string;
  /** A key of validationMessages, localised when the response is written. */
  message: ValidationMessageKey;
  params?: Record<string, unknown>;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  validation_failed: 400,
  bad_cursor: 400,
  bad_request: 400,
  password_policy: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_failed: 403,
  password_change_required: 403,
  account_disabled: 403,
  not_found: 404,
  route_not_found: 404,
  version_conflict: 409,
  invalid_state: 409,
  insufficient_stock: 409,
  insufficient_lot_stock: 409,
  stock_product_archived: 409,
  location_archived: 409,
  same_location: 400,
  serial_in_stock: 409,
  tracking_required: 400,
  tracking_not_used: 400,
  serial_quantity: 400,
  reservation_conflict: 409,
  reservation_closed: 409,
  reservation_exceeded: 409,
  movement_reversed: 409,
  movement_is_reversal: 409,
  category_in_use: 409,
  category_archived: 409,
  tracking_mode_locked: 409,
  product_archived: 409,
  price_list_archived: 409,
  price_rule_product_archived: 409,
  price_rule_exists: 409,
  approval_pending: 409,
  approval_no_approver: 409,
  approval_closed: 409,
  approval_step_decided: 409,
  approval_not_approver: 403,
  approval_not_submitter: 403,
  duplicate: 409,
  lead_closed: 409,
  lead_converted: 409,
  lead_duplicates: 409,
  pool_already_claimed: 409,
  pool_not_owned: 409,
  pool_max_held: 409,
  pool_max_claims_per_day: 409,
  visit_plan_exists: 409,
  visit_plan_not_owner: 403,
  visit_plan_done: 409,
  visit_plan_not_today: 409,
  visit_stop_checked_in: 409,
  visit_stop_not_checked_in: 409,
  calendar_range_too_long: 400,
  loyalty_insufficient_points: 409,
  loyalty_already_reversed: 409,
  account_review_exists: 409,
  account_review_manager_only: 403,
  possible_duplicate: 409,
  duplicate_credit_code: 409,
  merge_into_self: 400,
  customer_merged: 409,
  customer_not_merged: 409,
  complaint_wrong_state: 409,
  unit_wrong_state: 409,
  units_not_in_state: 409,
  unit_already_sold: 409,
  unit_reservation_key_used: 409,
  unit_reservation_mismatch: 409,
  duplicate_unit_number: 409,
  duplicate_vin: 409,
  duplicate_unit_project: 409,
  unit_project_archived: 409,
  location_has_stock: 409,
  receipt_wrong_state: 409,
  count_wrong_state: 409,
  count_incomplete: 409,
  setup_done: 409,
  org_unit_in_use: 409,
  role_in_use: 409,
  last_admin: 409,
  builtin_role: 409,
  delivery_already_sent: 409,
  payload_too_large: 413,
  import_file_too_large: 413,
  import_too_many_rows: 413,
  import_file_type: 415,
  import_unknown_entity: 404,
  import_rows_invalid: 422,
  unsupported_media_type: 415,
  file_required: 400,
  file_too_large: 413,
  file_type_not_allowed: 415,
  file_type_mismatch: 415,
  file_content_missing: 404,
  record_read_only: 403,
  account_locked: 423,
  rate_limited: 429,
  setup_required: 503,
  unavailable: 503,
};

/** An expected failure with a stable code; rendered as RFC 9457 problem+json. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, unknown> = {},
    readonly fieldErrors: FieldError[] = [],
    status?: number,
  ) {
    super(code);
    this.status = status ?? STATUS[code] ?? 400;
  }
}

export const notFound = () => new AppError('not_found');
export const versionConflict = () => new AppError('version_conflict');
export const invalidField = (path: string, message: ValidationMessageKey, params?: Record<string, unknown>) =>
  new AppError('validation_failed', {}, [{ path, message, ...(params ? { params } : {}) }]);
