'use strict';
// Runs the Node.js action runtime as a child process and talks to it over HTTP; then, when the image exists,
// wisp/action-nodejs:latest in Docker: the shared token and zip tests (testkit/protocol-tests.js) and what only
// the image has (the openwhisk client).
// Like the invoker, the runtime gets a random WISP_RUNTIME_TOKEN and every /init and /run carries the header.
// Run: node --test runtimes/nodejs/test/

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawn } = require('node:child_process');
const kit = require('../../testkit/runtime-container');
const { describeRuntime } = require('../../testkit/protocol-tests');

const SERVER = path.join(__dirname, '..', 'server.js');
const { LOG_LINE, SENTINEL, UNAUTHORIZED, newToken, post, init, run, runEnvelope, zip } = kit;

/**
 * Starts a fresh runtime on a free port; resolves to {url, token, stdout(), stderr()}.
 * `token`: its WISP_RUNTIME_TOKEN (default: a random one; null: none); `env`: more variables.
 */
function startRuntime(t, { token = newToken(), env: extra = {} } = {}) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, PORT: '0' };
    // the launcher's own WISP_* variables (WISP_HOME) are not the runtime's: only the token may appear
    for (const k of Object.keys(env)) if (k.startsWith('WISP_')) delete env[k];
    if (token !== null) env.WISP_RUNTIME_TOKEN = token;
    Object.assign(env, extra);
    const child = spawn(process.execPath, [SERVER], { env });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => reject(new Error(`runtime exited early (${code}): ${err}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\d+)/.exec(out);
      if (m && !child.started) {
        child.started = true;
        resolve({ url: `http://127.0.0.1:${m[1]}`, token, stdout: () => out, stderr: () => err });
      }
    });
    t.after(() => { child.removeAllListeners('exit'); child.kill(); });
  });
}

async function ready(t, code, extra = {}, options = {}) {
  const rt = await startRuntime(t, options);
  const r = await init(rt, { name: 'test', code, ...extra });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { OK: true });
  return rt;
}

// ------------------------------------------------------------------------ tests

test('a runtime whose port is taken exits at once, saying why', { timeout: 10000 }, async (t) => {
  const net = require('node:net');
  const taken = net.createServer().listen(0, '0.0.0.0');
  await new Promise((r) => taken.once('listening', r));
  t.after(() => taken.close());
  const env = { ...process.env, PORT: String(taken.address().port) };
  for (const k of Object.keys(env)) if (k.startsWith('WISP_')) delete env[k];
  const child = spawn(process.execPath, [SERVER], { env });
  t.after(() => child.kill());
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 1);
  assert.match(err, new RegExp(`cannot serve on port ${taken.address().port}: .*EADDRINUSE`));
});

