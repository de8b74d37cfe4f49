'use strict';
// Runs wisp/action-java:latest in Docker with the invoker's hardening flags and talks the action protocol.
// The test action (test/actions) is compiled for Java 8 with a local JDK >= 11 against the image's own Gson.
// Like the invoker, the kit gives each container a random WISP_RUNTIME_TOKEN and sends it with /init and /run.
// Run: node --test runtimes/java/test/   (build the image first: runtimes/build.sh java)

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFile, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const kit = require('../../testkit/runtime-container');

const IMAGE = 'wisp/action-java:latest';
const ROOT = path.join(__dirname, '..', '..', '..');

function findJdk() {
  try {
    return execFileSync('bash', ['-c', `. "${ROOT}/scripts/lib.sh" && find_jdk 11`], { encoding: 'utf8' }).trim();
  } catch (e) {
    return null;
  }
}

const jdk = kit.imageAvailable(IMAGE) ? findJdk() : null;
const skip = !kit.imageAvailable(IMAGE) ? `${IMAGE} is missing: runtimes/build.sh java`
  : (!jdk && 'no JDK >= 11 found to compile the test action');

/** Compiles test/actions for Java 8; resolves to the classes as {path: Buffer}. */
async function compileActions(work) {
  const gson = path.join(work, 'gson.jar');
  await kit.copyFromImage(IMAGE, '/wisp-runtime/lib/gson.jar', gson);
  const sources = ['Hello.java', 'Broken.java'].map((f) => path.join(__dirname, 'actions', 'com', 'example', f));
  const classes = path.join(work, 'classes');
  await new Promise((resolve, reject) => {
    execFile(path.join(jdk, 'bin', 'javac'), ['--release', '8', '-Xlint:-options', '-nowarn', '-cp', gson,
      '-d', classes, ...sources], (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve()));
  });
  return kit.readTree(classes);
}

