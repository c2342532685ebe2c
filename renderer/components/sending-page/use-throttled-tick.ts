/**
 * Timing helpers of a sending's page: a value that settles after the person stops typing, and a
 * counter that follows a stream of events at most once per interval.
 */
import { useEffect, useRef, useState } from 'react'

/** `value`, once it has stayed the same for `delayMs`. */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs)
    return () => clearTimeout(timer)
  }, [value, delayMs])
  return settled
}

/**
 * A counter that goes up when `trigger` changes (a new event), at most once every `intervalMs`:
 * a change within the interval is folded into one more tick at its end. An `urgent` change (a
 * sending starting or ending) ticks at once. The value `trigger` has when the hook first runs does
 * not tick: what was loaded then is already up to date.
 */
export function useThrottledTick(trigger: unknown, urgent: boolean, intervalMs: number): number {
  const [tick, setTick] = useState(0)
  const initial = useRef(trigger)
  const last = useRef(0)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)

  useEffect(() => {
    if (trigger === initial.current) return
    initial.current = undefined
    const fire = () => {
      timer.current = null
      last.current = Date.now()
      setTick((value) => value + 1)
    }
    const wait = last.current + intervalMs - Date.now()
    if (urgent || wait <= 0) {
      if (timer.current !== null) clearTimeout(timer.current)
      fire()
    } else if (timer.current === null) timer.current = setTimeout(fire, wait)
  }, [trigger, urgent, intervalMs])

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current)
    },
    [],
  )
  return tick
}
