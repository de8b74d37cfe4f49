'use strict'
// Drives Wisp only through the official `openwhisk` npm client, as an existing OpenWhisk user would.
// Needs __OW_API_HOST and __OW_API_KEY (set by OpenWhiskClientCompatIT).
const test = require('node:test')
const assert = require('node:assert/strict')
const openwhisk = require('openwhisk')
const zip = require('../support/zip')
const { ow, name, rejects, eventually, annotation, defaultKind } = require('../support/ow')

const HELLO = `function main(params) {
  console.log('hello ' + params.name);
  return { greeting: 'Hello, ' + (params.name || 'world') + '!', bound: params.bound };
}`

test('namespaces: list and get', async () => {
  const namespaces = await ow.namespaces.list()
  assert.ok(Array.isArray(namespaces) && namespaces.length === 1, JSON.stringify(namespaces))
  const all = await ow.namespaces.get()
  for (const collection of ['actions', 'packages', 'triggers', 'rules']) {
    assert.ok(Array.isArray(all[collection]), collection)
  }
})

test('limits of the namespace', async () => {
  const limits = await ow.actions.client.request('GET', 'namespaces/_/limits')
  for (const field of ['invocationsPerMinute', 'concurrentInvocations', 'firesPerMinute']) {
    assert.ok(Number.isInteger(limits[field]) && limits[field] > 0, field)
  }
  assert.equal(limits.maxActionMemory, 512)
  assert.equal(limits.maxActionTimeout, 300000)
})

test('actions: create, 409 without overwrite, update bumps the version, get, get without code', async () => {
  const actionName = name('crud')
  const created = await ow.actions.create({
    name: actionName,
    action: HELLO,
    params: { bound: 'yes' },
    annotations: { description: 'compat', web: false },
    limits: { timeout: 5000, memory: 128 }
  })
  assert.equal(created.name, actionName)
  assert.equal(created.version, '0.0.1')
  // OpenWhisk stores the concrete default kind, and repeats it in the annotation `exec`
  assert.equal(created.exec.kind, await defaultKind('nodejs'))
  assert.equal(annotation(created, 'exec'), created.exec.kind)
  assert.equal(annotation(created, 'provide-api-key'), false)
  assert.equal(created.exec.binary, false)
  assert.deepEqual(created.limits.timeout, 5000)
  assert.equal(annotation(created, 'description'), 'compat')

  await rejects(ow.actions.create({ name: actionName, action: HELLO }), 409, /exists/)

  const updated = await ow.actions.update({ name: actionName, action: HELLO.replace('Hello', 'Hi') })
  assert.equal(updated.version, '0.0.2')
  assert.equal(updated.limits.timeout, 5000, 'limits are kept on update')
  const overwritten = await ow.actions.create({ name: actionName, action: HELLO, overwrite: true })
  assert.equal(overwritten.version, '0.0.3')

  const got = await ow.actions.get({ name: actionName })
  assert.equal(got.exec.code, HELLO)
  assert.deepEqual(got.parameters, [{ key: 'bound', value: 'yes' }])
  const withoutCode = await ow.actions.get({ name: actionName, code: false })
  assert.equal(withoutCode.exec.code, undefined)
  assert.equal(withoutCode.version, '0.0.3')

  const result = await ow.actions.invoke({ name: actionName, blocking: true, result: true, params: { name: 'npm' } })
  assert.deepEqual(result, { greeting: 'Hello, npm!', bound: 'yes' })

  const deleted = await ow.actions.delete({ name: actionName })
  assert.equal(deleted.name, actionName)
  await rejects(ow.actions.get({ name: actionName }), 404, /does not exist/)
  await rejects(ow.actions.invoke({ name: actionName }), 404)
})

