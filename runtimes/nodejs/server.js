'use strict';
// Wisp Node.js action runtime: the OpenWhisk action protocol (POST /init, POST /run) on port 8080,
// plus per-activation log capture returned in a JSON envelope when the invoker asks for it
// (request header X-Wisp-Envelope: 1). Standard library only (runs on Node 18+); the image also ships the
// openwhisk npm client for action code (NODE_PATH, see the Dockerfile).
// When the container is given WISP_RUNTIME_TOKEN, /init and /run need "Authorization: Bearer <token>".

const crypto = require('crypto');
const http = require('http');
const net = require('net');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vm = require('vm');
const Module = require('module');
const { AsyncLocalStorage } = require('async_hooks');
const { StringDecoder } = require('string_decoder');

const PORT = Number(process.env.PORT || 8080);
const SENTINEL = 'XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n';
const DEFAULT_LOG_LIMIT = 10 * 1024 * 1024;
const MAX_BODY = 128 * 1024 * 1024;

// ---------------------------------------------------------------- the invoker's token

// Read once, then gone from the environment: neither action code (process.env) nor the processes it starts
// see it. Compared as SHA-256 digests with timingSafeEqual: constant time whatever the lengths.
const digest = (text) => crypto.createHash('sha256').update(text, 'utf8').digest();
const TOKEN_DIGEST = process.env.WISP_RUNTIME_TOKEN ? digest(process.env.WISP_RUNTIME_TOKEN) : null;
let WARM_TOKEN = process.env.WISP_RUNTIME_TOKEN || null; // for the warm-up's own requests (below), then dropped
delete process.env.WISP_RUNTIME_TOKEN;
// WISP_WARMUP=0: a request waits for this container, open the port at once (below); gone from the environment too
const WARM_UP = process.env.WISP_WARMUP !== '0';
delete process.env.WISP_WARMUP;

// The __OW_* variables live in a JavaScript object from here on; every other name stays in the real environment.
// Node's process.env hands every change to the C library's setenv(), which keeps each NAME=value text it was ever
// given for the life of the process: with a fresh activation id, deadline and transaction id in every /run's
// __OW_* variables, a warm container grew by about 300 bytes a run until its memory limit killed it (a 128 MB
// container within 400,000 runs). Other names keep what the real one does (TZ set by an action changes the time
// zone; native code sees HOME, UV_THREADPOOL_SIZE, ...). Processes the action starts get both: child_process hands
// them process.env.
{
  const real = process.env;
  const run = Object.create(null); // the __OW_* names, values as strings (as Node stores them)
  const ours = (name) => typeof name === 'string' && name.startsWith('__OW_');
  process.env = new Proxy({}, {
    get: (t, name) => (ours(name) ? run[name] : real[name]),
    set(t, name, value) {
      if (ours(name)) run[name] = String(value); else real[name] = value;
      return true;
    },
    defineProperty(t, name, descriptor) {
      if (!ours(name)) return Reflect.defineProperty(real, name, descriptor);
      run[name] = String(descriptor.value);
      return true;
    },
    has: (t, name) => (ours(name) ? name in run : name in real),
    deleteProperty(t, name) {
      if (ours(name)) delete run[name]; else delete real[name];
      return true;
    },
    ownKeys: () => [...Reflect.ownKeys(real).filter((name) => !ours(name)), ...Object.keys(run)],
    getOwnPropertyDescriptor(t, name) {
      if (!ours(name)) return Reflect.getOwnPropertyDescriptor(real, name);
      return name in run ? { value: run[name], writable: true, enumerable: true, configurable: true } : undefined;
    },
  });
}

// A Worker created without an env of its own gets a copy of the real environment, taken in C++ (not of this
// process.env), which would leave out the __OW_* names: such a Worker is given a copy of process.env instead, as a
// child process is. SHARE_ENV and an env of the action's own are left as they are.
{
  const threads = require('worker_threads');
  const NodeWorker = threads.Worker;
  threads.Worker = class Worker extends NodeWorker {
    constructor(filename, options) {
      super(filename, options != null && options.env != null ? options : { ...options, env: { ...process.env } });
    }
  };
  require('module').syncBuiltinESMExports();
}

