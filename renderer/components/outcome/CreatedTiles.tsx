import { useTranslation } from 'react-i18next'
import type { CreatedItemsView, SendingView } from '../../../preload/contract'
import { CountTiles } from '../CountTiles'
import { formatNumber } from '../format'

/**
 * Whether a sending's created contacts and products are worth saying: it could create them, or
 * did (a sending that could not has nothing to say but zeros).
 */
export function saysCreated(sending: Pick<SendingView, 'options' | 'created'>): boolean {
  return (
    sending.options.createContacts ||
    sending.options.createProducts ||
    sending.created.contacts + sending.created.products > 0
  )
}

/** The contacts and products a sending created in Connectif (one by one and by its imports). */
export function CreatedTiles({ created }: { created: CreatedItemsView }) {
  const { t, i18n } = useTranslation()
  const number = (value: number) => formatNumber(i18n.language, value)
  return (
    <CountTiles
      label={t('outcome.createdTitle')}
      counts={[
        [t('outcome.counts.contacts'), number(created.contacts)],
        [t('outcome.counts.products'), number(created.products)],
      ]}
      columns="repeat(2, 1fr)"
    />
  )
}
