/**
 * The codes the application layer (main/app: AppError, MissingSecretError, SecretStoreError) and
 * the history (HistoryError) answer the screens with, and for each `reason` they are thrown with
 * ('' for none) the params every such throw gives. A sentence said for a reason may use only
 * those; the general sentence of a code (said without a reason, or for one it has no sentence
 * of its own for) only those of every throw without a sentence of its own.
 *
 * Kept by hand from the throw sites (`new AppError(`, `new HistoryError(`, `new
 * SecretStoreError(`, MissingSecretParams); the HistoryError ones are also checked against real
 * throws in app-error-translations.test.ts.
 */
export const APP_ERROR_VARIANTS: Readonly<
  Record<string, Readonly<Record<string, readonly string[]>>>
> = {
  // MissingSecretError (main/app/profile-secrets.ts)
  secret_missing: {
    unset: ['secret', 'profile', 'variable', 'target', 'position'],
    empty: ['secret', 'profile', 'variable', 'target', 'position'],
    unnamed: ['secret', 'profile', 'variable', 'target', 'position'],
    not_saved: ['secret', 'profile', 'variable', 'target', 'position'],
    not_allowed: ['secret', 'profile', 'variable', 'target', 'position', 'prefix'],
  },
  // SecretDestinationError (main/app/secret-destinations.ts)
  secret_destination_changed: {
    typed: ['secret', 'profile', 'target'],
    environment: ['secret', 'profile', 'target'],
  },
  // A detail of invalid_profile in browser mode (profile-use-cases: refuseUnreadableVariables).
  env_prefix_required: { '': ['variable', 'prefix'] },
  // AppError (profile-use-cases: reason environment|storage), SecretStoreError (secret-store:
  // browser mode, reason environment with `variable`; main/shell: no params).
  secrets_unavailable: {
    '': [],
    environment: [],
    storage: ['secrets', 'detail'],
  },
  // SecretStoreError (main/shell): no params.
  secret_unreadable: { '': [] },
  // The details say what is wrong (profile rules, `unknown_target`).
  invalid_profile: { '': [] },
  invalid_url: {
    empty: [],
    not_address: ['input'],
    not_http: ['input'],
    credentials: [],
  },
  // The details are the broken rules.
  invalid_range: { '': [] },
  unknown_language: { '': ['language', 'languages'] },
  // AppError (by name, profile-use-cases), HistoryError (by id).
  profile_not_found: { '': ['name', 'profiles'], id: ['profileId'] },
  profile_exists: { '': ['profile'] },
  profile_removed: { '': ['sending', 'profile'] },
  target_removed: { '': ['target', 'profile', 'position'] },
  // HistoryError (start, remove, reopen, resume, retry); AppError (sending-runner: resume, retry).
  // `origin` is the running sending's: `_scheduled` is said when a schedule started it
  // (error-text.ts).
  sending_in_progress: {
    start: ['profile', 'running', 'state', 'since', 'pid', 'origin'],
    start_scheduled: ['profile', 'running', 'state', 'since', 'pid', 'origin'],
    remove: ['profile', 'running', 'state', 'since', 'pid', 'origin'],
    reopen: ['profile', 'sending', 'running', 'state', 'since', 'pid', 'origin'],
    resume: ['sending'],
    retry: ['sending'],
    // HistoryError (history-store: forgetCustomer): any sending running, of any profile.
    forget: ['running', 'state', 'since', 'pid', 'origin'],
  },
  sending_not_found: { '': ['sending'] },
  // AppError (sending-orders-use-cases: getSendingOrder).
  order_not_found: { '': ['sending', 'order'] },
  sending_not_resumable: {
    failed: ['sending', 'state', 'failed', 'workLeft'],
    done: ['sending', 'state', 'failed', 'workLeft'],
  },
  sending_not_running: { '': ['sending', 'state'] },
  sending_not_running_here: { '': ['sending', 'state', 'pid'] },
  nothing_to_retry: { '': ['sending'] },
  // AppError (sync-use-case: checkSyncRequest).
  sync_days_invalid: { '': ['days', 'min', 'max'] },
  sync_statuses_missing: { '': ['profile'] },
  report_empty: {
    no_orders: ['sending', 'all'],
    all_created: ['sending', 'all'],
  },
  // AppError (report-files: writeReportFile): `cause` is the system's code (ENOENT, EACCES…).
  report_write_failed: { '': ['path', 'cause'] },
  // AppError (report-files: saveReport): browser mode has no save dialog.
  report_save_unavailable: { '': [] },
  shutting_down: { '': [] },
  // The details are the broken rules.
  rules_violated: { '': [] },
  // ipc-registration and the browser-mode host; the details are the request's fields.
  invalid_request: { '': [] },
  database_newer_than_app: { '': ['database', 'version', 'supported'] },
  account_not_in_sending: { main: ['profile'], target: ['profile', 'target'] },
  internal: { '': [] },
  // AppError (app-settings: saveAppSettings): only the desktop app on Windows and macOS can.
  open_at_login_unavailable: { browser: ['reason'], platform: ['reason'] },
  // A detail of invalid_profile (a key given for a target the profile does not have).
  unknown_target: { '': ['id'] },
  // AppError (profile-transfer: a profiles file that cannot be imported; `reason` is always
  // there, with the parts of its sentence).
  profiles_file_invalid: {
    json: ['reason', 'detail'],
    format: ['reason', 'detail'],
    version: ['reason', 'version', 'supported'],
    profile: ['reason', 'position', 'profile'],
    duplicate: ['reason', 'profile', 'positions'],
  },
  // A detail of profiles_file_invalid: a malformed field of a profile of the file.
  profiles_file_field: { '': ['field', 'problem'] },
  profiles_import_exists: { '': ['profiles', 'count'] },
  profiles_file_unreadable: {
    too_large: ['reason', 'path', 'cause'],
    read: ['reason', 'path', 'cause'],
  },
  profiles_file_write_failed: { '': ['path', 'cause'] },
  profiles_file_dialog_unavailable: { '': [] },
  // AppError (privacy-use-cases).
  retention_days_invalid: { '': ['days', 'min', 'max'] },
  forget_email_invalid: { '': ['email'] },
  // AppError (diagnostics-use-cases: openLogFolder): browser mode opens no folder.
  not_available_in_browser: { '': ['path'] },
  log_unavailable: { '': [] },
  log_folder_open_failed: { '': ['path', 'reason'] },
}

