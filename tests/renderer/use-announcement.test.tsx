// @vitest-environment happy-dom
/**
 * The throttle of what a live region reads out (renderer/components/progress/use-announcement.ts):
 * a text that changes many times a second is said at most every 5 s, the latest one at the end
 * of the wait; a new topic is said at once.
 */
import { act, cleanup, renderHook } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  ANNOUNCEMENT_INTERVAL_MS,
  useAnnouncement,
} from '../../renderer/components/progress/use-announcement'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

function announce(text: string, topic = 'running') {
  return renderHook(
    (props: { text: string; topic: string }) => useAnnouncement(props.text, props.topic),
    { initialProps: { text, topic } },
  )
}

describe('useAnnouncement', () => {
  it('keeps the text it starts with, and says the first change at once', () => {
    const hook = announce('0 of 500')
    expect(hook.result.current).toBe('0 of 500')
    hook.rerender({ text: '1 of 500', topic: 'running' })
    expect(hook.result.current).toBe('1 of 500')
  })

  it('says a fast-changing text at most every 5 s, the latest one at the end of the wait', () => {
    const hook = announce('0 of 500')
    hook.rerender({ text: '1 of 500', topic: 'running' })
    // Ten changes a second for a while: none is said before the 5 s are up.
    for (let done = 2; done <= 40; done++) {
      act(() => {
        vi.advanceTimersByTime(100)
      })
      hook.rerender({ text: `${done} of 500`, topic: 'running' })
      expect(hook.result.current).toBe('1 of 500')
    }
    act(() => {
      vi.advanceTimersByTime(ANNOUNCEMENT_INTERVAL_MS - 3_900 - 1)
    })
    expect(hook.result.current).toBe('1 of 500')
    act(() => {
      vi.advanceTimersByTime(1)
    })
    expect(hook.result.current).toBe('40 of 500')
    // And the next change waits 5 s again.
    hook.rerender({ text: '41 of 500', topic: 'running' })
    expect(hook.result.current).toBe('40 of 500')
    act(() => {
      vi.advanceTimersByTime(ANNOUNCEMENT_INTERVAL_MS)
    })
    expect(hook.result.current).toBe('41 of 500')
  })

  it('says a change at once after a quiet while', () => {
    const hook = announce('0 of 500')
    hook.rerender({ text: '1 of 500', topic: 'running' })
    act(() => {
      vi.advanceTimersByTime(ANNOUNCEMENT_INTERVAL_MS * 3)
    })
    hook.rerender({ text: '2 of 500', topic: 'running' })
    expect(hook.result.current).toBe('2 of 500')
  })

  it('says a new topic at once, and forgets what was waiting', () => {
    const hook = announce('0 of 500')
    hook.rerender({ text: '1 of 500', topic: 'running' })
    hook.rerender({ text: '2 of 500', topic: 'running' })
    expect(hook.result.current).toBe('1 of 500')
    hook.rerender({ text: '', topic: 'finished' })
    expect(hook.result.current).toBe('')
    act(() => {
      vi.advanceTimersByTime(ANNOUNCEMENT_INTERVAL_MS * 2)
    })
    expect(hook.result.current).toBe('')
  })

  it('says nothing more when the text goes back to what was said', () => {
    const hook = announce('0 of 500')
    hook.rerender({ text: '1 of 500', topic: 'running' })
    hook.rerender({ text: '2 of 500', topic: 'running' })
    hook.rerender({ text: '1 of 500', topic: 'running' })
    act(() => {
      vi.advanceTimersByTime(ANNOUNCEMENT_INTERVAL_MS * 2)
    })
    expect(hook.result.current).toBe('1 of 500')
  })

  it('leaves no timer behind once unmounted', () => {
    const hook = announce('0 of 500')
    hook.rerender({ text: '1 of 500', topic: 'running' })
    hook.rerender({ text: '2 of 500', topic: 'running' })
    expect(vi.getTimerCount()).toBe(1)
    hook.unmount()
    expect(vi.getTimerCount()).toBe(0)
  })
})
