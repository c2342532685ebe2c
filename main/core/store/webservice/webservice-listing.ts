import type { QueryParameters } from './webservice-client'
import type { WebserviceEntity } from './webservice-values'

/**
 * Building Webservice list requests: the `display=[a,b]` and `filter[x]=[a|b]` values, and lists of
 * entities by id in batches short enough for any server's URL limit.
 */

/** Ids per `filter[id]=[a|b|…]`: keeps URLs well under the 8 KB servers accept. */
const IDS_PER_REQUEST = 200

/** One list request: the entities of `resource` the parameters select. */
export type ListResource = (
  resource: string,
  parameters: QueryParameters,
) => Promise<WebserviceEntity[]>

/** `display=[a,b]` and `filter[x]=[a|b]` values. */
export function list(values: readonly (string | number)[], separator = ','): string {
  return `[${values.join(separator)}]`
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = []
  for (let index = 0; index < items.length; index += size)
    result.push(items.slice(index, index + size))
  return result
}

/** `filter[field]=[a|b|…]` in batches short enough for any server's URL limit, in parallel. */
export async function listByIds(
  listResource: ListResource,
  resource: string,
  field: string,
  ids: readonly number[],
  parameters: QueryParameters,
): Promise<WebserviceEntity[]> {
  const pages = await Promise.all(
    chunks(ids, IDS_PER_REQUEST).map((batch) =>
      listResource(resource, { ...parameters, [`filter[${field}]`]: list(batch, '|') }),
    ),
  )
  return pages.flat()
}

/**
 * Requests one store keeps in flight at most. A shop's PHP workers are few and its customers need
 * them too: a handful at once makes a long listing several times faster without crowding them.
 */
export const MAX_REQUESTS_IN_FLIGHT = 4

/**
 * A counting semaphore over a store's requests: `run` waits for one of `limit` places (first come,
 * first served), or rejects with the signal's reason if it aborts while waiting.
 */
export class RequestGate {
  #free: number
  readonly #waiting: (() => void)[] = []

  constructor(limit: number) {
    this.#free = Math.max(1, limit)
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(signal)
    try {
      return await task()
    } finally {
      this.#release()
    }
  }

  #acquire(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted()
    if (this.#free > 0) {
      this.#free -= 1
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const granted = (): void => {
        signal?.removeEventListener('abort', aborted)
        resolve()
      }
      const aborted = (): void => {
        const index = this.#waiting.indexOf(granted)
        if (index >= 0) this.#waiting.splice(index, 1)
        reject(signal?.reason as Error)
      }
      signal?.addEventListener('abort', aborted, { once: true })
      this.#waiting.push(granted)
    })
  }

  #release(): void {
    // The place goes straight to the next in line, so a newcomer cannot overtake it.
    const next = this.#waiting.shift()
    if (next) next()
    else this.#free += 1
  }
}
