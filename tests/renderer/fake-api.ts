/**
 * A fake of the API the screens talk to (`PurchaseSenderApi`, preload/contract.ts) for the
 * renderer's component tests: a plain object of async functions whose answers each test sets,
 * which records every request it receives and lets the test push sending events to whoever
 * subscribed. No mocking library, no main process. Not a test file itself.
 */
import type {
  AppErrorValue,
  AppInfo,
  ProfileView,
  PurchaseSenderApi,
  Result,
  SendingEvent,
  SendingView,
} from '../../preload/contract'

/** The request/response methods of the API (everything but the event subscription). */
export type ApiMethod = Exclude<keyof PurchaseSenderApi, 'onSendingEvent'>

/** The answers a test gives: any subset of the API's methods. */
export type FakeAnswers = Partial<Pick<PurchaseSenderApi, ApiMethod>>

export interface FakeApi extends PurchaseSenderApi {
  /** Every call received, in order. */
  readonly calls: readonly { readonly method: ApiMethod; readonly request: unknown }[]
  /** The requests one method received, in order. */
  requests<M extends ApiMethod>(method: M): Parameters<NonNullable<PurchaseSenderApi[M]>>[0][]
  /** Pushes a sending event to every listener, as main's push channel does. */
  emit(event: SendingEvent): void
  /** How many listeners are subscribed to sending events right now. */
  readonly listeners: number
}

export function ok<T>(data: T): Result<T> {
  return { ok: true, data }
}

export function failure(error: AppErrorValue): Result<never> {
  return { ok: false, error }
}

export function appInfo(overrides: Partial<AppInfo> = {}): AppInfo {
  return {
    version: '0.1.0',
    mode: 'browser',
    dataDirectory: null,
    interruptedAtStart: [],
    activeSendings: [],
    secretStorage: { ok: true },
    defaultRateLimit: 300,
    webserviceResources: ['orders', 'customers'],
    ...overrides,
  }
}

export function profileView(overrides: Partial<ProfileView> = {}): ProfileView {
  return {
    id: 1,
    name: 'Main store',
    source: {
      kind: 'database',
      host: '127.0.0.1',
      port: 3306,
      user: 'reader',
      database: 'prestashop',
      tablePrefix: 'ps_',
      ssl: false,
      passwordEnv: 'PURCHASE_SENDER_DB_PASSWORD',
    },
    connectif: {
      apiUrl: 'https://api.connectif.cloud',
      keyEnv: 'PURCHASE_SENDER_CONNECTIF_KEY',
      mainAccount: true,
      targets: [],
    },
    shopIds: [],
    languageIso: null,
    defaultStateIds: [],
    createdAt: '2025-06-01T10:00:00.000Z',
    updatedAt: '2025-06-01T10:00:00.000Z',
    secrets: {
      dbPassword: 'saved',
      webserviceKey: 'not-needed',
      connectifKey: 'saved',
      targetKeys: {},
    },
    schedule: null,
    ...overrides,
  }
}

export function sendingView(overrides: Partial<SendingView> = {}): SendingView {
  return {
    id: 1,
    profileId: 1,
    profileName: 'Main store',
    from: '2025-01-01',
    to: '2025-06-29',
    stateIds: [2],
    states: [],
    shopIds: [],
    mode: 'background',
    options: {
      triggerWorkflows: false,
      createContacts: true,
      createProducts: true,
      rateLimit: 300,
    },
    state: 'completed',
    expectedTotal: 0,
    counts: { total: 0, created: 0, alreadyExisted: 0, failed: 0, skipped: 0, pending: 0 },
    alreadySent: 0,
    origin: 'manual',
    createdAt: '2025-06-30T08:00:00.000Z',
    startedAt: '2025-06-30T08:00:01.000Z',
    finishedAt: null,
    fatalError: null,
    durationSeconds: 60,
    runningHere: false,
    canResume: false,
    canRetryFailed: false,
    blockedBy: null,
    hasReport: false,
    imports: [],
    reasons: [],
    created: { contacts: 0, products: 0 },
    ...overrides,
  }
}

