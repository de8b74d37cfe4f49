'use strict'
// What OpenWhisk's own clients (the npm client's integration tests, Adobe's aio CLI) depend on beyond the calls:
// the info document, the exact shapes of lists and records, and the entitlements of references across namespaces.
const test = require('node:test')
const assert = require('node:assert/strict')
const { apihost, ow, other, name, rejects, eventually, annotation, info, defaultKind } = require('../support/ow')

const ECHO = 'function main(p) { return p; }'

test('GET / is the info document: api paths, limits and the runtimes by family', async () => {
  const doc = await info()
  assert.ok(doc.api_paths.includes('/api/v1'), JSON.stringify(doc.api_paths))
  for (const field of ['actions_per_minute', 'triggers_per_minute', 'concurrent_actions', 'sequence_length',
    'min_action_duration', 'max_action_duration', 'min_action_memory', 'max_action_memory', 'max_action_logs']) {
    assert.ok(Number.isInteger(doc.limits[field]), field)
  }
  assert.equal(doc.limits.max_action_memory, 512 * 1024 * 1024, 'bytes, as OpenWhisk gives it')
  for (const [family, kinds] of Object.entries(doc.runtimes)) {
    assert.equal(kinds.filter(k => k.default === true).length, 1, `${family} has one default`)
    for (const k of kinds) {
      assert.ok(k.kind.startsWith(`${family}:`), k.kind)
      assert.equal(typeof k.image, 'string')
      assert.equal(k.deprecated, false)
    }
  }
  // how Adobe's aio CLI reads it before a deploy
  const nodeKinds = doc.runtimes.nodejs.map(item => item.kind)
  assert.ok(nodeKinds.includes(await defaultKind('nodejs')), JSON.stringify(nodeKinds))

  const v1 = await (await fetch(`${apihost}/api/v1`)).json()
  assert.equal(v1.api_version, '1.0.0')
  assert.equal(v1.api_version_path, 'v1')
})

test('actions list as OpenWhisk lists them: the kind in the exec annotation, exec only says binary', async () => {
  const plain = name('shape-plain')
  const seq = name('shape-seq')
  await ow.actions.create({ name: plain, action: ECHO })
  await ow.actions.create({ name: seq, sequence: [`/_/${plain}`] })
  const listed = await ow.actions.list({ limit: 200 })
  const p = listed.find(a => a.name === plain)
  const s = listed.find(a => a.name === seq)
  assert.equal(annotation(p, 'exec'), await defaultKind('nodejs'))
  assert.equal(annotation(p, 'provide-api-key'), false)
  assert.deepEqual(p.exec, { binary: false })
  assert.equal(p.parameters, undefined, 'lists carry no parameters')
  assert.equal(p.limits.timeout, 60000)
  assert.equal(annotation(s, 'exec'), 'sequence')
  const got = await ow.actions.get({ name: seq })
  assert.deepEqual(got.exec.components, [`/${p.namespace}/${plain}`])
  assert.equal(annotation(got, 'exec'), 'sequence')
})

test('an action with empty code is accepted', async () => {
  const actionName = name('empty')
  const created = await ow.actions.create({ name: actionName, action: '' })
  assert.equal(created.exec.code, '')
  assert.equal((await ow.actions.get({ name: actionName })).exec.code, '')
  await rejects(ow.actions.create({ name: name('nocode'), action: { exec: { kind: 'nodejs:default' } } }), 400,
    /exec\.code/)
})

test('packages: a plain package lists as binding false and gets as {}, a binding lists its package', async () => {
  const pkg = name('shape-pkg')
  const binding = name('shape-bind')
  await ow.packages.create({ name: pkg })
  await ow.packages.create({ name: binding, package: { binding: { namespace: '_', name: pkg } } })
  const listed = await ow.packages.list({ limit: 200 })
  const p = listed.find(x => x.name === pkg)
  const b = listed.find(x => x.name === binding)
  assert.equal(p.binding, false)
  assert.equal(b.binding.name, pkg)
  assert.equal(typeof b.binding.namespace, 'string')
  assert.deepEqual((await ow.packages.get({ name: pkg })).binding, {})
  await ow.packages.delete({ name: binding })
  await ow.packages.delete({ name: pkg })
})

