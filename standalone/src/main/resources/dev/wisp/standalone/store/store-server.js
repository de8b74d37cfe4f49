'use strict';
// Wisp's store: PouchDB Server's CouchDB API (express-pouchdb on LevelDB) with the parts Wisp uses and nothing
// else. Run with NODE_PATH set to pouchdb-server's node_modules:
//   node store-server.js DIR PORT [HOST]
// The full server also validates every write against the databases' design documents (and, for that, asks the
// database's size, which lists every LevelDB file, on each write), logs every request to a file that only grows,
// and serves sessions, users, replication, rewrites and the Fauxton UI. Wisp defines no validate_doc_update,
// reads no log and sits behind its own guard, so none of that is loaded: a _bulk_docs of ten records costs the
// store about half the CPU it did.
const path = require('path');

const [dir, port, host = '127.0.0.1'] = process.argv.slice(2);
if (!dir || !/^[0-9]+$/.test(port || '')) {
  console.error('usage: node store-server.js DIR PORT [HOST]');
  process.exit(2);
}

// express-pouchdb's parts, as it names them
const PARTS = [
  'config-infrastructure', // couchdb/max_document_size from config.json
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
const api = require('express-pouchdb')({
  mode: 'custom',
  overrideMode: { include: PARTS },
  configPath: path.join(dir, 'config.json'),
  logPath: path.join(dir, 'log.txt'),
});
api.setPouchDB(PouchDB.defaults({ prefix: path.resolve(dir) + path.sep }));

const server = require('express')().use(api).listen(Number(port), host, () => {
  console.log(`store: listening on http://${host}:${port}/, data in ${path.resolve(dir)}`);
});
server.on('error', (e) => {
  console.error(`store: cannot listen on ${host}:${port}: ${e.message}`);
  process.exit(1);
});
