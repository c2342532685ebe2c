// Regenerates assets/icon.png from the same shapes as assets/icon.svg, with no image library:
// shapes are sampled 4×4 per pixel for anti-aliasing and written as an RGBA PNG.
// Usage: node scripts/generate-icon.mjs
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const SIZE = 512
const BLUE = [25, 118, 210]
const WHITE = [255, 255, 255]

const inRoundedRect = (x, y, [left, top, right, bottom, r]) => {
  if (x < left || x > right || y < top || y > bottom) return false
  const dx = Math.max(left + r - x, 0, x - (right - r))
  const dy = Math.max(top + r - y, 0, y - (bottom - r))
  return dx * dx + dy * dy <= r * r
}
const inTriangle = (x, y, [ax, ay], [bx, by], [cx, cy]) => {
  const side = (px, py, qx, qy) => (x - qx) * (py - qy) - (px - qx) * (y - qy)
  const d1 = side(ax, ay, bx, by)
  const d2 = side(bx, by, cx, cy)
  const d3 = side(cx, cy, ax, ay)
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0))
}

/** Colour at a point, or undefined for transparent. Painted back to front. */
function sample(x, y) {
  if (!inRoundedRect(x, y, [32, 32, 480, 480, 96])) return undefined
  const handle = Math.hypot(x - 256, y - 192)
  const onBag =
    inRoundedRect(x, y, [144, 192, 368, 400, 24]) || (y <= 192 && handle <= 64 && handle >= 44)
  if (!onBag) return BLUE
  const onArrow =
    inRoundedRect(x, y, [196, 284, 300, 308, 0]) ||
    inTriangle(x, y, [292, 252], [292, 340], [336, 296])
  return onArrow ? BLUE : WHITE
}

const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1))
for (let py = 0; py < SIZE; py++) {
  const rowStart = py * (SIZE * 4 + 1) // filter byte 0 (None) first
  for (let px = 0; px < SIZE; px++) {
    let r = 0,
      g = 0,
      b = 0,
      covered = 0
    for (let sy = 0; sy < 4; sy++) {
      for (let sx = 0; sx < 4; sx++) {
        const colour = sample(px + (sx + 0.5) / 4, py + (sy + 0.5) / 4)
        if (!colour) continue
        r += colour[0]
        g += colour[1]
        b += colour[2]
        covered++
      }
    }
    const at = rowStart + 1 + px * 4
    if (covered > 0)
      rows.set([r / covered, g / covered, b / covered, (covered * 255) / 16].map(Math.round), at)
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (buffer) => {
  let c = 0xffffffff
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type, data) => {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}
const header = Buffer.alloc(13)
header.writeUInt32BE(SIZE, 0)
header.writeUInt32BE(SIZE, 4)
header.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA, no interlace

writeFileSync(
  new URL('../assets/icon.png', import.meta.url),
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]),
)
