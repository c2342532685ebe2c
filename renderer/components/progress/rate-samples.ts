/**
 * The progress window's record of the sending's pace: requests a minute (about one per order) as
 * progress events report it, kept in the window's state while it is open. Events come about ten
 * a second; a sample is kept every few seconds, and a long sending's record is thinned (every
 * other sample dropped, the gap doubled) so it never grows past MAX_SAMPLES. No React here.
 */

export interface RateSample {
  /** Milliseconds since the epoch, when the event was heard. */
  readonly at: number
  readonly perMinute: number
}

export interface RateSamples {
  readonly samples: readonly RateSample[]
  /** The least time between two samples kept. */
  readonly gapMs: number
}

export const MAX_SAMPLES = 240
const FIRST_GAP_MS = 2_000

export const NO_SAMPLES: RateSamples = { samples: [], gapMs: FIRST_GAP_MS }

export function addRateSample(record: RateSamples, sample: RateSample): RateSamples {
  const last = record.samples[record.samples.length - 1]
  if (last && sample.at - last.at < record.gapMs) {
    // Too soon for a sample of its own: the latest pace replaces the last one's.
    return {
      ...record,
      samples: [...record.samples.slice(0, -1), { ...last, perMinute: sample.perMinute }],
    }
  }
  const samples = [...record.samples, sample]
  if (samples.length <= MAX_SAMPLES) return { ...record, samples }
  return { samples: samples.filter((_sample, index) => index % 2 === 0), gapMs: record.gapMs * 2 }
}