test('init + run hello, plain protocol', async (t) => {
  const rt = await ready(t, `function main(p) { console.log('hello', p.name); return { greeting: 'Hello ' + p.name }; }`);
  const r = await run(rt, { name: 'Wisp' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { greeting: 'Hello Wisp' });
  assert.equal(r.headers.get('x-wisp-envelope'), null);
  // plain mode: the action's lines and the sentinels go to the real streams
  await new Promise((res) => setTimeout(res, 50));
  assert.match(rt.stdout(), new RegExp(`hello Wisp\\n${SENTINEL}\\n`));
  assert.match(rt.stderr(), new RegExp(SENTINEL));
});

test('the three ways to define main, plus a custom name and async', async (t) => {
  const styles = {
    'exports.main': `exports.main = (p) => ({ style: 'exports', n: p.n });`,
    'module.exports = fn': `module.exports = function (p) { return { style: 'function', n: p.n }; };`,
    'top-level declaration': `const helper = (n) => n * 2;\nfunction main(p) { return { style: 'declared', n: helper(p.n) / 2 }; }`,
    'async arrow': `module.exports.main = async (p) => { await new Promise((r) => setTimeout(r, 5)); return { style: 'async', n: p.n }; };`,
  };
  for (const [name, code] of Object.entries(styles)) {
    await t.test(name, async (t2) => {
      const rt = await ready(t2, code);
      const r = await run(rt, { n: 7 });
      assert.equal(r.status, 200);
      assert.equal(r.body.n, 7);
    });
  }
  await t.test('custom main name, declared', async (t2) => {
    const rt = await ready(t2, `function handler(p) { return { ok: p.x }; }`, { main: 'handler' });
    assert.deepEqual((await run(rt, { x: 1 })).body, { ok: 1 });
  });
  await t.test('custom main name, exported', async (t2) => {
    const rt = await ready(t2, `module.exports = { niam: () => ({ ok: true }) };`, { main: 'niam' });
    assert.deepEqual((await run(rt, {})).body, { ok: true });
  });
  await t.test('action code can require built-in modules', async (t2) => {
    const rt = await ready(t2, `const os = require('os'); exports.main = () => ({ eol: os.EOL });`);
    assert.deepEqual((await run(rt, {})).body, { eol: '\n' });
  });
});

test('init failures are 502 with a clear message', async (t) => {
  const cases = {
    'syntax error': [{ code: 'function main( {' }, /SyntaxError/],
    'no such function': [{ code: 'exports.other = () => ({})' }, /'main' not found/],
    'throws at load': [{ code: 'throw new Error("load boom")' }, /load boom/],
    'bad zip': [{ code: Buffer.from('not a zip').toString('base64'), binary: true }, /unzip/i],
    'no code': [{}, /code/],
  };
  for (const [name, [value, pattern]] of Object.entries(cases)) {
    await t.test(name, async (t2) => {
      const rt = await startRuntime(t2);
      const r = await init(rt, value);
      assert.equal(r.status, 502);
      assert.match(r.body.error, pattern);
    });
  }
});

test('binary (zip) actions: package.json main and index.js', async (t) => {
  await t.test('package.json main', async (t2) => {
    const code = zip({
      'package.json': JSON.stringify({ main: 'lib/action.js' }),
      'lib/action.js': `const h = require('./helper'); exports.main = (p) => ({ v: h(p.v) });`,
      'lib/helper.js': `module.exports = (v) => v + 1;`,
    });
    const rt = await ready(t2, code, { binary: true });
    assert.deepEqual((await run(rt, { v: 1 })).body, { v: 2 });
  });
  await t.test('index.js with a declared main', async (t2) => {
    const rt = await ready(t2, zip({ 'index.js': `function main() { return { zipped: true }; }` }), { binary: true });
    assert.deepEqual((await run(rt, {})).body, { zipped: true });
  });
});

test('second init is refused with 403, run before init is 403', async (t) => {
  const rt = await startRuntime(t);
  const early = await run(rt, {});
  assert.equal(early.status, 403);
  assert.match(early.body.error, /not been initialized/);
  assert.equal((await init(rt, { code: 'function main() { return { v: 1 }; }' })).status, 200);
  const again = await init(rt, { code: 'function main() { return { v: 2 }; }' });
  assert.equal(again.status, 403);
  assert.deepEqual(again.body, { error: 'Cannot initialize the action more than once.' });
  assert.deepEqual((await run(rt, {})).body, { v: 1 });
});

test('errors: thrown 502, rejected 502, rejected {error} 200, returned {error} 200', async (t) => {
  const rt = await ready(t, `
    async function main(p) {
      if (p.mode === 'throw') throw new Error('boom');
      if (p.mode === 'reject') return Promise.reject(new TypeError('bad type'));
      if (p.mode === 'rejectDict') return Promise.reject({ error: 'as a dict' });
      if (p.mode === 'returnError') return { error: 'application error' };
      return {};
    }`);
  let r = await run(rt, { mode: 'throw' });
  assert.equal(r.status, 502);
  assert.deepEqual(r.body, { error: 'An error has occurred: Error: boom' });
  r = await run(rt, { mode: 'reject' });
  assert.equal(r.status, 502);
  assert.deepEqual(r.body, { error: 'An error has occurred: TypeError: bad type' });
  r = await run(rt, { mode: 'rejectDict' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { error: 'as a dict' });
  r = await run(rt, { mode: 'returnError' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { error: 'application error' });
});

test('a non-dictionary result is 502', async (t) => {
  const rt = await ready(t, `function main(p) { return p.v; }`);
  for (const v of [undefined, 42, 'text', [1, 2], null]) {
    const r = await run(rt, v === undefined ? {} : { v });
    assert.equal(r.status, 502, `for ${JSON.stringify(v)}`);
    assert.deepEqual(r.body, { error: 'The action did not return a dictionary.' });
  }
});

test('the warm-up leaves a new runtime: no action, no log, no variables; WISP_WARMUP=0 skips it', async (t) => {
  for (const warmup of [undefined, '0']) {
    const rt = await startRuntime(t, { env: warmup === undefined ? {} : { WISP_WARMUP: warmup } });
    assert.equal((await run(rt, {})).status, 403, 'the throwaway action is gone');
    assert.equal((await init(rt, { code: 'function main() { return { env: Object.keys(process.env) }; }' })).status, 200);
    const r = await run(rt, {});
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.env.filter((k) => k.startsWith('__OW_') || k.startsWith('WISP_')), []);
    assert.equal(rt.stdout().includes('warm'), false, rt.stdout());
    assert.doesNotMatch(rt.stderr(), /warm-up failed/);
  }
});

test('__OW_ variables and init env', async (t) => {
  const rt = await ready(t,
    `function main() { const e = process.env; return { id: e.__OW_ACTIVATION_ID, ns: e.__OW_NAMESPACE, ` +
    `dl: e.__OW_DEADLINE, key: e.__OW_API_KEY, mine: e.MY_SETTING, obj: e.MY_OBJ }; }`,
    { env: { MY_SETTING: 'on', MY_OBJ: { a: 1 } } });
  const r = await run(rt, {}, {
    activation_id: 'a1b2c3', namespace: 'guest', deadline: 1234567890123, api_key: 'k:s', action_name: '/guest/x',
  });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { id: 'a1b2c3', ns: 'guest', dl: '1234567890123', key: 'k:s', mine: 'on', obj: '{"a":1}' });
});

test('concurrent activations keep their own logs', async (t) => {
  const rt = await ready(t, `
    async function main(p) {
      console.log('start ' + p.name);
      await new Promise((r) => setTimeout(r, p.delay));
      console.error('middle ' + p.name);
      await new Promise((r) => setTimeout(() => { console.log('in timer ' + p.name); r(); }, p.delay));
      process.stdout.write('end ');
      process.stdout.write(p.name + '\\n');
      return { name: p.name };
    }`);
  const [a, b] = await Promise.all([
    runEnvelope(rt, { name: 'alpha', delay: 60 }),
    runEnvelope(rt, { name: 'beta', delay: 20 }),
  ]);
  for (const [r, name] of [[a, 'alpha'], [b, 'beta']]) {
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.result, { name });
    const texts = r.body.logs.map((l) => l.replace(LOG_LINE, '$1 '));
    assert.deepEqual(texts, [
      `stdout start ${name}`, `stderr middle ${name}`, `stdout in timer ${name}`, `stdout end ${name}`,
    ]);
    for (const l of r.body.logs) assert.match(l, LOG_LINE);
  }
});

