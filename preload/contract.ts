/**
 * The one contract between the renderer and the main process (or the browser-mode host): channel
 * names, the zod schema of every request, the type of every response, and the push channel.
 *
 * Split by area in preload/contract/ (results, profile views, store views, sending views) and
 * re-exported here: this module stays the one place channels and schemas come from.
 *
 * Pure on purpose: it imports only zod and the pure profile model, so the preload bundles it, main validates with it and the
 * renderer can import it (types, and `createApi` in browser mode) without pulling Node or Electron.
 * Main validates every request with these schemas before a handler runs: the renderer is the
 * untrusted side. Shallow checks live here; the core re-validates in depth (profiles, date rules).
 */
import { z } from 'zod'
import {
  DEFAULT_CONNECTIF_URL,
  DEFAULT_RATE_LIMIT,
  MAX_RATE_LIMIT,
} from '../main/core/connectif/connectif-defaults'
import { REASON_PATTERN } from '../main/core/history/outcome-reasons'
import type { Result } from './contract/results'
import { profileDraftSchema, type ProfileView } from './contract/profile-views'
import type {
  ConnectionTest,
  OrderCountView,
  StoreLookup,
  WeeklyCountsView,
} from './contract/store-views'
import {
  appSettingsSaveSchema,
  scheduleSaveSchema,
  type AppSettingsView,
  type ScheduleView,
} from './contract/schedule-views'
import {
  profilesExportSchema,
  profilesImportSchema,
  type ProfilesExported,
  type ProfilesFileOpened,
  type ProfilesFileSaved,
  type ProfilesImported,
} from './contract/profile-file-views'
import {
  forgetSchema,
  retentionSaveSchema,
  type CustomerForgotten,
  type RetentionView,
} from './contract/privacy-views'
import type { DiagnosticsView, LogFolderOpened } from './contract/diagnostics-views'
import type {
  ExpectedSkipsView,
  ReportLink,
  ReportSaved,
  SendingEvent,
  SendingOrderDetail,
  SendingOrdersPage,
  SendingRulesView,
  SendingSummary,
  SendingTimeline,
  SendingView,
} from './contract/sending-views'

export { DEFAULT_CONNECTIF_URL, DEFAULT_RATE_LIMIT, MAX_RATE_LIMIT }
export type { ProfileFields, TargetFields } from '../main/core/profiles/profile-schema'
export * from './contract/results'
export * from './contract/profile-views'
export * from './contract/store-views'
export * from './contract/sending-views'
export * from './contract/schedule-views'
export * from './contract/profile-file-views'
export * from './contract/privacy-views'
export * from './contract/diagnostics-views'

// --- Shared shapes ----------------------------------------------------------------------------

const id = z.number().int().positive()
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a day as YYYY-MM-DD' })
const ids = z.array(id).max(10_000)

export interface AppInfo {
  readonly version: string
  readonly mode: 'electron' | 'browser'
  readonly dataDirectory: string | null
  /** Sendings found interrupted when the app started: offer to resume them. */
  readonly interruptedAtStart: readonly number[]
  readonly activeSendings: readonly number[]
  readonly secretStorage: { readonly ok: true } | { readonly ok: false; readonly reason: string }
  readonly defaultRateLimit: number
  /** Webservice resources a key needs View (GET) permission on, as the back office lists them. */
  readonly webserviceResources: readonly string[]
}

// --- Channels ---------------------------------------------------------------------------------

const empty = z.strictObject({})
const bySending = z.strictObject({ sendingId: id })
const orderResult = z.enum(['pending', 'created', 'already_exists', 'failed', 'skipped'])
const sendingDraft = {
  profileId: id,
  from: day,
  to: day,
  stateIds: ids.min(1, { message: 'choose at least one order status' }),
}

