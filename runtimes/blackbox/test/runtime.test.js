'use strict';
// wisp/action-blackbox:latest in Docker with the invoker's hardening flags (so /tmp is a noexec tmpfs): the
// protocol tests every runtime passes (testkit/protocol-tests.js, given this runtime's test actions), then what is
// the blackbox runtime's own. Run: node --test runtimes/blackbox/test/   (first: runtimes/build.sh blackbox)

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const kit = require('../../testkit/runtime-container');
const { describeRuntime } = require('../../testkit/protocol-tests');

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
    name, delay = args['name'], args['delay'] / 1000
    print('start ' + name, flush=True)
    time.sleep(delay)
    print('middle ' + name, file=sys.stderr, flush=True)
    time.sleep(delay)
    print('end ' + name)
    print(json.dumps({'name': name, 'id': os.environ['__OW_ACTIVATION_ID']}))
elif mode == 'lines':
    text = args.get('text')
    sys.stdout.write(''.join((text or 'line-%04d' % i) + '\\n' for i in range(args['n'])))
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

describeRuntime(IMAGE, {
  action: { code: ACTION },
  hello: { greeting: 'Hello Wisp', via: 'argv' },
  env: { MY_OBJ: '{"a": 1}' },
  interleaved: { lines: (name) => [`stdout start ${name}`, `stderr middle ${name}`, `stdout end ${name}`], acrossStreams: false },
  init: {
    failures: [
      [{ code: 'echo not a script' }, /#!/],
      [{ code: Buffer.from('not a zip').toString('base64'), binary: true }, /unzip/i],
      [{ code: kit.zip({ 'other.sh': '#!/bin/sh\n' }), binary: true }, /'exec'/],
      [{ code: kit.zip({ exec: 'plain text' }), binary: true }, /neither a script/],
      [{}, /code/],
    ],
    first: { code: '#!/bin/sh\necho \'{"v": 1}\'' },
    second: { code: '#!/no/such/interpreter\n' },
    run: {},
    result: { v: 1 },
  },
  counter: {
    value: { code: COUNTER },
    run: (token) => ({ token }),
    result: { calls: 1, token: null, seen: false, names: [], ow: [], key: null },
  },
  zipEntry: 'exec',
}, (ctx) => {
  test('parameters longer than an argument go on stdin only', async () => {
    const blob = 'b'.repeat(200000);
    const r = await kit.run(ctx.rt, { mode: 'size', blob });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { size: blob.length, via: 'stdin' });
  });

  test('outcomes: exit codes, lists and silence are 502, a result wins over the exit code', async () => {
    const crash = await kit.runEnvelope(ctx.rt, { mode: 'crash' });
    assert.equal(crash.status, 502);
    assert.deepEqual(crash.body.result,
      { error: 'The action exited with exit code 3 and did not return a dictionary.' });
    assert.deepEqual(kit.texts(crash.body.logs).sort(), ['stderr bad things', 'stdout about to fail']);

    const withResult = await kit.run(ctx.rt, { mode: 'crash-with-result' });
    assert.equal(withResult.status, 200);
    assert.deepEqual(withResult.body, { partial: true });

    for (const mode of ['list', 'silent']) {
      const r = await kit.runEnvelope(ctx.rt, { mode });
      assert.equal(r.status, 502, mode);
      assert.deepEqual(r.body.result, { error: 'The action did not return a dictionary.' });
      assert.deepEqual(kit.texts(r.body.logs), mode === 'list' ? ['stdout [1, 2]'] : []);
    }
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
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisp-blackbox-test-'));
    t.after(() => fs.rmSync(work, { recursive: true, force: true }));
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

  test('an interpreter that does not exist is a 502 at run time', async (t) => {
    const broken = await kit.ready(t.after.bind(t), IMAGE, { code: '#!/no/such/interpreter\necho hi\n' });
    const r = await kit.run(broken, {});
    assert.equal(r.status, 502);
    assert.match(r.body.error, /could not be started.*\/no\/such\/interpreter/);
  });
});
