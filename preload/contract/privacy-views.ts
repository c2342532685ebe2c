/**
 * Part of the main ⇄ renderer contract (preload/contract.ts): keeping the history small (how many
 * days the payloads and answers of finished sendings are kept) and erasing a customer at their
 * request. Only zod is imported.
 */
import { z } from 'zod'

/** The days the payloads and answers of finished sendings may be kept for; null keeps them. */
export const RETENTION_DAYS = { min: 1, max: 3650 } as const

export const retentionSaveSchema = z.strictObject({
  days: z.number().int().min(RETENTION_DAYS.min).max(RETENTION_DAYS.max).nullable(),
})

/** An address to erase; how it must look is checked in main (`forget_email_invalid`). */
export const forgetSchema = z.strictObject({
  email: z.string().trim().min(1, { message: 'must not be empty' }).max(320),
})

/** A run of the history's upkeep: when, what it changed, and the bytes on disk around it. */
export interface MaintenanceRunView {
  readonly at: string
  /** Retention: the days kept; null for an erasure. */
  readonly days: number | null
  readonly sendings: number
  readonly orders: number
  /** The database file and its WAL, in bytes, before and after the run. */
  readonly bytesBefore: number
  readonly bytesAfter: number
  /** The file was rebuilt, giving its free space back. */
  readonly vacuumed: boolean
}

export interface RetentionView {
  /** Null: payloads and answers are kept for ever (the default). */
  readonly days: number | null
  /** The history's database file and WAL now, in bytes. */
  readonly historyBytes: number
  readonly lastRun: MaintenanceRunView | null
}

export interface CustomerForgotten {
  /** As given (trimmed). */
  readonly email: string
  /** The order rows erased, in every sending. */
  readonly orders: number
  /** Those that were waiting to be sent, now skipped. */
  readonly pendingSkipped: number
  readonly run: MaintenanceRunView
}
