/**
 * The keyboard's focus, not lost: when what had it goes away (a deleted profile's card, the
 * wizard's step after a page change, a history row's button once its action is done) or turns
 * disabled while it works (a connection test, a report being saved), the browser gives it to the
 * page's body, and the next Tab starts from the top. These give it to a sensible element
 * instead, and only then: a focus that is somewhere stays there.
 */
import { useEffect, useRef, type RefObject } from 'react'

/**
 * Whether the focus is nowhere: on the page's body, as after its element went away, or on a
 * container that only holds it for want of better (a dialog takes it back there) around `target`.
 */
export function focusLost(target?: HTMLElement | null): boolean {
  const active = document.activeElement
  if (active === null || active === document.body) return true
  return (
    target !== null &&
    target !== undefined &&
    active !== target &&
    active.getAttribute('tabindex') === '-1' &&
    active.contains(target)
  )
}

/** Gives `target` the focus if it was lost. */
export function focusIfLost(target: HTMLElement | null | undefined): void {
  if (target && focusLost(target)) target.focus()
}

/**
 * After `key` changes (not when the component mounts), gives the focus to `target()` if it was
 * lost: the element it had was in what `key` replaced.
 */
export function useFocusWhenLost(key: unknown, target: () => HTMLElement | null | undefined): void {
  const seen = useRef(key)
  useEffect(() => {
    if (Object.is(seen.current, key)) return
    seen.current = key
    focusIfLost(target())
  })
}

/**
 * For a button disabled while what it started works (a disabled button loses the focus): once
 * `busy` is over, the button has the focus again if nothing else took it.
 */
export function useFocusBackAfter<T extends HTMLElement>(busy: boolean): RefObject<T | null> {
  const button = useRef<T>(null)
  useFocusWhenLost(busy, () => (busy ? null : button.current))
  return button
}
