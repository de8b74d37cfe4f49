'use strict';
// Test kit for the runtime images: runs an image in Docker the way Wisp's invoker does (read-only root, tmpfs
// /tmp, no capabilities, pids/nofile/memory limits) and talks the action protocol to it. Every container it
// starts carries the label wisp.test=runtimes and is removed when its test ends (or, at the latest, when the
// test process exits). Like the invoker, it gives each container a random WISP_RUNTIME_TOKEN and sends
// "Authorization: Bearer <token>" with every /init and /run (unless told otherwise).

const assert = require('node:assert/strict');
const { execFile, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const HARDENING = [
  '--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
  '--pids-limit', '256', '--ulimit', 'nofile=1024:1024', '--memory', '256m', '--memory-swap', '256m',
];
const LOG_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (stdout|stderr): /;
const SENTINEL = 'XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX';
const UNAUTHORIZED = { error: 'This action container accepts requests from its invoker only.' };
const TRUNCATED = (limit) =>
  new RegExp(`^\\S+Z stderr: Logs were truncated because the total bytes size exceeds the limit of ${limit} bytes\\.$`);

const live = new Set();
process.on('exit', () => {
  if (live.size) {
    try { execFileSync('docker', ['rm', '-f', ...live], { stdio: 'ignore' }); } catch (e) { /* best effort */ }
  }
});

function docker(...args) {
  return dockerWithEnv({}, ...args);
}

/** docker with extra environment variables for the CLI (`docker run -e NAME` takes NAME's value from there). */
function dockerWithEnv(env, ...args) {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`docker ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** Skips the whole file (with a reason) when Docker or the image is missing. */
function imageAvailable(image) {
  try {
    execFileSync('docker', ['image', 'inspect', image], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return false;
  }
}

/** A random token like the invoker's (base64url). */
const newToken = () => crypto.randomBytes(32).toString('base64url');

/**
 * Starts `image` hardened like the invoker does; resolves when it answers GET /health.
 * Resolves to {id, url, token, startMs, logs(): Promise<{stdout, stderr}>, stop()}.
 * `after` is a hook registrar (t.after, or node:test's after) that removes the container.
 * `token`: the container's WISP_RUNTIME_TOKEN (default: a random one; null: none, '': set but empty).
 */
async function startRuntime(after, image, { token = newToken() } = {}) {
  const start = Date.now();
  const withToken = token === null ? [] : ['-e', 'WISP_RUNTIME_TOKEN']; // the value from the CLI's environment
  // WISP_WARMUP: the invoker sets it (to 0) on a container a request waits for; 1 here keeps the Node.js runtime's
  // warm-up on. Like the token, no action may see it
  const { stdout } = await dockerWithEnv(token === null ? {} : { WISP_RUNTIME_TOKEN: token }, 'run', '-d', '--rm',
    '--label', 'wisp.test=runtimes', ...HARDENING, ...withToken, '-e', 'WISP_WARMUP=1', '-p', '127.0.0.1::8080',
    image);
  const id = stdout.trim();
  live.add(id);
  const stop = async () => {
    if (!live.delete(id)) return;
    await docker('rm', '-f', id).catch(() => {});
  };
  after(stop);
  const port = (await docker('port', id, '8080/tcp')).stdout.split('\n')[0].trim();
  const url = `http://${port}`;
  // keep-alive like the invoker's pool; the health probe uses its own connections (a probe that reaches
  // docker-proxy before the server listens is reset)
  const agent = new http.Agent({ keepAlive: true });
  after(() => agent.destroy());
  for (;;) {
    try {
      const res = await request(`${url}/health`, { method: 'GET', agent: false, timeout: 2000 });
      if (res.status === 200) break;
    } catch (e) { /* not listening yet */ }
    if (Date.now() - start > 30000) throw new Error(`${image} did not answer /health within 30 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { id, url, token, agent, startMs: Date.now() - start, logs: () => docker('logs', id), stop };
}

/** One HTTP request; resolves to {status, headers (lower-case names), text}. */
function request(url, { method = 'POST', headers = {}, body, agent, timeout = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent, timeout }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within ${timeout} ms`)));
    req.on('error', reject);
    // A server that refuses a request without reading its body (401 before a 4 MB upload is read) may close the
    // socket while the body is still being written: the write's EPIPE can come after the answer, when no request
    // listens any more, and would be an uncaught exception. The answer is what the tests look at.
    req.on('socket', (socket) => {
      if (!socket.wispQuiet) {
        socket.wispQuiet = true;
        socket.on('error', () => {});
      }
    });
    req.end(body);
  });
}

