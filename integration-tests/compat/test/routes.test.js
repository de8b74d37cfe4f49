'use strict'
// API routes as OpenWhisk's API gateway serves them: created, listed and deleted through the client's `routes`
// (the /whisk.system/apimgmt web actions), then called over plain HTTP at /api/{namespace}/{basePath}/{path}.
const test = require('node:test')
const assert = require('node:assert/strict')
const { apihost, ow, other, name, rejects, eventually } = require('../support/ow')

const BOOKS = `function main(p) {
  return { statusCode: 200, headers: { 'content-type': 'application/json' },
           body: { isbn: p.isbn, path: p.__ow_path, method: p.__ow_method, q: p.q, title: p.title } };
}`

async function webAction (actionName, code, web = true) {
  await ow.actions.create({
    name: actionName,
    action: { exec: { kind: 'nodejs:default', code }, annotations: [{ key: 'web-export', value: web }] }
  })
}

async function errorJson (res, status) {
  assert.equal(res.status, status)
  assert.match(res.headers.get('content-type'), /application\/json/)
  const body = await res.json()
  assert.equal(typeof body.error, 'string', JSON.stringify(body))
  assert.equal(body.code, res.headers.get('x-request-id'), 'the code is the request id')
  return body
}

test('routes: create with a path parameter, call it by verb, list it, delete one verb, then the API', async () => {
  const action = name('route-books')
  const basepath = `/${name('library')}`
  await webAction(action, BOOKS)

  const created = await ow.routes.create({ basepath, relpath: '/books/{isbn}', operation: 'GET', action,
    responsetype: 'http' })
  const api = created
  assert.equal(api.gwApiActivated, true)
  assert.ok(api.gwApiUrl.endsWith(`/api/${api.namespace}${basepath}`), api.gwApiUrl)
  assert.equal(api.apidoc.basePath, basepath)
  const op = api.apidoc.paths['/books/{isbn}'].get
  assert.equal(op['x-openwhisk'].action, action)
  assert.ok(op['x-openwhisk'].url.endsWith(`/api/v1/web/${api.namespace}/default/${action}.http`),
    op['x-openwhisk'].url)
  assert.equal(op.parameters[0].name, 'isbn')
  await ow.routes.create({ basepath, relpath: '/books', operation: 'POST', action })

  // GET with the path parameter: the http response type passes the action's own response
  let res = await fetch(`${api.gwApiUrl}/books/978-0-13?q=first`, { headers: { origin: 'http://example.org' } })
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('access-control-allow-origin'), '*')
  assert.deepEqual(await res.json(), { isbn: '978-0-13', path: '/books/978-0-13', method: 'get', q: 'first' })

  // POST with a JSON body, the default json response type: the whole result
  res = await fetch(`${api.gwApiUrl}/books`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Dune' }) })
  assert.equal(res.status, 200)
  const result = await res.json()
  assert.equal(result.body.title, 'Dune')
  assert.equal(result.body.method, 'post')

  // a preflight for the path; another verb; an unknown path: never an HTML page, never a 500
  res = await fetch(`${api.gwApiUrl}/books/1`, { method: 'OPTIONS',
    headers: { origin: 'http://example.org', 'access-control-request-method': 'GET' } })
  assert.equal(res.status, 200)
  assert.match(res.headers.get('access-control-allow-methods'), /GET/)
  assert.match((await errorJson(await fetch(`${api.gwApiUrl}/books/1`, { method: 'PUT' }), 405)).error, /GET/)
  assert.match((await errorJson(await fetch(`${api.gwApiUrl}/nothing/here`), 404)).error, /does not exist/)
  await errorJson(await fetch(`${apihost}/api/${name('nobody')}/x`), 404)

  // listed by base path, with both operations
  const listed = await ow.routes.list({ basepath })
  assert.equal(listed.apis.length, 1)
  assert.deepEqual(Object.keys(listed.apis[0].value.apidoc.paths).sort(), ['/books', '/books/{isbn}'])
  assert.ok((await ow.routes.list()).apis.some(a => a.value.apidoc.basePath === basepath))

  // delete one verb: its path goes with it, the other stays
  await ow.routes.delete({ basepath, relpath: '/books', operation: 'POST' })
  await eventually('POST /books gone', async () =>
    errorJson(await fetch(`${api.gwApiUrl}/books`, { method: 'POST' }), 404))
  assert.equal((await fetch(`${api.gwApiUrl}/books/1`)).status, 200)

  await ow.routes.delete({ basepath })
  await eventually('the API gone', async () => errorJson(await fetch(`${api.gwApiUrl}/books/1`), 404))
  assert.equal((await ow.routes.list({ basepath })).apis.length, 0)
  await rejects(ow.routes.delete({ basepath }), 404, /does not exist/)
  await ow.actions.delete({ name: action })
})

