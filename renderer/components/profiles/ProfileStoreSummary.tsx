import Box from '@mui/material/Box'
import Typography from '@mui/material/Typography'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ProfileView, PurchaseSenderApi, ShopView } from '../../../preload/contract'
import { useApi } from '../../api/api-context'
import { plainAddress, profileShops, SHOPS_SHOWN, sourcePlace } from './store-summary'

/**
 * The shops each profile's store read, by profile version: a card shown again (the page opened
 * again, the profiles read again) does not connect again. A store that could not be read is not
 * remembered: the next time the page opens, it is tried again.
 */
const readShops = new WeakMap<PurchaseSenderApi, Map<string, Promise<ShopView[] | null>>>()

function shopsOf(api: PurchaseSenderApi, profile: ProfileView): Promise<ShopView[] | null> {
  let cache = readShops.get(api)
  if (!cache) readShops.set(api, (cache = new Map()))
  const key = `${profile.id}@${profile.updatedAt}`
  let shops = cache.get(key)
  if (!shops) {
    shops = api.lookupStore({ profileId: profile.id }).then(
      (result) => (result.ok ? profileShops(profile, result.data) : null),
      () => null,
    )
    cache.set(key, shops)
    void shops.then((found) => {
      if (found === null) cache.delete(key)
    })
  }
  return shops
}

/**
 * A profile's store as its card names it: its shops' names and web addresses, read from the store
 * once the card shows; until then, or when the store cannot be read, where the profile reads it
 * from in plain words.
 */
export function ProfileStoreSummary({ profile }: { readonly profile: ProfileView }) {
  const api = useApi()
  const { t } = useTranslation()
  const [shops, setShops] = useState<readonly ShopView[] | null>(null)

  useEffect(() => {
    let live = true
    void shopsOf(api, profile).then((found) => {
      if (live) setShops(found)
    })
    return () => {
      live = false
    }
    // A new version of the profile (saved since) may read another store; nothing else does.
  }, [api, profile.id, profile.updatedAt])

  if (shops === null || shops.length === 0) {
    const place = sourcePlace(profile.source)
    return (
      <Typography variant="body2" color="text.secondary" data-testid="profile-store">
        {place.kind === 'database'
          ? t('profiles.storeDatabase', { host: place.host })
          : t('profiles.storeWebservice', { host: place.host })}
      </Typography>
    )
  }
  const more = shops.length - SHOPS_SHOWN
  return (
    <Box data-testid="profile-store">
      {shops.slice(0, SHOPS_SHOWN).map((shop) => (
        <Typography key={shop.id} variant="body2" color="text.secondary" noWrap>
          <Box component="span" sx={{ color: 'text.primary', fontWeight: 500 }}>
            {shop.name}
          </Box>
          {shop.url ? ` · ${plainAddress(shop.url)}` : null}
        </Typography>
      ))}
      {more > 0 ? (
        <Typography variant="body2" color="text.secondary">
          {t('profiles.moreShops', { count: more })}
        </Typography>
      ) : null}
    </Box>
  )
}
