'use strict';
// The store's front door in the cluster image: PouchDB Server listens on loopback only, and this proxy in front
// of it answers only requests that carry the store's user and password (HTTP Basic), given in the environment at
// start (WISP_STORE_USER, WISP_STORE_PASSWORD), never baked into the image. Bodies stream both ways, so changes
// feeds and large documents pass as they are.
const crypto = require('crypto');
const http = require('http');

const user = process.env.WISP_STORE_USER;
const password = process.env.WISP_STORE_PASSWORD;
if (!user || !password) {
  console.error('store-guard: set WISP_STORE_USER and WISP_STORE_PASSWORD: the store answers no one without them');
  process.exit(2);
}
const digest = (text) => crypto.createHash('sha256').update(text).digest();
const expected = digest(`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
const inner = { host: '127.0.0.1', port: Number(process.env.STORE_INNER_PORT || 5985) };
const port = Number(process.env.STORE_PORT || 5984);

function answer(res, status, error, reason, headers = {}) {
  if (res.headersSent) return res.destroy();
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  return res.end(JSON.stringify({ error, reason }));
}

http.createServer((req, res) => {
  if (!crypto.timingSafeEqual(digest(req.headers.authorization || ''), expected)) {
    req.resume();
    return answer(res, 401, 'unauthorized', 'The store answers its own user only.',
      { 'WWW-Authenticate': 'Basic realm="wisp-store"' });
  }
  const headers = { ...req.headers };
  delete headers.authorization;
  const upstream = http.request({ ...inner, method: req.method, path: req.url, headers }, (r) => {
    res.writeHead(r.statusCode, r.headers);
    r.pipe(res);
  });
  upstream.on('error', (e) => answer(res, 502, 'bad_gateway', `The store behind the guard: ${e.message}`));
  req.pipe(upstream);
  return undefined;
}).listen(port, '0.0.0.0', () => console.log(`store-guard: listening on ${port}, store on ${inner.port}`));
