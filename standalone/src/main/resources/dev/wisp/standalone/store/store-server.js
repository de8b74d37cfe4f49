'use strict';
// Wisp's store: PouchDB Server's CouchDB API (express-pouchdb on LevelDB) with the parts Wisp uses and nothing
// else. Run with NODE_PATH set to pouchdb-server's node_modules:
//   node store-server.js DIR PORT [HOST]
// The full server also validates every write against the databases' design documents (and, for that, asks the
// database's size, which lists every LevelDB file, on each write), logs every request to a file that only grows,
// and serves sessions, users, replication, rewrites and the Fauxton UI. Wisp defines no validate_doc_update,
// reads no log and sits behind its own guard, so none of that is loaded: a _bulk_docs of ten records costs the
// store about half the CPU it did.
const fs = require('fs');
const path = require('path');

const [dir, port, host = '127.0.0.1'] = process.argv.slice(2);
if (!dir || !/^[0-9]+$/.test(port || '')) {
  console.error('usage: node store-server.js DIR PORT [HOST]');
  process.exit(2);
}

// express-pouchdb's parts, as it names them
const PARTS = [
  'config-infrastructure', // couchdb/max_document_size from config.json (read, never written)
  'logging-infrastructure', // warnings and errors only: the per-request log (routes/http-log) is left out
  'routes/root', 'routes/404', 'routes/all-dbs', 'routes/db', 'routes/documents', 'routes/attachments',
  'routes/all-docs', 'routes/bulk-docs', 'routes/bulk-get', 'routes/changes', 'routes/revs-diff',
  'routes/views', 'routes/temp-views', 'routes/view-cleanup', 'routes/ddoc-info', 'routes/compact',
  'routes/find', 'routes/session-stub',
];

const PouchDB = require('pouchdb-core')
  .plugin(require('pouchdb-adapter-leveldb'))
  .plugin(require('pouchdb-adapter-http'))
  .plugin(require('pouchdb-replication'))
  .plugin(require('pouchdb-mapreduce'));
// The configuration is read from DIR/config.json and kept in memory: express-pouchdb rewrites its file at every
// start without looking at the write's outcome, so on a full disk it left an empty file that no later start could
// parse, long after the disk had room again.
function fileConfig(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if (e.code !== 'ENOENT') console.error(`store: ignoring ${file}: ${e.message}`);
    return {};
  }
}
const api = require('express-pouchdb')({
  mode: 'custom',
  overrideMode: { include: PARTS },
  inMemoryConfig: true,
  logPath: path.join(dir, 'log.txt'),
});
for (const [section, values] of Object.entries(fileConfig(path.join(dir, 'config.json')))) {
  for (const [key, value] of Object.entries(values || {})) api.couchConfig.set(section, key, value, () => {});
}
api.setPouchDB(PouchDB.defaults({ prefix: path.resolve(dir) + path.sep }));

// A full disk: LevelDB fails the write (400 or 500, "IO error: ... No space left on device") while reads go on, so
// Wisp would keep accepting work it cannot record. Below this much free space a failed write ends the process
// instead (as pouchdb-server's request log used to end it): its supervisor starts it again, with growing pauses;
// meanwhile the controllers answer 503 and the invokers hold their records, until there is room.
const FULL_BELOW_BYTES = 8 * 1024 * 1024;
function exitIfDiskFull() {
  if (typeof fs.statfs !== 'function') return; // Node < 18.15
  fs.statfs(dir, (err, s) => {
    const free = err ? Infinity : s.bavail * s.bsize;
    if (free < FULL_BELOW_BYTES) {
      console.error(`store: a write failed and ${path.resolve(dir)} has ${free} bytes free: exiting, to be started `
        + 'again once there is room');
      process.exit(1);
    }
  });
}
function diskGuard(req, res, next) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.on('finish', () => { if (res.statusCode >= 400) exitIfDiskFull(); });
  }
  next();
}

// The store ends with the process that started it: a standalone JVM that was killed or crashed cannot stop it, and
// a store left behind keeps the data directory's databases locked, so the next start failed on them. Not for a
// store whose parent is a container's first process or that is one itself: there is nobody to follow.
const parent = process.ppid;
if (parent > 1) {
  setInterval(() => {
    if (process.ppid !== parent) {
      console.error(`store: the process that started it (pid ${parent}) is gone: exiting`);
      process.exit(0);
    }
  }, 1000).unref();
}

const server = require('express')().use(diskGuard).use(api).listen(Number(port), host, () => {
  console.log(`store: listening on http://${host}:${port}/, data in ${path.resolve(dir)}`);
});
server.on('error', (e) => {
  console.error(`store: cannot listen on ${host}:${port}: ${e.message}`);
  process.exit(1);
});
