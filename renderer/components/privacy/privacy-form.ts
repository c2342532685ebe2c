/**
 * The Privacy section's forms: how long payloads and answers are kept (Off, or 1 to 3650 days),
 * and the address of a customer to forget. Checked with zod in the UI's language; main checks the
 * requests again (the contract's schemas, and the address's shape).
 */
import { zodResolver } from '@hookform/resolvers/zod'
import type { TFunction } from 'i18next'
import type { Resolver } from 'react-hook-form'
import { z } from 'zod'
import { RETENTION_DAYS } from '../../../preload/contract'

export interface RetentionFormValues {
  /** `off`: kept for ever. */
  readonly mode: 'off' | 'days'
  /** As typed. */
  readonly days: string
}

export function retentionFormValues(days: number | null): RetentionFormValues {
  return days === null ? { mode: 'off', days: '90' } : { mode: 'days', days: String(days) }
}

function wholeDays(value: string): boolean {
  const trimmed = value.trim()
  if (!/^\d+$/.test(trimmed)) return false
  const days = Number(trimmed)
  return days >= RETENTION_DAYS.min && days <= RETENTION_DAYS.max
}

export function retentionFormResolver(t: TFunction): Resolver<RetentionFormValues> {
  const schema = z
    .object({ mode: z.enum(['off', 'days']), days: z.string() })
    .superRefine((values, context) => {
      if (values.mode === 'days' && !wholeDays(values.days))
        context.addIssue({
          code: 'custom',
          path: ['days'],
          message: t('privacy.daysInvalid', RETENTION_DAYS),
        })
    })
  return zodResolver(schema)
}

/** The days to save: null for Off. */
export function retentionRequest(values: RetentionFormValues): { days: number | null } {
  return { days: values.mode === 'off' ? null : Number(values.days.trim()) }
}

export interface ForgetFormValues {
  readonly email: string
}

export function forgetFormResolver(t: TFunction): Resolver<ForgetFormValues> {
  const schema = z.object({
    email: z
      .string()
      .trim()
      .max(320, { message: t('privacy.emailInvalid') })
      .regex(/^[^\s@]+@[^\s@]+$/, { message: t('privacy.emailInvalid') }),
  })
  return zodResolver(schema)
}