test('logs are truncated at X-Wisp-Log-Limit bytes', async (t) => {
  const rt = await ready(t, `function main(p) { for (let i = 0; i < p.n; i++) console.log('line-' + String(i).padStart(4, '0')); return {}; }`);
  const r = await runEnvelope(rt, { n: 100 }, {}, { 'X-Wisp-Log-Limit': '50' });
  assert.equal(r.status, 200);
  // each line is 9 bytes + newline: 5 fit in 50 bytes
  assert.equal(r.body.logs.length, 6);
  assert.match(r.body.logs[4], / stdout: line-0004$/);
  assert.match(r.body.logs[5],
    /^\S+Z stderr: Logs were truncated because the total bytes size exceeds the limit of 50 bytes\.$/);
  // the default limit is large
  const all = await runEnvelope(rt, { n: 100 });
  assert.equal(all.body.logs.length, 100);
});

test('envelope vs plain responses, including errors', async (t) => {
  const rt = await ready(t, `function main(p) { console.log('working'); if (p.fail) throw new Error('nope'); return { ok: true }; }`);
  const plain = await run(rt, {});
  assert.deepEqual(plain.body, { ok: true });
  assert.equal(plain.headers.get('x-wisp-envelope'), null);

  const env = await runEnvelope(rt, {});
  assert.equal(env.status, 200);
  assert.equal(env.headers.get('x-wisp-envelope'), '1');
  assert.deepEqual(Object.keys(env.body).sort(), ['logs', 'result']);
  assert.deepEqual(env.body.result, { ok: true });
  assert.equal(env.body.logs.length, 1);
  assert.match(env.body.logs[0], /^\S+Z stdout: working$/);

  const failed = await runEnvelope(rt, { fail: true });
  assert.equal(failed.status, 502);
  assert.deepEqual(failed.body.result, { error: 'An error has occurred: Error: nope' });
  assert.ok(failed.body.logs.some((l) => / stderr: Error: nope/.test(l)), 'stack trace in the logs');

  // envelope activations write nothing to the real stdout, plain ones do
  await new Promise((res) => setTimeout(res, 50));
  assert.equal(rt.stdout().split(SENTINEL).length - 1, 1);
});