export const REQUEST_SCHEMAS = {
  'app:info': empty,
  'profiles:list': empty,
  'profiles:save': profileDraftSchema,
  'profiles:duplicate': z.strictObject({ id, name: z.string().max(200).optional() }),
  'profiles:delete': z.strictObject({ id }),
  /** The saved profile (`{ id }`), or an editor's draft before it is saved. */
  'profiles:test': z.union([z.strictObject({ id }), profileDraftSchema]),
  'store:lookup': z.strictObject({
    profileId: id,
    /** The language of the state names; the profile's (else the shop default) when absent. */
    languageIso: z.string().max(20).nullable().optional(),
  }),
  'store:count': z.strictObject({ profileId: id, from: day, to: day }),
  /** The range's orders per week and status (the wizard's chart). */
  'store:weekly-counts': z.strictObject({ profileId: id, from: day, to: day }),
  'sending:rules': z.strictObject({
    profileId: id,
    from: z.string().max(20).nullable().optional(),
    to: z.string().max(20).nullable().optional(),
    stateIds: ids.nullable().optional(),
  }),
  'sending:summary': z.strictObject({
    ...sendingDraft,
    rateLimit: z.number().int().min(1).max(MAX_RATE_LIMIT).default(DEFAULT_RATE_LIMIT),
    /** Also count the orders already sent to their account (a skip-sent sending leaves them out). */
    skipSent: z.boolean().default(false),
  }),
  /** The orders a sending would skip, by reason: reads and maps every order of the range. */
  'sending:expected-skips': z.strictObject(sendingDraft),
  'sending:start': z.strictObject({
    ...sendingDraft,
    mode: z.enum(['progress', 'background']),
    options: z
      .strictObject({
        triggerWorkflows: z.boolean().default(false),
        createContacts: z.boolean().default(true),
        createProducts: z.boolean().default(true),
        rateLimit: z.number().int().min(1).max(MAX_RATE_LIMIT).default(DEFAULT_RATE_LIMIT),
        /**
         * Leave out the orders already sent to their Connectif account. Off when absent, as
         * before it existed; the wizard sends it on unless the merchant unticks it.
         */
        skipSent: z.boolean().default(false),
      })
      .default({
        triggerWorkflows: false,
        createContacts: true,
        createProducts: true,
        rateLimit: DEFAULT_RATE_LIMIT,
        skipSent: false,
      }),
  }),
  'sending:cancel': bySending,
  'sending:resume': bySending,
  'sending:retry-failed': bySending,
  'history:list': z.strictObject({ profileId: id.nullable().optional() }),
  /** One sending, as `history:list` shows it. */
  'sending:get': bySending,
  /** A page of a sending's orders: filtered, searched and sorted in the history database. */
  'sending:orders': z.strictObject({
    sendingId: id,
    result: orderResult.nullable().optional(),
    /** With `result`: only the orders of this reason (SendingView's `reasons`). */
    reason: z.string().regex(REASON_PATTERN).nullable().optional(),
    /** All digits: that order id; otherwise part of the reference or e-mail (any case). */
    search: z.string().trim().max(255).nullable().optional(),
    page: z.number().int().min(0).default(0),
    pageSize: z.number().int().min(1).max(500).default(50),
    sort: z
      .strictObject({
        field: z.enum(['orderId', 'orderDate', 'sentAt', 'attempts']),
        direction: z.enum(['asc', 'desc']),
      })
      .optional(),
  }),
  'sending:order-detail': z.strictObject({ sendingId: id, orderId: id }),
  'sending:timeline': bySending,
  /**
   * The desktop app: asks where to save the report (a native dialog) and writes it there straight
   * from the history. Browser mode downloads it instead (`reportLink`).
   */
  'report:save': z.strictObject({
    sendingId: id,
    /** Every order, not only those not created. */
    all: z.boolean().default(false),
  }),
  /** A profile's automatic sending (the defaults when it has none). */
  'schedule:get': z.strictObject({ profileId: id }),
  'schedule:save': scheduleSaveSchema,
  'settings:get': empty,
  'settings:save': appSettingsSaveSchema,
  /** A profiles file of the profiles (every one when `ids` is empty), for browser mode to download. */
  'profiles:export': profilesExportSchema,
  /** Browser mode: imports the profiles of a file's text, all or none. */
  'profiles:import': profilesImportSchema,
  /** The desktop app: asks where to save the profiles file (a native dialog) and writes it. */
  'profiles:export-save': profilesExportSchema,
  /** The desktop app: asks which profiles file to import (a native dialog) and imports it. */
  'profiles:import-open': empty,
  /** How many days the payloads and answers of finished sendings are kept, and the last run. */
  'retention:get': empty,
  'retention:save': retentionSaveSchema,
  /** Erases a customer from the history at their request. */
  'customer:forget': forgetSchema,
  /** Help and diagnostics: versions, the history's size, the log and its last problems. */
  'diagnostics:get': empty,
  /** The desktop app opens the log's folder; browser mode answers `not_available_in_browser`. */
  'diagnostics:open-log-folder': empty,
} as const

