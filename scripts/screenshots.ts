/**
 * `npm run screenshots`: the README's screenshots, at 1280×800 in English and in Spanish, taken
 * in Chromium (/usr/bin/chromium, as the end-to-end tests use) from the demo (scripts/demo.ts:
 * a generated store and the local Connectif sandbox, nothing leaves this computer). Writes
 * docs/screenshots/<language>/*.png and docs/screenshots/dark-theme.png.
 *
 * The screens are found by their texts in renderer/i18n/<language>.json (tests/support/ui-text.ts),
 * so a reworded button does not break the script.
 */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Page } from 'playwright-core'
import { uiText, type Language } from '../tests/support/ui-text'
import { startDemo } from './demo'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = path.join(root, 'docs', 'screenshots')
const VIEWPORT = { width: 1280, height: 800 }
const LONG = { timeout: 120_000 }

async function shoot(page: Page, file: string): Promise<void> {
  // Let MUI's transitions and the charts' animations settle (they are reduced, not absent).
  await page.waitForTimeout(400)
  await page.screenshot({ path: file })
  console.log(`  ${path.relative(root, file)}`)
}

/** The send page, its confirmation, the progress window, the history, a sending, a profile. */
async function tour(page: Page, url: string, language: Language, profileId: number): Promise<void> {
  const t = uiText(language)
  const dir = path.join(out, language)
  await mkdir(dir, { recursive: true })
  await page.goto(url)
  await page
    .getByRole('group', { name: t('app.language') })
    .getByRole('button', { name: new RegExp(`^${language.toUpperCase()}`) })
    .click()

  await page.getByRole('tab', { name: t('nav.send') }).click()
  await page.getByRole('button', { name: t('sendPage.presets.last12Months') }).click(LONG)
  await page.getByTestId('selected-total').waitFor(LONG)
  await page.getByText(t('sendPage.check.ok')).waitFor(LONG)
  const groups = page.getByRole('checkbox', { name: /\(\d+/ })
  await groups.first().check()
  // The demo's Connectif sandbox allows 600 requests a minute; the second language sends the
  // same orders again (the sandbox already has them).
  const advanced = page.getByRole('button', {
    name: new RegExp(`^${t('sendPage.advanced.title')}`),
  })
  await advanced.click()
  await page.getByLabel(t('wizard.rateLimit')).fill('600')
  if (language !== 'en') await page.getByRole('switch', { name: t('wizard.skipSent') }).uncheck()
  await advanced.click()
  await page.getByRole('button', { name: t('sendPage.review') }).waitFor(LONG)
  // The top of the page: the profile's check, the range's presets and the grouped statuses.
  await page.evaluate('window.scrollTo(0, 0)')
  await shoot(page, path.join(dir, 'send.png'))

  await page.getByRole('button', { name: t('sendPage.review') }).click()
  const confirmation = page.getByRole('dialog')
  await confirmation.getByTestId('orders-to-send').filter({ hasText: /^\d+$/ }).waitFor(LONG)
  await shoot(page, path.join(dir, 'confirm.png'))
  await confirmation.getByRole('button', { name: t('wizard.modeProgress'), exact: true }).click()

  const progress = page.getByRole('dialog', { name: /#\d+/ })
  await progress.getByRole('progressbar').first().waitFor(LONG)
  await page.waitForTimeout(4_000)
  await shoot(page, path.join(dir, 'progress.png'))
  await progress.getByRole('link').first().waitFor(LONG)
  await shoot(page, path.join(dir, 'finished.png'))
  await page.keyboard.press('Escape')

  await page.getByRole('tab', { name: t('nav.history') }).click()
  await page.getByRole('table').first().waitFor(LONG)
  await shoot(page, path.join(dir, 'history.png'))

  await page.goto(`${url.split('#')[0]}#/sendings/1`)
  await page.getByRole('grid').first().waitFor(LONG)
  await shoot(page, path.join(dir, 'sending-page.png'))

  await page.goto(`${url.split('#')[0]}#/profiles/${profileId}`)
  await page.getByRole('form').first().waitFor(LONG)
  await shoot(page, path.join(dir, 'profile.png'))
}

async function main(): Promise<void> {
  const demo = await startDemo({ log: () => undefined })
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  })
  try {
    for (const language of ['en', 'es'] as const) {
      console.log(`${language}:`)
      const context = await browser.newContext({
        viewport: VIEWPORT,
        locale: language === 'en' ? 'en-US' : 'es-ES',
        timezoneId: 'Europe/Madrid',
        colorScheme: 'light',
        reducedMotion: 'reduce',
      })
      await tour(await context.newPage(), demo.url, language, demo.profile.id)
      await context.close()
    }
    const dark = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'dark' })
    const page = await dark.newPage()
    await page.goto(demo.url)
    await page.getByTestId('selected-total').waitFor(LONG)
    await shoot(page, path.join(out, 'dark-theme.png'))
    await dark.close()
  } finally {
    await browser.close()
    await demo.stop()
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('screenshots:', error)
    process.exit(1)
  },
)
