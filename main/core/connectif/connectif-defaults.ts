/**
 * Connectif's defaults, shared by the profile model, the contract, the command line and the
 * engine. Pure constants: the renderer may import them.
 */

/** The address of Connectif's API when a profile names no other. */
export const DEFAULT_CONNECTIF_URL = 'https://api.connectif.cloud'

/** Requests a minute Connectif allows an account (see the README, "Sending to Connectif"). */
export const DEFAULT_RATE_LIMIT = 100

/** The highest pace a sending may ask for (accounts with a raised limit, and the simulator). */
export const MAX_RATE_LIMIT = 100_000
