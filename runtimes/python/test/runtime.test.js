'use strict';
// Runs wisp/action-python:latest in Docker with the invoker's hardening flags and talks the action protocol.
// Like the invoker, the kit gives each container a random WISP_RUNTIME_TOKEN and sends it with /init and /run.
// Run: node --test runtimes/python/test/   (build the image first: runtimes/build.sh python)

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const kit = require('../../testkit/runtime-container');

const IMAGE = 'wisp/action-python:latest';

const ACTION = `
import os, sys, threading, time

def main(args):
    mode = args.get('mode', 'hello')
    if mode == 'hello':
        print('hello', args.get('name'))
        return {'greeting': 'Hello ' + args.get('name', 'stranger')}
    if mode == 'error':
        return {'error': 'application error'}
    if mode == 'throw':
        raise ValueError('boom')
    if mode == 'exit':
        sys.exit(3)
    if mode == 'value':
        return args.get('v')
    if mode == 'interleave':
        name, delay = args['name'], args['delay']
        print('start ' + name)
        time.sleep(delay)
        print('middle ' + name, file=sys.stderr)
        t = threading.Thread(target=lambda: print('in thread ' + name))
        t.start()
        t.join()
        time.sleep(delay)
        sys.stdout.write('end ')
        sys.stdout.write(name + '\\n')
        return {'name': name, 'id': os.environ['__OW_ACTIVATION_ID']}
    if mode == 'lines':
        for i in range(args['n']):
            print(args.get('text', 'line-%04d' % i))
        return {'printed': args['n']}
    if mode == 'env':
        keys = ['__OW_ACTIVATION_ID', '__OW_NAMESPACE', '__OW_DEADLINE', '__OW_API_KEY', 'MY_SETTING', 'MY_OBJ']
        return {k: os.environ.get(k) for k in keys}
    return {'unknown': mode}
`;

// counts its calls; reports whether the token is anywhere in its environment or a child process's
const COUNTER = `
import os, subprocess
calls = 0

def main(args):
    global calls
    calls += 1
    token = args.get('token') or '\\0'
    child = subprocess.run(['env'], capture_output=True, text=True).stdout
    return {'calls': calls, 'token': os.environ.get('WISP_RUNTIME_TOKEN'),
            'seen': any(token in v for v in os.environ.values()) or token in child,
            'names': sorted(k for k in os.environ if k.startswith('WISP_'))}
`;

// what an activation sees of __OW_API_KEY: os.environ, os.getenv, `in`, the keys, a child process
const OW_ENV = `
import os, subprocess, time

def main(args):
    time.sleep(args.get('sleep', 0))
    child = subprocess.run(['env'], capture_output=True, text=True).stdout
    return {'key': os.environ.get('__OW_API_KEY'), 'getenv': os.getenv('__OW_API_KEY'),
            'in': '__OW_API_KEY' in os.environ, 'host': os.environ.get('__OW_API_HOST'),
            'ow': sorted(k for k in os.environ if k.startswith('__OW_')),
            'copy': '__OW_API_KEY' in os.environ.copy(),
            'child': sorted(l.split('=')[0] for l in child.splitlines() if l.startswith('__OW_'))}
`;

const ZIPPED = {
  '__main__.py': 'import helper\nimport fancy\n\ndef handler(args):\n    return {"v": helper.inc(args["v"]), "fancy": fancy.NAME}\n',
  'helper.py': 'def inc(v):\n    return v + 1\n',
  'virtualenv/lib/python3.11/site-packages/fancy/__init__.py': 'NAME = "from the virtualenv"\n',
};

