/**
 * The one contract between the renderer and the main process (or the browser-mode host): channel
 * names, the zod schema of every request, the type of every response, and the push channel.
 *
 * Pure on purpose: it imports only zod, so the preload bundles it, main validates with it and the
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
import { TARGET_ID_PATTERN } from '../main/core/profiles/profile-rules'
import { profileFieldsSchema } from '../main/core/profiles/profile-schema'

export { DEFAULT_CONNECTIF_URL, DEFAULT_RATE_LIMIT, MAX_RATE_LIMIT }
export type { ProfileFields, TargetFields } from '../main/core/profiles/profile-schema'

// --- Results: errors cross as values ----------------------------------------------------------

/** One precise problem behind an error: a broken date rule, a profile field, a request field. */
export interface ErrorDetail {
  readonly field?: string
  readonly code: string
  readonly message: string
  readonly params?: Readonly<Record<string, string>>
}

export interface AppErrorValue {
  /** For programs: which hint or screen to show (`store_access_denied`, `invalid_request`…). */
  readonly code: string
  /** For people, in English (logs, the command line): what went wrong and what to do. */
  readonly message: string
  /** The variable parts of the message, for the screens to say it in the user's language. */
  readonly params?: Readonly<Record<string, string>>
  readonly details?: readonly ErrorDetail[]
}

export type Result<T> =
  { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: AppErrorValue }

// --- Shared shapes ----------------------------------------------------------------------------

const id = z.number().int().positive()
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a day as YYYY-MM-DD' })
const ids = z.array(id).max(10_000)

/** How a saved secret is shown: never its value. */
export type SecretStatus = 'saved' | 'missing'

/** The API key of a profile's Connectif routing target, kept per profile and target id. */
export type TargetSecretName = `connectifTarget:${string}`

export type SecretName = 'dbPassword' | 'webserviceKey' | 'connectifKey' | TargetSecretName

export function targetSecretName(targetId: string): TargetSecretName {
  return `connectifTarget:${targetId}`
}

/** The target id of a target's secret name; null for the other secrets. */
export function targetIdOfSecret(name: SecretName): string | null {
  return name.startsWith('connectifTarget:') ? name.slice('connectifTarget:'.length) : null
}

const targetId = z.string().regex(TARGET_ID_PATTERN, {
  message: 'must be lower-case letters, digits and "-" (at most 64)',
})

/** Write-only: a new value, keep what is saved, or remove it. */
export const secretChangeSchema = z.union([
  z.strictObject({ set: z.string().min(1, { message: 'must not be empty' }).max(4096) }),
  z.strictObject({ keep: z.literal(true) }),
  z.strictObject({ clear: z.literal(true) }),
])
export type SecretChange = z.input<typeof secretChangeSchema>

export const secretChangesSchema = z.strictObject({
  dbPassword: secretChangeSchema.optional(),
  /** The PrestaShop Webservice key, kept like the database password. */
  webserviceKey: secretChangeSchema.optional(),
  connectifKey: secretChangeSchema.optional(),
  /** The API keys of the routing targets, by target id (each must be a target of the profile). */
  targetKeys: z.record(targetId, secretChangeSchema).optional(),
})

export const profileDraftSchema = z.strictObject({
  /** Null for a profile not saved yet. */
  id: id.nullable(),
  profile: profileFieldsSchema,
  secrets: secretChangesSchema.default({}),
})
export type ProfileDraft = z.input<typeof profileDraftSchema>

export type SourceView =
  | {
      readonly kind: 'database'
      readonly host: string
      readonly port: number
      readonly user: string
      readonly database: string
      readonly tablePrefix: string
      readonly ssl: boolean
      readonly passwordEnv: string | null
    }
  | { readonly kind: 'webservice'; readonly url: string; readonly keyEnv: string | null }

/** A routing target as the renderer sees it (its key's state is in `ProfileView.secrets`). */
export interface ConnectifTargetView {
  readonly id: string
  /** How progress, history and reports name it, e.g. `lang=es,currency=EUR`. */
  readonly label: string
  readonly apiUrl: string
  readonly keyEnv: string | null
  readonly languages: readonly string[]
  readonly currencies: readonly string[]
  readonly shopIds: readonly number[]
}

