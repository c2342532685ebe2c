/**
 * Starting, resuming, retrying and cancelling sendings, for every entry point: the desktop app and
 * browser mode run them in the background and push their progress; the command line awaits
 * `done` with its own stop signal (Ctrl-C). Several sendings of different profiles may run at
 * once; the history refuses a second one per profile, across processes.
 */
import type { ChannelRequest } from '../../preload/contract'
import { DEFAULT_RATE_LIMIT } from '../core/connectif/connectif-defaults'
import type { SendingOptions, SendingRecord } from '../core/history/history-types'
import { targetLabel } from '../core/profiles/profile-rules'
import { routingOf, type Profile, type Routing } from '../core/profiles/profile-types'
import {
  prepareSending,
  routingOfSending,
  runSending,
  SendingStop,
  type EngineDependencies,
} from '../core/sending/sending-engine'
import type { SendingEvent } from '../core/sending/sending-events'
import { NO_LOGGER } from '../core/logging/log-events'
import type { StoreSource } from '../core/store/store-source'
import { AppError } from './app-errors'
import { storeOpenerOf, type AppContext } from './app-context'

/**
 * The engine's dependencies for a profile; every secret is read now, so a missing one stops
 * before anything is written. `routing` is a recorded sending's (resume, retry); a new sending
 * routes as the profile does.
 */
export async function engineDependencies(
  context: AppContext,
  profile: Profile,
  rateLimit: number,
  routing: Routing = routingOf(profile),
): Promise<EngineDependencies> {
  const openStore = await storeOpenerOf(context, profile)
  const accounts = await context.secrets.accounts(profile, routing)
  return {
    history: context.history,
    openStore,
    connectif: (ref, { onWait, onSharing }) => {
      const account = accounts.get(ref.kind === 'main' ? '' : ref.target.id)
      if (!account)
        throw new AppError(
          'account_not_in_sending',
          ref.kind === 'main'
            ? `The profile "${profile.name}" keeps no main Connectif account.`
            : `The Connectif target ${targetLabel(ref.target)} is not part of this sending.`,
          ref.kind === 'main'
            ? { reason: 'main', profile: profile.name }
            : { reason: 'target', profile: profile.name, target: targetLabel(ref.target) },
        )
      return context.connectifFactory({
        account,
        requestsPerMinute: rateLimit,
        clock: context.clock,
        onWait,
        ...(onSharing === undefined ? {} : { onSharing }),
      })
    },
    clock: context.clock,
    pid: context.pid,
    ...(context.logger === NO_LOGGER ? {} : { logger: context.logger }),
    ...(context.concurrency === undefined ? {} : { concurrency: context.concurrency }),
  }
}

/** A sending launched: its record as it started, and its end. */
export interface LaunchedSending {
  readonly sending: SendingRecord
  /** Resolves to the sending as it ended (completed, failed, cancelled or interrupted). */
  readonly done: Promise<SendingRecord>
}

export interface LaunchOptions {
  /** Aborting it stops the sending like `cancel` would, with the signal's reason. */
  readonly signal?: AbortSignal
}

export interface NewSending {
  readonly profileId: number
  readonly from: string
  readonly to: string
  readonly stateIds: readonly number[]
  readonly mode: SendingRecord['mode']
  readonly options: Omit<SendingOptions, 'routing'>
  /** `manual` when absent. */
  readonly origin?: SendingRecord['origin']
}

interface Running {
  readonly controller: AbortController
  readonly done: Promise<SendingRecord | void>
}

export class SendingRunner {
  readonly #context: AppContext
  readonly #emit: (event: SendingEvent) => void
  readonly #running = new Map<number, Running>()
  #shuttingDown = false

  constructor(context: AppContext, emit: (event: SendingEvent) => void) {
    this.#context = context
    this.#emit = emit
  }

