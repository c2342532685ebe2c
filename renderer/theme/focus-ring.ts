/**
 * The keyboard's focus, always visible (issue 16): a 2 px ring on whatever has it after a key
 * press (`:focus-visible`, MUI's `Mui-focusVisible`), not after a click. MUI's own cue, a faint
 * ripple, is too weak, and reduced motion turns it off.
 *
 * - Buttons, tabs, menu items, checkboxes, radios, switches, toggles, calendar days (every
 *   ButtonBase): the scheme's primary colour, outside the control; inside where a parent clips
 *   it (tabs in their scroller, switches, grid cells, menu items); white on the app bar and on a
 *   snackbar, whose backgrounds the primary colour does not stand out on.
 * - Anything else focusable (links, a scrolling table, a tooltip's text, a grid's cell, a chart):
 *   the text's own colour, which stands out on its background by the contrast every text has.
 * - Text fields, selects and date fields keep MUI's cue, the thicker border in the primary colour.
 * - A container the app focuses itself (`tabindex="-1"`: a dialog, a wizard step) has no ring: the
 *   focus only passes through it.
 */
import type { CSSObject, Theme } from '@mui/material/styles'

const RING_WIDTH = '2px'

/** Focusable elements that are no MUI button nor a field, outside the app's own containers. */
const OTHER_FOCUSABLE = [
  ':focus-visible',
  ':not(.MuiButtonBase-root)',
  ':not(.MuiInputBase-input)',
  ':not(input)',
  ':not(textarea)',
  ':not([contenteditable])',
  ':not([role="spinbutton"])',
  ':not([tabindex="-1"])',
].join('')

/** For MuiCssBaseline's styleOverrides: the ring of focusable elements that are not buttons. */
export const FOCUS_RING_GLOBAL: CSSObject = {
  [OTHER_FOCUSABLE]: {
    outline: `${RING_WIDTH} solid currentColor`,
    outlineOffset: RING_WIDTH,
  },
  // A grid's cells clip what is outside them.
  [`.MuiDataGrid-root ${OTHER_FOCUSABLE}`]: { outlineOffset: `-${RING_WIDTH}` },
  // A chart's keyboard stop (MUI X's navigation from bar to bar) is an unstyled layer over it,
  // its outline set to none inline: the chart shows the ring instead.
  '.MuiChartsSurface-root:has(:focus-visible)': {
    outline: `${RING_WIDTH} solid currentColor`,
    outlineOffset: RING_WIDTH,
  },
}

/** For MuiButtonBase's root styleOverrides: the ring of every button-like control. */
export function focusRingOfButtons(theme: Theme): CSSObject {
  return {
    '&.Mui-focusVisible': {
      outline: `${RING_WIDTH} solid ${theme.palette.primary.main}`,
      outlineOffset: RING_WIDTH,
      '&.MuiTab-root, &.MuiMenuItem-root, &.MuiListItemButton-root, &.MuiSwitch-switchBase, &.MuiToggleButton-root, .MuiDataGrid-root &':
        { outlineOffset: `-${RING_WIDTH}` },
      '.MuiAppBar-root &, .MuiSnackbarContent-root &': { outlineColor: 'currentColor' },
    },
  }
}