/** A profile as the renderer sees it: settings and the state of its secrets, never a secret. */
export interface ProfileView {
  readonly id: number
  readonly name: string
  readonly source: SourceView
  readonly connectif: {
    readonly apiUrl: string
    readonly keyEnv: string | null
    /** Orders no target serves go to the main account (else they are skipped). */
    readonly mainAccount: boolean
    readonly targets: readonly ConnectifTargetView[]
  }
  readonly shopIds: readonly number[]
  readonly languageIso: string | null
  readonly defaultStateIds: readonly number[]
  readonly createdAt: string
  readonly updatedAt: string
  readonly secrets: {
    /** `not-needed` for a source without a database password (Webservice). */
    readonly dbPassword: SecretStatus | 'not-needed'
    /** `not-needed` for a source without a Webservice key (database). */
    readonly webserviceKey: SecretStatus | 'not-needed'
    /** `not-needed` when the profile keeps no main account (its targets serve every order sent). */
    readonly connectifKey: SecretStatus | 'not-needed'
    /** The API key of each routing target, by target id. */
    readonly targetKeys: Readonly<Record<string, SecretStatus>>
  }
}

export interface ShopView {
  readonly id: number
  readonly name: string
  readonly timezone: string
  readonly active: boolean
}

export interface LanguageView {
  readonly id: number
  readonly isoCode: string
  readonly name: string
  readonly active: boolean
}

export interface CurrencyView {
  readonly id: number
  readonly isoCode: string
  readonly name: string
  readonly active: boolean
}

export interface OrderStateView {
  readonly id: number
  readonly name: string
  readonly color: string
  readonly paid: boolean
  readonly shipped: boolean
  readonly hidden: boolean
  readonly deleted: boolean
}

/** Something the merchant should know about a store connection that works. */
export interface StoreNoticeView {
  /** `insecure_http`, `key_in_url` or `dispatcher_url` (more may come). */
  readonly code: string
  readonly message: string
}

/** A store connection check: what the store is, or why it cannot be read. */
export type StoreCheck =
  | {
      readonly ok: true
      readonly message: string
      readonly version: string
      readonly shops: readonly ShopView[]
      readonly languages: readonly LanguageView[]
      readonly currencies: readonly CurrencyView[]
      /** Shown as warnings beside the success (an http:// address, the key sent in the URL…). */
      readonly notices: readonly StoreNoticeView[]
    }
  | {
      readonly ok: false
      /** The error's code (`store_access_denied`, `secret_missing`…) and its parameters. */
      readonly code: string
      readonly message: string
      readonly params?: Readonly<Record<string, string>>
    }

/** What a Connectif key check came to. */
export type ConnectifProblem =
  'ok' | 'bad_key' | 'no_permission' | 'unreachable' | 'unexpected' | 'missing_key'

/** The check of one Connectif account of a profile: its main account or a routing target. */
export interface AccountCheck {
  /** `main`, or the target's label (`lang=es,currency=EUR`), as progress and reports name it. */
  readonly account: string
  /** The routing target's id; null for the main account. */
  readonly targetId: string | null
  readonly apiUrl: string
  /** The environment variable naming the key (browser mode and the command line), if any. */
  readonly keyEnv: string | null
  readonly ok: boolean
  readonly problem: ConnectifProblem
  readonly message: string
  /** For `missing_key`: the parameters of the missing-secret error. */
  readonly params?: Readonly<Record<string, string>>
}

/**
 * A profile's connection check, the same for the screens and the command line's JSON: the store,
 * every Connectif account in the profile's order (main first), and `connectif`, which is the one
 * account's check for a profile without targets and sums up every account otherwise.
 */
export interface ConnectionTest {
  readonly store: StoreCheck
  readonly connectif: {
    readonly ok: boolean
    readonly message: string
    readonly problem?: ConnectifProblem
  }
  readonly accounts: readonly AccountCheck[]
}