test('bad requests and a misbehaving action do not break the server', async (t) => {
  const rt = await ready(t, `
    function main(p) {
      if (p.crash) { setTimeout(() => { throw new Error('late crash'); }, 1); Promise.reject(new Error('ignored')); }
      return { ok: true };
    }`);
  const bad = await post(rt, '/run', '{not json');
  assert.equal(bad.status, 400);
  assert.match(bad.body.error, /JSON/);
  assert.equal((await run(rt, { crash: true })).status, 200);
  await new Promise((res) => setTimeout(res, 30));
  assert.equal((await run(rt, {})).status, 200);
  const health = await fetch(rt.url + '/health');
  assert.equal(health.status, 200);
  assert.match(rt.stderr(), /late crash/);
});

/**
 * Writes `parts` (strings or Buffers) to a new connection to the runtime, one after another; resolves to what the
 * runtime sent back once it closes the connection or `quietMs` pass without a byte.
 */
function rawExchange(rt, parts, quietMs = 500) {
  const net = require('node:net');
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(rt.url).port), '127.0.0.1');
    let got = '';
    let timer = null;
    const done = () => { clearTimeout(timer); socket.destroy(); resolve(got); };
    const quiet = () => { clearTimeout(timer); timer = setTimeout(done, quietMs); };
    socket.on('data', (d) => { got += d.toString('latin1'); quiet(); });
    socket.on('close', done);
    socket.on('error', reject);
    socket.on('connect', async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((res) => setImmediate(res));
      }
      quiet();
    });
  });
}

const statuses = (text) => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));

