'use strict'
// Adobe's aio CLI (`aio runtime ...`) against Wisp, step by step as a user would type it: each step checks the
// exit code and what the command printed. The steps build on each other and run in order.
const assert = require('node:assert/strict')
const { before, test } = require('node:test')
const { apihost, namespace: ns, ok, json, fails, row, eventually, annotation, request } = require('../support/aio')

const ACTIVATION_ID = /^[0-9a-f]{32}$/
const ids = {}

// A namespace with leftovers of an interrupted run by hand: remove what the steps create (AioCliCompatIT gives
// every run a namespace of its own, where this finds nothing).
before(async () => {
  const auth = 'Basic ' + Buffer.from(process.env.AIO_RUNTIME_AUTH).toString('base64')
  const del = (path) => request('DELETE', `${apihost}/api/v1/namespaces/${ns}/${path}`, { authorization: auth })
  for (const r of ['tick-hello', 'demo-tick-rule']) await del(`rules/${r}`)
  for (const t of ['tick', 'demo-tick']) await del(`triggers/${t}`)
  for (const a of ['loud', 'hello', 'shout', 'web', 'utils/greet', 'aio-demo/greet', 'aio-demo/exclaim', 'aio-demo/greet-loudly']) {
    await del(`actions/${a}`)
  }
  for (const p of ['french', 'utils', 'aio-demo']) await del(`packages/${p}`)
})

// ---- actions ------------------------------------------------------------------------------------------------------

test('action create from a .js file', () => {
  const action = json('runtime', 'action', 'create', 'hello', 'hello.js', '--json')
  assert.equal(action.name, 'hello')
  assert.equal(action.namespace, ns)
  assert.equal(action.version, '0.0.1')
  assert.match(action.exec.kind, /^nodejs:\d+$/, 'nodejs:default is stored as the concrete default kind')
  assert.equal(annotation(action, 'exec'), action.exec.kind)
  assert.equal(annotation(action, 'provide-api-key'), false)
})

test('action get', () => {
  const out = ok('runtime', 'action', 'get', 'hello')
  assert.match(out, /^hello\n/)
  const action = JSON.parse(out.slice(out.indexOf('{')))
  assert.equal(action.name, 'hello')
  assert.equal(action.exec.code, undefined, 'aio leaves the code out')
  assert.equal(action.limits.timeout, 60000)
})

