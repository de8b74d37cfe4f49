'use strict'
// Runs Adobe's aio CLI as a user would: its own process, the Wisp under test named only by AIO_RUNTIME_APIHOST,
// AIO_RUNTIME_AUTH and AIO_RUNTIME_NAMESPACE, with USE_RUNTIME_AUTH=true (OpenWhisk's Basic auth, not Adobe IMS).
// Nothing of the machine's own aio or wsk configuration is read: HOME, XDG_CONFIG_HOME and WSK_CONFIG_FILE point
// into a fresh directory, and the working directory is a copy of fixtures/.
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const http = require('node:http')
const https = require('node:https')
const os = require('node:os')
const path = require('node:path')
const { eventually } = require('../../node-support/eventually')

for (const key of ['AIO_RUNTIME_APIHOST', 'AIO_RUNTIME_AUTH', 'AIO_RUNTIME_NAMESPACE']) {
  if (!process.env[key]) throw new Error(`${key} must be set (AioCliCompatIT sets it; see README.md)`)
}
const apihost = process.env.AIO_RUNTIME_APIHOST.replace(/\/$/, '')
const namespace = process.env.AIO_RUNTIME_NAMESPACE
// AioCliCompatIT installs the CLI in a cache outside the work tree and names it; by hand it is `npm ci` here.
const bin = process.env.WISP_AIO_BIN || path.join(__dirname, '..', 'node_modules', '.bin', 'aio')

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wisp-aio-'))
const work = path.join(home, 'work')
fs.cpSync(path.join(__dirname, '..', 'fixtures'), work, { recursive: true })
const wskprops = path.join(home, 'wskprops')
fs.writeFileSync(wskprops, '')

const env = {
  PATH: process.env.PATH,
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, 'config'),
  WSK_CONFIG_FILE: wskprops,
  USE_RUNTIME_AUTH: 'true',
  AIO_RUNTIME_APIHOST: apihost,
  AIO_RUNTIME_AUTH: process.env.AIO_RUNTIME_AUTH,
  AIO_RUNTIME_NAMESPACE: namespace,
  AIO_TELEMETRY_DISABLED: 'true',
  AIO_SKIP_NEW_VERSION_CHECK: 'true',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
  TZ: 'UTC'
}

/** Runs `aio ...args` in the fixtures' copy and returns {code, out, err}. */
function aio (...args) {
  const r = spawnSync(bin, args, { cwd: work, env, encoding: 'utf8', timeout: 90000 })
  if (r.error) throw r.error
  return { code: r.status, out: r.stdout, err: r.stderr }
}

/** `aio ...args` must exit 0; returns its standard output. */
function ok (...args) {
  const r = aio(...args)
  assert.equal(r.code, 0, `aio ${args.join(' ')} exited ${r.code}\nstdout: ${r.out}\nstderr: ${r.err}`)
  return r.out
}

/** `aio ...args` must exit 0 and print JSON (after an optional title line, as `action get` prints); returns it parsed. */
function json (...args) {
  const out = ok(...args)
  const start = out.search(/[[{]/)
  assert.ok(start >= 0, `aio ${args.join(' ')} printed no JSON: ${out}`)
  try {
    return JSON.parse(out.slice(start))
  } catch (e) {
    assert.fail(`aio ${args.join(' ')} printed no valid JSON (${e.message}): ${out}`)
  }
}

/** `aio ...args` must fail (exit code not 0) with `pattern` in what it printed. */
function fails (pattern, ...args) {
  const r = aio(...args)
  assert.notEqual(r.code, 0, `aio ${args.join(' ')} should have failed\nstdout: ${r.out}`)
  // oclif wraps an error's message over lines starting with ' ›': join them again
  assert.match((r.out + r.err).replace(/\s*\n\s*›\s*/g, ' '), pattern)
  return r
}

/** The table row (a line of output) whose last column is `entity`, as its list of columns. */
function row (out, entity) {
  const rows = out.split('\n').map(l => l.trim().split(/\s+/))
  const columns = rows.find(r => r[r.length - 1] === entity)
  assert.ok(columns, `no row for ${entity} in:\n${out}`)
  return columns
}

/**
 * One HTTP request on a connection of its own, answered with {status, headers, body}. Not fetch: its pool keeps idle
 * connections, and while spawnSync runs aio this process sees no close from the server, so a reused one may be dead.
 */
function request (method, url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https:') ? https : http).request(url, { method, headers, agent: false }, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', chunk => { body += chunk })
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

function annotation (entity, key) {
  const a = (entity.annotations || []).find(a => a.key === key)
  return a === undefined ? undefined : a.value
}

module.exports = { apihost, namespace, aio, ok, json, fails, row, eventually, annotation, request, work }
