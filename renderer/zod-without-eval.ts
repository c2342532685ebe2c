/**
 * zod compiles fast validators with `new Function` when it may, and probes for that once; under
 * the renderer's Content Security Policy (no 'unsafe-eval') the probe is a reported violation.
 * Imported before anything defines a schema, this tells zod not to try.
 */
import { z } from 'zod'

z.config({ jitless: true })