test('a trigger activation has no end and no duration, an action activation has both', async () => {
  const actionName = name('shape-act')
  const triggerName = name('shape-trig')
  await ow.actions.create({ name: actionName, action: ECHO })
  await ow.triggers.create({ name: triggerName })
  await ow.rules.create({ name: name('shape-rule'), action: actionName, trigger: triggerName })
  const { activationId } = await ow.triggers.invoke({ name: triggerName, params: { from: 'fire' } })
  const fired = await eventually('trigger activation stored', () => ow.activations.get({ activationId }))
  assert.equal('end' in fired, false, JSON.stringify(fired))
  assert.equal('duration' in fired, false, JSON.stringify(fired))
  assert.deepEqual(fired.response.result, { from: 'fire' })
  const ruleRun = JSON.parse(fired.logs[0]).activationId
  const run = await eventually('rule activation stored', () => ow.activations.get({ activationId: ruleRun }))
  assert.ok(run.end >= run.start && Number.isInteger(run.duration), JSON.stringify(run))

  const briefs = await eventually('both listed', async () => {
    const list = await ow.activations.list({ limit: 200 })
    assert.ok(list.some(a => a.activationId === ruleRun) && list.some(a => a.activationId === activationId))
    return list
  })
  const triggerBrief = briefs.find(a => a.activationId === activationId)
  const actionBrief = briefs.find(a => a.activationId === ruleRun)
  for (const field of ['end', 'duration', 'statusCode']) {
    assert.equal(field in triggerBrief, false, `${field}: ${JSON.stringify(triggerBrief)}`)
    assert.ok(Number.isInteger(actionBrief[field]), `${field}: ${JSON.stringify(actionBrief)}`)
  }
  assert.equal(actionBrief.cause, activationId)
  assert.equal(annotation(actionBrief, 'kind'), await defaultKind('nodejs'))
})

test('references across namespaces: published packages may be used, anything else is 403', async (t) => {
  if (!other) return t.skip('no second namespace (WISP_COMPAT_OTHER_KEY)')
  const [otherNs] = await other.namespaces.list()
  const shared = name('shared')
  const hidden = name('hidden')
  await other.packages.create({ name: shared, package: { publish: true } })
  await other.actions.create({ name: `${shared}/echo`, action: ECHO })
  await other.packages.create({ name: hidden })
  await other.actions.create({ name: `${hidden}/echo`, action: ECHO })
  await other.actions.create({ name: name('loose'), action: ECHO })

  // a rule may name another namespace's action in a published package, and its fire runs it
  const triggerName = name('xns-trig')
  await ow.triggers.create({ name: triggerName })
  const rule = await ow.rules.create({ name: name('xns-rule'), trigger: triggerName, action: `/${otherNs}/${shared}/echo` })
  assert.equal(rule.action.path, `${otherNs}/${shared}`)
  const { activationId } = await ow.triggers.invoke({ name: triggerName, params: { via: 'rule' } })
  const fired = await eventually('trigger activation stored', () => ow.activations.get({ activationId }))
  const entry = JSON.parse(fired.logs[0])
  assert.equal(entry.success, true, fired.logs[0])
  const ran = await eventually('rule activation stored', () => ow.activations.get({ activationId: entry.activationId }))
  assert.equal(ran.response.result.via, 'rule')

  await rejects(ow.rules.create({ name: name('xns-hidden'), trigger: triggerName, action: `/${otherNs}/${hidden}/echo` }),
    403, /not authorized/)
  await rejects(ow.rules.create({ name: name('xns-loose'), trigger: triggerName, action: `/${otherNs}/${name('loose')}` }),
    403, /not authorized/)

  // so may a sequence; a component the caller may not read is 403
  const seq = name('xns-seq')
  await ow.actions.create({ name: seq, sequence: [`/${otherNs}/${shared}/echo`] })
  assert.deepEqual(await ow.actions.invoke({ name: seq, blocking: true, result: true, params: { n: 1 } }), { n: 1 })
  await rejects(ow.actions.create({ name: name('xns-seq2'), sequence: [`/${otherNs}/${hidden}/echo`] }), 403,
    /not accessible/)
  await rejects(ow.actions.create({ name: name('xns-seq3'), sequence: [`/${otherNs}/${name('loose')}`] }), 403,
    /not accessible/)

  // and a binding, of the published package only
  await ow.packages.create({ name: name('xns-bind'), package: { binding: { namespace: otherNs, name: shared } } })
  await rejects(ow.packages.create({ name: name('xns-bind2'), package: { binding: { namespace: otherNs, name: hidden } } }),
    403, /not authorized/)
})