  /** Ids of the sendings running in this process now. */
  active(): number[] {
    return [...this.#running.keys()]
  }

  isRunning(sendingId: number): boolean {
    return this.#running.has(sendingId)
  }

  /** Stops every running sending as `interrupted` (resumable) and waits for them to be saved. */
  async shutdown(): Promise<void> {
    this.#shuttingDown = true
    const running = [...this.#running.values()]
    for (const sending of running) sending.controller.abort(new SendingStop('interrupted'))
    await Promise.all(running.map((sending) => sending.done))
  }

  async start(request: NewSending, options: LaunchOptions = {}): Promise<LaunchedSending> {
    this.#refuseWhenShuttingDown()
    const context = this.#context
    const profile = context.profiles.get(request.profileId)
    const deps = await engineDependencies(context, profile, request.options.rateLimit)
    const prepared = await prepareSending(deps, { ...request, profile })
    if (this.#shuttingDown) {
      // Closed while the store was being counted: record it as interrupted, to resume later.
      await prepared.store.close().catch(() => undefined)
      context.history.finishSending(prepared.sending.id, 'interrupted')
      this.#refuseWhenShuttingDown()
    }
    return this.#launch(prepared.sending, deps, options, prepared.store)
  }

  async resume(sendingId: number, options: LaunchOptions = {}): Promise<LaunchedSending> {
    this.#refuseWhenShuttingDown()
    const history = this.#context.history
    history.markInterrupted()
    const sending = history.getSending(sendingId)
    const profile = this.#profileOf(sending, 'resume it')
    const deps = await this.#engineOf(profile, sending)
    const reopened = history.prepareResume(sending.id, this.#context.pid)
    return this.#launch(reopened, deps, options)
  }

  async retryFailed(
    sendingId: number,
    options: LaunchOptions = {},
  ): Promise<LaunchedSending & { readonly retried: number }> {
    this.#refuseWhenShuttingDown()
    const history = this.#context.history
    history.markInterrupted()
    const sending = history.getSending(sendingId)
    const profile = this.#profileOf(sending, 'retry its failed orders')
    const nothing = () =>
      new AppError('nothing_to_retry', `Sending #${sending.id} has no failed orders to retry.`, {
        sending: String(sending.id),
      })
    if (sending.counts.failed === 0) throw nothing()
    const deps = await this.#engineOf(profile, sending)
    const retried = history.resetFailedToPending(sending.id, this.#context.pid)
    if (retried === 0) throw nothing()
    return { ...this.#launch(history.getSending(sending.id), deps, options), retried }
  }

  cancel(request: ChannelRequest<'sending:cancel'>): { sendingId: number } {
    const running = this.#running.get(request.sendingId)
    if (running) {
      running.controller.abort(new SendingStop('cancelled'))
      return { sendingId: request.sendingId }
    }
    const sending = this.#context.history.getSending(request.sendingId)
    const params = { sending: String(sending.id), state: sending.state }
    if (sending.state === 'running' || sending.state === 'queued')
      throw new AppError(
        'sending_not_running_here',
        `Sending #${sending.id} is running in another program (process ${sending.ownerPid ?? 'unknown'}): stop it there.`,
        { ...params, pid: String(sending.ownerPid ?? '') },
      )
    throw new AppError(
      'sending_not_running',
      `Sending #${sending.id} is not running: it is ${sending.state.replace(/_/g, ' ')}.`,
      params,
    )
  }

  #refuseWhenShuttingDown(): void {
    if (this.#shuttingDown)
      throw new AppError(
        'shutting_down',
        'Purchase Sender is closing: no sending can start now. Open it again to continue.',
      )
  }

  /** A recorded sending routes as it started, even if the profile changed since. */
  #engineOf(profile: Profile, sending: SendingRecord): Promise<EngineDependencies> {
    return engineDependencies(
      this.#context,
      profile,
      sending.options.rateLimit || DEFAULT_RATE_LIMIT,
      routingOfSending(sending),
    )
  }

  #profileOf(sending: SendingRecord, action: string): Profile {
    const params = { sending: String(sending.id), profile: sending.profileName }
    if (this.#running.has(sending.id))
      throw new AppError(
        'sending_in_progress',
        `Sending #${sending.id} is still running: wait for it to end before you ${action}.`,
        { ...params, reason: action.startsWith('resume') ? 'resume' : 'retry' },
      )
    if (sending.profileId === null)
      throw new AppError(
        'profile_removed',
        `Sending #${sending.id} belonged to the profile "${sending.profileName}", which was removed: add the profile again and start a new sending (orders already created are answered as already existing).`,
        params,
      )
    return this.#context.profiles.get(sending.profileId)
  }

  #launch(
    sending: SendingRecord,
    deps: EngineDependencies,
    options: LaunchOptions,
    store?: StoreSource,
  ): LaunchedSending {
    const controller = new AbortController()
    const external = options.signal
    const forward = () => controller.abort(external?.reason)
    if (external?.aborted) forward()
    else external?.addEventListener('abort', forward, { once: true })
    const done = runSending(
      deps,
      sending.id,
      { onEvent: (event) => this.#emit(event), signal: controller.signal },
      store,
    ).finally(() => {
      external?.removeEventListener('abort', forward)
      this.#running.delete(sending.id)
    })
    this.#running.set(sending.id, {
      controller,
      done: done.catch((error: unknown) =>
        this.#context.log(`Sending #${sending.id} stopped on an unexpected error`, error),
      ),
    })
    return { sending, done }
  }
}
