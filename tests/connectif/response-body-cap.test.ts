/**
 * A Connectif answer is kept (result body → history → report) at most 8 KB long, with a visible
 * marker, and is read as it arrives: a 1 MB error page never sits in memory whole. A small real
 * HTTP server on 127.0.0.1 plays Connectif (or a proxy in front of it) answering huge bodies.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createConnectifClient } from '../../main/core/connectif/connectif-client'
import { resetRateLimiters } from '../../main/core/connectif/rate-limiter'
import { STORED_RESPONSE_BYTES } from '../../main/core/purchases/field-limits'
import type { PurchaseCreation } from '../../main/core/purchases/purchase'

const MEBIBYTE = 1_048_576

/** Exactly 1 MB: `{"detail":"` (11 bytes), two-byte "é"s, then `"}\n`; byte 8,192 falls inside an "é". */
function megabyteBody(): Buffer {
  const body = Buffer.from(`{"detail":"${'é'.repeat((MEBIBYTE - 14) / 2)}"}\n`, 'utf8')
  expect(body.length).toBe(MEBIBYTE)
  return body
}

interface Answer {
  readonly status: number
  readonly body: Buffer
  /** Written in chunks of this size, without a content-length (chunked), when set. */
  readonly chunk?: number
}

let server: Server
let url: string
let answer: Answer
let requests: number

beforeEach(async () => {
  resetRateLimiters()
  requests = 0
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume()
    request.on('end', () => {
      requests++
      response.statusCode = answer.status
      response.setHeader('content-type', 'application/json')
      if (answer.chunk === undefined) {
        response.end(answer.body)
        return
      }
      for (let start = 0; start < answer.body.length; start += answer.chunk) {
        response.write(answer.body.subarray(start, start + answer.chunk))
      }
      response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

function client(): ReturnType<typeof createConnectifClient> {
  return createConnectifClient({
    account: { apiUrl: url, apiKey: 'key:secret' },
    requestsPerMinute: 60_000,
    retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
  })
}

const purchase: PurchaseCreation = {
  purchaseId: '42',
  cartId: '7',
  contactEmail: 'ana@example.com',
  purchaseDate: '2025-05-01T10:00:00+02:00',
  totalPrice: 30.5,
  totalQuantity: 2,
  products: [
    {
      productId: '1',
      name: 'Mug',
      unitPrice: 15.25,
      quantity: 2,
      price: 30.5,
      unitPriceWithoutVAT: 12.6,
      productDetailUrl: 'https://shop.example/mug',
    },
  ],
}

describe("capturing Connectif's answer", () => {
  it('keeps 8 KB of a 1 MB body, never half a character, then the marker with the full size', async () => {
    const body = megabyteBody()
    answer = { status: 400, body }
    const result = await client().createPurchase(purchase, { triggerPurchaseEvent: false })

    expect(result.outcome).toEqual({ kind: 'rejected' })
    expect(result.status).toBe(400)
    // 8,191 bytes: the 8,192nd is the first half of an "é", left out rather than garbled.
    const kept = body.subarray(0, STORED_RESPONSE_BYTES - 1).toString('utf8')
    expect(result.body).toBe(`${kept}… [truncated: 1048576 bytes in all]`)
    expect(result.body).not.toContain('\ufffd')
    expect(Buffer.byteLength(result.body)).toBeLessThan(STORED_RESPONSE_BYTES + 64)
  })

  it('counts every byte of a chunked body with no content-length, across retries of a 5xx', async () => {
    const body = Buffer.alloc(3 * MEBIBYTE + 5, 'x')
    answer = { status: 502, body, chunk: 16_384 }
    const result = await client().createPurchase(purchase, { triggerPurchaseEvent: false })

    expect(result.outcome).toEqual({ kind: 'unavailable' })
    expect(requests).toBe(2)
    expect(result.body).toBe(
      `${'x'.repeat(STORED_RESPONSE_BYTES)}… [truncated: 3145733 bytes in all]`,
    )
  })

  it('keeps a body of exactly 8 KB whole, without a marker', async () => {
    const body = Buffer.from(`{"detail":"${'a'.repeat(STORED_RESPONSE_BYTES - 13)}"}`)
    expect(body.length).toBe(STORED_RESPONSE_BYTES)
    answer = { status: 409, body }
    const result = await client().createPurchase(purchase, { triggerPurchaseEvent: false })

    expect(result.outcome).toEqual({ kind: 'already_exists' })
    expect(result.body).toBe(body.toString())
  })

  it('still understands an answer longer than it stores: an E0102 naming thousands of products', async () => {
    const productIds = Array.from({ length: 3_000 }, (_, index) => String(index + 1))
    const body = Buffer.from(
      JSON.stringify({ status: 400, code: 'E0102', detail: 'Products do not exist.', productIds }),
    )
    expect(body.length).toBeGreaterThan(STORED_RESPONSE_BYTES)
    answer = { status: 400, body }
    const result = await client().createPurchase(purchase, { triggerPurchaseEvent: false })

    expect(result.outcome).toEqual({ kind: 'unknown_products', productIds })
    expect(result.code).toBe('E0102')
    expect(result.body.endsWith(`… [truncated: ${body.length} bytes in all]`)).toBe(true)
  })

  it('still answers an access check when the body is huge', async () => {
    answer = { status: 404, body: megabyteBody() }
    const check = await client().checkAccess()
    // Drained, not read: cut at 64 KB it is no JSON error body, so nothing says it is Connectif.
    expect(check).toMatchObject({ ok: false, problem: 'not_connectif' })
    expect(check.message).toContain('without Connectif')
  })
})