test('actions: list with limit, skip and count', async () => {
  const names = []
  for (let i = 0; i < 5; i++) {
    names.push(name(`page${i}`))
    await ow.actions.create({ name: names[i], action: HELLO })
  }
  const { actions: total } = await ow.actions.list({ count: true })
  assert.ok(total >= 5, `count ${total}`)
  const first = await ow.actions.list({ limit: 2 })
  const second = await ow.actions.list({ limit: 2, skip: 2 })
  assert.equal(first.length, 2)
  assert.equal(second.length, 2)
  const seen = new Set([...first, ...second].map(a => a.name))
  assert.equal(seen.size, 4, 'pages do not overlap')
  // newest first: the last created comes first
  assert.equal(first[0].name, names[4])
  assert.equal(first[0].exec.code, undefined, 'lists carry no code')
  const all = await ow.actions.list({ limit: 200 })
  for (const n of names) assert.ok(all.some(a => a.name === n), n)
})

test('invoke blocking: the activation record in OpenWhisk shape, cold then warm', async () => {
  const actionName = name('record')
  await ow.actions.create({ name: actionName, action: HELLO })
  const cold = await ow.actions.invoke({ name: actionName, blocking: true, params: { name: 'cold' } })
  assert.match(cold.activationId, /^[0-9a-f]{32}$/)
  assert.equal(cold.name, actionName)
  assert.equal(typeof cold.namespace, 'string')
  assert.equal(typeof cold.subject, 'string')
  assert.equal(cold.version, '0.0.1')
  assert.equal(cold.publish, false)
  assert.ok(cold.start > 0 && cold.end >= cold.start)
  assert.equal(cold.duration, cold.end - cold.start)
  assert.deepEqual(cold.response.result, { greeting: 'Hello, cold!' })
  assert.equal(cold.response.status, 'success')
  assert.equal(cold.response.statusCode, 0)
  assert.equal(cold.response.success, true)
  assert.ok(cold.response.size > 0)
  assert.ok(cold.logs.some(l => /^\d{4}-\d\d-\d\dT[\d:.]+Z\s+stdout: hello cold$/.test(l)), JSON.stringify(cold.logs))
  assert.equal(annotation(cold, 'path'), `${cold.namespace}/${actionName}`)
  assert.equal(annotation(cold, 'kind'), await defaultKind('nodejs'))
  assert.equal(annotation(cold, 'limits').memory, 256)
  assert.equal(annotation(cold, 'timeout'), false)
  assert.ok(annotation(cold, 'waitTime') >= 0)
  assert.ok(annotation(cold, 'initTime') >= 0, 'a cold start has initTime')

  const warm = await ow.actions.invoke({ name: actionName, blocking: true, params: { name: 'warm' } })
  assert.equal(annotation(warm, 'initTime'), undefined, 'a warm start has no initTime')
  assert.notEqual(warm.activationId, cold.activationId)
})

test('invoke non-blocking, then activations get, result and logs', async () => {
  const actionName = name('async')
  await ow.actions.create({ name: actionName, action: HELLO })
  const { activationId } = await ow.actions.invoke({ name: actionName, params: { name: 'later' } })
  assert.match(activationId, /^[0-9a-f]{32}$/)
  const record = await eventually('activation stored', () => ow.activations.get({ activationId }))
  assert.equal(record.activationId, activationId)
  assert.deepEqual(record.response.result, { greeting: 'Hello, later!' })
  const result = await ow.activations.result({ activationId })
  assert.deepEqual(result.result, { greeting: 'Hello, later!' })
  assert.equal(result.success, true)
  const { logs } = await ow.activations.logs({ activationId })
  assert.ok(logs.some(l => l.endsWith('stdout: hello later')), JSON.stringify(logs))
  await rejects(ow.activations.get({ activationId: '0123456789abcdef0123456789abcdef' }), 404)
})

