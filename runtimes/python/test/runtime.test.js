'use strict';
// wisp/action-python:latest in Docker with the invoker's hardening flags: the protocol tests every runtime passes
// (testkit/protocol-tests.js, given this runtime's test actions), then what is the Python runtime's own.
// Run: node --test runtimes/python/test/   (build the image first: runtimes/build.sh python)

const { test } = require('node:test');
const assert = require('node:assert/strict');
const kit = require('../../testkit/runtime-container');
const { describeRuntime, API_HOST } = require('../../testkit/protocol-tests');

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
        name, delay = args['name'], args['delay'] / 1000
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

describeRuntime(IMAGE, {
  action: { code: ACTION },
  hello: { greeting: 'Hello Wisp' },
  env: { MY_OBJ: '{"a": 1}' },
  interleaved: { lines: (name) => [`stdout start ${name}`, `stderr middle ${name}`, `stdout in thread ${name}`, `stdout end ${name}`], acrossStreams: true },
  thrown: {
    error: 'An error has occurred: ValueError: boom',
    trace: (lines) => {
      assert.equal(lines[0], 'stderr Traceback (most recent call last):');
      assert.equal(lines.at(-1), 'stderr ValueError: boom');
      assert.ok(lines.some((l) => /action\.py", line \d+, in main/.test(l)), lines.join('\n'));
    },
  },
  notDictionary: [undefined, 42, 'text', [1, 2], null].map((v) => (v === undefined ? { mode: 'value' } : { mode: 'value', v })),
  init: {
    failures: [
      [{ code: 'def main(args:\n  pass' }, /SyntaxError/],
      [{ code: 'def other(args):\n  return {}' }, /'main' not found/],
      [{ code: 'raise RuntimeError("load boom")' }, /RuntimeError: load boom/],
      [{ code: Buffer.from('not a zip').toString('base64'), binary: true }, /unzip/i],
      [{ code: kit.zip({ 'helper.py': 'x = 1\n' }), binary: true }, /__main__\.py/],
      [{}, /code/],
    ],
    first: { code: 'def main(a):\n  return {"v": 1}' },
    second: { code: 'def main(a):\n  return {"v": 2}' },
    run: {},
    result: { v: 1 },
  },
  counter: { value: { code: COUNTER }, run: (token) => ({ token }), result: { calls: 1, token: null, seen: false, names: [] } },
  staleEnv: { value: { code: OW_ENV }, run: {} },
  zipEntry: '__main__.py',
  steadyMemory: { code: 'def main(args):\n    return {}' },
}, (ctx) => {
  test('sys.exit is 502, and the server lives on', async () => {
    const exited = await kit.run(ctx.rt, { mode: 'exit' });
    assert.equal(exited.status, 502);
    assert.deepEqual(exited.body, { error: 'An error has occurred: SystemExit: 3' });
    assert.equal((await kit.run(ctx.rt, { mode: 'hello', name: 'still alive' })).status, 200);
  });

  test('zip action: __main__.py, a helper module, a virtualenv, a custom main', async () => {
    const zipped = await kit.ready(ctx.track, IMAGE, { code: kit.zip(ZIPPED), binary: true, main: 'handler' });
    const r = await kit.run(zipped, { v: 41 });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { v: 42, fancy: 'from the virtualenv' });
  });

  test('an async main is awaited', async (t) => {
    const rt2 = await kit.ready(t.after.bind(t), IMAGE,
      { code: 'import asyncio\nasync def main(a):\n    await asyncio.sleep(0.01)\n    print("awaited")\n    return {"ok": True}' });
    const r = await kit.runEnvelope(rt2, {});
    assert.deepEqual(r.body.result, { ok: true });
    assert.deepEqual(kit.texts(r.body.logs), ['stdout awaited']);
  });

  test('os.environ, os.getenv and child processes see only this activation\'s __OW_ variables, also concurrently', async () => {
    const ow = await kit.ready(ctx.track, IMAGE, { code: OW_ENV });
    const first = await kit.run(ow, {}, { api_host: API_HOST, api_key: 'k:s' });
    assert.deepEqual(first.body, { key: 'k:s', getenv: 'k:s', in: true, host: API_HOST, ow: ['__OW_API_HOST', '__OW_API_KEY'],
      copy: true, child: ['__OW_API_HOST', '__OW_API_KEY'] });
    const second = await kit.run(ow, {}, { api_host: API_HOST });
    assert.deepEqual(second.body, { key: null, getenv: null, in: false, host: API_HOST, ow: ['__OW_API_HOST'], copy: false,
      child: ['__OW_API_HOST'] });
    // one with a key still running does not lend it to one without
    const withKey = kit.run(ow, { sleep: 0.6 }, { api_host: API_HOST, api_key: 'k:s' });
    await new Promise((res) => setTimeout(res, 200));
    const without = await kit.run(ow, {}, { api_host: API_HOST });
    assert.equal(without.body.key, null);
    assert.equal(without.body.in, false);
    assert.deepEqual(without.body.ow, ['__OW_API_HOST']);
    assert.equal((await withKey).body.key, 'k:s');
  });
});