describe(IMAGE, { concurrency: true, skip: !kit.imageAvailable(IMAGE) && `${IMAGE} is missing: runtimes/build.sh python` }, () => {
  const stops = [];
  after(() => Promise.all(stops.map((stop) => stop())));
  const track = (stop) => stops.push(stop);
  let rt; // the text action, shared by the tests that do not depend on a fresh container
  let zipped;
  let fresh;
  before(async () => {
    [rt, zipped, fresh] = await Promise.all([
      kit.ready(track, IMAGE, { code: ACTION, env: { MY_SETTING: 'on', MY_OBJ: { a: 1 } } }),
      kit.ready(track, IMAGE, { code: kit.zip(ZIPPED), binary: true, main: 'handler' }),
      kit.startRuntime(track, IMAGE),
    ]);
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

  test('a returned {error} is 200, a raise and sys.exit are 502 with the traceback in the logs', async () => {
    const returned = await kit.runEnvelope(rt, { mode: 'error' });
    assert.equal(returned.status, 200);
    assert.deepEqual(returned.body.result, { error: 'application error' });

    const thrown = await kit.runEnvelope(rt, { mode: 'throw' });
    assert.equal(thrown.status, 502);
    assert.equal(thrown.headers.get('x-wisp-envelope'), '1');
    assert.deepEqual(thrown.body.result, { error: 'An error has occurred: ValueError: boom' });
    const lines = kit.texts(thrown.body.logs);
    assert.equal(lines[0], 'stderr Traceback (most recent call last):');
    assert.equal(lines.at(-1), 'stderr ValueError: boom');
    assert.ok(lines.some((l) => /action\.py", line \d+, in main/.test(l)), lines.join('\n'));

    const exited = await kit.run(rt, { mode: 'exit' });
    assert.equal(exited.status, 502);
    assert.deepEqual(exited.body, { error: 'An error has occurred: SystemExit: 3' });
    assert.equal((await kit.run(rt, { mode: 'hello', name: 'still alive' })).status, 200);
  });

  test('a result that is not a dictionary is 502', async () => {
    for (const v of [undefined, 42, 'text', [1, 2], null]) {
      const r = await kit.run(rt, v === undefined ? { mode: 'value' } : { mode: 'value', v });
      assert.equal(r.status, 502, `for ${JSON.stringify(v)}`);
      assert.deepEqual(r.body, { error: 'The action did not return a dictionary.' });
    }
  });

  test('__OW_ variables per activation and the init env', async () => {
    const r = await kit.run(rt, { mode: 'env' }, {
      activation_id: 'a1b2c3', namespace: 'guest', deadline: 1234567890123, api_key: 'k:s', action_name: '/guest/x',
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      __OW_ACTIVATION_ID: 'a1b2c3', __OW_NAMESPACE: 'guest', __OW_DEADLINE: '1234567890123', __OW_API_KEY: 'k:s',
      MY_SETTING: 'on', MY_OBJ: '{"a": 1}',
    });
  });

  test('concurrent activations keep their own logs and __OW_ variables', async () => {
    const names = ['alpha', 'beta', 'gamma', 'delta'];
    const results = await Promise.all(names.map((name, i) =>
      kit.runEnvelope(rt, { mode: 'interleave', name, delay: 0.05 * (4 - i) }, { activation_id: `id-${name}` })));
    results.forEach((r, i) => {
      const name = names[i];
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.result, { name, id: `id-${name}` });
      assert.deepEqual(kit.texts(r.body.logs),
        [`stdout start ${name}`, `stderr middle ${name}`, `stdout in thread ${name}`, `stdout end ${name}`]);
    });
  });

  test('20 MB of stdout is cut at the default 10 MB with the notice', async () => {
    const text = 'x'.repeat(1023); // 1 KiB a line with its newline
    const r = await kit.runEnvelope(rt, { mode: 'lines', n: 20480, text });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.result, { printed: 20480 });
    assert.equal(r.body.logs.length, 10241);
    assert.ok(r.body.logs.slice(0, -1).every((l) => l.endsWith(` stdout: ${text}`)));
    assert.match(r.body.logs.at(-1), kit.TRUNCATED(10485760));
  });

  test('X-Wisp-Log-Limit sets the cap', async () => {
    const r = await kit.runEnvelope(rt, { mode: 'lines', n: 100 }, {}, { 'X-Wisp-Log-Limit': '50' });
    assert.equal(r.status, 200);
    assert.equal(r.body.logs.length, 6); // 5 lines of 9 bytes + newline, then the notice
    assert.match(r.body.logs[4], / stdout: line-0004$/);
    assert.match(r.body.logs[5], kit.TRUNCATED(50));
  });

  test('zip action: __main__.py, a helper module, a virtualenv, a custom main', async () => {
    const r = await kit.run(zipped, { v: 41 });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { v: 42, fancy: 'from the virtualenv' });
  });

  test('init: failures are 502 and may be retried, a second success is 403', async () => {
    const early = await kit.run(fresh, {});
    assert.equal(early.status, 403);
    const failures = [
      [{ code: 'def main(args:\n  pass' }, /SyntaxError/],
      [{ code: 'def other(args):\n  return {}' }, /'main' not found/],
      [{ code: 'raise RuntimeError("load boom")' }, /RuntimeError: load boom/],
      [{ code: Buffer.from('not a zip').toString('base64'), binary: true }, /unzip/i],
      [{ code: kit.zip({ 'helper.py': 'x = 1\n' }), binary: true }, /__main__\.py/],
      [{}, /code/],
    ];
    for (const [value, pattern] of failures) {
      const r = await kit.init(fresh, value);
      assert.equal(r.status, 502, JSON.stringify(value));
      assert.match(r.body.error, /^Initialization has failed due to: /);
      assert.match(r.body.error, pattern);
    }
    assert.equal((await kit.init(fresh, { code: 'def main(a):\n  return {"v": 1}' })).status, 200);
    const again = await kit.init(fresh, { code: 'def main(a):\n  return {"v": 2}' });
    assert.equal(again.status, 403);
    assert.deepEqual(again.body, { error: 'Cannot initialize the action more than once.' });
    assert.deepEqual((await kit.run(fresh, {})).body, { v: 1 });
  });

  test('an async main is awaited', async (t) => {
    const rt2 = await kit.ready(t.after.bind(t), IMAGE,
      { code: 'import asyncio\nasync def main(a):\n    await asyncio.sleep(0.01)\n    print("awaited")\n    return {"ok": True}' });
    const r = await kit.runEnvelope(rt2, {});
    assert.deepEqual(r.body.result, { ok: true });
    assert.deepEqual(kit.texts(r.body.logs), ['stdout awaited']);
  });

  test('the token: /init and /run without it or with a wrong one are 401 and change nothing', async () => {
    const counter = await kit.startRuntime(track, IMAGE);
    await kit.assertRefusedThenInitialized(counter, { code: COUNTER }, { token: counter.token });
    const r = await kit.run(counter, { token: counter.token });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { calls: 1, token: null, seen: false, names: [] }, 'nothing ran; the action sees no token');
    assert.equal((await kit.init(counter, { code: COUNTER })).status, 403);
  });

  test('without a token (unset or empty) the plain protocol needs no header', async () => {
    for (const token of [null, '']) {
      const plain = await kit.ready(track, IMAGE, { code: COUNTER }, { token });
      const r = await kit.run(plain, { token: 'whatever' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.calls, 1);
      assert.deepEqual(r.body.names, []);
    }
  });

  test('__OW_ variables an earlier /run set and this one lacks are gone, also for concurrent ones', async () => {
    const ow = await kit.ready(track, IMAGE, { code: OW_ENV });
    const host = 'http://172.18.0.1:3233';
    const first = await kit.run(ow, {}, { api_host: host, api_key: 'k:s' });
    assert.deepEqual(first.body, { key: 'k:s', getenv: 'k:s', in: true, host, ow: ['__OW_API_HOST', '__OW_API_KEY'],
      copy: true, child: ['__OW_API_HOST', '__OW_API_KEY'] });
    const second = await kit.run(ow, {}, { api_host: host });
    assert.deepEqual(second.body, { key: null, getenv: null, in: false, host, ow: ['__OW_API_HOST'], copy: false,
      child: ['__OW_API_HOST'] });
    // one with a key still running does not lend it to one without
    const withKey = kit.run(ow, { sleep: 0.6 }, { api_host: host, api_key: 'k:s' });
    await new Promise((res) => setTimeout(res, 200));
    const without = await kit.run(ow, {}, { api_host: host });
    assert.equal(without.body.key, null);
    assert.equal(without.body.in, false);
    assert.deepEqual(without.body.ow, ['__OW_API_HOST']);
    assert.equal((await withKey).body.key, 'k:s');
  });

  test.skip('timeouts: the invoker enforces them (it removes the container)');

  test('a zip bomb or a zip of too many files fails init at once, naming the limit', async () => {
    await kit.assertZipLimits(track, IMAGE, '__main__.py');
  });
});