export type ChannelName = keyof typeof REQUEST_SCHEMAS

export const CHANNELS = Object.keys(REQUEST_SCHEMAS) as ChannelName[]

/** What the caller sends (defaults may be left out). */
export type ChannelRequestInput<C extends ChannelName> = z.input<(typeof REQUEST_SCHEMAS)[C]>
/** What a handler receives, validated and with defaults filled in. */
export type ChannelRequest<C extends ChannelName> = z.output<(typeof REQUEST_SCHEMAS)[C]>

export interface ChannelResponses {
  'app:info': AppInfo
  'profiles:list': readonly ProfileView[]
  'profiles:save': ProfileView
  'profiles:duplicate': ProfileView
  'profiles:delete': { readonly deleted: number }
  'profiles:test': ConnectionTest
  'store:lookup': StoreLookup
  'store:count': OrderCountView
  'store:weekly-counts': WeeklyCountsView
  'sending:rules': SendingRulesView
  'sending:summary': SendingSummary
  'sending:expected-skips': ExpectedSkipsView
  'sending:start': { readonly sendingId: number; readonly expectedTotal: number }
  'sending:cancel': { readonly sendingId: number }
  'sending:resume': { readonly sendingId: number }
  'sending:retry-failed': { readonly sendingId: number; readonly retried: number }
  'history:list': readonly SendingView[]
  'sending:get': SendingView
  'sending:orders': SendingOrdersPage
  'sending:order-detail': SendingOrderDetail
  'sending:timeline': SendingTimeline
  'report:save': ReportSaved
  'schedule:get': ScheduleView
  'schedule:save': ScheduleView
  'settings:get': AppSettingsView
  'settings:save': AppSettingsView
  'profiles:export': ProfilesExported
  'profiles:import': ProfilesImported
  'profiles:export-save': ProfilesFileSaved
  'profiles:import-open': ProfilesFileOpened
  'retention:get': RetentionView
  'retention:save': RetentionView
  'customer:forget': CustomerForgotten
  'diagnostics:get': DiagnosticsView
  'diagnostics:open-log-folder': LogFolderOpened
}

export type ChannelResponse<C extends ChannelName> = ChannelResponses[C]

export function isChannelName(value: string): value is ChannelName {
  return Object.prototype.hasOwnProperty.call(REQUEST_SCHEMAS, value)
}

// --- The API the preload exposes and the browser client implements ---------------------------

type Call<C extends ChannelName> = (
  request: ChannelRequestInput<C>,
) => Promise<Result<ChannelResponse<C>>>
type NoArgCall<C extends ChannelName> = () => Promise<Result<ChannelResponse<C>>>

