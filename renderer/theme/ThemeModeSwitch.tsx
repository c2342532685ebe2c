import DarkModeIcon from '@mui/icons-material/DarkMode'
import LightModeIcon from '@mui/icons-material/LightMode'
import SettingsBrightnessIcon from '@mui/icons-material/SettingsBrightness'
import IconButton from '@mui/material/IconButton'
import ListItemIcon from '@mui/material/ListItemIcon'
import ListItemText from '@mui/material/ListItemText'
import Menu from '@mui/material/Menu'
import MenuItem from '@mui/material/MenuItem'
import Tooltip from '@mui/material/Tooltip'
import { useColorScheme } from '@mui/material/styles'
import { useId, useState, type ReactElement } from 'react'
import { useTranslation } from 'react-i18next'
import { THEME_MODES, type ThemeMode } from './theme-mode'

const ICONS: Readonly<Record<ThemeMode, ReactElement>> = {
  system: <SettingsBrightnessIcon />,
  light: <LightModeIcon />,
  dark: <DarkModeIcon />,
}

/**
 * The app bar's theme choice: as the system, light or dark, in a menu of radio items. MUI's
 * ThemeProvider applies it and keeps it in localStorage (App.tsx).
 */
export function ThemeModeSwitch() {
  const { t } = useTranslation()
  const { mode, setMode } = useColorScheme()
  const current: ThemeMode = mode ?? 'system'
  const [anchor, setAnchor] = useState<HTMLElement | null>(null)
  const menuId = useId()
  const label = t('app.themeButton', { mode: t(`app.themes.${current}`) })

  return (
    <>
      <Tooltip title={label}>
        <IconButton
          color="inherit"
          aria-label={label}
          aria-haspopup="menu"
          aria-controls={anchor ? menuId : undefined}
          aria-expanded={anchor ? true : undefined}
          onClick={(event) => setAnchor(event.currentTarget)}
        >
          {ICONS[current]}
        </IconButton>
      </Tooltip>
      <Menu
        id={menuId}
        anchorEl={anchor}
        open={anchor !== null}
        onClose={() => setAnchor(null)}
        slotProps={{ list: { 'aria-label': t('app.theme') } }}
      >
        {THEME_MODES.map((each) => (
          <MenuItem
            key={each}
            role="menuitemradio"
            aria-checked={each === current}
            selected={each === current}
            onClick={() => {
              setMode(each)
              setAnchor(null)
            }}
          >
            <ListItemIcon>{ICONS[each]}</ListItemIcon>
            <ListItemText>{t(`app.themes.${each}`)}</ListItemText>
          </MenuItem>
        ))}
      </Menu>
    </>
  )
}
