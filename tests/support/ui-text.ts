/**
 * The app's texts in either language, read from renderer/i18n/<language>.json: what the
 * end-to-end specs and the README screenshots (scripts/screenshots.ts) find the screens' buttons
 * and headings by, so a reworded text never breaks them.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'

/** The app's two languages. */
export type Language = 'en' | 'es'

/**
 * The app's texts in a language (renderer/i18n/<language>.json), by key (`nav.profiles`), with
 * their `{{name}}` parameters filled in: for specs that walk the screens in either language.
 */
export function uiText(
  language: Language,
): (key: string, params?: Readonly<Record<string, string | number>>) => string {
  const texts = JSON.parse(
    readFileSync(path.resolve('renderer', 'i18n', `${language}.json`), 'utf8'),
  ) as unknown
  return (key, params = {}) => {
    let value = texts
    for (const part of key.split('.'))
      value =
        typeof value === 'object' && value !== null
          ? (value as Record<string, unknown>)[part]
          : undefined
    if (typeof value !== 'string') throw new Error(`${language}.json has no text "${key}"`)
    return value.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    )
  }
}