test('routes: only web actions can be mapped', async () => {
  const action = name('route-plain')
  await webAction(action, 'function main() { return {}; }', false)
  await rejects(ow.routes.create({ basepath: `/${name('plain')}`, relpath: '/x', operation: 'GET', action }), 400,
    /not a web action/)
  await ow.actions.delete({ name: action })
})

test('routes: a whole swagger document, with a rate limit and CORS turned off', async () => {
  const action = name('route-limited')
  await webAction(action, 'function main(p) { return { n: 1 }; }')
  const basepath = `/${name('limited')}`
  const ns = (await ow.namespaces.list())[0]
  const swagger = {
    swagger: '2.0',
    basePath: basepath,
    info: { title: 'limited', version: '1.0.0' },
    'x-ibm-configuration': { cors: { enabled: false } },
    'x-ibm-rate-limit': [{ rate: 2, unit: 'hour', units: 1 }],
    paths: {
      '/n': { get: { operationId: 'getN', 'x-openwhisk': { namespace: ns, package: '', action,
        url: `${apihost}/api/v1/web/${ns}/default/${action}.json` } } }
    }
  }
  const created = await ow.routes.create({ swagger })
  const url = `${created.gwApiUrl}/n`
  let res = await fetch(url)
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('access-control-allow-origin'), null, 'CORS is off for this API')
  assert.deepEqual(await res.json(), { n: 1 })
  assert.equal((await fetch(url)).status, 200)
  res = await fetch(url)
  assert.match((await errorJson(res, 429)).error, /2 per 1 hour/)
  await ow.routes.delete({ basepath })
  await ow.actions.delete({ name: action })
})

test('routes: another namespace can neither see nor change them', { skip: !other }, async () => {
  const action = name('route-mine')
  const basepath = `/${name('mine')}`
  await webAction(action, 'function main() { return { mine: true }; }')
  const created = await ow.routes.create({ basepath, relpath: '/x', operation: 'GET', action })
  const mine = created.namespace

  assert.equal((await other.routes.list({ basepath })).apis.length, 0)
  await rejects(other.routes.delete({ basepath }), 404)
  // naming this namespace in the apidoc is refused, with the API's JSON error
  const otherKey = process.env.WISP_COMPAT_OTHER_KEY
  const res = await fetch(`${apihost}/api/v1/web/whisk.system/apimgmt/createApi.http`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(otherKey).toString('base64')}` },
    body: JSON.stringify({ apidoc: { namespace: mine, gatewayBasePath: basepath, gatewayPath: '/x',
      gatewayMethod: 'DELETE', action: { name: action, namespace: mine, backendMethod: 'GET', backendUrl: 'x', authkey: 'x' } } })
  })
  assert.match((await errorJson(res, 403)).error, /not authorized/)
  const anonymous = await fetch(`${apihost}/api/v1/web/whisk.system/apimgmt/getApi.http`)
  await errorJson(anonymous, 401)

  // the route itself is public, as the web action behind it is
  const got = await fetch(`${created.gwApiUrl}/x`)
  assert.deepEqual(await got.json(), { mine: true })
  await ow.routes.delete({ basepath })
  await ow.actions.delete({ name: action })
})