describe(IMAGE, { concurrency: true, skip }, () => {
  const stops = [];
  after(() => Promise.all(stops.map((stop) => stop())));
  const track = (stop) => stops.push(stop);
  let classes;
  let jar;
  let rt; // Hello with the default method, shared by the tests that do not need a fresh container
  let fresh;
  before(async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisp-java-test-'));
    track(async () => fs.rmSync(work, { recursive: true, force: true }));
    let started;
    [classes, started] = await Promise.all([
      compileActions(work),
      Promise.all([kit.startRuntime(track, IMAGE), kit.startRuntime(track, IMAGE)]),
    ]);
    [rt, fresh] = started;
    jar = kit.zip(classes);
    const r = await kit.init(rt, {
      code: jar, binary: true, main: 'com.example.Hello', env: { MY_SETTING: 'on', MY_OBJ: { a: 1 } },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  });

  test('hello, plain protocol with the sentinel lines', async () => {
    const r = await kit.run(rt, { mode: 'hello', name: 'Wisp' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { greeting: 'Hello Wisp' });
    assert.equal(r.headers.get('x-wisp-envelope'), null);
    let logs;
    for (let i = 0; i < 100; i++) {
      logs = await rt.logs();
      if (logs.stderr.includes(kit.SENTINEL)) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    assert.match(logs.stdout, new RegExp(`hello Wisp\\n${kit.SENTINEL}\\n`));
    assert.match(logs.stderr, new RegExp(kit.SENTINEL));
  });

  test('a returned {error} is 200; a throw and null are 502, with the stack trace in the logs', async () => {
    const returned = await kit.runEnvelope(rt, { mode: 'error' });
    assert.equal(returned.status, 200);
    assert.deepEqual(returned.body.result, { error: 'application error' });

    const thrown = await kit.runEnvelope(rt, { mode: 'throw' });
    assert.equal(thrown.status, 502);
    assert.equal(thrown.headers.get('x-wisp-envelope'), '1');
    assert.deepEqual(thrown.body.result, { error: 'An error has occurred: java.lang.IllegalStateException: boom' });
    const lines = kit.texts(thrown.body.logs);
    assert.equal(lines[0], 'stderr java.lang.IllegalStateException: boom');
    assert.match(lines[1], /^stderr \tat com\.example\.Hello\.main\(Hello\.java:\d+\)$/);

    const nothing = await kit.run(rt, { mode: 'null' });
    assert.equal(nothing.status, 502);
    assert.deepEqual(nothing.body, { error: 'The action did not return a dictionary.' });
  });

  test('__OW_ variables in System.getenv() and the init env', async () => {
    const r = await kit.run(rt, { mode: 'env' }, {
      activation_id: 'a1b2c3', namespace: 'guest', deadline: 1234567890123, api_key: 'k:s', action_name: '/guest/x',
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      __OW_ACTIVATION_ID: 'a1b2c3', __OW_NAMESPACE: 'guest', __OW_DEADLINE: '1234567890123', __OW_API_KEY: 'k:s',
      MY_SETTING: 'on', MY_OBJ: '{"a":1}', inMap: 'a1b2c3',
    });
  });

  test('concurrent activations keep their own logs and __OW_ variables', async () => {
    const names = ['alpha', 'beta', 'gamma', 'delta'];
    const results = await Promise.all(names.map((name, i) =>
      kit.runEnvelope(rt, { mode: 'interleave', name, delay: 50 * (4 - i) }, { activation_id: `id-${name}` })));
    results.forEach((r, i) => {
      const name = names[i];
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.result, { name, id: `id-${name}` });
      assert.deepEqual(kit.texts(r.body.logs),
        [`stdout start ${name}`, `stderr middle ${name}`, `stdout in thread ${name}`, `stdout end ${name}`]);
    });
  });

  test('20 MB of stdout is cut at the default 10 MB with the notice', async () => {
    const text = 'x'.repeat(1023);
    const r = await kit.runEnvelope(rt, { mode: 'lines', n: 20480, text });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.result, { printed: 20480 });
    assert.equal(r.body.logs.length, 10241);
    assert.ok(r.body.logs.slice(0, -1).every((l) => l.endsWith(` stdout: ${text}`)));
    assert.match(r.body.logs.at(-1), kit.TRUNCATED(10485760));
    const small = await kit.runEnvelope(rt, { mode: 'lines', n: 100 }, {}, { 'X-Wisp-Log-Limit': '50' });
    assert.equal(small.body.logs.length, 6);
    assert.match(small.body.logs[4], / stdout: line-0004$/);
    assert.match(small.body.logs[5], kit.TRUNCATED(50));
  });

  test('main as Class#method, and Main-Class from the manifest when main is not given', async (t) => {
    const [custom, manifest] = await Promise.all([kit.startRuntime(t.after.bind(t), IMAGE),
      kit.startRuntime(t.after.bind(t), IMAGE)]);
    const withManifest = kit.zip({
      'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\r\nMain-Class: com.example.Hello\r\n\r\n', ...classes,
    });
    const [a, b] = await Promise.all([
      kit.init(custom, { code: jar, binary: true, main: 'com.example.Hello#handle' }),
      kit.init(manifest, { code: withManifest, binary: true }),
    ]);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.equal(b.status, 200, JSON.stringify(b.body));
    assert.deepEqual((await kit.run(custom, { v: 41 })).body, { handled: 42 });
    assert.deepEqual((await kit.run(manifest, { name: 'jar' })).body, { greeting: 'Hello jar' });
  });

  test('init: failures are 502 and may be retried, a second success is 403', async () => {
    assert.equal((await kit.run(fresh, {})).status, 403);
    const failures = [
      [{ code: 'public class Hello {}', main: 'Hello' }, /not a jar/],
      [{ code: jar, binary: true, main: 'com.example.Missing' }, /'com\.example\.Missing' was not found/],
      [{ code: jar, binary: true, main: 'com.example.Hello#nope' }, /Method 'nope' not found/],
      [{ code: jar, binary: true, main: 'com.example.Hello#notStatic' }, /must be static/],
      [{ code: jar, binary: true, main: 'com.example.Broken' }, /failed to initialize: java\.lang\.NumberFormatException/],
      [{ code: jar, binary: true }, /Missing "main"/],
      [{}, /code/],
    ];
    for (const [value, pattern] of failures) {
      const r = await kit.init(fresh, value);
      assert.equal(r.status, 502, JSON.stringify(value).slice(0, 100));
      assert.match(r.body.error, /^Initialization has failed due to: /);
      assert.match(r.body.error, pattern);
    }
    assert.equal((await kit.init(fresh, { code: jar, binary: true, main: 'com.example.Hello#handle' })).status, 200);
    const again = await kit.init(fresh, { code: jar, binary: true, main: 'com.example.Hello' });
    assert.equal(again.status, 403);
    assert.deepEqual(again.body, { error: 'Cannot initialize the action more than once.' });
    assert.deepEqual((await kit.run(fresh, { v: 1 })).body, { handled: 2 });
  });

  test('the token: /init and /run without it or with a wrong one are 401 and change nothing', async (t) => {
    const counter = await kit.startRuntime(t.after.bind(t), IMAGE);
    const value = { code: jar, binary: true, main: 'com.example.Hello' };
    await kit.assertRefusedThenInitialized(counter, value, { mode: 'probe', token: counter.token });
    const r = await kit.run(counter, { mode: 'probe', token: counter.token });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const { token, key, ...rest } = r.body;
    assert.deepEqual(rest, { calls: 1, seen: false, names: [], childEnv: false, ow: [] },
      'nothing ran before; System.getenv() and ProcessBuilder.environment() have no token');
    assert.equal(token ?? null, null);
    assert.equal(key ?? null, null);
    assert.equal((await kit.init(counter, value)).status, 403);
  });

  test('without a token (unset or empty) the plain protocol needs no header', async (t) => {
    for (const token of [null, '']) {
      const plain = await kit.ready(t.after.bind(t), IMAGE, { code: jar, binary: true, main: 'com.example.Hello' },
        { token });
      const r = await kit.run(plain, { mode: 'probe' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.calls, 1);
      assert.deepEqual(r.body.names, []);
    }
  });

  test('__OW_ variables of an earlier /run are not in the next one\'s System.getenv()', async (t) => {
    const ow = await kit.ready(t.after.bind(t), IMAGE, { code: jar, binary: true, main: 'com.example.Hello' });
    const host = 'http://172.18.0.1:3233';
    const first = await kit.run(ow, { mode: 'probe' }, { api_host: host, api_key: 'k:s' });
    assert.deepEqual([first.body.ow, first.body.key], [['__OW_API_HOST', '__OW_API_KEY'], 'k:s']);
    const second = await kit.run(ow, { mode: 'probe' }, { api_host: host });
    assert.deepEqual([second.body.ow, second.body.key ?? null], [['__OW_API_HOST'], null]);
  });

  test.skip('timeouts: the invoker enforces them (it removes the container)');
});