/** The request headers: the token's Authorization first, then `headers` (a null value leaves a header out). */
function withAuthorization(rt, headers) {
  const all = { ...(rt.token ? { Authorization: `Bearer ${rt.token}` } : {}), ...headers };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== null && v !== undefined));
}

async function post(rt, route, body, headers = {}) {
  const data = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const res = await request(rt.url + route, {
    headers: withAuthorization(rt, { 'Content-Type': 'application/json', 'Content-Length': data.length, ...headers }),
    body: data,
    agent: rt.agent,
  });
  let parsed;
  try { parsed = JSON.parse(res.text); } catch (e) { parsed = res.text; }
  return { status: res.status, headers: { get: (name) => res.headers[name.toLowerCase()] ?? null }, body: parsed };
}

const init = (rt, value, headers = {}) => post(rt, '/init', { value }, headers);
const run = (rt, value, extra = {}, headers = {}) => post(rt, '/run', { value, ...extra }, headers);
const runEnvelope = (rt, value, extra = {}, headers = {}) =>
  run(rt, value, extra, { 'X-Wisp-Envelope': '1', ...headers });

/** The container's memory use (anonymous memory and kernel memory, not the page cache), as `docker stats` reads it. */
async function memoryMb(rt) {
  const { stdout } = await docker('stats', '--no-stream', '--format', '{{.MemUsage}}', rt.id);
  const m = /^([\d.]+)\s*([KMG]i?B)/.exec(stdout.trim());
  assert.ok(m, `docker stats said ${stdout}`);
  return Number(m[1]) * { KiB: 1 / 1024, KB: 1 / 1024, MiB: 1, MB: 1, GiB: 1024, GB: 1024 }[m[2]];
}

/** Starts a container and initializes it with `value`, asserting success. */
async function ready(after, image, value, options = {}) {
  const rt = await startRuntime(after, image, options);
  const r = await init(rt, { name: 'test', ...value });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { OK: true });
  return rt;
}

/** The log lines of an envelope without their time stamps: "stdout text". */
const texts = (logs) => logs.map((l) => {
  assert.match(l, LOG_LINE);
  return l.replace(LOG_LINE, '$1 ');
});

// --- a minimal zip writer (stored entries); `files` maps names to strings/Buffers or {data, mode}
function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function zip(files, { declaredSize } = {}) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, entry] of Object.entries(files)) {
    const { data: raw, mode } = entry && entry.data !== undefined ? entry : { data: entry, mode: 0o644 };
    const data = Buffer.from(raw);
    const fname = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(10, 4);
    // declaredSize: the unpacked size an entry claims (a bomb's), whatever it holds
    const size = declaredSize === undefined ? data.length : declaredSize;
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(size, 22);
    local.writeUInt16LE(fname.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE((3 << 8) | 20, 4); central.writeUInt16LE(10, 6);
    central.writeUInt32LE(crc, 16); central.writeUInt32LE(data.length, 20); central.writeUInt32LE(size, 24);
    central.writeUInt16LE(fname.length, 28); central.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fname, data);
    centrals.push(central, fname);
    offset += local.length + fname.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8); end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]).toString('base64');
}

/** All files under `dir` as {relative/path: Buffer}. */
function readTree(dir, prefix = '') {
  const out = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + entry.name;
    if (entry.isDirectory()) Object.assign(out, readTree(path.join(dir, entry.name), `${rel}/`));
    else out[rel] = fs.readFileSync(path.join(dir, entry.name));
  }
  return out;
}

