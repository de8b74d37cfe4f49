'use strict'
// What the suite's test files share: the client for __OW_API_HOST and __OW_API_KEY, unique names, and assertions.
const assert = require('node:assert/strict')
const openwhisk = require('openwhisk')
const { sleep, eventually: retry } = require('../../node-support/eventually')

const apihost = process.env.__OW_API_HOST.replace(/\/$/, '')
const ow = openwhisk({ apihost, api_key: process.env.__OW_API_KEY })
const run = Date.now().toString(36)
const name = (base) => `compat-${base}-${run}`

// A second namespace's client (WISP_COMPAT_OTHER_KEY, set by OpenWhiskClientCompatIT), or null without one.
const other = process.env.WISP_COMPAT_OTHER_KEY
  ? openwhisk({ apihost, api_key: process.env.WISP_COMPAT_OTHER_KEY })
  : null

async function rejects (promise, status, messagePart) {
  try {
    await promise
  } catch (e) {
    assert.equal(e.statusCode, status, e.message)
    if (messagePart) assert.match(e.message, messagePart)
    return e
  }
  assert.fail(`expected HTTP ${status}`)
}

/** Retries `fn` (which throws until what it waits for is there) every 100 ms for up to `timeoutMs`. */
const eventually = (what, fn, timeoutMs = 30000) => retry(what, fn, timeoutMs, 100)

function annotation (entity, key) {
  const a = (entity.annotations || []).find(a => a.key === key)
  return a === undefined ? undefined : a.value
}

// The info document at GET / (no credentials), as Adobe's aio CLI reads it.
async function info () {
  const res = await fetch(`${apihost}/`)
  assert.equal(res.status, 200)
  return res.json()
}

// The kind `family:default` stands for, from the info document's runtimes.
async function defaultKind (family) {
  const kinds = (await info()).runtimes[family].filter(r => r.default)
  assert.equal(kinds.length, 1, JSON.stringify(kinds))
  return kinds[0].kind
}

module.exports = { apihost, ow, other, name, sleep, rejects, eventually, annotation, info, defaultKind }
