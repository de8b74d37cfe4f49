'use strict';
// wisp/action-java:latest in Docker with the invoker's hardening flags: the protocol tests every runtime passes
// (testkit/protocol-tests.js, given this runtime's test actions), then what is the Java runtime's own.
// The test action (test/actions) is compiled for Java 8 with a local JDK >= 11 against the image's own Gson.
// Run: node --test runtimes/java/test/   (build the image first: runtimes/build.sh java)

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFile, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const kit = require('../../testkit/runtime-container');
const { describeRuntime } = require('../../testkit/protocol-tests');

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

/** The /init value of the test actions' jar (compiled once, by setup) with `main`. */
const hello = (ctx, main = 'com.example.Hello') => ({ code: ctx.setup.jar, binary: true, main });

describeRuntime(IMAGE, {
  skip,
  setup: async ({ track }) => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisp-java-test-'));
    track(async () => fs.rmSync(work, { recursive: true, force: true }));
    const classes = await compileActions(work);
    return { classes, jar: kit.zip(classes) };
  },
  action: (ctx) => hello(ctx),
  hello: { greeting: 'Hello Wisp' },
  env: { MY_OBJ: '{"a":1}', inMap: 'a1b2c3' },
  interleaved: { lines: (name) => [`stdout start ${name}`, `stderr middle ${name}`, `stdout in thread ${name}`, `stdout end ${name}`], acrossStreams: true },
  thrown: {
    error: 'An error has occurred: java.lang.IllegalStateException: boom',
    trace: (lines) => {
      assert.equal(lines[0], 'stderr java.lang.IllegalStateException: boom');
      assert.match(lines[1], /^stderr \tat com\.example\.Hello\.main\(Hello\.java:\d+\)$/);
    },
  },
  notDictionary: [{ mode: 'null' }],
  init: (ctx) => ({
    failures: [
      [{ code: 'public class Hello {}', main: 'Hello' }, /not a jar/],
      [hello(ctx, 'com.example.Missing'), /'com\.example\.Missing' was not found/],
      [hello(ctx, 'com.example.Hello#nope'), /Method 'nope' not found/],
      [hello(ctx, 'com.example.Hello#notStatic'), /must be static/],
      [hello(ctx, 'com.example.Broken'), /failed to initialize: java\.lang\.NumberFormatException/],
      [{ code: ctx.setup.jar, binary: true }, /Missing "main"/],
      [{}, /code/],
    ],
    first: hello(ctx, 'com.example.Hello#handle'),
    second: hello(ctx),
    run: { v: 1 },
    result: { handled: 2 },
  }),
  counter: (ctx) => ({
    value: hello(ctx),
    run: (token) => ({ mode: 'probe', token }),
    // System.getenv() and ProcessBuilder.environment() have no token
    result: { calls: 1, token: null, seen: false, names: [], childEnv: false, ow: [], key: null },
  }),
}, (ctx) => {
  test('main as Class#method, and Main-Class from the manifest when main is not given', async (t) => {
    const [custom, manifest] = await Promise.all([kit.startRuntime(t.after.bind(t), IMAGE),
      kit.startRuntime(t.after.bind(t), IMAGE)]);
    const withManifest = kit.zip({
      'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\r\nMain-Class: com.example.Hello\r\n\r\n', ...ctx.setup.classes,
    });
    const [a, b] = await Promise.all([
      kit.init(custom, hello(ctx, 'com.example.Hello#handle')),
      kit.init(manifest, { code: withManifest, binary: true }),
    ]);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.equal(b.status, 200, JSON.stringify(b.body));
    assert.deepEqual((await kit.run(custom, { v: 41 })).body, { handled: 42 });
    assert.deepEqual((await kit.run(manifest, { name: 'jar' })).body, { greeting: 'Hello jar' });
  });
});
