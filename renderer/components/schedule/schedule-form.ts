/**
 * The schedule dialog's form: its values (text as typed), how they are checked (zod, with the
 * contract's bounds and the sentences in the UI's language) and the request they become. Main
 * checks the request again with the contract's schema, and what only it knows (the profile's
 * default statuses at save time, the shop's time zone).
 */
import { zodResolver } from '@hookform/resolvers/zod'
import type { TFunction } from 'i18next'
import type { Resolver } from 'react-hook-form'
import { z } from 'zod'
import {
  DAILY_TIME_PATTERN,
  SCHEDULE_DAYS,
  SCHEDULE_HOURS,
  type ScheduleSettingsInput,
  type ScheduleView,
} from '../../../preload/contract'

export interface ScheduleFormValues {
  readonly enabled: boolean
  readonly kind: 'every' | 'daily'
  readonly hours: string
  readonly time: string
  /** `defaults`: the profile's default statuses at each run; `chosen`: `stateIds`. */
  readonly states: 'defaults' | 'chosen'
  readonly stateIds: readonly number[]
  readonly days: string
  readonly triggerWorkflows: boolean
  readonly createContacts: boolean
  readonly createProducts: boolean
}

/**
 * The form of a schedule as saved; for a profile that never had one, the defaults, switched on
 * (the dialog was opened to set one up), with the profile's default statuses when it has some.
 */
export function scheduleFormValues(
  view: ScheduleView,
  defaultStateIds: readonly number[],
): ScheduleFormValues {
  const { settings } = view
  const chosen = settings.stateIds ?? (defaultStateIds.length === 0 ? [] : null)
  return {
    enabled: view.saved ? settings.enabled : true,
    kind: settings.rule.kind,
    hours: settings.rule.kind === 'every' ? String(settings.rule.hours) : '6',
    time: settings.rule.kind === 'daily' ? settings.rule.time : '03:00',
    states: chosen === null ? 'defaults' : 'chosen',
    stateIds: chosen ?? defaultStateIds,
    days: String(settings.days),
    triggerWorkflows: settings.options.triggerWorkflows,
    createContacts: settings.options.createContacts,
    createProducts: settings.options.createProducts,
  }
}

function wholeNumberIn(value: string, bounds: { readonly min: number; readonly max: number }) {
  const trimmed = value.trim()
  if (!/^\d+$/.test(trimmed)) return false
  const number = Number(trimmed)
  return number >= bounds.min && number <= bounds.max
}

/**
 * What must hold before saving. Switched off, only what is kept must still be readable: the
 * rule's fields are checked, the statuses are not.
 */
export function scheduleFormSchema(t: TFunction) {
  return z
    .object({
      enabled: z.boolean(),
      kind: z.enum(['every', 'daily']),
      hours: z.string(),
      time: z.string(),
      states: z.enum(['defaults', 'chosen']),
      stateIds: z.array(z.number()),
      days: z.string(),
      triggerWorkflows: z.boolean(),
      createContacts: z.boolean(),
      createProducts: z.boolean(),
    })
    .superRefine((values, context) => {
      const problem = (path: keyof ScheduleFormValues, message: string) =>
        context.addIssue({ code: 'custom', path: [path], message })
      if (values.kind === 'every' && !wholeNumberIn(values.hours, SCHEDULE_HOURS))
        problem('hours', t('schedule.hoursInvalid', SCHEDULE_HOURS))
      if (values.kind === 'daily' && !DAILY_TIME_PATTERN.test(values.time.trim()))
        problem('time', t('schedule.timeInvalid'))
      if (!wholeNumberIn(values.days, SCHEDULE_DAYS))
        problem('days', t('schedule.daysInvalid', SCHEDULE_DAYS))
      if (values.enabled && values.states === 'chosen' && values.stateIds.length === 0)
        problem('stateIds', t('schedule.statesRequired'))
    })
}

export function scheduleFormResolver(t: TFunction): Resolver<ScheduleFormValues> {
  return zodResolver(scheduleFormSchema(t)) as unknown as Resolver<ScheduleFormValues>
}

/** The request the form's values become (already checked). */
export function scheduleRequest(values: ScheduleFormValues): ScheduleSettingsInput {
  return {
    enabled: values.enabled,
    rule:
      values.kind === 'every'
        ? { kind: 'every', hours: Number(values.hours.trim()) }
        : { kind: 'daily', time: values.time.trim() },
    stateIds:
      values.states === 'defaults' || values.stateIds.length === 0 ? null : [...values.stateIds],
    days: Number(values.days.trim()),
    options: {
      triggerWorkflows: values.triggerWorkflows,
      createContacts: values.createContacts,
      createProducts: values.createProducts,
    },
  }
}
