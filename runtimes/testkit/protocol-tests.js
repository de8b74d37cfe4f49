'use strict';
// The protocol tests that every runtime image passes, written once: a runtime's test file names its image, gives
// the parts below (its test actions, and what it answers where runtimes differ) and adds the tests of what is its
// own. Each test runs only when the parts it needs are given. Containers are started by ./runtime-container.js,
// hardened like the invoker's, with a random WISP_RUNTIME_TOKEN sent with every /init and /run.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const kit = require('./runtime-container');

const INIT_ENV = { MY_SETTING: 'on', MY_OBJ: { a: 1 } };
const RUN_FIELDS = { activation_id: 'a1b2c3', namespace: 'guest', deadline: 1234567890123, api_key: 'k:s', action_name: '/guest/x' };
const API_HOST = 'http://172.18.0.1:3233';

/**
 * Describes the tests of `image` (skipped when it is missing, or with `spec.skip` as the reason): the shared ones
 * that `spec`'s parts allow, then those `own(ctx)` defines. Any part may be a function of ctx, called when a test
 * runs (so it may use what `setup` made). ctx: {rt, fresh, track, setup}: `rt` runs `action`, initialized with
 * the /init env {MY_SETTING: 'on', MY_OBJ: {a: 1}}; `fresh` is started and not initialized (the init test takes it);
 * `track(stop)` removes a container when the file's tests end; `setup` is what spec.setup resolved to.
 *
 * The parts:
 * - setup({track}): resolves before `rt` is initialized (while the containers start).
 * - action: the /init value of the test action, which answers by `mode`: 'hello' {name} prints "hello <name>" and
 *   returns `hello`; 'error' returns {error: 'application error'}; 'throw' fails (see `thrown`); 'env' returns
 *   __OW_ACTIVATION_ID, __OW_NAMESPACE, __OW_DEADLINE, __OW_API_KEY, MY_SETTING and MY_OBJ of its environment
 *   (and what `env` adds); 'interleave' {name, delay} prints "start <name>" to stdout, waits `delay` ms, "middle
 *   <name>" to stderr, waits again, ends with "end <name>" on stdout and returns {name, id: __OW_ACTIVATION_ID};
 *   'lines' {n, text} prints n lines (`text`, else line-0000, line-0001, ...) and returns {printed: n}.
 * - hello: what 'hello' returns; env: what 'env' returns besides the values the test gave.
 * - interleaved: {lines(name): all that 'interleave' prints, in order; acrossStreams: false asserts the order within
 *   each stream only}.
 * - thrown: {error, trace(lines)}: the error of {mode: 'throw'}, and what to assert of its log lines ("stderr ...").
 * - notDictionary: /run values for which the action returns no dictionary.
 * - init: {failures: [[value, pattern]], first, second: /init values, run, result}: on `fresh`.
 * - counter: {value, run(token), result}: an /init value and the /run value of an action that counts its calls and
 *   returns {calls, token: its WISP_RUNTIME_TOKEN, seen: whether the token is anywhere in its environment (or its
 *   child's), names: its WISP_* variables, ow: its __OW_* names, key: __OW_API_KEY}; `result`: its first answer
 *   (a missing field counts as null).
 * - staleEnv: {value, run}: the /init and /run values of an action that returns `ow` and `key` as above
 *   (default: counter's).
 * - zipEntry: a file name in a zip that the runtime would run.
 * - steadyMemory: the /init value of an action that returns {}: a warm container runs it 65,000 times.
 */
function describeRuntime(image, spec, own = () => {}) {
  const kind = /action-([\w-]+)/.exec(image)?.[1];
  const skip = spec.skip ?? (!kit.imageAvailable(image) && `${image} is missing: runtimes/build.sh ${kind}`);
  describe(image, { concurrency: true, skip }, () => {
    const stops = [];
    after(() => Promise.all(stops.map((stop) => stop())));
    const ctx = { track: (stop) => stops.push(stop) };
    const part = (name) => (typeof spec[name] === 'function' ? spec[name](ctx) : spec[name]);
    before(async () => {
      [ctx.setup, ctx.rt, ctx.fresh] = await Promise.all([
        spec.setup ? spec.setup(ctx) : undefined, kit.startRuntime(ctx.track, image), kit.startRuntime(ctx.track, image),
      ]);
      if (spec.action) {
        const r = await kit.init(ctx.rt, { name: 'test', ...part('action'), env: INIT_ENV });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual(r.body, { OK: true });
      }
    });
    if (spec.action) actionTests(spec, ctx, part);
    if (spec.init) initTests(ctx, part);
    if (spec.counter) tokenTests(image, ctx, part);
    if (spec.steadyMemory) steadyMemoryTest(image, part('steadyMemory'));
    if (spec.zipEntry) {
      test('a zip bomb or a zip of too many files fails init at once, naming the limit', async () => {
        await kit.assertZipLimits(ctx.track, image, spec.zipEntry);
      });
    }
    own(ctx);
  });
}