test('the HTTP reader: requests split anywhere or sent together are answered in order; what it refuses it says',
  async (t) => {
    const rt = await ready(t, 'function main(p) { return { n: p.n }; }');
    const request = (n, extra = '') => {
      const body = JSON.stringify({ value: { n } });
      return `POST /run HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${rt.token}\r\nContent-Type: application/json\r\n`
        + `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
    };
    // one byte at a time, then two requests in one write, on one keep-alive connection
    const split = [...request(1)].map((c) => c);
    const answered = await rawExchange(rt, [...split, request(2) + request(3)]);
    assert.deepEqual(statuses(answered), [200, 200, 200], answered);
    assert.deepEqual([...answered.matchAll(/\{"n":(\d)\}/g)].map((m) => Number(m[1])), [1, 2, 3]);

    // Connection: close is honoured: the second request on that connection is never read
    const closing = await rawExchange(rt, [request(4, 'Connection: close\r\n') + request(5)]);
    assert.deepEqual(statuses(closing), [200], closing);
    assert.match(closing, /\r\nConnection: close\r\n/);

    const chunked = await rawExchange(rt, [`POST /run HTTP/1.1\r\nAuthorization: Bearer ${rt.token}\r\n`
      + 'Transfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n0\r\n\r\n']);
    assert.deepEqual(statuses(chunked), [411], chunked);
    assert.match(chunked, /Content-Length/);

    const huge = await rawExchange(rt, [`POST /run HTTP/1.1\r\nAuthorization: Bearer ${rt.token}\r\n`
      + `Content-Length: ${128 * 1024 * 1024 + 1}\r\n\r\n{}`]);
    assert.deepEqual(statuses(huge), [413], huge);
    assert.match(huge, /limit is 134217728 bytes/);

    const lying = await rawExchange(rt, [`POST /run HTTP/1.1\r\nAuthorization: Bearer ${rt.token}\r\n`
      + 'Content-Length: -3\r\n\r\n']);
    assert.deepEqual(statuses(lying), [400], lying);

    // the token comes first: a refused request's body is dropped, however it is framed, and runs nothing
    const refused = await rawExchange(rt, ['POST /run HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n']);
    assert.deepEqual(statuses(refused), [401], refused);
    const dropped = await rawExchange(rt, ['POST /run HTTP/1.1\r\nContent-Length: 300000\r\n\r\n',
      Buffer.alloc(150000, 'x'), Buffer.alloc(150000, 'y'), request(8)]);
    assert.deepEqual(statuses(dropped), [401, 200], dropped);

    const endless = await rawExchange(rt, [`POST /run HTTP/1.1\r\nX-Long: ${'a'.repeat(70 * 1024)}`]);
    assert.deepEqual(statuses(endless), [431], endless);
    assert.match(endless, /over 65536 bytes/);

    const garbage = await rawExchange(rt, ['\x16\x03\x01 not http at all\r\n\r\n']);
    assert.deepEqual(statuses(garbage), [400], garbage);

    // none of that hurt the runtime: a normal request still runs the action
    assert.deepEqual((await run(rt, { n: 7 })).body, { n: 7 });
  });

// ------------------------------------------------------------------ the invoker's token

const COUNTER = `
let calls = 0;
function main(p) {
  calls += 1;
  const child = require('child_process').execFileSync('env', { encoding: 'utf8' });
  return {
    calls,
    token: process.env.WISP_RUNTIME_TOKEN === undefined ? null : process.env.WISP_RUNTIME_TOKEN,
    seen: Object.values(process.env).some((v) => v.includes(p.token)) || child.includes(p.token),
    names: Object.keys(process.env).filter((k) => k.startsWith('WISP_')),
    ow: Object.keys(process.env).filter((k) => k.startsWith('__OW_')).sort(),
    key: process.env.__OW_API_KEY ?? null,
  };
}`;

test('the token: /init and /run without it or with a wrong one are 401 and change nothing', async (t) => {
  const rt = await startRuntime(t);
  const wrong = { Authorization: `Bearer ${newToken()}` };
  const refusals = [
    ['no header', { Authorization: null }], ['a wrong token', wrong],
    ['a longer token', { Authorization: `Bearer ${rt.token}x` }],
    ['a prefix of the token', { Authorization: `Bearer ${rt.token.slice(0, -1)}` }],
    ['the token without "Bearer"', { Authorization: rt.token }], ['another scheme', { Authorization: `Basic ${rt.token}` }],
  ];
  const refusedEverywhere = async () => {
    for (const [what, headers] of refusals) {
      const i = await init(rt, { code: COUNTER }, headers);
      assert.equal(i.status, 401, `/init with ${what}`);
      assert.deepEqual(i.body, UNAUTHORIZED);
      assert.equal(i.headers.get('content-type'), 'application/json');
      for (const envelope of [{}, { 'X-Wisp-Envelope': '1' }]) {
        const r = await run(rt, { token: rt.token }, {}, { ...headers, ...envelope });
        assert.equal(r.status, 401, `/run with ${what}`);
        assert.deepEqual(r.body, UNAUTHORIZED);
      }
    }
  };
  await refusedEverywhere();
  const health = await fetch(`${rt.url}/health`);
  assert.equal(health.status, 200, 'GET /health needs no token');
  assert.equal((await health.json()).state, 'new', 'the refused /init did not initialize');
  // the refused /init did not take the one-time init, nor did a refused /run run anything
  assert.equal((await run(rt, {})).status, 403);
  assert.deepEqual(await init(rt, { code: COUNTER }).then((r) => [r.status, r.body]), [200, { OK: true }]);
  await refusedEverywhere();
  const r = await run(rt, { token: rt.token });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { calls: 1, token: null, seen: false, names: [], ow: [], key: null },
    'the action does not see the token');
  assert.equal((await init(rt, { code: COUNTER })).status, 403);
});

test('the token: a bad body is not even read without it; a case-insensitive scheme is fine', async (t) => {
  const rt = await ready(t, `function main() { return { ok: true }; }`);
  const bad = await post(rt, '/run', '{not json', { Authorization: null });
  assert.equal(bad.status, 401);
  assert.deepEqual(bad.body, UNAUTHORIZED);
  assert.deepEqual((await run(rt, {}, {}, { Authorization: `bearer ${rt.token}` })).body, { ok: true });
  // a refused request with a large body leaves the server (and new connections) working
  const big = await post(rt, '/run', JSON.stringify({ value: { blob: 'x'.repeat(4 * 1024 * 1024) } }), { Authorization: null });
  assert.equal(big.status, 401);
  assert.deepEqual((await run(rt, {})).body, { ok: true });
});

test('without a token (unset or empty) the plain protocol needs no header', async (t) => {
  for (const token of [null, '']) {
    await t.test(token === null ? 'unset' : 'empty', async (t2) => {
      const rt = await startRuntime(t2, { token });
      assert.equal((await init(rt, { code: COUNTER }, { Authorization: null })).status, 200);
      const r = await run(rt, { token: 'no-such-token' }, {}, { Authorization: null });
      assert.equal(r.status, 200);
      assert.equal(r.body.calls, 1);
      assert.deepEqual(r.body.names, []);
    });
  }
});

test('__OW_ variables an earlier /run set and this one lacks are gone (process.env and child processes)', async (t) => {
  const rt = await ready(t, `
    function main() {
      const child = require('child_process').execFileSync('env', { encoding: 'utf8' });
      return { key: process.env.__OW_API_KEY ?? null, host: process.env.__OW_API_HOST ?? null,
        id: process.env.__OW_ACTIVATION_ID ?? null, childKey: /^__OW_API_KEY=/m.test(child),
        ow: Object.keys(process.env).filter((k) => k.startsWith('__OW_')).sort() };
    }`, { env: { MY_SETTING: 'on' } });
  const first = await run(rt, {}, { api_host: 'http://172.18.0.1:3233', api_key: 'k:s', activation_id: 'one' });
  assert.deepEqual(first.body, { key: 'k:s', host: 'http://172.18.0.1:3233', id: 'one', childKey: true,
    ow: ['__OW_ACTIVATION_ID', '__OW_API_HOST', '__OW_API_KEY'] });
  const second = await run(rt, {}, { api_host: 'http://172.18.0.1:3233', activation_id: 'two' });
  assert.deepEqual(second.body, { key: null, host: 'http://172.18.0.1:3233', id: 'two', childKey: false,
    ow: ['__OW_ACTIVATION_ID', '__OW_API_HOST'] });
  const third = await run(rt, {});
  assert.deepEqual(third.body.ow, []);
});

test('__OW_ variables reach a Worker thread made without an env of its own; one with its own env gets that', async (t) => {
  const rt = await ready(t, `
    const { Worker } = require('worker_threads');
    const ask = (options) => new Promise((resolve, reject) => {
      const w = new Worker("const { parentPort } = require('worker_threads');"
        + "parentPort.postMessage([process.env.__OW_API_KEY ?? null, process.env.__OW_ACTIVATION_ID ?? null])",
        { eval: true, ...options });
      w.once('message', (m) => { w.terminate(); resolve(m); });
      w.once('error', reject);
    });
    async function main() {
      return { plain: await ask({}), own: await ask({ env: { __OW_API_KEY: 'mine' } }) };
    }`);
  const first = await run(rt, {}, { api_key: 'k:s', activation_id: 'one' });
  assert.deepEqual(first.body, { plain: ['k:s', 'one'], own: ['mine', null] });
  const second = await run(rt, {}, { activation_id: 'two' });
  assert.deepEqual(second.body, { plain: [null, 'two'], own: ['mine', null] });
});

// ------------------------------------------------------------------ the image (Docker)

const IMAGE = 'wisp/action-nodejs:latest';

describeRuntime(IMAGE, {
  counter: {
    value: { code: COUNTER },
    run: (token) => ({ token }),
    result: { calls: 1, token: null, seen: false, names: [], ow: [], key: null },
  },
  zipEntry: 'index.js',
  steadyMemory: { code: 'function main() { return {}; }' },
}, ({ track }) => {
  test('require("openwhisk") from plain code, with options or from __OW_API_HOST/__OW_API_KEY', async () => {
    const rt = await kit.ready(track, IMAGE, { code: `
      const ow = require('openwhisk');
      function main(p) {
        if (p.mode === 'options') {
          return { type: typeof ow, hasActions: typeof ow({ apihost: 'http://127.0.0.1:9', api_key: 'a:b' }).actions };
        }
        try {
          const client = require('openwhisk')();
          const o = client.actions.client.options;
          return { api: o.api, apiKey: o.apiKey, resolved: require.resolve('openwhisk') };
        } catch (e) {
          return { failed: e.message };
        }
      }` });
    assert.deepEqual((await kit.run(rt, { mode: 'options' })).body, { type: 'function', hasActions: 'object' });
    const fromEnv = await kit.run(rt, {}, { api_host: 'http://172.18.0.1:3233', api_key: 'uuid:key', activation_id: 'x' });
    assert.equal(fromEnv.status, 200, JSON.stringify(fromEnv.body));
    assert.deepEqual(fromEnv.body, { api: 'http://172.18.0.1:3233/api/v1/', apiKey: 'uuid:key',
      resolved: '/wisp-runtime/node_modules/openwhisk/lib/main.js' });
    // the next activation, not given a key, does not get the previous one's
    const noKey = await kit.run(rt, {}, { api_host: 'http://172.18.0.1:3233', activation_id: 'y' });
    assert.match(noKey.body.failed, /api_key/);
  });

  test('process.env: TZ set by the action changes the time zone; __OW_* and own names reach a child process', async () => {
    const rt = await kit.ready(track, IMAGE, { code: `
      const { execFileSync } = require('child_process');
      function main() {
        const before = new Date(0).getTimezoneOffset();
        process.env.TZ = 'Asia/Tokyo';
        process.env.MINE = 42;
        const after = new Date(0).getTimezoneOffset();
        const child = execFileSync('/bin/sh', ['-c', 'echo "$__OW_ACTIVATION_ID $MINE $TZ"']).toString().trim();
        const listed = Object.keys(process.env).includes('__OW_ACTIVATION_ID');
        delete process.env.TZ;
        return { before, after, child, listed, mine: process.env.MINE };
      }` });
    const r = await kit.run(rt, {}, { activation_id: 'a1' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { before: 0, after: -540, child: 'a1 42 Asia/Tokyo', listed: true, mine: '42' });
  });

  test('zip actions: the shipped openwhisk resolves, and a zip\'s own node_modules copy wins', async () => {
    const [shipped, own] = await Promise.all([
      kit.ready(track, IMAGE, { binary: true, code: kit.zip({
        'package.json': JSON.stringify({ main: 'lib/action.js' }),
        'lib/action.js': `const ow = require('openwhisk');
          exports.main = () => ({ type: typeof ow, resolved: require.resolve('openwhisk'), needle: typeof require('needle') });`,
      }) }),
      kit.ready(track, IMAGE, { binary: true, code: kit.zip({
        'index.js': `exports.main = () => ({ own: require('openwhisk')(), resolved: require.resolve('openwhisk') });`,
        'node_modules/openwhisk/package.json': JSON.stringify({ name: 'openwhisk', version: '0.0.1-own', main: 'index.js' }),
        'node_modules/openwhisk/index.js': `module.exports = () => 'the zip\\'s own openwhisk';`,
      }) }),
    ]);
    assert.deepEqual((await kit.run(shipped, {})).body,
      { type: 'function', resolved: '/wisp-runtime/node_modules/openwhisk/lib/main.js', needle: 'function' });
    const r = await kit.run(own, {});
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.own, 'the zip\'s own openwhisk');
    assert.match(r.body.resolved, /^\/tmp\/wisp-action-\w+\/code\/node_modules\/openwhisk\/index\.js$/);
  });
});
