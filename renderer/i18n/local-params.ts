import type { TFunction } from 'i18next'
import { conditionName } from './account-name'
import { languageOf } from './language-of'
import { formatDay, isIsoDay } from './locale-format'

/**
 * The params of an error or a broken rule as the sentence they go in says them: main sends days
 * as `YYYY-MM-DD` and targets by their label (`lang=es,currency=EUR`), for logs and the command
 * line; on screen a day is in the locale's own format ("Mar 1, 2024" / "1 mar 2024") and a
 * target is what it serves ("Spanish · EUR"), in the language of `t` unless `language` says
 * another.
 */

/** The params that hold a target's label. */
const LABEL_PARAMS: ReadonlySet<string> = new Set(['label', 'firstLabel', 'secondLabel', 'target'])

export function localParams(
  t: TFunction,
  params: Readonly<Record<string, string>>,
  language: string = languageOf(t),
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [
      key,
      LABEL_PARAMS.has(key)
        ? conditionName(t, value)
        : isIsoDay(value)
          ? formatDay(language, value)
          : value,
    ]),
  )
}