function actionTests(spec, ctx, part) {
  test('hello, plain protocol with the sentinel lines', async () => {
    const r = await kit.run(ctx.rt, { mode: 'hello', name: 'Wisp' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, part('hello'));
    assert.equal(r.headers.get('x-wisp-envelope'), null);
    let logs;
    for (let i = 0; i < 100; i++) {
      logs = await ctx.rt.logs();
      if (logs.stderr.includes(kit.SENTINEL)) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    assert.match(logs.stdout, new RegExp(`hello Wisp\\n${kit.SENTINEL}\\n`));
    assert.match(logs.stderr, new RegExp(kit.SENTINEL));
  });

  test('a returned {error} is 200, an application error', async () => {
    const r = await kit.runEnvelope(ctx.rt, { mode: 'error' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-wisp-envelope'), '1');
    assert.deepEqual(r.body.result, { error: 'application error' });
  });

  if (spec.thrown) {
    test('an exception is 502, with its stack trace in the logs', async () => {
      const { error, trace } = part('thrown');
      const r = await kit.runEnvelope(ctx.rt, { mode: 'throw' });
      assert.equal(r.status, 502);
      assert.equal(r.headers.get('x-wisp-envelope'), '1');
      assert.deepEqual(r.body.result, { error });
      trace(kit.texts(r.body.logs));
    });
  }

  if (spec.notDictionary) {
    test('a result that is not a dictionary is 502', async () => {
      for (const value of part('notDictionary')) {
        const r = await kit.run(ctx.rt, value);
        assert.equal(r.status, 502, `for ${JSON.stringify(value)}`);
        assert.deepEqual(r.body, { error: 'The action did not return a dictionary.' });
      }
    });
  }

  test('__OW_ variables per activation and the init env', async () => {
    const r = await kit.run(ctx.rt, { mode: 'env' }, RUN_FIELDS);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      __OW_ACTIVATION_ID: 'a1b2c3', __OW_NAMESPACE: 'guest', __OW_DEADLINE: '1234567890123', __OW_API_KEY: 'k:s',
      MY_SETTING: 'on', ...part('env'),
    });
  });

  test('concurrent activations keep their own logs and __OW_ variables', async () => {
    const { lines: expected, acrossStreams } = part('interleaved');
    const names = ['alpha', 'beta', 'gamma', 'delta'];
    const results = await Promise.all(names.map((name, i) =>
      kit.runEnvelope(ctx.rt, { mode: 'interleave', name, delay: 50 * (4 - i) }, { activation_id: `id-${name}` })));
    results.forEach((r, i) => {
      const name = names[i];
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.result, { name, id: `id-${name}` });
      const lines = kit.texts(r.body.logs);
      if (acrossStreams) {
        assert.deepEqual(lines, expected(name));
      } else {
        // two pipes: order holds within each stream, not across them under load
        assert.deepEqual([...lines].sort(), [...expected(name)].sort());
        const stdout = (l) => l.startsWith('stdout');
        assert.deepEqual(lines.filter(stdout), expected(name).filter(stdout));
      }
    });
  });

  test('20 MB of stdout is cut at the default 10 MB with the notice', async () => {
    const text = 'x'.repeat(1023); // 1 KiB a line with its newline
    const r = await kit.runEnvelope(ctx.rt, { mode: 'lines', n: 20480, text });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.result, { printed: 20480 });
    assert.equal(r.body.logs.length, 10241);
    assert.ok(r.body.logs.slice(0, -1).every((l) => l.endsWith(` stdout: ${text}`)));
    assert.match(r.body.logs.at(-1), kit.TRUNCATED(10485760));
  });

  test('X-Wisp-Log-Limit sets the cap', async () => {
    const r = await kit.runEnvelope(ctx.rt, { mode: 'lines', n: 100 }, {}, { 'X-Wisp-Log-Limit': '50' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.result, { printed: 100 });
    assert.equal(r.body.logs.length, 6); // 5 lines of 9 bytes + newline, then the notice
    assert.match(r.body.logs[4], / stdout: line-0004$/);
    assert.match(r.body.logs[5], kit.TRUNCATED(50));
  });

  test.skip('timeouts: the invoker enforces them (it removes the container)');
}

function initTests(ctx, part) {
  test('init: failures are 502 and may be retried, a second success is 403', async () => {
    const { failures, first, second, run, result } = part('init');
    assert.equal((await kit.run(ctx.fresh, {})).status, 403);
    for (const [value, pattern] of failures) {
      const r = await kit.init(ctx.fresh, value);
      assert.equal(r.status, 502, JSON.stringify(value).slice(0, 100));
      assert.match(r.body.error, /^Initialization has failed due to: /);
      assert.match(r.body.error, pattern);
    }
    assert.equal((await kit.init(ctx.fresh, first)).status, 200);
    const again = await kit.init(ctx.fresh, second);
    assert.equal(again.status, 403);
    assert.deepEqual(again.body, { error: 'Cannot initialize the action more than once.' });
    assert.deepEqual((await kit.run(ctx.fresh, run)).body, result);
  });
}

/** `body` with every field of `expected` that it lacks as null (Gson leaves out null fields). */
const withNulls = (body, expected) =>
  Object.fromEntries(Object.keys({ ...expected, ...body }).map((k) => [k, body[k] ?? null]));

function tokenTests(image, ctx, part) {
  test('the token: /init and /run without it or with a wrong one are 401 and change nothing', async (t) => {
    const { value, run, result } = part('counter');
    const rt = await kit.startRuntime(t.after.bind(t), image);
    await kit.assertRefusedThenInitialized(rt, value, run(rt.token));
    const r = await kit.run(rt, run(rt.token));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(withNulls(r.body, result), result, 'nothing ran before; the action does not see the token');
    assert.equal((await kit.init(rt, value)).status, 403);
  });

  test('without a token (unset or empty) the plain protocol needs no header', async (t) => {
    const { value, run } = part('counter');
    for (const token of [null, '']) {
      const plain = await kit.ready(t.after.bind(t), image, value, { token });
      const r = await kit.run(plain, run('whatever'));
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.calls, 1);
      assert.deepEqual(r.body.names, []);
    }
  });

  test('__OW_ variables an earlier /run set and this one lacks are gone', async (t) => {
    const counter = part('counter');
    const { value, run } = part('staleEnv') ?? { value: counter.value, run: counter.run() };
    const rt = await kit.ready(t.after.bind(t), image, value);
    const first = await kit.run(rt, run, { api_host: API_HOST, api_key: 'k:s' });
    assert.deepEqual([first.body.ow, first.body.key], [['__OW_API_HOST', '__OW_API_KEY'], 'k:s']);
    const second = await kit.run(rt, run, { api_host: API_HOST });
    assert.deepEqual([second.body.ow, second.body.key ?? null], [['__OW_API_HOST'], null]);
  });
}

