/**
 * Keys of the validation messages. Schemas carry these keys instead of prose so
 * that main's answer can be shown in the operator's language by the renderer.
 */
export const VALIDATION_KEYS = [
  'required',
  'too_long',
  'too_short',
  'invalid',
  'invalid_choice',
  'invalid_area_code',
  'invalid_time_zone',
  'invalid_host',
  'duplicate_area_code',
  'duplicate_device_name',
  'unknown_area',
  'area_has_devices',
  'duplicate_username',
  'weak_password',
  'invalid_username',
  'login_invalid',
  'login_locked',
  'login_inactive',
  'wrong_password',
  'cannot_demote_self',
  'device_in_maintenance',
  'device_shut_down',
  'case_already_open',
  'no_open_case',
  'request_pending',
  'request_not_pending',
  'request_not_approved',
  'state_changed',
  'admin_only',
  'grant_beyond_own',
  'areas_beyond_own',
  'target_beyond_own',
  'login_rate_limited',
  'prober_unavailable',
  'folder_missing',
  'folder_not_writable',
  'setup_done',
  'out_of_range',
  'timeout_not_below_interval',
  'hourly_below_minutes',
  'silence_below_three_heartbeats',
  'key_changed',
  'unknown_parent',
  'parent_is_self',
  'parent_other_area',
  'parent_cycle',
  'device_has_children',
  'invalid_url',
  'invalid_email',
  'alarm_already_acknowledged',
  'smtp_not_configured',
  'invalid_store_url',
  'invalid_fingerprint',
  'already_configured',
  'mode_from_command_line',
  'duplicate_host',
  'duplicate_in_file',
  'exists_different',
  'unknown_column',
  'missing_column',
  'file_too_large',
  'csv_malformed',
  'csv_has_errors',
  'url_other_host',
  'no_camera_key',
] as const;

/** Field name under which an error about the whole form, not one field, is reported. */
export const FORM_FIELD = '_';

export type ValidationKey = (typeof VALIDATION_KEYS)[number];

export interface FieldError {
  readonly key: ValidationKey;
  readonly params?: Readonly<Record<string, string | number>>;
}

export function isValidationKey(value: unknown): value is ValidationKey {
  return typeof value === 'string' && (VALIDATION_KEYS as readonly string[]).includes(value);
}
