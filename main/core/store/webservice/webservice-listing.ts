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