/** Copies one file out of an image (without starting it). */
async function copyFromImage(image, file, dest) {
  const id = (await docker('create', '--label', 'wisp.test=runtimes', image)).stdout.trim();
  live.add(id);
  try {
    await docker('cp', `${id}:${file}`, dest);
  } finally {
    live.delete(id);
    await docker('rm', '-f', id).catch(() => {});
  }
}

/**
 * Asserts that /init and /run are refused with 401 and the fixed JSON body without the header, with a wrong
 * token, with another scheme or a bare token; for `rt` started with a token.
 */
async function assertRefusals(rt, initValue, runValue = {}) {
  const wrong = { Authorization: `Bearer ${newToken()}` };
  const cases = [
    ['no header', { Authorization: null }],
    ['a wrong token', wrong],
    ['a longer token', { Authorization: `Bearer ${rt.token}x` }],
    ['a prefix of the token', { Authorization: `Bearer ${rt.token.slice(0, -1)}` }],
    ['the token without "Bearer"', { Authorization: rt.token }],
    ['another scheme', { Authorization: `Basic ${rt.token}` }],
    ['an empty bearer', { Authorization: 'Bearer ' }],
  ];
  for (const [what, headers] of cases) {
    for (const [route, send] of [['/init', () => init(rt, initValue, headers)],
      ['/run', () => run(rt, runValue, {}, headers)], ['/run (envelope)', () => runEnvelope(rt, runValue, {}, headers)]]) {
      const r = await send();
      assert.equal(r.status, 401, `${route} with ${what}: ${JSON.stringify(r.body)}`);
      assert.deepEqual(r.body, UNAUTHORIZED, `${route} with ${what}`);
      assert.match(r.headers.get('content-type'), /^application\/json/);
    }
  }
  const health = await request(`${rt.url}/health`, { method: 'GET', agent: rt.agent });
  assert.equal(health.status, 200, 'GET /health needs no token');
}

/**
 * Asserts that /init refuses, within seconds and naming the limit, a zip that claims to unpack to more than
 * 40 MB (a bomb, refused before a byte is written) and one with more than 10,000 entries. `entry` is a file
 * name the runtime would run.
 */
async function assertZipLimits(after, image, entry) {
  const cases = [
    [zip({ [entry]: 'x' }, { declaredSize: 50 * 1024 * 1024 }), /unpacks to 52428800 bytes, more than the limit of 41943040 bytes/],
    [zip(Object.fromEntries(Array.from({ length: 10001 }, (_, i) => [`f${i}`, '']))),
      /has 10001 entries, more than the limit of 10000/],
  ];
  for (const [code, message] of cases) {
    const rt = await startRuntime(after, image);
    const start = Date.now();
    const r = await init(rt, { name: 'zip', code, binary: true, main: 'main' });
    assert.equal(r.status, 502, JSON.stringify(r.body));
    assert.match(r.body.error, message);
    assert.ok(Date.now() - start < 10000, `refused in ${Date.now() - start} ms`);
  }
}

/**
 * The token's whole story on a fresh container `rt`: refusals before init, which leave it uninitialized (a /run
 * is 403), then a correct /init, refusals again, and a 1 MB body without the header refused too. The caller then
 * checks with a correct /run that nothing ran meanwhile.
 */
async function assertRefusedThenInitialized(rt, initValue, runValue) {
  await assertRefusals(rt, initValue, runValue);
  assert.equal((await run(rt, {})).status, 403, 'the refused /init did not initialize');
  assert.equal((await init(rt, initValue)).status, 200, 'a correct /init still works');
  await assertRefusals(rt, initValue, runValue);
  const big = await post(rt, '/run', { value: { blob: 'x'.repeat(1024 * 1024) } }, { Authorization: null });
  assert.equal(big.status, 401, 'a large body without the token');
}

module.exports = {
  HARDENING, LOG_LINE, SENTINEL, TRUNCATED, UNAUTHORIZED, docker, dockerWithEnv, imageAvailable, newToken, startRuntime, request, post,
  init, run, runEnvelope, ready, memoryMb, texts, zip, readTree, copyFromImage, assertRefusals, assertZipLimits,
  assertRefusedThenInitialized,
};
