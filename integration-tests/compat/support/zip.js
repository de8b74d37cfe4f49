'use strict'
// A minimal zip writer (stored entries, no compression): enough to deploy a packaged action without tools.

function crc32 (buf) {
  let c = ~0
  for (const b of buf) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}

/** A record of `size` bytes with the given little-endian fields, each [offset, bits, value]. */
function record (size, fields) {
  const b = Buffer.alloc(size)
  for (const [at, bits, value] of fields) {
    if (bits === 32) b.writeUInt32LE(value, at)
    else b.writeUInt16LE(value, at)
  }
  return b
}

module.exports = function zip (files) {
  const parts = []
  const directory = []
  let offset = 0
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text)
    const fname = Buffer.from(name)
    const crc = crc32(data)
    // the fields the format needs; the rest stay zero (no flags, no compression, no time, no comment)
    const local = record(30, [[0, 32, 0x04034b50], [4, 16, 10], [14, 32, crc], [18, 32, data.length],
      [22, 32, data.length], [26, 16, fname.length]])
    const central = record(46, [[0, 32, 0x02014b50], [4, 16, 20], [6, 16, 10], [16, 32, crc],
      [20, 32, data.length], [24, 32, data.length], [28, 16, fname.length], [42, 32, offset]])
    parts.push(local, fname, data)
    directory.push(central, fname)
    offset += local.length + fname.length + data.length
  }
  const dir = Buffer.concat(directory)
  const entries = directory.length / 2
  const end = record(22, [[0, 32, 0x06054b50], [8, 16, entries], [10, 16, entries], [12, 32, dir.length],
    [16, 32, offset]])
  return Buffer.concat([...parts, dir, end])
}