const UNAUTHORIZED = { error: 'This action container accepts requests from its invoker only.' };

/** True when no token was given, or the request carries "Authorization: Bearer <token>". */
function authorized(headers) {
  if (!TOKEN_DIGEST) return true;
  const header = headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header) : null;
  const same = crypto.timingSafeEqual(digest(bearer ? bearer[1] : ''), TOKEN_DIGEST);
  return bearer !== null && same;
}

// ---------------------------------------------------------------- log capture

const activations = new AsyncLocalStorage();
const realWrite = {
  stdout: process.stdout.write.bind(process.stdout),
  stderr: process.stderr.write.bind(process.stderr),
};

/** Collects the lines one activation writes, up to `limit` bytes of text. */
class LogCapture {
  constructor(limit) {
    this.limit = limit;
    this.bytes = 0;
    this.lines = []; // {time, stream, text}
    this.truncated = false;
    this.closed = false;
    this.partial = { stdout: '', stderr: '' };
    this.decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  }

  write(stream, text) {
    if (this.truncated) return;
    const parts = (this.partial[stream] + text).split('\n');
    this.partial[stream] = parts.pop();
    for (const line of parts) this.add(stream, line);
    // a huge write without a newline must not grow the buffer past the limit
    if (Buffer.byteLength(this.partial[stream]) > this.limit - this.bytes) this.add(stream, this.partial[stream]);
  }

  add(stream, text) {
    if (this.truncated) return;
    const size = Buffer.byteLength(text) + 1;
    if (this.bytes + size > this.limit) {
      this.truncated = true;
      this.partial = { stdout: '', stderr: '' };
      this.lines.push({
        time: new Date().toISOString(), stream: 'stderr',
        text: `Logs were truncated because the total bytes size exceeds the limit of ${this.limit} bytes.`,
      });
      return;
    }
    this.bytes += size;
    this.lines.push({ time: new Date().toISOString(), stream, text });
  }

  close() {
    for (const stream of ['stdout', 'stderr']) {
      const rest = this.partial[stream] + this.decoders[stream].end();
      this.partial[stream] = '';
      if (rest) this.add(stream, rest);
    }
    this.closed = true;
  }

  formatted() {
    return this.lines.map((l) => `${l.time} ${l.stream}: ${l.text}`);
  }
}

function toText(capture, stream, chunk, encoding) {
  if (typeof chunk === 'string') {
    if (!encoding || typeof encoding !== 'string' || /^utf-?8$/i.test(encoding) || !Buffer.isEncoding(encoding)) {
      return chunk;
    }
    chunk = Buffer.from(chunk, encoding);
  }
  return capture.decoders[stream].write(Buffer.from(chunk));
}

for (const stream of ['stdout', 'stderr']) {
  process[stream].write = function (chunk, encoding, callback) {
    const capture = activations.getStore();
    if (!capture || capture.closed) return realWrite[stream](chunk, encoding, callback);
    if (typeof encoding === 'function') { callback = encoding; encoding = undefined; }
    try {
      capture.write(stream, toText(capture, stream, chunk, encoding));
    } catch (e) {
      realWrite.stderr(`wisp runtime: log capture failed: ${e && e.stack}\n`);
    }
    if (typeof callback === 'function') process.nextTick(callback);
    return true;
  };
}

// ---------------------------------------------------------------- action loading

let state = 'new'; // new -> initializing -> ready (or back to new after a failed init)
let actionMain = null;

const isIdentifier = (name) => {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return false;
  try { new Function(`return typeof ${name};`); return true; } catch (e) { return false; }
};