export interface StoreLookup {
  readonly version: string
  readonly defaultShopId: number
  /** The default shop's time zone: the one the date rules use. */
  readonly timezone: string
  readonly shops: readonly ShopView[]
  readonly languages: readonly LanguageView[]
  readonly currencies: readonly CurrencyView[]
  /** The language the state names are in. */
  readonly languageId: number
  readonly states: readonly OrderStateView[]
}

export interface OrderCountView {
  readonly from: string
  readonly to: string
  readonly total: number
  /** Orders per state id (as a string key: JSON objects have string keys). */
  readonly byState: Readonly<Record<string, number>>
  readonly byShop: Readonly<Record<string, number>>
}

export interface RuleViolationView {
  readonly field: 'from' | 'to' | 'stateIds' | 'targets'
  readonly code: string
  readonly message: string
  readonly params: Readonly<Record<string, string>>
}

export interface SendingRulesView {
  readonly timezone: string
  /** Today in the shop's zone, YYYY-MM-DD: the latest day a range may end on. */
  readonly today: string
  readonly earliestStart: string
  /** The last end allowed for the `from` asked about; null when none was given (or invalid). */
  readonly latestEnd: string | null
  /** Rules the draft breaks; empty when it may be sent (or no draft was given). */
  readonly violations: readonly RuleViolationView[]
}

export interface SendingSummary {
  readonly from: string
  readonly to: string
  readonly stateIds: readonly number[]
  readonly ordersToSend: number
  readonly byState: Readonly<Record<string, number>>
  readonly rateLimit: number
  /** ordersToSend ÷ rateLimit: about one request per order. */
  readonly estimatedMinutes: number
  /**
   * Profiles with routing targets: how the orders split across the accounts, most first. `target`
   * is a target's label, `main`, or '' for orders no account serves (they will be skipped).
   * Null when every order goes to the one Connectif account.
   */
  readonly byTarget: readonly TargetOrders[] | null
}

export interface TargetOrders {
  readonly target: string
  readonly orders: number
}

/** The counts of one Connectif account of a routed sending (`main`, a target's label, or ''). */
export interface TargetCountsView {
  readonly target: string
  readonly counts: SendingCountsView
}

export type SendingStateView =
  | 'queued'
  | 'running'
  | 'completed'
  | 'completed_with_errors'
  | 'failed'
  | 'cancelled'
  | 'interrupted'

export interface SendingCountsView {
  readonly total: number
  readonly created: number
  readonly alreadyExisted: number
  readonly failed: number
  readonly skipped: number
  readonly pending: number
}

export interface SendingOptionsView {
  readonly triggerWorkflows: boolean
  readonly createContacts: boolean
  readonly createProducts: boolean
  readonly rateLimit: number
}

export interface SendingView {
  readonly id: number
  readonly profileId: number | null
  readonly profileName: string
  readonly from: string
  readonly to: string
  readonly stateIds: readonly number[]
  readonly shopIds: readonly number[]
  readonly mode: 'progress' | 'background' | 'cli'
  readonly options: SendingOptionsView
  readonly state: SendingStateView
  readonly expectedTotal: number
  readonly counts: SendingCountsView
  readonly createdAt: string
  readonly startedAt: string | null
  readonly finishedAt: string | null
  /** Up to now while it runs. */
  readonly durationSeconds: number | null
  readonly fatalError: { readonly code: string; readonly message: string } | null
  /** Running in this app right now (so it can be cancelled here). */
  readonly runningHere: boolean
  readonly canResume: boolean
  readonly canRetryFailed: boolean
  /** Some orders were not created: the report has rows. */
  readonly hasReport: boolean
  /** Routed sendings only: the counts per Connectif account. */
  readonly byTarget?: readonly TargetCountsView[]
}

export interface ReportExport {
  readonly fileName: string
  readonly rows: number
  /** UTF-8 CSV (with BOM, CRLF), ready to save as `fileName`. */
  readonly csv: string
}

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

