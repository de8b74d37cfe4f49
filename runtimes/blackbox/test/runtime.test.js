'use strict';
// Runs wisp/action-blackbox:latest in Docker with the invoker's hardening flags (so /tmp is a noexec tmpfs)
// and talks the action protocol. Like the invoker, the kit gives each container a random WISP_RUNTIME_TOKEN and
// sends it with /init and /run. Run: node --test runtimes/blackbox/test/   (first: runtimes/build.sh blackbox)

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const kit = require('../../testkit/runtime-container');

const IMAGE = 'wisp/action-blackbox:latest';

// a script with an `env` interpreter line: on the noexec /tmp it runs as "/usr/bin/env python3 <script>"
const ACTION = `#!/usr/bin/env python3
import json, os, sys, time
via = 'argv' if len(sys.argv) > 1 else 'stdin'
stdin = sys.stdin.read()
args = json.loads(sys.argv[1]) if len(sys.argv) > 1 else json.loads(stdin)
assert json.loads(stdin) == args, 'stdin and argv differ'
mode = args.get('mode', 'hello')
if mode == 'hello':
    print('hello', args.get('name'))
    print(json.dumps({'greeting': 'Hello ' + args.get('name', 'stranger'), 'via': via}))
elif mode == 'error':
    print(json.dumps({'error': 'application error'}))
elif mode == 'crash':
    print('about to fail')
    sys.stderr.write('bad things\\n')
    sys.exit(3)
elif mode == 'crash-with-result':
    print(json.dumps({'partial': True}))
    sys.exit(4)
elif mode == 'list':
    print('[1, 2]')
elif mode == 'silent':
    pass
elif mode == 'interleave':
    name, delay = args['name'], args['delay']
    print('start ' + name, flush=True)
    time.sleep(delay)
    print('middle ' + name, file=sys.stderr, flush=True)
    time.sleep(delay)
    print('end ' + name)
    print(json.dumps({'name': name, 'id': os.environ['__OW_ACTIVATION_ID']}))
elif mode == 'flood':
    line = 'x' * 1023 + '\\n'
    sys.stdout.write(line * args['n'])
    print(json.dumps({'printed': args['n']}))
elif mode == 'env':
    keys = ['__OW_ACTIVATION_ID', '__OW_NAMESPACE', '__OW_DEADLINE', '__OW_API_KEY', 'MY_SETTING', 'MY_OBJ']
    print(json.dumps({k: os.environ.get(k) for k in keys}))
elif mode == 'size':
    print(json.dumps({'size': len(args['blob']), 'via': via}))
`;

// counts its calls (a file under /tmp: each call is a new process); reports what of the token and of __OW_* its
// environment holds
const COUNTER = `#!/usr/bin/env python3
import json, os, sys
args = json.loads(sys.stdin.read())
path = '/tmp/wisp-test-calls'
calls = (int(open(path).read()) if os.path.exists(path) else 0) + 1
with open(path, 'w') as f:
    f.write(str(calls))
token = args.get('token') or '\\0'
print(json.dumps({'calls': calls, 'token': os.environ.get('WISP_RUNTIME_TOKEN'),
                  'seen': any(token in v for v in os.environ.values()),
                  'names': sorted(k for k in os.environ if k.startswith('WISP_')),
                  'ow': sorted(k for k in os.environ if k.startswith('__OW_')), 'key': os.environ.get('__OW_API_KEY')}))
`;

