/**
 * axe-core on the screen a spec is at: the WCAG 2.1 A and AA rules, label in name for speech
 * control (label-content-name-mismatch, still tagged experimental in axe 4.x, so named here to
 * run), and the best practices about the page's structure: one `main`, everything inside a
 * landmark, no skipped heading level, one h1. One axe run does both (rules enabled by name run
 * beside the tags'). What axe cannot decide (its "incomplete", such as a text's contrast over an
 * overlapping element) is left to a person. Not a spec (playwright.config.ts runs `*.spec.ts`).
 */
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number]

/** WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/** Rules run besides the WCAG tags' (best practices, and the experimental one above). */
export const EXTRA_RULES = [
  'label-content-name-mismatch',
  'landmark-one-main',
  'region',
  'heading-order',
  'page-has-heading-one',
]

/**
 * Waits until nothing moves but what never stops (spinners, indeterminate bars): a dialog still
 * fading in has its text at part opacity, which axe would read as too little contrast.
 */
async function settled(page: Page): Promise<void> {
  // Polled through page.evaluate: waitForFunction evals its predicate, which the page's CSP refuses.
  await expect
    .poll(() =>
      page.evaluate(`document.getAnimations().every((animation) =>
        animation.playState !== 'running' ||
        animation.effect?.getComputedTiming().iterations === Infinity)`),
    )
    .toBe(true)
}

/** One line per element a rule fails on: rule, impact, the element's selector, and why. */
export function describeViolations(violations: readonly Violation[]): string[] {
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => {
      const why = (node.failureSummary ?? violation.help).replace(/\s*\n\s*/g, ' ')
      return `${violation.id} (${violation.impact ?? 'no impact'}) at ${node.target.join(' >>> ')}: ${why}`
    }),
  )
}

/**
 * Runs axe on the page as it is and fails the test (softly: the walk goes on, so one run lists
 * every screen's violations) with one line per violation and element.
 */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  await test.step(`axe: ${label}`, async () => {
    await settled(page)
    const results = await new AxeBuilder({ page })
      .options({
        rules: Object.fromEntries(EXTRA_RULES.map((rule) => [rule, { enabled: true }])),
      })
      .withTags(WCAG_TAGS)
      .analyze()
    expect.soft(describeViolations(results.violations), `axe violations on ${label}`).toEqual([])
  })
}