/**
 * A warm container runs on and on: each /run's __OW_* values are new (activation id, deadline, transaction id),
 * and the C library's setenv() keeps every NAME=value it was ever given, about 300 bytes a run, until the memory
 * limit killed the container.
 */
function steadyMemoryTest(image, noop) {
  test("60,000 runs with new __OW_ values each leave a warm container's memory where it was", { timeout: 600000 },
    async (t) => {
      const published = await kit.ready(t.after.bind(t), image, noop);
      // straight to the container's address, as the invoker goes, not through docker-proxy
      const ip = (await kit.docker('inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
        published.id)).stdout.trim();
      const rt = { ...published, url: `http://${ip}:8080` };
      let next = 0;
      const runs = (n) => {
        const end = next + n;
        return Promise.all(Array.from({ length: 8 }, async () => {
          while (next < end) {
            const i = next++;
            const r = await kit.run(rt, {}, {
              activation_id: (i * 2654435761 % 4294967296).toString(16).padStart(32, '0'),
              transaction_id: i.toString(16).padStart(32, 'f'), deadline: Date.now() + 60000,
            });
            assert.equal(r.status, 200, JSON.stringify(r.body));
          }
        }));
      };
      await runs(5000); // the runtime's JIT and heap settle first
      const before = await kit.memoryMb(rt);
      await runs(60000);
      const after = await kit.memoryMb(rt);
      // setenv() would have kept some 17 MB of it
      assert.ok(after - before < 8, `memory grew from ${before.toFixed(1)} MB to ${after.toFixed(1)} MB`);
    });
}

module.exports = { describeRuntime, API_HOST };