// --- Push channel -----------------------------------------------------------------------------

export interface ConnectifWaitView {
  readonly reason: 'rate-limit' | 'retry'
  readonly until: number
}

/** Structurally identical to main/core/sending/sending-events.ts (checked in main/app). */
export type SendingEvent =
  | { readonly type: 'started'; readonly sendingId: number; readonly expectedTotal: number }
  | {
      readonly type: 'progress'
      readonly sendingId: number
      readonly expectedTotal: number
      readonly counts: SendingCountsView
      readonly perMinute: number
      readonly etaSeconds: number | null
      readonly waiting: ConnectifWaitView | null
      /** Routed sendings only: the counts per Connectif account. */
      readonly byTarget?: readonly TargetCountsView[]
    }
  | {
      readonly type: 'finished'
      readonly sendingId: number
      readonly state: SendingStateView
      readonly counts: SendingCountsView
      readonly fatalError: { readonly code: string; readonly message: string } | null
      readonly byTarget?: readonly TargetCountsView[]
    }

export const SENDING_EVENT_CHANNEL = 'sending:event'

// --- Channels ---------------------------------------------------------------------------------

const empty = z.strictObject({})
const bySending = z.strictObject({ sendingId: id })
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
  'sending:rules': z.strictObject({
    profileId: id,
    from: z.string().max(20).nullable().optional(),
    to: z.string().max(20).nullable().optional(),
    stateIds: ids.nullable().optional(),
  }),
  'sending:summary': z.strictObject({
    ...sendingDraft,
    rateLimit: z.number().int().min(1).max(MAX_RATE_LIMIT).default(DEFAULT_RATE_LIMIT),
  }),
  'sending:start': z.strictObject({
    ...sendingDraft,
    mode: z.enum(['progress', 'background']),
    options: z
      .strictObject({
        triggerWorkflows: z.boolean().default(false),
        createContacts: z.boolean().default(true),
        createProducts: z.boolean().default(true),
        rateLimit: z.number().int().min(1).max(MAX_RATE_LIMIT).default(DEFAULT_RATE_LIMIT),
      })
      .default({
        triggerWorkflows: false,
        createContacts: true,
        createProducts: true,
        rateLimit: DEFAULT_RATE_LIMIT,
      }),
  }),
  'sending:cancel': bySending,
  'sending:resume': bySending,
  'sending:retry-failed': bySending,
  'history:list': z.strictObject({ profileId: id.nullable().optional() }),
  'report:export': z.strictObject({
    sendingId: id,
    /** Every order, not only those not created. */
    all: z.boolean().default(false),
  }),
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
  'sending:rules': SendingRulesView
  'sending:summary': SendingSummary
  'sending:start': { readonly sendingId: number; readonly expectedTotal: number }
  'sending:cancel': { readonly sendingId: number }
  'sending:resume': { readonly sendingId: number }
  'sending:retry-failed': { readonly sendingId: number; readonly retried: number }
  'history:list': readonly SendingView[]
  'report:export': ReportExport
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
  sendingRules: Call<'sending:rules'>
  sendingSummary: Call<'sending:summary'>
  startSending: Call<'sending:start'>
  cancelSending: Call<'sending:cancel'>
  resumeSending: Call<'sending:resume'>
  retryFailed: Call<'sending:retry-failed'>
  listHistory: Call<'history:list'>
  exportReport: Call<'report:export'>
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
  sendingRules: 'sending:rules',
  sendingSummary: 'sending:summary',
  startSending: 'sending:start',
  cancelSending: 'sending:cancel',
  resumeSending: 'sending:resume',
  retryFailed: 'sending:retry-failed',
  listHistory: 'history:list',
  exportReport: 'report:export',
} as const satisfies Record<Exclude<keyof PurchaseSenderApi, 'onSendingEvent'>, ChannelName>

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

/** Browser mode: the token travels in this header (or `?token=` for the page and EventSource). */
export const TOKEN_HEADER = 'x-purchase-sender-token'
