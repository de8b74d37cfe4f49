'use strict'
// Shared by the two client suites (compat: the openwhisk npm client; aio: Adobe's aio CLI).

const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms))

/**
 * Retries `fn` (which throws until what it waits for is there) every `everyMs` for up to `timeoutMs`; past that,
 * fails with `what` and the last error.
 */
async function eventually (what, fn, timeoutMs = 30000, everyMs = 250) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await fn()
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`${what}: ${e.message}`)
      await sleep(everyMs)
    }
  }
}

module.exports = { sleep, eventually }