export interface PurchaseSenderApi {
  appInfo: NoArgCall<'app:info'>
  listProfiles: NoArgCall<'profiles:list'>
  saveProfile: Call<'profiles:save'>
  duplicateProfile: Call<'profiles:duplicate'>
  deleteProfile: Call<'profiles:delete'>
  testProfile: Call<'profiles:test'>
  lookupStore: Call<'store:lookup'>
  countOrders: Call<'store:count'>
  weeklyCounts: Call<'store:weekly-counts'>
  sendingRules: Call<'sending:rules'>
  sendingSummary: Call<'sending:summary'>
  expectedSkips: Call<'sending:expected-skips'>
  startSending: Call<'sending:start'>
  cancelSending: Call<'sending:cancel'>
  resumeSending: Call<'sending:resume'>
  retryFailed: Call<'sending:retry-failed'>
  listHistory: Call<'history:list'>
  getSending: Call<'sending:get'>
  listSendingOrders: Call<'sending:orders'>
  getSendingOrder: Call<'sending:order-detail'>
  sendingTimeline: Call<'sending:timeline'>
  saveReport: Call<'report:save'>
  /**
   * Browser mode only, outside the channels (the web host's `POST /api/reports/link`): a one-use
   * address the browser downloads the report from, streamed. Absent in the desktop app.
   */
  reportLink?: (request: {
    readonly sendingId: number
    readonly all?: boolean
  }) => Promise<Result<ReportLink>>
  getSchedule: Call<'schedule:get'>
  saveSchedule: Call<'schedule:save'>
  appSettings: NoArgCall<'settings:get'>
  saveAppSettings: Call<'settings:save'>
  exportProfiles: Call<'profiles:export'>
  importProfiles: Call<'profiles:import'>
  saveProfilesFile: Call<'profiles:export-save'>
  openProfilesFile: NoArgCall<'profiles:import-open'>
  getRetention: NoArgCall<'retention:get'>
  saveRetention: Call<'retention:save'>
  forgetCustomer: Call<'customer:forget'>
  diagnostics: NoArgCall<'diagnostics:get'>
  openLogFolder: NoArgCall<'diagnostics:open-log-folder'>
  /** Progress of every sending; returns the function that stops listening. */
  onSendingEvent(listener: (event: SendingEvent) => void): () => void
}

/** Which API method calls which channel. */
export const API_METHODS = {
  appInfo: 'app:info',
  listProfiles: 'profiles:list',
  saveProfile: 'profiles:save',
  duplicateProfile: 'profiles:duplicate',
  deleteProfile: 'profiles:delete',
  testProfile: 'profiles:test',
  lookupStore: 'store:lookup',
  countOrders: 'store:count',
  weeklyCounts: 'store:weekly-counts',
  sendingRules: 'sending:rules',
  sendingSummary: 'sending:summary',
  expectedSkips: 'sending:expected-skips',
  startSending: 'sending:start',
  cancelSending: 'sending:cancel',
  resumeSending: 'sending:resume',
  retryFailed: 'sending:retry-failed',
  listHistory: 'history:list',
  getSending: 'sending:get',
  listSendingOrders: 'sending:orders',
  getSendingOrder: 'sending:order-detail',
  sendingTimeline: 'sending:timeline',
  saveReport: 'report:save',
  getSchedule: 'schedule:get',
  saveSchedule: 'schedule:save',
  appSettings: 'settings:get',
  saveAppSettings: 'settings:save',
  exportProfiles: 'profiles:export',
  importProfiles: 'profiles:import',
  saveProfilesFile: 'profiles:export-save',
  openProfilesFile: 'profiles:import-open',
  getRetention: 'retention:get',
  saveRetention: 'retention:save',
  forgetCustomer: 'customer:forget',
  diagnostics: 'diagnostics:get',
  openLogFolder: 'diagnostics:open-log-folder',
} as const satisfies Record<
  Exclude<keyof PurchaseSenderApi, 'onSendingEvent' | 'reportLink'>,
  ChannelName
>

/**
 * Builds the API over any transport: `ipcRenderer.invoke` in the preload, `fetch` in browser mode.
 * `invoke` must resolve to a Result (never reject); no-argument methods send `{}`.
 */
export function createApi(
  invoke: (channel: ChannelName, request: unknown) => Promise<Result<unknown>>,
  subscribe: (listener: (event: SendingEvent) => void) => () => void,
): PurchaseSenderApi {
  const methods: Record<string, unknown> = {}
  for (const [method, channel] of Object.entries(API_METHODS))
    methods[method] = (request?: unknown) => invoke(channel, request ?? {})
  return { ...methods, onSendingEvent: subscribe } as unknown as PurchaseSenderApi
}

/** Browser mode: the token travels in this header; only the page and `GET /api/events` (EventSource sets no header) take it as `?token=`. */
export const TOKEN_HEADER = 'x-purchase-sender-token'