/** The codes the brief names; every one must be said in both languages. */
export const APP_ERROR_CODES = Object.keys(APP_ERROR_VARIANTS)

/**
 * What a secret is called in a sentence (`{{secretName}}`): `errors.secretName_<secret>`, with
 * the params it uses; `_no_condition` for a target whose label is empty.
 */
export const SECRET_NAME_VARIANTS: Readonly<Record<string, readonly string[]>> = {
  secretName_dbPassword: [],
  secretName_webserviceKey: [],
  secretName_connectifKey: [],
  secretName_targetKey: ['position', 'target'],
  secretName_targetKey_no_condition: ['position'],
}

/** Params errorText says in the user's language from another param (see error-text.ts). */
export function withNamedParams(params: readonly string[]): string[] {
  return [
    ...params,
    ...(params.includes('secret') ? ['secretName'] : []),
    ...(params.includes('state') ? ['stateName'] : []),
  ]
}

/** Every key under `errors` these codes may be said with (the store's are `store_*`). */
export const APP_ERROR_KEYS: ReadonlySet<string> = new Set([
  ...Object.entries(APP_ERROR_VARIANTS).flatMap(([code, variants]) =>
    Object.keys(variants).map((reason) => (reason === '' ? code : `${code}_${reason}`)),
  ),
  ...APP_ERROR_CODES,
  ...Object.keys(SECRET_NAME_VARIANTS),
])
