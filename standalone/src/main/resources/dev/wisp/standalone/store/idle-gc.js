// Loaded into PouchDB Server by Wisp's standalone (node --require, through NODE_OPTIONS), written at each start.
// V8 grows its young generation in a burst of requests (standalone's start, a load: 32 MB of semi-spaces) and gives
// it back only in its memory reducer's collections, which start 8 s after a full collection and go on while
// allocation stays low: an idle store held 86-91 MB where it needs 70. So the reducer starts 2 s after one (a V8
// flag that Node takes on its own command line only, which is PouchDB Server's launcher's: set here, before any
// collection reads it), and the first quiet second after a busy one has a full collection, which starts it.
'use strict';
const v8 = require('v8');
const vm = require('vm');

v8.setFlagsFromString('--gc-memory-reducer-start-delay-ms=2000');
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc');
const TICK_MS = 1000;
const BUSY_CPU_MS = 50; // of a 1 s tick; an idle store uses 0-5, and about 25 every 5 s when Wisp looks in

let last = process.cpuUsage();
let busy = true;
setInterval(() => {
  const now = process.cpuUsage();
  if ((now.user - last.user + now.system - last.system) / 1000 >= BUSY_CPU_MS) {
    busy = true;
  } else if (busy) {
    collect();
    busy = false;
  }
  last = process.cpuUsage(); // the collection's own CPU is not the store's work
}, TICK_MS).unref();