/** Compiles `source` as a CommonJS module at `filename` and finds the function `main`. */
function loadAction(source, filename, main) {
  const mod = new Module(filename, null);
  mod.filename = filename;
  mod.paths = Module._nodeModulePaths(path.dirname(filename));
  new vm.Script(Module.wrap(source), { filename }); // report syntax errors at the user's line numbers
  const originalExports = mod.exports;
  const slot = Symbol.for('wisp.declaredMain');
  delete globalThis[slot];
  const probe = isIdentifier(main)
    ? `\n;globalThis[Symbol.for('wisp.declaredMain')] = typeof ${main} === 'function' ? ${main} : undefined;\n`
    : '\n';
  mod._compile(source + probe, filename);
  const declared = globalThis[slot];
  delete globalThis[slot];

  const exported = mod.exports;
  const candidates = [
    exported != null ? exported[main] : undefined,
    originalExports[main],
    exported,
    declared,
  ];
  const fn = candidates.find((c) => typeof c === 'function');
  if (!fn) {
    throw new Error(`Action function '${main}' not found: export it (module.exports.${main} = ..., ` +
      `module.exports = function ...) or declare a top-level function named '${main}'.`);
  }
  return fn;
}

// /tmp is a 64 MB tmpfs: what a zip may unpack to, and into how many files
const MAX_UNZIPPED_BYTES = 40 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 10000;

/** Runs unzip with no standard input: on a full disk it would otherwise wait for an answer forever. */
function runUnzip(args) {
  return new Promise((resolve, reject) => {
    const child = require('child_process').spawn('unzip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { if (out.length < 65536) out += d; });
    child.stderr.on('data', (d) => { if (err.length < 65536) err += d; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out)
      : reject(new Error(`Unable to unzip the action code: ${(err || out || `unzip exited ${code}`).trim()}`))));
  });
}

/** Checks what the zip declares (entries and unpacked size) against the limits, then unpacks it. */
async function unzip(zipFile, dir) {
  const summary = await runUnzip(['-Zt', zipFile]); // "N files, X bytes uncompressed, Y bytes compressed: Z%"
  const m = /(\d+) files?, (\d+) bytes? uncompressed/.exec(summary);
  if (!m) throw new Error(`Unable to unzip the action code: cannot read its directory (${summary.trim()})`);
  if (Number(m[1]) > MAX_ZIP_ENTRIES) {
    throw new Error(`The action zip has ${m[1]} entries, more than the limit of ${MAX_ZIP_ENTRIES}.`);
  }
  if (Number(m[2]) > MAX_UNZIPPED_BYTES) {
    throw new Error(`The action zip unpacks to ${m[2]} bytes, more than the limit of ${MAX_UNZIPPED_BYTES} bytes.`);
  }
  await runUnzip(['-qq', '-o', zipFile, '-d', dir]);
}

async function loadZip(base64, main) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisp-action-'));
  const zipFile = path.join(work, 'action.zip');
  const dir = path.join(work, 'code');
  fs.writeFileSync(zipFile, Buffer.from(base64, 'base64'));
  await unzip(zipFile, dir);
  fs.unlinkSync(zipFile);
  let entry = 'index.js';
  const pkgFile = path.join(dir, 'package.json');
  if (fs.existsSync(pkgFile)) {
    let pkg;
    try { pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')); } catch (e) {
      throw new Error(`Invalid package.json in the action zip: ${e.message}`);
    }
    if (pkg && typeof pkg.main === 'string' && pkg.main) entry = pkg.main;
  }
  let file = path.resolve(dir, entry);
  if (!fs.existsSync(file) && fs.existsSync(`${file}.js`)) file += '.js';
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.js');
  if (!fs.existsSync(file)) {
    throw new Error(`The action zip has no '${entry}' (set "main" in package.json or add index.js).`);
  }
  return loadAction(fs.readFileSync(file, 'utf8'), file, main);
}