test('action get --code', () => {
  assert.match(ok('runtime', 'action', 'get', 'hello', '--code'), /console\.log\('hello invoked with '/)
})

test('action get --url', () => {
  assert.equal(ok('runtime', 'action', 'get', 'hello', '--url').trim(), `${apihost}/api/v1/namespaces/${ns}/actions/hello`)
})

test('action invoke --result', () => {
  assert.deepEqual(json('runtime', 'action', 'invoke', 'hello', '-p', 'name', 'Wisp', '--result'), { greeting: 'Hello, Wisp!' })
})

test('action invoke --blocking prints the activation', () => {
  const activation = json('runtime', 'action', 'invoke', 'hello', '-p', 'name', 'Blocking', '--blocking')
  assert.match(activation.activationId, ACTIVATION_ID)
  assert.equal(activation.name, 'hello')
  assert.equal(activation.namespace, ns)
  assert.equal(activation.response.success, true)
  assert.deepEqual(activation.response.result, { greeting: 'Hello, Blocking!' })
  assert.ok(activation.logs.some(l => l.includes('hello invoked with {"name":"Blocking"}')), JSON.stringify(activation.logs))
  assert.equal(typeof activation.duration, 'number')
  assert.equal(annotation(activation, 'path'), `${ns}/hello`)
})

test('action invoke (non-blocking) prints the activation id', () => {
  const answer = json('runtime', 'action', 'invoke', 'hello', '-p', 'name', 'Async')
  assert.match(answer.activationId, ACTIVATION_ID)
  ids.async = answer.activationId
})

test('action update with a new file and a bound parameter', () => {
  const action = json('runtime', 'action', 'update', 'hello', 'hello2.js', '-p', 'name', 'Updated', '--json')
  assert.equal(action.version, '0.0.2')
  assert.deepEqual(action.parameters, [{ key: 'name', value: 'Updated' }])
  assert.deepEqual(json('runtime', 'action', 'invoke', 'hello', '--result'), { greeting: 'Hi again, Updated!' })
})

test('action create from a .py file', () => {
  const action = json('runtime', 'action', 'create', 'shout', 'shout.py', '--json')
  assert.match(action.exec.kind, /^python:\d/)
  assert.deepEqual(json('runtime', 'action', 'invoke', 'shout', '-p', 'greeting', 'quiet', '--result'), { greeting: 'QUIET' })
})

test('action create --sequence', () => {
  const action = json('runtime', 'action', 'create', 'loud', '--sequence', 'hello,shout', '--json')
  assert.equal(action.exec.kind, 'sequence')
  assert.equal(action.exec.components.length, 2)
  assert.match(action.exec.components[0], /\/hello$/)
  assert.match(action.exec.components[1], /\/shout$/)
  assert.equal(annotation(action, 'exec'), 'sequence')
})

test('action invoke a sequence', () => {
  const activation = json('runtime', 'action', 'invoke', 'loud', '-p', 'name', 'Seq', '--blocking')
  assert.deepEqual(activation.response.result, { greeting: 'HI AGAIN, SEQ!' })
  assert.equal(activation.logs.length, 2, 'a sequence logs its components\' activation ids')
  ids.sequence = activation.activationId
  ids.component = activation.logs[0]
})

test('action create --web true, and the web URL answers', async () => {
  const action = json('runtime', 'action', 'create', 'web', 'web.js', '--web', 'true', '--json')
  assert.equal(annotation(action, 'web-export'), true)
  assert.equal(annotation(action, 'final'), true)
  const url = ok('runtime', 'action', 'get', 'web', '--url').trim()
  assert.equal(url, `${apihost}/api/v1/web/${ns}/default/web`)
  const res = await request('GET', `${url}?name=Browser`)
  assert.equal(res.status, 200)
  assert.match(res.headers['content-type'], /^text\/plain/)
  assert.equal(res.body, 'web says hello to Browser')
})

test('action list (table)', () => {
  const out = ok('runtime', 'action', 'list')
  assert.match(out, /Access\s+Kind\s+Version\s+Actions/)
  const hello = row(out, 'hello')
  assert.deepEqual(hello.slice(2), ['private', hello[3], '0.0.2', 'hello'])
  assert.match(hello[3], /^nodejs:\d+$/)
  assert.equal(row(out, 'web')[2], 'web', 'a web action\'s access is web')
  assert.equal(row(out, 'loud')[3], 'sequence')
  assert.match(row(out, 'shout')[3], /^python:/)
})

test('action list --json', () => {
  const actions = json('runtime', 'action', 'list', '--json')
  assert.deepEqual(actions.map(a => a.name).sort(), ['hello', 'loud', 'shout', 'web'])
  for (const a of actions) {
    assert.equal(a.namespace, ns)
    assert.ok(annotation(a, 'exec'), `${a.name} has the exec annotation`)
  }
})

test('action list --count', () => {
  assert.equal(ok('runtime', 'action', 'list', '--count').trim(), 'You have 4 actions in this namespace.')
})

// ---- activations --------------------------------------------------------------------------------------------------

test('activation get', async () => {
  const activation = await eventually('the non-blocking activation', () => json('runtime', 'activation', 'get', ids.async))
  assert.equal(activation.activationId, ids.async)
  assert.equal(activation.name, 'hello')
  assert.deepEqual(activation.response.result, { greeting: 'Hello, Async!' })
})

test('activation result', () => {
  const result = json('runtime', 'activation', 'result', ids.async)
  assert.deepEqual(result.result, { greeting: 'Hello, Async!' })
  assert.equal(result.success, true)
})

test('activation get --logs', () => {
  const out = ok('runtime', 'activation', 'get', ids.async, '--logs')
  assert.match(out, new RegExp(`activation logs ${ids.async}`))
  assert.match(out, /^hello invoked with \{"name":"Async"\}$/m, 'aio prints the log lines without time and stream')
})

test('activation list (table)', () => {
  const out = ok('runtime', 'activation', 'list', '--limit', '50')
  assert.match(out, /Status\s+Kind\s+Version\s+Activation ID\s+Start\s+Wait\s+Init\s+Duration\s+Entity/)
  const line = out.split('\n').find(l => l.includes(ids.async))
  assert.ok(line, `activation ${ids.async} listed:\n${out}`)
  assert.match(line, /\bsuccess\s+nodejs:\d+\s+0\.0\.1\s+\S*\s*[0-9a-f]{32}\s+(cold|warm)\s+\d+\s+\d+\s+(\d+ms|--)\s+hello\s*$/)
  const seq = out.split('\n').find(l => l.includes(ids.sequence))
  assert.match(seq, /\bsuccess\s+sequence\s+0\.0\.1\s/)
  assert.match(seq, /\sloud\s*$/)
})

test('activation list <action> --json', () => {
  const activations = json('runtime', 'activation', 'list', 'shout', '--json')
  assert.ok(activations.length >= 2, 'the direct invoke and the sequence\'s component')
  for (const a of activations) assert.equal(a.name, 'shout')
  assert.ok(activations.every(a => ACTIVATION_ID.test(a.activationId)))
})

test('activation list --count', () => {
  assert.match(ok('runtime', 'activation', 'list', '--count').trim(), /^You have \d+ activations in this namespace\.$/)
})

// ---- triggers and rules -------------------------------------------------------------------------------------------

test('trigger create and get', () => {
  ok('runtime', 'trigger', 'create', 'tick', '-p', 'name', 'Trigger')
  const trigger = json('runtime', 'trigger', 'get', 'tick')
  assert.equal(trigger.name, 'tick')
  assert.equal(trigger.namespace, ns)
  assert.deepEqual(trigger.parameters, [{ key: 'name', value: 'Trigger' }])
})

test('rule create and get', () => {
  ok('runtime', 'rule', 'create', 'tick-hello', 'tick', 'hello')
  const rule = json('runtime', 'rule', 'get', 'tick-hello')
  assert.equal(rule.name, 'tick-hello')
  assert.equal(rule.status, 'active')
  assert.equal(rule.trigger.name, 'tick')
  assert.equal(rule.action.name, 'hello')
})

test('rule disable, status, enable', () => {
  ok('runtime', 'rule', 'disable', 'tick-hello')
  assert.equal(ok('runtime', 'rule', 'status', 'tick-hello').trim(), 'inactive')
  assert.match(ok('runtime', 'rule', 'enable', 'tick-hello'), /^Rule Enabled/)
  assert.equal(ok('runtime', 'rule', 'status', 'tick-hello').trim(), 'active')
})

test('trigger list and rule list (tables)', () => {
  assert.deepEqual(row(ok('runtime', 'trigger', 'list'), 'tick').slice(2), ['1', 'active', '0.0.1', 'tick'])
  assert.deepEqual(row(ok('runtime', 'rule', 'list'), 'tick-hello').slice(2), ['active', '0.0.1', 'tick-hello'])
})

test('namespace list and get', () => {
  assert.deepEqual(row(ok('runtime', 'namespace', 'list'), ns), [ns])
  const entities = json('runtime', 'namespace', 'get', '--json')
  assert.deepEqual(entities.actions.map(a => a.name).sort(), ['hello', 'loud', 'shout', 'web'])
  assert.deepEqual(entities.triggers.map(t => t.name), ['tick'])
  assert.deepEqual(entities.rules.map(r => [r.name, r.status]), [['tick-hello', 'active']])
  assert.deepEqual(entities.packages, [])
})

test('trigger fire runs the rule\'s action', async () => {
  const fired = json('runtime', 'trigger', 'fire', 'tick', '-p', 'source', 'aio')
  assert.match(fired.activationId, ACTIVATION_ID)
  ids.trigger = fired.activationId
  const activation = await eventually('the trigger activation', () => json('runtime', 'activation', 'get', ids.trigger))
  assert.equal(activation.name, 'tick')
  assert.equal(activation.end, undefined, 'a trigger activation has no end')
  assert.equal(activation.duration, undefined, 'a trigger activation has no duration')
  assert.equal(activation.logs.length, 1)
  const fromRule = JSON.parse(activation.logs[0])
  assert.equal(fromRule.success, true, activation.logs[0])
  const result = await eventually('the rule\'s activation', () => json('runtime', 'activation', 'result', fromRule.activationId))
  assert.deepEqual(result.result, { greeting: 'Hi again, Trigger!' })
})

test('activation list shows the trigger', () => {
  const out = ok('runtime', 'activation', 'list', '--limit', '50')
  const line = out.split('\n').find(l => l.includes(ids.trigger))
  assert.ok(line, `trigger activation ${ids.trigger} listed:\n${out}`)
  assert.match(line, /\bsuccess\s+trigger\s+0\.0\.1\s+\S*\s*[0-9a-f]{32}\s+--\s+--\s+--\s+--\s+tick\s*$/)
})

test('rule delete and trigger delete', () => {
  ok('runtime', 'rule', 'delete', 'tick-hello')
  ok('runtime', 'trigger', 'delete', 'tick')
  assert.deepEqual(json('runtime', 'rule', 'list', '--json'), [])
  assert.deepEqual(json('runtime', 'trigger', 'list', '--json'), [])
})

// ---- packages -----------------------------------------------------------------------------------------------------

test('package create and an action in it', () => {
  const pkg = json('runtime', 'package', 'create', 'utils', '-p', 'greeting', 'Hello', '--json')
  assert.equal(pkg.name, 'utils')
  assert.deepEqual(pkg.parameters, [{ key: 'greeting', value: 'Hello' }])
  ok('runtime', 'action', 'create', 'utils/greet', 'greet.js')
  assert.deepEqual(row(ok('runtime', 'action', 'list', 'utils'), 'utils/greet').slice(2, 3), ['private'])
})

test('package bind', () => {
  const binding = json('runtime', 'package', 'bind', 'utils', 'french', '-p', 'greeting', 'Bonjour', '--json')
  assert.equal(binding.name, 'french')
  assert.deepEqual(binding.binding, { namespace: ns, name: 'utils' })
})

test('package list (table)', () => {
  const out = ok('runtime', 'package', 'list')
  assert.deepEqual(row(out, 'utils').slice(2), ['private', 'package', '0.0.1', 'utils'])
  assert.deepEqual(row(out, 'french').slice(2), ['private', 'binding', '0.0.1', 'french'])
})

test('package list --json', () => {
  const byName = Object.fromEntries(json('runtime', 'package', 'list', '--json').map(p => [p.name, p]))
  assert.deepEqual(Object.keys(byName).sort(), ['french', 'utils'])
  assert.equal(byName.utils.binding, false)
  assert.deepEqual(byName.french.binding, { namespace: ns, name: 'utils' })
})

test('package get', () => {
  const pkg = json('runtime', 'package', 'get', 'utils')
  assert.deepEqual(pkg.actions.map(a => a.name), ['greet'])
  assert.deepEqual(pkg.parameters, [{ key: 'greeting', value: 'Hello' }])
  const binding = json('runtime', 'package', 'get', 'french')
  assert.deepEqual(binding.binding, { namespace: ns, name: 'utils' })
})

test('action invoke through a binding', () => {
  assert.deepEqual(json('runtime', 'action', 'invoke', 'french/greet', '-p', 'name', 'Wisp', '--result'), { text: 'Bonjour, Wisp' })
  assert.deepEqual(json('runtime', 'action', 'invoke', 'utils/greet', '-p', 'name', 'Wisp', '--result'), { text: 'Hello, Wisp' })
})

test('package update --shared', () => {
  ok('runtime', 'package', 'update', 'utils', '--shared', 'true')
  const pkg = json('runtime', 'package', 'get', 'utils')
  assert.equal(pkg.publish, true)
  assert.deepEqual(row(ok('runtime', 'package', 'list'), 'utils').slice(2, 4), ['public', 'package'])
})

test('package delete, --recursive', () => {
  ok('runtime', 'package', 'delete', 'french')
  ok('runtime', 'package', 'delete', 'utils', '--recursive')
  assert.deepEqual(json('runtime', 'package', 'list', '--json'), [])
  fails(/404/, 'runtime', 'action', 'get', 'utils/greet')
})

// ---- deploy -------------------------------------------------------------------------------------------------------

test('deploy -m manifest.yml', () => {
  const out = ok('runtime', 'deploy', '-m', 'manifest.yml')
  assert.match(out, /Success: Deployment completed successfully\./)
  const actions = json('runtime', 'action', 'list', 'aio-demo', '--json')
  assert.deepEqual(actions.map(a => a.name).sort(), ['exclaim', 'greet', 'greet-loudly'])
  for (const a of actions) assert.equal(a.namespace, `${ns}/aio-demo`)
  const pkg = json('runtime', 'package', 'get', 'aio-demo')
  assert.deepEqual(pkg.parameters, [{ key: 'greeting', value: 'Howdy' }])
})

test('deployed actions: package inputs, web, sequence', async () => {
  assert.deepEqual(json('runtime', 'action', 'invoke', 'aio-demo/greet', '-p', 'name', 'Deploy', '--result'), { greeting: 'Howdy, Deploy' })
  const greet = json('runtime', 'action', 'get', 'aio-demo/greet')
  assert.equal(annotation(greet, 'web-export'), true)
  assert.equal(greet.limits.timeout, 10000)
  const url = ok('runtime', 'action', 'get', 'aio-demo/greet', '--url').trim()
  assert.equal(url, `${apihost}/api/v1/web/${ns}/aio-demo/greet`)
  const res = await request('GET', `${url}.json?name=Web`)
  assert.equal(res.status, 200)
  assert.deepEqual(JSON.parse(res.body), { greeting: 'Howdy, Web' })
  assert.deepEqual(json('runtime', 'action', 'invoke', 'aio-demo/greet-loudly', '--result'), { greeting: 'Howdy, world!!!' })
})

test('deployed trigger and rule', async () => {
  assert.equal(ok('runtime', 'rule', 'status', 'demo-tick-rule').trim(), 'active')
  const fired = json('runtime', 'trigger', 'fire', 'demo-tick')
  const activation = await eventually('the trigger activation', () => json('runtime', 'activation', 'get', fired.activationId))
  const fromRule = JSON.parse(activation.logs[0])
  const result = await eventually('the sequence the rule ran', () => json('runtime', 'activation', 'result', fromRule.activationId))
  assert.deepEqual(result.result, { greeting: 'Howdy, trigger!!!' })
})

test('deploy undeploy -m manifest.yml', () => {
  ok('runtime', 'deploy', 'undeploy', '-m', 'manifest.yml')
  assert.deepEqual(json('runtime', 'package', 'list', '--json'), [])
  assert.deepEqual(json('runtime', 'trigger', 'list', '--json'), [])
  assert.deepEqual(json('runtime', 'rule', 'list', '--json'), [])
})

// ---- clean-up -----------------------------------------------------------------------------------------------------

test('action delete', () => {
  for (const name of ['loud', 'hello', 'shout', 'web']) ok('runtime', 'action', 'delete', name)
  fails(/failed to retrieve the action: .*\(404 Not Found\)/, 'runtime', 'action', 'get', 'hello')
  assert.deepEqual(json('runtime', 'action', 'list', '--json'), [])
})
