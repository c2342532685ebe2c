/**
 * What a polite live region says of something that changes many times a second (a sending's
 * counts): a screen reader would read every change, or fall behind. The region's text follows
 * the shown one at most once every `intervalMs` (the latest text at the end of the wait), but at
 * once when `topic` changes (a new step, the end): that news is not held back.
 */
import { useEffect, useRef, useState } from 'react'

/** The least time between two announcements of the same topic, by default. */
export const ANNOUNCEMENT_INTERVAL_MS = 5_000

export function useAnnouncement(
  text: string,
  topic: string,
  intervalMs: number = ANNOUNCEMENT_INTERVAL_MS,
): string {
  // What the region says: the text it starts with is not news (a region reads out changes only).
  const [said, setSaid] = useState({ text, topic })
  const saidAt = useRef(0)
  const latest = useRef(text)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)

  useEffect(() => {
    latest.current = text
    const stopWaiting = () => {
      if (timer.current !== null) clearTimeout(timer.current)
      timer.current = null
    }
    if (text === said.text && topic === said.topic) return stopWaiting()
    const say = (next: string) => {
      timer.current = null
      saidAt.current = Date.now()
      setSaid({ text: next, topic })
    }
    const wait = saidAt.current + intervalMs - Date.now()
    if (topic !== said.topic || wait <= 0) {
      stopWaiting()
      say(text)
    } else if (timer.current === null) timer.current = setTimeout(() => say(latest.current), wait)
  }, [text, topic, intervalMs, said])

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current)
    },
    [],
  )
  return said.text
}