test('activations: list with name, limit, skip, since, upto, docs and count', async () => {
  const actionName = name('listed')
  await ow.actions.create({ name: actionName, action: HELLO })
  const before = Date.now() - 1
  const ids = []
  for (let i = 0; i < 4; i++) {
    ids.push((await ow.actions.invoke({ name: actionName, blocking: true, params: { name: `n${i}` } })).activationId)
  }
  const newestFirst = [...ids].reverse()
  const briefs = await eventually('four activations listed', async () => {
    const list = await ow.activations.list({ name: actionName, limit: 10 })
    assert.equal(list.length, 4)
    return list
  })
  assert.deepEqual(briefs.map(a => a.activationId), newestFirst)
  assert.equal('response' in briefs[0], false, 'a brief listing has no response, as in OpenWhisk')
  assert.equal('logs' in briefs[0], false)
  assert.equal(briefs[0].statusCode, 0)

  const page = await ow.activations.list({ name: actionName, limit: 2, skip: 1 })
  assert.deepEqual(page.map(a => a.activationId), newestFirst.slice(1, 3))

  const docs = await ow.activations.list({ name: actionName, limit: 1, docs: true })
  assert.deepEqual(docs[0].response.result, { greeting: 'Hello, n3!' })
  assert.ok(docs[0].logs.length > 0)

  const { activations: count } = await ow.activations.list({ name: actionName, count: true })
  assert.equal(count, 4)

  const second = briefs.find(a => a.activationId === ids[1])
  const since = await ow.activations.list({ name: actionName, since: second.start })
  assert.ok(since.every(a => a.start >= second.start))
  assert.ok(since.some(a => a.activationId === ids[1]))
  const upto = await ow.activations.list({ name: actionName, upto: second.start, since: before })
  assert.ok(upto.every(a => a.start <= second.start))
  assert.ok(upto.some(a => a.activationId === ids[0]))
  assert.ok(!upto.some(a => a.activationId === ids[3]))

  const everything = await ow.activations.list({ limit: 200 })
  assert.ok(everything.some(a => a.activationId === ids[0]))
})

test('a blocking invoke that outlives its wait turns into 202 with the activation id', async () => {
  const actionName = name('sleepy')
  await ow.actions.create({
    name: actionName,
    action: 'function main() { return new Promise(r => setTimeout(() => r({ slept: true }), 3000)); }'
  })
  // the client's invoke sends only `blocking`; OpenWhisk's `timeout` query goes through the client's request
  const accepted = await ow.actions.client.request('POST', `namespaces/_/actions/${actionName}`,
    { qs: { blocking: true, timeout: 1000 }, body: {} })
  assert.deepEqual(Object.keys(accepted), ['activationId'])
  assert.match(accepted.activationId, /^[0-9a-f]{32}$/)
  const record = await eventually('slow activation stored',
    () => ow.activations.get({ activationId: accepted.activationId }))
  assert.deepEqual(record.response.result, { slept: true })
})

test('application and developer errors come back as 502 with the activation', async () => {
  const appError = name('apperror')
  await ow.actions.create({ name: appError, action: 'function main() { return { error: "no such customer" }; }' })
  const e = await rejects(ow.actions.invoke({ name: appError, blocking: true }), 502, /no such customer/)
  assert.equal(e.error.response.status, 'application error')
  assert.equal(e.error.response.statusCode, 1)

  const crash = name('crash')
  await ow.actions.create({ name: crash, action: 'function main() { throw new Error("boom"); }' })
  const c = await rejects(ow.actions.invoke({ name: crash, blocking: true, result: true }), 502)
  assert.match(JSON.stringify(c.error), /boom/)
})

test('a zipped action (Buffer) is stored as binary and runs', async () => {
  const actionName = name('zipped')
  const archive = zip({
    'package.json': JSON.stringify({ name: 'zipped', main: 'lib.js' }),
    'lib.js': 'exports.main = function (p) { return { zipped: true, name: p.name }; };'
  })
  const created = await ow.actions.create({ name: actionName, action: archive })
  assert.equal(created.exec.binary, true)
  const result = await ow.actions.invoke({ name: actionName, blocking: true, result: true, params: { name: 'z' } })
  assert.deepEqual(result, { zipped: true, name: 'z' })
})

test('errors the client reports: bad key 401, other namespace 403, payload too large 413', async () => {
  const [uuid] = process.env.__OW_API_KEY.split(':')
  const wrong = openwhisk({ apihost: process.env.__OW_API_HOST, api_key: `${uuid}:not-the-key` })
  await rejects(wrong.actions.list(), 401, /authentication/)
  await rejects(ow.actions.get({ name: '/someone-else/anything' }), 403, /not authorized/)
  const actionName = name('big')
  await ow.actions.create({ name: actionName, action: HELLO })
  await rejects(ow.actions.invoke({ name: actionName, params: { blob: 'x'.repeat(1024 * 1024) } }), 413,
    /payload limit of 1048576 bytes/)
  await rejects(ow.actions.create({ name: name('slow'), action: HELLO, limits: { timeout: 300001 } }), 400,
    /timeout/)
})

