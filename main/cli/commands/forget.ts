/**
 * `purchase-sender forget --email ADDRESS`: erases one customer from the history at their
 * request (main/app/privacy-use-cases.ts). Every order row with that e-mail, in any case, keeps
 * its order id, result and counts, and loses the e-mail, the payload and Connectif's answer; the
 * database file is rebuilt so the erased bytes do not survive on disk. Neither Connectif nor the
 * store is touched.
 */
import { checkForgetEmail, forgetCustomer } from '../../app/privacy-use-cases'
import type { CliContext } from '../cli-context'
import { EXIT, type ExitCode } from '../cli-output'
import { requiredString, type CommandSpec, type ParsedCommand } from './command-args'

export const FORGET: CommandSpec = {
  name: 'forget',
  usage: `purchase-sender forget --email ADDRESS

Erases the customer with this e-mail address (any case) from the history of this data
directory: their orders keep their order id, result and counts, but lose the e-mail, what was
sent and Connectif's answer, in the database file too. An order of an unfinished sending that
was still to be sent is skipped, saying it was erased at the customer's request. Connectif and
the store are not touched: erase the contact there too. Refused (exit 2) while a sending runs.
With --json: {"email": ADDRESS, "orders": n}.`,
  options: { email: { type: 'string' } },
}

export function forget(context: CliContext, parsed: ParsedCommand): ExitCode {
  const email = requiredString(parsed.values, 'email', FORGET, "ADDRESS (the customer's e-mail)")
  let erased
  try {
    // Checked before the history is opened: a mistyped address writes nothing.
    checkForgetEmail(email)
    erased = forgetCustomer(context.app, email)
  } catch (error) {
    throw context.failure(error)
  }
  context.output.result({ email: erased.email, orders: erased.orders }, () =>
    [
      `Erased ${erased.email} from the history: ${erased.orders} order${erased.orders === 1 ? '' : 's'} kept without the e-mail, payload and answer` +
        (erased.pendingSkipped > 0
          ? ` (${erased.pendingSkipped} still to be sent, now skipped).`
          : '.'),
      'Connectif and the store were not touched.',
    ].join('\n'),
  )
  return EXIT.ok
}