describe(IMAGE, { concurrency: true, skip: !kit.imageAvailable(IMAGE) && `${IMAGE} is missing: runtimes/build.sh blackbox` }, () => {
  const stops = [];
  after(() => Promise.all(stops.map((stop) => stop())));
  const track = (stop) => stops.push(stop);
  let rt;
  let fresh;
  let work;
  before(async () => {
    [rt, fresh] = await Promise.all([
      kit.ready(track, IMAGE, { code: ACTION, env: { MY_SETTING: 'on', MY_OBJ: { a: 1 } } }),
      kit.startRuntime(track, IMAGE),
    ]);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisp-blackbox-test-'));
    track(async () => fs.rmSync(work, { recursive: true, force: true }));
  });

  test('hello, plain protocol with the sentinel lines; parameters in argv and on stdin', async () => {
    const r = await kit.run(rt, { mode: 'hello', name: 'Wisp' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { greeting: 'Hello Wisp', via: 'argv' });
    let logs;
    for (let i = 0; i < 100; i++) {
      logs = await rt.logs();
      if (logs.stderr.includes(kit.SENTINEL)) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    assert.match(logs.stdout, new RegExp(`hello Wisp\\n${kit.SENTINEL}\\n`));
    assert.match(logs.stderr, new RegExp(kit.SENTINEL));
  });

  test('parameters longer than an argument go on stdin only', async () => {
    const blob = 'b'.repeat(200000);
    const r = await kit.run(rt, { mode: 'size', blob });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { size: blob.length, via: 'stdin' });
  });

  test('outcomes: {error} is 200; exit codes, lists and silence are 502', async () => {
    const returned = await kit.runEnvelope(rt, { mode: 'error' });
    assert.equal(returned.status, 200);
    assert.deepEqual(returned.body.result, { error: 'application error' });

    const crash = await kit.runEnvelope(rt, { mode: 'crash' });
    assert.equal(crash.status, 502);
    assert.deepEqual(crash.body.result,
      { error: 'The action exited with exit code 3 and did not return a dictionary.' });
    assert.deepEqual(kit.texts(crash.body.logs).sort(), ['stderr bad things', 'stdout about to fail']);

    const withResult = await kit.run(rt, { mode: 'crash-with-result' });
    assert.equal(withResult.status, 200);
    assert.deepEqual(withResult.body, { partial: true });

    for (const mode of ['list', 'silent']) {
      const r = await kit.runEnvelope(rt, { mode });
      assert.equal(r.status, 502, mode);
      assert.deepEqual(r.body.result, { error: 'The action did not return a dictionary.' });
      assert.deepEqual(kit.texts(r.body.logs), mode === 'list' ? ['stdout [1, 2]'] : []);
    }
  });

  test('__OW_ variables and the init env', async () => {
    const r = await kit.run(rt, { mode: 'env' }, {
      activation_id: 'a1b2c3', namespace: 'guest', deadline: 1234567890123, api_key: 'k:s', action_name: '/guest/x',
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      __OW_ACTIVATION_ID: 'a1b2c3', __OW_NAMESPACE: 'guest', __OW_DEADLINE: '1234567890123', __OW_API_KEY: 'k:s',
      MY_SETTING: 'on', MY_OBJ: '{"a": 1}',
    });
  });

  test('concurrent activations keep their own logs and variables', async () => {
    const names = ['alpha', 'beta', 'gamma', 'delta'];
    const results = await Promise.all(names.map((name, i) =>
      kit.runEnvelope(rt, { mode: 'interleave', name, delay: 0.05 * (4 - i) }, { activation_id: `id-${name}` })));
    results.forEach((r, i) => {
      const name = names[i];
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.result, { name, id: `id-${name}` });
      const lines = kit.texts(r.body.logs);
      assert.deepEqual([...lines].sort(), [`stderr middle ${name}`, `stdout end ${name}`, `stdout start ${name}`]);
      // stdout and stderr are two pipes: order holds within each stream, not across them under load
      assert.deepEqual(lines.filter(l => l.startsWith('stdout')), [`stdout start ${name}`, `stdout end ${name}`]);
    });
  });

  test('20 MB of stdout is cut at the default 10 MB with the notice, the result survives', async () => {
    const r = await kit.runEnvelope(rt, { mode: 'flood', n: 20480 });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.result, { printed: 20480 });
    assert.equal(r.body.logs.length, 10241);
    assert.ok(r.body.logs.slice(0, -1).every((l) => l.endsWith(` stdout: ${'x'.repeat(1023)}`)));
    assert.match(r.body.logs.at(-1), kit.TRUNCATED(10485760));
    const small = await kit.runEnvelope(rt, { mode: 'flood', n: 10 }, {}, { 'X-Wisp-Log-Limit': '3000' });
    assert.equal(small.body.logs.length, 3);
    assert.match(small.body.logs[2], kit.TRUNCATED(3000));
  });

  test('zip actions: a shell script with its files, and an ELF binary (run from memory on noexec /tmp)', async (t) => {
    const script = kit.zip({
      exec: { data: '#!/bin/sh\nread -r params\necho "$(cat data/greeting.txt) from $0"\necho "{\\"greeting\\": \\"$(cat data/greeting.txt)\\", \\"params\\": $params}"\n', mode: 0o755 },
      'data/greeting.txt': 'hi there',
    });
    const zipped = await kit.ready(t.after.bind(t), IMAGE, { code: script, binary: true });
    const r = await kit.runEnvelope(zipped, { n: 1 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.result, { greeting: 'hi there', params: { n: 1 } });
    assert.match(kit.texts(r.body.logs)[0], /^stdout hi there from \/tmp\/wisp-action-\w+\/exec$/);

    // /usr/bin/echo prints its argument, the parameters: an ELF action that returns its input
    const echo = path.join(work, 'echo');
    await kit.copyFromImage(IMAGE, '/usr/bin/echo', echo);
    const binary = await kit.ready(t.after.bind(t), IMAGE,
      { code: kit.zip({ exec: { data: fs.readFileSync(echo), mode: 0o755 } }), binary: true });
    const e = await kit.run(binary, { echoed: [1, 'two'] });
    assert.equal(e.status, 200, JSON.stringify(e.body));
    assert.deepEqual(e.body, { echoed: [1, 'two'] });
  });

  test('a background process that keeps stdout open does not hold the answer', async (t) => {
    const bg = await kit.ready(t.after.bind(t), IMAGE,
      { code: '#!/bin/sh\nsleep 5 &\necho \'{"ok": true}\'\n' });
    const start = Date.now();
    const r = await kit.run(bg, {});
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { ok: true });
    assert.ok(Date.now() - start < 2000, `took ${Date.now() - start} ms`);
  });

  test('init: failures are 502 and may be retried, a second success is 403', async () => {
    assert.equal((await kit.run(fresh, {})).status, 403);
    const failures = [
      [{ code: 'echo not a script' }, /#!/],
      [{ code: Buffer.from('not a zip').toString('base64'), binary: true }, /unzip/i],
      [{ code: kit.zip({ 'other.sh': '#!/bin/sh\n' }), binary: true }, /'exec'/],
      [{ code: kit.zip({ exec: 'plain text' }), binary: true }, /neither a script/],
      [{}, /code/],
    ];
    for (const [value, pattern] of failures) {
      const r = await kit.init(fresh, value);
      assert.equal(r.status, 502, JSON.stringify(value));
      assert.match(r.body.error, /^Initialization has failed due to: /);
      assert.match(r.body.error, pattern);
    }
    assert.equal((await kit.init(fresh, { code: '#!/bin/sh\necho \'{"v": 1}\'' })).status, 200);
    const again = await kit.init(fresh, { code: '#!/bin/sh\necho \'{"v": 2}\'' });
    assert.equal(again.status, 403);
    assert.deepEqual(again.body, { error: 'Cannot initialize the action more than once.' });
    assert.deepEqual((await kit.run(fresh, {})).body, { v: 1 });
    const missing = await kit.init(fresh, { code: '#!/no/such/interpreter\n' });
    assert.equal(missing.status, 403);
  });

  test('an interpreter that does not exist is a 502 at run time', async (t) => {
    const broken = await kit.ready(t.after.bind(t), IMAGE, { code: '#!/no/such/interpreter\necho hi\n' });
    const r = await kit.run(broken, {});
    assert.equal(r.status, 502);
    assert.match(r.body.error, /could not be started.*\/no\/such\/interpreter/);
  });

  test('the token: /init and /run without it or with a wrong one are 401 and change nothing', async (t) => {
    const counter = await kit.startRuntime(t.after.bind(t), IMAGE);
    await kit.assertRefusedThenInitialized(counter, { code: COUNTER }, { token: counter.token });
    const r = await kit.run(counter, { token: counter.token });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { calls: 1, token: null, seen: false, names: [], ow: [], key: null },
      'nothing ran before; the executable does not get the token');
    assert.equal((await kit.init(counter, { code: COUNTER })).status, 403);
  });

  test('without a token (unset or empty) the plain protocol needs no header', async (t) => {
    for (const token of [null, '']) {
      const plain = await kit.ready(t.after.bind(t), IMAGE, { code: COUNTER }, { token });
      const r = await kit.run(plain, { token: 'whatever' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.calls, 1);
      assert.deepEqual(r.body.names, []);
    }
  });

  test('__OW_ variables of an earlier /run are not in the next one\'s environment', async (t) => {
    const ow = await kit.ready(t.after.bind(t), IMAGE, { code: COUNTER });
    const host = 'http://172.18.0.1:3233';
    const first = await kit.run(ow, {}, { api_host: host, api_key: 'k:s' });
    assert.deepEqual([first.body.ow, first.body.key], [['__OW_API_HOST', '__OW_API_KEY'], 'k:s']);
    const second = await kit.run(ow, {}, { api_host: host });
    assert.deepEqual([second.body.ow, second.body.key], [['__OW_API_HOST'], null]);
  });

  test.skip('timeouts: the invoker enforces them (it removes the container)');

  test('a zip bomb or a zip of too many files fails init at once, naming the limit', async () => {
    await kit.assertZipLimits(track, IMAGE, 'exec');
  });
});