test('web actions: created with annotations through the client, reached by URL without credentials', async () => {
  const actionName = name('web')
  await ow.actions.create({
    name: actionName,
    action: "function main(p) { return { body: '<b>' + p.name + '</b>' } }",
    annotations: { 'web-export': true }
  })
  const [namespace] = await ow.namespaces.list()
  const base = `${process.env.__OW_API_HOST.replace(/\/$/, '')}/api/v1/web/${namespace}/default/${actionName}`
  const page = await fetch(`${base}.html?name=Jane`)
  assert.equal(page.status, 200)
  assert.match(page.headers.get('content-type'), /^text\/html/)
  assert.equal(await page.text(), '<b>Jane</b>')
  await ow.actions.update({ name: actionName, annotations: { 'web-export': false } })
  await eventually('unexported', async () => assert.equal((await fetch(`${base}.html`)).status, 404))
})

test('triggers and rules: create, fire runs the action, enable and disable, list, delete', async () => {
  const actionName = name('ruled')
  const triggerName = name('trig')
  const ruleName = name('rule')
  await ow.actions.create({ name: actionName, action: HELLO })
  const trigger = await ow.triggers.create({ name: triggerName, trigger: { parameters: [{ key: 'name', value: 'trigger' }] } })
  assert.equal(trigger.name, triggerName)
  assert.equal(trigger.version, '0.0.1')
  await rejects(ow.triggers.create({ name: triggerName }), 409, /exists/)
  const rule = await ow.rules.create({ name: ruleName, action: actionName, trigger: triggerName })
  assert.equal(rule.status, 'active')
  assert.equal(rule.trigger.name, triggerName)
  assert.equal(rule.action.name, actionName)
  await rejects(ow.rules.create({ name: name('norule'), action: name('nothing'), trigger: triggerName }), 404)

  const { activationId } = await ow.triggers.invoke({ name: triggerName, params: { extra: 1 } })
  assert.match(activationId, /^[0-9a-f]{32}$/)
  const fire = await eventually('trigger activation stored', () => ow.activations.get({ activationId }))
  assert.equal(fire.name, triggerName)
  const entry = JSON.parse(fire.logs[0])
  assert.equal(entry.success, true, fire.logs[0])
  const run = await eventually('rule activation stored', () => ow.activations.get({ activationId: entry.activationId }))
  assert.equal(run.cause, activationId)
  assert.deepEqual(run.response.result, { greeting: 'Hello, trigger!' })

  await ow.rules.disable({ name: ruleName })
  assert.equal((await ow.rules.get({ name: ruleName })).status, 'inactive')
  await ow.rules.enable({ name: ruleName })
  assert.equal((await ow.rules.get({ name: ruleName })).status, 'active')

  assert.ok((await ow.triggers.list()).some(t => t.name === triggerName))
  assert.ok((await ow.rules.list()).some(r => r.name === ruleName))
  assert.ok((await ow.namespaces.get()).rules.some(r => r.name === ruleName))
  await ow.rules.delete({ name: ruleName })
  await ow.triggers.delete({ name: triggerName })
  await rejects(ow.triggers.get({ name: triggerName }), 404)
  await rejects(ow.rules.get({ name: ruleName }), 404)
})

