/** The send wizard's steps, in order; each name is also its i18n key under `wizard.steps`. */
export const WIZARD_STEPS = ['profile', 'dates', 'statuses', 'options', 'summary'] as const

export const PROFILE_STEP = 0
export const DATES_STEP = 1
export const STATUSES_STEP = 2
export const OPTIONS_STEP = 3
export const SUMMARY_STEP = 4
