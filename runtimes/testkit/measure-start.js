'use strict';
// Measures, per runtime image, the time from `docker run` (the invoker's hardening flags and a WISP_RUNTIME_TOKEN,
// sent with every request) to the first answer of POST /init (the smoke test's init body), then to the first /run
// answer. Not a test: prints a table.
// usage: node runtimes/testkit/measure-start.js [rounds=5] [kind...]
// (the docker CLI adds ~25 ms per call over the Engine API the invoker uses)

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { HARDENING, docker, dockerWithEnv, newToken } = require('./runtime-container');

const RUNTIMES = path.join(__dirname, '..');
const rounds = Number(process.argv[2]) || 5;
const kinds = process.argv.slice(3).length ? process.argv.slice(3)
  : fs.readdirSync(RUNTIMES).filter((k) => fs.existsSync(path.join(RUNTIMES, k, 'smoke', 'run.json')));

function post(port, route, body, token) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: route, method: 'POST', agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
        Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function initBody(kind) {
  const dir = path.join(RUNTIMES, kind, 'smoke');
  if (fs.existsSync(path.join(dir, 'init.json'))) return fs.readFileSync(path.join(dir, 'init.json'), 'utf8');
  return execFileSync(path.join(dir, 'init.sh'), { encoding: 'utf8' });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

(async () => {
  console.log(`kind      rounds  docker run -> /init 200 (median, min-max)   -> first /run (median)`);
  for (const kind of kinds) {
    const init = initBody(kind);
    const run = fs.readFileSync(path.join(RUNTIMES, kind, 'smoke', 'run.json'), 'utf8');
    const toInit = [];
    const toRun = [];
    for (let i = 0; i < rounds; i++) {
      const port = 20000 + Math.floor(Math.random() * 20000);
      const token = newToken();
      const start = process.hrtime.bigint();
      const id = (await dockerWithEnv({ WISP_RUNTIME_TOKEN: token }, 'run', '-d', '--rm', '--label', 'wisp.test=runtimes',
        ...HARDENING, '-e', 'WISP_RUNTIME_TOKEN', '-p', `127.0.0.1:${port}:8080`, `wisp/action-${kind}:latest`)).stdout.trim();
      try {
        let status;
        for (;;) {
          try { status = await post(port, '/init', init, token); break; } catch (e) { await new Promise((r) => setTimeout(r, 5)); }
        }
        const inited = process.hrtime.bigint();
        if (status !== 200) throw new Error(`${kind}: /init answered ${status}`);
        await post(port, '/run', run, token);
        const ran = process.hrtime.bigint();
        toInit.push(Number(inited - start) / 1e6);
        toRun.push(Number(ran - inited) / 1e6);
      } finally {
        await docker('rm', '-f', id);
      }
    }
    const f = (x) => x.toFixed(0).padStart(5);
    console.log(`${kind.padEnd(9)} ${String(rounds).padStart(6)}  ${f(median(toInit))} ms (${f(Math.min(...toInit))}-${f(Math.max(...toInit)).trim()})`
      + `                 ${f(median(toRun))} ms`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