test('packages: create, 409, get with its actions, list, bindings, delete', async () => {
  const pkg = name('pkg')
  const created = await ow.packages.create({ name: pkg, package: { parameters: [{ key: 'from', value: 'package' }] } })
  assert.equal(created.name, pkg)
  assert.equal(created.version, '0.0.1')
  await rejects(ow.packages.create({ name: pkg }), 409, /exists/)
  await ow.actions.create({ name: `${pkg}/echo`, action: 'function main(p) { return p; }' })

  const got = await ow.packages.get({ name: pkg })
  assert.deepEqual(got.actions.map(a => a.name), ['echo'])
  const listed = await ow.packages.list({ limit: 200 })
  assert.ok(listed.some(p => p.name === pkg), JSON.stringify(listed))

  const binding = name('bound')
  await ow.packages.create({
    name: binding,
    package: { binding: { namespace: '_', name: pkg }, parameters: [{ key: 'via', value: 'binding' }] }
  })
  const result = await ow.actions.invoke({ name: `${binding}/echo`, blocking: true, result: true, params: { n: 1 } })
  assert.deepEqual(result, { from: 'package', via: 'binding', n: 1 })

  await rejects(ow.packages.delete({ name: pkg }), 409, /Package not empty/)
  assert.equal((await ow.packages.delete({ name: binding })).name, binding)
  await ow.actions.delete({ name: `${pkg}/echo` })
  assert.equal((await ow.packages.delete({ name: pkg })).name, pkg)
  await rejects(ow.packages.get({ name: pkg }), 404)
})

test('a sequence action: create and invoke', async () => {
  const inc = name('inc')
  const twice = name('twice')
  const seq = name('seq')
  await ow.actions.create({ name: inc, action: 'function main(p) { return { n: p.n + 1 }; }' })
  await ow.actions.create({ name: twice, action: 'function main(p) { return { n: p.n * 2 }; }' })
  const created = await ow.actions.create({ name: seq, sequence: [`/_/${inc}`, `/_/${twice}`] })
  assert.equal(created.exec.kind, 'sequence')
  assert.equal(created.exec.components.length, 2)
  const result = await ow.actions.invoke({ name: seq, blocking: true, result: true, params: { n: 3 } })
  assert.deepEqual(result, { n: 8 })
  const activation = await ow.actions.invoke({ name: seq, blocking: true, params: { n: 0 } })
  assert.equal(activation.logs.length, 2)
  assert.equal(annotation(activation, 'kind'), 'sequence')
  await rejects(ow.actions.create({ name: name('noseq'), sequence: ['/_/no-such-action'] }), 400, /cannot be used/)
})

test('the system catalog: /whisk.system/utils listed, invoked by its full name, in a sequence and behind a rule', async () => {
  const packages = await ow.packages.list({ namespace: 'whisk.system' })
  assert.ok(packages.some(p => p.name === 'utils' && p.publish === true), JSON.stringify(packages))
  const utils = await ow.packages.get({ name: '/whisk.system/utils' })
  assert.deepEqual(utils.actions.map(a => a.name).sort(),
    ['cat', 'date', 'echo', 'head', 'hosturl', 'namespace', 'smash', 'sort', 'split'])

  // as the client's own integration suite does
  const sorted = await ow.actions.invoke({ name: '/whisk.system/utils/sort', blocking: true })
  assert.equal(sorted.response.success, true)
  assert.deepEqual(sorted.response.result, { lines: [], length: 0 })

  const seq = name('split-sort')
  await ow.actions.create({ name: seq, sequence: ['/whisk.system/utils/split', '/whisk.system/utils/sort'] })
  const lines = await ow.actions.invoke({ name: seq, blocking: true, result: true, params: { payload: 'b\na\nc' } })
  assert.deepEqual(lines, { lines: ['a', 'b', 'c'], length: 3 })

  const triggerName = name('cat-trig')
  const ruleName = name('cat-rule')
  await ow.triggers.create({ name: triggerName })
  const rule = await ow.rules.create({ name: ruleName, action: '/whisk.system/utils/echo', trigger: triggerName })
  assert.equal(rule.action.name, 'echo')
  const { activationId } = await ow.triggers.invoke({ name: triggerName, params: { said: 'hi' } })
  const fire = await eventually('trigger activation stored', () => ow.activations.get({ activationId }))
  const entry = JSON.parse(fire.logs[0])
  assert.equal(entry.success, true, fire.logs[0])
  const run = await eventually('echo activation stored', () => ow.activations.get({ activationId: entry.activationId }))
  assert.deepEqual(run.response.result, { said: 'hi' })

  await rejects(ow.actions.delete({ name: '/whisk.system/utils/echo' }), 403, /not authorized/)
  await ow.rules.delete({ name: ruleName })
  await ow.triggers.delete({ name: triggerName })
  await ow.actions.delete({ name: seq })
})