async function init(body) {
  const value = (body && body.value) || {};
  const main = typeof value.main === 'string' && value.main ? value.main : 'main';
  if (typeof value.code !== 'string' || !value.code) throw new Error('Missing action code ("value.code").');
  if (value.env && typeof value.env === 'object') {
    for (const [k, v] of Object.entries(value.env)) {
      process.env[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
  if (value.binary === true || value.binary === 'true') return loadZip(value.code, main);
  return loadAction(value.code, path.join(process.cwd(), '__wisp_action__.js'), main);
}

// ---------------------------------------------------------------- activation

const isDictionary = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function describeError(e) {
  if (e instanceof Error) return String(e);
  if (isDictionary(e)) { try { return JSON.stringify(e); } catch (x) { /* fall through */ } }
  return String(e);
}

function describeInitError(e) {
  // a SyntaxError's stack starts with "file:line" of the offending code: worth showing
  const where = e instanceof SyntaxError && typeof e.stack === 'string' ? /^(\S+:\d+)\n/.exec(e.stack) : null;
  return describeError(e) + (where ? ` (at ${path.basename(where[1])})` : '');
}

const runVariables = new Set(); // the __OW_* names some /run has set

/** Sets the __OW_* variables of a /run body; those an earlier /run set and this one lacks are removed. */
function setRunVariables(body) {
  const vars = new Map();
  for (const [k, v] of Object.entries(body)) {
    if (k === 'value') continue;
    vars.set(`__OW_${k.toUpperCase()}`, v == null ? '' : (typeof v === 'string' ? v : JSON.stringify(v)));
  }
  for (const name of runVariables) {
    if (!vars.has(name)) {
      delete process.env[name];
      runVariables.delete(name);
    }
  }
  for (const [name, value] of vars) {
    process.env[name] = value;
    runVariables.add(name);
  }
}

/** Runs the action function `fn` once; returns {status, result, logs}. */
async function activate(fn, body, logLimit) {
  const capture = new LogCapture(logLimit);
  setRunVariables(body);
  const params = body.value === undefined ? {} : body.value;
  let status = 200;
  let result;
  try {
    const returned = await activations.run(capture, async () => fn(params));
    if (isDictionary(returned)) {
      result = JSON.parse(JSON.stringify(returned)); // fail here, not while responding
    } else {
      status = 502;
      result = { error: 'The action did not return a dictionary.' };
    }
  } catch (e) {
    if (isDictionary(e) && 'error' in e && !(e instanceof Error)) {
      result = e;
    } else {
      status = 502;
      result = { error: `An error has occurred: ${describeError(e)}` };
      if (e instanceof Error && e.stack) activations.run(capture, () => console.error(e.stack));
    }
  }
  capture.close();
  return { status, result, logs: capture };
}

// ---------------------------------------------------------------- HTTP

// The invoker is this server's only client: a few requests of a few kinds over keep-alive connections. A lean
// HTTP/1.1 reader on a plain socket serves them with a fraction of the code Node's http server runs per request
// (a readable and a writable stream, their events, header objects): in a container woken a few times a second,
// whose code stays cold, each run cost about 0.5 ms of CPU less (issue 17). It reads requests with a
// Content-Length (or none), answers each in order, keeps the connection unless told to close it.
const MAX_HEAD = 64 * 1024;
const KEEP_ALIVE_MS = Number(process.env.WISP_KEEPALIVE_MS || 10 * 60 * 1000);
const REASONS = {
  200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 411: 'Length Required',
  413: 'Payload Too Large', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 502: 'Bad Gateway',
};

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Parses a request's head (the text before its blank line): {method, url, headers (lower-case), close}. */
function parseHead(text) {
  const lines = text.split('\r\n');
  const first = /^([A-Z]+) (\S+) HTTP\/1\.([01])$/.exec(lines[0]);
  if (!first) throw new HttpError(400, 'Malformed request line.');
  const headers = Object.create(null);
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon <= 0) throw new HttpError(400, 'Malformed header line.');
    headers[lines[i].slice(0, colon).trim().toLowerCase()] = lines[i].slice(colon + 1).trim();
  }
  const connection = (headers.connection || '').toLowerCase();
  const close = first[3] === '0' ? connection !== 'keep-alive' : connection === 'close';
  return { method: first[1], url: first[2], headers, close };
}

/** The body's length from the head; chunked bodies are refused (the invoker always sends a length). */
function bodyLength(head) {
  if (head.headers['transfer-encoding'] !== undefined) {
    throw new HttpError(411, 'A request body needs a Content-Length.');
  }
  const text = head.headers['content-length'];
  if (text === undefined) return 0;
  if (!/^\d+$/.test(text)) throw new HttpError(400, 'Malformed Content-Length.');
  const length = Number(text);
  if (length > MAX_BODY) throw new HttpError(413, `Request body too large: the limit is ${MAX_BODY} bytes.`);
  return length;
}

function parseJson(body) {
  try {
    const parsed = JSON.parse(body.toString('utf8'));
    if (!isDictionary(parsed)) throw new Error('expected a JSON object');
    return parsed;
  } catch (e) {
    throw new HttpError(400, `Invalid JSON request body: ${e.message}`);
  }
}

async function handleInit(head, body) {
  const parsed = parseJson(body);
  if (state !== 'new') return [403, { error: 'Cannot initialize the action more than once.' }];
  state = 'initializing';
  try {
    actionMain = await init(parsed);
    state = 'ready';
    return [200, { OK: true }];
  } catch (e) {
    state = 'new';
    return [502, { error: `Initialization has failed due to: ${describeInitError(e)}` }];
  }
}

const ENVELOPE_HEADER = 'X-Wisp-Envelope: 1\r\n';

async function handleRun(head, body) {
  const parsed = parseJson(body);
  if (state !== 'ready') return [403, { error: 'The action has not been initialized.' }];
  const limitHeader = Number.parseInt(head.headers['x-wisp-log-limit'], 10);
  const limit = Number.isFinite(limitHeader) && limitHeader >= 0 ? limitHeader : DEFAULT_LOG_LIMIT;
  const { status, result, logs } = await activate(actionMain, parsed, limit);
  if (head.headers['x-wisp-envelope'] === '1') return [status, { result, logs: logs.formatted() }, ENVELOPE_HEADER];
  for (const l of logs.lines) realWrite[l.stream](`${l.text}\n`);
  realWrite.stdout(SENTINEL);
  realWrite.stderr(SENTINEL);
  return [status, result];
}

/**
 * The handler of a request, or the answer that refuses it ([status, object, extra header lines]): an unknown
 * route, or a missing or wrong token (checked before anything else about the request, its body included).
 */
function route(head) {
  const url = head.url.split('?')[0];
  let handler;
  if (head.method === 'POST' && url === '/init') handler = handleInit;
  else if (head.method === 'POST' && url === '/run') handler = handleRun;
  else if (head.method === 'GET' && url === '/health') return [200, { OK: true, state }];
  else return [404, { error: `No route for ${head.method} ${url}` }];
  if (!authorized(head.headers)) return [401, UNAUTHORIZED, 'WWW-Authenticate: Bearer\r\n'];
  return handler;
}

function respond(socket, status, obj, extra = '', close = false) {
  const data = JSON.stringify(obj);
  socket.write(`HTTP/1.1 ${status} ${REASONS[status] || 'Unknown'}\r\nContent-Type: application/json\r\n`
    + `Content-Length: ${Buffer.byteLength(data)}\r\n${extra}${close ? 'Connection: close\r\n' : ''}\r\n${data}`);
  if (close) socket.end();
}

/** One connection: reads requests one after another and answers each before reading the next. */
function connection(socket) {
  socket.setNoDelay(true);
  let chunks = []; // what was read and not yet used
  let size = 0;
  let head = null; // the head of the request whose body is being read
  let length = 0;
  let busy = false;
  // a connection idle that long between requests is closed; one whose action still runs is not
  socket.setTimeout(KEEP_ALIVE_MS, () => { if (!busy) socket.destroy(); });
  socket.on('error', () => socket.destroy()); // the peer went away: nothing to answer
  const take = (n) => {
    const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
    chunks = n < all.length ? [all.subarray(n)] : [];
    size = all.length - n;
    return all.subarray(0, n);
  };
  const refuse = (status, obj, extra = '') => { // answers, then closes: what follows on the connection is not read
    chunks = [];
    size = 0;
    respond(socket, status, obj, extra, true);
  };
  const next = () => {
    while (!busy && !socket.destroyed) {
      if (head === null) {
        if (size === 0) return;
        if (chunks.length > 1) chunks = [Buffer.concat(chunks, size)];
        const end = chunks[0].indexOf('\r\n\r\n');
        if (end < 0 || end > MAX_HEAD) {
          if (end > MAX_HEAD || size > MAX_HEAD) refuse(431, { error: `The request head is over ${MAX_HEAD} bytes.` });
          return;
        }
        let handler;
        try {
          head = parseHead(take(end + 4).toString('latin1', 0, end));
          handler = route(head);
          length = bodyLength(head);
        } catch (e) {
          // a refusal stands whatever the body's framing; a body it cannot skip ends the connection
          if (Array.isArray(handler)) refuse(...handler);
          else refuse(e.status || 400, { error: e.message });
          return;
        }
        head.handler = handler;
      }
      if (size < length) {
        if (typeof head.handler !== 'function') { // a refused request's body is dropped as it comes, never kept
          length -= size;
          chunks = [];
          size = 0;
        }
        return;
      }
      const request = head;
      const body = take(length);
      head = null;
      busy = true;
      const answer = typeof request.handler === 'function' ? request.handler(request, body)
        : Promise.resolve(request.handler);
      answer.catch((e) => [e.status || 500, { error: e.message || String(e) }])
        .then(([status, obj, extra]) => {
          busy = false;
          if (socket.destroyed) return;
          respond(socket, status, obj, extra, request.close);
          if (request.close) chunks = []; else next();
        });
    }
  };
  socket.on('data', (d) => {
    chunks.push(d);
    size += d.length;
    next();
  });
}

const server = net.createServer(connection);

process.on('uncaughtException', (e) => realWrite.stderr(`wisp runtime: uncaught exception: ${e && e.stack || e}\n`));
process.on('unhandledRejection', (e) => realWrite.stderr(`wisp runtime: unhandled rejection: ${e && e.stack || e}\n`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));

// ---------------------------------------------------------------- warm-up

// V8 compiles each function the first time it runs and optimizes it after a few runs: a container's first /init
// and /run would pay for compiling the HTTP, JSON, loading and log capture paths (a few ms each). A stem cell
// starts before any action needs it, so it pays for them while it waits: before the real port opens, a private
// server with the same handler, on a loopback port of its own, takes an /init of a throwaway action and a few
// runs of it over one keep-alive connection, with the invoker's token. Nothing else can reach that port or send
// to the real one yet; afterwards the runtime is back to new (no action, no __OW_ variables, the token forgotten).
const WARM_RUNS = 8;

async function warmUp(token) {
  const probe = net.createServer(connection);
  await new Promise((resolve, reject) => { probe.once('error', reject); probe.listen(0, '127.0.0.1', resolve); });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const headers = { 'Content-Type': 'application/json', 'X-Wisp-Envelope': '1' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const post = (route, body) => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: probe.address().port, method: 'POST', path: route, agent, headers },
      (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
  try {
    const code = 'function main(p) { console.log("warm"); return { n: p.n }; }';
    const status = await post('/init', { value: { code, main: 'main' } });
    if (status !== 200) throw new Error(`its /init answered ${status}`);
    for (let i = 0; i < WARM_RUNS; i++) await post('/run', { value: { n: i } });
  } finally {
    agent.destroy();
    probe.close();
    state = 'new';
    actionMain = null;
  }
}

// A runtime that cannot listen (its port taken) would otherwise sit there, alive and useless, until the invoker's
// start timeout: it says why and exits, so the container is seen to have failed at once. Errors once listening
// (an action that used up its file descriptors makes accepts fail) are logged and the runtime serves on.
server.on('error', (e) => {
  if (server.listening) {
    realWrite.stderr(`wisp runtime: server error: ${e && e.message || e}\n`);
    return;
  }
  realWrite.stderr(`wisp runtime: cannot serve on port ${PORT}: ${e && e.message || e}\n`);
  process.exit(1);
});

(WARM_UP ? warmUp(WARM_TOKEN) : Promise.resolve())
  .catch((e) => realWrite.stderr(`wisp runtime: warm-up failed: ${e && e.stack || e}\n`))
  .then(() => {
    WARM_TOKEN = null;
    server.listen(PORT, () => realWrite.stdout(`wisp nodejs runtime listening on ${server.address().port}\n`));
  });
