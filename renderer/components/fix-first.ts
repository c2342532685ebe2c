import type { TFunction } from 'i18next'
import type { SendingBlockView } from '../../preload/contract'
import { conditionName } from '../i18n/account-name'

/**
 * What to mend before a sending can go on, in the user's language (main decides that it must:
 * SendingView.blockedBy). A refused key names its Connectif account when main could tell which.
 */
export function fixFirstText(t: TFunction, block: SendingBlockView): string {
  switch (block.fix) {
    case 'connectif_key':
    case 'connectif_permission': {
      const which = block.account === null ? '' : block.account === 'main' ? '_main' : '_target'
      return t(`fixFirst.${block.fix}${which}`, {
        // Inside the sentence: "the account for Spanish · EUR" / "la cuenta de español · EUR".
        account: block.account === null ? '' : conditionName(t, block.account),
      })
    }
    case 'secret_missing':
      return block.secret === 'targetKey' && block.account
        ? t('fixFirst.secret_missing_target', { account: conditionName(t, block.account) })
        : t('fixFirst.secret_missing', {
            secret: t(`errors.secretName_${block.secret ?? 'connectifKey'}`),
          })
    default:
      return t(`fixFirst.${block.fix}`)
  }
}