/** What a method the test did not answer says: loud, so a forgotten answer is easy to see. */
function notAnswered(method: ApiMethod): Result<never> {
  return failure({
    code: 'not_faked',
    message: `The test gave no answer for ${method}.`,
  })
}

/** The defaults a screen needs to open: the app's info, no profiles, an empty history. */
const DEFAULTS: FakeAnswers = {
  appInfo: () => Promise.resolve(ok(appInfo())),
  listProfiles: () => Promise.resolve(ok([])),
  listHistory: () => Promise.resolve(ok([])),
  // The wizard's weekly chart: no orders in any week, unless the test says otherwise.
  weeklyCounts: (request) => Promise.resolve(ok({ from: request.from, to: request.to, weeks: [] })),
  // A sending's page: the sending asked for, with no orders recorded yet.
  getSending: (request) => Promise.resolve(ok(sendingView({ id: request.sendingId }))),
  listSendingOrders: () => Promise.resolve(ok({ rows: [], total: 0 })),
  getSendingOrder: (request) =>
    Promise.resolve(
      failure({
        code: 'order_not_found',
        message: `Order ${request.orderId} is not in sending #${request.sendingId}.`,
        params: { sending: String(request.sendingId), order: String(request.orderId) },
      }),
    ),
  sendingTimeline: () => Promise.resolve(ok({ bucketSeconds: 60, buckets: [] })),
  // The profiles page's Privacy section: payloads kept for ever, an empty history.
  getRetention: () => Promise.resolve(ok({ days: null, historyBytes: 0, lastRun: null })),
}

const METHODS: readonly ApiMethod[] = [
  'appInfo',
  'listProfiles',
  'saveProfile',
  'duplicateProfile',
  'deleteProfile',
  'testProfile',
  'lookupStore',
  'countOrders',
  'weeklyCounts',
  'sendingRules',
  'sendingSummary',
  'expectedSkips',
  'startSending',
  'cancelSending',
  'resumeSending',
  'retryFailed',
  'listHistory',
  'getSending',
  'listSendingOrders',
  'getSendingOrder',
  'sendingTimeline',
  'saveReport',
  'getSchedule',
  'saveSchedule',
  'appSettings',
  'saveAppSettings',
  'exportProfiles',
  'importProfiles',
  'saveProfilesFile',
  'openProfilesFile',
  'getRetention',
  'saveRetention',
  'forgetCustomer',
  'diagnostics',
  'openLogFolder',
]

/** A fake API answering with `answers` (else the defaults, else a `not_faked` error). */
export function fakeApi(answers: FakeAnswers = {}): FakeApi {
  const calls: { method: ApiMethod; request: unknown }[] = []
  const listeners = new Set<(event: SendingEvent) => void>()
  const methods: Record<string, (request?: unknown) => Promise<unknown>> = {}
  // `reportLink` only when answered: browser mode's client has it, the desktop bridge does not.
  const present: readonly ApiMethod[] = answers.reportLink ? [...METHODS, 'reportLink'] : METHODS
  for (const method of present) {
    const answer = (answers[method] ?? DEFAULTS[method]) as
      ((request?: unknown) => Promise<unknown>) | undefined
    methods[method] = (request?: unknown) => {
      calls.push({ method, request })
      return answer ? answer(request) : Promise.resolve(notAnswered(method))
    }
  }
  const api = {
    ...(methods as unknown as Pick<PurchaseSenderApi, ApiMethod>),
    calls,
    requests<M extends ApiMethod>(method: M) {
      return calls
        .filter((call) => call.method === method)
        .map((call) => call.request as Parameters<NonNullable<PurchaseSenderApi[M]>>[0])
    },
    onSendingEvent(listener: (event: SendingEvent) => void) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    emit(event: SendingEvent) {
      for (const listener of [...listeners]) listener(event)
    },
    get listeners() {
      return listeners.size
    },
  }
  return api
}
